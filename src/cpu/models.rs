//! The CPU model table: QEMU's pseries-capable ppc64 server models.
//!
//! Names, aliases and PVRs: QEMU `target/ppc/cpu-models.c` / `cpu-models.h` as of
//! QEMU 9.2 (`../shared/reference/qemu-migration-facts.md` §3.1; PVR values of the
//! 8.1+ renumbering). ISA levels: isa-facts.md ("POWER7 = ISA 2.06, POWER8 = 2.07,
//! POWER9 = 3.0, POWER10 and POWER11 = 3.1"). HWCAP/HWCAP2 values: QEMU
//! `linux-user/elfload.c` as measured under qemu-user 7.2 (toolchain-facts.md,
//! "Auxiliary vector").

use crate::isa::IsaLevel;

/// A CPU family: models in one family are "the same CPU type" for QEMU's
/// family-level `pvr_match` (before 7.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// POWER7 / POWER7+.
    Power7,
    /// POWER8E / POWER8 / POWER8NVL.
    Power8,
    /// POWER9.
    Power9,
    /// POWER10.
    Power10,
    /// POWER11.
    Power11,
}

impl Family {
    /// Display name.
    pub const fn name(self) -> &'static str {
        match self {
            Family::Power7 => "POWER7",
            Family::Power8 => "POWER8",
            Family::Power9 => "POWER9",
            Family::Power10 => "POWER10",
            Family::Power11 => "POWER11",
        }
    }
}

/// One CPU model.
#[derive(Debug, PartialEq, Eq)]
pub struct CpuModel {
    /// QEMU type name (lower case, as in QEMU 8.x+).
    pub name: &'static str,
    /// Names accepted for `--cpu` besides `name` (case-insensitive).
    pub aliases: &'static [&'static str],
    /// Processor version register.
    pub pvr: u32,
    /// Family.
    pub family: Family,
    /// ISA level implemented.
    pub level: IsaLevel,
    /// Whether a Linux guest on this model can use transactional memory: the
    /// TM instructions and SPRs work (MSR[TM] is set, see
    /// [`crate::cpu::msr::TM`]). POWER8 and POWER9: yes (Linux cputable.h
    /// `CPU_FTRS_POWER8`/`CPU_FTRS_POWER9*` carry `CPU_FTR_TM_COMP`, and
    /// `CPU_FTRS_POWER9_DD2_2/2_3` the P9 TM assists). POWER10 and POWER11:
    /// no — TM "has been removed from the architecture for Power10"
    /// (linuxppc-dev review of the POWER10 cputable patch, which noted that
    /// the `CPU_FTR_TM_COMP` in the first `CPU_FTRS_POWER10` "should not be in
    /// there"; ISA 3.1 makes TM optional and POWER10 does not implement it,
    /// isa-facts.md §6). Whether the final `CPU_FTRS_POWER10` still lists it
    /// is UNVERIFIED; it does not matter for a pseries guest, whose kernel
    /// takes TM from `ibm,pa-features`, which QEMU sets only with cap-htm=on,
    /// and which a POWER10 cannot provide. A TM instruction there is an
    /// illegal instruction (SIGILL) here; what real POWER10 silicon does with
    /// `tbegin.` is UNVERIFIED.
    ///
    /// This is the hardware half of the rule
    /// ([`crate::cpu::compat::tm_available`]); the other half is the guest
    /// kernel's enable. `run`/`record` (qemu-user semantics) enable TM iff
    /// `has_tm`. A pseries guest is offered TM only with the machine's cap-htm
    /// on (QEMU 2.12+: default on up to pseries-2.11, off from pseries-2.12)
    /// or, before 2.12, under KVM on a TM host — see
    /// `migration::policy::CapHtmSide`. It is also what KVM_CAP_PPC_HTM says
    /// for a host of this model (Linux arch/powerpc/kvm/powerpc.c: true with
    /// PPC_FEATURE2_HTM or, under KVM-HV, CPU_FTR_P9_TM_HV_ASSIST), which
    /// decides whether a KVM-HV QEMU with cap-htm=on starts.
    pub has_tm: bool,
    /// Whether QEMU's model has PPC2_TM in `insns_flags2` (target/ppc/cpu_init.c):
    /// POWER8, POWER9 and also POWER10 (measured: qemu-ppc64le 7.2
    /// `-cpu power10` runs `tbegin.` exactly like `-cpu power9`, see the
    /// power10 vectors in tests/vectors/tm.jsonl; isa-facts.md §6 "PPC2_TM:
    /// P8, P9, and P10 in QEMU").
    /// POWER11 (QEMU 9.2+, derived from the POWER10 class): assumed the same,
    /// UNVERIFIED. This is what qemu-user does, not what Linux on the
    /// hardware does ([`CpuModel::has_tm`]); the interpreter follows
    /// `has_tm`.
    pub qemu_tm: bool,
}

