//! Fixed-point semantics: arithmetic with XER CA/OV/OV32/CA32/SO and record forms,
//! compare, logical, rotate/shift, count, bit-permute, traps (Power ISA 3.1 Book I
//! §3.3.9-3.3.17).
//!
//! Where the ISA leaves a result undefined (divide by zero, signed overflow of a
//! divide, `mulhw` high word), the value QEMU produces is used, since QEMU is the
//! oracle the corpus is checked against:
//! - `divw[u]`/`divd[u]` (target/ppc/translate.c `gen_op_arith_div[wd]`): the
//!   divisor is replaced by 1 in the undefined cases, so RT = the dividend
//!   (32-bit forms: its low word, zero-extended); OV = OV32 = "undefined case".
//! - `divwe[u]`/`divde[u]` (int_helper.c `helper_div*e*`): RT = 0 on overflow.
//! - `mod*` (`gen_op_arith_mod[wd]`): RT = 0 in the undefined cases.
//! - `mulhw[u]`/`divw[u]`: the 32-bit result is zero-extended into RT, and CR0 is
//!   set from the 64-bit register value.
//!
//! OV32/CA32 exist from ISA 3.0 only: on older levels they are never written
//! (QEMU `is_isa300()`).

use super::{Ctx, Exc, ExecResult};
use crate::exec::env::EntropyUse;
use crate::exec::FaultKind;
use crate::isa::table::Fixed;
use crate::isa::{Insn, Operand};

// Inlined into the per-row handlers (interp/mod.rs), where `op` is a
// constant and the match folds to one arm.
#[inline(always)]
pub(super) fn exec(cx: &mut Ctx, op: Fixed, i: Insn) -> ExecResult {
    use Fixed::*;
    match op {
        Add => add(cx, i),
        Addc => addc(cx, i),
        Adde => adde(cx, i),
        Addme => addme(cx, i),
        Addze => addze(cx, i),
        Subf => subf(cx, i),
        Subfc => subfc(cx, i),
        Subfe => subfe(cx, i),
        Subfme => subfme(cx, i),
        Subfze => subfze(cx, i),
        Neg => neg(cx, i),
        Addi => addi(cx, i),
        Addis => addis(cx, i),
        Addic => addic(cx, i, false),
        AddicRc => addic(cx, i, true),
        Subfic => subfic(cx, i),
        Addex => addex(cx, i),
        Addpcis => addpcis(cx, i),
        Paddi => paddi(cx, i),
        Mulli => mulli(cx, i),
        Mulld => mulld(cx, i),
        Mullw => mullw(cx, i),
        Mulhd => mulhd(cx, i),
        Mulhdu => mulhdu(cx, i),
        Mulhw => mulhw(cx, i),
        Mulhwu => mulhwu(cx, i),
        Divd => divd(cx, i),
        Divdu => divdu(cx, i),
        Divw => divw(cx, i),
        Divwu => divwu(cx, i),
        Divde => divde(cx, i),
        Divdeu => divdeu(cx, i),
        Divwe => divwe(cx, i),
        Divweu => divweu(cx, i),
        Modsd => modsd(cx, i),
        Modud => modud(cx, i),
        Modsw => modsw(cx, i),
        Moduw => moduw(cx, i),
        Maddld => maddld(cx, i),
        Maddhd => maddhd(cx, i),
        Maddhdu => maddhdu(cx, i),
        Cmp => cmp(cx, i),
        Cmpl => cmpl(cx, i),
        Cmpi => cmpi(cx, i),
        Cmpli => cmpli(cx, i),
        Cmpb => cmpb(cx, i),
        Cmprb => cmprb(cx, i),
        Cmpeqb => cmpeqb(cx, i),
        Setb => setb(cx, i),
        Setbc => setbc(cx, i, 1, 0),
        Setbcr => setbc(cx, i, 0, 1),
        Setnbc => setbc(cx, i, u64::MAX, 0),
        Setnbcr => setbc(cx, i, 0, u64::MAX),
        And => logical(cx, i, |s, b| s & b),
        Or => or(cx, i),
        Xor => logical(cx, i, |s, b| s ^ b),
        Nand => logical(cx, i, |s, b| !(s & b)),
        Nor => logical(cx, i, |s, b| !(s | b)),
        Eqv => logical(cx, i, |s, b| !(s ^ b)),
        Andc => logical(cx, i, |s, b| s & !b),
        Orc => logical(cx, i, |s, b| s | !b),
        AndiRc => andi_rc(cx, i, i.ui()),
        AndisRc => andi_rc(cx, i, i.ui() << 16),
        Ori => logical_imm(cx, i, |s, u| s | u),
        Oris => logical_imm(cx, i, |s, u| s | (u << 16)),
        Xori => logical_imm(cx, i, |s, u| s ^ u),
        Xoris => logical_imm(cx, i, |s, u| s ^ (u << 16)),
        Extsb => unary_rc(cx, i, |s| s as i8 as u64),
        Extsh => unary_rc(cx, i, |s| s as i16 as u64),
        Extsw => unary_rc(cx, i, |s| s as i32 as u64),
        Cntlzw => unary_rc(cx, i, |s| (s as u32).leading_zeros() as u64),
        Cntlzd => unary_rc(cx, i, |s| s.leading_zeros() as u64),
        Cnttzw => unary_rc(cx, i, |s| (s as u32).trailing_zeros() as u64),
        Cnttzd => unary_rc(cx, i, |s| s.trailing_zeros() as u64),
        Popcntb => unary(cx, i, popcntb),
        Popcntw => unary(cx, i, popcntw),
        Popcntd => unary(cx, i, |s| s.count_ones() as u64),
        Prtyw => unary(cx, i, prtyw),
        Prtyd => unary(cx, i, prtyd),
        Bpermd => binary(cx, i, bpermd),
        Isel => isel(cx, i),
        Brh => unary(cx, i, brh),
        Brw => unary(cx, i, brw),
        Brd => unary(cx, i, u64::swap_bytes),
        Pdepd => binary(cx, i, pdep),
        Pextd => binary(cx, i, pext),
        Cfuged => binary(cx, i, cfuged),
        Cntlzdm => binary(cx, i, cntlzdm),
        Cnttzdm => binary(cx, i, cnttzdm),
        Rlwinm => rlwinm(cx, i),
        Rlwimi => rlwimi(cx, i),
        Rlwnm => rlwnm(cx, i),
        Rldicl => rldicl(cx, i),
        Rldicr => rldicr(cx, i),
        Rldic => rldic(cx, i),
        Rldimi => rldimi(cx, i),
        Rldcl => rldcl(cx, i),
        Rldcr => rldcr(cx, i),
        Slw => slw(cx, i),
        Srw => srw(cx, i),
        Sraw => sraw(cx, i),
        Srawi => srawi(cx, i),
        Sld => sld(cx, i),
        Srd => srd(cx, i),
        Srad => srad(cx, i),
        Sradi => sradi(cx, i),
        Extswsli => extswsli(cx, i),
        Darn => darn(cx, i),
        Mcrxrx => mcrxrx(cx, i),
        Tw => tw(cx, i),
        Td => td(cx, i),
        Twi => twi(cx, i),
        Tdi => tdi(cx, i),
    }
}

