//! Processor compatibility modes: the compat table (logical PVR, PCR bits, level),
//! which modes a CPU model supports, and `set_compat` — modelled on QEMU's
//! `target/ppc/compat.c`, with the rule changes between QEMU versions selected
//! by a [`QemuVersion`] profile.
//!
//! Sources: `../shared/reference/qemu-migration-facts.md` §3.2 (per-family
//! `spapr_logical_pvr`, `pcr_mask`, `pcr_supported`; qemu/qemu target/ppc/cpu_init.c
//! @c0d96407), §4.1–4.4 (the table and rules; qemu/qemu target/ppc/compat.c
//! @ad0c954d, 2.10-era copy ref:94672456), §5 (PCR bit values, target/ppc/cpu.h).

use super::models::{CpuModel, Family};
use crate::isa::IsaLevel;
use std::fmt;

/// PCR bits (IBM numbering PPC_BIT(n) = 1 << (63-n)); facts §5.
pub mod pcr {
    /// Vector (VMX) disable.
    pub const VEC_DIS: u64 = 0x8000_0000_0000_0000;
    /// VSX disable.
    pub const VSX_DIS: u64 = 0x4000_0000_0000_0000;
    /// Transactional memory disable.
    pub const TM_DIS: u64 = 0x2000_0000_0000_0000;
    /// Behave as ISA 3.1.
    pub const COMPAT_3_10: u64 = 0x20;
    /// Behave as ISA 3.00.
    pub const COMPAT_3_00: u64 = 0x10;
    /// Behave as ISA 2.07.
    pub const COMPAT_2_07: u64 = 0x08;
    /// Behave as ISA 2.06.
    pub const COMPAT_2_06: u64 = 0x04;
    /// Behave as ISA 2.05.
    pub const COMPAT_2_05: u64 = 0x02;
}

/// A QEMU release whose behaviour is modelled (a "profile").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QemuVersion {
    /// Major.
    pub major: u16,
    /// Minor.
    pub minor: u16,
}

impl QemuVersion {
    /// Builds a version.
    pub const fn new(major: u16, minor: u16) -> Self {
        QemuVersion { major, minor }
    }
    /// The newest release modelled (default profile).
    pub const NEWEST: QemuVersion = QemuVersion::new(11, 1);
    /// The oldest release modelled.
    pub const OLDEST: QemuVersion = QemuVersion::new(1, 6);
    /// Parses "7.2", "9.2.1" (the micro version is ignored), "v8.1".
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().trim_start_matches('v');
        let mut it = t.split('.');
        let major = it.next()?.parse().ok()?;
        let minor = it.next().unwrap_or("0").parse().ok()?;
        let v = QemuVersion { major, minor };
        (v >= Self::OLDEST && v <= Self::NEWEST).then_some(v)
    }
}

impl fmt::Display for QemuVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// One row of QEMU's compat table.
#[derive(Debug, PartialEq, Eq)]
pub struct CompatMode {
    /// Name as `max-cpu-compat` takes it.
    pub name: &'static str,
    /// Logical PVR.
    pub pvr: u32,
    /// PCR value in current QEMU (before masking by the CPU's pcr_mask).
    pub pcr: u64,
    /// PCR value in the 2.10–4.x era (no COMPAT_3_10 bit yet).
    pub pcr_2_10: u64,
    /// The level bit the CPU's pcr_supported must contain.
    pub pcr_level: u64,
    /// Maximum virtual threads (current QEMU).
    pub max_vthreads: u32,
    /// ISA level the mode behaves as.
    pub level: IsaLevel,
    /// First QEMU release with this entry.
    pub since: QemuVersion,
}

use pcr::*;

