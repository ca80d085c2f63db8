//! QEMU's CPU-migration acceptance policies (`migrate --verdict-only`): one named
//! test per row of the decision procedure in
//! `../shared/reference/qemu-migration-facts.md` §9 (expected values from the
//! facts, never from our output), the verdict table as an insta snapshot, and the
//! command line's exit codes and JSON shape.

use ppcreplay::cpu::compat::QemuVersion;
use ppcreplay::cpu::MODELS;
use ppcreplay::migration::policy::{
    decide, default_policy, resolve, unknown_subsection, CapHtmArg, CapHtmOrigin, CpuStream,
    PolicyKind, Request, Rule, Setup, Subsection, Verdict, VerdictError,
};
use std::process::{Command, Output};

const fn v(a: u16, b: u16) -> QemuVersion {
    QemuVersion::new(a, b)
}

struct Case<'a> {
    src: &'a str,
    dst: &'a str,
    machine: &'a str,
    compat: Option<&'a str>,
    qemu: &'a str,
    src_qemu: Option<&'a str>,
    kvm: bool,
    cap_htm: Option<CapHtmArg>,
}

fn case<'a>(src: &'a str, dst: &'a str, machine: &'a str, qemu: &'a str) -> Case<'a> {
    Case {
        src,
        dst,
        machine,
        compat: None,
        qemu,
        src_qemu: None,
        kvm: false,
        cap_htm: None,
    }
}

impl<'a> Case<'a> {
    fn compat(mut self, c: &'a str) -> Self {
        self.compat = Some(c);
        self
    }
    fn src_qemu(mut self, q: &'a str) -> Self {
        self.src_qemu = Some(q);
        self
    }
    fn kvm(mut self) -> Self {
        self.kvm = true;
        self
    }
    fn cap(mut self, c: CapHtmArg) -> Self {
        self.cap_htm = Some(c);
        self
    }
    fn setup(&self) -> Result<Setup, VerdictError> {
        resolve(&Request {
            src: self.src,
            dst: self.dst,
            machine: self.machine,
            max_cpu_compat: self.compat,
            qemu: Some(self.qemu),
            src_qemu: self.src_qemu,
            kvm_hv: self.kvm,
            cap_htm: self.cap_htm,
        })
    }
    fn try_verdict(&self, policy: Option<PolicyKind>) -> Result<Verdict, VerdictError> {
        let s = self.setup()?;
        Ok(decide(&s, policy.unwrap_or(default_policy(s.dst_qemu))))
    }
    /// The default policy's verdict.
    fn verdict(&self) -> Verdict {
        self.try_verdict(None).unwrap()
    }
    fn with(&self, p: PolicyKind) -> Verdict {
        self.try_verdict(Some(p)).unwrap()
    }
}

fn accepted_by(v: &Verdict, rule: Rule) {
    assert!(v.accepted && v.rule == rule, "{v:?}");
}

fn rejected_by(v: &Verdict, rule: Rule) {
    assert!(!v.accepted && v.rule == rule, "{v:?}");
}

// ---- §9 step 1: the stream must parse -------------------------------------

#[test]
fn cpu_compat_subsection_into_a_pre_2_10_destination_is_an_unknown_subsection() {
    let st = CpuStream {
        pvr: 0x004E_1202,
        sanity: None,
        subsections: vec![Subsection {
            name: "cpu/compat",
            since: v(2, 10),
        }],
        compat: Some(0x0F00_0004),
    };
    assert_eq!(unknown_subsection(&st, v(2, 9)).unwrap().name, "cpu/compat");
    assert!(unknown_subsection(&st, v(2, 10)).is_none());
}

#[test]
fn cpu_bhrb_from_a_9_1_power10_source_is_unknown_to_a_9_0_destination() {
    let c = case("power10", "power10", "pseries-8.0", "9.0").src_qemu("9.1");
    let v = c.verdict();
    rejected_by(&v, Rule::UnknownSubsection);
    assert!(
        v.reason.contains("cpu/bhrb") && v.reason.contains("device 'cpu'"),
        "{}",
        v.reason
    );
    // POWER9 has no BHRB: no subsection, accepted.
    accepted_by(
        &case("power9", "power9", "pseries-8.0", "9.0")
            .src_qemu("9.1")
            .verdict(),
        Rule::RawPvrEqual,
    );
}

