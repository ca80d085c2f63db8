//! Laws of the instruction table and everything derived from it:
//!
//! - encode then decode is the identity, for every row and legal operand values
//!   (the decoder returns the same row, and every operand reads back);
//! - `Operand::put` and `Operand::get` are inverse over each operand's range;
//! - the indexed decoder agrees with a naive linear scan of the table (most
//!   specific matching row wins, no match is `Op::Illegal`) on random words and on
//!   every row's opcode with random free bits;
//! - no two rows overlap (a word matching two rows would make the table ambiguous);
//! - decode and the disassembler never panic, on any word or prefix/suffix pair.

use ppcreplay::isa::decode::{decode, decode_at, NO_ROW};
use ppcreplay::isa::disasm::disasm;
use ppcreplay::isa::encode::{encode_def, EncodeError};
use ppcreplay::isa::table::{all, Op};
use ppcreplay::isa::{InsnDef, Operand, OE, RC, RC21};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Maps raw random bits to a legal value of `o`.
fn legal(o: Operand, raw: u64) -> i64 {
    let (min, max, align) = o.range();
    let steps = ((max - min) / align) as u64 + 1;
    min + (raw % steps) as i64 * align
}

fn rows() -> &'static [&'static InsnDef] {
    all()
}

/// Encodes `def` with operands from `raws`; `None` when the values set bits the
/// row fixes (legitimately refused by the encoder).
fn encode_raw(
    def: &'static InsnDef,
    raws: &[u64],
    rc: bool,
    oe: bool,
) -> Option<(Vec<i64>, ppcreplay::isa::encode::Encoded)> {
    let vals: Vec<i64> = def
        .operands
        .iter()
        .zip(raws.iter().cycle())
        .map(|(&o, &r)| legal(o, r))
        .collect();
    let rc = rc && def.flags & (RC | RC21) != 0;
    let oe = oe && def.flags & OE != 0;
    match encode_def(def, &vals, rc, oe) {
        Ok(e) => Some((vals, e)),
        Err(EncodeError::FixedBits { .. }) => None,
        Err(e) => panic!("{}: {e}", def.mnemonic),
    }
}

/// Checks the round trip; returns a description of the failure.
fn round_trip(row: usize, raws: &[u64], rc: bool, oe: bool) -> Result<bool, String> {
    let def = rows()[row];
    let Some((vals, e)) = encode_raw(def, raws, rc, oe) else {
        return Ok(false);
    };
    let insn = match e.prefix {
        Some(p) => decode_at(p, Some(e.word)),
        None => decode(e.word),
    };
    if insn.row as usize != row {
        let got = insn.def().map_or("(illegal)", |d| d.mnemonic);
        return Err(format!(
            "{} {:?} encodes as {:08x?} {:08x} which decodes as {got}",
            def.mnemonic, vals, e.prefix, e.word
        ));
    }
    for (&o, &v) in def.operands.iter().zip(&vals) {
        if insn.get(o) != v {
            return Err(format!(
                "{} operand {o:?}: put {v}, got {}",
                def.mnemonic,
                insn.get(o)
            ));
        }
    }
    Ok(true)
}

