//! The migration matrix: every policy × machine type × max-cpu-compat × source
//! model × destination model, decided by the policies and checked by running
//! every corpus guest through the harness.
//!
//! Owns: enumerating the combinations, the caches that make destination runs
//! dominate the cost, the per-cell aggregation over guests, sharding and
//! merging, the summary (accepted, rejected, false accepts, false rejects).
//! Must not know: the CLI or the output formats (see `report`).
//!
//! Cost model. A cell's verdict does not depend on the guest; a guest's runs
//! depend only on how the CPU executes it: the effective ISA level, the PCR
//! and the PVR (read only through `mfspr PVR`). Runs are therefore cached per
//! guest by that execution key, and a run that never read the PVR is cached
//! for every PVR. Each guest is one rayon task (results are put back in a
//! fixed order: the output never depends on scheduling).

use crate::cpu::compat::{find_compat, QemuVersion};
use crate::cpu::{CpuModel, MODELS};
use crate::exec::{Fault, FaultKind};
use crate::isa::IsaLevel;
use crate::machine::pseries::{find_machine, machine_types, MachineType};
use crate::machine::RunExit;
use crate::migration::harness::{
    destination_config, hide_xer32, source_config, At, Checkpoint, Continuation, CpuConfig,
    EngineFactory, Guest, Harness, HarnessError, Outcome, SourceEnd,
};
use crate::migration::policy::{
    decide_with, resolve, CapHtmArg, CapHtmSide, PolicyKind, Request, Setup,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Format version of the matrix JSON (for `matrix merge`).
pub const MATRIX_VERSION: u32 = 1;

/// What to enumerate.
#[derive(Clone, Debug)]
pub struct MatrixSpec {
    /// Models (QEMU names).
    pub models: Vec<&'static CpuModel>,
    /// Machine types, each with the QEMU profile to use.
    pub machines: Vec<(MachineType, Option<QemuVersion>)>,
    /// max-cpu-compat values (`None` = unset).
    pub compat: Vec<Option<&'static str>>,
    /// Policies.
    pub policies: Vec<PolicyKind>,
    /// Checkpoint position.
    pub at: At,
    /// Bound on any run.
    pub max_insns: u64,
    /// On-disk memo of guest runs: directory and salt (identifies the
    /// engine build: a rebuilt binary never reuses older results).
    pub cache: Option<(std::path::PathBuf, [u8; 32])>,
    /// `-machine cap-htm=` of every cell (`None`: each machine type's
    /// default, assumed off where TCG refuses it — see
    /// [`crate::migration::policy::CapHtmSide`]).
    pub cap_htm: Option<CapHtmArg>,
}

/// The default machine types: one per era of migration flags from 2.8 on
/// (pre-2.10: no `cpu/compat`, CAS prefers raw mode; pre-3.0; current) plus
/// the one Debian's QEMU 7.2 has as newest.
///
/// Pre-2.8 machine types (pseries-2.7 and older) are left out of the default:
/// under a ≥ 2.8 profile their source sends the *masked* sanity fields meant
/// for 2.6 destinations, so `exact-pvr` and `insn-flags`, evaluated against the
/// destination's live values, refuse even same-model pairs — a cross-version
/// effect, not the policy of a same-version pair. Ask for them with
/// `--machines` (and `--qemu 2.7` for the era's own behaviour).
pub const DEFAULT_MACHINES: &[&str] =
    &["pseries-2.9", "pseries-2.12", "pseries-7.2", "pseries-11.1"];

/// The default max-cpu-compat values.
pub const DEFAULT_COMPAT: &[&str] = &["unset", "power8", "power9"];

impl MatrixSpec {
    /// The default spec: every model, [`DEFAULT_MACHINES`] at their default
    /// profiles, [`DEFAULT_COMPAT`], all four policies, checkpoint at 50%.
    pub fn default_spec() -> Self {
        MatrixSpec {
            models: MODELS.iter().collect(),
            machines: DEFAULT_MACHINES
                .iter()
                .filter_map(|m| find_machine(m).ok().map(|m| (m, None)))
                .collect(),
            compat: DEFAULT_COMPAT.iter().map(|c| compat_arg(c)).collect(),
            policies: PolicyKind::ALL.to_vec(),
            at: At::Percent(50.0),
            max_insns: 20_000_000_000,
            cache: None,
            cap_htm: None,
        }
    }

    /// Every machine type known.
    pub fn all_machines() -> Vec<(MachineType, Option<QemuVersion>)> {
        machine_types().into_iter().map(|m| (m, None)).collect()
    }
}

fn compat_arg(c: &str) -> Option<&'static str> {
    if c.eq_ignore_ascii_case("unset") || c.eq_ignore_ascii_case("none") {
        None
    } else {
        find_compat(c).ok().map(|m| m.name)
    }
}