// ---------------------------------------------------------------------------
// XER / CR0 helpers
// ---------------------------------------------------------------------------

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

/// Sets CA (and CA32 from ISA 3.0).
#[inline(always)]
fn set_ca(cx: &mut Ctx, ca: bool, ca32: bool) {
    cx.s.xer_ca = ca as u8;
    if cx.isa300() {
        cx.s.xer_ca32 = ca32 as u8;
    }
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

/// Writes RA and, for a record form, CR0.
#[inline(always)]
fn write_ra_rc(cx: &mut Ctx, i: Insn, v: u64) -> ExecResult {
    cx.s.gpr[i.ra()] = v;
    if i.rc() {
        cx.set_cr0(v);
    }
    Ok(())
}

/// x + y + c: (result, CA, CA32, OV, OV32). CA32 is the carry out of bit 32
/// (ISA numbering), OV/OV32 the signed overflow of the 64/32-bit sum.
#[inline(always)]
fn add3(x: u64, y: u64, c: u64) -> (u64, bool, bool, bool, bool) {
    let s = x as u128 + y as u128 + c as u128;
    let r = s as u64;
    let ca = (s >> 64) != 0;
    let ca32 = ((x as u32 as u64 + y as u32 as u64 + c) >> 32) != 0;
    let o = (x ^ r) & (y ^ r);
    (r, ca, ca32, o >> 63 != 0, (o >> 31) & 1 != 0)
}

#[inline(always)]
fn ra(cx: &Ctx, i: Insn) -> u64 {
    cx.s.gpr[i.ra()]
}
#[inline(always)]
fn rb(cx: &Ctx, i: Insn) -> u64 {
    cx.s.gpr[i.rb()]
}
#[inline(always)]
fn rs(cx: &Ctx, i: Insn) -> u64 {
    cx.s.gpr[i.rs()]
}

// ---------------------------------------------------------------------------
// add / subtract
// ---------------------------------------------------------------------------

/// Add family with carry-in `c`; `carry` says whether CA/CA32 are written.
#[inline(always)]
fn add_xo(cx: &mut Ctx, i: Insn, x: u64, y: u64, c: u64, carry: bool) -> ExecResult {
    let (r, ca, ca32, ov, ov32) = add3(x, y, c);
    if carry {
        set_ca(cx, ca, ca32);
    }
    finish_xo(cx, i, i.rt(), r, ov, ov32)
}

fn add(cx: &mut Ctx, i: Insn) -> ExecResult {
    add_xo(cx, i, ra(cx, i), rb(cx, i), 0, false)
}
fn addc(cx: &mut Ctx, i: Insn) -> ExecResult {
    add_xo(cx, i, ra(cx, i), rb(cx, i), 0, true)
}
fn adde(cx: &mut Ctx, i: Insn) -> ExecResult {
    let c = cx.s.xer_ca as u64;
    add_xo(cx, i, ra(cx, i), rb(cx, i), c, true)
}
fn addme(cx: &mut Ctx, i: Insn) -> ExecResult {
    let c = cx.s.xer_ca as u64;
    add_xo(cx, i, ra(cx, i), u64::MAX, c, true)
}
fn addze(cx: &mut Ctx, i: Insn) -> ExecResult {
    let c = cx.s.xer_ca as u64;
    add_xo(cx, i, ra(cx, i), 0, c, true)
}
/// subf: RT = ~RA + RB + 1.
fn subf(cx: &mut Ctx, i: Insn) -> ExecResult {
    add_xo(cx, i, !ra(cx, i), rb(cx, i), 1, false)
}
fn subfc(cx: &mut Ctx, i: Insn) -> ExecResult {
    add_xo(cx, i, !ra(cx, i), rb(cx, i), 1, true)
}
fn subfe(cx: &mut Ctx, i: Insn) -> ExecResult {
    let c = cx.s.xer_ca as u64;
    add_xo(cx, i, !ra(cx, i), rb(cx, i), c, true)
}
fn subfme(cx: &mut Ctx, i: Insn) -> ExecResult {
    let c = cx.s.xer_ca as u64;
    add_xo(cx, i, !ra(cx, i), u64::MAX, c, true)
}
fn subfze(cx: &mut Ctx, i: Insn) -> ExecResult {
    let c = cx.s.xer_ca as u64;
    add_xo(cx, i, !ra(cx, i), 0, c, true)
}
/// neg: RT = ~RA + 1 (OV for 0x8000_0000_0000_0000, OV32 for a low word of
/// 0x8000_0000).
fn neg(cx: &mut Ctx, i: Insn) -> ExecResult {
    add_xo(cx, i, !ra(cx, i), 0, 1, false)
}

#[inline(always)]
fn addi(cx: &mut Ctx, i: Insn) -> ExecResult {
    cx.s.gpr[i.rt()] = cx.ea_ra0(i.ra(), i.si());
    Ok(())
}
fn addis(cx: &mut Ctx, i: Insn) -> ExecResult {
    cx.s.gpr[i.rt()] = cx.ea_ra0(i.ra(), i.si() << 16);
    Ok(())
}
/// addic / addic.: CA (and CA32) always written; the record form sets CR0.
fn addic(cx: &mut Ctx, i: Insn, rc: bool) -> ExecResult {
    let (r, ca, ca32, _, _) = add3(ra(cx, i), i.si() as u64, 0);
    set_ca(cx, ca, ca32);
    cx.s.gpr[i.rt()] = r;
    if rc {
        cx.set_cr0(r);
    }
    Ok(())
}
fn subfic(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (r, ca, ca32, _, _) = add3(!ra(cx, i), i.si() as u64, 1);
    set_ca(cx, ca, ca32);
    cx.s.gpr[i.rt()] = r;
    Ok(())
}
/// addex (CY=0): OV is the carry in and out, OV32 the 32-bit carry out; SO is
/// not touched (ISA 3.0 §3.3.9; QEMU `gen_addex` passes OV/OV32 as CA/CA32).
fn addex(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (r, ca, ca32, _, _) = add3(ra(cx, i), rb(cx, i), cx.s.xer_ov as u64);
    cx.s.xer_ov = ca as u8;
    cx.s.xer_ov32 = ca32 as u8;
    cx.s.gpr[i.rt()] = r;
    Ok(())
}
/// addpcis: RT = NIA + (D << 16).
fn addpcis(cx: &mut Ctx, i: Insn) -> ExecResult {
    let d = i.get(Operand::Dx);
    cx.s.gpr[i.rt()] = cx.pc.wrapping_add(4).wrapping_add((d << 16) as u64);
    Ok(())
}
/// paddi: R=0: RT = (RA|0) + SI; R=1: RT = CIA + SI, and RA must be 0
/// (otherwise an invalid form: QEMU `resolve_PLS_D` raises SIGILL).
fn paddi(cx: &mut Ctx, i: Insn) -> ExecResult {
    let si = i.d34();
    let v = if i.r_bit() {
        if i.ra() != 0 {
            return Err(Ctx::illegal(i));
        }
        cx.pc.wrapping_add(si as u64)
    } else {
        cx.ea_ra0(i.ra(), si)
    };
    cx.s.gpr[i.rt()] = v;
    Ok(())
}

// ---------------------------------------------------------------------------
// multiply / divide
// ---------------------------------------------------------------------------

fn mulli(cx: &mut Ctx, i: Insn) -> ExecResult {
    cx.s.gpr[i.rt()] = ra(cx, i).wrapping_mul(i.si() as u64);
    Ok(())
}
/// mulld[o]: OV = OV32 = the signed 128-bit product does not fit 64 bits
/// (QEMU `gen_mulldo` copies OV to OV32).
fn mulld(cx: &mut Ctx, i: Insn) -> ExecResult {
    let p = (ra(cx, i) as i64 as i128) * (rb(cx, i) as i64 as i128);
    let ov = p != p as i64 as i128;
    finish_xo(cx, i, i.rt(), p as u64, ov, ov)
}
/// mullw[o]: RT = the full 64-bit product of the signed low words; OV = OV32 =
/// the product does not fit 32 bits.
fn mullw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let p = (ra(cx, i) as i32 as i64) * (rb(cx, i) as i32 as i64);
    let ov = p != p as i32 as i64;
    finish_xo(cx, i, i.rt(), p as u64, ov, ov)
}
fn mulhd(cx: &mut Ctx, i: Insn) -> ExecResult {
    let p = (ra(cx, i) as i64 as i128) * (rb(cx, i) as i64 as i128);
    finish_xo(cx, i, i.rt(), (p >> 64) as u64, false, false)
}
fn mulhdu(cx: &mut Ctx, i: Insn) -> ExecResult {
    let p = (ra(cx, i) as u128) * (rb(cx, i) as u128);
    finish_xo(cx, i, i.rt(), (p >> 64) as u64, false, false)
}
fn mulhw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let p = (ra(cx, i) as i32 as i64) * (rb(cx, i) as i32 as i64);
    finish_xo(cx, i, i.rt(), (p >> 32) as u32 as u64, false, false)
}
fn mulhwu(cx: &mut Ctx, i: Insn) -> ExecResult {
    let p = (ra(cx, i) as u32 as u64) * (rb(cx, i) as u32 as u64);
    finish_xo(cx, i, i.rt(), p >> 32, false, false)
}
fn divd(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as i64, rb(cx, i) as i64);
    let undef = b == 0 || (a == i64::MIN && b == -1);
    let q = if undef { a } else { a / b };
    finish_xo(cx, i, i.rt(), q as u64, undef, undef)
}
fn divdu(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i), rb(cx, i));
    let undef = b == 0;
    let q = if undef { a } else { a / b };
    finish_xo(cx, i, i.rt(), q, undef, undef)
}
fn divw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as i32, rb(cx, i) as i32);
    let undef = b == 0 || (a == i32::MIN && b == -1);
    let q = if undef { a } else { a / b };
    finish_xo(cx, i, i.rt(), q as u32 as u64, undef, undef)
}
fn divwu(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as u32, rb(cx, i) as u32);
    let undef = b == 0;
    let q = if undef { a } else { a / b };
    finish_xo(cx, i, i.rt(), q as u64, undef, undef)
}
/// divde: (RA || 64 zero bits) / RB, signed. Overflow is decided as QEMU 7.2
/// does (int_helper.c `helper_divde`: RB = 0 or |RA| >= |RB|, then RT = 0);
/// otherwise RT is the low doubleword of the truncated quotient, even in the
/// rare cases where it does not fit (where the ISA result is undefined).
fn divde(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as i64, rb(cx, i) as i64);
    let ov = b == 0 || a.unsigned_abs() >= b.unsigned_abs();
    let v = if ov {
        0
    } else {
        ((a as i128) << 64).wrapping_div(b as i128) as u64
    };
    finish_xo(cx, i, i.rt(), v, ov, ov)
}
/// divdeu: (RA || 64 zero bits) / RB, unsigned; overflow iff RB = 0 or RA >= RB.
fn divdeu(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i), rb(cx, i));
    let ov = b == 0 || a >= b;
    let v = if ov {
        0
    } else {
        (((a as u128) << 64) / b as u128) as u64
    };
    finish_xo(cx, i, i.rt(), v, ov, ov)
}
/// divwe: (RA[32:63] || 32 zero bits) / EXTS(RB[32:63]); the 32-bit quotient is
/// sign-extended into RT (QEMU `helper_divwe` returns the int64 quotient).
fn divwe(cx: &mut Ctx, i: Insn) -> ExecResult {
    let a = ((ra(cx, i) as u32 as u64) << 32) as i64;
    let b = rb(cx, i) as i32 as i64;
    let (v, ov) = match a.checked_div(b) {
        Some(q) if q == q as i32 as i64 => (q as u64, false),
        _ => (0, true),
    };
    finish_xo(cx, i, i.rt(), v, ov, ov)
}
fn divweu(cx: &mut Ctx, i: Insn) -> ExecResult {
    let a = (ra(cx, i) as u32 as u64) << 32;
    let b = rb(cx, i) as u32 as u64;
    let (v, ov) = match a.checked_div(b) {
        Some(q) if q >> 32 == 0 => (q, false),
        _ => (0, true),
    };
    finish_xo(cx, i, i.rt(), v, ov, ov)
}
fn modsd(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as i64, rb(cx, i) as i64);
    cx.s.gpr[i.rt()] = a.checked_rem(b).unwrap_or(0) as u64;
    Ok(())
}
fn modud(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i), rb(cx, i));
    cx.s.gpr[i.rt()] = a.checked_rem(b).unwrap_or(0);
    Ok(())
}
/// modsw: the 32-bit remainder, sign-extended.
fn modsw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as i32, rb(cx, i) as i32);
    cx.s.gpr[i.rt()] = a.checked_rem(b).unwrap_or(0) as i64 as u64;
    Ok(())
}
fn moduw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as u32, rb(cx, i) as u32);
    cx.s.gpr[i.rt()] = a.checked_rem(b).unwrap_or(0) as u64;
    Ok(())
}
fn rc_reg(cx: &Ctx, i: Insn) -> u64 {
    cx.s.gpr[i.rc_field()]
}
fn maddld(cx: &mut Ctx, i: Insn) -> ExecResult {
    let v = ra(cx, i)
        .wrapping_mul(rb(cx, i))
        .wrapping_add(rc_reg(cx, i));
    cx.s.gpr[i.rt()] = v;
    Ok(())
}
fn maddhd(cx: &mut Ctx, i: Insn) -> ExecResult {
    let p = (ra(cx, i) as i64 as i128) * (rb(cx, i) as i64 as i128);
    let s = p.wrapping_add(rc_reg(cx, i) as i64 as i128);
    cx.s.gpr[i.rt()] = (s >> 64) as u64;
    Ok(())
}
fn maddhdu(cx: &mut Ctx, i: Insn) -> ExecResult {
    let p = (ra(cx, i) as u128) * (rb(cx, i) as u128);
    let s = p.wrapping_add(rc_reg(cx, i) as u128);
    cx.s.gpr[i.rt()] = (s >> 64) as u64;
    Ok(())
}

