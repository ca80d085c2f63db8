//! Prefixed-only semantics: `pnop` (Power ISA 3.1 Book I §3.3.20).

use super::{Ctx, ExecResult};
use crate::isa::table::Prefixed;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: Prefixed, i: Insn) -> ExecResult {
    let _ = &cx;
    match op {
        Prefixed::Pnop => pnop(i),
    }
}

/// pnop: a no-op, except that the suffix must not be a branch or a
/// context-altering instruction (QEMU insn64.decode lists these as INVALID).
fn pnop(i: Insn) -> ExecResult {
    let w = i.word;
    let po = w >> 26;
    let xo = (w >> 1) & 0x3ff;
    let invalid = match po {
        16 | 18 => true,                                                      // bc, b
        17 => w & 2 != 0 || w & 3 == 1,                                       // sc, scv
        19 => matches!(xo, 16 | 528 | 560 | 146 | 82 | 18 | 274 | 306 | 370), // bclr, bcctr, bctar, rfebb, rfscv, rfid, hrfid, urfid, stop
        31 => (xo == 146 || xo == 178) && w & (1 << 16) == 0,                 // mtmsr[d] with L=0
        0 => xo == 256,                                                       // attn
        _ => false,
    };
    if invalid {
        Err(Ctx::illegal(i))
    } else {
        Ok(())
    }
}
