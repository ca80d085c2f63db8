//! Fixed-point load/store semantics (Power ISA 3.1 Book I §3.3.2-3.3.6, Book II
//! §4.6 for load-and-reserve / store-conditional).
//!
//! Rules taken from QEMU (the oracle) where the ISA leaves room:
//! - Update forms with RA=0, or (loads) RA=RT, are invalid forms: SIGILL
//!   (translate.c `gen_inval_exception(POWERPC_EXCP_INVAL_INVAL)`).
//! - `lmw`/`stmw`/`lswi`/`lswx`/`stswi`/`stswx` in little-endian mode raise an
//!   alignment interrupt (`gen_align_no_le`): SIGBUS.
//! - `lq`/`stq` are privileged before ISA 2.07. Register order: big-endian, and
//!   the prefixed `plq`/`pstq` in either mode, put the lower-addressed doubleword
//!   in RTp; `lq`/`stq`/`lqarx`/`stqcx.` in little-endian mode access the 16 bytes
//!   as one little-endian quadword, so RTp+1 gets the lower address (QEMU 7.2
//!   `do_ldst_quad`, `gen_lqarx`). Ordinary loads and `lq` are not
//!   alignment-checked (qemu-user, single thread); load-and-reserve is.
//! - Reservations: `l?arx` records address, length and the loaded value.
//!   `st?cx.` succeeds iff a reservation exists for the same address and length
//!   and memory still holds the reserved value; it then stores. The address
//!   rule is the ISA's; the length rule is the ISA's (a different length is
//!   "undefined"; gcc never mixes them); the value rule is QEMU's (it implements
//!   st?cx. as a compare-and-swap against the reserved value), so a program that
//!   stores to its own reservation granule behaves as under QEMU. A mismatching
//!   address fails without accessing memory (as QEMU). The reservation is cleared
//!   either way. CR0 = 0b00 || success || XER[SO].

use super::{Ctx, ExecResult};
use crate::cpu::NO_RESERVATION;
use crate::exec::FaultKind;
use crate::isa::table::LoadStore;
use crate::isa::{Insn, IsaLevel};

use super::Exc;