const L206: IsaLevel = IsaLevel::V2_06;
const L207: IsaLevel = IsaLevel::V2_07;
const L300: IsaLevel = IsaLevel::V3_0;
const L310: IsaLevel = IsaLevel::V3_1;

/// The model table, oldest first.
pub static MODELS: &[CpuModel] = &[
    CpuModel {
        name: "power7_v2.3",
        aliases: &["power7", "POWER7_v2.3"],
        pvr: 0x003F_0203,
        family: Family::Power7,
        level: L206,
        has_tm: false,
        qemu_tm: false,
    },
    CpuModel {
        name: "power7p_v2.1",
        aliases: &["power7+", "power7+_v2.1", "power7p", "POWER7+_v2.1"],
        pvr: 0x004A_0201,
        family: Family::Power7,
        level: L206,
        has_tm: false,
        qemu_tm: false,
    },
    CpuModel {
        name: "power8e_v2.1",
        aliases: &["power8e", "POWER8E_v2.1"],
        pvr: 0x004B_0201,
        family: Family::Power8,
        level: L207,
        has_tm: true,
        qemu_tm: true,
    },
    CpuModel {
        name: "power8_v2.0",
        aliases: &["power8", "POWER8_v2.0"],
        pvr: 0x004D_0200,
        family: Family::Power8,
        level: L207,
        has_tm: true,
        qemu_tm: true,
    },
    CpuModel {
        name: "power8nvl_v1.0",
        aliases: &["power8nvl", "POWER8NVL_v1.0"],
        pvr: 0x004C_0100,
        family: Family::Power8,
        level: L207,
        has_tm: true,
        qemu_tm: true,
    },
    CpuModel {
        name: "power9_v2.0",
        aliases: &[],
        pvr: 0x004E_1200,
        family: Family::Power9,
        level: L300,
        has_tm: true,
        qemu_tm: true,
    },
    CpuModel {
        name: "power9_v2.2",
        aliases: &["power9"],
        pvr: 0x004E_1202,
        family: Family::Power9,
        level: L300,
        has_tm: true,
        qemu_tm: true,
    },
    CpuModel {
        name: "power10_v2.0",
        aliases: &["power10"],
        pvr: 0x0080_1200,
        family: Family::Power10,
        level: L310,
        has_tm: false,
        qemu_tm: true,
    },
    CpuModel {
        name: "power11_v2.0",
        aliases: &["power11"],
        pvr: 0x0082_1200,
        family: Family::Power11,
        level: L310,
        has_tm: false,
        qemu_tm: true,
    },
];

/// Error for an unknown `--cpu` name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown CPU model `{name}`; known models: {known}")]
pub struct UnknownModel {
    /// What the user typed.
    pub name: String,
    /// Comma-separated list of model names.
    pub known: String,
}

