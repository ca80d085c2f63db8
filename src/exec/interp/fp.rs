//! Classic floating-point semantics (FPR instructions, Power ISA 3.1 Book I
//! §4.6): arithmetic through the exact-FPSCR core in [`super::fpu`], moves,
//! compares, FPSCR moves, and the FPR loads and stores.
//!
//! Writing an FPR sets doubleword 1 of the VSR to zero: the ISA leaves it
//! undefined, QEMU 7.2 (`set_fpr`) zeroes it, as its measured vectors show.
//!
//! Enabled exceptions (FPSCR enable bit set for an exception that occurred):
//! the FPSCR is updated and the target written or suppressed as the ISA says
//! (§4.4), then, if MSR[FE0|FE1] select a precise mode, the instruction reports
//! [`FaultKind::FpEnabled`] (SIGFPE). The state changes are the architected
//! ones of a Floating-Point Enabled Exception interrupt, which happens after
//! the excepting instruction has completed (§4.4): FPSCR updated, the target
//! written for OX/UX/XX (suppressed for VE/ZE), and CR1 set by a record form.
//! With MSR[FE0]=MSR[FE1]=0 (Linux's default) the same state results and
//! nothing traps.
//!
//! QEMU 7.2 (the oracle of tests/vectors) differs when it traps: it raises the
//! interrupt before CR1 is set, and for `fcfid*` before FRT and FPRF are
//! written; those vectors are listed in the EXCLUSIONS of tests/vectors.rs.

use super::fpu::{self, IntKind, Madd, Mode, Outcome, Prec, Round};
use super::{Ctx, Exc, ExecResult};
use crate::exec::FaultKind;
use crate::isa::table::Fp;
use crate::isa::{Insn, Operand};

const D: Prec = Prec::Double;
const S: Prec = Prec::Single;