/// The compat table in QEMU's order (oldest → newest); order matters for range
/// checks (facts §4.2, §4.3 step 2).
pub static COMPAT_MODES: &[CompatMode] = &[
    CompatMode {
        name: "power6",
        pvr: 0x0F00_0002,
        pcr: COMPAT_3_10 | COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | COMPAT_2_05 | TM_DIS | VSX_DIS,
        pcr_2_10: COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | COMPAT_2_05 | TM_DIS | VSX_DIS,
        pcr_level: COMPAT_2_05,
        max_vthreads: 2,
        level: IsaLevel::V2_05,
        since: QemuVersion::new(2, 10),
    },
    CompatMode {
        name: "power7",
        pvr: 0x0F00_0003,
        pcr: COMPAT_3_10 | COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | TM_DIS,
        pcr_2_10: COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | TM_DIS,
        pcr_level: COMPAT_2_06,
        max_vthreads: 4,
        level: IsaLevel::V2_06,
        since: QemuVersion::new(2, 10),
    },
    CompatMode {
        name: "power7+",
        pvr: 0x0F10_0003,
        pcr: COMPAT_3_10 | COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | TM_DIS,
        pcr_2_10: COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | TM_DIS,
        pcr_level: COMPAT_2_06,
        max_vthreads: 4,
        level: IsaLevel::V2_06,
        since: QemuVersion::new(2, 10),
    },
    CompatMode {
        name: "power8",
        pvr: 0x0F00_0004,
        pcr: COMPAT_3_10 | COMPAT_3_00 | COMPAT_2_07,
        pcr_2_10: COMPAT_3_00 | COMPAT_2_07,
        pcr_level: COMPAT_2_07,
        max_vthreads: 8,
        level: IsaLevel::V2_07,
        since: QemuVersion::new(2, 10),
    },
    CompatMode {
        name: "power9",
        pvr: 0x0F00_0005,
        pcr: COMPAT_3_10 | COMPAT_3_00,
        pcr_2_10: COMPAT_3_00,
        pcr_level: COMPAT_3_00,
        max_vthreads: 8,
        level: IsaLevel::V3_0,
        since: QemuVersion::new(2, 10),
    },
    // The power10 entry arrived with PCR_COMPAT_3_10 in the QEMU 5.x cycle; the
    // exact release is UNVERIFIED (facts §4.2) — 5.0 is assumed.
    CompatMode {
        name: "power10",
        pvr: 0x0F00_0006,
        pcr: COMPAT_3_10,
        pcr_2_10: COMPAT_3_10,
        pcr_level: COMPAT_3_10,
        max_vthreads: 8,
        level: IsaLevel::V3_1,
        since: QemuVersion::new(5, 0),
    },
    CompatMode {
        name: "power11",
        pvr: 0x0F00_0007,
        pcr: COMPAT_3_10,
        pcr_2_10: COMPAT_3_10,
        pcr_level: COMPAT_3_10,
        max_vthreads: 8,
        level: IsaLevel::V3_1,
        since: QemuVersion::new(9, 2),
    },
];

/// Per-family compat data (facts §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FamilyCompat {
    /// `spapr_logical_pvr` (9.2+ check).
    pub logical_pvr: u32,
    /// `pcr_mask`.
    pub pcr_mask: u64,
    /// `pcr_supported`.
    pub pcr_supported: u64,
}

