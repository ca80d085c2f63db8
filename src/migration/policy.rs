//! QEMU's CPU-migration acceptance policies: does a destination QEMU accept the
//! `cpu` section of a pseries guest, and what PVR does the guest see afterwards?
//!
//! Four policies, one per era of QEMU's `target/ppc/machine.c` (facts =
//! `../shared/reference/qemu-migration-facts.md`):
//!
//! | policy | era (destination QEMU) | rule |
//! |---|---|---|
//! | [`ExactPvr`] | 1.6 – 2.0 | PVR and the sanity fields must be equal (§1.1) |
//! | [`InsnFlags`] | ≈2.1 – 2.7 | PVR ignored; sanity fields (instruction-flag masks) must be equal (§1.2, §1.3) |
//! | [`IgnorePvr`] | 2.8 – 2.9 | nothing compared: accept and hope (§1.3 fix, §1.2) |
//! | [`PvrMatchOrCompat`] | 2.10 + | compat mode supported by the destination, else `pvr_match` (§1.4, §3.3, §4.3) |
//!
//! [`default_policy`] picks the one the destination's QEMU version implies (§9).
//! Note (facts §1.4 "IMPORTANT"): a ≥ 2.10 destination runs the compat/`pvr_match`
//! check for *every* machine type — `pre-2.10-migration` (pseries-2.9 and older)
//! only stops the source from sending `cpu/compat`, so the destination uses its own
//! `max-cpu-compat`. "Ignore PVR" is therefore the behaviour of 2.8/2.9
//! destinations, not of pre-2.10 machine types on a newer QEMU.
//!
//! [`decide`] evaluates a policy for a [`Setup`] the way `--verdict-only` defines
//! it: a freshly started, paused QEMU pair with the same machine options on both
//! sides; the compat mode is `max-cpu-compat` set at machine reset (no CAS ran).
//!
//! The spapr capability `cap-htm` (QEMU 2.12+, [`CapHtmSide`]) is part of the
//! machine options: a side whose cap-htm is on but whose accelerator cannot
//! provide transactional memory (TCG; KVM-HV on a host without TM) does not
//! start — an input error for the source, a reject for the destination. It
//! also decides whether the guest kernel gets TM at all, which the harness
//! carries with the guest ([`crate::migration::harness::CpuConfig::kernel_tm`]).

use crate::cpu::compat::{
    compat_by_pvr, find_compat, runs_2_07, set_compat, ActiveCompat, CompatError, CompatMode,
    QemuVersion,
};
use crate::cpu::models::{CpuModel, Family};
use crate::cpu::{find_model, MODELS};
use crate::isa::IsaLevel;
use crate::machine::pseries::{find_machine, profile_for, MachineError, MachineType};
use serde::Serialize;
use std::fmt;

const fn v(a: u16, b: u16) -> QemuVersion {
    QemuVersion::new(a, b)
}

/// QEMU's generic failure line when a section's load fails (migration/savevm.c
/// `qemu_loadvm_section_start_full`); the ppc CPU section is named `cpu`.
pub const LOAD_FAILED: &str = "error while loading state for instance 0x0 of device 'cpu'";

// ---------------------------------------------------------------------------
// Models as a given QEMU release knows them
// ---------------------------------------------------------------------------

/// The PVR of `model` in QEMU `q`. QEMU 8.1 (7f65ebb0e79b) put the SMT4 chip-type
/// nibble into the POWER10 PVRs: power10_v2.0 was 0x00800200 up to 8.0 and is
/// 0x00801200 since (facts §3.1, §1.6). The other modelled PVRs never changed.
pub fn model_pvr(model: &CpuModel, q: QemuVersion) -> u32 {
    if model.family == Family::Power10 && q < v(8, 1) {
        model.pvr & !0xF000
    } else {
        model.pvr
    }
}

/// The first QEMU release that has `model`, where the facts know it:
/// power9_v2.2 arrived in 8.1 (277ee17212f0), power11_v2.0 in 9.2 (c0d964076c3e).
/// When the other models arrived (POWER8NVL, POWER9 DD2.0, POWER10) is
/// UNVERIFIED in the facts (§3.1, §3.3), so they are treated as present in every
/// modelled release; verdicts for them under old profiles are what the rules
/// would say, not a claim that the model existed.
pub fn model_since(model: &CpuModel) -> Option<QemuVersion> {
    match model.name {
        "power9_v2.2" => Some(v(8, 1)),
        "power11_v2.0" => Some(v(9, 2)),
        _ => None,
    }
}

/// Whether QEMU `q` has `model`.
pub fn model_available(model: &CpuModel, q: QemuVersion) -> bool {
    model_since(model).is_none_or(|s| q >= s)
}

/// Resolves a `-cpu` name as QEMU `q` would: the alias `power9` meant
/// power9_v2.0 until 8.1 made it power9_v2.2 (facts §3.1); a model the release
/// lacks is QEMU's "unable to find CPU model" error.
pub fn resolve_model(name: &str, q: QemuVersion) -> Result<&'static CpuModel, VerdictError> {
    let m = find_model(name).map_err(|e| VerdictError::Model(e.to_string()))?;
    let m = if m.name == "power9_v2.2" && name.trim().eq_ignore_ascii_case("power9") && q < v(8, 1)
    {
        MODELS.iter().find(|x| x.name == "power9_v2.0").unwrap_or(m)
    } else {
        m
    };
    if !model_available(m, q) {
        return Err(VerdictError::ModelNotInQemu {
            name: name.to_string(),
            qemu: q,
        });
    }
    Ok(m)
}

// ---------------------------------------------------------------------------
// The pre-2.8 sanity fields (symbolic)
// ---------------------------------------------------------------------------