pub(super) fn exec(cx: &mut Ctx, op: Fp, i: Insn) -> ExecResult {
    use Fp::*;
    match op {
        // --- arithmetic ---
        Fadd => arith(cx, i, |m, f, a, b, _| fpu::add(a, b, D, m, f)),
        Fadds => arith(cx, i, |m, f, a, b, _| fpu::add(a, b, S, m, f)),
        Fsub => arith(cx, i, |m, f, a, b, _| fpu::sub(a, b, D, m, f)),
        Fsubs => arith(cx, i, |m, f, a, b, _| fpu::sub(a, b, S, m, f)),
        Fmul => arith(cx, i, |m, f, a, _, c| fpu::mul(a, c, D, m, f)),
        Fmuls => arith(cx, i, |m, f, a, _, c| fpu::mul(a, c, S, m, f)),
        Fdiv => arith(cx, i, |m, f, a, b, _| fpu::div(a, b, D, m, f)),
        Fdivs => arith(cx, i, |m, f, a, b, _| fpu::div(a, b, S, m, f)),
        Fsqrt => arith(cx, i, |m, f, _, b, _| fpu::sqrt(b, D, m, f)),
        Fsqrts => arith(cx, i, |m, f, _, b, _| fpu::sqrt(b, S, m, f)),
        Fre => arith(cx, i, |m, f, _, b, _| fpu::recip_estimate(b, D, m, f)),
        Fres => arith(cx, i, |m, f, _, b, _| fpu::recip_estimate(b, S, m, f)),
        Frsqrte => arith(cx, i, |m, f, _, b, _| fpu::rsqrt_estimate(b, D, m, f)),
        Frsqrtes => arith(cx, i, |m, f, _, b, _| fpu::rsqrt_estimate(b, S, m, f)),
        Fmadd => madd(cx, i, Madd::Madd, D),
        Fmadds => madd(cx, i, Madd::Madd, S),
        Fmsub => madd(cx, i, Madd::Msub, D),
        Fmsubs => madd(cx, i, Madd::Msub, S),
        Fnmadd => madd(cx, i, Madd::Nmadd, D),
        Fnmadds => madd(cx, i, Madd::Nmadd, S),
        Fnmsub => madd(cx, i, Madd::Nmsub, D),
        Fnmsubs => madd(cx, i, Madd::Nmsub, S),
        // --- rounding and conversion ---
        Frsp => arith(cx, i, |m, f, _, b, _| fpu::round_to_single(b, m, f)),
        Fctiw => fcti(cx, i, IntKind::I32, None),
        Fctiwz => fcti(cx, i, IntKind::I32, Some(Round::Zero)),
        Fctiwu => fcti(cx, i, IntKind::U32, None),
        Fctiwuz => fcti(cx, i, IntKind::U32, Some(Round::Zero)),
        Fctid => fcti(cx, i, IntKind::I64, None),
        Fctidz => fcti(cx, i, IntKind::I64, Some(Round::Zero)),
        Fctidu => fcti(cx, i, IntKind::U64, None),
        Fctiduz => fcti(cx, i, IntKind::U64, Some(Round::Zero)),
        Fcfid => arith(cx, i, |m, f, _, b, _| fpu::from_int(b, true, D, m, f)),
        // QEMU 7.2 sets FPRF for fcfid only (the ISA: all four).
        Fcfids => fcfid_nofprf(cx, i, true, S),
        Fcfidu => fcfid_nofprf(cx, i, false, D),
        Fcfidus => fcfid_nofprf(cx, i, false, S),
        Frin => fri(cx, i, Round::NearestAway),
        Friz => fri(cx, i, Round::Zero),
        Frip => fri(cx, i, Round::Up),
        Frim => fri(cx, i, Round::Down),
        // --- compare and test ---
        Fcmpu => fcmp(cx, i, false),
        Fcmpo => fcmp(cx, i, true),
        Ftdiv => {
            let cc = fpu::ftdiv(cx.s.fpr(i.ra()), cx.s.fpr(i.rb()));
            cx.s.set_cr_field(bf(i), cc);
            Ok(())
        }
        Ftsqrt => {
            let cc = fpu::ftsqrt(cx.s.fpr(i.rb()));
            cx.s.set_cr_field(bf(i), cc);
            Ok(())
        }
        // --- moves (no FPSCR change; Rc=1 copies FPSCR[FX FEX VX OX] to CR1) ---
        Fmr => mov(cx, i, |_, b| b),
        Fneg => mov(cx, i, |_, b| b ^ SIGN),
        Fabs => mov(cx, i, |_, b| b & !SIGN),
        Fnabs => mov(cx, i, |_, b| b | SIGN),
        Fcpsgn => mov(cx, i, |a, b| (a & SIGN) | (b & !SIGN)),
        Fsel => fsel(cx, i),
        Fmrgew => mov(cx, i, |a, b| (a & 0xffff_ffff_0000_0000) | (b >> 32)),
        Fmrgow => mov(cx, i, |a, b| (a << 32) | (b & 0xffff_ffff)),
        // --- FPSCR moves ---
        Mffs => {
            let f = cx.s.fpscr;
            set_frt(cx, i.rt(), f);
            record(cx, i);
            Ok(())
        }
        Mffsce => mffsce(cx, i),
        Mffsl => {
            let f = cx.s.fpscr & fpu::MFFSL_MASK;
            set_frt(cx, i.rt(), f);
            Ok(())
        }
        Mffscdrn => {
            let drn = cx.s.fpr(i.rb()) & fpu::bits::DRN;
            mffs_control(cx, i, fpu::bits::DRN, drn)
        }
        Mffscdrni => {
            let drn = (i.get(Operand::Drm) as u64) << 32;
            mffs_control(cx, i, fpu::bits::DRN, drn)
        }
        Mffscrn => {
            let rn = cx.s.fpr(i.rb()) & fpu::bits::RN;
            mffs_control(cx, i, fpu::bits::RN, rn)
        }
        Mffscrni => {
            let rn = i.get(Operand::Rm) as u64;
            mffs_control(cx, i, fpu::bits::RN, rn)
        }
        Mtfsf => mtfsf(cx, i),
        Mtfsfi => mtfsfi(cx, i),
        Mtfsb0 => {
            let f = fpu::mtfsb0(cx.s.fpscr, i.rt() as u32);
            fpscr_move(cx, i, f)
        }
        Mtfsb1 => {
            let f = fpu::mtfsb1(cx.s.fpscr, i.rt() as u32);
            fpscr_move(cx, i, f)
        }
        Mcrfs => {
            let (f, v) = fpu::mcrfs(cx.s.fpscr, i.get(Operand::Bfa) as u32);
            cx.s.fpscr = f;
            cx.s.set_cr_field(bf(i), v);
            Ok(())
        }
        // --- loads ---
        Lfs => lfs(cx, i, ea_d(cx, i), false),
        Lfsu => lfs(cx, i, ea_d(cx, i), true),
        Lfsx => lfs(cx, i, ea_x(cx, i), false),
        Lfsux => lfs(cx, i, ea_x(cx, i), true),
        Lfd => lfd(cx, i, ea_d(cx, i), false),
        Lfdu => lfd(cx, i, ea_d(cx, i), true),
        Lfdx => lfd(cx, i, ea_x(cx, i), false),
        Lfdux => lfd(cx, i, ea_x(cx, i), true),
        Lfiwax => {
            let ea = ea_x(cx, i);
            let v = cx.load::<4>(ea)? as u32 as i32 as i64 as u64;
            set_frt(cx, i.rt(), v);
            Ok(())
        }
        Lfiwzx => {
            let ea = ea_x(cx, i);
            let v = cx.load::<4>(ea)?;
            set_frt(cx, i.rt(), v);
            Ok(())
        }
        Lfdp => lfdp(cx, i, ea_ds(cx, i)),
        Lfdpx => lfdp(cx, i, ea_x(cx, i)),
        Plfs => {
            let ea = ea_pls(cx, i)?;
            lfs(cx, i, ea, false)
        }
        Plfd => {
            let ea = ea_pls(cx, i)?;
            lfd(cx, i, ea, false)
        }
        // --- stores ---
        Stfs => stfs(cx, i, ea_d(cx, i), false),
        Stfsu => stfs(cx, i, ea_d(cx, i), true),
        Stfsx => stfs(cx, i, ea_x(cx, i), false),
        Stfsux => stfs(cx, i, ea_x(cx, i), true),
        Stfd => stfd(cx, i, ea_d(cx, i), false),
        Stfdu => stfd(cx, i, ea_d(cx, i), true),
        Stfdx => stfd(cx, i, ea_x(cx, i), false),
        Stfdux => stfd(cx, i, ea_x(cx, i), true),
        Stfiwx => {
            let ea = ea_x(cx, i);
            let v = cx.s.fpr(i.rs()) & 0xffff_ffff;
            cx.store::<4>(ea, v)
        }
        Stfdp => stfdp(cx, i, ea_ds(cx, i)),
        Stfdpx => stfdp(cx, i, ea_x(cx, i)),
        Pstfs => {
            let ea = ea_pls(cx, i)?;
            stfs(cx, i, ea, false)
        }
        Pstfd => {
            let ea = ea_pls(cx, i)?;
            stfd(cx, i, ea, false)
        }
    }
}

