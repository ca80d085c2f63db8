//! Architected CPU state ([`ArchState`]) and the CPU model table ([`models`]).
//!
//! `ArchState` is `#[repr(C)]` so that a JIT can address every register by a
//! fixed offset ([`offsets`]). XER is kept split into its bits (SO/OV/CA/OV32/CA32
//! and the byte count), as QEMU does on its hot path; [`ArchState::xer`] assembles
//! the architected value. The canonical [`ArchState::digest`] hashes the
//! architected values, never the split internals.
//!
//! This module knows nothing about memory or engines.

pub mod compat;
pub mod models;
pub mod spr;

pub use models::{find_model, CpuModel, MODELS};

/// XER bit values (as a 64-bit register, ISA bit n = 1 << (63-n)).
pub mod xer {
    /// Summary overflow (ISA bit 32).
    pub const SO: u64 = 1 << 31;
    /// Overflow (bit 33).
    pub const OV: u64 = 1 << 30;
    /// Carry (bit 34).
    pub const CA: u64 = 1 << 29;
    /// OV32 (bit 44, ISA 3.0).
    pub const OV32: u64 = 1 << 19;
    /// CA32 (bit 45, ISA 3.0).
    pub const CA32: u64 = 1 << 18;
    /// Byte count for lswx/stswx (bits 57-63).
    pub const BC: u64 = 0x7f;
}

/// MSR bits used by user-mode execution (ISA bit n = 1 << (63-n)).
pub mod msr {
    /// 64-bit mode.
    pub const SF: u64 = 1 << 63;
    /// Transactional memory available (ISA bit 31). Set when the model's
    /// Linux enables TM for user space (QEMU linux-user sets it at reset on
    /// every ppc64 CPU, target/ppc/cpu_init.c `ppc_cpu_reset`; Linux sets it
    /// lazily in `tm_unavailable`). A platform enable, like the PCR: not part
    /// of the canonical state (see [`ArchState::canonical_bytes`]).
    pub const TM: u64 = 1 << 32;
    /// Vector facility available.
    pub const VEC: u64 = 1 << 25;
    /// VSX available.
    pub const VSX: u64 = 1 << 23;
    /// Problem state.
    pub const PR: u64 = 1 << 14;
    /// FP exception mode 0 (ISA bit 52).
    pub const FE0: u64 = 1 << 11;
    /// FP exception mode 1 (ISA bit 55).
    pub const FE1: u64 = 1 << 8;
    /// FP available.
    pub const FP: u64 = 1 << 13;
    /// Little-endian mode.
    pub const LE: u64 = 1;
}

/// No reservation held.
pub const NO_RESERVATION: u64 = u64::MAX;

/// Every architected register of a ppc64 hardware thread that user-mode and
/// pseries guests can observe.
///
/// VSR layout: `vsr[n][0]` is doubleword 0 (ISA bits 0:63, the FPR for n < 32),
/// `vsr[n][1]` doubleword 1. VR n is `vsr[32 + n]`. A 128-bit value `v` in ISA
/// big-endian numbering is `(vsr[n][0] as u128) << 64 | vsr[n][1]`.
#[repr(C)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchState {
    /// General purpose registers.
    pub gpr: [u64; 32],
    /// Vector-scalar registers (FPRs and VRs overlap them).
    pub vsr: [[u64; 2]; 64],
    /// Current instruction address.
    pub pc: u64,
    /// Link register.
    pub lr: u64,
    /// Count register.
    pub ctr: u64,
    /// Condition register (CR0 in the top nibble).
    pub cr: u32,
    /// VSCR (NJ bit 15 from the right = 0x10000, SAT = 1).
    pub vscr: u32,
    /// XER split: SO.
    pub xer_so: u8,
    /// XER split: OV.
    pub xer_ov: u8,
    /// XER split: CA.
    pub xer_ca: u8,
    /// XER split: OV32.
    pub xer_ov32: u8,
    /// XER split: CA32.
    pub xer_ca32: u8,
    /// XER byte count (bits 57-63).
    pub xer_bc: u8,
    /// Padding (keeps the layout explicit).
    pub _pad: [u8; 2],
    /// VRSAVE (SPR 256).
    pub vrsave: u32,
    /// Processor version register as seen by the guest.
    pub pvr: u32,
    /// FPSCR (64-bit from ISA 3.0; the upper word holds DRN).
    pub fpscr: u64,
    /// Target address register (SPR 815).
    pub tar: u64,
    /// Program priority register (SPR 896).
    pub ppr: u64,
    /// Data stream control register (SPR 3/17).
    pub dscr: u64,
    /// Machine state register.
    pub msr: u64,
    /// Processor compatibility register (SPR 338).
    pub pcr: u64,
    /// Timebase offset: TB = virtual time + tb_offset (set on migration).
    pub tb_offset: u64,
    /// Reservation address ([`NO_RESERVATION`] when none).
    pub resv_addr: u64,
    /// Reservation length in bytes (1, 2, 4, 8, 16).
    pub resv_len: u64,
    /// Reserved value(s) (QEMU keeps the loaded value for stcx. comparison).
    pub resv_val: [u64; 2],
    /// Transaction Exception And Summary Register (SPR 130; TEXASRU = SPR 131
    /// is its upper word). ISA 2.07 Book II ch. 5.
    pub texasr: u64,
    /// Transaction Failure Instruction Address Register (SPR 129).
    pub tfiar: u64,
    /// Transaction Failure Handler Address Register (SPR 128).
    pub tfhar: u64,
}