/// Compat data of a family.
pub const fn family_compat(f: Family) -> FamilyCompat {
    match f {
        Family::Power7 => FamilyCompat {
            logical_pvr: 0x0F10_0003,
            pcr_mask: VEC_DIS | VSX_DIS | COMPAT_2_05,
            pcr_supported: COMPAT_2_06 | COMPAT_2_05,
        },
        Family::Power8 => FamilyCompat {
            logical_pvr: 0x0F00_0004,
            pcr_mask: TM_DIS | COMPAT_2_06 | COMPAT_2_05,
            pcr_supported: COMPAT_2_07 | COMPAT_2_06 | COMPAT_2_05,
        },
        Family::Power9 => FamilyCompat {
            logical_pvr: 0x0F00_0005,
            pcr_mask: COMPAT_2_05 | COMPAT_2_06 | COMPAT_2_07,
            pcr_supported: COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | COMPAT_2_05,
        },
        Family::Power10 => FamilyCompat {
            logical_pvr: 0x0F00_0006,
            pcr_mask: COMPAT_2_05 | COMPAT_2_06 | COMPAT_2_07 | COMPAT_3_00,
            pcr_supported: COMPAT_3_10 | COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | COMPAT_2_05,
        },
        Family::Power11 => FamilyCompat {
            logical_pvr: 0x0F00_0007,
            pcr_mask: COMPAT_2_05 | COMPAT_2_06 | COMPAT_2_07 | COMPAT_3_00,
            pcr_supported: COMPAT_3_10 | COMPAT_3_00 | COMPAT_2_07 | COMPAT_2_06 | COMPAT_2_05,
        },
    }
}

/// Errors of compat-mode selection, with QEMU's wording.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompatError {
    /// A name that is not in the table.
    #[error("unknown compatibility mode `{name}`; known modes: {known}")]
    UnknownName {
        /// What was given.
        name: String,
        /// Known names.
        known: String,
    },
    /// QEMU: "Unknown compatibility PVR 0x%08x".
    #[error("Unknown compatibility PVR 0x{0:08x}")]
    UnknownPvr(u32),
    /// QEMU: "Compatibility PVR 0x%08x not valid for CPU".
    #[error("Compatibility PVR 0x{pvr:08x} not valid for CPU (hint: {model} supports {supported} under QEMU {qemu})")]
    NotValidForCpu {
        /// The compat PVR.
        pvr: u32,
        /// CPU model.
        model: &'static str,
        /// Modes it does support.
        supported: String,
        /// Profile.
        qemu: QemuVersion,
    },
}

/// Looks up a mode by name (case-insensitive, "power8" / "POWER8").
pub fn find_compat(name: &str) -> Result<&'static CompatMode, CompatError> {
    COMPAT_MODES
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| CompatError::UnknownName {
            name: name.to_string(),
            known: COMPAT_MODES
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// A mode by logical PVR.
pub fn compat_by_pvr(pvr: u32) -> Option<&'static CompatMode> {
    COMPAT_MODES.iter().find(|m| m.pvr == pvr)
}

fn table_index(pvr: u32) -> Option<usize> {
    COMPAT_MODES.iter().position(|m| m.pvr == pvr)
}

/// QEMU's `pcc_compat`: is compat PVR `c` supported by `model`, optionally within
/// `[min, max]` in table order (0 = unbounded), under QEMU `qemu`? (facts §4.3)
pub fn supports(model: &CpuModel, c: u32, min: u32, max: u32, qemu: QemuVersion) -> bool {
    let Some(ci) = table_index(c) else {
        return false;
    };
    let entry = &COMPAT_MODES[ci];
    if entry.since > qemu {
        return false;
    }
    if min != 0 && table_index(min).is_some_and(|mi| ci < mi) {
        return false;
    }
    if max != 0 && table_index(max).is_some_and(|ma| ci > ma) {
        return false;
    }
    let fc = family_compat(model.family);
    // Step 3, QEMU ≥ 9.2 (c0b2f0dd6ba7): numeric comparison with the class's
    // logical PVR — which makes POWER8+ reject power7+ (0x0F100003).
    if qemu >= QemuVersion::new(9, 2) && c > fc.logical_pvr {
        return false;
    }
    fc.pcr_supported & entry.pcr_level != 0
}

/// The modes a model supports under a profile, oldest first.
pub fn supported_modes(model: &CpuModel, qemu: QemuVersion) -> Vec<&'static CompatMode> {
    COMPAT_MODES
        .iter()
        .filter(|m| supports(model, m.pvr, 0, 0, qemu))
        .collect()
}