const SIGN: u64 = 1 << 63;

// ---------------------------------------------------------------------------
// register and result helpers
// ---------------------------------------------------------------------------

/// Writes FPR `n`, zeroing doubleword 1 of VSR `n` (QEMU 7.2 `set_fpr`).
#[inline(always)]
fn set_frt(cx: &mut Ctx, n: usize, v: u64) {
    cx.s.vsr[n] = [v, 0];
}

/// The BF field (bits 6-8).
#[inline(always)]
fn bf(i: Insn) -> usize {
    i.get(Operand::Bf) as usize
}

/// Rc=1: CR1 ← FPSCR[FX FEX VX OX].
#[inline(always)]
fn record(cx: &mut Ctx, i: Insn) {
    if i.rc() {
        let v = fpu::cr1(cx.s.fpscr);
        cx.s.set_cr_field(1, v);
    }
}

/// Writes the result (unless suppressed), records CR1, and raises the enabled
/// exception when MSR[FE0|FE1] ask for it.
#[inline(always)]
fn finish(cx: &mut Ctx, i: Insn, o: Outcome) -> ExecResult {
    if let Some(v) = o.value {
        set_frt(cx, i.rt(), v);
    }
    record(cx, i);
    enabled(cx, o.enabled)
}

/// The program interrupt of an enabled floating-point exception.
#[inline(always)]
fn enabled(cx: &Ctx, occurred: bool) -> ExecResult {
    if occurred && fpu::traps_enabled(cx.s.msr) {
        Err(Exc::Fault(FaultKind::FpEnabled))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// arithmetic
// ---------------------------------------------------------------------------

/// An arithmetic instruction: `f(mode, flags, FRA, FRB, FRC)`. FPRF, FR, FI
/// and the exception bits are set by [`fpu::arith`].
#[inline(always)]
fn arith(
    cx: &mut Ctx,
    i: Insn,
    f: impl FnOnce(Mode, &mut fpu::FpFlags, u64, u64, u64) -> u64,
) -> ExecResult {
    let (a, b, c) = (cx.s.fpr(i.ra()), cx.s.fpr(i.rb()), cx.s.fpr(i.rc_field()));
    let o = fpu::arith(&mut cx.s.fpscr, |m, fl| f(m, fl, a, b, c));
    finish(cx, i, o)
}

/// fmadd family: FRT ← ±(FRA × FRC ± FRB).
#[inline(always)]
fn madd(cx: &mut Ctx, i: Insn, k: Madd, p: Prec) -> ExecResult {
    arith(cx, i, |m, f, a, b, c| fpu::madd(a, c, b, k, p, m, f))
}

/// fcfids/fcfidu/fcfidus: like fcfid, but FPRF is left alone (QEMU 7.2).
fn fcfid_nofprf(cx: &mut Ctx, i: Insn, signed: bool, p: Prec) -> ExecResult {
    let b = cx.s.fpr(i.rb());
    let o = fpu::arith_fprf(&mut cx.s.fpscr, false, |m, f| {
        fpu::from_int(b, signed, p, m, f)
    });
    finish(cx, i, o)
}

/// frin/friz/frip/frim: FPRF set; FR and FI cleared and XX never set (ISA
/// §4.6.7.4; QEMU `do_fri`).
fn fri(cx: &mut Ctx, i: Insn, rm: Round) -> ExecResult {
    arith(cx, i, |_, f, _, b, _| fpu::round_to_int(b, rm, false, f))
}

/// fcti*: convert to integer word/doubleword.
fn fcti(cx: &mut Ctx, i: Insn, k: IntKind, rm: Option<Round>) -> ExecResult {
    let b = cx.s.fpr(i.rb());
    let o = fpu::convert_to_int(&mut cx.s.fpscr, b, k, rm);
    finish(cx, i, o)
}

/// fcmpu/fcmpo: CR field BF and FPCC from the comparison.
fn fcmp(cx: &mut Ctx, i: Insn, ordered: bool) -> ExecResult {
    let (a, b) = (cx.s.fpr(i.ra()), cx.s.fpr(i.rb()));
    let (cc, en) = fpu::fcmp(&mut cx.s.fpscr, a, b, ordered);
    cx.s.set_cr_field(bf(i), cc);
    enabled(cx, en)
}

/// A move: FRT ← f(FRA, FRB), FPSCR untouched.
#[inline(always)]
fn mov(cx: &mut Ctx, i: Insn, f: impl FnOnce(u64, u64) -> u64) -> ExecResult {
    let v = f(cx.s.fpr(i.ra()), cx.s.fpr(i.rb()));
    set_frt(cx, i.rt(), v);
    record(cx, i);
    Ok(())
}

/// fsel: FRT ← FRC if FRA ≥ 0 (±0 included, NaN excluded), else FRB.
fn fsel(cx: &mut Ctx, i: Insn) -> ExecResult {
    let a = cx.s.fpr(i.ra());
    let ge0 = !fpu::is_nan(a) && (a & SIGN == 0 || fpu::is_zero(a));
    let v = if ge0 {
        cx.s.fpr(i.rc_field())
    } else {
        cx.s.fpr(i.rb())
    };
    set_frt(cx, i.rt(), v);
    record(cx, i);
    Ok(())
}

// ---------------------------------------------------------------------------
// FPSCR moves
// ---------------------------------------------------------------------------

/// mffsce: FRT ← FPSCR, then VE OE UE ZE XE ← 0.
fn mffsce(cx: &mut Ctx, i: Insn) -> ExecResult {
    let f = cx.s.fpscr;
    set_frt(cx, i.rt(), f);
    cx.s.fpscr = fpu::summarize(f & !0xf8);
    Ok(())
}

/// mffscdrn[i]/mffscrn[i]: FRT ← FPSCR[DRN, enables, NI, RN] (before the
/// change), then the `field` bits of FPSCR ← `value`.
fn mffs_control(cx: &mut Ctx, i: Insn, field: u64, value: u64) -> ExecResult {
    let f = cx.s.fpscr;
    set_frt(cx, i.rt(), f & fpu::MFFS_CONTROL_MASK);
    cx.s.fpscr = (f & !field) | (value & field);
    Ok(())
}

/// Stores an FPSCR computed by mtfsf/mtfsfi/mtfsb*, records CR1, and raises
/// the enabled exception if FEX is now set (as QEMU's `helper_store_fpscr`).
fn fpscr_move(cx: &mut Ctx, i: Insn, f: u64) -> ExecResult {
    cx.s.fpscr = f;
    record(cx, i);
    enabled(cx, f & fpu::bits::FEX != 0)
}

/// mtfsf FLM,FRB,L,W: L=1 writes the whole FPSCR; otherwise the fields FLM
/// selects, in the low word (W=0) or the high word (W=1).
fn mtfsf(cx: &mut Ctx, i: Insn) -> ExecResult {
    let v = cx.s.fpr(i.rb());
    let l = i.get(Operand::LFsf) != 0;
    let w = i.get(Operand::W) != 0;
    let mask = if l {
        u64::MAX
    } else {
        fpu::field_mask(i.get(Operand::Flm) as u32, w)
    };
    let f = fpu::mtfsf(cx.s.fpscr, v, mask);
    fpscr_move(cx, i, f)
}

/// mtfsfi BF,U,W: field BF of the low (W=0) or high (W=1) word ← U.
fn mtfsfi(cx: &mut Ctx, i: Insn) -> ExecResult {
    let bf = bf(i) as u32;
    let w = i.get(Operand::W) != 0;
    let u = i.get(Operand::U) as u64;
    let sh = 28 - 4 * bf + if w { 32 } else { 0 };
    let f = fpu::mtfsf(cx.s.fpscr, u << sh, 0xf << sh);
    fpscr_move(cx, i, f)
}

// ---------------------------------------------------------------------------
// loads and stores
// ---------------------------------------------------------------------------

/// D form: (RA|0) + D.
#[inline(always)]
fn ea_d(cx: &Ctx, i: Insn) -> u64 {
    cx.ea_ra0(i.ra(), i.si())
}
/// DS form: (RA|0) + (DS || 0b00).
#[inline(always)]
fn ea_ds(cx: &Ctx, i: Insn) -> u64 {
    cx.ea_ra0(i.ra(), i.ds())
}
/// X form: (RA|0) + RB.
#[inline(always)]
fn ea_x(cx: &Ctx, i: Insn) -> u64 {
    cx.ea_ra0(i.ra(), cx.s.gpr[i.rb()] as i64)
}
/// Prefixed D form: R=0: (RA|0) + D34; R=1: CIA + D34 with RA=0 required
/// (QEMU `resolve_PLS_D`).
#[inline(always)]
fn ea_pls(cx: &Ctx, i: Insn) -> Result<u64, Exc> {
    let d = i.d34();
    if i.r_bit() {
        if i.ra() != 0 {
            return Err(Ctx::illegal(i));
        }
        Ok(cx.pc.wrapping_add(d as u64))
    } else {
        Ok(cx.ea_ra0(i.ra(), d))
    }
}

/// Update forms need RA ≠ 0 (QEMU: invalid form otherwise).
#[inline(always)]
fn check_update(i: Insn, update: bool) -> ExecResult {
    if update && i.ra() == 0 {
        Err(Ctx::illegal(i))
    } else {
        Ok(())
    }
}

/// lfs*: the single is converted to double exactly (DOUBLE, ISA §4.6.3).
fn lfs(cx: &mut Ctx, i: Insn, ea: u64, update: bool) -> ExecResult {
    check_update(i, update)?;
    let w = cx.load::<4>(ea)? as u32;
    set_frt(cx, i.rt(), fpu::single_to_double(w));
    if update {
        cx.s.gpr[i.ra()] = ea;
    }
    Ok(())
}

fn lfd(cx: &mut Ctx, i: Insn, ea: u64, update: bool) -> ExecResult {
    check_update(i, update)?;
    let v = cx.load::<8>(ea)?;
    set_frt(cx, i.rt(), v);
    if update {
        cx.s.gpr[i.ra()] = ea;
    }
    Ok(())
}

/// stfs*: the double is narrowed without rounding (SINGLE, ISA §4.6.3).
fn stfs(cx: &mut Ctx, i: Insn, ea: u64, update: bool) -> ExecResult {
    check_update(i, update)?;
    let v = fpu::double_to_single(cx.s.fpr(i.rs()));
    cx.store::<4>(ea, v as u64)?;
    if update {
        cx.s.gpr[i.ra()] = ea;
    }
    Ok(())
}

fn stfd(cx: &mut Ctx, i: Insn, ea: u64, update: bool) -> ExecResult {
    check_update(i, update)?;
    let v = cx.s.fpr(i.rs());
    cx.store::<8>(ea, v)?;
    if update {
        cx.s.gpr[i.ra()] = ea;
    }
    Ok(())
}

/// lfdp/lfdpx: FRTp (even) ← the doubleword at EA, FRTp+1 ← EA+8; in
/// little-endian mode the quadword is loaded as a whole, so FRTp gets EA+8
/// (QEMU `gen_lfdp`; measured vectors agree).
fn lfdp(cx: &mut Ctx, i: Insn, ea: u64) -> ExecResult {
    let t = i.rt();
    if t & 1 != 0 {
        return Err(Ctx::illegal(i));
    }
    let lo = cx.load::<8>(ea)?;
    let hi = cx.load::<8>(ea.wrapping_add(8))?;
    let (even, odd) = if cx.le() { (hi, lo) } else { (lo, hi) };
    set_frt(cx, t, even);
    set_frt(cx, t + 1, odd);
    Ok(())
}

/// stfdp/stfdpx: the mirror of [`lfdp`]; the 16-byte store is all-or-nothing.
fn stfdp(cx: &mut Ctx, i: Insn, ea: u64) -> ExecResult {
    let s = i.rs();
    if s & 1 != 0 {
        return Err(Ctx::illegal(i));
    }
    let (even, odd) = (cx.s.fpr(s), cx.s.fpr(s + 1));
    let le = cx.le();
    let (first, second) = if le { (odd, even) } else { (even, odd) };
    let mut bytes = [0u8; 16];
    if le {
        bytes[..8].copy_from_slice(&first.to_le_bytes());
        bytes[8..].copy_from_slice(&second.to_le_bytes());
    } else {
        bytes[..8].copy_from_slice(&first.to_be_bytes());
        bytes[8..].copy_from_slice(&second.to_be_bytes());
    }
    cx.mem.store_bytes(ea, &bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Expected values from QEMU 7.2 (`qemu-ppc64le -cpu power10`) runs and the
    //! measured vectors in tests/vectors/{fp,load_store_fp}.jsonl.
    use crate::cpu::find_model;
    use crate::exec::interp::step;
    use crate::exec::{Cpu, FaultKind, Stop, VirtualEnv};
    use crate::isa::encode::asm;
    use crate::mem::{perm, Memory};

    const CODE: u64 = 0x10000;
    const DATA: u64 = 0x20000;

    /// Runs one instruction at CODE after `setup`; returns the CPU, memory and
    /// how it stopped.
    fn run1(
        le: bool,
        mn: &str,
        ops: &[i64],
        setup: impl FnOnce(&mut Cpu, &mut Memory),
    ) -> (Cpu, Memory, Stop) {
        let mut mem = Memory::new();
        mem.map_zero(CODE, 0x1000, perm::RWX).unwrap();
        mem.map_zero(DATA, 0x1000, perm::RW).unwrap();
        let e = asm(mn, ops).unwrap();
        mem.store_bytes(CODE, &e.bytes(le)).unwrap();
        let mut cpu = Cpu::new(find_model("power10").unwrap(), le);
        cpu.state.pc = CODE;
        setup(&mut cpu, &mut mem);
        let mut env = VirtualEnv::new(0);
        let stop = step(&mut cpu, &mut mem, &mut env);
        (cpu, mem, stop)
    }

    #[test]
    fn fadd_record_form_copies_fx_fex_vx_ox_to_cr1_and_zeroes_doubleword_one() {
        let (cpu, _, stop) = run1(true, "fadd.", &[1, 2, 3], |c, _| {
            c.state.vsr[1] = [0, 0x1234];
            c.state.vsr[2][0] = 1f64.to_bits();
            c.state.vsr[3][0] = 2f64.powi(-60).to_bits();
        });
        assert_eq!(stop, Stop::Budget);
        assert_eq!(cpu.state.vsr[1], [1f64.to_bits(), 0]);
        assert_eq!(cpu.state.fpscr, 0x8202_4000);
        assert_eq!(cpu.state.cr_field(1), 0x8);
    }

    #[test]
    fn fmadd_takes_frc_as_multiplier_and_frb_as_addend() {
        let (cpu, _, _) = run1(true, "fmadd", &[1, 2, 3, 4], |c, _| {
            c.state.vsr[2][0] = 3f64.to_bits();
            c.state.vsr[3][0] = 5f64.to_bits();
            c.state.vsr[4][0] = 7f64.to_bits();
        });
        assert_eq!(cpu.state.fpr(1), 22f64.to_bits());
    }

    #[test]
    fn lfs_converts_single_to_double_keeping_snan_signaling() {
        let (cpu, _, _) = run1(false, "lfs", &[5, 8, 4], |c, m| {
            c.state.gpr[4] = DATA;
            m.store_bytes(DATA + 8, &[0x7f, 0x80, 0x00, 0x01]).unwrap();
        });
        assert_eq!(cpu.state.fpr(5), 0x7ff0_0000_2000_0000);
        assert_eq!(cpu.state.fpscr, 0);
    }

    #[test]
    fn stfsu_narrows_without_rounding_and_updates_ra() {
        let (cpu, mut mem, _) = run1(true, "stfsu", &[5, 4, 4], |c, _| {
            c.state.gpr[4] = DATA;
            c.state.vsr[5][0] = (1.0f64 + f64::EPSILON).to_bits();
        });
        let mut b = [0u8; 4];
        mem.load_bytes(DATA + 4, &mut b).unwrap();
        assert_eq!(u32::from_le_bytes(b), 0x3f80_0000);
        assert_eq!(cpu.state.gpr[4], DATA + 4);
    }

    #[test]
    fn update_form_with_ra_zero_is_illegal() {
        let (_, _, stop) = run1(true, "lfdu", &[1, 8, 0], |_, _| {});
        assert!(matches!(stop, Stop::Fault(f) if matches!(f.kind, FaultKind::Illegal { .. })));
    }

    #[test]
    fn lfdp_in_little_endian_mode_gives_the_even_register_the_second_doubleword() {
        let data: Vec<u8> = (0u8..16).collect();
        let run = |le| {
            run1(le, "lfdp", &[20, 0, 4], |c, m| {
                c.state.gpr[4] = DATA;
                m.store_bytes(DATA, &data).unwrap();
            })
            .0
        };
        let le = run(true);
        assert_eq!(le.state.fpr(20), 0x0f0e_0d0c_0b0a_0908);
        assert_eq!(le.state.fpr(21), 0x0706_0504_0302_0100);
        let be = run(false);
        assert_eq!(be.state.fpr(20), 0x0001_0203_0405_0607);
        assert_eq!(be.state.fpr(21), 0x0809_0a0b_0c0d_0e0f);
    }

    #[test]
    fn plfd_pc_relative_loads_relative_to_the_instruction() {
        let (cpu, _, _) = run1(true, "plfd", &[3, (DATA - CODE) as i64, 0, 1], |_, m| {
            m.store_bytes(DATA, &2.5f64.to_bits().to_le_bytes())
                .unwrap();
        });
        assert_eq!(cpu.state.fpr(3), 2.5f64.to_bits());
        assert_eq!(cpu.state.pc, CODE + 8);
    }

    #[test]
    fn mffscrni_returns_control_bits_then_sets_rn() {
        // QEMU: FPSCR 0x200ff70b → FRT 0xb, FPSCR 0x200ff70a.
        let (cpu, _, _) = run1(true, "mffscrni", &[0, 2], |c, _| {
            c.state.fpscr = 0x200f_f70b
        });
        assert_eq!(cpu.state.fpr(0), 0xb);
        assert_eq!(cpu.state.fpscr, 0x200f_f70a);
    }

    #[test]
    fn mtfsf_with_l_writes_the_whole_fpscr_and_recomputes_summaries() {
        let (cpu, _, _) = run1(true, "mtfsf", &[0xff, 2, 1, 0], |c, _| {
            c.state.vsr[2][0] = 0x7_7fff_ff07;
        });
        assert_eq!(cpu.state.fpscr, 0x7_3fff_f707);
    }

    #[test]
    fn enabled_exception_traps_only_when_msr_fe_bits_are_set() {
        let setup = |fe: bool| {
            move |c: &mut Cpu, _: &mut Memory| {
                c.state.fpscr = super::fpu::bits::ZE;
                c.state.vsr[2][0] = 1f64.to_bits();
                if fe {
                    c.state.msr |= super::fpu::MSR_FE0 | super::fpu::MSR_FE1;
                }
            }
        };
        let (cpu, _, stop) = run1(true, "fdiv", &[1, 2, 3], setup(false));
        assert_eq!(stop, Stop::Budget);
        assert_eq!(cpu.state.fpr(1), 0, "the write is suppressed");
        assert_eq!(cpu.state.fpscr, 0xc400_0010);
        let (cpu, _, stop) = run1(true, "fdiv", &[1, 2, 3], setup(true));
        assert!(matches!(stop, Stop::Fault(f) if f.kind == FaultKind::FpEnabled));
        assert_eq!(cpu.state.fpscr & 0xc400_0000, 0xc400_0000);
    }

    // --- enabled exceptions (ISA 3.1 Book I §4.4). With MSR[FE0]=MSR[FE1]=0
    // (Linux's default) nothing traps, but the enable bits still decide
    // whether the target is written and what value it gets. ---

    const FX: u64 = 0x8000_0000;
    const FEX: u64 = 0x4000_0000;
    const VX: u64 = 0x2000_0000;
    const OX: u64 = 0x1000_0000;
    const UX: u64 = 0x0800_0000;
    const ZX: u64 = 0x0400_0000;
    const XX: u64 = 0x0200_0000;
    const VXISI: u64 = 0x0080_0000;
    const FR: u64 = 0x0004_0000;
    const FI: u64 = 0x0002_0000;
    const PLUS_NORMAL: u64 = 0x4000;
    const VE: u64 = 0x80;
    const OE: u64 = 0x40;
    const UE: u64 = 0x20;
    const ZE: u64 = 0x10;
    const XE: u64 = 0x08;
    /// MSR[FE0] | MSR[FE1]: precise mode, as qemu-user runs processes.
    const PRECISE: u64 = crate::cpu::msr::FE0 | crate::cpu::msr::FE1;

    fn is_fp_enabled(stop: Stop) -> bool {
        matches!(stop, Stop::Fault(f) if f.kind == FaultKind::FpEnabled)
    }

    #[test]
    fn with_fe_clear_enabled_invalid_operation_suppresses_the_target_without_trapping() {
        // §4.4.1: VE=1 → FRT unchanged, FPRF unchanged, FR FI cleared.
        let (cpu, _, stop) = run1(true, "fsub.", &[1, 2, 3], |c, _| {
            c.state.fpscr = VE | FR | FI;
            c.state.vsr[1] = [0x1234, 0x5678];
            c.state.vsr[2][0] = f64::INFINITY.to_bits();
            c.state.vsr[3][0] = f64::INFINITY.to_bits();
        });
        assert_eq!(stop, Stop::Budget);
        assert_eq!(cpu.state.pc, CODE + 4);
        assert_eq!(cpu.state.vsr[1], [0x1234, 0x5678]);
        assert_eq!(cpu.state.fpscr, FX | FEX | VX | VXISI | VE);
        assert_eq!(cpu.state.cr_field(1), 0xe);
    }

    #[test]
    fn with_fe_clear_enabled_zero_divide_suppresses_the_target_without_trapping() {
        // §4.4.2: ZE=1 → FRT unchanged, FPRF unchanged.
        let (cpu, _, stop) = run1(true, "fdiv.", &[1, 2, 3], |c, _| {
            c.state.fpscr = ZE | 0x1_f000;
            c.state.vsr[1] = [0x1234, 0x5678];
            c.state.vsr[2][0] = (-1f64).to_bits();
        });
        assert_eq!(stop, Stop::Budget);
        assert_eq!(cpu.state.vsr[1], [0x1234, 0x5678]);
        assert_eq!(cpu.state.fpscr, FX | FEX | ZX | 0x1_f000 | ZE);
        assert_eq!(cpu.state.cr_field(1), 0xc);
    }

    #[test]
    fn with_fe_clear_enabled_inexact_writes_the_rounded_result() {
        // §4.4.6: XE does not change the result.
        let (cpu, _, stop) = run1(true, "fadd.", &[1, 2, 3], |c, _| {
            c.state.fpscr = XE;
            c.state.vsr[2][0] = 1f64.to_bits();
            c.state.vsr[3][0] = 2f64.powi(-60).to_bits();
        });
        assert_eq!(stop, Stop::Budget);
        assert_eq!(cpu.state.vsr[1], [1f64.to_bits(), 0]);
        assert_eq!(cpu.state.fpscr, FX | FEX | XX | FI | PLUS_NORMAL | XE);
        assert_eq!(cpu.state.cr_field(1), 0xc);
    }

    #[test]
    fn with_fe_clear_enabled_overflow_writes_the_result_divided_by_2_pow_1536() {
        // §4.4.3: 2^1000 * 2^1000 = 2^2000 → 2^464, exact (no XX).
        let (cpu, _, stop) = run1(true, "fmul", &[1, 2, 3], |c, _| {
            c.state.fpscr = OE;
            c.state.vsr[2][0] = 2f64.powi(1000).to_bits();
            c.state.vsr[3][0] = 2f64.powi(1000).to_bits();
        });
        assert_eq!(stop, Stop::Budget);
        assert_eq!(cpu.state.fpr(1), 2f64.powi(464).to_bits());
        assert_eq!(cpu.state.fpscr, FX | FEX | OX | PLUS_NORMAL | OE);
    }

    #[test]
    fn with_fe_clear_enabled_single_underflow_writes_the_result_times_2_pow_192() {
        // §4.4.4: 2^-100 * 2^-100 = 2^-200 is tiny in single → 2^-8, exact.
        let (cpu, _, stop) = run1(true, "fmuls", &[1, 2, 3], |c, _| {
            c.state.fpscr = UE;
            c.state.vsr[2][0] = 2f64.powi(-100).to_bits();
            c.state.vsr[3][0] = 2f64.powi(-100).to_bits();
        });
        assert_eq!(stop, Stop::Budget);
        assert_eq!(cpu.state.fpr(1), 2f64.powi(-8).to_bits());
        assert_eq!(cpu.state.fpscr, FX | FEX | UX | PLUS_NORMAL | UE);
    }

    #[test]
    fn with_fe_clear_mtfsfi_enabling_a_recorded_exception_sets_fex_without_trapping() {
        // Field 7 ← 0b1000 sets XE while XX is already 1.
        let (cpu, _, stop) = run1(true, "mtfsfi.", &[7, 8, 0], |c, _| {
            c.state.fpscr = FX | XX;
        });
        assert_eq!(stop, Stop::Budget);
        assert_eq!(cpu.state.fpscr, FX | FEX | XX | XE);
        assert_eq!(cpu.state.cr_field(1), 0xc);
    }

    #[test]
    fn in_precise_mode_a_record_form_has_set_cr1_when_the_interrupt_is_taken() {
        // §4.4: the excepting instruction completes before the interrupt, so
        // FRT and CR1 are written (QEMU 7.2 leaves CR1 unchanged; excluded in
        // tests/vectors.rs).
        let (cpu, _, stop) = run1(true, "fadd.", &[1, 2, 3], |c, _| {
            c.state.msr |= PRECISE;
            c.state.fpscr = XE;
            c.state.vsr[2][0] = 1f64.to_bits();
            c.state.vsr[3][0] = 2f64.powi(-60).to_bits();
        });
        assert!(is_fp_enabled(stop));
        assert_eq!(
            cpu.state.pc, CODE,
            "the interrupt points at the instruction"
        );
        assert_eq!(cpu.state.fpr(1), 1f64.to_bits());
        assert_eq!(cpu.state.fpscr, FX | FEX | XX | FI | PLUS_NORMAL | XE);
        assert_eq!(cpu.state.cr_field(1), 0xc);
    }

    #[test]
    fn in_precise_mode_a_suppressed_target_stays_suppressed() {
        let (cpu, _, stop) = run1(true, "fsub.", &[1, 2, 3], |c, _| {
            c.state.msr |= PRECISE;
            c.state.fpscr = VE;
            c.state.vsr[1] = [0x1234, 0x5678];
            c.state.vsr[2][0] = f64::INFINITY.to_bits();
            c.state.vsr[3][0] = f64::INFINITY.to_bits();
        });
        assert!(is_fp_enabled(stop));
        assert_eq!(cpu.state.vsr[1], [0x1234, 0x5678]);
        assert_eq!(cpu.state.fpscr, FX | FEX | VX | VXISI | VE);
        assert_eq!(cpu.state.cr_field(1), 0xe);
    }

    #[test]
    fn fcfid_with_enabled_inexact_writes_frt_and_fprf_before_the_interrupt() {
        // §4.4.6 (QEMU 7.2 raises before writing; excluded in tests/vectors.rs).
        // 0x0123456789abcdef has 57 significant bits: rounds to
        // 0x1.23456789abcdfp+56.
        let (cpu, _, stop) = run1(true, "fcfid", &[1, 3], |c, _| {
            c.state.msr |= PRECISE;
            c.state.fpscr = XE;
            c.state.vsr[3][0] = 0x0123_4567_89ab_cdef;
        });
        assert!(is_fp_enabled(stop));
        assert_eq!(cpu.state.fpr(1), 0x4372_3456_789a_bcdf);
        assert_eq!(cpu.state.fpscr & !FR, FX | FEX | XX | FI | PLUS_NORMAL | XE);
    }

    #[test]
    fn in_precise_mode_mtfsf_that_sets_fex_traps_after_writing_fpscr_and_cr1() {
        // QEMU 7.2 (helper_store_fpscr, then fpscr_check_status) and the ISA
        // (§4.6.10: mtfsf can set FEX) agree; fp.jsonl mtfsf. vectors.
        let (cpu, _, stop) = run1(true, "mtfsf.", &[0xff, 2, 0, 0], |c, _| {
            c.state.msr |= PRECISE;
            c.state.vsr[2][0] = XX | XE;
        });
        assert!(is_fp_enabled(stop));
        assert_eq!(cpu.state.fpscr, FEX | XX | XE);
        assert_eq!(cpu.state.cr_field(1), 0x4);
    }
}
