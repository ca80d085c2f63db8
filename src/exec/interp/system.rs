//! System semantics: SPR/TB/CR moves, MSR access, barriers, cache management and
//! `wait` (Power ISA 3.1 Book I §3.3.17, Book II ch. 4-5).
//!
//! SPR access in problem state follows the table in [`crate::cpu::spr`] (QEMU's
//! user-mode SPR registration, measured per model, and Linux's emulation; each
//! row cites its source): a listed SPR is accessible from the level and with
//! the facility its row gives, else illegal; any other SPR number is a
//! privileged-instruction fault when SPR bit 0x10 is set (the architected
//! "privileged SPR" bit) and an illegal-instruction fault otherwise — both
//! SIGILL.

use super::{Ctx, Exc, ExecResult};
use crate::cpu::msr;
use crate::exec::FaultKind;
use crate::isa::table::System;
use crate::isa::Insn;

/// Data cache block size (AT_DCACHEBSIZE = 128 on POWER7..POWER10).
const DCACHE_BLOCK: u64 = 128;

// Inlined into the per-row handlers (interp/mod.rs), where `op` is a
// constant and the match folds to one arm.
#[inline(always)]
pub(super) fn exec(cx: &mut Ctx, op: System, i: Insn) -> ExecResult {
    use System::*;
    match op {
        Mfspr => mfspr(cx, i),
        Mtspr => mtspr(cx, i),
        Mftb => mftb(cx, i),
        Mfcr => {
            cx.s.gpr[i.rt()] = cx.s.cr as u64;
            Ok(())
        }
        Mfocrf => mfocrf(cx, i),
        Mtcrf => mtcrf(cx, i),
        Mtocrf => mtocrf(cx, i),
        Mfmsr => mfmsr(cx, i),
        Mtmsr | Mtmsrd => {
            privileged(cx, i)?;
            Err(Ctx::unimplemented(i))
        }
        // Barriers and cache hints have no architected effect on a single
        // thread with coherent instruction fetch (the decode cache is
        // invalidated by stores to code pages).
        Sync | Eieio | Isync | Dcbt | Dcbtst | Cpabort => Ok(()),
        // QEMU treats dcbf/dcbst as a one-byte load (translate.c `gen_dcbf`) and
        // icbi as a word load of the cache block (`helper_icbi`): they fault on
        // unreadable addresses and do nothing else.
        Dcbf | Dcbst => touch(cx, ea_x(cx, i)),
        Icbi => touch(cx, ea_x(cx, i) & !(DCACHE_BLOCK - 1)),
        Dcbz => dcbz(cx, i),
        Wait => wait(cx, i),
    }
}

#[inline(always)]
fn ea_x(cx: &Ctx, i: Insn) -> u64 {
    cx.ea_ra0(i.ra(), cx.s.gpr[i.rb()] as i64)
}

/// Faults (privileged instruction) in problem state.
#[inline(always)]
fn privileged(cx: &Ctx, i: Insn) -> ExecResult {
    if cx.s.msr & msr::PR != 0 {
        Err(Exc::Fault(FaultKind::Privileged { word: i.word }))
    } else {
        Ok(())
    }
}

/// The fault for an SPR that is not accessible: privileged numbers (bit 0x10)
/// give the privileged-instruction fault, others the illegal-instruction fault.
/// A listed user SPR that the level or facility gates off is illegal (the SPR
/// does not exist for this CPU/mode), whatever its number.
fn bad_spr(cx: &Ctx, i: Insn, spr: u32) -> Exc {
    if crate::cpu::spr::user_spr(spr).is_none() && spr & 0x10 != 0 && cx.s.msr & msr::PR != 0 {
        Exc::Fault(FaultKind::Privileged { word: i.word })
    } else {
        Ctx::illegal(i)
    }
}

/// The timebase: virtual time from the environment plus the migration offset.
#[inline(always)]
fn timebase(cx: &mut Ctx) -> u64 {
    cx.env.timebase(cx.icount).wrapping_add(cx.s.tb_offset)
}