/// A guest that diverged in a cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diverged {
    /// Guest (corpus-relative path).
    pub guest: String,
    /// Class (kebab-case).
    pub class: String,
    /// Instruction count of the first divergent instruction.
    pub icount: u64,
    /// Its pc.
    pub pc: u64,
    /// Its disassembly.
    pub disasm: String,
    /// Explanation.
    pub detail: String,
}

/// One combination, aggregated over the guests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// Policy.
    pub policy: String,
    /// Machine type.
    pub machine: String,
    /// QEMU profile.
    pub qemu: String,
    /// max-cpu-compat ("unset" for none).
    pub compat: String,
    /// Source model.
    pub src: String,
    /// Destination model.
    pub dst: String,
    /// The source's mode after CAS.
    pub src_mode: String,
    /// Accepted?
    pub accepted: bool,
    /// Rule id.
    pub rule: String,
    /// Guests run.
    pub guests: u32,
    /// Guests that diverged (ordered by guest).
    pub diverged: Vec<Diverged>,
}

impl Cell {
    /// safe / false-accept / false-reject / justified-reject, or untested
    /// when no guest runs on the source configuration.
    pub fn assessment(&self) -> &'static str {
        if self.guests == 0 {
            return "untested";
        }
        match (self.accepted, self.diverged.is_empty()) {
            (true, true) => "safe",
            (true, false) => "false-accept",
            (false, true) => "false-reject",
            (false, false) => "justified-reject",
        }
    }
}

/// A configuration QEMU would not start (the source refuses, CAS fails).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    /// Machine type.
    pub machine: String,
    /// max-cpu-compat.
    pub compat: String,
    /// Source model.
    pub src: String,
    /// Destination model (empty when the source alone refuses).
    pub dst: String,
    /// QEMU's message.
    pub reason: String,
}

/// Counts per policy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySummary {
    /// Policy.
    pub policy: String,
    /// Cells.
    pub cells: u32,
    /// Accepted cells.
    pub accepted: u32,
    /// Rejected cells.
    pub rejected: u32,
    /// Accepted, and some guest diverged.
    pub false_accepts: u32,
    /// Rejected, though every guest would have run identically.
    pub false_rejects: u32,
}

/// The matrix result (one shard or merged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixReport {
    /// [`MATRIX_VERSION`].
    pub version: u32,
    /// Checkpoint position.
    pub at: String,
    /// Guests included (all shards, after a merge).
    pub guests: Vec<String>,
    /// Shards merged (`[i, n]` pairs).
    pub shards: Vec<(u32, u32)>,
    /// Cells, in enumeration order.
    pub cells: Vec<Cell>,
    /// Refused configurations.
    pub refused: Vec<Refused>,
    /// Per policy.
    pub summary: Vec<PolicySummary>,
    /// Destination runs executed (cache misses; not in the JSON: it
    /// depends on the cache).
    #[serde(skip)]
    pub destination_runs: u64,
    /// Source runs executed (full runs and checkpoints; not in the JSON).
    #[serde(skip)]
    pub source_runs: u64,
    /// Where the time went (not part of the JSON: it differs between runs).
    #[serde(skip)]
    pub timing: Timing,
}

/// Errors of the matrix.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    /// A guest could not be run.
    #[error("guest {guest}")]
    Guest {
        /// Guest.
        guest: String,
        /// Why.
        source: HarnessError,
    },
    /// Parts to merge do not fit together.
    #[error("cannot merge: {0}")]
    Merge(String),
}

/// One column of work: a cell's verdict and the configurations it runs.
struct Plan {
    cell: Cell,
    src: CpuConfig,
    dst: CpuConfig,
}

