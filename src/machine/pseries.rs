//! pseries machine types and the guest kernel's compatibility negotiation (CAS).
//!
//! Machine types `pseries-X.Y` carry the CPU migration flags QEMU's compat
//! properties set (pre-2.8, pre-2.10, pre-3.0 migration) and a default CPU; they
//! exist in the QEMU releases from X.Y until their removal. CAS follows QEMU's
//! `h_client_architecture_support` PVR selection.
//!
//! Sources: `../shared/reference/qemu-migration-facts.md` §2 (flags per machine;
//! qemu/qemu hw/ppc/spapr.c @75b7b25d, @d5fc133e), §1.6 (removals in 9.2), §4.5
//! (max-cpu-compat), §4.6 (CAS; hw/ppc/spapr_hcall.c ref:8920268651).

use crate::cpu::compat::{
    compat_by_pvr, find_compat, set_compat, supports, ActiveCompat, CompatError, QemuVersion,
    COMPAT_MODES,
};
use crate::cpu::{find_model, CpuModel};

/// One pseries machine type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MachineType {
    /// Name, e.g. "pseries-2.10".
    pub name: String,
    /// Version X.Y.
    pub version: QemuVersion,
    /// CPU property `pre-2.8-migration` (pseries-2.7 and older).
    pub pre_2_8_migration: bool,
    /// CPU property `pre-2.10-migration` (pseries-2.9 and older).
    pub pre_2_10_migration: bool,
    /// CPU/core property `pre-3.0-migration` (pseries-2.12 and older).
    pub pre_3_0_migration: bool,
    /// Default CPU model name.
    pub default_cpu: &'static str,
    /// First QEMU release that has it.
    pub since: QemuVersion,
    /// First QEMU release that no longer has it.
    pub removed_in: Option<QemuVersion>,
}

const fn v(a: u16, b: u16) -> QemuVersion {
    QemuVersion::new(a, b)
}

/// Versions of every pseries machine type modelled, oldest first. QEMU adds one
/// per release: 2.1–2.12 (2.12 also "-sxxm"), 3.0–3.1, 4.0–4.2, 5.0–5.2, 6.0–6.2,
/// 7.0–7.2, 8.0–8.2, 9.0–9.2, 10.0–10.2, 11.0–11.1.
const VERSIONS: &[(u16, u16)] = &[
    (2, 1),
    (2, 2),
    (2, 3),
    (2, 4),
    (2, 5),
    (2, 6),
    (2, 7),
    (2, 8),
    (2, 9),
    (2, 10),
    (2, 11),
    (2, 12),
    (3, 0),
    (3, 1),
    (4, 0),
    (4, 1),
    (4, 2),
    (5, 0),
    (5, 1),
    (5, 2),
    (6, 0),
    (6, 1),
    (6, 2),
    (7, 0),
    (7, 1),
    (7, 2),
    (8, 0),
    (8, 1),
    (8, 2),
    (9, 0),
    (9, 1),
    (9, 2),
    (10, 0),
    (10, 1),
    (10, 2),
    (11, 0),
    (11, 1),
];

fn build(name: String, ver: QemuVersion) -> MachineType {
    // pseries-2.x were all removed in 9.2 (facts §1.6, a6b7325305e2…c1a13064e337).
    // pseries-3.0/3.1: removal patch dated 2025-05-07 (facts §1.6), release
    // UNVERIFIED — assumed 10.1. Newer types are still present in the newest
    // modelled release.
    let removed_in = if ver < v(3, 0) {
        Some(v(9, 2))
    } else if ver < v(4, 0) {
        Some(v(10, 1))
    } else {
        None
    };
    MachineType {
        name,
        version: ver,
        pre_2_8_migration: ver <= v(2, 7),
        pre_2_10_migration: ver <= v(2, 9),
        pre_3_0_migration: ver <= v(2, 12),
        // facts §2: 2.7 (and older) power7_v2.3; 3.1 and older power8_v2.0; newer
        // machines power9_v2.2 (8.2-era base class).
        default_cpu: if ver <= v(2, 7) {
            "power7_v2.3"
        } else if ver <= v(3, 1) {
            "power8_v2.0"
        } else {
            "power9_v2.2"
        },
        since: ver,
        removed_in,
    }
}