// ---------------------------------------------------------------------------
// compare / set
// ---------------------------------------------------------------------------

/// CR field value for a three-way comparison, with SO copied from XER.
#[inline(always)]
fn cmp_field(cx: &Ctx, o: std::cmp::Ordering) -> u32 {
    let c = match o {
        std::cmp::Ordering::Less => 8,
        std::cmp::Ordering::Greater => 4,
        std::cmp::Ordering::Equal => 2,
    };
    c | cx.s.xer_so as u32
}
#[inline(always)]
fn bf(i: Insn) -> usize {
    i.bits(6, 8) as usize
}
#[inline(always)]
fn l_bit(i: Insn) -> bool {
    i.bits(10, 10) != 0
}
fn cmp_signed(cx: &mut Ctx, i: Insn, a: u64, b: u64) -> ExecResult {
    let o = if l_bit(i) {
        (a as i64).cmp(&(b as i64))
    } else {
        (a as i32).cmp(&(b as i32))
    };
    let f = cmp_field(cx, o);
    cx.s.set_cr_field(bf(i), f);
    Ok(())
}
fn cmp_unsigned(cx: &mut Ctx, i: Insn, a: u64, b: u64) -> ExecResult {
    let o = if l_bit(i) {
        a.cmp(&b)
    } else {
        (a as u32).cmp(&(b as u32))
    };
    let f = cmp_field(cx, o);
    cx.s.set_cr_field(bf(i), f);
    Ok(())
}
fn cmp(cx: &mut Ctx, i: Insn) -> ExecResult {
    cmp_signed(cx, i, ra(cx, i), rb(cx, i))
}
fn cmpl(cx: &mut Ctx, i: Insn) -> ExecResult {
    cmp_unsigned(cx, i, ra(cx, i), rb(cx, i))
}
fn cmpi(cx: &mut Ctx, i: Insn) -> ExecResult {
    cmp_signed(cx, i, ra(cx, i), i.si() as u64)
}
fn cmpli(cx: &mut Ctx, i: Insn) -> ExecResult {
    cmp_unsigned(cx, i, ra(cx, i), i.ui())
}
/// cmpb: each byte of RA is 0xff where the bytes of RS and RB are equal.
fn cmpb(cx: &mut Ctx, i: Insn) -> ExecResult {
    let x = !(rs(cx, i) ^ rb(cx, i));
    let mut r = 0u64;
    for k in 0..8 {
        if (x >> (8 * k)) & 0xff == 0xff {
            r |= 0xff << (8 * k);
        }
    }
    cx.s.gpr[i.ra()] = r;
    Ok(())
}
/// cmprb: CR[BF].GT = RA's low byte lies in the range(s) given by RB's low
/// halfword (L=1: also in the next-higher halfword's range).
fn cmprb(cx: &mut Ctx, i: Insn) -> ExecResult {
    let x = ra(cx, i) as u8;
    let b = rb(cx, i);
    let in_range = |hw: u64| {
        let (lo, hi) = (hw as u8, (hw >> 8) as u8);
        lo <= x && x <= hi
    };
    let hit = in_range(b) || (l_bit(i) && in_range(b >> 16));
    cx.s.set_cr_field(bf(i), (hit as u32) << 2);
    Ok(())
}
/// cmpeqb: CR[BF].GT = some byte of RB equals RA's low byte.
fn cmpeqb(cx: &mut Ctx, i: Insn) -> ExecResult {
    let x = ra(cx, i) as u8;
    let b = rb(cx, i);
    let hit = (0..8).any(|k| (b >> (8 * k)) as u8 == x);
    cx.s.set_cr_field(bf(i), (hit as u32) << 2);
    Ok(())
}
fn setb(cx: &mut Ctx, i: Insn) -> ExecResult {
    let f = cx.s.cr_field(i.bits(11, 13) as usize);
    cx.s.gpr[i.rt()] = if f & 8 != 0 {
        u64::MAX
    } else if f & 4 != 0 {
        1
    } else {
        0
    };
    Ok(())
}
/// setbc family: RT = `if_set` when CR bit BI is 1, else `if_clear`.
fn setbc(cx: &mut Ctx, i: Insn, if_set: u64, if_clear: u64) -> ExecResult {
    let b = cx.s.cr_bit(i.ra());
    cx.s.gpr[i.rt()] = if b { if_set } else { if_clear };
    Ok(())
}