/// Result of QEMU's `ppc_set_compat`: the compat PVR and the PCR value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveCompat {
    /// Compat PVR (0 = raw mode).
    pub pvr: u32,
    /// PCR = entry.pcr & model pcr_mask.
    pub pcr: u64,
    /// Effective ISA level (the lower of model and mode).
    pub level: IsaLevel,
}

impl ActiveCompat {
    /// Raw mode on `model`.
    pub fn raw(model: &CpuModel) -> Self {
        ActiveCompat {
            pvr: 0,
            pcr: 0,
            level: model.level,
        }
    }
    /// The mode's name ("raw" for raw mode).
    pub fn name(&self) -> &'static str {
        compat_by_pvr(self.pvr).map_or("raw", |m| m.name)
    }
}

/// QEMU's `ppc_set_compat` (facts §4.4): c = 0 is raw mode; unknown → "Unknown
/// compatibility PVR"; unsupported → "Compatibility PVR … not valid for CPU".
pub fn set_compat(
    model: &'static CpuModel,
    c: u32,
    qemu: QemuVersion,
) -> Result<ActiveCompat, CompatError> {
    if c == 0 {
        return Ok(ActiveCompat::raw(model));
    }
    let entry = compat_by_pvr(c)
        .filter(|e| e.since <= qemu)
        .ok_or(CompatError::UnknownPvr(c))?;
    if !supports(model, c, 0, 0, qemu) {
        return Err(CompatError::NotValidForCpu {
            pvr: c,
            model: model.name,
            supported: supported_modes(model, qemu)
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", "),
            qemu,
        });
    }
    let raw_pcr = if qemu >= QemuVersion::new(5, 0) {
        entry.pcr
    } else {
        entry.pcr_2_10
    };
    Ok(ActiveCompat {
        pvr: c,
        pcr: raw_pcr & family_compat(model.family).pcr_mask,
        level: entry.level.min(model.level),
    })
}

/// Whether a facility is available to a problem-state guest on `model` at
/// effective level `level` under PCR value `pcr`, with `kernel_tm` the guest
/// kernel's transactional-memory enable: the one rule the interpreter
/// (through MSR[TM] and the PCR it reads, see [`tm_msr`]), the SPR gating and
/// the migration harness's "facility missing" classification share.
///
/// - Vector: off under PCR[VEC_DIS] (POWER7 in power6 mode; facts §4.4/§5).
/// - VSX: ISA 2.06+, off under PCR[VSX_DIS].
/// - Transactional memory: [`tm_available`].
/// - MMA: ISA 3.1 (QEMU has no PCR bit for it; facts §5).
pub fn facility_available(
    kernel_tm: bool,
    model: &CpuModel,
    level: IsaLevel,
    pcr: u64,
    f: crate::isa::Facility,
) -> bool {
    use crate::isa::Facility;
    match f {
        Facility::Base | Facility::Fp | Facility::Dfp => true,
        Facility::Vmx => pcr & VEC_DIS == 0,
        Facility::Vsx => level >= IsaLevel::V2_06 && pcr & VSX_DIS == 0,
        Facility::Tm => tm_available(kernel_tm, model, level, pcr),
        Facility::Mma => level >= IsaLevel::V3_1,
    }
}