// ---- §9 step 2: exact PVR (< 2.1) ---------------------------------------------

#[test]
fn exact_pvr_rejects_power8_to_power8e_and_accepts_the_same_model() {
    let c = case("power8", "power8e", "pseries-2.7", "2.7");
    rejected_by(&c.with(PolicyKind::ExactPvr), Rule::PvrNotEqual);
    let v = case("power8", "power8", "pseries-2.7", "2.7").with(PolicyKind::ExactPvr);
    accepted_by(&v, Rule::PvrAndSanityEqual);
    assert_eq!(v.post_load_pvr, Some(0x004D_0200));
}

#[test]
fn default_policy_follows_the_destination_version() {
    assert_eq!(default_policy(v(2, 0)), PolicyKind::ExactPvr);
    assert_eq!(default_policy(v(2, 1)), PolicyKind::InsnFlags);
    assert_eq!(default_policy(v(2, 7)), PolicyKind::InsnFlags);
    assert_eq!(default_policy(v(2, 8)), PolicyKind::IgnorePvr);
    assert_eq!(default_policy(v(2, 9)), PolicyKind::IgnorePvr);
    assert_eq!(default_policy(v(2, 10)), PolicyKind::PvrMatchOrCompat);
    assert_eq!(default_policy(v(11, 1)), PolicyKind::PvrMatchOrCompat);
}

// ---- §9 step 3: 2.1 ≤ V < 2.8, PVR ignored, sanity fields EQUAL ---------------

#[test]
fn insn_flags_era_accepts_power8_to_power8e_and_overwrites_the_pvr() {
    let v = case("power8", "power8e", "pseries-2.6", "2.6").verdict();
    assert_eq!(v.policy, PolicyKind::InsnFlags);
    accepted_by(&v, Rule::SanityEqualPvrIgnored);
    assert_eq!(v.post_load_pvr, Some(0x004B_0201), "destination's PVR");
}

#[test]
fn insn_flags_era_rejects_power7_to_power8() {
    let v = case("power7", "power8", "pseries-2.6", "2.6").verdict();
    rejected_by(&v, Rule::SanityFieldDiffers);
}

#[test]
fn insn_flags_2_6_to_2_7_breaks_in_both_directions() {
    // facts §1.3: 2.7 changed the server CPUs' flags; the EQUAL checks fail.
    let c = case("power8", "power8", "pseries-2.6", "2.7").src_qemu("2.6");
    rejected_by(&c.verdict(), Rule::SanityFieldDiffers);
    let c = case("power8", "power8", "pseries-2.6", "2.6").src_qemu("2.7");
    rejected_by(&c.verdict(), Rule::SanityFieldDiffers);
}

#[test]
fn a_2_8_source_masks_the_flags_so_a_2_6_destination_accepts_pre_2_8_machine_types() {
    // 16a2497bd44c: masked shadow values for pre-2.8 machine types.
    let c = case("power8", "power8", "pseries-2.6", "2.6").src_qemu("2.8");
    accepted_by(&c.verdict(), Rule::SanityEqualPvrIgnored);
    // A 2.7 destination still compares its own (2.7) flags: still broken.
    let c = case("power8", "power8", "pseries-2.7", "2.7").src_qemu("2.8");
    rejected_by(&c.verdict(), Rule::SanityFieldDiffers);
}

#[test]
fn power9_pre_2_8_streams_reach_a_2_6_power8_only_once_tlbie_is_forced_in_3_0() {
    // bce009645b9f (2018-05): POWER9 lacks PPC_MEM_TLBIE; forced on in the mask.
    let c = case("power9_v2.0", "power8", "pseries-2.6", "2.6").src_qemu("2.12");
    rejected_by(&c.verdict(), Rule::SanityFieldDiffers);
    let c = case("power9_v2.0", "power8", "pseries-2.6", "2.6").src_qemu("3.0");
    accepted_by(&c.verdict(), Rule::SanityEqualPvrIgnored);
}

