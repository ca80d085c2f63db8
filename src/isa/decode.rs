//! The decoder, derived from the table.
//!
//! Word instructions are decoded with one lookup in a flat 2^17-entry index keyed by
//! the primary opcode and bits 21-31 (the scheme RPCS3 uses), which yields a short
//! list of candidates, most specific mask first; the first whose full mask matches
//! wins. Candidates carry their opcode, mask and [`Op`] inline, so the hot path
//! touches two small arrays and never the rows themselves. Prefixed (8-byte)
//! instructions are matched against the prefixed rows bucketed by the suffix's
//! primary opcode. Anything else decodes to [`Op::Illegal`] — invalid is a value,
//! not an error.
//!
//! The definition the index implements (checked against a linear scan of the
//! table by `tests/isa_laws.rs`): a word decodes to the matching row with the most
//! fixed bits; no match is illegal.

use super::form::PO_MASK;
use super::operand::{bits, Operand};
use super::table::{all, Op};
use super::InsnDef;
use std::sync::OnceLock;

/// Row id meaning "no row" (illegal instruction).
pub const NO_ROW: u16 = u16::MAX;

/// A decoded instruction: the row it matched and its raw word(s).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Insn {
    /// Which instruction ([`Op::Illegal`] if none).
    pub op: Op,
    /// Index of the row in [`super::table::all`], or [`NO_ROW`].
    pub row: u16,
    /// The instruction word (the suffix for prefixed instructions).
    pub word: u32,
    /// The prefix word of an 8-byte instruction, 0 otherwise.
    pub prefix: u32,
}

impl Insn {
    /// The table row, if legal.
    #[inline]
    pub fn def(&self) -> Option<&'static InsnDef> {
        all().get(self.row as usize).copied()
    }
    /// Whether this is an 8-byte prefixed instruction.
    #[inline]
    pub fn is_prefixed(&self) -> bool {
        (self.prefix >> 26) == 1
    }
    /// Length in bytes (4 or 8). (An instruction is never empty.)
    #[inline]
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> u64 {
        if self.is_prefixed() {
            8
        } else {
            4
        }
    }
    /// Extracts an operand field.
    #[inline(always)]
    pub fn get(&self, o: Operand) -> i64 {
        o.get(self.prefix, self.word)
    }
    /// Bits `[first, last]` of the word (ISA numbering).
    #[inline(always)]
    pub fn bits(&self, first: u32, last: u32) -> u32 {
        bits(self.word, first, last)
    }
    /// RT / RS / FRT / VRT / BO / BT field (bits 6-10).
    #[inline(always)]
    pub fn rt(&self) -> usize {
        bits(self.word, 6, 10) as usize
    }
    /// Same field as [`Insn::rt`], named for stores.
    #[inline(always)]
    pub fn rs(&self) -> usize {
        self.rt()
    }
    /// RA field (bits 11-15).
    #[inline(always)]
    pub fn ra(&self) -> usize {
        bits(self.word, 11, 15) as usize
    }
    /// RB field (bits 16-20).
    #[inline(always)]
    pub fn rb(&self) -> usize {
        bits(self.word, 16, 20) as usize
    }
    /// RC/FRC/VRC field (bits 21-25).
    #[inline(always)]
    pub fn rc_field(&self) -> usize {
        bits(self.word, 21, 25) as usize
    }
    /// Rc bit (bit 31): record form.
    #[inline(always)]
    pub fn rc(&self) -> bool {
        self.word & 1 != 0
    }
    /// OE bit (bit 21).
    #[inline(always)]
    pub fn oe(&self) -> bool {
        self.word & (1 << 10) != 0
    }
    /// Signed 16-bit immediate (D form SI/D).
    #[inline(always)]
    pub fn si(&self) -> i64 {
        self.word as u16 as i16 as i64
    }
    /// Unsigned 16-bit immediate.
    #[inline(always)]
    pub fn ui(&self) -> u64 {
        self.word as u16 as u64
    }
    /// DS-form displacement (sign-extended, low 2 bits zero).
    #[inline(always)]
    pub fn ds(&self) -> i64 {
        (self.word & 0xfffc) as u16 as i16 as i64
    }
    /// DQ-form displacement.
    #[inline(always)]
    pub fn dq(&self) -> i64 {
        (self.word & 0xfff0) as u16 as i16 as i64
    }
    /// 34-bit displacement / immediate of a prefixed instruction.
    #[inline(always)]
    pub fn d34(&self) -> i64 {
        Operand::D34.get(self.prefix, self.word)
    }
    /// R bit of a prefixed instruction (PC-relative addressing).
    #[inline(always)]
    pub fn r_bit(&self) -> bool {
        self.prefix & (1 << 20) != 0
    }
}

