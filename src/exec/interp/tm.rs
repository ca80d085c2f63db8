//! Transactional memory (Power ISA 2.07 Book II ch. 5), as QEMU's user mode
//! implements it: a transaction never starts.
//!
//! QEMU (target/ppc/translate.c `gen_tbegin`, `GEN_TM_NOOP`, `gen_tcheck`,
//! `GEN_TM_PRIV_NOOP`; target/ppc/excp_helper.c/tm_helper.c `helper_tbegin`)
//! has a "degenerate implementation" that the ISA allows: `tbegin.` always
//! fails with a persistent "nesting overflow" cause, so execution continues
//! at the next instruction with CR0 saying "failed", and every other TM
//! instruction runs in Non-transactional state. A program written for TM
//! must have a fallback path (transactions may always fail), so this is
//! correct for every conforming program, and it is deterministic.
//!
//! Measured under qemu-ppc64le 7.2 (`-cpu power8`, `power9` and `power10`
//! alike; tests/vectors/tm.jsonl):
//! - `tbegin.` sets CR0 = 0b1011 (QEMU writes 0xB although its comment says
//!   0b1010; the low bit lands in CR0[SO]), TEXASR = 0x0140_0000_3c00_0000
//!   (failure-persistent bit 7, nesting-overflow bit 9, privilege bits 34-35
//!   = HV PR = 0b11 because qemu-user runs with MSR[HV] and MSR[PR] set,
//!   failure-summary bit 36, TFIAR-exact bit 37), TFIAR = address of the
//!   `tbegin.` | HV<<1 | PR (= address | 3), TFHAR = address + 4. (QEMU takes
//!   the address from `env->nip`, which it does not update before the
//!   helper: it is the `tbegin.`'s own address only when the instruction
//!   starts a translation block, as in the vectors' harness; in the middle
//!   of a block QEMU records a stale address. Here it is always the
//!   instruction's address, which is what the ISA and QEMU's comment say.)
//! - `tend.`, `tabort.`, `tabortwc.`, `tabortwci.`, `tabortdc.`,
//!   `tabortdci.`, `tsr.` set CR0 = 0b0 || MSR[TS] || 0 = 0 and nothing else
//!   (TEXASR keeps its value).
//! - `tcheck BF` sets CR field BF = 0b1000 (TDOOMED=1, MSR[TS]=00).
//! - `treclaim.` / `trechkpt.` are privileged: SIGILL in problem state.
//!
//! Availability: a TM instruction runs only when TM is available to the
//! guest — [`crate::cpu::compat::tm_available`]: the guest kernel enabled it
//! (it was advertised at boot: cap-htm on a pseries machine, always under
//! `run`/`record`), the hardware has it ([`crate::cpu::CpuModel::has_tm`]),
//! the level is 2.07+ and PCR[TM_DIS] is clear; otherwise it is an illegal
//! instruction (SIGILL), e.g. on POWER10, on POWER8 in power7 mode, or on a
//! POWER9 guest booted with cap-htm=off. The engines see no model, so the
//! kernel-and-hardware half lives in MSR[TM] ([`crate::cpu::compat::tm_msr`],
//! applied wherever a CPU gets its model) and [`tm_enabled`] checks MSR[TM]
//! and PCR[TM_DIS]; the decoder checks the level from the row.
//! Linux's side of this (arch/powerpc/kernel/traps.c
//! `facility_unavailable_exception`, FSCR_TM_LG): on TM-aware hardware whose
//! kernel has no CPU_FTR_TM ("firmware told us not to do TM, or the kernel is
//! not built with TM support") any TM instruction sends SIGILL at once; with
//! CPU_FTR_TM, `tm_unavailable` sets MSR[TM] lazily and the instruction is
//! retried, invisible to the program. On hardware without TM (POWER10) the
//! exact interrupt is UNVERIFIED; SIGILL is what a program sees for an
//! instruction the CPU lacks. The ISA effect of PCR[TM_DIS] is UNVERIFIED
//! (isa-facts.md §4); it is modelled like VEC_DIS/VSX_DIS (SIGILL).

use super::{Ctx, Exc, ExecResult};
use crate::cpu::{compat::pcr, msr, ArchState};
use crate::exec::FaultKind;
use crate::isa::table::Tm;
use crate::isa::Insn;

/// TEXASR after QEMU's failing `tbegin.` in user mode (see the module doc).
pub const TBEGIN_TEXASR: u64 = (1 << (63 - 7)) // failure persistent
    | (1 << (63 - 9)) // nesting overflow
    | (1 << (63 - 34)) // privilege: HV
    | (1 << (63 - 35)) // privilege: PR
    | (1 << (63 - 36)) // failure summary
    | (1 << (63 - 37)); // TFIAR exact

/// Whether TM instructions and SPRs are available: MSR[TM] set (the guest
/// kernel's enable on hardware with TM, [`crate::cpu::compat::tm_msr`]) and
/// PCR[TM_DIS] clear — [`crate::cpu::compat::tm_available`] with the level
/// left to the decoder. The SPR gating (`system.rs` `spr_ok`) uses it too.
#[inline]
pub fn tm_enabled(s: &ArchState) -> bool {
    s.msr & msr::TM != 0 && s.pcr & pcr::TM_DIS == 0
}