/// Every machine type modelled.
pub fn machine_types() -> Vec<MachineType> {
    let mut out = Vec::new();
    for &(a, b) in VERSIONS {
        out.push(build(format!("pseries-{a}.{b}"), v(a, b)));
        if (a, b) == (2, 12) {
            out.push(build("pseries-2.12-sxxm".into(), v(2, 12)));
        }
    }
    out
}

/// Errors choosing a machine, profile or compat mode.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MachineError {
    /// Unknown machine type (QEMU: "unsupported machine type").
    #[error("unsupported machine type `{name}`; known pseries machine types: {known} (use `ppcreplay machines`)")]
    UnknownMachine {
        /// What was given.
        name: String,
        /// Known names.
        known: String,
    },
    /// The machine type does not exist in the requested QEMU.
    #[error("machine type `{name}` does not exist in QEMU {qemu} (it exists in {since}{until}); pick another --qemu or machine")]
    NotInProfile {
        /// Machine.
        name: String,
        /// Profile.
        qemu: QemuVersion,
        /// First release.
        since: QemuVersion,
        /// Removal text.
        until: String,
    },
    /// Unknown --qemu version.
    #[error("unknown QEMU version `{0}`: modelled versions are {min}..{max}", min = QemuVersion::OLDEST, max = QemuVersion::NEWEST)]
    UnknownQemu(String),
    /// Compat problem.
    #[error(transparent)]
    Compat(#[from] CompatError),
    /// max-cpu-compat before QEMU 2.10.
    #[error("max-cpu-compat does not exist before QEMU 2.10 (profile {0}); compat modes were a CPU option then")]
    NoMaxCompat(QemuVersion),
    /// CAS failure (QEMU: "Couldn't negotiate a suitable PVR during CAS").
    #[error("Couldn't negotiate a suitable PVR during CAS (hint: the guest kernel offers {offered}; {model} with max-cpu-compat {max} supports {supported})")]
    CasFailed {
        /// What the guest listed.
        offered: String,
        /// CPU model.
        model: &'static str,
        /// max-cpu-compat.
        max: String,
        /// Supported modes.
        supported: String,
    },
}

/// Finds a machine type by name.
pub fn find_machine(name: &str) -> Result<MachineType, MachineError> {
    let all = machine_types();
    all.iter()
        .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
        .cloned()
        .ok_or_else(|| MachineError::UnknownMachine {
            name: name.to_string(),
            known: format!(
                "{} … {}",
                all.first().map_or("", |m| m.name.as_str()),
                all.last().map_or("", |m| m.name.as_str())
            ),
        })
}

/// The QEMU profile for a machine: the one asked for (which must have the
/// machine type), else the newest modelled release that still has it.
pub fn profile_for(
    m: &MachineType,
    qemu: Option<QemuVersion>,
) -> Result<QemuVersion, MachineError> {
    let until = |m: &MachineType| {
        m.removed_in
            .map_or(" and later".to_string(), |r| format!(" up to before {r}"))
    };
    match qemu {
        Some(q) => {
            if q < m.since || m.removed_in.is_some_and(|r| q >= r) {
                return Err(MachineError::NotInProfile {
                    name: m.name.clone(),
                    qemu: q,
                    since: m.since,
                    until: until(m),
                });
            }
            Ok(q)
        }
        None => Ok(match m.removed_in {
            None => QemuVersion::NEWEST,
            Some(r) => newest_before(r),
        }),
    }
}

fn newest_before(r: QemuVersion) -> QemuVersion {
    VERSIONS
        .iter()
        .map(|&(a, b)| v(a, b))
        .filter(|x| *x < r)
        .max()
        .unwrap_or(QemuVersion::OLDEST)
}