/// Symbolic instruction-class flags. The NAMES are QEMU's `PPC_*` / `PPC2_*`
/// flags listed in the facts (§1.3, the masks QEMU 2.8 applies for pre-2.8
/// machine types); the bit POSITIONS here are ours — QEMU's numeric values are
/// UNVERIFIED in the facts and are not needed: only equality is ever tested.
pub mod flags {
    macro_rules! bits {
        ($($name:ident = $bit:expr),* $(,)?) => { $(#[allow(missing_docs)] pub const $name: u64 = 1 << $bit;)* };
    }
    // insns_flags (first word).
    bits!(
        INSNS_BASE = 0,
        ISEL = 1,
        STRING = 2,
        MFTB = 3,
        FLOAT = 4,
        FLOAT_FSEL = 5,
        FLOAT_FRES = 6,
        FLOAT_FSQRT = 7,
        FLOAT_FRSQRTE = 8,
        FLOAT_FRSQRTES = 9,
        FLOAT_STFIWX = 10,
        FLOAT_EXT = 11,
        CACHE = 12,
        CACHE_ICBI = 13,
        CACHE_DCBZ = 14,
        MEM_SYNC = 15,
        MEM_EIEIO = 16,
        MEM_TLBIE = 17,
        MEM_TLBSYNC = 18,
        B64 = 19,
        B64X = 20,
        ALTIVEC = 21,
        SEGMENT_64B = 22,
        SLBI = 23,
        POPCNTB = 24,
        POPCNTWD = 25
    );
    /// The `insns_flags` bits QEMU ≥ 2.8 keeps for pre-2.8 machine types (facts §1.3).
    pub const MIG_MASK: u64 = (1 << 26) - 1;
    // insns_flags2.
    bits!(
        VSX = 0,
        VSX207 = 1,
        DFP = 2,
        DBRX = 3,
        PERM_ISA206 = 4,
        DIVE_ISA206 = 5,
        ATOMIC_ISA206 = 6,
        FP_CVT_ISA206 = 7,
        FP_TST_ISA206 = 8,
        BCTAR_ISA207 = 9,
        LSQ_ISA207 = 10,
        ALTIVEC_207 = 11,
        ISA205 = 12,
        ISA207S = 13,
        FP_CVT_S64 = 14,
        TM = 15
    );
    /// The `insns_flags2` bits QEMU ≥ 2.8 keeps for pre-2.8 machine types (facts §1.3;
    /// PPC2_MEM_LWSYNC, added to the mask by 9.1, is not modelled).
    pub const MIG_MASK2: u64 = (1 << 16) - 1;
    bits!(ISA300 = 32, ISA310 = 33);
    /// Stands for the server-CPU bits QEMU 2.7 added outside the 2.6 set — the
    /// change that broke 2.6 ↔ 2.7 migration (facts §1.3). WHICH bits they were is
    /// UNVERIFIED; what matters (and is verified) is that they are outside the
    /// 2.8 mask, so masking restores the 2.6 value.
    pub const ADDED_IN_2_7: u64 = 1 << 40;
    /// Symbolic `msr_mask` parts: every server CPU's base bits, and the TM bits
    /// (MSR[TM], MSR[TS]) that the TM-capable classes (POWER8 and newer in QEMU,
    /// which keeps TM on its POWER10 model) add.
    pub const MSR_BASE: u64 = 1;
    #[allow(missing_docs)]
    pub const MSR_TM: u64 = 2;
}

/// The four `VMSTATE_*_EQUAL` sanity fields of the pre-2.8 `cpu` section plus
/// `slb_nr` (facts §1.1, §1.3, §7 field 10). Symbolic: see [`flags`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SanityFields {
    /// `msr_mask`.
    pub msr_mask: u64,
    /// `insns_flags`.
    pub insns_flags: u64,
    /// `insns_flags2`.
    pub insns_flags2: u64,
    /// `nb_BATs` (0 on every 64-bit server CPU).
    pub nb_bats: u32,
    /// `slb_nr` (32 on POWER7 … POWER11).
    pub slb_nr: u32,
}

/// The live sanity fields of `family` in QEMU `q` (symbolic).
///
/// Membership of the mask flags per family follows QEMU's class init functions
/// (POWER7: ISA 2.06 flags; POWER8 adds the 2.07 ones and TM; POWER9 adds ISA300
/// and lacks PPC_MEM_TLBIE — stated in facts §1.3 (bce009645b9f) —; POWER10/11
/// add ISA310). Exact membership beyond that is UNVERIFIED but only equality
/// inside and across families matters, and families differ in any reading.
pub fn live_sanity(family: Family, q: QemuVersion) -> SanityFields {
    use flags::*;
    let mut insns = MIG_MASK;
    let p7 = VSX
        | DFP
        | DBRX
        | PERM_ISA206
        | DIVE_ISA206
        | ATOMIC_ISA206
        | FP_CVT_ISA206
        | FP_TST_ISA206
        | ISA205
        | FP_CVT_S64;
    let p8 = p7 | VSX207 | BCTAR_ISA207 | LSQ_ISA207 | ALTIVEC_207 | ISA207S | TM;
    let mut insns2 = match family {
        Family::Power7 => p7,
        Family::Power8 => p8,
        Family::Power9 => p8 | ISA300,
        Family::Power10 | Family::Power11 => p8 | ISA300 | ISA310,
    };
    if family >= Family::Power9 {
        insns &= !MEM_TLBIE;
    }
    if q >= v(2, 7) {
        insns2 |= ADDED_IN_2_7;
    }
    SanityFields {
        msr_mask: if family == Family::Power7 {
            MSR_BASE
        } else {
            MSR_BASE | MSR_TM
        },
        insns_flags: insns,
        insns_flags2: insns2,
        nb_bats: 0,
        slb_nr: 32,
    }
}

/// What a source of QEMU `src_q` writes into the pre-2.8 fields: before 2.8 the
/// live values; from 2.8 (16a2497bd44c) the live values masked to the 2.6 bits,
/// with PPC_MEM_TLBIE forced on from 3.0 (bce009645b9f, 2018-05-03 — the first
/// release after it is 3.0; derived).
pub fn sent_sanity(family: Family, src_q: QemuVersion) -> SanityFields {
    let live = live_sanity(family, src_q);
    if src_q < v(2, 8) {
        return live;
    }
    let mut insns = live.insns_flags & flags::MIG_MASK;
    if src_q >= v(3, 0) {
        insns |= flags::MEM_TLBIE;
    }
    SanityFields {
        insns_flags: insns,
        insns_flags2: live.insns_flags2 & flags::MIG_MASK2,
        ..live
    }
}

/// The first sanity field that differs, by QEMU's field name.
fn sanity_diff(a: &SanityFields, b: &SanityFields) -> Option<&'static str> {
    if a.msr_mask != b.msr_mask {
        Some("msr_mask")
    } else if a.insns_flags != b.insns_flags {
        Some("insns_flags")
    } else if a.insns_flags2 != b.insns_flags2 {
        Some("insns_flags2")
    } else if a.nb_bats != b.nb_bats {
        Some("nb_BATs")
    } else if a.slb_nr != b.slb_nr {
        Some("slb_nr")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// The stream as the destination sees it
// ---------------------------------------------------------------------------

/// A `cpu` subsection: name and the first QEMU release that knows it (facts §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subsection {
    /// vmstate name.
    pub name: &'static str,
    /// First release whose destination can parse it.
    pub since: QemuVersion,
}

/// The CPU-relevant content of a migration stream (what `cpu_post_load` and the
/// vmstate loader look at).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpuStream {
    /// PVR in the `spr` array (the source's).
    pub pvr: u32,
    /// The pre-2.8 trailing fields, when present.
    pub sanity: Option<SanityFields>,
    /// Subsections, in stream order.
    pub subsections: Vec<Subsection>,
    /// Value of `cpu/compat`, when sent.
    pub compat: Option<u32>,
}

/// Builds what a source sends for a freshly reset, paused guest (facts §1.3,
/// §1.4, §1.6, §2, §7): fixed fields; sanity fields before 2.8 always, from 2.8
/// only for pre-2.8 machine types; `cpu/fpu`, `cpu/altivec`, `cpu/vsx`, `cpu/slb`
/// (every modelled server CPU); `cpu/bhrb` from 9.1 on POWER10/11; `cpu/compat`
/// when the source knows it (2.10+), the machine type is not pre-2.10 and the
/// compat PVR is non-zero. `cpu/tm` is absent (MSR[TS] = 0 at reset).
pub fn source_stream(s: &Setup) -> CpuStream {
    source_stream_with(s, s.max_compat.map_or(0, |m| m.pvr))
}

/// What a source whose CPU runs in compat mode `compat_pvr` (0 = raw) sends:
/// as [`source_stream`], with the compat mode a running guest negotiated (CAS)
/// instead of the reset value.
pub fn source_stream_with(s: &Setup, compat_pvr: u32) -> CpuStream {
    let src_q = s.src_qemu;
    let family = s.src.family;
    let sanity =
        (src_q < v(2, 8) || s.machine.pre_2_8_migration).then(|| sent_sanity(family, src_q));
    let mut subsections = vec![
        Subsection {
            name: "cpu/fpu",
            since: QemuVersion::OLDEST,
        },
        Subsection {
            name: "cpu/altivec",
            since: QemuVersion::OLDEST,
        },
        Subsection {
            name: "cpu/vsx",
            since: QemuVersion::OLDEST,
        },
        Subsection {
            name: "cpu/slb",
            since: QemuVersion::OLDEST,
        },
    ];
    if src_q >= v(9, 1) && family >= Family::Power10 {
        subsections.push(Subsection {
            name: "cpu/bhrb",
            since: v(9, 1),
        });
    }
    let c = compat_pvr;
    let compat = (src_q >= v(2, 10) && !s.machine.pre_2_10_migration && c != 0).then_some(c);
    if compat.is_some() {
        subsections.push(Subsection {
            name: "cpu/compat",
            since: v(2, 10),
        });
    }
    CpuStream {
        pvr: model_pvr(s.src, src_q),
        sanity,
        subsections,
        compat,
    }
}

// ---------------------------------------------------------------------------
// Policies
// ---------------------------------------------------------------------------

/// Which policy to evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyKind {
    /// [`ExactPvr`].
    ExactPvr,
    /// [`InsnFlags`].
    InsnFlags,
    /// [`IgnorePvr`].
    IgnorePvr,
    /// [`PvrMatchOrCompat`].
    PvrMatchOrCompat,
}

