//! Fixed-point semantics: arithmetic with XER CA/OV/OV32/CA32/SO and record forms,
//! compare, logical, rotate/shift, count, bit-permute (Power ISA 3.1 Book I §3.3).

use super::{Ctx, ExecResult};
use crate::isa::table::Fixed;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: Fixed, i: Insn) -> ExecResult {
    use Fixed::*;
    match op {
        Add => add(cx, i),
        Addi => addi(cx, i),
        _ => Err(Ctx::unimplemented(i)),
    }
}

/// Sets OV/OV32 (and SO) for an OE=1 form. `ov64`/`ov32`: signed overflow of the
/// 64-bit and low 32-bit results. OV32 exists from ISA 3.0.
#[inline(always)]
fn set_ov(cx: &mut Ctx, ov64: bool, ov32: bool) {
    cx.s.xer_ov = ov64 as u8;
    if cx.isa300() {
        cx.s.xer_ov32 = ov32 as u8;
    }
    cx.s.xer_so |= ov64 as u8;
}

/// Finishes an XO-form result: OV (if OE), then CR0 (if Rc) — CR0.SO must see the
/// updated SO.
#[inline(always)]
fn finish_xo(cx: &mut Ctx, i: Insn, rt: usize, v: u64, ov64: bool, ov32: bool) -> ExecResult {
    cx.s.gpr[rt] = v;
    if i.oe() {
        set_ov(cx, ov64, ov32);
    }
    if i.rc() {
        cx.set_cr0(v);
    }
    Ok(())
}

fn add(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (cx.s.gpr[i.ra()], cx.s.gpr[i.rb()]);
    let r = a.wrapping_add(b);
    let ov64 = ((a ^ r) & (b ^ r)) >> 63 != 0;
    let ov32 = ((a ^ r) & (b ^ r)) >> 31 & 1 != 0;
    finish_xo(cx, i, i.rt(), r, ov64, ov32)
}

fn addi(cx: &mut Ctx, i: Insn) -> ExecResult {
    cx.s.gpr[i.rt()] = cx.ea_ra0(i.ra(), i.si());
    Ok(())
}