#[test]
fn a_2_8_destination_never_compares_the_sanity_fields() {
    // facts §9 step 3: V ≥ 2.8 reads and discards them (ignore-pvr era to 2.9).
    let v = case("power9_v2.0", "power8", "pseries-2.7", "2.8").verdict();
    assert_eq!(v.policy, PolicyKind::IgnorePvr);
    accepted_by(&v, Rule::PvrIgnored);
    assert_eq!(v.post_load_pvr, Some(0x004D_0200), "destination's PVR");
    accepted_by(
        &case("power7", "power10", "pseries-2.9", "2.9").verdict(),
        Rule::PvrIgnored,
    );
}

// ---- §9 step 4: V ≥ 2.10, compat else pvr_match -------------------------------

#[test]
fn pvr_match_rejects_power8_to_power9_in_raw_mode() {
    for q in ["2.10", "7.1", "7.2", "9.1"] {
        rejected_by(
            &case("power8", "power9", "pseries-2.10", q).verdict(),
            Rule::RawPvrMismatch,
        );
    }
}

#[test]
fn compat_power8_accepts_power9_to_power8_since_2_10() {
    for q in ["2.10", "7.2", "9.1"] {
        let v = case("power9", "power8", "pseries-2.10", q)
            .compat("power8")
            .verdict();
        accepted_by(&v, Rule::CompatSupported);
        assert_eq!(v.compat_name(), "power8");
    }
    // A pre-2.10 machine type sends no cpu/compat, but the destination's own
    // max-cpu-compat (same options on both sides) gives the same answer.
    let v = case("power9", "power8", "pseries-2.9", "7.2")
        .compat("power8")
        .verdict();
    accepted_by(&v, Rule::CompatSupported);
    assert!(v.reason.contains("destination's own"), "{}", v.reason);
    // Without a compat mode it is raw mode: rejected.
    rejected_by(
        &case("power9", "power8", "pseries-2.9", "7.2").verdict(),
        Rule::RawPvrMismatch,
    );
}

#[test]
fn raw_power7_to_power7plus_accepted_before_7_2_rejected_from_7_2() {
    accepted_by(
        &case("power7", "power7+", "pseries-2.10", "7.1").verdict(),
        Rule::RawPvrMatch,
    );
    rejected_by(
        &case("power7", "power7+", "pseries-2.10", "7.2").verdict(),
        Rule::RawPvrMismatch,
    );
}

#[test]
fn raw_power8_to_power8e_and_power8nvl_accepted_before_7_2_rejected_from_7_2() {
    for dst in ["power8e", "power8nvl"] {
        accepted_by(
            &case("power8", dst, "pseries-3.0", "7.1").verdict(),
            Rule::RawPvrMatch,
        );
        rejected_by(
            &case("power8", dst, "pseries-3.0", "7.2").verdict(),
            Rule::RawPvrMismatch,
        );
    }
}

#[test]
fn raw_power9_v2_0_to_v2_2_rejected_from_8_1() {
    // facts §3.3: DD2.0/2.1 match only power9_v2.0 from 8.1 (power9_v2.2 exists from 8.1).
    rejected_by(
        &case("power9_v2.0", "power9_v2.2", "pseries-8.0", "8.1").verdict(),
        Rule::RawPvrMismatch,
    );
    rejected_by(
        &case("power9_v2.2", "power9_v2.0", "pseries-8.0", "9.2").verdict(),
        Rule::RawPvrMismatch,
    );
    // The same pair in compat mode power9 is fine.
    accepted_by(
        &case("power9_v2.0", "power9_v2.2", "pseries-8.0", "8.1")
            .compat("power9")
            .verdict(),
        Rule::CompatSupported,
    );
}

#[test]
fn raw_power10_renumbered_pvr_from_8_0_is_accepted_by_8_1() {
    // 7f65ebb0e79b: 0x00800200 → 0x00801200; the 0x0F00 major test ignores it.
    let v = case("power10", "power10", "pseries-8.0", "8.1")
        .src_qemu("8.0")
        .verdict();
    accepted_by(&v, Rule::RawPvrMatch);
    assert_eq!(
        v.post_load_pvr,
        Some(0x0080_0200),
        "TCG keeps the source PVR"
    );
}