impl PolicyKind {
    /// Every policy, oldest era first.
    pub const ALL: [PolicyKind; 4] = [
        PolicyKind::ExactPvr,
        PolicyKind::InsnFlags,
        PolicyKind::IgnorePvr,
        PolicyKind::PvrMatchOrCompat,
    ];
    /// CLI name.
    pub const fn name(self) -> &'static str {
        match self {
            PolicyKind::ExactPvr => "exact-pvr",
            PolicyKind::InsnFlags => "insn-flags",
            PolicyKind::IgnorePvr => "ignore-pvr",
            PolicyKind::PvrMatchOrCompat => "pvr-match-or-compat",
        }
    }
    /// Parses a CLI name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s.trim()))
    }
    /// The era, for messages.
    pub const fn era(self) -> &'static str {
        match self {
            PolicyKind::ExactPvr => "QEMU 1.6–2.0",
            PolicyKind::InsnFlags => "QEMU ≈2.1–2.7",
            PolicyKind::IgnorePvr => "QEMU 2.8–2.9",
            PolicyKind::PvrMatchOrCompat => "QEMU 2.10+",
        }
    }
    fn decide_loaded(self, s: &Setup, st: &CpuStream) -> Verdict {
        match self {
            PolicyKind::ExactPvr => ExactPvr.decide(s, st),
            PolicyKind::InsnFlags => InsnFlags.decide(s, st),
            PolicyKind::IgnorePvr => IgnorePvr.decide(s, st),
            PolicyKind::PvrMatchOrCompat => PvrMatchOrCompat.decide(s, st),
        }
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The rule that decided a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The destination cannot run the configured compat mode: it refuses to start.
    DestinationRefusesToStart,
    /// The stream has a subsection the destination does not know.
    UnknownSubsection,
    /// exact-pvr: the PVRs differ.
    PvrNotEqual,
    /// A pre-2.8 sanity field differs.
    SanityFieldDiffers,
    /// exact-pvr: PVR and sanity fields equal.
    PvrAndSanityEqual,
    /// insn-flags: sanity fields equal, PVR ignored.
    SanityEqualPvrIgnored,
    /// ignore-pvr: nothing compared.
    PvrIgnored,
    /// pvr-match-or-compat: the compat mode is supported by the destination.
    CompatSupported,
    /// pvr-match-or-compat: `ppc_set_compat` fails on the destination.
    CompatNotValid,
    /// Raw mode, the PVR equals the destination class PVR.
    RawPvrEqual,
    /// Raw mode, the destination class's `pvr_match` accepts.
    RawPvrMatch,
    /// Raw mode, `pvr_match` rejects.
    RawPvrMismatch,
}

impl Rule {
    /// Kebab-case id.
    pub fn id(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// The decision of one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Accepted?
    pub accepted: bool,
    /// The policy evaluated.
    pub policy: PolicyKind,
    /// The rule that fired.
    pub rule: Rule,
    /// QEMU's wording where QEMU has one, then the explanation.
    pub reason: String,
    /// The guest-visible PVR after the load (None when rejected).
    pub post_load_pvr: Option<u32>,
    /// The compat mode the destination CPU runs in after the load (pvr 0 = raw).
    pub compat: u32,
}

impl Verdict {
    /// Name of the compat mode ("raw" for none).
    pub fn compat_name(&self) -> &'static str {
        compat_by_pvr(self.compat).map_or("raw", |m| m.name)
    }
}

fn reject(policy: PolicyKind, rule: Rule, reason: String, compat: u32) -> Verdict {
    Verdict {
        accepted: false,
        policy,
        rule,
        reason,
        post_load_pvr: None,
        compat,
    }
}

/// **exact-pvr — QEMU 1.6 to 2.0** (facts §1.1; a90db1584a00 made the `cpu`
/// section vmstate v5 with `VMSTATE_UINTTL_EQUAL(env.spr[SPR_PVR])`).
///
/// Rationale then: migration moves registers, not CPUs, so anything but the very
/// same CPU was refused — bit-for-bit PVR equality, plus `_EQUAL` checks on
/// `msr_mask`, `insns_flags`, `insns_flags2`, `nb_BATs` and `slb_nr`. Safe but
/// over-strict: POWER8 ↔ POWER8E are refused although they run the same code.
/// After the load the PVR is the destination's (which equals the source's).
#[derive(Clone, Copy, Debug)]
pub struct ExactPvr;

impl ExactPvr {
    fn decide(self, s: &Setup, st: &CpuStream) -> Verdict {
        let p = PolicyKind::ExactPvr;
        let dst_pvr = model_pvr(s.dst, s.dst_qemu);
        if st.pvr != dst_pvr {
            return reject(
                p,
                Rule::PvrNotEqual,
                format!(
                    "{LOAD_FAILED} (exact-pvr: VMSTATE_UINTTL_EQUAL(env.spr[SPR_PVR]) fails: \
                     source PVR {:#010x} != destination PVR {dst_pvr:#010x})",
                    st.pvr
                ),
                0,
            );
        }
        let sent = st
            .sanity
            .unwrap_or_else(|| live_sanity(s.src.family, s.src_qemu));
        if let Some(f) = sanity_diff(&sent, &live_sanity(s.dst.family, s.dst_qemu)) {
            return reject(
                p,
                Rule::SanityFieldDiffers,
                format!("{LOAD_FAILED} (exact-pvr: {f} differs; _EQUAL check fails)"),
                0,
            );
        }
        Verdict {
            accepted: true,
            policy: p,
            rule: Rule::PvrAndSanityEqual,
            reason: format!(
                "same PVR {dst_pvr:#010x} and equal msr_mask/insns_flags/insns_flags2/nb_BATs/slb_nr"
            ),
            post_load_pvr: Some(dst_pvr),
            compat: 0,
        }
    }
}

/// **insn-flags — QEMU ≈2.1 to 2.7** (facts §1.2, §1.3).
///
/// The PVR check was dropped (`cpu_post_load` overwrites the PVR with the
/// destination's: "We always ignore the source PVR"), so a model of the same
/// class family with another PVR is accepted; the `_EQUAL` checks on the sanity
/// fields stay, so the instruction-flag masks must be equal. QEMU 2.7 changed
/// those masks for server CPUs ([`flags::ADDED_IN_2_7`]), which broke 2.6 ↔ 2.7
/// migration; QEMU 2.8 (16a2497bd44c, 146c11f16f12) sends masked shadow values for
/// pre-2.8 machine types so a 2.6 destination passes ([`sent_sanity`]). When the
/// stream has no sanity fields (a ≥2.8 source on a ≥2.8 machine type) this policy
/// compares the source's live values — what a 2.1–2.7 destination would have
/// checked. Compat modes were not migrated. After the load the PVR is the
/// destination's.
#[derive(Clone, Copy, Debug)]
pub struct InsnFlags;

impl InsnFlags {
    fn decide(self, s: &Setup, st: &CpuStream) -> Verdict {
        let p = PolicyKind::InsnFlags;
        let sent = st
            .sanity
            .unwrap_or_else(|| live_sanity(s.src.family, s.src_qemu));
        let own = live_sanity(s.dst.family, s.dst_qemu);
        if let Some(f) = sanity_diff(&sent, &own) {
            return reject(
                p,
                Rule::SanityFieldDiffers,
                format!(
                    "{LOAD_FAILED} (insn-flags: {f} of the source ({}, QEMU {}{}) != the \
                     destination's ({}, QEMU {}); _EQUAL check fails)",
                    s.src.name,
                    s.src_qemu,
                    if st.sanity.is_some() && s.src_qemu >= v(2, 8) {
                        ", masked for a pre-2.8 machine type"
                    } else {
                        ""
                    },
                    s.dst.name,
                    s.dst_qemu
                ),
                0,
            );
        }
        let dst_pvr = model_pvr(s.dst, s.dst_qemu);
        Verdict {
            accepted: true,
            policy: p,
            rule: Rule::SanityEqualPvrIgnored,
            reason: format!(
                "instruction-flag masks and sanity fields equal; PVR ignored (source {:#010x} \
                 overwritten by the destination's {dst_pvr:#010x})",
                st.pvr
            ),
            post_load_pvr: Some(dst_pvr),
            compat: 0,
        }
    }
}

/// **ignore-pvr — QEMU 2.8 to 2.9 destinations** (facts §1.2, §1.3).
///
/// From 2.8 the sanity fields are read into shadows and ignored, and the PVR is
/// still overwritten with the destination's own: nothing about the CPU is
/// compared. Accept and hope — management software had to pick compatible CPUs.
/// Unsafe: a guest whose code (or ifunc choice) used POWER9 instructions is
/// moved to a POWER8 without complaint. Compat modes were not migrated.
#[derive(Clone, Copy, Debug)]
pub struct IgnorePvr;