impl Default for ArchState {
    fn default() -> Self {
        ArchState {
            gpr: [0; 32],
            vsr: [[0; 2]; 64],
            pc: 0,
            lr: 0,
            ctr: 0,
            cr: 0,
            vscr: 0x0001_0000,
            xer_so: 0,
            xer_ov: 0,
            xer_ca: 0,
            xer_ov32: 0,
            xer_ca32: 0,
            xer_bc: 0,
            _pad: [0; 2],
            vrsave: 0,
            pvr: 0,
            fpscr: 0,
            tar: 0,
            ppr: 0x000c_0000_0000_0000,
            dscr: 0,
            msr: msr::SF | msr::PR | msr::FP | msr::VEC | msr::VSX,
            pcr: 0,
            tb_offset: 0,
            resv_addr: NO_RESERVATION,
            resv_len: 0,
            resv_val: [0; 2],
            texasr: 0,
            tfiar: 0,
            tfhar: 0,
        }
    }
}

/// Byte offsets of the registers inside [`ArchState`] (for the JIT).
pub mod offsets {
    use super::ArchState;
    use std::mem::offset_of;
    /// Offset of GPR n.
    pub const fn gpr(n: usize) -> usize {
        offset_of!(ArchState, gpr) + 8 * n
    }
    /// Offset of VSR n, doubleword d.
    pub const fn vsr(n: usize, d: usize) -> usize {
        offset_of!(ArchState, vsr) + 16 * n + 8 * d
    }
    /// Offset of the PC.
    pub const PC: usize = offset_of!(ArchState, pc);
    /// Offset of LR.
    pub const LR: usize = offset_of!(ArchState, lr);
    /// Offset of CTR.
    pub const CTR: usize = offset_of!(ArchState, ctr);
    /// Offset of CR.
    pub const CR: usize = offset_of!(ArchState, cr);
    /// Offset of XER.CA.
    pub const XER_CA: usize = offset_of!(ArchState, xer_ca);
    /// Offset of FPSCR.
    pub const FPSCR: usize = offset_of!(ArchState, fpscr);
}

impl ArchState {
    /// The architected XER value.
    #[inline]
    pub fn xer(&self) -> u64 {
        ((self.xer_so as u64) * xer::SO)
            | ((self.xer_ov as u64) * xer::OV)
            | ((self.xer_ca as u64) * xer::CA)
            | ((self.xer_ov32 as u64) * xer::OV32)
            | ((self.xer_ca32 as u64) * xer::CA32)
            | (self.xer_bc as u64 & xer::BC)
    }
    /// Sets XER from an architected value (mtxer). Bits that do not exist are
    /// dropped. `has_32` says whether OV32/CA32 exist (ISA 3.0+).
    #[inline]
    pub fn set_xer(&mut self, v: u64, has_32: bool) {
        self.xer_so = (v & xer::SO != 0) as u8;
        self.xer_ov = (v & xer::OV != 0) as u8;
        self.xer_ca = (v & xer::CA != 0) as u8;
        self.xer_ov32 = (has_32 && v & xer::OV32 != 0) as u8;
        self.xer_ca32 = (has_32 && v & xer::CA32 != 0) as u8;
        self.xer_bc = (v & xer::BC) as u8;
    }
    /// CR field `n` (0..8) as a 4-bit value (LT GT EQ SO).
    #[inline]
    pub fn cr_field(&self, n: usize) -> u32 {
        (self.cr >> (28 - 4 * n)) & 0xf
    }
    /// Sets CR field `n`.
    #[inline]
    pub fn set_cr_field(&mut self, n: usize, v: u32) {
        let sh = 28 - 4 * n;
        self.cr = (self.cr & !(0xf << sh)) | ((v & 0xf) << sh);
    }
    /// CR bit `b` (0 = CR0.LT).
    #[inline]
    pub fn cr_bit(&self, b: usize) -> bool {
        (self.cr >> (31 - b)) & 1 != 0
    }
    /// Sets CR bit `b`.
    #[inline]
    pub fn set_cr_bit(&mut self, b: usize, v: bool) {
        let m = 1u32 << (31 - b);
        if v {
            self.cr |= m
        } else {
            self.cr &= !m
        }
    }
    /// FPR n (doubleword 0 of VSR n).
    #[inline]
    pub fn fpr(&self, n: usize) -> u64 {
        self.vsr[n][0]
    }
    /// Sets FPR n. Doubleword 1 of the VSR becomes undefined by the ISA; QEMU 7.2
    /// zeroes it (observed in tests/vectors/fp.jsonl), and so do we.
    #[inline]
    pub fn set_fpr(&mut self, n: usize, v: u64) {
        self.vsr[n] = [v, 0];
    }
    /// VSR n as a 128-bit value in ISA numbering (doubleword 0 high).
    #[inline]
    pub fn vsr128(&self, n: usize) -> u128 {
        ((self.vsr[n][0] as u128) << 64) | self.vsr[n][1] as u128
    }
    /// Sets VSR n from a 128-bit value in ISA numbering.
    #[inline]
    pub fn set_vsr128(&mut self, n: usize, v: u128) {
        self.vsr[n] = [(v >> 64) as u64, v as u64];
    }
    /// VR n (= VSR 32+n) as 128 bits.
    #[inline]
    pub fn vr128(&self, n: usize) -> u128 {
        self.vsr128(32 + n)
    }
    /// Sets VR n.
    #[inline]
    pub fn set_vr128(&mut self, n: usize, v: u128) {
        self.set_vsr128(32 + n, v)
    }
    /// Whether the thread runs little-endian (MSR[LE]).
    #[inline]
    pub fn little_endian(&self) -> bool {
        self.msr & msr::LE != 0
    }