// ---------------------------------------------------------------------------
// logical / count / permute
// ---------------------------------------------------------------------------

#[inline(always)]
fn logical(cx: &mut Ctx, i: Insn, f: impl Fn(u64, u64) -> u64) -> ExecResult {
    let v = f(rs(cx, i), rb(cx, i));
    write_ra_rc(cx, i, v)
}
/// or: `or Rx,Rx,Rx` (Rc=0) is also the program-priority hint; in problem
/// state QEMU applies x=1 (low, 2), 6 (medium-low, 3) and 2 (medium, 4) to
/// PPR[11:13] (translate.c `gen_or`); the other forms are no-ops.
#[inline(always)]
fn or(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (s, a, b) = (i.rs(), i.ra(), i.rb());
    if s == a && s == b && !i.rc() {
        let prio = match s {
            1 => 2,
            6 => 3,
            2 => 4,
            _ => return Ok(()),
        };
        cx.s.ppr = (cx.s.ppr & !(7u64 << 50)) | (prio << 50);
        return Ok(());
    }
    logical(cx, i, |s, b| s | b)
}
#[inline(always)]
fn logical_imm(cx: &mut Ctx, i: Insn, f: impl Fn(u64, u64) -> u64) -> ExecResult {
    cx.s.gpr[i.ra()] = f(rs(cx, i), i.ui());
    Ok(())
}
fn andi_rc(cx: &mut Ctx, i: Insn, imm: u64) -> ExecResult {
    let v = rs(cx, i) & imm;
    cx.s.gpr[i.ra()] = v;
    cx.set_cr0(v);
    Ok(())
}
#[inline(always)]
fn unary_rc(cx: &mut Ctx, i: Insn, f: impl Fn(u64) -> u64) -> ExecResult {
    let v = f(rs(cx, i));
    write_ra_rc(cx, i, v)
}
#[inline(always)]
fn unary(cx: &mut Ctx, i: Insn, f: impl Fn(u64) -> u64) -> ExecResult {
    cx.s.gpr[i.ra()] = f(rs(cx, i));
    Ok(())
}
#[inline(always)]
fn binary(cx: &mut Ctx, i: Insn, f: impl Fn(u64, u64) -> u64) -> ExecResult {
    cx.s.gpr[i.ra()] = f(rs(cx, i), rb(cx, i));
    Ok(())
}