impl IgnorePvr {
    fn decide(self, s: &Setup, st: &CpuStream) -> Verdict {
        let dst_pvr = model_pvr(s.dst, s.dst_qemu);
        Verdict {
            accepted: true,
            policy: PolicyKind::IgnorePvr,
            rule: Rule::PvrIgnored,
            reason: format!(
                "nothing compared: source PVR {:#010x} ignored and overwritten by the \
                 destination's {dst_pvr:#010x} (\"We always ignore the source PVR\")",
                st.pvr
            ),
            post_load_pvr: Some(dst_pvr),
            compat: 0,
        }
    }
}

/// **pvr-match-or-compat — QEMU 2.10 and later** (facts §1.4 d5fc133eed86,
/// §3.3, §4.3, §9 step 4).
///
/// Accept if the guest runs in a compat mode the destination CPU supports, or
/// in raw mode on "the same CPU type". The compat PVR is the received
/// `cpu/compat` value, else the destination's own (from `max-cpu-compat`; the
/// case of pre-2.10 machine types, whose source never sends `cpu/compat`). A
/// non-zero compat PVR goes through `ppc_set_compat` (with the 9.2
/// `spapr_logical_pvr` rule) and the PVR is not checked. Zero (raw mode) needs
/// the received PVR to equal the destination class PVR or the class's
/// `pvr_match` to accept, whose rules changed with the QEMU version — see
/// [`pvr_match`]. After the load the PVR is the source's (TCG, KVM-PR) or the
/// host's (KVM-HV, c363a37a450f: KVM-HV refuses any other PVR).
#[derive(Clone, Copy, Debug)]
pub struct PvrMatchOrCompat;

impl PvrMatchOrCompat {
    fn decide(self, s: &Setup, st: &CpuStream) -> Verdict {
        let p = PolicyKind::PvrMatchOrCompat;
        let q = s.dst_qemu;
        let dst_pvr = model_pvr(s.dst, q);
        let post = match s.accel {
            Accel::Tcg => st.pvr,
            Accel::KvmHv => dst_pvr,
        };
        let (c, whence) = match st.compat {
            Some(c) => (c, "received in cpu/compat".to_string()),
            None => (
                s.max_compat.map_or(0, |m| m.pvr),
                if s.machine.pre_2_10_migration {
                    format!(
                        "{} sends no cpu/compat (pre-2.10-migration); destination's own max-cpu-compat",
                        s.machine.name
                    )
                } else {
                    "no cpu/compat; destination's own max-cpu-compat".to_string()
                },
            ),
        };
        if c != 0 {
            return match set_compat(s.dst, c, q) {
                Ok(_) => Verdict {
                    accepted: true,
                    policy: p,
                    rule: Rule::CompatSupported,
                    reason: format!(
                        "compat mode {} ({c:#010x}, {whence}) is supported by {} under QEMU {q}; \
                         PVR not checked",
                        compat_by_pvr(c).map_or("?", |m| m.name),
                        s.dst.name
                    ),
                    post_load_pvr: Some(post),
                    compat: c,
                },
                Err(e) => reject(
                    p,
                    Rule::CompatNotValid,
                    format!("{} ({whence}); {LOAD_FAILED}", qemu_text(&e)),
                    c,
                ),
            };
        }
        if st.pvr == dst_pvr {
            return Verdict {
                accepted: true,
                policy: p,
                rule: Rule::RawPvrEqual,
                reason: format!(
                    "raw mode: source PVR {:#010x} equals the destination class PVR",
                    st.pvr
                ),
                post_load_pvr: Some(post),
                compat: 0,
            };
        }
        let variant = pvr_match_variant(s.dst.family, q);
        if pvr_match(s.dst.family, dst_pvr, st.pvr, q) {
            Verdict {
                accepted: true,
                policy: p,
                rule: Rule::RawPvrMatch,
                reason: format!(
                    "raw mode: {} pvr_match [{variant}] accepts source PVR {:#010x}",
                    s.dst.family.name(),
                    st.pvr
                ),
                post_load_pvr: Some(post),
                compat: 0,
            }
        } else {
            reject(
                p,
                Rule::RawPvrMismatch,
                format!(
                    "{LOAD_FAILED} (raw mode: {} pvr_match [{variant}] rejects source PVR {:#010x} \
                     for destination class {} {dst_pvr:#010x}; cpu_post_load returns -EINVAL)",
                    s.dst.family.name(),
                    st.pvr,
                    s.dst.name
                ),
                0,
            )
        }
    }
}

/// QEMU's own message for a compat error (without our hint).
fn qemu_text(e: &CompatError) -> String {
    match e {
        CompatError::NotValidForCpu { pvr, .. } => {
            format!("Compatibility PVR 0x{pvr:08x} not valid for CPU")
        }
        other => other.to_string(),
    }
}

/// Which `pvr_match` rule variant QEMU `q` uses for `family` (facts §3.3).
pub fn pvr_match_variant(family: Family, q: QemuVersion) -> &'static str {
    if q < v(7, 2) {
        return "≤7.1: any PVR of the family";
    }
    match family {
        Family::Power7 | Family::Power8 => "≥7.2 best: same base",
        Family::Power9 if q < v(8, 1) => "≥7.2 best: same base and major DD",
        Family::Power9 if q < v(9, 0) => "≥8.1: same base, DD2.0/2.1↔v2.0, DD2.2/2.3↔v2.2, DD1↔DD1",
        Family::Power9 => "≥9.0: same base, DD2.0/2.1↔v2.0, DD2.2/2.3↔v2.2, no DD1",
        Family::Power10 | Family::Power11 => "≥7.2 best: same base and major DD",
    }
}

/// `pvr_match(pcc, pvr, best=true)` as migration calls it (facts §3.3): does the
/// destination class (`family`, class PVR `class_pvr`) accept a received `pvr`
/// in QEMU `q`?
///
/// - equal PVRs always match (the wrapper's exact test);
/// - ≤ 7.1 (no `best`): any PVR of the family — POWER7 takes 0x003F/0x004A,
///   POWER8 0x004B/0x004C/0x004D, POWER9 0x004E, POWER10 0x0080 (when each
///   family's hook arrived is UNVERIFIED; assumed present throughout);
/// - ≥ 7.2 (`best`, Message-Id 20220731013358.170187-1): same base (upper 16
///   bits); POWER9/10/11 also the same major DD nibble (0x0F00);
/// - POWER9 ≥ 8.1 (277ee17212f0): DD2.0/2.1 only match power9_v2.0 (class minor
///   0), DD2.2/2.3 only power9_v2.2 (class minor 2), DD1 matches DD1;
/// - POWER9 ≥ 9.0: DD1 no longer matches.
pub fn pvr_match(family: Family, class_pvr: u32, pvr: u32, q: QemuVersion) -> bool {
    const BASE: u32 = 0xFFFF_0000;
    if pvr == class_pvr {
        return true;
    }
    let base = pvr & BASE;
    if q < v(7, 2) {
        return match family {
            Family::Power7 => matches!(base, 0x003F_0000 | 0x004A_0000),
            Family::Power8 => matches!(base, 0x004B_0000 | 0x004C_0000 | 0x004D_0000),
            Family::Power9 => base == 0x004E_0000,
            Family::Power10 => base == 0x0080_0000,
            // POWER11 exists from 9.2 only; its hook is the best-match one.
            Family::Power11 => base == 0x0082_0000,
        };
    }
    if base != class_pvr & BASE {
        return false;
    }
    let major = |p: u32| p & 0x0F00;
    match family {
        Family::Power7 | Family::Power8 => true,
        Family::Power10 | Family::Power11 => major(pvr) == major(class_pvr),
        Family::Power9 if q < v(8, 1) => major(pvr) == major(class_pvr),
        Family::Power9 => {
            if major(pvr) != major(class_pvr) {
                return false;
            }
            match major(pvr) {
                0x100 => q < v(9, 0),
                0x200 if pvr & 0xF < 2 => class_pvr & 0xF == 0,
                0x200 => class_pvr & 0xF == 2,
                _ => false,
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The spapr capability cap-htm (transactional memory)
// ---------------------------------------------------------------------------

/// `--cap-htm`: the `-machine cap-htm=` option given to both sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapHtmArg {
    /// `cap-htm=on`.
    On,
    /// `cap-htm=off`.
    Off,
    /// No option at all, exactly as QEMU takes it: the machine default, with
    /// no assumption (under TCG a default of on then refuses to start).
    Default,
}

impl CapHtmArg {
    /// Parses `on`, `off` or `default`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "on" | "true" | "yes" => Some(CapHtmArg::On),
            "off" | "false" | "no" => Some(CapHtmArg::Off),
            "default" => Some(CapHtmArg::Default),
            _ => None,
        }
    }
}

/// Where one side's effective cap-htm came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapHtmOrigin {
    /// QEMU < 2.12: no spapr capabilities. TM is advertised to the guest iff
    /// KVM runs it on a host with TM (`kvmppc_has_cap_htm()`, never under
    /// TCG) and nothing about TM is checked on migration.
    NoCap,
    /// Given on the command line.
    Explicit,
    /// The machine type's default.
    MachineDefault,
    /// The machine type's default (on) forced off because the CPU cannot run
    /// ISA 2.07 under max-cpu-compat (`default_caps_with_cpu`).
    ForcedOff,
    /// The machine type's default (on) assumed off: QEMU's TCG refuses
    /// cap-htm=on, and its hint is to append `-machine cap-htm=off` — what a
    /// user of pseries-2.11 and older under TCG must do (on both sides).
    AssumedOff,
}