#[test]
fn power8_rejects_power7plus_compat_from_9_2() {
    // facts §4.3 step 3 (spapr_logical_pvr): 0x0F100003 > POWER8's 0x0F000004.
    let c = case("power7+", "power8", "pseries-8.0", "9.1").compat("power7+");
    accepted_by(&c.verdict(), Rule::CompatSupported);
    // From 9.2 the destination cannot even start with that compat mode.
    let v = case("power7+", "power8", "pseries-8.0", "9.2")
        .compat("power7+")
        .verdict();
    rejected_by(&v, Rule::DestinationRefusesToStart);
    assert!(
        v.reason
            .starts_with("Compatibility PVR 0x0f100003 not valid for CPU"),
        "{}",
        v.reason
    );
}

#[test]
fn a_destination_that_cannot_run_the_compat_mode_refuses_to_start() {
    let v = case("power9", "power8", "pseries-8.0", "9.2")
        .compat("power9")
        .verdict();
    rejected_by(&v, Rule::DestinationRefusesToStart);
    assert!(
        v.reason
            .starts_with("Compatibility PVR 0x0f000005 not valid for CPU"),
        "{}",
        v.reason
    );
    // Whatever the policy: the destination QEMU never starts.
    for p in PolicyKind::ALL {
        rejected_by(
            &case("power9", "power8", "pseries-8.0", "9.2")
                .compat("power9")
                .with(p),
            Rule::DestinationRefusesToStart,
        );
    }
}

#[test]
fn a_source_that_cannot_run_the_compat_mode_is_an_input_error_with_qemus_message() {
    let e = case("power7", "power8", "pseries-8.0", "9.2")
        .compat("power8")
        .try_verdict(None)
        .unwrap_err();
    assert!(
        matches!(e, VerdictError::SourceRefusesToStart { .. }),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("Compatibility PVR 0x0f000004 not valid for CPU"),
        "{e}"
    );
}

#[test]
fn power11_compat_mode_is_refused_by_a_power10_destination_power10_mode_is_not() {
    rejected_by(
        &case("power11", "power10", "pseries-9.2", "9.2")
            .compat("power11")
            .verdict(),
        Rule::DestinationRefusesToStart,
    );
    accepted_by(
        &case("power11", "power10", "pseries-9.2", "9.2")
            .compat("power10")
            .verdict(),
        Rule::CompatSupported,
    );
    rejected_by(
        &case("power11", "power10", "pseries-9.2", "9.2").verdict(),
        Rule::RawPvrMismatch,
    );
}

#[test]
fn post_load_pvr_is_the_sources_under_tcg_and_the_hosts_under_kvm_hv() {
    let c = case("power9", "power8", "pseries-2.10", "7.2").compat("power8");
    assert_eq!(c.verdict().post_load_pvr, Some(0x004E_1200));
    assert_eq!(c.kvm().verdict().post_load_pvr, Some(0x004D_0200));
}

#[test]
fn machine_and_profile_mismatches_are_input_errors() {
    // pseries-2.x were removed in 9.2; max-cpu-compat arrived in 2.10.
    assert!(case("power8", "power8", "pseries-2.10", "9.2")
        .try_verdict(None)
        .is_err());
    assert!(case("power8", "power8", "pseries-2.7", "2.7")
        .compat("power8")
        .try_verdict(None)
        .is_err());
    assert!(matches!(
        case("power11", "power10", "pseries-8.0", "9.1").try_verdict(None),
        Err(VerdictError::ModelNotInQemu { .. })
    ));
}

// ---- the spapr capability cap-htm (QEMU 2.12+) -------------------------------------
// Facts: hw/ppc/spapr_caps.c `cap_htm_apply`, `default_caps_with_cpu`,
// `spapr_caps_post_migration`; hw/ppc/spapr.c `spapr_machine_2_11_class_options`
// (see CapHtmSide's doc for the sources); QEMU 7.2's own output in
// tests/qemu_system_oracle.rs.

const TCG_HTM: &str = "No Transactional Memory support in TCG";
const KVM_HTM: &str = "KVM implementation does not support Transactional Memory";