/// Whether a problem-state guest can use transactional memory: the guest
/// kernel enabled it (`kernel_tm`) AND the hardware has it
/// ([`CpuModel::has_tm`]: POWER8/POWER9) AND the level is 2.07+ AND PCR[TM_DIS]
/// is clear.
///
/// - `kernel_tm` is the guest's own decision, taken once at boot: a pseries
///   Linux enables TM iff QEMU advertised it in `ibm,pa-features` (byte 24,
///   bit 0x80) — with cap-htm on from QEMU 2.12, before that under KVM iff
///   `kvmppc_has_cap_htm()` (see `migration::policy::CapHtmSide`). It travels
///   with the guest when it migrates; the hardware still decides, so a
///   TM-enabled guest landing on a POWER7/POWER10 gets SIGILL there. `run` and
///   `record` (no machine) pass `model.has_tm`, as qemu-user's reset does.
/// - PCR[TM_DIS] is only in POWER8's `pcr_mask` (facts §3.2), so POWER8 in
///   power7/power7+/power6 mode loses TM while POWER9 in power7 mode keeps the
///   PCR bit clear — its TM is then gated by the 2.06 level instead. The exact
///   ISA effect of TM_DIS (illegal instruction vs. `tbegin.` failing) is
///   UNVERIFIED (isa-facts.md §4): it is modelled as the instruction being
///   unavailable (SIGILL), as for VEC_DIS/VSX_DIS and for a kernel without TM.
pub fn tm_available(kernel_tm: bool, model: &CpuModel, level: IsaLevel, pcr: u64) -> bool {
    tm_msr(kernel_tm, model) && level >= IsaLevel::V2_07 && pcr & TM_DIS == 0
}

/// The MSR[TM] a running CPU of `model` holds when the guest kernel's TM
/// enable is `kernel_tm`: set only when the kernel enabled TM and the
/// hardware has it.
///
/// Why the hardware is folded into the MSR: the engines (interpreter and JIT)
/// see the architected state, level and PCR, not the model, so the half of
/// [`tm_available`] that depends on the model is applied wherever a CPU is
/// given a model (`Cpu::new`, the migration harness's start and resume,
/// `migration::stream::restore`). The interpreter's check
/// (`exec::interp::tm::tm_enabled`: MSR[TM] and PCR[TM_DIS] clear, with the
/// 2.07 level checked by the decoder from the row) then equals
/// [`tm_available`].
pub fn tm_msr(kernel_tm: bool, model: &CpuModel) -> bool {
    kernel_tm && model.has_tm
}