/// The guest-independent part: every cell with its verdict and the CPU
/// configurations of both sides.
fn plan(spec: &MatrixSpec) -> (Vec<Plan>, Vec<Refused>) {
    let mut plans = Vec::new();
    let mut refused = Vec::new();
    for (machine, qemu) in &spec.machines {
        let q = qemu.map(|q| q.to_string());
        for compat in &spec.compat {
            let cname = compat.unwrap_or("unset").to_string();
            for src in &spec.models {
                for dst in &spec.models {
                    let setup = resolve(&Request {
                        src: src.name,
                        dst: dst.name,
                        machine: &machine.name,
                        max_cpu_compat: *compat,
                        qemu: q.as_deref(),
                        src_qemu: None,
                        kvm_hv: false,
                        cap_htm: spec.cap_htm,
                    });
                    let refuse = |reason: String| Refused {
                        machine: machine.name.clone(),
                        compat: cname.clone(),
                        src: src.name.into(),
                        dst: dst.name.into(),
                        reason,
                    };
                    // QEMU would not start the source (or CAS fails): no cell.
                    let configured = setup.map_err(|e| e.to_string()).and_then(|s| {
                        source_config(&s, None)
                            .map(|c| (s, c))
                            .map_err(|e| e.to_string())
                    });
                    let (setup, scfg) = match configured {
                        Ok(x) => x,
                        Err(reason) => {
                            refused.push(refuse(reason));
                            continue;
                        }
                    };
                    for &p in &spec.policies {
                        let v = decide_with(&setup, p, scfg.compat.pvr);
                        let dcfg = destination_config(&setup, &scfg, &v);
                        plans.push(Plan {
                            cell: Cell {
                                policy: p.name().into(),
                                machine: machine.name.clone(),
                                qemu: setup.dst_qemu.to_string(),
                                compat: cname.clone(),
                                src: src.name.into(),
                                dst: dst.name.into(),
                                src_mode: scfg.compat.name().into(),
                                accepted: v.accepted,
                                rule: v.rule.id(),
                                guests: 0,
                                diverged: Vec::new(),
                            },
                            src: scfg,
                            dst: dcfg,
                        });
                    }
                }
            }
        }
    }
    (plans, refused)
}

/// How a CPU executes a guest: (level, PCR, facilities available, PVR).
/// `None` PVR = any. The facility set is part of the key because it is a
/// property of the model as well as of the PCR (POWER10 has no transactional
/// memory whatever its PCR), so two configurations with equal level and PCR
/// may still run a guest differently — and TM also needs the guest kernel's
/// enable ([`CpuConfig::kernel_tm`], from cap-htm), which the TM bit of the
/// facility set carries.
type ExecKey = (IsaLevel, u64, u8, Option<u32>);

fn key(c: &CpuConfig, pvr: bool) -> ExecKey {
    use crate::isa::Facility::*;
    let facilities = [Fp, Vmx, Vsx, Tm, Dfp, Mma]
        .iter()
        .enumerate()
        .filter(|(_, &f)| {
            crate::cpu::compat::facility_available(
                c.kernel_tm,
                c.model,
                c.compat.level,
                c.compat.pcr,
                f,
            )
        })
        .fold(0u8, |m, (i, _)| m | 1 << i);
    (
        c.compat.level,
        c.compat.pcr,
        facilities,
        pvr.then_some(c.pvr),
    )
}

/// What a guest's runs established, keyed by execution keys: kept on disk
/// between matrix runs (see [`MatrixSpec::cache`]).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Memo {
    /// Source runs from the start: key → (PVR-sensitive, guest applicable).
    ends: BTreeMap<String, (bool, bool)>,
    /// (source key, destination key) → outcome.
    outcomes: BTreeMap<String, Outcome>,
}

fn kstr(k: &ExecKey) -> String {
    match k.3 {
        Some(p) => format!("{}/{:#x}/{:#04x}/{p:#010x}", k.0, k.1, k.2),
        None => format!("{}/{:#x}/{:#04x}/*", k.0, k.1, k.2),
    }
}

/// Per-guest caches.
#[derive(Default)]
struct GuestRuns {
    memo: Memo,
    ends: BTreeMap<ExecKey, SourceEnd>,
    checkpoints: BTreeMap<ExecKey, Checkpoint>,
    references: BTreeMap<(ExecKey, bool), Continuation>,
    source_runs: u64,
    destination_runs: u64,
    destination_time: std::time::Duration,
}