pub(super) fn exec(cx: &mut Ctx, op: Tm, i: Insn) -> ExecResult {
    if !tm_enabled(cx.s) {
        return Err(Ctx::illegal(i));
    }
    use Tm::*;
    match op {
        Tbegin => tbegin(cx),
        Tend | Tabort | Tabortwc | Tabortdc | Tabortwci | Tabortdci | Tsr => {
            cx.s.set_cr_field(0, 0);
            Ok(())
        }
        Tcheck => {
            cx.s.set_cr_field(i.bits(6, 8) as usize, 0b1000);
            Ok(())
        }
        Treclaim | Trechkpt => {
            if cx.s.msr & msr::PR != 0 {
                Err(Exc::Fault(FaultKind::Privileged { word: i.word }))
            } else {
                Err(Ctx::unimplemented(i))
            }
        }
    }
}

/// tbegin.: the transaction fails at once (persistent nesting overflow).
fn tbegin(cx: &mut Ctx) -> ExecResult {
    cx.s.texasr = TBEGIN_TEXASR;
    // Privilege bits as qemu-user has them: MSR[HV] = MSR[PR] = 1.
    cx.s.tfiar = cx.pc | 0b11;
    cx.s.tfhar = cx.pc.wrapping_add(4);
    cx.s.set_cr_field(0, 0xb);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixed::testutil::T;
    use super::TBEGIN_TEXASR;
    use crate::cpu::compat::pcr;
    use crate::exec::{FaultKind, Stop};

    fn illegal(s: Stop) -> bool {
        matches!(s, Stop::Fault(f) if matches!(f.kind, FaultKind::Illegal { .. }))
    }

    #[test]
    fn tbegin_always_fails_like_qemu_user() {
        // Expected values: qemu-ppc64le 7.2 -cpu power9 (tests/vectors/tm.jsonl).
        let mut t = T::new("power9", true);
        let pc = t.cpu.state.pc;
        t.run("tbegin.", &[0]);
        assert_eq!(t.cpu.state.cr >> 28, 0xb);
        assert_eq!(t.cpu.state.texasr, 0x0140_0000_3c00_0000);
        assert_eq!(TBEGIN_TEXASR, 0x0140_0000_3c00_0000);
        assert_eq!(t.cpu.state.tfiar, pc | 3);
        assert_eq!(t.cpu.state.tfhar, pc + 4);
    }

    #[test]
    fn tend_tabort_and_tsr_clear_cr0_and_tcheck_sets_tdoomed() {
        let mut t = T::new("power8", true);
        for (m, ops) in [
            ("tend.", &[0][..]),
            ("tabort.", &[3][..]),
            ("tabortwc.", &[1, 2, 3][..]),
            ("tabortdci.", &[1, 2, -3][..]),
            ("tsr.", &[1][..]),
        ] {
            t.cpu.state.cr = 0xffff_ffff;
            assert_eq!(t.run(m, ops), Stop::Budget, "{m}");
            assert_eq!(t.cpu.state.cr, 0x0fff_ffff, "{m}");
        }
        t.cpu.state.cr = 0;
        t.run("tcheck", &[7]);
        assert_eq!(t.cpu.state.cr, 0x8);
    }

    #[test]
    fn tm_is_illegal_on_power10_and_under_pcr_tm_dis() {
        // POWER10: Linux has no TM (CpuModel::has_tm).
        let mut t = T::new("power10", true);
        assert!(illegal(t.run("tbegin.", &[0])));
        assert_eq!(t.cpu.state.texasr, 0);
        // POWER8 in power7 mode: PCR = TM_DIS | COMPAT_2_06 (facts §4.4).
        let mut t = T::new("power8", true);
        t.cpu.state.pcr = pcr::TM_DIS | pcr::COMPAT_2_06;
        assert!(illegal(t.run("tbegin.", &[0])));
        assert!(illegal(t.run("tcheck", &[0])));
    }

    #[test]
    fn tm_is_illegal_on_a_power9_whose_kernel_was_not_offered_tm() {
        // A pseries guest booted with cap-htm=off never sets MSR[TM]; Linux
        // then sends SIGILL for any TM instruction (traps.c, module doc).
        let mut t = T::new("power9", true);
        t.cpu.state.msr &= !crate::cpu::msr::TM;
        assert!(illegal(t.run("tbegin.", &[0])));
        assert_eq!(t.cpu.state.texasr, 0);
        assert!(illegal(t.run("mfspr", &[5, 130])));
    }

    #[test]
    fn treclaim_and_trechkpt_are_privileged() {
        let mut t = T::new("power9", true);
        for m in ["treclaim.", "trechkpt."] {
            let ops: &[i64] = if m == "treclaim." { &[3] } else { &[] };
            let s = t.run(m, ops);
            assert!(
                matches!(s, Stop::Fault(f) if matches!(f.kind, FaultKind::Privileged { .. })),
                "{m}: {s:?}"
            );
        }
    }
}
