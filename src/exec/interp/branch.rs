//! Branch semantics: I/B/XL-form branches, CR logical operations, `mcrf`, and the
//! system-call instructions (Power ISA 3.1 Book I §2.4-2.5).
//!
//! The BO "a/t" prediction hints and the BH hint are ignored. `bcctr[l]` with
//! BO[2]=0 (decrement CTR) is an invalid form that 64-bit server processors
//! implement as "test the old CTR, decrement, branch to the old CTR"; that is
//! what QEMU does for book3s 2.x (translate.c `gen_bcond`), and so do we.

use super::{Ctx, Exc, ExecResult};
use crate::isa::table::Branch;
use crate::isa::Insn;

// Inlined into the per-row handlers (interp/mod.rs), where `op` is a
// constant and the match folds to one arm.
#[inline(always)]
pub(super) fn exec(cx: &mut Ctx, op: Branch, i: Insn) -> ExecResult {
    use Branch::*;
    match op {
        B | Bl => b(cx, i, false),
        Ba | Bla => b(cx, i, true),
        Bc | Bcl => bc(cx, i, false),
        Bca | Bcla => bc(cx, i, true),
        Bclr | Bclrl => bclr(cx, i),
        Bcctr | Bcctrl => bcctr(cx, i),
        Bctar | Bctarl => bctar(cx, i),
        Crand => crop(cx, i, |a, b| a & b),
        Cror => crop(cx, i, |a, b| a | b),
        Crxor => crop(cx, i, |a, b| a ^ b),
        Crnand => crop(cx, i, |a, b| !(a & b)),
        Crnor => crop(cx, i, |a, b| !(a | b)),
        Creqv => crop(cx, i, |a, b| a == b),
        Crandc => crop(cx, i, |a, b| a & !b),
        Crorc => crop(cx, i, |a, b| a | !b),
        Mcrf => mcrf(cx, i),
        Sc => Err(Exc::Syscall(i.bits(20, 26) as u8)),
        // scv (ISA 3.0) is not advertised (no PPC_FEATURE2_SCV in AT_HWCAP2) and
        // qemu-user compiles it out (translate.c `#if !defined(CONFIG_USER_ONLY)`),
        // so it is an illegal instruction there: SIGILL here too.
        Scv => Err(Ctx::illegal(i)),
    }
}

/// LK bit: LR = CIA + 4.
#[inline(always)]
fn link(cx: &mut Ctx, i: Insn) {
    if i.word & 1 != 0 {
        cx.s.lr = cx.pc.wrapping_add(4);
    }
}

#[inline(always)]
fn b(cx: &mut Ctx, i: Insn, abs: bool) -> ExecResult {
    let li = (((i.word & 0x03ff_fffc) << 6) as i32 >> 6) as i64 as u64;
    cx.next_pc = if abs { li } else { cx.pc.wrapping_add(li) };
    link(cx, i);
    Ok(())
}

/// BO test shared by the conditional branches: decrements CTR if BO[2]=0 and
/// returns whether the branch is taken.
#[inline(always)]
fn cond(cx: &mut Ctx, i: Insn) -> bool {
    let bo = i.bits(6, 10);
    let ctr_ok = if bo & 0x04 == 0 {
        cx.s.ctr = cx.s.ctr.wrapping_sub(1);
        (cx.s.ctr != 0) != (bo & 0x02 != 0)
    } else {
        true
    };
    let cond_ok = bo & 0x10 != 0 || cx.s.cr_bit(i.bits(11, 15) as usize) == (bo & 0x08 != 0);
    ctr_ok && cond_ok
}

#[inline(always)]
fn bc(cx: &mut Ctx, i: Insn, abs: bool) -> ExecResult {
    if cond(cx, i) {
        let bd = (i.word & 0xfffc) as u16 as i16 as i64 as u64;
        cx.next_pc = if abs { bd } else { cx.pc.wrapping_add(bd) };
    }
    link(cx, i);
    Ok(())
}

#[inline(always)]
fn bclr(cx: &mut Ctx, i: Insn) -> ExecResult {
    // The target is the LR before the LK update.
    let target = cx.s.lr & !3;
    if cond(cx, i) {
        cx.next_pc = target;
    }
    link(cx, i);
    Ok(())
}