impl GuestRuns {
    /// The source key and whether the guest runs on the source at all.
    fn source_key(
        &mut self,
        h: &Harness<'_>,
        c: &CpuConfig,
    ) -> Result<(ExecKey, bool), HarnessError> {
        for k in [key(c, false), key(c, true)] {
            if let Some(&(_, applicable)) = self.memo.ends.get(&kstr(&k)) {
                return Ok((k, applicable));
            }
        }
        let e = self.full_end(h, c)?;
        // A guest that dies on the source at an instruction the source CPU
        // does not have was not built for it: there is no running guest to
        // migrate, so the guest does not count in this cell.
        let applicable = !matches!(
            e.exit,
            RunExit::Signaled {
                fault: Some(Fault {
                    kind: FaultKind::Illegal { needs: Some(_), .. },
                    ..
                }),
                ..
            }
        );
        let k = key(c, e.pvr_reads > 0);
        self.memo
            .ends
            .insert(kstr(&k), (e.pvr_reads > 0, applicable));
        Ok((k, applicable))
    }

    fn full_end(&mut self, h: &Harness<'_>, c: &CpuConfig) -> Result<SourceEnd, HarnessError> {
        for k in [key(c, false), key(c, true)] {
            if let Some(e) = self.ends.get(&k) {
                return Ok(e.clone());
            }
        }
        let e = h.source_end(c)?;
        self.source_runs += 1;
        self.ends.insert(key(c, e.pvr_reads > 0), e.clone());
        Ok(e)
    }

    fn outcome(
        &mut self,
        h: &Harness<'_>,
        at: At,
        src: &CpuConfig,
        dst: &CpuConfig,
    ) -> Result<Option<Outcome>, HarnessError> {
        let (sk, applicable) = self.source_key(h, src)?;
        if !applicable {
            return Ok(None);
        }
        for (sk, dk) in [
            (sk, key(dst, false)),
            (sk, key(dst, true)),
            (key(src, true), key(dst, true)),
        ] {
            if let Some(o) = self
                .memo
                .outcomes
                .get(&format!("{} -> {}", kstr(&sk), kstr(&dk)))
            {
                return Ok(Some(o.clone()));
            }
        }
        let end = self.full_end(h, src)?;
        if !self.checkpoints.contains_key(&sk) {
            // The machine type and profile shape only the stream's header
            // and subsections, not what the restored CPU executes.
            let setup = Setup {
                machine: find_machine("pseries-7.2").map_err(HarnessError::from)?,
                src: src.model,
                dst: dst.model,
                src_qemu: QemuVersion::NEWEST,
                dst_qemu: QemuVersion::NEWEST,
                max_compat: None,
                accel: crate::migration::policy::Accel::Tcg,
                src_htm: CapHtmSide::off(QemuVersion::NEWEST),
                dst_htm: CapHtmSide::off(QemuVersion::NEWEST),
            };
            let at = at.resolve(end.icount)?;
            let cp = h.checkpoint(&setup, src, at)?;
            self.source_runs += 1;
            self.checkpoints.insert(sk, cp);
        }
        let cp = &self.checkpoints[&sk];
        let hide32 = hide_xer32(src, dst);
        if let std::collections::btree_map::Entry::Vacant(e) = self.references.entry((sk, hide32)) {
            e.insert(h.reference(cp, src, &end, hide32)?);
        }
        let reference = &self.references[&(sk, hide32)];
        let t1 = std::time::Instant::now();
        let run = h.continuation(
            cp,
            dst,
            end.icount + 1,
            Harness::digest_gap(end.icount - cp.at),
            hide32,
        )?;
        self.destination_runs += 1;
        let o = h.compare(cp, src, reference, dst, &run)?;
        self.destination_time += t1.elapsed();
        // A divergence report names both CPUs and its class may depend on
        // the PVR (the start-up counterfactual), so it is kept only for the
        // exact configurations; a safe outcome holds for every PVR when
        // neither run read it.
        let exact = !o.is_safe();
        let sk = if exact { key(src, true) } else { sk };
        let dk = key(dst, exact || run.pvr_reads > 0 || reference.pvr_reads > 0);
        self.memo
            .outcomes
            .insert(format!("{} -> {}", kstr(&sk), kstr(&dk)), o.clone());
        Ok(Some(o))
    }
}