/// One side's spapr capability `cap-htm` (hw/ppc/spapr_caps.c), resolved as
/// QEMU does at machine reset.
///
/// Facts (read in QEMU's source; facts file §2 has only the 2.11 default):
/// - QEMU 2.12 made TM a machine capability (D. Gibson's spapr capabilities
///   series; an intermediate version with `cap_htm_allow` and the same
///   messages was read; the introducing commit hash is UNVERIFIED). Machine defaults:
///   the base class sets `SPAPR_CAP_HTM` off; `spapr_machine_2_11_class_options`
///   sets it on, so pseries-2.11 and older (all inheriting from it) default
///   to on, pseries-2.12 and newer (also 2.12-sxxm) to off.
/// - `default_caps_with_cpu`: the default is forced off when
///   `!ppc_type_check_compat(cputype, CPU_POWERPC_LOGICAL_2_07, 0,
///   max_compat_pvr)` — POWER7, or POWER8+ with max-cpu-compat older than
///   power8 ([`runs_2_07`]). An explicit value is never forced.
/// - `cap_htm_apply` (at every machine reset, before the CPUs enter
///   max-cpu-compat mode): with the cap on, TCG fails with "No Transactional
///   Memory support in TCG", KVM without `kvmppc_has_cap_htm()` with "KVM
///   implementation does not support Transactional Memory" — fatal, QEMU
///   does not start ([`CapHtmSide::refusal`]). KVM_CAP_PPC_HTM (Linux
///   arch/powerpc/kvm/powerpc.c) is true with PPC_FEATURE2_HTM or, under
///   KVM-HV, CPU_FTR_P9_TM_HV_ASSIST: POWER8 and POWER9 hosts, not POWER7
///   and not POWER10/11 — [`CpuModel::has_tm`].
/// - The guest is offered TM in `ibm,pa-features` (byte 24, bit 0x80) iff
///   the cap is on (before 2.12: iff `kvmppc_has_cap_htm()`) and the CPU's
///   compat mode is 2.07 or newer (only the 2.07/3.00 arrays are longer than
///   24 bytes: `pa_size > 24`), hw/ppc/spapr.c `spapr_populate_pa_features`
///   / `spapr_dt_pa_features` — [`CapHtmSide::advertises`].
/// - Migration (`spapr_caps_post_migration`): the source sends
///   `spapr/cap/htm` only when the value was given on its command line and
///   differs from its default; the destination takes its OWN CPU type's
///   default for anything not sent and fails with "cap-htm higher level (%d)
///   in incoming stream than on destination (%d)" when the source's is
///   higher. With the same options on both sides (what this tool models) an
///   explicit value is equal on both sides, and an implicit one is never
///   sent — so this check cannot fire; only `cap_htm_apply` on the
///   destination can (a destination that cannot provide TM refuses to start).
///   Not modelled: per-side differing options, which the CLI cannot express.
/// - Messages: 2.12–4.1 "…, try cap-htm=off"; 4.2 (Message-Id
///   20190812071044.30806-1-daniel@linux.ibm.com) "…, try appending -machine
///   cap-htm=off"; 5.2 (Greg Kurz's ERRP_GUARD conversion, replacing
///   ff9feac2a929 in ppc-for-5.2) the error without the hint, then the hint
///   "Try appending -machine cap-htm=off" on its own line (QEMU 7.2 measured:
///   tests/qemu_system_oracle.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapHtmSide {
    /// The effective value (`None`: QEMU < 2.12, no capability).
    pub value: Option<bool>,
    /// Where it came from.
    pub origin: CapHtmOrigin,
    /// Whether TM can be offered to the guest at all: the cap is on, or
    /// (before 2.12) KVM-HV on a host with TM.
    pub tm_allowed: bool,
    /// Profile of this side (for QEMU's message wording).
    pub qemu: QemuVersion,
}

impl CapHtmSide {
    /// cap-htm=off given explicitly in QEMU `qemu` (≥ 2.12).
    pub const fn off(qemu: QemuVersion) -> Self {
        CapHtmSide {
            value: Some(false),
            origin: CapHtmOrigin::Explicit,
            tm_allowed: false,
            qemu,
        }
    }

    /// Resolves one side: `model` under `machine`, max-cpu-compat `max` (0 =
    /// unset), QEMU `q`, `accel`, and the `-machine cap-htm=` option.
    pub fn resolve(
        model: &CpuModel,
        machine: &MachineType,
        max: u32,
        q: QemuVersion,
        accel: Accel,
        arg: Option<CapHtmArg>,
    ) -> Result<Self, VerdictError> {
        if q < v(2, 12) {
            if arg.is_some() {
                return Err(VerdictError::CapHtmNotInQemu { qemu: q });
            }
            return Ok(CapHtmSide {
                value: None,
                origin: CapHtmOrigin::NoCap,
                tm_allowed: accel == Accel::KvmHv && model.has_tm,
                qemu: q,
            });
        }
        let machine_default = machine.version <= v(2, 11);
        let (value, origin) = match arg {
            Some(CapHtmArg::On) => (true, CapHtmOrigin::Explicit),
            Some(CapHtmArg::Off) => (false, CapHtmOrigin::Explicit),
            _ if machine_default && !runs_2_07(model, max, q) => (false, CapHtmOrigin::ForcedOff),
            None if machine_default && accel == Accel::Tcg => (false, CapHtmOrigin::AssumedOff),
            _ => (machine_default, CapHtmOrigin::MachineDefault),
        };
        Ok(CapHtmSide {
            value: Some(value),
            origin,
            tm_allowed: value,
            qemu: q,
        })
    }

    /// Whether the guest is offered TM when its CPU runs at `level` (the
    /// compat mode's, or the model's in raw mode): the guest kernel then
    /// enables TM at boot ([`crate::cpu::compat::tm_available`]'s `kernel_tm`).
    pub fn advertises(&self, level: IsaLevel) -> bool {
        self.tm_allowed && level >= IsaLevel::V2_07
    }

    /// QEMU's fatal message when this side cannot start: the cap is on and
    /// the accelerator cannot provide TM (TCG never can; KVM-HV when the host
    /// `model` has none).
    pub fn refusal(&self, model: &CpuModel, accel: Accel) -> Option<String> {
        if self.value != Some(true) {
            return None;
        }
        let error = match accel {
            Accel::Tcg => "No Transactional Memory support in TCG",
            Accel::KvmHv if !model.has_tm => {
                "KVM implementation does not support Transactional Memory"
            }
            Accel::KvmHv => return None,
        };
        Some(if self.qemu < v(4, 2) {
            format!("{error}, try cap-htm=off")
        } else if self.qemu < v(5, 2) {
            format!("{error}, try appending -machine cap-htm=off")
        } else {
            format!("{error} / Try appending -machine cap-htm=off")
        })
    }

