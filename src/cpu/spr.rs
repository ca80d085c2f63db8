//! The SPRs a problem-state (Linux user) program can reach, with the ISA level
//! and facility that make each one available. `mfspr`/`mtspr` of a number not
//! listed here, or listed but newer than the effective level (the CPU's, or
//! the compat mode's under the PCR) or of a facility the CPU/mode lacks, is an
//! illegal instruction (SIGILL), as for instructions (issue 4: "an instruction
//! or SPR introduced after the active compat level is illegal").
//!
//! Sources per row: the ISA (level that introduced the problem-state access),
//! QEMU's per-model SPR registration with user access (target/ppc/cpu_init.c,
//! measured under qemu-ppc64le 7.2 with `mfspr`/`mtspr` on `-cpu power7`,
//! `power8`, `power9`, `power10`: exit 0 or SIGILL), and what Linux does for
//! user space (arch/powerpc/kernel/traps.c). Where they disagree the row says
//! which one is followed and why.
//!
//! Measured and deliberately **not** listed (SIGILL here): AMR (13; SIGILL in
//! qemu-user on every model), CTRL (136, read-only in QEMU), SPRG3 (259,
//! read-only in QEMU: implementation data, e.g. Linux's old vDSO cpu number),
//! the problem-state PMU SPRs 768-782 (QEMU: SIER/MMCR2 from POWER8, the
//! others on every model; values are implementation-specific), the EBB SPRs
//! BESCRS/BESCRSU/BESCRR/BESCRRU/BESCR/BESCRU/EBBHR/EBBRR (800-806: QEMU 7.2
//! linux-user *aborts* on them from POWER8 and gives SIGILL on POWER7; Linux
//! enables FSCR[EBB] only for a task that set up an EBB perf event, otherwise
//! `facility_unavailable_exception` sends SIGILL — so a plain program gets
//! SIGILL on every CPU), and the DEXCR SPRs (812, 828; SIGILL in QEMU 7.2).

use crate::isa::{Facility, IsaLevel};

/// One user-accessible SPR.
#[derive(Debug, PartialEq, Eq)]
pub struct UserSpr {
    /// SPR number.
    pub num: u32,
    /// Name.
    pub name: &'static str,
    /// `mfspr` allowed.
    pub read: bool,
    /// `mtspr` allowed.
    pub write: bool,
    /// ISA level that made it accessible in problem state.
    pub level: IsaLevel,
    /// Facility it belongs to (availability: [`super::compat::facility_available`]).
    pub facility: Facility,
}

const fn rw(num: u32, name: &'static str, level: IsaLevel, facility: Facility) -> UserSpr {
    UserSpr {
        num,
        name,
        read: true,
        write: true,
        level,
        facility,
    }
}

use Facility::{Base, Tm};
use IsaLevel::{V2_05, V2_07};

/// The table, by number.
pub static USER_SPRS: &[UserSpr] = &[
    // XER, LR, CTR: every model (QEMU measured power7..power10).
    rw(1, "XER", V2_05, Base),
    // DSCR, problem-state number. The ISA gives problem state SPR 3 from 2.07
    // (FSCR[DSCR]); Linux makes it work on every CPU with CPU_FTR_DSCR
    // (CPU_FTRS_POWER6 and later): natively on POWER8+ (the kernel sets
    // FSCR[DSCR] on the first facility-unavailable trap) and by emulation on
    // POWER6/POWER7 (traps.c `emulate_instruction`, "Emulate the mfspr rD,
    // DSCR", which accepts SPR 3 and SPR 17). So a Linux program can use it
    // at every modelled level. QEMU 7.2 linux-user does not model it (SIGILL
    // on every model, measured; tests/vectors/SKIPPED.md); Linux is followed.
    rw(3, "DSCR", V2_05, Base),
    rw(8, "LR", V2_05, Base),
    rw(9, "CTR", V2_05, Base),
    // DSCR, privileged number: a privileged-SPR program interrupt in problem
    // state, which Linux emulates exactly like SPR 3 (same traps.c code, on
    // REASON_PRIVILEGED as on REASON_ILLEGAL). QEMU 7.2: SIGILL (measured).
    rw(17, "DSCR", V2_05, Base),
    // Transactional memory SPRs (ISA 2.07 Book II §5.3). QEMU registers them
    // with user access from POWER8 (`register_power8_tm_sprs`; measured: RW
    // on power8/power9/power10, SIGILL on power7). Available only with the
    // TM facility (compat::tm_available): not on POWER10, not under
    // PCR[TM_DIS], not for a pseries guest whose kernel was not offered TM
    // (cap-htm off).
    rw(128, "TFHAR", V2_07, Tm),
    rw(129, "TFIAR", V2_07, Tm),
    rw(130, "TEXASR", V2_07, Tm),
    rw(131, "TEXASRU", V2_07, Tm),
    // VRSAVE: every model (QEMU measured).
    rw(256, "VRSAVE", V2_05, Base),
    // TB / TBU read (mfspr 268/269 = mftb/mftbu): every model.
    UserSpr {
        num: 268,
        name: "TB",
        read: true,
        write: false,
        level: V2_05,
        facility: Base,
    },
    UserSpr {
        num: 269,
        name: "TBU",
        read: true,
        write: false,
        level: V2_05,
        facility: Base,
    },
    // TAR (ISA 2.07, bctar): QEMU measured RW on power8+, SIGILL on power7.
    rw(815, "TAR", V2_07, Base),
    // PPR: QEMU measured RW on every model (POWER7 has it: CPU_FTR_HAS_PPR).
    rw(896, "PPR", V2_05, Base),
    // PPR32 (upper word of PPR): ISA 2.07 Book II "Program Priority Register"
    // — level UNVERIFIED (the 2.06 text was not checked; Linux's reg.h has
    // SPRN_PPR32 0x382 without a level). QEMU 7.2 does not model it at all
    // (SIGILL on every model, measured). Modelled from 2.07.
    rw(898, "PPR32", V2_07, Base),
];

/// The user SPR with number `num`, if any.
pub fn user_spr(num: u32) -> Option<&'static UserSpr> {
    USER_SPRS.iter().find(|s| s.num == num)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_unique_and_sorted() {
        assert!(USER_SPRS.windows(2).all(|w| w[0].num < w[1].num));
    }

    #[test]
    fn tm_sprs_are_tm_facility_at_2_07() {
        for n in 128..=131 {
            let s = user_spr(n).unwrap();
            assert_eq!((s.level, s.facility), (V2_07, Tm), "{}", s.name);
        }
        assert!(
            user_spr(804).is_none(),
            "EBBHR is SIGILL for a plain program"
        );
    }
}