// Inlined into the per-row handlers (interp/mod.rs), where `op` is a
// constant and the match folds to one arm.
#[inline(always)]
pub(super) fn exec(cx: &mut Ctx, op: LoadStore, i: Insn) -> ExecResult {
    use LoadStore::*;
    match op {
        Lbz => ld::<1>(cx, i, ea_d(cx, i), false, false),
        Lbzu => ld::<1>(cx, i, ea_d(cx, i), false, true),
        Lhz => ld::<2>(cx, i, ea_d(cx, i), false, false),
        Lhzu => ld::<2>(cx, i, ea_d(cx, i), false, true),
        Lha => ld::<2>(cx, i, ea_d(cx, i), true, false),
        Lhau => ld::<2>(cx, i, ea_d(cx, i), true, true),
        Lwz => ld::<4>(cx, i, ea_d(cx, i), false, false),
        Lwzu => ld::<4>(cx, i, ea_d(cx, i), false, true),
        Ld => ld::<8>(cx, i, ea_ds(cx, i), false, false),
        Ldu => ld::<8>(cx, i, ea_ds(cx, i), false, true),
        Lwa => ld::<4>(cx, i, ea_ds(cx, i), true, false),
        Lbzx => ld::<1>(cx, i, ea_x(cx, i), false, false),
        Lbzux => ld::<1>(cx, i, ea_x(cx, i), false, true),
        Lhzx => ld::<2>(cx, i, ea_x(cx, i), false, false),
        Lhzux => ld::<2>(cx, i, ea_x(cx, i), false, true),
        Lhax => ld::<2>(cx, i, ea_x(cx, i), true, false),
        Lhaux => ld::<2>(cx, i, ea_x(cx, i), true, true),
        Lwzx => ld::<4>(cx, i, ea_x(cx, i), false, false),
        Lwzux => ld::<4>(cx, i, ea_x(cx, i), false, true),
        Lwax => ld::<4>(cx, i, ea_x(cx, i), true, false),
        Lwaux => ld::<4>(cx, i, ea_x(cx, i), true, true),
        Ldx => ld::<8>(cx, i, ea_x(cx, i), false, false),
        Ldux => ld::<8>(cx, i, ea_x(cx, i), false, true),
        Stb => st::<1>(cx, i, ea_d(cx, i), false),
        Stbu => st::<1>(cx, i, ea_d(cx, i), true),
        Sth => st::<2>(cx, i, ea_d(cx, i), false),
        Sthu => st::<2>(cx, i, ea_d(cx, i), true),
        Stw => st::<4>(cx, i, ea_d(cx, i), false),
        Stwu => st::<4>(cx, i, ea_d(cx, i), true),
        Std => st::<8>(cx, i, ea_ds(cx, i), false),
        Stdu => st::<8>(cx, i, ea_ds(cx, i), true),
        Stbx => st::<1>(cx, i, ea_x(cx, i), false),
        Stbux => st::<1>(cx, i, ea_x(cx, i), true),
        Sthx => st::<2>(cx, i, ea_x(cx, i), false),
        Sthux => st::<2>(cx, i, ea_x(cx, i), true),
        Stwx => st::<4>(cx, i, ea_x(cx, i), false),
        Stwux => st::<4>(cx, i, ea_x(cx, i), true),
        Stdx => st::<8>(cx, i, ea_x(cx, i), false),
        Stdux => st::<8>(cx, i, ea_x(cx, i), true),
        Lhbrx => ld_br::<2>(cx, i),
        Lwbrx => ld_br::<4>(cx, i),
        Ldbrx => ld_br::<8>(cx, i),
        Sthbrx => st_br::<2>(cx, i),
        Stwbrx => st_br::<4>(cx, i),
        Stdbrx => st_br::<8>(cx, i),
        Lmw => lmw(cx, i),
        Stmw => stmw(cx, i),
        Lswi => lswi(cx, i),
        Lswx => lswx(cx, i),
        Stswi => stswi(cx, i),
        Stswx => stswx(cx, i),
        Lq => lq(cx, i),
        Stq => stq(cx, i),
        Lbarx => larx::<1>(cx, i),
        Lharx => larx::<2>(cx, i),
        Lwarx => larx::<4>(cx, i),
        Ldarx => larx::<8>(cx, i),
        Lqarx => lqarx(cx, i),
        Stbcx => stcx::<1>(cx, i),
        Sthcx => stcx::<2>(cx, i),
        Stwcx => stcx::<4>(cx, i),
        Stdcx => stcx::<8>(cx, i),
        Stqcx => stqcx(cx, i),
        Lwat => ld_atomic::<4>(cx, i),
        Ldat => ld_atomic::<8>(cx, i),
        Stwat => st_atomic::<4>(cx, i),
        Stdat => st_atomic::<8>(cx, i),
        Plbz => pld::<1>(cx, i, false),
        Plhz => pld::<2>(cx, i, false),
        Plha => pld::<2>(cx, i, true),
        Plwz => pld::<4>(cx, i, false),
        Plwa => pld::<4>(cx, i, true),
        Pld => pld::<8>(cx, i, false),
        Pstb => pst::<1>(cx, i),
        Psth => pst::<2>(cx, i),
        Pstw => pst::<4>(cx, i),
        Pstd => pst::<8>(cx, i),
        Plq => plq(cx, i),
        Pstq => pstq(cx, i),
    }
}

// ---------------------------------------------------------------------------
// effective addresses
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
/// Prefixed D form: R=0: (RA|0) + D34; R=1: CIA + D34, with RA=0 required
/// (QEMU `resolve_PLS_D`: invalid form otherwise).
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

#[inline(always)]
fn sext<const N: usize>(v: u64) -> u64 {
    let sh = 64 - 8 * N as u32;
    (((v << sh) as i64) >> sh) as u64
}

// ---------------------------------------------------------------------------
// ordinary loads and stores
// ---------------------------------------------------------------------------

#[inline(always)]
fn ld<const N: usize>(cx: &mut Ctx, i: Insn, ea: u64, signed: bool, update: bool) -> ExecResult {
    let (rt, ra) = (i.rt(), i.ra());
    if update && (ra == 0 || ra == rt) {
        return Err(Ctx::illegal(i));
    }
    let v = cx.load::<N>(ea)?;
    cx.s.gpr[rt] = if signed { sext::<N>(v) } else { v };
    if update {
        cx.s.gpr[ra] = ea;
    }
    Ok(())
}