fn popcntb(s: u64) -> u64 {
    (0..8).fold(0, |r, k| {
        r | (((s >> (8 * k)) as u8).count_ones() as u64) << (8 * k)
    })
}
fn popcntw(s: u64) -> u64 {
    (s as u32).count_ones() as u64 | ((((s >> 32) as u32).count_ones() as u64) << 32)
}
/// Parity of the least significant bit of each byte of a word.
fn prty32(w: u64) -> u64 {
    (w ^ (w >> 8) ^ (w >> 16) ^ (w >> 24)) & 1
}
fn prtyw(s: u64) -> u64 {
    prty32(s) | (prty32(s >> 32) << 32)
}
fn prtyd(s: u64) -> u64 {
    prty32(s) ^ prty32(s >> 32)
}
/// bpermd: byte k of RS (k=0 most significant) selects bit RS[k] of RB (ISA
/// numbering) into bit 56+k of RA; indices >= 64 give 0.
fn bpermd(s: u64, b: u64) -> u64 {
    let mut r = 0u64;
    for k in 0..8 {
        let idx = (s >> (56 - 8 * k)) & 0xff;
        if idx < 64 && (b >> (63 - idx)) & 1 != 0 {
            r |= 1 << (7 - k);
        }
    }
    r
}
fn isel(cx: &mut Ctx, i: Insn) -> ExecResult {
    let c = cx.s.cr_bit(i.rc_field());
    cx.s.gpr[i.rt()] = if c { cx.ea_ra0(i.ra(), 0) } else { rb(cx, i) };
    Ok(())
}
fn brh(s: u64) -> u64 {
    ((s & 0x00ff_00ff_00ff_00ff) << 8) | ((s >> 8) & 0x00ff_00ff_00ff_00ff)
}
fn brw(s: u64) -> u64 {
    ((s as u32).swap_bytes() as u64) | (((s >> 32) as u32).swap_bytes() as u64) << 32
}
/// Parallel bits deposit: the low-order bits of `s` go, in order, to the
/// positions of the 1 bits of `m`.
fn pdep(s: u64, m: u64) -> u64 {
    let (mut r, mut m, mut k) = (0u64, m, 0u32);
    while m != 0 {
        let low = m & m.wrapping_neg();
        if (s >> k) & 1 != 0 {
            r |= low;
        }
        m &= m - 1;
        k += 1;
    }
    r
}
/// Parallel bits extract: the bits of `s` at the 1 bits of `m`, packed at the
/// low end in order.
fn pext(s: u64, m: u64) -> u64 {
    let (mut r, mut m, mut k) = (0u64, m, 0u32);
    while m != 0 {
        let low = m & m.wrapping_neg();
        if s & low != 0 {
            r |= 1 << k;
        }
        m &= m - 1;
        k += 1;
    }
    r
}
/// cfuged: bits of RS under 0 bits of RB to the left, bits under 1 bits to the
/// right, each group keeping its order.
fn cfuged(s: u64, m: u64) -> u64 {
    let n = m.count_ones();
    pext(s, !m).checked_shl(n).unwrap_or(0) | pext(s, m)
}
/// cntlzdm: leading zeros of the bits of RS selected by RB.
fn cntlzdm(s: u64, m: u64) -> u64 {
    let k = m.count_ones();
    if k == 0 {
        return 0;
    }
    (pext(s, m).leading_zeros() - (64 - k)) as u64
}
/// cnttzdm: trailing zeros of the bits of RS selected by RB.
fn cnttzdm(s: u64, m: u64) -> u64 {
    let k = m.count_ones();
    pext(s, m).trailing_zeros().min(k) as u64
}

