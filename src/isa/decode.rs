//! The decoder, derived from the table.
//!
//! Word instructions are decoded with one load from a flat 2^17-entry index keyed by
//! the primary opcode and bits 21-31 (the scheme RPCS3 uses), which yields a short
//! list of candidate rows, most specific mask first; the first whose full mask
//! matches wins. Prefixed (8-byte) instructions are matched against the prefixed
//! rows. Anything else decodes to [`Op::Illegal`] — invalid is a value, not an error.

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
    /// Length in bytes (4 or 8).
    #[inline]
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

struct Index {
    /// Per key: start (upper 24 bits) and count (lower 8 bits) into `cands`.
    slots: Vec<u32>,
    cands: Vec<u16>,
    /// Prefixed rows, most specific first.
    prefixed: Vec<u16>,
}

const KEY_MASK: u32 = 0xfc00_07ff;

#[inline(always)]
fn key(w: u32) -> usize {
    (((w >> 26) << 11) | (w & 0x7ff)) as usize
}

fn specificity(d: &InsnDef) -> u32 {
    d.match_mask().count_ones() + d.prefix.map_or(0, |p| p.1.count_ones())
}

fn build() -> Index {
    let rows = all();
    let mut lists: Vec<Vec<u16>> = vec![Vec::new(); 1 << 17];
    let mut prefixed = Vec::new();
    for (i, d) in rows.iter().enumerate() {
        if d.prefix.is_some() {
            prefixed.push(i as u16);
            continue;
        }
        let mm = d.match_mask() & KEY_MASK;
        let base = d.opcode & mm;
        // Enumerate the free key bits (those of the 17 key bits the row leaves open).
        let free: Vec<u32> = (0..32)
            .filter(|b| KEY_MASK & (1 << b) != 0 && mm & (1 << b) == 0)
            .collect();
        for combo in 0u32..(1 << free.len()) {
            let mut w = base;
            for (j, b) in free.iter().enumerate() {
                if combo & (1 << j) != 0 {
                    w |= 1 << b;
                }
            }
            lists[key(w)].push(i as u16);
        }
    }
    let by_spec = |a: &u16, b: &u16| {
        specificity(rows[*b as usize])
            .cmp(&specificity(rows[*a as usize]))
            .then(a.cmp(b))
    };
    prefixed.sort_by(by_spec);
    let mut slots = vec![0u32; 1 << 17];
    let mut cands = Vec::new();
    for (k, mut l) in lists.into_iter().enumerate() {
        l.sort_by(by_spec);
        let n = l.len().min(255);
        slots[k] = ((cands.len() as u32) << 8) | n as u32;
        cands.extend_from_slice(&l[..n]);
    }
    Index {
        slots,
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
    let slot = idx.slots[key(word)];
    let start = (slot >> 8) as usize;
    let n = (slot & 0xff) as usize;
    let rows = all();
    for &r in &idx.cands[start..start + n] {
        let d = rows[r as usize];
        if word & d.match_mask() == d.opcode & d.match_mask() {
            return Insn {
                op: d.op,
                row: r,
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
    let rows = all();
    for &r in &index().prefixed {
        let d = rows[r as usize];
        let (po, pm) = d.prefix.unwrap_or((0, 0));
        let mm = d.match_mask();
        if first & pm == po && suffix & mm == d.opcode & mm {
            return Insn {
                op: d.op,
                row: r,
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