#[inline(always)]
fn spr_num(i: Insn) -> u32 {
    i.bits(11, 15) | (i.bits(16, 20) << 5)
}

/// Whether problem state may access `spr` (read or write) at the effective
/// level with the facilities the thread has: the rows of
/// [`crate::cpu::spr::USER_SPRS`] (each with its source), gated by level and
/// facility like instructions.
fn spr_ok(cx: &Ctx, spr: u32, write: bool) -> bool {
    let Some(d) = crate::cpu::spr::user_spr(spr) else {
        return false;
    };
    let facility = match d.facility {
        crate::isa::Facility::Tm => super::tm::tm_enabled(cx.s),
        _ => true,
    };
    (if write { d.write } else { d.read }) && d.level <= cx.level && facility
}

/// Reads a user-readable SPR, `None` if not readable.
fn read_spr(cx: &mut Ctx, spr: u32) -> Option<u64> {
    if !spr_ok(cx, spr, false) {
        return None;
    }
    Some(match spr {
        // OV32/CA32 exist from ISA 3.0: before it they read as 0 even when
        // set (a state migrated from an ISA 3.0 CPU), as QEMU's
        // cpu_read_xer (target/ppc/cpu.c) masks them unless is_isa300.
        1 if cx.isa300() => cx.s.xer(),
        1 => cx.s.xer() & !(crate::cpu::xer::OV32 | crate::cpu::xer::CA32),
        8 => cx.s.lr,
        9 => cx.s.ctr,
        3 | 17 => cx.s.dscr,
        128 => cx.s.tfhar,
        129 => cx.s.tfiar,
        130 => cx.s.texasr,
        // TEXASRU is the upper word of TEXASR (QEMU spr_read_tm_upper32).
        131 => cx.s.texasr >> 32,
        256 => cx.s.vrsave as u64,
        268 => timebase(cx),
        269 => timebase(cx) >> 32,
        815 => cx.s.tar,
        896 => cx.s.ppr,
        // PPR32 is the upper word of PPR.
        898 => cx.s.ppr >> 32,
        _ => return None,
    })
}

fn mfspr(cx: &mut Ctx, i: Insn) -> ExecResult {
    let spr = spr_num(i);
    match read_spr(cx, spr) {
        Some(v) => {
            cx.s.gpr[i.rt()] = v;
            Ok(())
        }
        None => Err(bad_spr(cx, i, spr)),
    }
}

fn mtspr(cx: &mut Ctx, i: Insn) -> ExecResult {
    let spr = spr_num(i);
    let v = cx.s.gpr[i.rs()];
    if !spr_ok(cx, spr, true) {
        return Err(bad_spr(cx, i, spr));
    }
    match spr {
        1 => {
            let has32 = cx.isa300();
            cx.s.set_xer(v, has32);
        }
        8 => cx.s.lr = v,
        9 => cx.s.ctr = v,
        3 | 17 => cx.s.dscr = v,
        128 => cx.s.tfhar = v,
        129 => cx.s.tfiar = v,
        130 => cx.s.texasr = v,
        // TEXASRU writes the upper word (QEMU spr_write_tm_upper32).
        131 => cx.s.texasr = (cx.s.texasr & 0xffff_ffff) | (v << 32),
        256 => cx.s.vrsave = v as u32,
        815 => cx.s.tar = v,
        896 => cx.s.ppr = v,
        898 => cx.s.ppr = (cx.s.ppr & 0xffff_ffff) | ((v & 0xffff_ffff) << 32),
        _ => return Err(bad_spr(cx, i, spr)),
    }
    Ok(())
}

/// mftb (XO 371): TBR 268 = TB, 269 = TBU; anything else as mfspr would.
fn mftb(cx: &mut Ctx, i: Insn) -> ExecResult {
    let tbr = spr_num(i);
    let v = match tbr {
        268 => timebase(cx),
        269 => timebase(cx) >> 32,
        _ => return Err(bad_spr(cx, i, tbr)),
    };
    cx.s.gpr[i.rt()] = v;
    Ok(())
}