/// Branch to `target` (CTR or TAR) under the BO/BI condition.
#[inline(always)]
fn bc_to(cx: &mut Ctx, i: Insn, target: u64) -> ExecResult {
    let bo = i.bits(6, 10);
    let taken = if bo & 0x04 == 0 {
        // Invalid form (see the module docs): test the old CTR, and decrement
        // only when that test passes.
        let ctr_ok = (cx.s.ctr != 0) != (bo & 0x02 != 0);
        if ctr_ok {
            cx.s.ctr = cx.s.ctr.wrapping_sub(1);
        }
        ctr_ok && (bo & 0x10 != 0 || cx.s.cr_bit(i.bits(11, 15) as usize) == (bo & 0x08 != 0))
    } else {
        bo & 0x10 != 0 || cx.s.cr_bit(i.bits(11, 15) as usize) == (bo & 0x08 != 0)
    };
    if taken {
        cx.next_pc = target & !3;
    }
    link(cx, i);
    Ok(())
}

#[inline(always)]
fn bcctr(cx: &mut Ctx, i: Insn) -> ExecResult {
    let t = cx.s.ctr;
    bc_to(cx, i, t)
}

fn bctar(cx: &mut Ctx, i: Insn) -> ExecResult {
    let t = cx.s.tar;
    bc_to(cx, i, t)
}

#[inline(always)]
fn crop(cx: &mut Ctx, i: Insn, f: impl Fn(bool, bool) -> bool) -> ExecResult {
    let a = cx.s.cr_bit(i.bits(11, 15) as usize);
    let b = cx.s.cr_bit(i.bits(16, 20) as usize);
    cx.s.set_cr_bit(i.bits(6, 10) as usize, f(a, b));
    Ok(())
}

fn mcrf(cx: &mut Ctx, i: Insn) -> ExecResult {
    let v = cx.s.cr_field(i.bits(11, 13) as usize);
    cx.s.set_cr_field(i.bits(6, 8) as usize, v);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixed::testutil::{CODE, T};
    use crate::exec::Stop;

    #[test]
    fn bdnz_decrements_ctr_and_branches_while_nonzero() {
        // bc 16,0,+8 = bdnz (BO=16: decrement, branch if CTR != 0).
        let mut t = T::p10();
        t.cpu.state.ctr = 2;
        t.run("bc", &[16, 0, 8]);
        assert_eq!((t.cpu.state.ctr, t.cpu.state.pc), (1, CODE + 8));
        t.run("bc", &[16, 0, 8]);
        assert_eq!((t.cpu.state.ctr, t.cpu.state.pc), (0, CODE + 4));
    }

    #[test]
    fn bclrl_branches_to_the_old_lr_and_links() {
        let mut t = T::p10();
        t.cpu.state.lr = 0x4000_0003;
        t.run("bclrl", &[20, 0, 0]);
        assert_eq!(t.cpu.state.pc, 0x4000_0000);
        assert_eq!(t.cpu.state.lr, CODE + 4);
    }

    #[test]
    fn beq_tests_the_cr_bit() {
        let mut t = T::p10();
        t.cpu.state.cr = 0x2000_0000; // CR0.EQ
        t.run("bc", &[12, 2, -4]);
        assert_eq!(t.cpu.state.pc, CODE - 4);
    }

    #[test]
    fn sc_stops_for_the_personality_and_scv_is_illegal() {
        let mut t = T::p10();
        assert_eq!(t.run("sc", &[0]), Stop::Syscall { lev: 0 });
        assert_eq!(t.cpu.state.pc, CODE + 4);
        assert!(matches!(t.run("scv", &[0]), Stop::Fault(_)));
    }

    #[test]
    fn crxor_and_mcrf_move_cr_bits() {
        let mut t = T::p10();
        t.cpu.state.cr = 0x8000_0000;
        t.run("crxor", &[6, 0, 6]); // cr1.eq = cr0.lt ^ cr1.eq
        assert_eq!(t.cpu.state.cr, 0x8200_0000);
        t.run("mcrf", &[7, 0]);
        assert_eq!(t.cpu.state.cr, 0x8200_0008);
    }
}