#[inline(always)]
fn st<const N: usize>(cx: &mut Ctx, i: Insn, ea: u64, update: bool) -> ExecResult {
    let ra = i.ra();
    if update && ra == 0 {
        return Err(Ctx::illegal(i));
    }
    let v = cx.s.gpr[i.rs()];
    cx.store::<N>(ea, v)?;
    if update {
        cx.s.gpr[ra] = ea;
    }
    Ok(())
}

/// Byte-reversed load: the opposite of the current data endianness.
fn ld_br<const N: usize>(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_x(cx, i);
    let le = !cx.le();
    cx.s.gpr[i.rt()] = cx.mem.load::<N>(ea, le)?;
    Ok(())
}
fn st_br<const N: usize>(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_x(cx, i);
    let le = !cx.le();
    let v = cx.s.gpr[i.rs()];
    Ok(cx.mem.store::<N>(ea, v, le)?)
}

fn pld<const N: usize>(cx: &mut Ctx, i: Insn, signed: bool) -> ExecResult {
    let ea = ea_pls(cx, i)?;
    ld::<N>(cx, i, ea, signed, false)
}
fn pst<const N: usize>(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_pls(cx, i)?;
    st::<N>(cx, i, ea, false)
}

// ---------------------------------------------------------------------------
// multiple and string (big-endian only)
// ---------------------------------------------------------------------------

/// The alignment interrupt of the BE-only instructions in LE mode.
#[inline(always)]
fn be_only(cx: &Ctx, ea: u64) -> ExecResult {
    if cx.le() {
        Err(Exc::Fault(FaultKind::Alignment { addr: ea }))
    } else {
        Ok(())
    }
}

/// lmw: words from EA into RT..=31 (zero-extended). All loads happen before any
/// register is written.
fn lmw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_d(cx, i);
    be_only(cx, ea)?;
    let rt = i.rt();
    let mut vals = [0u64; 32];
    for (k, r) in (rt..32).enumerate() {
        vals[r] = cx.load::<4>(ea.wrapping_add(4 * k as u64))?;
    }
    cx.s.gpr[rt..].copy_from_slice(&vals[rt..]);
    Ok(())
}

/// stmw: the low words of RS..=31 to EA (all-or-nothing).
fn stmw(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_d(cx, i);
    be_only(cx, ea)?;
    let rs = i.rs();
    let mut buf = [0u8; 128];
    let n = 4 * (32 - rs);
    for (k, r) in (rs..32).enumerate() {
        buf[4 * k..4 * k + 4].copy_from_slice(&(cx.s.gpr[r] as u32).to_be_bytes());
    }
    Ok(cx.mem.store_bytes(ea, &buf[..n])?)
}

/// Whether register `r` is among the `nb`-byte string's target registers
/// starting at `rt` (wrapping 31 -> 0).
fn in_string_regs(rt: usize, nb: usize, r: usize) -> bool {
    let nregs = nb.div_ceil(4);
    (0..nregs).any(|k| (rt + k) % 32 == r)
}