/// mfocrf with a one-hot FXM: RT = that CR field in place, other bits 0. With
/// any other FXM the result is undefined; QEMU leaves RT unchanged.
fn mfocrf(cx: &mut Ctx, i: Insn) -> ExecResult {
    let fxm = i.bits(12, 19);
    if fxm.count_ones() == 1 {
        let n = fxm.leading_zeros() as usize - 24; // field 0 = FXM bit 0 (0x80)
        let sh = 28 - 4 * n;
        cx.s.gpr[i.rt()] = (cx.s.cr & (0xf << sh)) as u64;
    }
    Ok(())
}

/// mtcrf: CR fields selected by FXM (bit 0x80 = CR0) from RS[32:63].
fn mtcrf(cx: &mut Ctx, i: Insn) -> ExecResult {
    let fxm = i.bits(12, 19);
    let mut m = 0u32;
    for n in 0..8 {
        if fxm & (0x80 >> n) != 0 {
            m |= 0xf << (28 - 4 * n);
        }
    }
    let v = cx.s.gpr[i.rs()] as u32;
    cx.s.cr = (cx.s.cr & !m) | (v & m);
    Ok(())
}

/// mtocrf: as mtcrf for a one-hot FXM; otherwise undefined, and QEMU does
/// nothing.
fn mtocrf(cx: &mut Ctx, i: Insn) -> ExecResult {
    if i.bits(12, 19).count_ones() == 1 {
        mtcrf(cx, i)
    } else {
        Ok(())
    }
}

fn mfmsr(cx: &mut Ctx, i: Insn) -> ExecResult {
    privileged(cx, i)?;
    cx.s.gpr[i.rt()] = cx.s.msr;
    Ok(())
}

/// A data access that only checks that `ea` is readable.
fn touch(cx: &mut Ctx, ea: u64) -> ExecResult {
    cx.mem.load_raw::<1>(ea)?;
    Ok(())
}

/// dcbz: zeroes the aligned 128-byte block containing EA (all-or-nothing).
fn dcbz(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_x(cx, i) & !(DCACHE_BLOCK - 1);
    cx.mem
        .store_raw::<{ DCACHE_BLOCK as usize }>(ea, [0; DCACHE_BLOCK as usize])?;
    Ok(())
}