/// One candidate row in the index: everything the match needs, inline (no
/// pointer chase to the row on the hot path).
#[derive(Clone, Copy)]
struct Cand {
    opcode: u32,
    mask: u32,
    row: u16,
    op: Op,
}

/// A prefixed candidate: prefix and suffix (opcode, mask).
#[derive(Clone, Copy)]
struct PCand {
    popcode: u32,
    pmask: u32,
    opcode: u32,
    mask: u32,
    row: u16,
    op: Op,
}

struct Index {
    /// CSR layout: the candidates of key `k` are `cands[start[k]..start[k + 1]]`,
    /// most specific mask first.
    start: Vec<u32>,
    cands: Vec<Cand>,
    /// Prefixed rows by the suffix's primary opcode, most specific first.
    prefixed: Vec<Vec<PCand>>,
}

/// The key bits: primary opcode (bits 0-5) and bits 21-31, which hold the
/// extended opcode of every form (X, XO, XL, VX, VA, XX*, MD, DS, ...).
const KEY_MASK: u32 = 0xfc00_07ff;
const KEYS: usize = 1 << 17;

#[inline(always)]
fn key(w: u32) -> usize {
    (((w >> 26) << 11) | (w & 0x7ff)) as usize
}

/// Rows with more fixed bits win over rows with fewer (an instruction with a
/// sub-opcode in an operand field before its general form).
fn specificity(d: &InsnDef) -> u32 {
    d.match_mask().count_ones() + d.prefix.map_or(0, |p| p.1.count_ones())
}

fn build() -> Index {
    let rows = all();
    let mut prefixed: Vec<Vec<u16>> = vec![Vec::new(); 64];
    // The keys a non-prefixed row falls under: its fixed key bits, every
    // combination of the key bits it leaves open.
    let keys_of = |d: &InsnDef, f: &mut dyn FnMut(usize)| {
        let mm = d.match_mask() & KEY_MASK;
        let base = d.opcode & mm;
        let free = KEY_MASK & !mm;
        // Every subset of `free`, in increasing order: sub = (sub - free) & free.
        let mut sub = 0u32;
        loop {
            f(key(base | sub));
            sub = sub.wrapping_sub(free) & free;
            if sub == 0 {
                break;
            }
        }
    };
    // CSR in two passes (counts, then fill): no per-key vector — start-up
    // time matters to short runs (one `run` of a small guest builds this).
    let mut start = vec![0u32; KEYS + 1];
    for d in rows.iter().filter(|d| d.prefix.is_none()) {
        keys_of(d, &mut |k| start[k + 1] += 1);
    }
    for k in 0..KEYS {
        start[k + 1] += start[k];
    }
    let mut fill: Vec<u32> = start[..KEYS].to_vec();
    let mut order = vec![0u16; start[KEYS] as usize];
    for (i, d) in rows.iter().enumerate() {
        if d.prefix.is_some() {
            // A row that leaves the suffix's primary opcode open (none today)
            // goes into every bucket.
            let mm = d.match_mask();
            for po in 0..64u32 {
                if (po << 26) & mm == d.opcode & mm & PO_MASK {
                    prefixed[po as usize].push(i as u16);
                }
            }
            continue;
        }
        keys_of(d, &mut |k| {
            order[fill[k] as usize] = i as u16;
            fill[k] += 1;
        });
    }
    let by_spec = |a: &u16, b: &u16| {
        specificity(rows[*b as usize])
            .cmp(&specificity(rows[*a as usize]))
            .then(a.cmp(b))
    };
    let cand = |r: u16| {
        let d = rows[r as usize];
        Cand {
            opcode: d.opcode & d.match_mask(),
            mask: d.match_mask(),
            row: r,
            op: d.op,
        }
    };
    for k in 0..KEYS {
        let l = &mut order[start[k] as usize..start[k + 1] as usize];
        if l.len() > 1 {
            l.sort_by(by_spec);
        }
    }
    let cands: Vec<Cand> = order.iter().map(|&r| cand(r)).collect();
    let prefixed = prefixed
        .into_iter()
        .map(|mut l| {
            l.sort_by(by_spec);
            l.into_iter()
                .map(|r| {
                    let d = rows[r as usize];
                    let (po, pm) = d.prefix.unwrap_or((0, 0));
                    PCand {
                        popcode: po & pm,
                        pmask: pm,
                        opcode: d.opcode & d.match_mask(),
                        mask: d.match_mask(),
                        row: r,
                        op: d.op,
                    }
                })
                .collect()
        })
        .collect();
    Index {
        start,
        cands,
        prefixed,
    }
}

