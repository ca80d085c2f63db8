//! Prints, for every row of the instruction table, a handful of encodings made by
//! our encoder: edge operand values (all zero, all maximum, equal registers, the
//! minimum), seeded random values, every value of "selector" operands (BO, TO,
//! SPR numbers, sync L, ...) and targeted operand tuples that hit objdump's
//! extended mnemonics (rotate/shift aliases and the like).
//!
//! Output, one line per encoding: `ROW<TAB>MNEMONIC<TAB>WORDS`, where WORDS is one
//! 8-digit hex word or, for prefixed instructions, the prefix and suffix words
//! separated by a space (memory order). `tools/disasm-golden/gen.py` feeds these to
//! objdump to build `tests/golden/disasm.txt`.
//!
//! The random values are seeded by the row's mnemonic, so adding a row does not
//! change the encodings printed for the others (golden diffs stay small).

use ppcreplay::isa::encode::encode_def;
use ppcreplay::isa::table::all;
use ppcreplay::isa::{InsnDef, Operand, OE, RC, RC21};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// splitmix64: a tiny deterministic generator (no dependency needed).
struct Rng(u64);

impl Rng {
    fn seeded(s: &str) -> Rng {
        // FNV-1a of the mnemonic.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in s.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        Rng(h)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A legal value of `o`, uniform over its aligned range.
    fn value(&mut self, o: Operand) -> i64 {
        let (min, max, align) = o.range();
        let steps = ((max - min) / align) as u64 + 1;
        min + (self.next() % steps) as i64 * align
    }
}

fn is_register(o: Operand) -> bool {
    use ppcreplay::isa::operand::Kind;
    matches!(
        o.kind(),
        Kind::Gpr | Kind::Gpr0 | Kind::Fpr | Kind::Vr | Kind::Vsr
    )
}

/// The largest legal value of `o` (aligned).
fn max_of(o: Operand) -> i64 {
    let (min, max, align) = o.range();
    min + (max - min) / align * align
}

/// Zero if legal, else the minimum.
fn zero_of(o: Operand) -> i64 {
    let (min, _, _) = o.range();
    min.max(0)
}

/// Operands whose every value is worth printing: objdump names many of them
/// (branch conditions, trap conditions, SPRs, sync kinds, cache hints).
fn selector_values(o: Operand) -> Option<Vec<i64>> {
    use Operand::*;
    let all = |o: Operand| {
        let (min, max, align) = o.range();
        (0..)
            .map(|i| min + i * align)
            .take_while(|&v| v <= max)
            .collect()
    };
    match o {
        Bo | To | Spr | Tbr | LSync | Th | Dm | Wc | Ct | L14 | Bh | Rm | Shw | Uim2 | Cy | Ps
        | Lev | LFsf | W | L10 | R => Some(all(o)),
        _ => None,
    }
}

/// Operand tuples chosen to hit objdump's extended mnemonics for `mnemonic`
/// (binutils opcodes/ppc-opc.c: rotate/shift aliases are operand-value patterns).
fn targeted(mnemonic: &str) -> Vec<Vec<i64>> {
    let mut v: Vec<Vec<i64>> = Vec::new();
    match mnemonic {
        "rlwinm" => {
            for n in [1, 7, 16, 31] {
                v.push(vec![3, 4, n, 0, 31 - n]); // slwi
                v.push(vec![3, 4, 32 - n, n, 31]); // srwi
                v.push(vec![3, 4, 0, n, 31]); // clrlwi
                v.push(vec![3, 4, 0, 0, 31 - n]); // clrrwi
                v.push(vec![3, 4, n, 0, 31]); // rotlwi
                v.push(vec![3, 4, n, 0, n - 1]); // extlwi
                v.push(vec![3, 4, (n + 3) % 32, 32 - n, 31]); // extrwi
                v.push(vec![3, 4, n, 31 - n, 31 - n]);
                v.push(vec![3, 4, n / 2, n - n / 2, 31 - n / 2]); // clrlslwi
            }
        }
        "rlwnm" => v.extend([vec![3, 4, 5, 0, 31], vec![3, 4, 5, 1, 31]]),
        "rlwimi" => {
            for (n, b) in [(1, 0), (8, 8), (16, 4), (31, 1)] {
                v.push(vec![3, 4, (32 - b) % 32, b, b + n - 1]); // inslwi
                v.push(vec![3, 4, (64 - b - n) % 32, b, b + n - 1]); // insrwi
            }
        }
        "rldicl" => {
            for n in [1, 8, 32, 63] {
                v.push(vec![3, 4, n, 0]); // rotldi
                v.push(vec![3, 4, 64 - n, n]); // srdi
                v.push(vec![3, 4, 0, n]); // clrldi
                v.push(vec![3, 4, (n + 5) % 64, 64 - n]); // extrdi
            }
        }
        "rldicr" => {
            for n in [1, 8, 32, 63] {
                v.push(vec![3, 4, n, 63 - n]); // sldi
                v.push(vec![3, 4, 0, 63 - n]); // clrrdi
                v.push(vec![3, 4, n, n - 1]); // extldi
            }
        }
        "rldic" => {
            for (b, n) in [(8, 4), (32, 16), (63, 1), (2, 3)] {
                v.push(vec![3, 4, n, b - n.min(b)]); // clrlsldi
            }
        }
        "rldimi" => {
            for (n, b) in [(1, 0), (8, 8), (16, 40), (63, 1)] {
                v.push(vec![3, 4, (64 - b - n) % 64, b]); // insrdi
            }
        }
        "rldcl" => v.extend([vec![3, 4, 5, 0], vec![3, 4, 5, 9]]),
        "xxpermdi" => {
            for dm in 0..4 {
                v.push(vec![1, 2, 2, dm]);
                v.push(vec![1, 2, 3, dm]);
            }
        }
        _ => {}
    }
    v
}

fn words_text(prefix: Option<u32>, word: u32) -> String {
    let mut s = String::new();
    if let Some(p) = prefix {
        let _ = write!(s, "{p:08x} ");
    }
    let _ = write!(s, "{word:08x}");
    s
}

/// Every operand tuple worth printing for a row.
fn tuples(def: &InsnDef) -> Vec<Vec<i64>> {
    let ops = def.operands;
    let mut rng = Rng::seeded(def.mnemonic);
    let mut out: Vec<Vec<i64>> = vec![
        ops.iter().map(|&o| zero_of(o)).collect(),
        ops.iter().map(|&o| max_of(o)).collect(),
        ops.iter()
            .map(|&o| if is_register(o) { 9 } else { zero_of(o).max(1) })
            .collect(),
        ops.iter().map(|&o| o.range().0).collect(),
    ];
    // Equal registers with random immediates (mr, vmr, xxlmr-style aliases).
    out.push(
        ops.iter()
            .map(|&o| if is_register(o) { 5 } else { rng.value(o) })
            .collect(),
    );
    for _ in 0..5 {
        out.push(ops.iter().map(|&o| rng.value(o)).collect());
    }
    // Small immediates: random registers, immediates near zero (objdump prints
    // some aliases only for small shift counts or specific values).
    for _ in 0..2 {
        out.push(
            ops.iter()
                .map(|&o| {
                    if is_register(o) {
                        rng.value(o)
                    } else {
                        let (min, max, align) = o.range();
                        (align * (rng.next() % 4) as i64).clamp(min, max)
                    }
                })
                .collect(),
        );
    }
    // Every value of the first selector operand, the others random.
    if let Some((pos, vals)) = ops
        .iter()
        .enumerate()
        .find_map(|(i, &o)| selector_values(o).map(|v| (i, v)))
    {
        for v in vals {
            let mut t: Vec<i64> = ops.iter().map(|&o| rng.value(o)).collect();
            t[pos] = v;
            out.push(t.clone());
            // And with the other operands zero (cr0, r0, target 0 variants).
            let mut z: Vec<i64> = ops.iter().map(|&o| zero_of(o)).collect();
            z[pos] = v;
            out.push(z);
        }
    }
    out.extend(
        targeted(def.mnemonic)
            .into_iter()
            .filter(|t| t.len() == ops.len()),
    );
    out
}

fn main() {
    let mut seen = BTreeSet::new();
    let mut out = String::new();
    for (row, def) in all().iter().enumerate() {
        let has_rc = def.flags & (RC | RC21) != 0;
        let has_oe = def.flags & OE != 0;
        for (i, t) in tuples(def).iter().enumerate() {
            // Cycle the record/overflow bits over the tuples.
            let rc = has_rc && i % 2 == 1;
            let oe = has_oe && i % 4 >= 2;
            let Ok(e) = encode_def(def, t, rc, oe) else {
                continue;
            };
            let w = words_text(e.prefix, e.word);
            if seen.insert(w.clone()) {
                let _ = writeln!(out, "{row}\t{}\t{w}", def.mnemonic);
            }
        }
    }
    print!("{out}");
}