/// wait: WC=0 waits for an interrupt, WC=1/2 (waitrsv, pause_short) for
/// implementation-defined events; none can be observed by a single user thread,
/// and the ISA allows a resume at any time, so all are no-ops (as QEMU does for
/// WC=1/2). WC=3 is reserved (QEMU: invalid form on ISA 3.1).
fn wait(cx: &mut Ctx, i: Insn) -> ExecResult {
    let _ = cx;
    if i.bits(9, 10) == 3 {
        return Err(Ctx::illegal(i));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixed::testutil::{DATA, T};
    use crate::exec::{FaultKind, Stop};

    #[test]
    fn dcbz_zeroes_the_aligned_128_byte_block() {
        let mut t = T::p10();
        t.mem.write_bytes(DATA, &[0xff; 512]).unwrap();
        t.set(4, DATA + 0x90);
        t.run("dcbz", &[0, 4]);
        let mut b = [0u8; 512];
        t.mem.read_bytes(DATA, &mut b).unwrap();
        assert!(b[..0x80].iter().all(|&x| x == 0xff));
        assert!(b[0x80..0x100].iter().all(|&x| x == 0));
        assert!(b[0x100..].iter().all(|&x| x == 0xff));
    }

    #[test]
    fn mfocrf_reads_one_field_in_place_and_mtocrf_writes_one() {
        let mut t = T::p10();
        t.cpu.state.cr = 0x1234_5678;
        t.run("mfocrf", &[3, 0x20]);
        assert_eq!(t.r(3), 0x0030_0000);
        t.set(4, 0xffff_ffff);
        t.run("mtocrf", &[0x01, 4]);
        assert_eq!(t.cpu.state.cr, 0x1234_567f);
    }

    #[test]
    fn xer_and_tb_are_user_sprs_but_msr_and_privileged_sprs_fault() {
        let mut t = T::p10();
        t.set(4, 0xe00c_0000);
        t.run("mtspr", &[1, 4]);
        t.run("mfspr", &[3, 1]);
        assert_eq!(t.r(3), 0xe00c_0000);
        t.cpu.icount = 1_000_000_000;
        t.run("mfspr", &[3, 268]);
        assert_eq!(t.r(3), crate::exec::env::TB_FREQ);
        let s = t.run("mfspr", &[3, 287]); // PVR: privileged (bit 0x10)
        assert!(matches!(s, Stop::Fault(f) if matches!(f.kind, FaultKind::Privileged { .. })));
        let s = t.run("mfmsr", &[3]);
        assert!(matches!(s, Stop::Fault(f) if matches!(f.kind, FaultKind::Privileged { .. })));
    }

    #[test]
    fn each_gated_spr_is_illegal_one_level_below_its_own_and_legal_at_it() {
        use crate::cpu::spr::USER_SPRS;
        use crate::isa::IsaLevel;
        let illegal =
            |s: Stop| matches!(s, Stop::Fault(f) if matches!(f.kind, FaultKind::Illegal { .. }));
        for d in USER_SPRS.iter().filter(|d| d.level > IsaLevel::V2_05) {
            let below =
                IsaLevel::ALL[IsaLevel::ALL.iter().position(|l| *l == d.level).unwrap() - 1];
            // POWER9 (has TM) limited to the SPR's level and to the one below.
            let mut t = T::new("power9", true);
            t.cpu.level = d.level;
            if d.read {
                assert_eq!(
                    t.run("mfspr", &[3, d.num as i64]),
                    Stop::Budget,
                    "{}",
                    d.name
                );
            }
            if d.write {
                assert_eq!(
                    t.run("mtspr", &[d.num as i64, 3]),
                    Stop::Budget,
                    "{}",
                    d.name
                );
            }
            t.cpu.level = below;
            if d.read {
                assert!(
                    illegal(t.run("mfspr", &[3, d.num as i64])),
                    "{} at {below:?}",
                    d.name
                );
            }
            if d.write {
                assert!(
                    illegal(t.run("mtspr", &[d.num as i64, 3])),
                    "{} at {below:?}",
                    d.name
                );
            }
        }
    }

    #[test]
    fn tm_sprs_need_the_tm_facility() {
        let illegal =
            |s: Stop| matches!(s, Stop::Fault(f) if matches!(f.kind, FaultKind::Illegal { .. }));
        // qemu-ppc64le 7.2 -cpu power8: mtspr/mfspr 128-131 work (tm.jsonl).
        let mut t = T::new("power8", true);
        t.set(4, 0x1122_3344_5566_7788);
        t.run("mtspr", &[130, 4]);
        t.run("mfspr", &[5, 131]);
        assert_eq!(t.r(5), 0x1122_3344, "TEXASRU = upper word of TEXASR");
        // POWER10 (no TM under Linux) and POWER8 in power7 mode (PCR[TM_DIS]).
        let mut t = T::new("power10", true);
        assert!(illegal(t.run("mfspr", &[5, 130])));
        let mut t = T::new("power8", true);
        t.cpu.state.pcr = crate::cpu::compat::pcr::TM_DIS | crate::cpu::compat::pcr::COMPAT_2_06;
        assert!(illegal(t.run("mtspr", &[128, 4])));
    }

    #[test]
    fn dscr_is_reachable_through_both_numbers_as_linux_emulates_them() {
        // traps.c emulate_instruction: SPR 3 and SPR 17 on CPU_FTR_DSCR CPUs.
        let mut t = T::p10();
        t.set(4, 0x1f);
        t.run("mtspr", &[17, 4]);
        t.run("mfspr", &[5, 3]);
        assert_eq!(t.r(5), 0x1f);
    }

    #[test]
    fn icbi_and_dcbf_only_check_readability() {
        let mut t = T::p10();
        t.set(4, DATA + 5);
        assert_eq!(t.run("icbi", &[0, 4]), Stop::Budget);
        t.set(4, 0x9000_0000);
        assert!(matches!(t.run("dcbf", &[0, 4]), Stop::Fault(_)));
    }
}