// ---------------------------------------------------------------------------
// rotate / shift
// ---------------------------------------------------------------------------

/// MASK(mb, me) in ISA bit numbering (bit 0 = MSB), wrapping when mb > me.
/// (The JIT computes its rotate masks with this function too.)
#[inline(always)]
pub(crate) fn mask64(mb: u32, me: u32) -> u64 {
    let (mb, me) = (mb & 63, me & 63);
    let a = u64::MAX >> mb;
    let b = u64::MAX << (63 - me);
    if mb <= me {
        a & b
    } else {
        a | b
    }
}
/// ROTL32: rotate of the low word replicated into both halves.
#[inline(always)]
fn rotl32(x: u64, n: u32) -> u64 {
    let w = x as u32 as u64;
    (w | (w << 32)).rotate_left(n & 31)
}
#[inline(always)]
fn m_fields(i: Insn) -> (u32, u32) {
    (i.bits(21, 25), i.bits(26, 30))
}
fn rlwinm(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (mb, me) = m_fields(i);
    let v = rotl32(rs(cx, i), i.bits(16, 20)) & mask64(mb + 32, me + 32);
    write_ra_rc(cx, i, v)
}
fn rlwnm(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (mb, me) = m_fields(i);
    let n = (rb(cx, i) & 31) as u32;
    let v = rotl32(rs(cx, i), n) & mask64(mb + 32, me + 32);
    write_ra_rc(cx, i, v)
}
fn rlwimi(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (mb, me) = m_fields(i);
    let m = mask64(mb + 32, me + 32);
    let v = (rotl32(rs(cx, i), i.bits(16, 20)) & m) | (ra(cx, i) & !m);
    write_ra_rc(cx, i, v)
}
#[inline(always)]
fn sh6(i: Insn) -> u32 {
    i.bits(16, 20) | (i.bits(30, 30) << 5)
}
#[inline(always)]
fn mb6(i: Insn) -> u32 {
    let f = i.bits(21, 26);
    ((f & 1) << 5) | (f >> 1)
}
fn rldicl(cx: &mut Ctx, i: Insn) -> ExecResult {
    let v = rs(cx, i).rotate_left(sh6(i)) & mask64(mb6(i), 63);
    write_ra_rc(cx, i, v)
}
fn rldicr(cx: &mut Ctx, i: Insn) -> ExecResult {
    let v = rs(cx, i).rotate_left(sh6(i)) & mask64(0, mb6(i));
    write_ra_rc(cx, i, v)
}
fn rldic(cx: &mut Ctx, i: Insn) -> ExecResult {
    let sh = sh6(i);
    let v = rs(cx, i).rotate_left(sh) & mask64(mb6(i), 63 - sh);
    write_ra_rc(cx, i, v)
}
fn rldimi(cx: &mut Ctx, i: Insn) -> ExecResult {
    let sh = sh6(i);
    let m = mask64(mb6(i), 63 - sh);
    let v = (rs(cx, i).rotate_left(sh) & m) | (ra(cx, i) & !m);
    write_ra_rc(cx, i, v)
}
fn rldcl(cx: &mut Ctx, i: Insn) -> ExecResult {
    let n = (rb(cx, i) & 63) as u32;
    let v = rs(cx, i).rotate_left(n) & mask64(mb6(i), 63);
    write_ra_rc(cx, i, v)
}
fn rldcr(cx: &mut Ctx, i: Insn) -> ExecResult {
    let n = (rb(cx, i) & 63) as u32;
    let v = rs(cx, i).rotate_left(n) & mask64(0, mb6(i));
    write_ra_rc(cx, i, v)
}
/// slw: shift count RB[58:63]; counts 32-63 give 0.
fn slw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let n = (rb(cx, i) & 63) as u32;
    let v = if n < 32 {
        ((rs(cx, i) as u32) << n) as u64
    } else {
        0
    };
    write_ra_rc(cx, i, v)
}
fn srw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let n = (rb(cx, i) & 63) as u32;
    let v = if n < 32 {
        ((rs(cx, i) as u32) >> n) as u64
    } else {
        0
    };
    write_ra_rc(cx, i, v)
}
/// Algebraic right shift of the low word by `n` (0..=63): result sign-extended,
/// CA = CA32 = negative and some 1 bit shifted out.
fn sraw_n(cx: &mut Ctx, i: Insn, n: u32) -> ExecResult {
    let s = rs(cx, i) as i32;
    let (v, out) = if n < 32 {
        (s >> n, (s as u32) & ((1u32 << n) - 1) != 0)
    } else {
        (s >> 31, s != 0)
    };
    let ca = s < 0 && out;
    set_ca(cx, ca, ca);
    write_ra_rc(cx, i, v as i64 as u64)
}
fn sraw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let n = (rb(cx, i) & 63) as u32;
    sraw_n(cx, i, n)
}
fn srawi(cx: &mut Ctx, i: Insn) -> ExecResult {
    sraw_n(cx, i, i.bits(16, 20))
}
/// sld: shift count RB[57:63]; counts 64-127 give 0.
fn sld(cx: &mut Ctx, i: Insn) -> ExecResult {
    let n = (rb(cx, i) & 127) as u32;
    let v = rs(cx, i).checked_shl(n).unwrap_or(0);
    write_ra_rc(cx, i, v)
}
fn srd(cx: &mut Ctx, i: Insn) -> ExecResult {
    let n = (rb(cx, i) & 127) as u32;
    let v = rs(cx, i).checked_shr(n).unwrap_or(0);
    write_ra_rc(cx, i, v)
}
fn srad_n(cx: &mut Ctx, i: Insn, n: u32) -> ExecResult {
    let s = rs(cx, i) as i64;
    let (v, out) = if n < 64 {
        (s >> n, (s as u64) & ((1u64 << n) - 1) != 0)
    } else {
        (s >> 63, s != 0)
    };
    let ca = s < 0 && out;
    set_ca(cx, ca, ca);
    write_ra_rc(cx, i, v as u64)
}
fn srad(cx: &mut Ctx, i: Insn) -> ExecResult {
    let n = (rb(cx, i) & 127) as u32;
    srad_n(cx, i, n)
}
fn sradi(cx: &mut Ctx, i: Insn) -> ExecResult {
    srad_n(cx, i, sh6(i))
}
fn extswsli(cx: &mut Ctx, i: Insn) -> ExecResult {
    let v = (rs(cx, i) as i32 as i64 as u64) << sh6(i);
    write_ra_rc(cx, i, v)
}