/// Finds a model by name or alias, case-insensitively (`POWER9`, `power9_v2.2`,
/// `Power8E`, `power7+`).
pub fn find_model(name: &str) -> Result<&'static CpuModel, UnknownModel> {
    let n = name.trim();
    MODELS
        .iter()
        .find(|m| {
            m.name.eq_ignore_ascii_case(n) || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(n))
        })
        .ok_or_else(|| UnknownModel {
            name: name.to_string(),
            known: MODELS
                .iter()
                .map(|m| match m.aliases.first() {
                    Some(a) if !a.contains('_') => format!("{} ({})", a.to_uppercase(), m.name),
                    _ => m.name.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// AT_HWCAP bits (QEMU linux-user/elfload.c).
pub mod hwcap {
    /// 64-bit.
    pub const PPC_FEATURE_64: u32 = 0x4000_0000;
    /// Altivec.
    pub const HAS_ALTIVEC: u32 = 0x1000_0000;
    /// FPU.
    pub const HAS_FPU: u32 = 0x0800_0000;
    /// MMU.
    pub const HAS_MMU: u32 = 0x0400_0000;
    /// ISA 2.05.
    pub const ARCH_2_05: u32 = 0x0000_1000;
    /// DFP.
    pub const HAS_DFP: u32 = 0x0000_0400;
    /// ISA 2.06.
    pub const ARCH_2_06: u32 = 0x0000_0100;
    /// VSX.
    pub const HAS_VSX: u32 = 0x0000_0080;
    /// True little-endian.
    pub const TRUE_LE: u32 = 0x0000_0002;
}

/// AT_HWCAP2 bits.
pub mod hwcap2 {
    /// ISA 2.07.
    pub const ARCH_2_07: u32 = 0x8000_0000;
    /// HTM.
    pub const HAS_HTM: u32 = 0x4000_0000;
    /// DSCR.
    pub const HAS_DSCR: u32 = 0x2000_0000;
    /// EBB.
    pub const HAS_EBB: u32 = 0x1000_0000;
    /// isel.
    pub const HAS_ISEL: u32 = 0x0800_0000;
    /// TAR.
    pub const HAS_TAR: u32 = 0x0400_0000;
    /// Vector crypto.
    pub const VEC_CRYPTO: u32 = 0x0200_0000;
    /// ISA 3.0.
    pub const ARCH_3_00: u32 = 0x0080_0000;
    /// IEEE128.
    pub const HAS_IEEE128: u32 = 0x0040_0000;
    /// darn.
    pub const DARN: u32 = 0x0020_0000;
    /// scv (never advertised: we do not implement the scv ABI, like qemu-user).
    pub const SCV: u32 = 0x0010_0000;
    /// ISA 3.1.
    pub const ARCH_3_1: u32 = 0x0004_0000;
    /// MMA.
    pub const MMA: u32 = 0x0002_0000;
}

/// AT_HWCAP for an effective ISA level. qemu-user 7.2 gives 0x58000580 on every
/// POWER7+ model (toolchain-facts.md): 64-bit, Altivec, FPU, DFP, ARCH_2_06, VSX.
/// In power6 compatibility mode (ISA 2.05) there is no VSX and no ARCH_2_06;
/// ARCH_2_05 is advertised instead (Linux cputable.c, POWER6 features).
pub fn hwcap_for(level: IsaLevel) -> u32 {
    use hwcap::*;
    let base = PPC_FEATURE_64 | HAS_ALTIVEC | HAS_FPU | HAS_DFP;
    if level >= IsaLevel::V2_06 {
        base | ARCH_2_06 | HAS_VSX
    } else {
        base | ARCH_2_05
    }
}

/// AT_HWCAP2 for an effective ISA level, matching qemu-user 7.2's values:
/// power7 0x08000000, power8 0x8e000000, power9 0x8ee00000, power10 0x8ee60000.
/// HTM is not advertised: qemu-user 7.2 does not (measured, toolchain-facts.md),
/// although its `tbegin.` runs (and always fails, see `exec/interp/tm.rs`).
/// A program that checks PPC_FEATURE2_HTM (glibc's lock elision, gcc's
/// `__builtin_cpu_supports("htm")`) therefore takes its non-TM path under
/// qemu-user and here, as the vectors' oracle does.
pub fn hwcap2_for(level: IsaLevel) -> u32 {
    use hwcap2::*;
    let mut v = HAS_ISEL;
    if level >= IsaLevel::V2_07 {
        v |= ARCH_2_07 | HAS_TAR | VEC_CRYPTO;
    }
    if level >= IsaLevel::V3_0 {
        v |= ARCH_3_00 | HAS_IEEE128 | DARN;
    }
    if level >= IsaLevel::V3_1 {
        v |= ARCH_3_1 | MMA;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_lookup_is_case_insensitive_and_accepts_qemu_aliases() {
        assert_eq!(find_model("POWER9").unwrap().pvr, 0x004E_1202);
        assert_eq!(find_model("power8").unwrap().name, "power8_v2.0");
        assert_eq!(find_model("POWER7+").unwrap().pvr, 0x004A_0201);
        assert_eq!(find_model("Power8E").unwrap().pvr, 0x004B_0201);
        assert_eq!(find_model("power9_v2.0").unwrap().pvr, 0x004E_1200);
        assert_eq!(find_model("POWER8_v2.0").unwrap().pvr, 0x004D_0200);
    }

    #[test]
    fn unknown_model_error_lists_known_models() {
        let e = find_model("POWER12").unwrap_err().to_string();
        assert!(e.contains("POWER12") && e.contains("power10_v2.0"), "{e}");
    }

    #[test]
    fn hwcap2_matches_qemu_user_values_per_level() {
        // toolchain-facts.md: power7 0x08000000, power8 0x8e000000,
        // power9 0x8ee00000, power10 0x8ee60000 (measured under qemu-user 7.2).
        assert_eq!(hwcap2_for(IsaLevel::V2_06), 0x0800_0000);
        assert_eq!(hwcap2_for(IsaLevel::V2_07), 0x8e00_0000);
        assert_eq!(hwcap2_for(IsaLevel::V3_0), 0x8ee0_0000);
        assert_eq!(hwcap2_for(IsaLevel::V3_1), 0x8ee6_0000);
        assert_eq!(hwcap_for(IsaLevel::V3_0), 0x5800_0580);
    }
}