#[test]
fn cap_htm_on_under_tcg_is_refused_with_qemus_message() {
    // Explicit cap-htm=on: the source QEMU does not start (exit 3), whatever
    // the machine type; the wording follows the release (4.2 and 5.2 changed it).
    for (q, machine, text) in [
        (
            "2.12",
            "pseries-2.12",
            format!("{TCG_HTM}, try cap-htm=off"),
        ),
        (
            "4.2",
            "pseries-4.2",
            format!("{TCG_HTM}, try appending -machine cap-htm=off"),
        ),
        (
            "7.2",
            "pseries-7.2",
            format!("{TCG_HTM} / Try appending -machine cap-htm=off"),
        ),
    ] {
        let e = case("power9", "power9", machine, q)
            .cap(CapHtmArg::On)
            .try_verdict(None)
            .unwrap_err();
        assert!(
            matches!(&e, VerdictError::SourceRefusesCapHtm { qemu_msg, .. } if *qemu_msg == text),
            "{q}: {e}"
        );
    }
}

#[test]
fn cap_htm_defaults_to_on_up_to_pseries_2_11_and_off_from_2_12() {
    // spapr_machine_2_11_class_options sets SPAPR_CAP_HTM on; the base class off.
    let s = case("power9", "power9", "pseries-2.11", "7.2")
        .kvm()
        .setup()
        .unwrap();
    assert_eq!(
        (s.src_htm.value, s.src_htm.origin),
        (Some(true), CapHtmOrigin::MachineDefault)
    );
    let s = case("power9", "power9", "pseries-2.12", "7.2")
        .kvm()
        .setup()
        .unwrap();
    assert_eq!(
        (s.src_htm.value, s.src_htm.origin),
        (Some(false), CapHtmOrigin::MachineDefault)
    );
}

#[test]
fn an_implicit_cap_htm_on_under_tcg_is_assumed_off_unless_qemus_exact_default_is_asked_for() {
    // QEMU 7.2 without cap-htm=off refuses pseries-2.11 on POWER8 under TCG
    // (oracle); the tool assumes the hint was followed on both sides.
    let c = case("power8", "power8", "pseries-2.11", "7.2");
    let s = c.setup().unwrap();
    assert_eq!(
        (s.src_htm.value, s.src_htm.origin),
        (Some(false), CapHtmOrigin::AssumedOff)
    );
    accepted_by(&c.verdict(), Rule::RawPvrEqual);
    let e = c.cap(CapHtmArg::Default).try_verdict(None).unwrap_err();
    assert!(e.to_string().contains(TCG_HTM), "{e}");
}

#[test]
fn cap_htm_default_is_forced_off_when_the_cpu_cannot_run_isa_2_07_under_max_cpu_compat() {
    // default_caps_with_cpu: !ppc_type_check_compat(cpu, 2.07, 0, max_compat).
    for c in [
        case("power7", "power7", "pseries-2.11", "7.2"),
        case("power8", "power8", "pseries-2.11", "7.2").compat("power7"),
    ] {
        let s = c.cap(CapHtmArg::Default).setup().unwrap();
        assert_eq!(
            (s.src_htm.value, s.src_htm.origin),
            (Some(false), CapHtmOrigin::ForcedOff),
            "{}",
            s.src.name
        );
    }
    let s = case("power8", "power8", "pseries-2.11", "7.2")
        .compat("power8")
        .kvm()
        .setup()
        .unwrap();
    assert_eq!(s.src_htm.value, Some(true));
    // An explicit value is never forced.
    let s = case("power7", "power7", "pseries-2.11", "7.2")
        .cap(CapHtmArg::Off)
        .setup()
        .unwrap();
    assert_eq!(s.src_htm.origin, CapHtmOrigin::Explicit);
}

#[test]
fn a_destination_whose_cap_htm_default_is_on_refuses_to_start_under_tcg() {
    // POWER7 source: default forced off, it starts; POWER8 destination: default
    // on, cap_htm_apply fails. (QEMU 7.2 does exactly this: oracle case.)
    let v = case("power7", "power8", "pseries-2.11", "7.2")
        .cap(CapHtmArg::Default)
        .verdict();
    rejected_by(&v, Rule::DestinationRefusesToStart);
    assert!(v.reason.starts_with(TCG_HTM), "{}", v.reason);
}