// ---------------------------------------------------------------------------
// ISA 3.0 misc
// ---------------------------------------------------------------------------

/// darn: L=0 a 32-bit conditioned random number (zero-extended), L=1 64-bit
/// conditioned, L=2 64-bit raw; the value comes from the environment so that it
/// is recorded/replayed. L=3 is reserved: QEMU returns the error value (all
/// ones). A successful darn never returns the error value, so a 64-bit draw of
/// all ones is mapped to 0.
fn darn(cx: &mut Ctx, i: Insn) -> ExecResult {
    let l = i.bits(14, 15);
    let v = if l == 3 {
        u64::MAX
    } else {
        let mut b = [0u8; 8];
        cx.env.entropy(cx.icount, EntropyUse::Darn, &mut b);
        let r = u64::from_le_bytes(b);
        if l == 0 {
            r as u32 as u64
        } else if r == u64::MAX {
            0
        } else {
            r
        }
    };
    cx.s.gpr[i.rt()] = v;
    Ok(())
}
/// mcrxrx: CR[BF] = OV || OV32 || CA || CA32.
fn mcrxrx(cx: &mut Ctx, i: Insn) -> ExecResult {
    let s = &*cx.s;
    let f = (s.xer_ov as u32) << 3
        | (s.xer_ov32 as u32) << 2
        | (s.xer_ca as u32) << 1
        | s.xer_ca32 as u32;
    cx.s.set_cr_field(bf(i), f);
    Ok(())
}

// ---------------------------------------------------------------------------
// trap
// ---------------------------------------------------------------------------

/// TO field test: 0x10 signed <, 0x08 signed >, 0x04 ==, 0x02 unsigned <,
/// 0x01 unsigned >.
#[inline(always)]
fn trap_if(to: u32, a: i64, b: i64, ua: u64, ub: u64) -> ExecResult {
    let hit = (to & 0x10 != 0 && a < b)
        || (to & 0x08 != 0 && a > b)
        || (to & 0x04 != 0 && a == b)
        || (to & 0x02 != 0 && ua < ub)
        || (to & 0x01 != 0 && ua > ub);
    if hit {
        Err(Exc::Fault(FaultKind::Trap))
    } else {
        Ok(())
    }
}
fn tw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as u32, rb(cx, i) as u32);
    trap_if(
        i.bits(6, 10),
        a as i32 as i64,
        b as i32 as i64,
        a as u64,
        b as u64,
    )
}
fn td(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i), rb(cx, i));
    trap_if(i.bits(6, 10), a as i64, b as i64, a, b)
}
fn twi(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i) as u32, i.si() as u32);
    trap_if(
        i.bits(6, 10),
        a as i32 as i64,
        b as i32 as i64,
        a as u64,
        b as u64,
    )
}
fn tdi(cx: &mut Ctx, i: Insn) -> ExecResult {
    let (a, b) = (ra(cx, i), i.si() as u64);
    trap_if(i.bits(6, 10), a as i64, b as i64, a, b)
}

/// Test harness shared by the fixed-point, branch, load/store and system tests:
/// one instruction at 0x10000 on a fresh CPU, data memory at 0x20000.
#[cfg(test)]
pub(super) mod testutil {
    use crate::cpu::find_model;
    use crate::exec::interp::step;
    use crate::exec::{Cpu, Stop, VirtualEnv};
    use crate::isa::encode::asm;
    use crate::mem::{perm, Memory};

    pub const CODE: u64 = 0x10000;
    pub const DATA: u64 = 0x20000;

    pub struct T {
        pub cpu: Cpu,
        pub mem: Memory,
        pub env: VirtualEnv,
    }