/// Loads `nb` bytes into RT, RT+1, ... (4 per register, left-justified,
/// remaining bytes zero; upper word zero). QEMU `do_lsw`.
fn load_string(cx: &mut Ctx, ea: u64, nb: usize, rt: usize) -> ExecResult {
    let mut buf = [0u8; 128];
    cx.mem.load_bytes(ea, &mut buf[..nb])?;
    for (k, chunk) in buf[..nb].chunks(4).enumerate() {
        let mut w = [0u8; 4];
        w[..chunk.len()].copy_from_slice(chunk);
        cx.s.gpr[(rt + k) % 32] = u32::from_be_bytes(w) as u64;
    }
    Ok(())
}
fn store_string(cx: &mut Ctx, ea: u64, nb: usize, rs: usize) -> ExecResult {
    let mut buf = [0u8; 128];
    for k in 0..nb.div_ceil(4) {
        let w = (cx.s.gpr[(rs + k) % 32] as u32).to_be_bytes();
        let n = (nb - 4 * k).min(4);
        buf[4 * k..4 * k + n].copy_from_slice(&w[..n]);
    }
    Ok(cx.mem.store_bytes(ea, &buf[..nb])?)
}
fn lswi(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = cx.ea_ra0(i.ra(), 0);
    be_only(cx, ea)?;
    let nb = match i.bits(16, 20) {
        0 => 32,
        n => n as usize,
    };
    if in_string_regs(i.rt(), nb, i.ra()) {
        return Err(Ctx::illegal(i));
    }
    load_string(cx, ea, nb, i.rt())
}
fn lswx(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_x(cx, i);
    be_only(cx, ea)?;
    let nb = cx.s.xer_bc as usize & 0x7f;
    if nb == 0 {
        return Ok(());
    }
    let rt = i.rt();
    if (i.ra() != 0 && in_string_regs(rt, nb, i.ra())) || in_string_regs(rt, nb, i.rb()) {
        return Err(Ctx::illegal(i));
    }
    load_string(cx, ea, nb, rt)
}
fn stswi(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = cx.ea_ra0(i.ra(), 0);
    be_only(cx, ea)?;
    let nb = match i.bits(16, 20) {
        0 => 32,
        n => n as usize,
    };
    store_string(cx, ea, nb, i.rs())
}
fn stswx(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_x(cx, i);
    be_only(cx, ea)?;
    let nb = cx.s.xer_bc as usize & 0x7f;
    store_string(cx, ea, nb, i.rs())
}

// ---------------------------------------------------------------------------
// quadword
// ---------------------------------------------------------------------------

/// Reads 16 bytes at `ea` as (RTp, RTp+1). `mem_order`: RTp gets the lower
/// address (BE, or prefixed); otherwise the quadword is little-endian and RTp
/// gets the upper address.
fn read_quad(cx: &mut Ctx, ea: u64, mem_order: bool) -> Result<(u64, u64), Exc> {
    let b = cx.mem.load_raw::<16>(ea)?;
    let le = cx.le();
    let dw = |k: usize| {
        let mut x = [0u8; 8];
        x.copy_from_slice(&b[8 * k..8 * k + 8]);
        if le {
            u64::from_le_bytes(x)
        } else {
            u64::from_be_bytes(x)
        }
    };
    let (lo_addr, hi_addr) = (dw(0), dw(1));
    Ok(if mem_order || !le {
        (lo_addr, hi_addr)
    } else {
        (hi_addr, lo_addr)
    })
}
fn write_quad(cx: &mut Ctx, ea: u64, r0: u64, r1: u64, mem_order: bool) -> ExecResult {
    let le = cx.le();
    let (first, second) = if mem_order || !le { (r0, r1) } else { (r1, r0) };
    let mut b = [0u8; 16];
    let enc = |v: u64| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    b[..8].copy_from_slice(&enc(first));
    b[8..].copy_from_slice(&enc(second));
    Ok(cx.mem.store_raw::<16>(ea, b)?)
}
/// lq/stq: privileged before ISA 2.07 (QEMU raises the privileged-instruction
/// program interrupt in problem state).
#[inline(always)]
fn quad_allowed(cx: &Ctx, i: Insn) -> ExecResult {
    if cx.level < IsaLevel::V2_07 {
        return Err(Exc::Fault(FaultKind::Privileged { word: i.word }));
    }
    Ok(())
}
fn lq(cx: &mut Ctx, i: Insn) -> ExecResult {
    quad_allowed(cx, i)?;
    let rt = i.rt();
    if rt & 1 != 0 || rt == i.ra() {
        return Err(Ctx::illegal(i));
    }
    let ea = cx.ea_ra0(i.ra(), i.dq());
    let (a, b) = read_quad(cx, ea, false)?;
    cx.s.gpr[rt] = a;
    cx.s.gpr[rt + 1] = b;
    Ok(())
}
fn stq(cx: &mut Ctx, i: Insn) -> ExecResult {
    quad_allowed(cx, i)?;
    let rs = i.rs();
    if rs & 1 != 0 {
        return Err(Ctx::illegal(i));
    }
    let ea = ea_ds(cx, i);
    let (a, b) = (cx.s.gpr[rs], cx.s.gpr[rs + 1]);
    write_quad(cx, ea, a, b, false)
}
fn plq(cx: &mut Ctx, i: Insn) -> ExecResult {
    let rt = i.rt();
    if rt & 1 != 0 || rt == i.ra() {
        return Err(Ctx::illegal(i));
    }
    let ea = ea_pls(cx, i)?;
    let (a, b) = read_quad(cx, ea, true)?;
    cx.s.gpr[rt] = a;
    cx.s.gpr[rt + 1] = b;
    Ok(())
}
fn pstq(cx: &mut Ctx, i: Insn) -> ExecResult {
    let rs = i.rs();
    if rs & 1 != 0 {
        return Err(Ctx::illegal(i));
    }
    let ea = ea_pls(cx, i)?;
    let (a, b) = (cx.s.gpr[rs], cx.s.gpr[rs + 1]);
    write_quad(cx, ea, a, b, true)
}