    /// "on"/"off", or "none" without the capability.
    pub fn value_name(&self) -> &'static str {
        match self.value {
            Some(true) => "on",
            Some(false) => "off",
            None => "none",
        }
    }

    /// Short text for messages: "on (given)", "off (machine default)", ….
    pub fn origin_text(&self) -> &'static str {
        match (self.value, self.origin) {
            (None, _) => "none (QEMU < 2.12)",
            (Some(true), CapHtmOrigin::Explicit) => "on (given)",
            (Some(false), CapHtmOrigin::Explicit) => "off (given)",
            (Some(true), _) => "on (machine default)",
            (Some(false), CapHtmOrigin::ForcedOff) => {
                "off (default forced off: the CPU cannot run ISA 2.07 under max-cpu-compat)"
            }
            (Some(false), CapHtmOrigin::AssumedOff) => {
                "off (assumed: TCG refuses the machine default, on)"
            }
            (Some(false), _) => "off (machine default)",
        }
    }
}

/// The note on cap-htm the verdict carries, if any (the TCG assumption, the
/// pre-2.12 behaviour).
pub fn cap_htm_note(s: &Setup) -> Option<String> {
    let sides = [s.src_htm, s.dst_htm];
    if sides.iter().any(|x| x.origin == CapHtmOrigin::AssumedOff) {
        return Some(
            "assumed cap-htm=off: the machine type defaults to cap-htm=on, which QEMU's TCG \
             refuses to start (\"No Transactional Memory support in TCG\"); pass --cap-htm \
             default to model QEMU without the option"
                .to_string(),
        );
    }
    if sides.iter().any(|x| x.value.is_none()) {
        return Some(
            "no cap-htm before QEMU 2.12: TM is offered to the guest iff KVM runs it on a host \
             with TM, and migration checks nothing about it"
                .to_string(),
        );
    }
    None
}

// ---------------------------------------------------------------------------
// Setup (input resolution) and the decision
// ---------------------------------------------------------------------------

/// Accelerator of both sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Accel {
    /// TCG: the loaded PVR stays the source's (≥ 2.10).
    Tcg,
    /// KVM-HV: the PVR after load is the host's (the destination model is the host).
    KvmHv,
}

impl Accel {
    /// CLI name.
    pub const fn name(self) -> &'static str {
        match self {
            Accel::Tcg => "tcg",
            Accel::KvmHv => "kvm-hv",
        }
    }
}

/// Input errors: configurations QEMU would not start, or unknown names (exit 3).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerdictError {
    /// Unknown model name.
    #[error("{0}")]
    Model(String),
    /// The model does not exist in that QEMU release.
    #[error("unable to find CPU model '{name}' (it is not in QEMU {qemu}; pick a newer --qemu)")]
    ModelNotInQemu {
        /// What was given.
        name: String,
        /// The release.
        qemu: QemuVersion,
    },
    /// Machine / profile / compat-name problems.
    #[error(transparent)]
    Machine(#[from] MachineError),
    /// The source QEMU would refuse to start with these options.
    #[error("the source would not start: {qemu_msg} ({model} cannot run max-cpu-compat={compat} under QEMU {qemu}; supported: {supported})")]
    SourceRefusesToStart {
        /// QEMU's message.
        qemu_msg: String,
        /// Source model.
        model: &'static str,
        /// Requested compat.
        compat: &'static str,
        /// Profile.
        qemu: QemuVersion,
        /// Supported modes.
        supported: String,
    },
    /// The source QEMU would refuse to start: its cap-htm is on and it cannot
    /// provide transactional memory (`cap_htm_apply`).
    #[error("the source would not start: {qemu_msg} ({model}, accel {accel}, QEMU {qemu}, {machine}: cap-htm {origin})")]
    SourceRefusesCapHtm {
        /// QEMU's message (with its hint).
        qemu_msg: String,
        /// Source model.
        model: &'static str,
        /// Accelerator name.
        accel: &'static str,
        /// Profile.
        qemu: QemuVersion,
        /// Machine type.
        machine: String,
        /// Where the value came from ("on (given)", "on (machine default)").
        origin: &'static str,
    },
    /// `--cap-htm` with a QEMU that has no spapr capabilities (< 2.12).
    #[error("-machine cap-htm: QEMU {qemu} has no cap-htm machine property (spapr capabilities arrived in QEMU 2.12); drop --cap-htm or pick a newer --qemu/--src-qemu")]
    CapHtmNotInQemu {
        /// Profile.
        qemu: QemuVersion,
    },
    /// Unknown policy name.
    #[error("unknown policy `{0}`; policies: exact-pvr, insn-flags, ignore-pvr, pvr-match-or-compat, all")]
    UnknownPolicy(String),
    /// A compat mode the profile's QEMU does not know yet.
    #[error("max-cpu-compat={name}: Unknown compatibility PVR 0x{pvr:08x} in QEMU {qemu} (mode added in {since})")]
    CompatNotInQemu {
        /// Mode.
        name: &'static str,
        /// Logical PVR.
        pvr: u32,
        /// Profile.
        qemu: QemuVersion,
        /// First release.
        since: QemuVersion,
    },
}

/// What the user asks (names as typed).
#[derive(Clone, Debug, Default)]
pub struct Request<'a> {
    /// Source model.
    pub src: &'a str,
    /// Destination model.
    pub dst: &'a str,
    /// Machine type.
    pub machine: &'a str,
    /// max-cpu-compat (both sides).
    pub max_cpu_compat: Option<&'a str>,
    /// Destination QEMU version (default: newest that has the machine).
    pub qemu: Option<&'a str>,
    /// Source QEMU version (default: the destination's).
    pub src_qemu: Option<&'a str>,
    /// KVM-HV instead of TCG.
    pub kvm_hv: bool,
    /// `-machine cap-htm=` of both sides (`None`: not given — the machine
    /// default, assumed off where TCG would refuse it; see [`CapHtmSide`]).
    pub cap_htm: Option<CapHtmArg>,
}

/// A resolved migration pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// Machine type (both sides).
    pub machine: MachineType,
    /// Source model.
    pub src: &'static CpuModel,
    /// Destination model (the host, with KVM-HV).
    pub dst: &'static CpuModel,
    /// Source QEMU.
    pub src_qemu: QemuVersion,
    /// Destination QEMU.
    pub dst_qemu: QemuVersion,
    /// max-cpu-compat of both sides.
    pub max_compat: Option<&'static CompatMode>,
    /// Accelerator.
    pub accel: Accel,
    /// The source's effective cap-htm (resolved against the source model).
    pub src_htm: CapHtmSide,
    /// The destination's effective cap-htm (resolved against the destination
    /// model: the defaults depend on the CPU type, `default_caps_with_cpu`).
    pub dst_htm: CapHtmSide,
}

fn parse_qemu(s: &str) -> Result<QemuVersion, VerdictError> {
    QemuVersion::parse(s).ok_or_else(|| MachineError::UnknownQemu(s.to_string()).into())
}