#[test]
fn a_kvm_hv_destination_without_tm_refuses_to_start_when_its_cap_htm_is_on() {
    // KVM_CAP_PPC_HTM is false on a POWER10 host: pseries-2.11's default (on)
    // and an explicit on both make the destination refuse to start.
    for c in [
        case("power9", "power10", "pseries-2.11", "7.2").kvm(),
        case("power9", "power10", "pseries-2.12", "7.2")
            .kvm()
            .cap(CapHtmArg::On),
        case("power8", "power7", "pseries-2.12", "7.2")
            .kvm()
            .cap(CapHtmArg::On),
    ] {
        let v = c.verdict();
        rejected_by(&v, Rule::DestinationRefusesToStart);
        assert!(v.reason.starts_with(KVM_HTM), "{}", v.reason);
    }
    // pseries-2.12 defaults to off: the CPU rules decide (compat power9 accepted).
    accepted_by(
        &case("power9", "power10", "pseries-2.12", "7.2")
            .kvm()
            .compat("power9")
            .verdict(),
        Rule::CompatSupported,
    );
    // A POWER7 destination's default is forced off: it starts.
    accepted_by(
        &case("power8", "power7", "pseries-2.11", "7.2")
            .kvm()
            .compat("power7")
            .verdict(),
        Rule::CompatSupported,
    );
}

#[test]
fn a_kvm_hv_source_without_tm_cannot_start_with_cap_htm_on() {
    let e = case("power10", "power9", "pseries-2.11", "7.2")
        .kvm()
        .try_verdict(None)
        .unwrap_err();
    assert!(
        matches!(&e, VerdictError::SourceRefusesCapHtm { qemu_msg, .. } if qemu_msg.starts_with(KVM_HTM)),
        "{e}"
    );
    // With TM on the host (POWER8/POWER9) the source starts.
    assert!(case("power8", "power8", "pseries-2.11", "7.2")
        .kvm()
        .try_verdict(None)
        .is_ok());
}

#[test]
fn cap_htm_does_not_exist_before_qemu_2_12() {
    // No capability: TM offered iff KVM on a TM host; nothing refuses.
    let s = case("power9", "power10", "pseries-2.9", "2.9")
        .kvm()
        .setup()
        .unwrap();
    assert_eq!(s.src_htm.value, None);
    assert!(s.src_htm.tm_allowed && !s.dst_htm.tm_allowed);
    accepted_by(
        &case("power9", "power10", "pseries-2.9", "2.9")
            .kvm()
            .verdict(),
        Rule::PvrIgnored,
    );
    let s = case("power9", "power9", "pseries-2.9", "2.9")
        .setup()
        .unwrap();
    assert!(!s.src_htm.tm_allowed, "TCG never offered TM");
    assert!(matches!(
        case("power9", "power9", "pseries-2.9", "2.9")
            .cap(CapHtmArg::Off)
            .try_verdict(None),
        Err(VerdictError::CapHtmNotInQemu { .. })
    ));
}

// ---- the verdict table (insta) -------------------------------------------------

/// One character per cell: upper case rejects, lower case / '=' accepts.
fn code(r: &Result<Verdict, VerdictError>) -> char {
    match r {
        Err(VerdictError::ModelNotInQemu { .. }) => '-',
        Err(_) => 'E',
        Ok(v) => match v.rule {
            Rule::PvrAndSanityEqual | Rule::RawPvrEqual => '=',
            Rule::RawPvrMatch => 'm',
            Rule::CompatSupported => 'c',
            Rule::SanityEqualPvrIgnored => 'f',
            Rule::PvrIgnored => 'i',
            Rule::PvrNotEqual | Rule::RawPvrMismatch => 'X',
            Rule::SanityFieldDiffers => 'S',
            Rule::CompatNotValid => 'C',
            Rule::DestinationRefusesToStart => 'D',
            Rule::UnknownSubsection => 'U',
        },
    }
}

const SHORT: [&str; 9] = [
    "P7", "P7+", "P8E", "P8", "P8NVL", "P9.0", "P9.2", "P10", "P11",
];