/// What a guest kernel offers in CAS: a list of (mask, pvr) pairs as Linux's
/// `prom_init.c` ibm_architecture_vec builds it: the raw PVRs of the CPUs it
/// knows (mask 0xffff0000) and the logical PVRs of the architecture levels it
/// knows (mask 0xffffffff).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestKernel {
    /// Newest compat mode (CPU generation) the kernel knows.
    pub newest: &'static str,
    /// (mask, pvr) pairs in the order the kernel lists them.
    pub pvrs: Vec<(u32, u32)>,
}

impl GuestKernel {
    /// A kernel that knows CPUs and compat modes up to `newest` ("power8" …
    /// "power11"); `None` = a current kernel (knows power11).
    pub fn new(newest: Option<&str>) -> Result<Self, CompatError> {
        let newest = find_compat(newest.unwrap_or("power11"))?;
        let gens: &[(&str, &[u32])] = &[
            ("power6", &[0x003E_0000]),
            ("power7", &[0x003F_0000]),
            ("power7+", &[0x004A_0000]),
            ("power8", &[0x004B_0000, 0x004C_0000, 0x004D_0000]),
            ("power9", &[0x004E_0000]),
            ("power10", &[0x0080_0000]),
            ("power11", &[0x0082_0000]),
        ];
        let limit = COMPAT_MODES
            .iter()
            .position(|m| m.pvr == newest.pvr)
            .unwrap_or(0);
        let mut pvrs = Vec::new();
        for (i, (name, raws)) in gens.iter().enumerate() {
            if i > limit {
                break;
            }
            let _ = name;
            for r in *raws {
                pvrs.push((0xffff_0000, *r));
            }
        }
        // Logical PVRs: Linux lists 2.05, 2.06, 2.07, 3.00, 3.1, 3.1-P11 (not 2.06+).
        for m in &COMPAT_MODES[..=limit] {
            if m.name != "power7+" {
                pvrs.push((0xffff_ffff, m.pvr));
            }
        }
        Ok(GuestKernel {
            newest: newest.name,
            pvrs,
        })
    }
}

/// The outcome of CAS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CasResult {
    /// The negotiated mode (pvr 0 = raw).
    pub compat: ActiveCompat,
    /// Whether the kernel listed the CPU's raw PVR.
    pub raw_supported: bool,
}