fn index() -> &'static Index {
    static IDX: OnceLock<Index> = OnceLock::new();
    IDX.get_or_init(build)
}

const ILLEGAL: Op = Op::Illegal;

/// Decodes a 4-byte instruction word. A prefix word (primary opcode 1) on its own
/// decodes to [`Op::Illegal`]; use [`decode_at`] to decode 8-byte instructions.
#[inline]
pub fn decode(word: u32) -> Insn {
    let idx = index();
    let k = key(word);
    // `start` has KEYS + 1 entries and k < KEYS: both indexes are in bounds.
    let (lo, hi) = (idx.start[k] as usize, idx.start[k + 1] as usize);
    for c in &idx.cands[lo..hi] {
        if word & c.mask == c.opcode {
            return Insn {
                op: c.op,
                row: c.row,
                word,
                prefix: 0,
            };
        }
    }
    Insn {
        op: ILLEGAL,
        row: NO_ROW,
        word,
        prefix: 0,
    }
}

/// Decodes the instruction starting with `first`; `second` is the following word
/// (needed only when `first` is a prefix). A prefix without a valid suffix is
/// illegal (the whole 8 bytes), as is a missing second word.
#[inline]
pub fn decode_at(first: u32, second: Option<u32>) -> Insn {
    if first >> 26 != 1 {
        return decode(first);
    }
    let Some(suffix) = second else {
        return Insn {
            op: ILLEGAL,
            row: NO_ROW,
            word: 0,
            prefix: first,
        };
    };
    let bucket = &index().prefixed[(suffix >> 26) as usize];
    for c in bucket {
        if first & c.pmask == c.popcode && suffix & c.mask == c.opcode {
            return Insn {
                op: c.op,
                row: c.row,
                word: suffix,
                prefix: first,
            };
        }
    }
    Insn {
        op: ILLEGAL,
        row: NO_ROW,
        word: suffix,
        prefix: first,
    }
}