// ---------------------------------------------------------------------------
// load and reserve / store conditional
// ---------------------------------------------------------------------------

#[inline(always)]
fn check_align(ea: u64, n: u64) -> ExecResult {
    if ea & (n - 1) != 0 {
        Err(Exc::Fault(FaultKind::Alignment { addr: ea }))
    } else {
        Ok(())
    }
}

fn larx<const N: usize>(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_x(cx, i);
    check_align(ea, N as u64)?;
    let v = cx.load::<N>(ea)?;
    cx.s.gpr[i.rt()] = v;
    cx.s.resv_addr = ea;
    cx.s.resv_len = N as u64;
    cx.s.resv_val = [v, 0];
    Ok(())
}

/// CR0 = 0b00 || success || XER[SO].
#[inline(always)]
fn set_cr0_stcx(cx: &mut Ctx, ok: bool) {
    let f = ((ok as u32) << 1) | cx.s.xer_so as u32;
    cx.s.set_cr_field(0, f);
}

fn stcx<const N: usize>(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = ea_x(cx, i);
    let mut ok = false;
    if cx.s.resv_addr == ea && cx.s.resv_len == N as u64 {
        check_align(ea, N as u64)?;
        let cur = cx.load::<N>(ea)?;
        if cur == cx.s.resv_val[0] {
            let v = cx.s.gpr[i.rs()];
            cx.store::<N>(ea, v)?;
            ok = true;
        }
    }
    cx.s.resv_addr = NO_RESERVATION;
    set_cr0_stcx(cx, ok);
    Ok(())
}

/// lqarx: RTp even, RTp != RA, RTp != RB (QEMU `gen_lqarx`), 16-byte aligned.
fn lqarx(cx: &mut Ctx, i: Insn) -> ExecResult {
    let rt = i.rt();
    if rt & 1 != 0 || rt == i.ra() || rt == i.rb() {
        return Err(Ctx::illegal(i));
    }
    let ea = ea_x(cx, i);
    check_align(ea, 16)?;
    let (a, b) = read_quad(cx, ea, false)?;
    cx.s.gpr[rt] = a;
    cx.s.gpr[rt + 1] = b;
    cx.s.resv_addr = ea;
    cx.s.resv_len = 16;
    cx.s.resv_val = [a, b];
    Ok(())
}

fn stqcx(cx: &mut Ctx, i: Insn) -> ExecResult {
    let rs = i.rs();
    if rs & 1 != 0 {
        return Err(Ctx::illegal(i));
    }
    let ea = ea_x(cx, i);
    let mut ok = false;
    if cx.s.resv_addr == ea && cx.s.resv_len == 16 {
        check_align(ea, 16)?;
        let cur = read_quad(cx, ea, false)?;
        if [cur.0, cur.1] == cx.s.resv_val {
            let (a, b) = (cx.s.gpr[rs], cx.s.gpr[rs + 1]);
            write_quad(cx, ea, a, b, false)?;
            ok = true;
        }
    }
    cx.s.resv_addr = NO_RESERVATION;
    set_cr0_stcx(cx, ok);
    Ok(())
}

// ---------------------------------------------------------------------------
// atomic memory operations (ISA 3.0 Book II §4.5)
// ---------------------------------------------------------------------------