/// splitmix64, for the deterministic sweeps.
fn mix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn every_row_round_trips_through_encode_and_decode() {
    let mut failures = Vec::new();
    let mut seed = 1u64;
    for row in 0..rows().len() {
        let def = rows()[row];
        let mut encoded = 0;
        // Edge tuples (all minimum, all zero-or-minimum, all maximum) then random.
        let n = def.operands.len().max(1);
        let mut tuples: Vec<Vec<u64>> = vec![vec![0; n], vec![u64::MAX; n]];
        for _ in 0..64 {
            tuples.push((0..n).map(|_| mix(&mut seed)).collect());
        }
        for (i, t) in tuples.iter().enumerate() {
            match round_trip(row, t, i % 2 == 1, i % 4 >= 2) {
                Ok(true) => encoded += 1,
                Ok(false) => {}
                Err(e) => {
                    failures.push(e);
                    break;
                }
            }
        }
        if encoded == 0 {
            failures.push(format!(
                "{}: no operand values encode (the operands contradict the fixed bits)",
                def.mnemonic
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows fail the round trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_rows_and_operands_round_trip(
        row in 0..rows().len(),
        raws in prop::collection::vec(any::<u64>(), 1..8),
        rc: bool,
        oe: bool,
    ) {
        if let Err(e) = round_trip(row, &raws, rc, oe) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn put_and_get_are_inverse_for_every_operand_in_the_table(
        idx in 0..table_operands().len(),
        raw: u64,
    ) {
        let o = table_operands()[idx];
        let v = legal(o, raw);
        let (p, w) = o.put(v).expect("legal value");
        prop_assert_eq!(o.get(p, w), v, "{:?}", o);
        // Out-of-range values are refused, never wrapped.
        let (min, max, _) = o.range();
        prop_assert!(o.put(max + 1).is_err());
        prop_assert!(o.put(min - 1).is_err());
    }

    #[test]
    fn decode_and_disasm_never_panic_on_any_word(w: u32, pc: u64) {
        let i = decode(w);
        let _ = disasm(&i, pc);
        let _ = i.len();
    }

    #[test]
    fn decode_and_disasm_never_panic_on_any_prefixed_pair(p in 0u32..(1 << 26), s: u32, pc: u64) {
        let prefix = (1 << 26) | p;
        let i = decode_at(prefix, Some(s));
        let _ = disasm(&i, pc);
        prop_assert!(i.is_prefixed());
        let lone = decode_at(prefix, None);
        prop_assert_eq!(lone.op, Op::Illegal);
        let _ = disasm(&lone, pc);
    }

    #[test]
    fn indexed_decoder_agrees_with_a_linear_scan(w: u32) {
        prop_assert_eq!(decode(w).row, reference_decode(w, None));
    }

    #[test]
    fn indexed_prefixed_decoder_agrees_with_a_linear_scan(p in 0u32..(1 << 26), s: u32) {
        let prefix = (1 << 26) | p;
        prop_assert_eq!(decode_at(prefix, Some(s)).row, reference_decode(s, Some(prefix)));
    }
}

/// Every operand some row uses.
fn table_operands() -> &'static [Operand] {
    use std::sync::OnceLock;
    static OPS: OnceLock<Vec<Operand>> = OnceLock::new();
    OPS.get_or_init(|| {
        let mut v: Vec<Operand> = Vec::new();
        for d in rows() {
            for &o in d.operands {
                if !v.contains(&o) {
                    v.push(o);
                }
            }
        }
        v
    })
}

/// The decoder's definition: the row whose (prefix and) match mask fits, the most
/// specific (most fixed bits) if several do; `NO_ROW` if none.
fn reference_decode(word: u32, prefix: Option<u32>) -> u16 {
    let mut best: Option<(u32, usize)> = None;
    for (i, d) in rows().iter().enumerate() {
        let fits = match (prefix, d.prefix) {
            (None, None) => true,
            (Some(p), Some((po, pm))) => p & pm == po,
            _ => false,
        };
        let mm = d.match_mask();
        if !fits || word & mm != d.opcode & mm {
            continue;
        }
        let spec = mm.count_ones() + d.prefix.map_or(0, |p| p.1.count_ones());
        if best.is_none_or(|(s, _)| spec > s) {
            best = Some((spec, i));
        }
    }
    best.map_or(NO_ROW, |(_, i)| i as u16)
}

#[test]
fn every_rows_opcode_with_random_free_bits_decodes_like_the_linear_scan() {
    let mut seed = 7u64;
    let mut bad = Vec::new();
    for d in rows() {
        for _ in 0..32 {
            let mm = d.match_mask();
            let w = (d.opcode & mm) | (mix(&mut seed) as u32 & !mm);
            let p = d.prefix.map(|(po, pm)| po | (mix(&mut seed) as u32 & !pm));
            let got = match p {
                Some(p) => decode_at(p, Some(w)).row,
                None => decode(w).row,
            };
            let want = reference_decode(w, p);
            if got != want {
                bad.push(format!(
                    "{}: {p:08x?} {w:08x} decodes to row {got}, linear scan says {want}",
                    d.mnemonic
                ));
                break;
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn no_two_rows_overlap() {
    // Two rows overlap when some word (with some prefix) matches both: their
    // opcodes agree on every bit both masks fix. The table lists each instruction
    // once (extended mnemonics are disassembler aliases), so any overlap is a bug.
    let r = rows();
    let mut clashes = Vec::new();
    for (i, a) in r.iter().enumerate() {
        for b in &r[i + 1..] {
            let both = a.match_mask() & b.match_mask();
            if (a.opcode ^ b.opcode) & both != 0 {
                continue;
            }
            let prefixes_meet = match (a.prefix, b.prefix) {
                (None, None) => true,
                (Some((ao, am)), Some((bo, bm))) => (ao ^ bo) & am & bm == 0,
                _ => false,
            };
            if prefixes_meet {
                clashes.push(format!("{} / {}", a.mnemonic, b.mnemonic));
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "{} overlapping row pairs:\n{}",
        clashes.len(),
        clashes.join("\n")
    );
}

#[test]
fn mnemonics_are_unique() {
    let mut seen = BTreeSet::new();
    let dups: Vec<&str> = rows()
        .iter()
        .map(|d| d.mnemonic)
        .filter(|m| !seen.insert(*m))
        .collect();
    assert!(dups.is_empty(), "duplicate mnemonics: {dups:?}");
}

#[test]
fn unknown_and_reserved_encodings_decode_as_illegal() {
    // Primary opcode 0 holds no server instruction; a lone prefix, or a prefix
    // with an unknown suffix, is illegal too.
    for w in [0u32, 0x0000_0001, 0x03ff_ffff, 0x0012_3456] {
        assert_eq!(decode(w).op, Op::Illegal, "{w:08x}");
        assert_eq!(decode(w).row, NO_ROW);
    }
    assert_eq!(decode(0x0610_0000).op, Op::Illegal, "prefix word alone");
    assert_eq!(decode_at(0x0600_0000, None).op, Op::Illegal);
    // A prefix followed by another prefix.
    assert_eq!(decode_at(0x0400_0000, Some(0x0400_0000)).op, Op::Illegal);
    // Words matching no row: the linear scan finds nothing.
    let mut seed = 3u64;
    let mut n = 0;
    for _ in 0..200_000 {
        let w = mix(&mut seed) as u32;
        if reference_decode(w, None) == NO_ROW {
            assert_eq!(decode(w).op, Op::Illegal, "{w:08x}");
            n += 1;
        }
    }
    assert!(n > 0);
}