/// QEMU's `ppc_type_check_compat(cputype, LOGICAL_2_07, 0, max_compat_pvr)`
/// (facts §4.3 with range [0, max]): can a `model` CPU run ISA 2.07 under
/// `max-cpu-compat` `max` (0 = unset) in QEMU `qemu`? POWER7 never can, POWER8
/// and newer unless `max` is older than power8. `default_caps_with_cpu`
/// (hw/ppc/spapr_caps.c) forces the cap-htm default off when this is false.
pub fn runs_2_07(model: &CpuModel, max: u32, qemu: QemuVersion) -> bool {
    supports(model, 0x0F00_0004, 0, max, qemu)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu::find_model;

    fn pcr_of(model: &str, mode: &str) -> u64 {
        set_compat(
            find_model(model).unwrap(),
            find_compat(mode).unwrap().pvr,
            QemuVersion::NEWEST,
        )
        .unwrap()
        .pcr
    }

    #[test]
    fn pcr_values_per_model_and_mode_match_the_facts_table() {
        // qemu-migration-facts.md §4.4 "Resulting PCR (derived)".
        assert_eq!(pcr_of("power7", "power6"), 0x4000_0000_0000_0002);
        assert_eq!(pcr_of("power7", "power7"), 0);
        assert_eq!(pcr_of("power7", "power7+"), 0);
        assert_eq!(pcr_of("power8", "power6"), 0x2000_0000_0000_0006);
        assert_eq!(pcr_of("power8", "power7"), 0x2000_0000_0000_0004);
        assert_eq!(pcr_of("power8", "power8"), 0);
        assert_eq!(pcr_of("power9", "power6"), 0xE);
        assert_eq!(pcr_of("power9", "power7"), 0xC);
        assert_eq!(pcr_of("power9", "power8"), 0x8);
        assert_eq!(pcr_of("power9", "power9"), 0);
        for m in ["power10", "power11"] {
            assert_eq!(pcr_of(m, "power6"), 0x1E);
            assert_eq!(pcr_of(m, "power7"), 0x1C);
            assert_eq!(pcr_of(m, "power8"), 0x18);
            assert_eq!(pcr_of(m, "power9"), 0x10);
            assert_eq!(pcr_of(m, "power10"), 0);
        }
        assert_eq!(pcr_of("power11", "power11"), 0);
    }

    fn names(model: &str, q: QemuVersion) -> Vec<&'static str> {
        supported_modes(find_model(model).unwrap(), q)
            .iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn supported_mode_sets_follow_pcr_supported_and_the_9_2_logical_pvr_rule() {
        // facts §4.3 "Derived consequences".
        let q91 = QemuVersion::new(9, 1);
        let q92 = QemuVersion::new(9, 2);
        assert_eq!(names("power7", q92), ["power6", "power7", "power7+"]);
        assert_eq!(
            names("power8", q91),
            ["power6", "power7", "power7+", "power8"]
        );
        // ≥ 9.2: power7+ (0x0F100003) is numerically above POWER8's logical PVR.
        assert_eq!(names("power8", q92), ["power6", "power7", "power8"]);
        assert_eq!(
            names("power9", q92),
            ["power6", "power7", "power8", "power9"]
        );
        assert_eq!(
            names("power10", q92),
            ["power6", "power7", "power8", "power9", "power10"]
        );
        assert_eq!(
            names("power11", q92),
            ["power6", "power7", "power8", "power9", "power10", "power11"]
        );
        // power11 does not exist before 9.2.
        assert_eq!(
            names("power10", q91),
            ["power6", "power7", "power7+", "power8", "power9", "power10"]
        );
    }

    #[test]
    fn set_compat_errors_use_qemu_wording() {
        let p8 = find_model("power8").unwrap();
        let e = set_compat(p8, 0x0F00_0005, QemuVersion::NEWEST)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("Compatibility PVR 0x0f000005 not valid for CPU"),
            "{e}"
        );
        assert!(e.contains("power8"), "{e}");
        let e = set_compat(p8, 0x0F00_0009, QemuVersion::NEWEST)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "Unknown compatibility PVR 0x0f000009");
    }

    #[test]
    fn tm_needs_the_kernels_enable_and_the_hardware() {
        use crate::isa::Facility::Tm;
        let p9 = find_model("power9").unwrap();
        let p10 = find_model("power10").unwrap();
        assert!(facility_available(true, p9, IsaLevel::V3_0, 0, Tm));
        // A kernel that was not offered TM (cap-htm off) never enables it.
        assert!(!facility_available(false, p9, IsaLevel::V3_0, 0, Tm));
        // A TM-enabled guest on hardware without TM.
        assert!(!facility_available(true, p10, IsaLevel::V3_0, 0, Tm));
        // POWER8 in power7 mode: PCR[TM_DIS] (facts §4.4).
        let p8 = find_model("power8").unwrap();
        assert!(!facility_available(
            true,
            p8,
            IsaLevel::V2_06,
            TM_DIS | COMPAT_2_06,
            Tm
        ));
        assert!(tm_msr(true, p9) && !tm_msr(true, p10) && !tm_msr(false, p9));
    }

    #[test]
    fn isa_2_07_under_max_cpu_compat_follows_ppc_type_check_compat() {
        let q = QemuVersion::new(7, 2);
        let m = |n| find_model(n).unwrap();
        assert!(!runs_2_07(m("power7"), 0, q));
        assert!(runs_2_07(m("power8"), 0, q));
        assert!(runs_2_07(m("power8"), 0x0F00_0004, q));
        assert!(!runs_2_07(m("power8"), 0x0F00_0003, q), "max power7");
        assert!(runs_2_07(m("power10"), 0x0F00_0005, q));
    }

    #[test]
    fn the_2_10_era_pcr_has_no_3_10_bit() {
        let p9 = find_model("power9").unwrap();
        let a = set_compat(p9, 0x0F00_0004, QemuVersion::new(2, 10)).unwrap();
        assert_eq!(a.pcr, 0x8);
        assert_eq!(a.level, IsaLevel::V2_07);
    }
}