/// The data-storage interrupt QEMU raises for a reserved function code
/// (translate.c `gen_ld_atomic` default case): SIGSEGV.
fn bad_fc(ea: u64) -> Exc {
    Exc::Fault(FaultKind::Memory(crate::mem::MemFault {
        addr: ea,
        access: crate::mem::Access::Read,
        unmapped: false,
    }))
}

/// Two-operand AMO function `fc` (0-7) on `N`-byte values: the new memory value.
fn amo_op<const N: usize>(fc: u32, old: u64, src: u64) -> Option<u64> {
    let mask = if N == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * N)) - 1
    };
    let src = src & mask;
    // QEMU 7.2 (non-parallel TCG atomics) compares the word forms' operands
    // zero-extended: lwat/stwat "signed" max/min act as unsigned ones. The
    // doubleword forms compare signed.
    let (so, ss) = if N == 8 {
        (old as i64, src as i64)
    } else {
        (old as i64, src as i64 & mask as i64)
    };
    Some(match fc {
        0 => old.wrapping_add(src) & mask,
        1 => old ^ src,
        2 => old | src,
        3 => old & src,
        4 => old.max(src),
        5 => so.max(ss) as u64 & mask,
        6 => old.min(src),
        7 => so.min(ss) as u64 & mask,
        _ => return None,
    })
}

/// lwat/ldat: RT = old memory value; memory = f(old, RT+1 [, RT+2]).
fn ld_atomic<const N: usize>(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = cx.ea_ra0(i.ra(), 0);
    let fc = i.bits(16, 20);
    let rt = i.rt();
    let src = cx.s.gpr[(rt + 1) % 32];
    let mask = if N == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * N)) - 1
    };
    check_align(ea, N as u64)?;
    let old = cx.load::<N>(ea)?;
    let (new, rt_val) = match fc {
        0..=7 => (amo_op::<N>(fc, old, src), old),
        8 => (Some(src & mask), old),
        // Compare and swap not equal: store RT+2 if old != RT+1.
        16 => {
            let new = if old != src & mask {
                cx.s.gpr[(rt + 2) % 32] & mask
            } else {
                old
            };
            (Some(new), old)
        }
        // Fetch and increment/decrement bounded/equal: compares with the next
        // element in memory; RT = old, or 1 << (8N-1) when the bound is hit.
        24 | 25 | 28 => {
            let next = cx.load::<N>(ea.wrapping_add(N as u64))?;
            let go = if fc == 25 { old == next } else { old != next };
            let add = if fc == 28 { mask } else { 1 };
            if go {
                (Some(old.wrapping_add(add) & mask), old)
            } else {
                (Some(old), 1u64 << (8 * N - 1))
            }
        }
        _ => (None, 0),
    };
    let Some(new) = new else {
        return Err(bad_fc(ea));
    };
    cx.store::<N>(ea, new)?;
    cx.s.gpr[rt] = rt_val;
    Ok(())
}

/// stwat/stdat: memory = f(old, RS); FC 24 is "store twin".
fn st_atomic<const N: usize>(cx: &mut Ctx, i: Insn) -> ExecResult {
    let ea = cx.ea_ra0(i.ra(), 0);
    let fc = i.bits(16, 20);
    let src = cx.s.gpr[i.rs()];
    check_align(ea, N as u64)?;
    let old = cx.load::<N>(ea)?;
    if fc == 24 {
        let ea2 = ea.wrapping_add(N as u64);
        let next = cx.load::<N>(ea2)?;
        if old == next {
            // Probe EA for write (rewriting its value) so that either both
            // stores happen or neither.
            cx.store::<N>(ea, old)?;
            cx.store::<N>(ea2, src)?;
            cx.store::<N>(ea, src)?;
        }
        return Ok(());
    }
    let Some(new) = amo_op::<N>(fc, old, src) else {
        return Err(bad_fc(ea));
    };
    cx.store::<N>(ea, new)
}

#[cfg(test)]
mod tests {
    use super::super::fixed::testutil::{DATA, T};
    use crate::exec::{FaultKind, Stop};

    fn fault(s: Stop) -> Option<FaultKind> {
        match s {
            Stop::Fault(f) => Some(f.kind),
            _ => None,
        }
    }