/// QEMU's CAS PVR selection (facts §4.6): for each listed (mask, pvr): the raw
/// PVR matches → raw supported; else a compat PVR supported within [best, max]
/// becomes the new best. No compat and (raw unsupported or max-cpu-compat set) →
/// failure. pseries-2.10+ prefer the compat mode; older machine types prefer raw.
pub fn cas(
    model: &'static CpuModel,
    machine: &MachineType,
    max_compat: Option<&'static crate::cpu::compat::CompatMode>,
    kernel: &GuestKernel,
    qemu: QemuVersion,
) -> Result<CasResult, MachineError> {
    let max = max_compat.map_or(0, |m| m.pvr);
    let mut best = 0u32;
    let mut raw = false;
    for &(mask, pvr) in &kernel.pvrs {
        if pvr & !mask != 0 {
            break; // terminates the list
        }
        if model.pvr & mask == pvr & mask {
            raw = true;
        } else if supports(model, pvr, best, max, qemu) {
            best = pvr;
        }
    }
    if best == 0 && (!raw || max != 0) {
        return Err(MachineError::CasFailed {
            offered: format!("up to {}", kernel.newest),
            model: model.name,
            max: max_compat.map_or("unset".into(), |m| m.name.to_string()),
            supported: crate::cpu::compat::supported_modes(model, qemu)
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let chosen = if machine.pre_2_10_migration && raw && max == 0 {
        0 // before 2.10 the raw mode was preferred (152ef803ceb1)
    } else {
        best
    };
    Ok(CasResult {
        compat: set_compat(model, chosen, qemu)?,
        raw_supported: raw,
    })
}

/// A fully resolved pseries configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pseries {
    /// Machine type.
    pub machine: MachineType,
    /// QEMU profile.
    pub qemu: QemuVersion,
    /// max-cpu-compat.
    pub max_compat: Option<&'static str>,
    /// Guest kernel generation.
    pub kernel: &'static str,
    /// Negotiated mode.
    pub compat: ActiveCompat,
}

/// Resolves `--machine/--max-cpu-compat/--guest-kernel/--qemu` for `model`.
pub fn configure(
    model: &'static CpuModel,
    machine: &str,
    max_compat: Option<&str>,
    kernel: Option<&str>,
    qemu: Option<&str>,
) -> Result<Pseries, MachineError> {
    let m = find_machine(machine)?;
    let q = qemu
        .map(|s| QemuVersion::parse(s).ok_or_else(|| MachineError::UnknownQemu(s.to_string())))
        .transpose()?;
    let q = profile_for(&m, q)?;
    let maxc = max_compat.map(find_compat).transpose()?;
    if maxc.is_some() && q < v(2, 10) {
        return Err(MachineError::NoMaxCompat(q));
    }
    if let Some(mc) = maxc {
        // QEMU sets every CPU to max-cpu-compat at reset: unsupported is fatal.
        set_compat(model, mc.pvr, q)?;
    }
    let k = GuestKernel::new(kernel)?;
    let r = cas(model, &m, maxc, &k, q)?;
    Ok(Pseries {
        machine: m,
        qemu: q,
        max_compat: maxc.map(|c| c.name),
        kernel: k.newest,
        compat: r.compat,
    })
}

/// Gives a CPU of a pseries run the guest kernel's transactional-memory
/// enable: off. A pseries run models QEMU's TCG, where TM is never offered to
/// the guest — before QEMU 2.12 `ibm,pa-features` advertised TM only under
/// KVM (`kvmppc_has_cap_htm()`), and from 2.12 cap-htm=on refuses to start
/// under TCG, so machine types that default it on (pseries-2.11 and older)
/// need `cap-htm=off` and newer ones default it off. The same rule `migrate`
/// applies to its source (`migration::policy::CapHtmSide`, accel tcg); its
/// `--accel kvm-hv` has no counterpart in `run`.
pub fn set_guest_tm(cpu: &mut crate::exec::Cpu) {
    cpu.state.msr &= !crate::cpu::msr::TM;
}

/// The default CPU model of a machine type.
pub fn default_model(m: &MachineType) -> &'static CpuModel {
    find_model(m.default_cpu).unwrap_or(&crate::cpu::MODELS[0])
}

/// Human summary, e.g. "pseries-2.10 (QEMU 9.1 profile), compat power8, PCR 0x8".
pub fn describe(p: &Pseries) -> String {
    format!(
        "{} (QEMU {} profile), guest kernel up to {}, max-cpu-compat {}, negotiated {} mode, PCR {:#x}",
        p.machine.name,
        p.qemu,
        p.kernel,
        p.max_compat.unwrap_or("unset"),
        compat_by_pvr(p.compat.pvr).map_or("raw", |m| m.name),
        p.compat.pcr
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(
        model: &str,
        machine: &str,
        max: Option<&str>,
        kernel: Option<&str>,
    ) -> Result<&'static str, MachineError> {
        configure(find_model(model).unwrap(), machine, max, kernel, None).map(|p| p.compat.name())
    }

    #[test]
    fn machine_flags_follow_the_facts_table() {
        // facts §2.
        let f = |n: &str| {
            let m = find_machine(n).unwrap();
            (
                m.pre_2_8_migration,
                m.pre_2_10_migration,
                m.pre_3_0_migration,
            )
        };
        assert_eq!(f("pseries-2.7"), (true, true, true));
        assert_eq!(f("pseries-2.8"), (false, true, true));
        assert_eq!(f("pseries-2.9"), (false, true, true));
        assert_eq!(f("pseries-2.10"), (false, false, true));
        assert_eq!(f("pseries-2.12-sxxm"), (false, false, true));
        assert_eq!(f("pseries-3.0"), (false, false, false));
        assert_eq!(
            find_machine("pseries-2.7").unwrap().default_cpu,
            "power7_v2.3"
        );
        assert_eq!(
            find_machine("pseries-3.1").unwrap().default_cpu,
            "power8_v2.0"
        );
    }

    #[test]
    fn removed_machine_types_get_the_newest_profile_that_still_has_them() {
        let m = find_machine("pseries-2.10").unwrap();
        assert_eq!(profile_for(&m, None).unwrap(), QemuVersion::new(9, 1));
        assert!(profile_for(&m, Some(QemuVersion::new(9, 2))).is_err());
        let m = find_machine("pseries-9.0").unwrap();
        assert_eq!(profile_for(&m, None).unwrap(), QemuVersion::NEWEST);
    }

    #[test]
    fn cas_grid_matches_qemus_selection_rules() {
        // facts §4.6: newest supported compat mode listed by the kernel, capped by
        // max-cpu-compat; 2.10+ prefer compat over raw; pre-2.10 prefer raw.
        assert_eq!(neg("power9", "pseries-8.0", None, None).unwrap(), "power9");
        assert_eq!(
            neg("power10", "pseries-8.0", None, None).unwrap(),
            "power10"
        );
        assert_eq!(
            neg("power10", "pseries-8.0", None, Some("power9")).unwrap(),
            "power9"
        );
        assert_eq!(
            neg("power10", "pseries-8.0", Some("power8"), None).unwrap(),
            "power8"
        );
        assert_eq!(
            neg("power9", "pseries-2.10", Some("power8"), Some("power9")).unwrap(),
            "power8"
        );
        assert_eq!(neg("power9", "pseries-2.9", None, None).unwrap(), "raw");
        assert_eq!(
            neg("power8", "pseries-2.12", None, Some("power8")).unwrap(),
            "power8"
        );
        assert_eq!(
            neg("power11", "pseries-9.2", None, None).unwrap(),
            "power11"
        );
        // A power8-era kernel on POWER10: no raw match, but power8 compat fits.
        assert_eq!(
            neg("power10", "pseries-9.0", None, Some("power8")).unwrap(),
            "power8"
        );
    }

    /// The expected CAS outcome, derived from the facts' rules alone (not
    /// from this module's code): `Err(rule)` when QEMU refuses, else the
    /// negotiated mode's name and the rule that chose it.
    fn cas_expected(
        model: &str,
        machine: &str,
        max: Option<&str>,
        kernel: &str,
    ) -> Result<(&'static str, &'static str), &'static str> {
        // Table order (facts §4.2).
        const ORDER: [&str; 7] = [
            "power6", "power7", "power7+", "power8", "power9", "power10", "power11",
        ];
        let idx = |n: &str| ORDER.iter().position(|x| *x == n).unwrap();
        // Profile: pseries-2.x machine types are gone from 9.2, so their
        // profile is 9.1; pseries-9.2 gets the newest (facts §2, §4.3).
        let q92 = machine == "pseries-9.2";
        let pre_2_10 = machine == "pseries-2.9";
        // The CPU's raw generation (facts §3.1) and supported modes (§4.3
        // "Derived consequences": POWER7 family power6/7/7+; POWER8 adds
        // power8, POWER9 power9, POWER10 power10, POWER11 power11 (9.2+);
        // ≥ 9.2 POWER8+ reject power7+).
        let (gen, newest_mode) = match model {
            "power7_v2.3" => ("power7", "power7+"),
            "power7p_v2.1" => ("power7+", "power7+"),
            "power8e_v2.1" | "power8_v2.0" | "power8nvl_v1.0" => ("power8", "power8"),
            "power9_v2.0" | "power9_v2.2" => ("power9", "power9"),
            "power10_v2.0" => ("power10", "power10"),
            "power11_v2.0" => ("power11", if q92 { "power11" } else { "power10" }),
            _ => unreachable!("{model}"),
        };
        let supported = |m: &str| {
            idx(m) <= idx(newest_mode)
                && !(q92 && m == "power7+" && idx(newest_mode) > idx("power7+"))
                && (m != "power11" || q92)
        };
        // §4.5: max-cpu-compat is applied at reset; unsupported is fatal.
        if let Some(mx) = max {
            if !supported(mx) {
                return Err("§4.5: max-cpu-compat unsupported by the CPU is fatal at startup");
            }
        }
        // §4.6 with Linux's list (prom_init.c): raw PVRs of the generations
        // up to the kernel's, logical PVRs of the modes up to it (no 2.06+).
        let k = idx(kernel);
        let raw = idx(gen) <= k;
        let best = ORDER.iter().copied().rfind(|m| {
            *m != "power7+" && idx(m) <= k && supported(m) && max.is_none_or(|mx| idx(m) <= idx(mx))
        });
        match best {
            None if !raw || max.is_some() => {
                Err("§4.6: no compat mode and (raw PVR not listed or max-cpu-compat set)")
            }
            None => Ok(("raw", "§4.6: only the raw PVR matched")),
            Some(_) if pre_2_10 && raw && max.is_none() => {
                Ok(("raw", "§4.6: before pseries-2.10 raw mode is preferred"))
            }
            Some(b) => Ok((b, "§4.6: the newest listed compat mode ≤ max-cpu-compat")),
        }
    }

    #[test]
    fn cas_full_grid_agrees_with_the_rules_of_the_facts() {
        // Every model × max-cpu-compat (unset and each mode) × guest kernel
        // generation × machine type (pre-2.10, 2.10 era, 9.2+), each case
        // checked against the outcome derived from the facts' rules.
        let mut n = 0;
        for m in crate::cpu::MODELS {
            for machine in ["pseries-2.9", "pseries-2.10", "pseries-9.2"] {
                for max in [
                    None,
                    Some("power6"),
                    Some("power7"),
                    Some("power7+"),
                    Some("power8"),
                    Some("power9"),
                    Some("power10"),
                    Some("power11"),
                ] {
                    for kernel in ["power6", "power7", "power8", "power9", "power10", "power11"] {
                        let got = neg(m.name, machine, max, Some(kernel));
                        let want = cas_expected(m.name, machine, max, kernel);
                        let case = format!("{} {machine} max={max:?} kernel={kernel}", m.name);
                        match (&got, want) {
                            (Ok(g), Ok((w, rule))) => assert_eq!(*g, w, "{case}: {rule}"),
                            (Err(_), Err(_)) => {}
                            _ => panic!("{case}: got {got:?}, want {want:?}"),
                        }
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 9 * 3 * 8 * 6);
    }

    #[test]
    fn errors_use_qemu_wording_plus_a_hint() {
        let e = neg("power8", "pseries-8.0", Some("power9"), None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("Compatibility PVR 0x0f000005 not valid for CPU"),
            "{e}"
        );
        let e = neg("power8", "pseries-8.0", Some("power11"), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not valid for CPU"), "{e}");
        let e = neg("power8", "pseries-1.0", None, None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unsupported machine type `pseries-1.0`")
                && e.contains("ppcreplay machines"),
            "{e}"
        );
        let e = neg("power8", "pseries-8.0", Some("power12"), None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown compatibility mode `power12`") && e.contains("power9"),
            "{e}"
        );
        // A kernel that lists only the raw POWER10 PVR (no logical PVRs) with
        // max-cpu-compat set: no compat mode fits and raw is not allowed.
        let k = GuestKernel {
            newest: "power10",
            pvrs: vec![(0xffff_0000, 0x0080_0000)],
        };
        let p10 = find_model("power10").unwrap();
        let m = find_machine("pseries-8.0").unwrap();
        let mc = find_compat("power9").ok();
        let e = cas(p10, &m, mc, &k, QemuVersion::NEWEST)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("Couldn't negotiate a suitable PVR during CAS"),
            "{e}"
        );
        // Without max-cpu-compat the same kernel runs in raw mode.
        let r = cas(p10, &m, None, &k, QemuVersion::NEWEST).unwrap();
        assert_eq!((r.compat.pvr, r.raw_supported), (0, true));
    }
}