    impl T {
        pub fn new(model: &str, le: bool) -> T {
            let mut mem = Memory::new();
            mem.map_zero(CODE, 0x1000, perm::RX).unwrap();
            mem.map_zero(DATA, 0x1000, perm::RW).unwrap();
            let mut cpu = Cpu::new(find_model(model).unwrap(), le);
            cpu.state.pc = CODE;
            T {
                cpu,
                mem,
                env: VirtualEnv::new(0),
            }
        }
        pub fn p10() -> T {
            T::new("power10", true)
        }
        /// Runs raw words (prefix first) at CODE.
        pub fn run_words(&mut self, words: &[u32]) -> Stop {
            let le = self.cpu.state.little_endian();
            let mut b = Vec::new();
            for w in words {
                b.extend_from_slice(&if le { w.to_le_bytes() } else { w.to_be_bytes() });
            }
            self.mem.write_bytes(CODE, &b).unwrap();
            self.cpu.state.pc = CODE;
            step(&mut self.cpu, &mut self.mem, &mut self.env)
        }
        /// Assembles and runs one instruction.
        pub fn run(&mut self, m: &str, ops: &[i64]) -> Stop {
            let e = asm(m, ops).unwrap();
            self.run_words(&e.words())
        }
        pub fn r(&self, n: usize) -> u64 {
            self.cpu.state.gpr[n]
        }
        pub fn set(&mut self, n: usize, v: u64) {
            self.cpu.state.gpr[n] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::T;
    use super::{mask64, pdep, pext};
    use crate::exec::{FaultKind, Stop};

    #[test]
    fn mask_wraps_when_mb_exceeds_me() {
        // ISA Book I §3.3.14: MASK(mb, me) with mb > me is the complement of
        // MASK(me+1, mb-1).
        assert_eq!(mask64(0, 63), u64::MAX);
        assert_eq!(mask64(63, 0), 0x8000_0000_0000_0001);
        assert_eq!(mask64(32, 63), 0xffff_ffff);
    }

    #[test]
    fn rlwinm_with_wrapping_mask_keeps_the_replicated_high_word() {
        // rlwinm r3,r4,0,31,0 on 0x1_8000_0001: ROTL32 replicates the low word,
        // mask = bits 0..32 and 63 (ISA §3.3.14).
        let mut t = T::p10();
        t.set(4, 0x1_8000_0001);
        t.run("rlwinm", &[3, 4, 0, 31, 0]);
        assert_eq!(t.r(3), 0x8000_0001_8000_0001 & 0xffff_ffff_8000_0001);
    }

    #[test]
    fn addo_sets_ov_and_so_but_not_ov32_on_64_bit_overflow_only() {
        // tests/vectors/fixed.jsonl (QEMU 7.2): addo. 10,20,6 with
        // r20 = 0xffff_ffff_8000_0000, r6 = 0x8000_0000_0000_0000, xer CA32 set.
        let mut t = T::p10();
        t.cpu.state.set_xer(0x40000, true);
        t.set(20, 0xffff_ffff_8000_0000);
        t.set(6, 0x8000_0000_0000_0000);
        t.run("addo.", &[10, 20, 6]);
        assert_eq!(t.r(10), 0x7fff_ffff_8000_0000);
        assert_eq!(t.cpu.state.xer(), 0xc004_0000);
        assert_eq!(t.cpu.state.cr >> 28, 0x5);
    }

    #[test]
    fn addc_sets_ca32_only_from_isa_3_0() {
        // 0xffff_ffff + 1: carry out of the low word, not of the doubleword.
        for (model, ca32) in [("power10", 1), ("power8", 0)] {
            let mut t = T::new(model, true);
            t.set(4, 0xffff_ffff);
            t.set(5, 1);
            t.run("addc", &[3, 4, 5]);
            assert_eq!((t.cpu.state.xer_ca, t.cpu.state.xer_ca32), (0, ca32));
        }
    }

    #[test]
    fn divw_by_zero_gives_the_dividend_like_qemu() {
        // QEMU translate.c gen_op_arith_divw replaces the divisor by 1.
        let mut t = T::p10();
        t.set(4, 0xffff_ffff_1234_5678);
        t.set(5, 0);
        t.run("divwo", &[3, 4, 5]);
        assert_eq!(t.r(3), 0x1234_5678);
        assert_eq!(t.cpu.state.xer_ov, 1);
        assert_eq!(t.cpu.state.xer_so, 1);
    }

    #[test]
    fn modsw_by_zero_gives_zero() {
        let mut t = T::p10();
        t.set(4, 7);
        t.set(5, 0);
        t.run("modsw", &[3, 4, 5]);
        assert_eq!(t.r(3), 0);
    }

    #[test]
    fn sraw_sets_ca_when_ones_are_shifted_out_of_a_negative_word() {
        let mut t = T::p10();
        t.set(4, 0xffff_fff5); // -11 as a word
        t.set(5, 1);
        t.run("sraw", &[3, 4, 5]);
        assert_eq!(t.r(3), (-6i64) as u64);
        assert_eq!((t.cpu.state.xer_ca, t.cpu.state.xer_ca32), (1, 1));
    }

    #[test]
    fn bit_deposit_and_extract_are_inverse_on_the_mask() {
        // ISA 3.1 §3.3.13 examples: pextd(0b1011_0110, 0b1111_0000) = 0b1011.
        assert_eq!(pext(0b1011_0110, 0b1111_0000), 0b1011);
        assert_eq!(pdep(0b1011, 0b1111_0000), 0b1011_0000);
    }

    #[test]
    fn tw_traps_when_the_condition_holds() {
        let mut t = T::p10();
        t.set(4, 5);
        t.set(5, 5);
        let s = t.run("tw", &[4, 4, 5]);
        assert!(matches!(s, Stop::Fault(f) if f.kind == FaultKind::Trap));
        assert_eq!(t.cpu.state.pc, super::testutil::CODE);
    }

    #[test]
    fn paddi_pc_relative_adds_the_instruction_address() {
        let mut t = T::p10();
        t.run("paddi", &[3, 0, -16, 1]);
        assert_eq!(t.r(3), super::testutil::CODE - 16);
        // R=1 with RA != 0 is an invalid form.
        let s = t.run("paddi", &[3, 4, -16, 1]);
        assert!(matches!(s, Stop::Fault(f) if matches!(f.kind, FaultKind::Illegal { .. })));
    }

    #[test]
    fn darn_reads_the_environment_and_never_returns_the_error_value() {
        let mut t = T::p10();
        t.run("darn", &[3, 0]);
        assert_eq!(t.r(3) >> 32, 0);
        t.run("darn", &[3, 1]);
        assert_ne!(t.r(3), u64::MAX);
    }

    /// No instruction of these families may panic, whatever its word and the
    /// register contents (shift counts, divides, register numbers).
    #[test]
    fn no_word_in_the_integer_families_panics() {
        use crate::isa::table::{all, Op};
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let specials = [
            0,
            1,
            u64::MAX,
            0x8000_0000_0000_0000,
            0x8000_0000,
            63,
            64,
            127,
        ];
        for d in all() {
            if !matches!(
                d.op,
                Op::Fixed(_) | Op::Branch(_) | Op::LoadStore(_) | Op::System(_) | Op::Prefixed(_)
            ) {
                continue;
            }
            for k in 0..64 {
                let mut t = T::p10();
                for n in 0..32 {
                    t.set(
                        n,
                        if k % 2 == 0 {
                            specials[(rnd() % 8) as usize]
                        } else {
                            super::testutil::DATA + (rnd() & 0xfff)
                        },
                    );
                }
                let w = (rnd() as u32 & !d.mask) | d.opcode;
                match d.prefix {
                    Some((po, pm)) => {
                        let p = (rnd() as u32 & !pm) | po;
                        t.run_words(&[p, w]);
                    }
                    None => {
                        t.run_words(&[w]);
                    }
                }
            }
        }
    }
}