#[test]
fn verdict_table_snapshot() {
    assert_eq!(
        MODELS.len(),
        SHORT.len(),
        "update SHORT with the model table"
    );
    let machines = [
        "pseries-2.7",
        "pseries-2.9",
        "pseries-2.10",
        "pseries-3.0",
        "pseries-8.0",
        "pseries-11.1",
    ];
    let profiles = ["2.7", "2.9", "7.1", "7.2", "8.1", "9.1", "9.2", "11.1"];
    let compats = [None, Some("power8"), Some("power9")];
    let mut out = String::from(
        "Verdict grids: rows = source, columns = destination (same QEMU both sides, TCG).\n\
         Accept: '=' same PVR, 'm' pvr_match, 'c' compat supported, 'f' flags equal (PVR ignored),\n\
         'i' ignored. Reject: 'X' PVR mismatch, 'S' sanity field differs, 'C' compat invalid,\n\
         'D' destination refuses to start, 'U' unknown subsection. 'E' input error (source\n\
         would not start), '-' model not in that QEMU. (*) = the policy QEMU applies.\n",
    );
    for m in machines {
        for q in profiles {
            let mt = ppcreplay::machine::pseries::find_machine(m).unwrap();
            let qv = QemuVersion::parse(q).unwrap();
            if ppcreplay::machine::pseries::profile_for(&mt, Some(qv)).is_err() {
                continue;
            }
            for c in compats {
                if c.is_some() && qv < v(2, 10) {
                    continue; // max-cpu-compat does not exist: input error, tested above
                }
                for p in PolicyKind::ALL {
                    out.push_str(&format!(
                        "\n## {m} QEMU {q} compat {} policy {}{}\n{:<6}",
                        c.unwrap_or("none"),
                        p,
                        if default_policy(qv) == p { " (*)" } else { "" },
                        ""
                    ));
                    for d in SHORT {
                        out.push_str(&format!("{d:>6}"));
                    }
                    out.push('\n');
                    for (si, s) in MODELS.iter().enumerate() {
                        out.push_str(&format!("{:<6}", SHORT[si]));
                        for d in MODELS {
                            let mut k = case(s.name, d.name, m, q);
                            k.compat = c;
                            out.push_str(&format!("{:>6}", code(&k.try_verdict(Some(p)))));
                        }
                        out.push('\n');
                    }
                }
            }
        }
    }
    // KVM-HV (the destination model is the host): the cap-htm rule. Only the
    // policy QEMU applies; the machine types around the 2.11/2.12 default
    // change, the first profile with caps and one without.
    out.push_str(
        "\nKVM-HV grids (the destination is the host; the policy QEMU applies only): \
         cap-htm=on (pseries-2.11 and older by default, from QEMU 2.12) makes a source \
         without TM (POWER10/11) an input error 'E' and a destination without TM refuse \
         to start 'D'; POWER7 has its default forced off.\n",
    );
    for (m, q) in [
        ("pseries-2.10", "2.11"),
        ("pseries-2.10", "2.12"),
        ("pseries-2.11", "7.2"),
        ("pseries-2.12", "7.2"),
    ] {
        let qv = QemuVersion::parse(q).unwrap();
        for c in compats {
            let p = default_policy(qv);
            out.push_str(&format!(
                "\n## KVM-HV {m} QEMU {q} compat {} policy {p} (*)\n{:<6}",
                c.unwrap_or("none"),
                ""
            ));
            for d in SHORT {
                out.push_str(&format!("{d:>6}"));
            }
            out.push('\n');
            for (si, s) in MODELS.iter().enumerate() {
                out.push_str(&format!("{:<6}", SHORT[si]));
                for d in MODELS {
                    let mut k = case(s.name, d.name, m, q).kvm();
                    k.compat = c;
                    out.push_str(&format!("{:>6}", code(&k.try_verdict(Some(p)))));
                }
                out.push('\n');
            }
        }
    }
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("migrate_verdict_table", out);
    });
}

// ---- command line ----------------------------------------------------------------

fn ppcreplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ppcreplay"))
        .args(args)
        .output()
        .expect("running ppcreplay")
}

fn migrate(extra: &[&str]) -> Output {
    let mut a = vec!["migrate"];
    a.extend_from_slice(extra);
    ppcreplay(&a)
}