/// Resolves a request; errors are input errors (QEMU would not start the source,
/// or names are unknown).
pub fn resolve(r: &Request<'_>) -> Result<Setup, VerdictError> {
    let machine = find_machine(r.machine)?;
    let dst_qemu = profile_for(&machine, r.qemu.map(parse_qemu).transpose()?)?;
    let src_qemu = match r.src_qemu {
        Some(s) => profile_for(&machine, Some(parse_qemu(s)?))?,
        None => dst_qemu,
    };
    let src = resolve_model(r.src, src_qemu)?;
    let dst = resolve_model(r.dst, dst_qemu)?;
    let max_compat = r
        .max_cpu_compat
        .map(find_compat)
        .transpose()
        .map_err(MachineError::from)?;
    if let Some(mc) = max_compat {
        for q in [src_qemu, dst_qemu] {
            if q < v(2, 10) {
                return Err(MachineError::NoMaxCompat(q).into());
            }
            if mc.since > q {
                return Err(VerdictError::CompatNotInQemu {
                    name: mc.name,
                    pvr: mc.pvr,
                    qemu: q,
                    since: mc.since,
                });
            }
        }
    }
    let accel = if r.kvm_hv { Accel::KvmHv } else { Accel::Tcg };
    let mc = max_compat.map_or(0, |m| m.pvr);
    let src_htm = CapHtmSide::resolve(src, &machine, mc, src_qemu, accel, r.cap_htm)?;
    let dst_htm = CapHtmSide::resolve(dst, &machine, mc, dst_qemu, accel, r.cap_htm)?;
    // hw/ppc/spapr.c `spapr_machine_reset` applies the caps
    // (`spapr_caps_apply`) before it puts the CPUs in max-cpu-compat mode
    // (`ppc_init_compat_all`), so a refused cap-htm is what QEMU reports first
    // (the order of the two checks is read from that function; whether an
    // earlier, init-time compat check exists in some release is UNVERIFIED).
    if let Some(msg) = src_htm.refusal(src, accel) {
        return Err(VerdictError::SourceRefusesCapHtm {
            qemu_msg: msg,
            model: src.name,
            accel: accel.name(),
            qemu: src_qemu,
            machine: machine.name.clone(),
            origin: src_htm.origin_text(),
        });
    }
    if let Some(mc) = max_compat {
        // The source sets max-cpu-compat at reset: unsupported is fatal there.
        if let Err(e) = set_compat(src, mc.pvr, src_qemu) {
            return Err(VerdictError::SourceRefusesToStart {
                qemu_msg: qemu_text(&e),
                model: src.name,
                compat: mc.name,
                qemu: src_qemu,
                supported: crate::cpu::compat::supported_modes(src, src_qemu)
                    .iter()
                    .map(|m| m.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    Ok(Setup {
        machine,
        src,
        dst,
        src_qemu,
        dst_qemu,
        max_compat,
        accel,
        src_htm,
        dst_htm,
    })
}

/// The policy the destination's QEMU version implies (facts §9): < 2.1
/// exact-pvr, < 2.8 insn-flags, < 2.10 ignore-pvr, else pvr-match-or-compat
/// (for every machine type — see the module docs).
pub fn default_policy(dst_qemu: QemuVersion) -> PolicyKind {
    if dst_qemu < v(2, 1) {
        PolicyKind::ExactPvr
    } else if dst_qemu < v(2, 8) {
        PolicyKind::InsnFlags
    } else if dst_qemu < v(2, 10) {
        PolicyKind::IgnorePvr
    } else {
        PolicyKind::PvrMatchOrCompat
    }
}

/// Decides `policy` for `s` as `--verdict-only` defines it (facts §9): the
/// destination must start (it must provide transactional memory when its
/// cap-htm is on, [`CapHtmSide::refusal`]; its CPU must run `max-cpu-compat`,
/// §4.5), the stream must parse (§9 step 1), then the policy's rule.
pub fn decide(s: &Setup, policy: PolicyKind) -> Verdict {
    decide_with(s, policy, s.max_compat.map_or(0, |m| m.pvr))
}

/// Decides `policy` for a source whose CPU runs in compat mode `src_compat`
/// (0 = raw) when the migration starts — the mode the guest kernel negotiated
/// by CAS; [`decide`] is the case of a paused guest (the reset value).
pub fn decide_with(s: &Setup, policy: PolicyKind, src_compat: u32) -> Verdict {
    let c = s.max_compat.map_or(0, |m| m.pvr);
    // Machine reset applies the caps before max-cpu-compat (see `resolve`).
    if let Some(msg) = s.dst_htm.refusal(s.dst, s.accel) {
        return reject(
            policy,
            Rule::DestinationRefusesToStart,
            format!(
                "{msg} (the destination {} under {} cannot provide transactional memory with \
                 cap-htm {}, and refuses to start)",
                s.dst.name,
                s.accel.name(),
                s.dst_htm.origin_text()
            ),
            c,
        );
    }
    if let Some(mc) = s.max_compat {
        if let Err(e) = set_compat(s.dst, mc.pvr, s.dst_qemu) {
            return reject(
                policy,
                Rule::DestinationRefusesToStart,
                format!(
                    "{} (the destination {} cannot run max-cpu-compat={} and refuses to start)",
                    qemu_text(&e),
                    s.dst.name,
                    mc.name
                ),
                c,
            );
        }
    }
    let st = source_stream_with(s, src_compat);
    if let Some(sub) = unknown_subsection(&st, s.dst_qemu) {
        return reject(
            policy,
            Rule::UnknownSubsection,
            format!(
                "{LOAD_FAILED} (unknown subsection {}: QEMU {} only parses it from {}; \
                 vmstate lookup fails with -ENOENT)",
                sub.name, s.dst_qemu, sub.since
            ),
            c,
        );
    }
    policy.decide_loaded(s, &st)
}

/// §9 step 1: the first subsection of `st` that a QEMU `dst_q` destination does
/// not know (its load then fails), e.g. `cpu/compat` into < 2.10, `cpu/bhrb`
/// into < 9.1.
pub fn unknown_subsection(st: &CpuStream, dst_q: QemuVersion) -> Option<&Subsection> {
    st.subsections.iter().find(|x| x.since > dst_q)
}

/// Convenience: the effective compat state of the destination CPU at reset.
pub fn reset_compat(s: &Setup) -> Option<ActiveCompat> {
    let c = s.max_compat.map_or(0, |m| m.pvr);
    set_compat(s.dst, c, s.dst_qemu).ok()
}

// ---------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------

/// The machine-readable form of a verdict.
#[derive(Clone, Debug, Serialize)]
pub struct VerdictJson {
    /// Accepted?
    pub accepted: bool,
    /// Policy name.
    pub policy: PolicyKind,
    /// Rule id.
    pub rule: Rule,
    /// Reason text.
    pub reason: String,
    /// PVR after load, "0x…" (null when rejected).
    pub post_load_pvr: Option<String>,
    /// Compat mode after load ("raw" for none).
    pub compat: &'static str,
}

impl From<&Verdict> for VerdictJson {
    fn from(v: &Verdict) -> Self {
        VerdictJson {
            accepted: v.accepted,
            policy: v.policy,
            rule: v.rule,
            reason: v.reason.clone(),
            post_load_pvr: v.post_load_pvr.map(|p| format!("{p:#010x}")),
            compat: v.compat_name(),
        }
    }
}

/// One side of the pair in the JSON report.
#[derive(Clone, Debug, Serialize)]
pub struct SideJson {
    /// Model name.
    pub model: &'static str,
    /// PVR in that side's QEMU.
    pub pvr: String,
    /// QEMU profile.
    pub qemu: String,
}

/// cap-htm of both sides in the JSON report.
#[derive(Clone, Debug, Serialize)]
pub struct CapHtmJson {
    /// The source's effective value: "on", "off", or "none" (QEMU < 2.12).
    pub source: &'static str,
    /// The destination's.
    pub destination: &'static str,
    /// Where the source's value came from.
    pub source_origin: CapHtmOrigin,
    /// Where the destination's came from.
    pub destination_origin: CapHtmOrigin,
    /// Whether the guest kernel is offered TM on the source (and so enables
    /// it at boot and keeps it across the migration): at machine reset for
    /// `--verdict-only`, after CAS for a run.
    pub guest_tm: bool,
    /// The assumption made, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CapHtmJson {
    /// For `s`, with the source CPU at `level`.
    pub fn new(s: &Setup, level: IsaLevel) -> Self {
        CapHtmJson {
            source: s.src_htm.value_name(),
            destination: s.dst_htm.value_name(),
            source_origin: s.src_htm.origin,
            destination_origin: s.dst_htm.origin,
            guest_tm: s.src_htm.advertises(level),
            note: cap_htm_note(s),
        }
    }
}

/// The source CPU's level at machine reset (max-cpu-compat, no CAS).
pub fn reset_level(s: &Setup) -> IsaLevel {
    let c = s.max_compat.map_or(0, |m| m.pvr);
    set_compat(s.src, c, s.src_qemu).map_or(s.src.level, |a| a.level)
}

/// The `migrate --verdict-only --json` object.
#[derive(Clone, Debug, Serialize)]
pub struct MigrateJson {
    /// Source.
    pub src: SideJson,
    /// Destination.
    pub dst: SideJson,
    /// Machine type.
    pub machine: String,
    /// max-cpu-compat (null when unset).
    pub max_cpu_compat: Option<&'static str>,
    /// Accelerator.
    pub accel: Accel,
    /// The spapr capability cap-htm (transactional memory) of both sides.
    pub cap_htm: CapHtmJson,
    /// The policy QEMU would apply.
    pub default_policy: PolicyKind,
    /// The verdict of the selected policy (flattened).
    #[serde(flatten)]
    pub verdict: VerdictJson,
    /// Every policy's verdict (with `--policy all`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdicts: Option<Vec<VerdictJson>>,
    /// Outcome of the destination run ("not run" with --verdict-only).
    pub outcome: &'static str,
}

/// Builds the JSON report for `primary` (and all verdicts with `--policy all`).
pub fn migrate_json(s: &Setup, primary: &Verdict, all: Option<&[Verdict]>) -> MigrateJson {
    MigrateJson {
        src: SideJson {
            model: s.src.name,
            pvr: format!("{:#010x}", model_pvr(s.src, s.src_qemu)),
            qemu: s.src_qemu.to_string(),
        },
        dst: SideJson {
            model: s.dst.name,
            pvr: format!("{:#010x}", model_pvr(s.dst, s.dst_qemu)),
            qemu: s.dst_qemu.to_string(),
        },
        machine: s.machine.name.clone(),
        max_cpu_compat: s.max_compat.map(|m| m.name),
        accel: s.accel,
        cap_htm: CapHtmJson::new(s, reset_level(s)),
        default_policy: default_policy(s.dst_qemu),
        verdict: primary.into(),
        verdicts: all.map(|a| a.iter().map(VerdictJson::from).collect()),
        outcome: "not run",
    }
}

/// A few readable lines for one verdict.
pub fn verdict_text(s: &Setup, v: &Verdict) -> String {
    let dflt = default_policy(s.dst_qemu);
    format!(
        "verdict:  {}\npolicy:   {} ({}{})\nrule:     {}\nreason:   {}\ncompat:   {} (max-cpu-compat {}; applied at machine reset, no CAS in --verdict-only)\npvr:      {} → {}, after load {}\nprofile:  source QEMU {}, destination QEMU {}, {}, accel {}\n{}",
        if v.accepted { "ACCEPT" } else { "REJECT" },
        v.policy,
        v.policy.era(),
        if v.policy == dflt {
            format!(", what QEMU {} applies", s.dst_qemu)
        } else {
            format!(", QEMU {} would apply {dflt}", s.dst_qemu)
        },
        v.rule.id(),
        v.reason,
        v.compat_name(),
        s.max_compat.map_or("unset", |m| m.name),
        format_args!("{} {:#010x}", s.src.name, model_pvr(s.src, s.src_qemu)),
        format_args!("{} {:#010x}", s.dst.name, model_pvr(s.dst, s.dst_qemu)),
        v.post_load_pvr.map_or("— (rejected)".to_string(), |p| format!("{p:#010x}")),
        s.src_qemu,
        s.dst_qemu,
        s.machine.name,
        s.accel.name(),
        cap_htm_text(s, s.src_htm.advertises(reset_level(s)))
    )
}

/// The `cap-htm:` line(s) of the text report; `guest_tm`: whether the guest
/// kernel is offered TM on the source.
pub fn cap_htm_text(s: &Setup, guest_tm: bool) -> String {
    let (a, b) = (s.src_htm, s.dst_htm);
    let sides = if (a.value, a.origin) == (b.value, b.origin) {
        format!("both sides {}", a.origin_text())
    } else {
        format!(
            "source {}, destination {}",
            a.origin_text(),
            b.origin_text()
        )
    };
    let mut t = format!(
        "cap-htm:  {sides}; guest TM {}\n",
        if guest_tm {
            "enabled (offered at boot; the guest keeps it when it moves)"
        } else {
            "off (not offered at boot: TM instructions raise SIGILL)"
        }
    );
    if let Some(n) = cap_htm_note(s) {
        t.push_str(&format!("          note: {n}\n"));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(src: &str, dst: &str, machine: &str, compat: Option<&str>, q: &str) -> Setup {
        resolve(&Request {
            src,
            dst,
            machine,
            max_cpu_compat: compat,
            qemu: Some(q),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn power10_pvr_lost_its_chip_type_nibble_before_8_1() {
        let p10 = find_model("power10").unwrap();
        assert_eq!(model_pvr(p10, v(8, 0)), 0x0080_0200);
        assert_eq!(model_pvr(p10, v(8, 1)), 0x0080_1200);
    }

    #[test]
    fn power9_alias_means_dd2_0_before_8_1() {
        assert_eq!(
            resolve_model("power9", v(7, 2)).unwrap().name,
            "power9_v2.0"
        );
        assert_eq!(
            resolve_model("POWER9", v(8, 1)).unwrap().name,
            "power9_v2.2"
        );
        assert!(resolve_model("power9_v2.2", v(8, 0)).is_err());
        assert!(resolve_model("power11", v(9, 1)).is_err());
    }

    #[test]
    fn the_2_8_masks_make_a_power9_pre_2_8_stream_equal_to_power8_from_3_0() {
        // bce009645b9f: POWER9 lacks PPC_MEM_TLBIE; forcing it makes the masked
        // POWER9 values those of a 2.6 POWER8.
        let p8_26 = live_sanity(Family::Power8, v(2, 6));
        assert_ne!(sent_sanity(Family::Power9, v(2, 12)), p8_26);
        assert_eq!(sent_sanity(Family::Power9, v(3, 0)), p8_26);
        assert_eq!(sent_sanity(Family::Power8, v(2, 8)), p8_26);
        assert_ne!(live_sanity(Family::Power8, v(2, 7)), p8_26);
    }

    #[test]
    fn pvr_match_power9_dd1_matches_dd1_in_8_1_but_not_in_9_0() {
        // facts §3.3: 8.1–8.2 accept major 1 (power9_v1.0 class), 9.0 rejects.
        assert!(pvr_match(Family::Power9, 0x004E_1100, 0x004E_1101, v(8, 1)));
        assert!(!pvr_match(
            Family::Power9,
            0x004E_1100,
            0x004E_1101,
            v(9, 0)
        ));
        // DD2.3 host into a power9_v2.2 class: ok; DD2.1 into v2.2: not ≥ 8.1.
        assert!(pvr_match(Family::Power9, 0x004E_1202, 0x004E_1203, v(8, 1)));
        assert!(!pvr_match(
            Family::Power9,
            0x004E_1202,
            0x004E_1201,
            v(8, 1)
        ));
        assert!(pvr_match(Family::Power9, 0x004E_1202, 0x004E_1201, v(8, 0)));
        // Renumbered POWER10 PVRs still match (chip nibble 0xF000 ignored).
        assert!(pvr_match(
            Family::Power10,
            0x0080_1200,
            0x0080_0200,
            v(8, 1)
        ));
        assert!(!pvr_match(
            Family::Power10,
            0x0080_1200,
            0x0080_1100,
            v(8, 1)
        ));
    }

    #[test]
    fn compat_subsection_is_sent_only_for_2_10_plus_machine_types_with_a_mode() {
        let s = setup("power9", "power9", "pseries-2.10", Some("power8"), "7.2");
        assert_eq!(source_stream(&s).compat, Some(0x0F00_0004));
        let s = setup("power9", "power9", "pseries-2.9", Some("power8"), "7.2");
        assert_eq!(source_stream(&s).compat, None);
        let s = setup("power9", "power9", "pseries-2.10", None, "7.2");
        assert_eq!(source_stream(&s).compat, None);
    }

    #[test]
    fn tm_is_advertised_only_with_the_cap_on_and_a_2_07_compat_mode() {
        // spapr_populate_pa_features: cap on && pa_size > 24 (2.07+ arrays).
        let on = CapHtmSide {
            value: Some(true),
            origin: CapHtmOrigin::Explicit,
            tm_allowed: true,
            qemu: v(7, 2),
        };
        assert!(on.advertises(IsaLevel::V2_07) && on.advertises(IsaLevel::V3_1));
        assert!(!on.advertises(IsaLevel::V2_06));
        assert!(!CapHtmSide::off(v(7, 2)).advertises(IsaLevel::V3_0));
        // Explicit on with max-cpu-compat=power7 on a POWER8 under KVM-HV:
        // QEMU starts (the host has TM) but the guest is not offered TM.
        let s = resolve(&Request {
            src: "power8",
            dst: "power8",
            machine: "pseries-2.12",
            max_cpu_compat: Some("power7"),
            qemu: Some("7.2"),
            kvm_hv: true,
            cap_htm: Some(CapHtmArg::On),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.src_htm.value, Some(true));
        assert!(!s.src_htm.advertises(reset_level(&s)));
    }

    #[test]
    fn sanity_fields_are_in_the_stream_for_pre_2_8_machine_types_only() {
        let s = setup("power8", "power8", "pseries-2.7", None, "7.2");
        assert!(source_stream(&s).sanity.is_some());
        let s = setup("power8", "power8", "pseries-2.8", None, "7.2");
        assert!(source_stream(&s).sanity.is_none());
    }
}