/// Where a guest's memo lives: named by the salt (the engine build), the
/// guest's bytes and arguments, and the run parameters.
fn memo_path(
    dir: &std::path::Path,
    salt: &[u8; 32],
    engine: &str,
    g: &Guest,
    spec: &MatrixSpec,
) -> std::path::PathBuf {
    let mut h = blake3::Hasher::new();
    h.update(salt);
    h.update(engine.as_bytes());
    h.update(&(g.bytes.len() as u64).to_le_bytes());
    h.update(&g.bytes);
    // Every string length-prefixed: argv[0] too (it is on the guest's stack).
    for list in [&g.argv, &g.envp] {
        h.update(&(list.len() as u64).to_le_bytes());
        for a in list {
            h.update(&(a.len() as u64).to_le_bytes());
            h.update(a.as_bytes());
        }
    }
    if let Some(ev) = &g.events {
        h.update(format!("{ev:?}").as_bytes());
    }
    h.update(format!("{}|{}|{}", spec.at, spec.max_insns, g.seed).as_bytes());
    dir.join(format!("{}.json", &h.finalize().to_hex()[..32]))
}

fn load_memo(p: &std::path::Path) -> Memo {
    // A missing, unreadable or stale file is a cache miss, never an error.
    std::fs::read(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Wall time spent, summed over worker threads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timing {
    /// All guest work.
    pub total: std::time::Duration,
    /// Destination runs and their comparison.
    pub destination: std::time::Duration,
}

/// Runs the matrix over `guests` (already filtered to this shard).
pub fn run_matrix(
    spec: &MatrixSpec,
    guests: &[Guest],
    shard: Option<(u32, u32)>,
    engine: EngineFactory<'_>,
    progress: &(dyn Fn() + Sync),
) -> Result<MatrixReport, MatrixError> {
    use rayon::prelude::*;
    let (plans, refused) = plan(spec);
    type Column = Vec<Option<Option<Diverged>>>;
    let per_guest: Vec<Result<(Column, u64, u64, Timing), MatrixError>> = guests
        .par_iter()
        .map(|g| {
            let h = Harness {
                guest: g,
                engine,
                max_insns: spec.max_insns,
                starts: Default::default(),
            };
            let t0 = std::time::Instant::now();
            let path = spec
                .cache
                .as_ref()
                .map(|(d, salt)| memo_path(d, salt, engine().name(), g, spec));
            let mut runs = GuestRuns {
                memo: path.as_deref().map(load_memo).unwrap_or_default(),
                ..GuestRuns::default()
            };
            let before = runs.memo.outcomes.len() + runs.memo.ends.len();
            let mut col = Vec::with_capacity(plans.len());
            for p in &plans {
                let o = runs
                    .outcome(&h, spec.at, &p.src, &p.dst)
                    .map_err(|source| MatrixError::Guest {
                        guest: g.path.clone(),
                        source,
                    })?;
                col.push(o.map(|o| {
                    match o {
                        Outcome::Safe { .. } => None,
                        Outcome::Diverged(d) => Some(Diverged {
                            guest: g.path.clone(),
                            class: serde_json::to_value(d.class)
                                .ok()
                                .and_then(|v| v.as_str().map(String::from))
                                .unwrap_or_default(),
                            icount: d.icount,
                            pc: d.pc,
                            disasm: d.disasm.clone(),
                            detail: d.detail.clone(),
                        }),
                    }
                }));
            }
            if let Some(p) = &path {
                if runs.memo.outcomes.len() + runs.memo.ends.len() != before {
                    let _ = std::fs::create_dir_all(
                        spec.cache.as_ref().map_or(p.as_path(), |c| c.0.as_path()),
                    );
                    if let Ok(b) = serde_json::to_vec(&runs.memo) {
                        // Best effort: a cache that cannot be written costs time, not results.
                        let _ = crate::sealed::write_atomically(p, ".ppcreplay-memo", &b);
                    }
                }
            }
            progress();
            let timing = Timing {
                total: t0.elapsed(),
                destination: runs.destination_time,
            };
            Ok((col, runs.source_runs, runs.destination_runs, timing))
        })
        .collect();
    let mut cells: Vec<Cell> = plans.into_iter().map(|p| p.cell).collect();
    let (mut src_runs, mut dst_runs) = (0, 0);
    let mut timing = Timing::default();
    for r in per_guest {
        let (col, s, d, t) = r?;
        src_runs += s;
        dst_runs += d;
        timing.total += t.total;
        timing.destination += t.destination;
        for (c, o) in cells.iter_mut().zip(col) {
            if let Some(o) = o {
                c.guests += 1;
                if let Some(d) = o {
                    c.diverged.push(d);
                }
            }
        }
    }
    for c in &mut cells {
        c.diverged.sort_by(|a, b| a.guest.cmp(&b.guest));
    }
    let mut rep = MatrixReport {
        version: MATRIX_VERSION,
        at: spec.at.to_string(),
        guests: guests.iter().map(|g| g.path.clone()).collect(),
        shards: shard.into_iter().collect(),
        cells,
        refused,
        summary: Vec::new(),
        destination_runs: dst_runs,
        source_runs: src_runs,
        timing,
    };
    rep.summary = summarize(&rep.cells);
    Ok(rep)
}

/// Counts per policy, in first-seen order.
pub fn summarize(cells: &[Cell]) -> Vec<PolicySummary> {
    let mut out: Vec<PolicySummary> = Vec::new();
    for c in cells {
        let i = match out.iter().position(|s| s.policy == c.policy) {
            Some(i) => i,
            None => {
                out.push(PolicySummary {
                    policy: c.policy.clone(),
                    ..Default::default()
                });
                out.len() - 1
            }
        };
        let s = &mut out[i];
        s.cells += 1;
        match c.assessment() {
            "safe" => s.accepted += 1,
            "false-accept" => {
                s.accepted += 1;
                s.false_accepts += 1
            }
            "false-reject" => {
                s.rejected += 1;
                s.false_rejects += 1
            }
            "untested" if c.accepted => s.accepted += 1,
            _ => s.rejected += 1,
        }
    }
    out
}

/// Which guests belong to shard `i` of `n` (1-based): every n-th guest.
pub fn in_shard(index: usize, shard: Option<(u32, u32)>) -> bool {
    match shard {
        None => true,
        Some((i, n)) => index % n as usize == (i as usize - 1),
    }
}

/// Joins shards of the same matrix (same spec, disjoint guests).
pub fn merge(parts: Vec<MatrixReport>) -> Result<MatrixReport, MatrixError> {
    let mut it = parts.into_iter();
    let mut acc = it
        .next()
        .ok_or_else(|| MatrixError::Merge("no parts given".into()))?;
    for p in it {
        if p.version != acc.version || p.at != acc.at || p.cells.len() != acc.cells.len() {
            return Err(MatrixError::Merge(
                "the parts were made with different versions, checkpoints or combinations".into(),
            ));
        }
        if p.guests.iter().any(|g| acc.guests.contains(g)) {
            return Err(MatrixError::Merge("two parts ran the same guest".into()));
        }
        for (a, b) in acc.cells.iter_mut().zip(p.cells) {
            let same = a.policy == b.policy
                && a.machine == b.machine
                && a.qemu == b.qemu
                && a.rule == b.rule
                && a.src_mode == b.src_mode
                && a.compat == b.compat
                && a.src == b.src
                && a.dst == b.dst
                && a.accepted == b.accepted;
            if !same {
                return Err(MatrixError::Merge(format!(
                    "cell {} {} {} {}→{} differs between parts",
                    a.policy, a.machine, a.compat, a.src, a.dst
                )));
            }
            a.guests += b.guests;
            a.diverged.extend(b.diverged);
        }
        acc.guests.extend(p.guests);
        acc.shards.extend(p.shards);
        acc.destination_runs += p.destination_runs;
        acc.source_runs += p.source_runs;
        acc.timing.total += p.timing.total;
        acc.timing.destination += p.timing.destination;
    }
    acc.guests.sort();
    acc.shards.sort();
    if let Some(&(_, n)) = acc.shards.first() {
        let want: Vec<(u32, u32)> = (1..=n).map(|i| (i, n)).collect();
        if acc.shards != want {
            return Err(MatrixError::Merge(format!(
                "the parts are shards {:?}; a complete matrix needs exactly 1/{n} … {n}/{n}",
                acc.shards
            )));
        }
    }
    for c in &mut acc.cells {
        c.diverged.sort_by(|a, b| a.guest.cmp(&b.guest));
    }
    acc.summary = summarize(&acc.cells);
    Ok(acc)
}