#[test]
fn cli_accepted_pair_exits_0_with_a_readable_verdict() {
    let o = migrate(&[
        "--src",
        "POWER9",
        "--dst",
        "POWER8",
        "--machine",
        "pseries-2.10",
        "--max-cpu-compat",
        "power8",
        "--qemu",
        "7.2",
        "--verdict-only",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("verdict:  ACCEPT"), "{out}");
    assert!(out.contains("pvr-match-or-compat"), "{out}");
    assert!(out.contains("compat-supported"), "{out}");
    assert!(out.contains("QEMU 7.2"), "{out}");
}

#[test]
fn cli_rejected_pair_exits_1() {
    let o = migrate(&[
        "--src",
        "power8",
        "--dst",
        "power9",
        "--machine",
        "pseries-2.10",
        "--verdict-only",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("verdict:  REJECT"), "{out}");
    assert!(out.contains("raw-pvr-mismatch"), "{out}");
}

#[test]
fn cli_source_qemu_would_not_start_exits_3_with_qemus_message() {
    let o = migrate(&[
        "--src",
        "power7",
        "--dst",
        "power8",
        "--machine",
        "pseries-8.0",
        "--max-cpu-compat",
        "power8",
        "--verdict-only",
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{e}");
    assert!(
        e.contains("Compatibility PVR 0x0f000004 not valid for CPU"),
        "{e}"
    );
}

#[test]
fn cli_input_errors_exit_3() {
    for args in [
        &[
            "--src",
            "power12",
            "--dst",
            "power8",
            "--machine",
            "pseries-8.0",
        ][..],
        &[
            "--src",
            "power8",
            "--dst",
            "power8",
            "--machine",
            "pseries-1.0",
        ],
        &[
            "--src",
            "power8",
            "--dst",
            "power8",
            "--machine",
            "pseries-8.0",
            "--policy",
            "nope",
        ],
        &[
            "--src",
            "power8",
            "--dst",
            "power8",
            "--machine",
            "pseries-2.10",
            "--qemu",
            "9.2",
        ],
    ] {
        let mut a = args.to_vec();
        a.push("--verdict-only");
        let o = migrate(&a);
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {e}");
        assert!(e.contains("error:") && !e.contains("panicked"), "{e}");
    }
}

#[test]
fn cli_without_verdict_only_and_without_a_guest_asks_for_one_or_for_verdict_only() {
    let o = migrate(&[
        "--src",
        "power8",
        "--dst",
        "power8",
        "--machine",
        "pseries-8.0",
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{e}");
    assert!(
        e.contains("a guest (ELF or trace) is needed") && e.contains("--verdict-only"),
        "{e}"
    );
}

#[test]
fn cli_json_is_one_object_with_the_verdict_and_every_policy_with_all() {
    let o = migrate(&[
        "--src",
        "power9",
        "--dst",
        "power8",
        "--machine",
        "pseries-2.9",
        "--qemu",
        "7.2",
        "--policy",
        "all",
        "--verdict-only",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert_eq!(j["accepted"], false);
    assert_eq!(j["policy"], "pvr-match-or-compat");
    assert_eq!(j["default_policy"], "pvr-match-or-compat");
    assert_eq!(j["rule"], "raw-pvr-mismatch");
    assert_eq!(j["compat"], "raw");
    assert!(j["post_load_pvr"].is_null());
    assert_eq!(
        j["src"]["model"], "power9_v2.0",
        "power9 meant DD2.0 in 7.2"
    );
    assert_eq!(j["dst"]["pvr"], "0x004d0200");
    assert_eq!(j["machine"], "pseries-2.9");
    assert_eq!(j["outcome"], "not run");
    let all = j["verdicts"].as_array().unwrap();
    assert_eq!(all.len(), 4);
    let ig = all.iter().find(|x| x["policy"] == "ignore-pvr").unwrap();
    assert_eq!(ig["accepted"], true);
    assert_eq!(ig["post_load_pvr"], "0x004d0200");
    for x in all {
        for k in [
            "accepted",
            "policy",
            "rule",
            "reason",
            "post_load_pvr",
            "compat",
        ] {
            assert!(x.get(k).is_some(), "{k} missing in {x}");
        }
    }
}

#[test]
fn cli_kvm_hv_reports_the_hosts_pvr_after_load() {
    let o = migrate(&[
        "--src",
        "power9",
        "--dst",
        "power10",
        "--machine",
        "pseries-8.0",
        "--max-cpu-compat",
        "power9",
        "--accel",
        "kvm-hv",
        "--verdict-only",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["accel"], "kvm-hv");
    assert_eq!(j["post_load_pvr"], "0x00801200");
}