    /// Canonical serialisation of the architected state, as hashed by
    /// [`ArchState::digest`]: a version tag, then every register little-endian in
    /// declaration order, with XER assembled (the split layout is an internal
    /// detail and must not leak into digests).
    ///
    /// The PVR and the PCR are left out: they are the model's identity and the
    /// hypervisor's configuration, not state the guest computes, and leaving them
    /// in would make every cross-model or cross-mode comparison differ at
    /// instruction 0. Their effects (a guest reading the PVR — Linux emulates
    /// `mfpvr` for user space —, an instruction the PCR disables) show up in the
    /// registers and memory the guest does compute. For the same reason
    /// MSR[TM] is masked out: it is the platform's TM enable (set per model,
    /// cleared on a model without TM), not state the guest computes.
    ///
    /// Transactional-memory SPRs (TEXASR, TFIAR, TFHAR) are appended, after a
    /// `tm` tag, only when any of them is non-zero. A run that never touches
    /// TM therefore hashes exactly as before they existed, so every digest
    /// recorded without TM (golden snapshots, traces) stays valid.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(32 * 8 + 64 * 16 + 160);
        b.extend_from_slice(b"ppcreplay-archstate-v3\0");
        for g in &self.gpr {
            b.extend_from_slice(&g.to_le_bytes());
        }
        for v in &self.vsr {
            b.extend_from_slice(&v[0].to_le_bytes());
            b.extend_from_slice(&v[1].to_le_bytes());
        }
        for x in [
            self.pc,
            self.lr,
            self.ctr,
            self.cr as u64,
            self.xer(),
            self.fpscr,
            self.vscr as u64,
            self.vrsave as u64,
            self.tar,
            self.ppr,
            self.dscr,
            self.msr & !msr::TM,
            self.tb_offset,
            self.resv_addr,
            self.resv_len,
            self.resv_val[0],
            self.resv_val[1],
        ] {
            b.extend_from_slice(&x.to_le_bytes());
        }
        if self.texasr | self.tfiar | self.tfhar != 0 {
            b.extend_from_slice(b"tm\0");
            for x in [self.texasr, self.tfiar, self.tfhar] {
                b.extend_from_slice(&x.to_le_bytes());
            }
        }
        b
    }

    /// blake3 digest of [`ArchState::canonical_bytes`].
    pub fn digest(&self) -> blake3::Hash {
        blake3::hash(&self.canonical_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tm_free_state_hashes_without_tm_fields_and_msr_tm_is_not_state() {
        let a = ArchState::default();
        // The v3 layout: tag, 32 GPRs, 64 VSRs, 17 words — nothing after.
        assert_eq!(a.canonical_bytes().len(), 23 + 32 * 8 + 64 * 16 + 17 * 8);
        let mut b = a.clone();
        b.msr |= msr::TM;
        assert_eq!(a.digest(), b.digest(), "MSR[TM] is the platform's enable");
        b.texasr = 1;
        assert_ne!(a.digest(), b.digest());
        assert_eq!(
            b.canonical_bytes().len(),
            a.canonical_bytes().len() + 3 + 24
        );
    }
}