/// What a processor implementing only `level` executes for an instruction that
/// a later ISA defined inside the reserved fields of an older one.
///
/// The ISA 3.0 `mffs` variants (`mffsce`, `mffsl`, `mffscrn`, `mffscrni`,
/// `mffscdrn[i]`) use bits 11-20 of `mffs`, which were reserved before: earlier
/// processors ignore them and execute `mffs` (Power ISA 3.0B Book I §4.6.10,
/// and glibc's libm relies on it on POWER8). QEMU 7.2 gets this wrong (SIGILL).
pub fn older_form(insn: &Insn, level: super::IsaLevel) -> Option<Insn> {
    let d = insn.def()?;
    if d.level <= level || insn.is_prefixed() {
        return None;
    }
    const MFFS_FAMILY: u32 = 0xfc00_048e; // PO 63, XO 583
    if insn.word & 0xfc00_07fe == MFFS_FAMILY {
        // mffs FRT (Rc=0): bits 11-20 cleared.
        let w = insn.word & !0x001f_f801;
        let old = decode(w);
        return old.def().filter(|o| o.level <= level).map(|_| old);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isa::encode::asm;

    fn mnemonic(i: &Insn) -> &'static str {
        i.def().map_or("(illegal)", |d| d.mnemonic)
    }

    // Encodings from the ISA (checked with GNU as 2.40, -mpower10).
    #[test]
    fn add_decodes_with_its_register_fields() {
        let i = decode(0x7c64_2a14); // add r3,r4,r5
        assert_eq!(mnemonic(&i), "add");
        assert_eq!((i.rt(), i.ra(), i.rb()), (3, 4, 5));
        assert!(!i.rc() && !i.oe());
        assert_eq!(i.len(), 4);
    }

    #[test]
    fn record_and_overflow_forms_decode_to_the_same_row() {
        let plain = decode(0x7c64_2a14);
        let dot_o = decode(0x7c64_2e15); // addo. r3,r4,r5
        assert_eq!(plain.row, dot_o.row);
        assert!(dot_o.rc() && dot_o.oe());
    }

    #[test]
    fn d_and_ds_form_immediates_are_sign_extended() {
        let i = decode(0x3861_fff0); // addi r3,r1,-16
        assert_eq!((mnemonic(&i), i.si(), i.ra()), ("addi", -16, 1));
        let i = decode(0xe881_fff8); // ld r4,-8(r1)
        assert_eq!((mnemonic(&i), i.ds()), ("ld", -8));
        let i = decode(0xf821_ffe1); // stdu r1,-32(r1)
        assert_eq!((mnemonic(&i), i.ds()), ("stdu", -32));
    }

    #[test]
    fn dq_form_displacement_and_split_register_field() {
        let i = decode(0xf443_0029); // lxv vs34,32(r3)
        assert_eq!(mnemonic(&i), "lxv");
        assert_eq!(i.dq(), 32);
        assert_eq!(i.get(Operand::XtDq), 34);
    }

    #[test]
    fn prefixed_load_decodes_both_words() {
        let i = decode_at(0x0410_0000, Some(0xe460_0008)); // pld r3,8 (R=1)
        assert_eq!(mnemonic(&i), "pld");
        assert!(i.is_prefixed() && i.r_bit());
        assert_eq!((i.len(), i.d34(), i.rt()), (8, 8, 3));
        let i = decode_at(0x0603_fffe, Some(0x38a6_ee90)); // paddi r5,r6,-70000
        assert_eq!((mnemonic(&i), i.d34(), i.ra()), ("paddi", -70000, 6));
    }

    #[test]
    fn a_prefix_alone_or_with_a_bad_suffix_is_illegal() {
        assert_eq!(decode(0x0410_0000).op, Op::Illegal);
        assert_eq!(decode_at(0x0410_0000, None).op, Op::Illegal);
        // A prefix followed by another prefix word.
        let i = decode_at(0x0410_0000, Some(0x0410_0000));
        assert_eq!((i.op, i.row), (Op::Illegal, NO_ROW));
        assert!(i.is_prefixed());
    }

    #[test]
    fn non_prefix_words_ignore_the_second_word() {
        assert_eq!(
            decode_at(0x7c64_2a14, Some(0xffff_ffff)),
            decode(0x7c64_2a14)
        );
    }

    #[test]
    fn primary_opcode_zero_is_illegal() {
        for w in [0, 0x0000_0200, 0x03ff_ffff] {
            assert_eq!(decode(w).op, Op::Illegal, "{w:08x}");
            assert!(decode(w).def().is_none());
        }
    }

    #[test]
    fn the_encoder_and_decoder_agree_on_a_few_mnemonics() {
        for (m, ops) in [
            ("addo.", &[3i64, 4, 5][..]),
            ("rldicl", &[3, 4, 0, 32]),
            ("xxpermdi", &[1, 2, 3, 2]),
        ] {
            let e = asm(m, ops).unwrap();
            let i = decode_at(e.prefix.unwrap_or(e.word), e.prefix.map(|_| e.word));
            assert_eq!(mnemonic(&i), m.trim_end_matches(['.', 'o']));
        }
    }
}