    #[test]
    fn lwarx_stwcx_succeeds_once_then_fails() {
        let mut t = T::p10();
        t.set(4, DATA);
        t.mem.write_bytes(DATA, &7u32.to_le_bytes()).unwrap();
        t.run("lwarx", &[3, 0, 4, 0]);
        assert_eq!(t.r(3), 7);
        t.set(5, 9);
        t.run("stwcx.", &[5, 0, 4]);
        assert_eq!(t.cpu.state.cr >> 28, 0b0010);
        let mut b = [0u8; 4];
        t.mem.read_bytes(DATA, &mut b).unwrap();
        assert_eq!(u32::from_le_bytes(b), 9);
        t.set(5, 11);
        t.run("stwcx.", &[5, 0, 4]);
        assert_eq!(t.cpu.state.cr >> 28, 0b0000);
        t.mem.read_bytes(DATA, &mut b).unwrap();
        assert_eq!(u32::from_le_bytes(b), 9);
    }

    #[test]
    fn stdcx_fails_when_the_reserved_value_changed() {
        let mut t = T::p10();
        t.set(4, DATA);
        t.run("ldarx", &[3, 0, 4, 0]);
        t.mem.write_bytes(DATA, &[1]).unwrap();
        t.run("stdcx.", &[5, 0, 4]);
        assert_eq!(t.cpu.state.cr >> 28, 0);
    }

    #[test]
    fn misaligned_larx_is_an_alignment_fault() {
        let mut t = T::p10();
        t.set(4, DATA + 2);
        let s = t.run("lwarx", &[3, 0, 4, 0]);
        assert_eq!(fault(s), Some(FaultKind::Alignment { addr: DATA + 2 }));
    }

    #[test]
    fn update_forms_with_ra_zero_or_ra_equal_rt_are_illegal() {
        let mut t = T::p10();
        assert!(matches!(
            fault(t.run("lwzu", &[3, 0, 0])),
            Some(FaultKind::Illegal { .. })
        ));
        t.set(3, DATA);
        assert!(matches!(
            fault(t.run("lwzu", &[3, 8, 3])),
            Some(FaultKind::Illegal { .. })
        ));
        assert_eq!(t.r(3), DATA);
        t.set(4, DATA);
        t.run("stwu", &[5, 8, 4]);
        assert_eq!(t.r(4), DATA + 8);
    }

    #[test]
    fn lmw_in_little_endian_mode_is_an_alignment_fault() {
        let mut t = T::p10();
        t.set(4, DATA);
        assert!(matches!(
            fault(t.run("lmw", &[30, 0, 4])),
            Some(FaultKind::Alignment { .. })
        ));
        let mut t = T::new("power10", false);
        t.set(4, DATA);
        t.mem.write_bytes(DATA, &[0, 0, 0, 1, 0, 0, 0, 2]).unwrap();
        t.run("lmw", &[30, 0, 4]);
        assert_eq!((t.r(30), t.r(31)), (1, 2));
    }

    #[test]
    fn lq_in_le_puts_the_lower_address_in_rtp_plus_one_and_plq_in_rtp() {
        // QEMU 7.2 do_ldst_quad: `prefixed || !le_mode` => low address to RTp.
        let mut t = T::p10();
        t.set(4, DATA);
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&1u64.to_le_bytes());
        b[8..].copy_from_slice(&2u64.to_le_bytes());
        t.mem.write_bytes(DATA, &b).unwrap();
        t.run("lq", &[6, 0, 4]);
        assert_eq!((t.r(6), t.r(7)), (2, 1));
        t.run("plq", &[6, 0, 4, 0]);
        assert_eq!((t.r(6), t.r(7)), (1, 2));
        // lq is privileged before ISA 2.07.
        let mut t = T::new("power7", false);
        t.set(4, DATA);
        assert!(matches!(
            fault(t.run("lq", &[6, 0, 4])),
            Some(FaultKind::Privileged { .. })
        ));
    }

    #[test]
    fn pld_pc_relative_reads_relative_to_the_instruction() {
        let mut t = T::p10();
        let off = (DATA - super::super::fixed::testutil::CODE) as i64;
        t.mem.write_bytes(DATA, &0x1122u64.to_le_bytes()).unwrap();
        t.run("pld", &[3, off, 0, 1]);
        assert_eq!(t.r(3), 0x1122);
    }
}
