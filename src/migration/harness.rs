//! The migration harness: run a guest on the source configuration, checkpoint
//! it into a real migration stream (encoded, sealed and decoded again), resume
//! the stream on a destination configuration and compare that run with the
//! source's own continuation from the same stream.
//!
//! Owns: guests and their inputs, checkpoints at exact instruction counts,
//! continuation runs with periodic state digests, the comparison, and the
//! classification of the first divergent instruction. Must not know: the CLI
//! or how results are rendered.
//!
//! Why both sides start from the stream: the reference is the source's
//! continuation *as the destination would have to reproduce it*. A test
//! (`tests/migrate.rs`) proves that restoring on the source model continues
//! exactly like the uninterrupted run, and [`Harness::reference`] re-checks it
//! on every run (exit, output and instruction count against the source's own
//! uninterrupted run), so the reference is the source's continuation.

use crate::cpu::compat::{set_compat, ActiveCompat, QemuVersion};
use crate::cpu::CpuModel;
use crate::exec::env::VirtualEnv;
use crate::exec::{Engine, Env, FaultKind};
use crate::isa::IsaLevel;
use crate::machine::pseries::{cas, GuestKernel, MachineError};
use crate::machine::{LoadError, LoadOptions, Machine, RunExit};
use crate::migration::policy::{decide_with, model_pvr, PolicyKind, Setup, Verdict};
use crate::migration::stream::{
    checkpoint, decode, restore, to_bytes, CountingEnv, ReplayPosition, RestoreError,
    RestoreOptions, Stream, StreamContext, StreamError,
};
use crate::replay::trace::Event;
use crate::replay::{fetch_insn, page_diff, reg_diff, Replayer};
use serde::Serialize;

/// A guest program and everything it reads.
#[derive(Clone, Debug)]
pub struct Guest {
    /// Path as given (messages, argv[0] default).
    pub path: String,
    /// The ELF image.
    pub bytes: Vec<u8>,
    /// argv (argv[0] included).
    pub argv: Vec<String>,
    /// Environment strings.
    pub envp: Vec<String>,
    /// Seed of the virtual environment (entropy).
    pub seed: u64,
    /// Inputs recorded in a trace (`None`: the virtual environment).
    pub events: Option<Vec<Event>>,
    /// blake3 of the trace the inputs came from (hex).
    pub trace_blake3: Option<String>,
}

impl Guest {
    /// An ELF guest run in the deterministic virtual environment.
    pub fn elf(path: &str, bytes: Vec<u8>, args: &[String], seed: u64) -> Self {
        let mut argv = vec![path.to_string()];
        argv.extend(args.iter().cloned());
        Guest {
            path: path.to_string(),
            bytes,
            argv,
            envp: Vec::new(),
            seed,
            events: None,
            trace_blake3: None,
        }
    }

    /// A guest replayed from a trace: argv, environment, seed and every
    /// recorded input come from the trace.
    pub fn from_trace(t: &crate::replay::trace::Trace, path: &str, bytes: Vec<u8>) -> Self {
        Guest {
            path: path.to_string(),
            bytes,
            argv: t.header.argv.clone(),
            envp: t.header.envp.clone(),
            seed: t.header.seed,
            events: Some(t.events.clone()),
            trace_blake3: None,
        }
    }

    /// blake3 of the ELF (hex).
    pub fn blake3(&self) -> String {
        blake3::hash(&self.bytes).to_hex().to_string()
    }
}

/// Where to take the checkpoint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum At {
    /// After exactly this many retired instructions.
    Insns(u64),
    /// At this percentage of the source run's instructions (0 ≤ p < 100).
    Percent(f64),
}

impl At {
    /// Parses `40%` or `123456` (underscores allowed).
    pub fn parse(s: &str) -> Result<At, HarnessError> {
        let bad = || HarnessError::BadAt(s.to_string());
        let t = s.trim();
        if let Some(p) = t.strip_suffix('%') {
            let v: f64 = p.trim().parse().map_err(|_| bad())?;
            if !(0.0..100.0).contains(&v) {
                return Err(bad());
            }
            Ok(At::Percent(v))
        } else {
            t.replace('_', "").parse().map(At::Insns).map_err(|_| bad())
        }
    }

    /// The instruction count for a source run of `total` instructions.
    pub fn resolve(self, total: u64) -> Result<u64, HarnessError> {
        let n = match self {
            At::Insns(n) => n,
            At::Percent(p) => ((total as f64) * p / 100.0).floor() as u64,
        };
        if n >= total {
            return Err(HarnessError::AtPastEnd { at: n, total });
        }
        Ok(n)
    }
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Insns(n) => write!(f, "{n}"),
            At::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// Why the harness could not produce an outcome (input errors: exit 3).
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// `--at` does not parse.
    #[error("--at {0:?}: expected an instruction count (e.g. 1000000) or a percentage below 100 (e.g. 40%)")]
    BadAt(String),
    /// The checkpoint would be at or after the end of the run.
    #[error("checkpoint at instruction {at} is not before the end of the source run ({total} instructions)")]
    AtPastEnd {
        /// Requested count.
        at: u64,
        /// Instructions the source run retires.
        total: u64,
    },
    /// Loading the guest failed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// CAS or machine configuration failed (QEMU's message).
    #[error(transparent)]
    Machine(#[from] MachineError),
    /// The stream did not decode (an internal error: we wrote it).
    #[error("the checkpoint stream does not decode: {0}")]
    Stream(#[from] StreamError),
    /// The stream did not restore.
    #[error(transparent)]
    Restore(#[from] RestoreError),
    /// The trace's inputs do not fit a run on the source configuration.
    #[error("the trace's inputs do not fit a run on {model}: {detail}")]
    TraceOutOfStep {
        /// Source model.
        model: &'static str,
        /// What was asked.
        detail: String,
    },
    /// The source run did not finish within the budget.
    #[error("the source run did not end within {0} instructions (use --max-insns)")]
    SourceBudget(u64),
    /// Restoring on the source model did not continue like the uninterrupted
    /// run: the stream lost state (a bug in ppcreplay, reported, never hidden).
    #[error("internal error: the checkpoint restored on the source model ends differently from the uninterrupted run ({0})")]
    RestoreInfidelity(String),
}

/// The environment a guest reads: virtual, or a trace's recorded inputs.
pub enum GuestEnv {
    /// Deterministic virtual environment.
    Virtual(VirtualEnv),
    /// Recorded inputs.
    Replay(Replayer),
}

impl GuestEnv {
    fn out_of_step(&self) -> Option<String> {
        match self {
            GuestEnv::Replay(r) => r.out_of_step.as_ref().map(|o| {
                format!(
                    "guest asked for {} at instruction {}; the trace has {}",
                    o.asked, o.icount, o.expected
                )
            }),
            GuestEnv::Virtual(_) => None,
        }
    }
}

impl Env for GuestEnv {
    fn timebase(&mut self, icount: u64) -> u64 {
        match self {
            GuestEnv::Virtual(e) => e.timebase(icount),
            GuestEnv::Replay(e) => e.timebase(icount),
        }
    }
    fn clock(&mut self, icount: u64, clock_id: u32) -> (i64, i64) {
        match self {
            GuestEnv::Virtual(e) => e.clock(icount, clock_id),
            GuestEnv::Replay(e) => e.clock(icount, clock_id),
        }
    }
    fn entropy(&mut self, icount: u64, purpose: crate::exec::env::EntropyUse, buf: &mut [u8]) {
        match self {
            GuestEnv::Virtual(e) => e.entropy(icount, purpose, buf),
            GuestEnv::Replay(e) => e.entropy(icount, purpose, buf),
        }
    }
    fn input(&mut self, icount: u64, fd: i32, buf: &mut [u8]) -> usize {
        match self {
            GuestEnv::Virtual(e) => e.input(icount, fd, buf),
            GuestEnv::Replay(e) => e.input(icount, fd, buf),
        }
    }
}

/// How a CPU executes the guest: model, compat mode (level and PCR) and the
/// PVR the guest reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuConfig {
    /// The model.
    pub model: &'static CpuModel,
    /// Active compat mode.
    pub compat: ActiveCompat,
    /// PVR the guest sees (`mfspr rD,PVR`, emulated by Linux).
    pub pvr: u32,
    /// The guest kernel enabled transactional memory at boot (QEMU offered it
    /// on the source: [`crate::migration::policy::CapHtmSide::advertises`]).
    /// The guest keeps it when it moves, so a destination runs with the
    /// source's value; the hardware still decides
    /// ([`crate::cpu::compat::tm_available`]).
    pub kernel_tm: bool,
}

impl CpuConfig {
    /// A short description: "power9_v2.2 in power8 mode (PCR 0x…), PVR 0x…".
    pub fn describe(&self) -> String {
        let mode = if self.compat.pvr == 0 {
            "raw mode".to_string()
        } else {
            format!("{} mode (PCR {:#x})", self.compat.name(), self.compat.pcr)
        };
        format!("{} in {mode}, PVR {:#010x}", self.model.name, self.pvr)
    }

    /// Whether TM instructions work in this configuration.
    pub fn tm(&self) -> bool {
        crate::cpu::compat::tm_available(
            self.kernel_tm,
            self.model,
            self.compat.level,
            self.compat.pcr,
        )
    }

    /// The MSR[TM] a CPU of this configuration runs with
    /// ([`crate::cpu::compat::tm_msr`]).
    fn set_msr_tm(&self, m: &mut Machine) {
        m.cpu.state.msr &= !crate::cpu::msr::TM;
        if crate::cpu::compat::tm_msr(self.kernel_tm, self.model) {
            m.cpu.state.msr |= crate::cpu::msr::TM;
        }
    }
}

/// A checkpoint: the stream as the destination receives it.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    /// Retired instructions at the checkpoint.
    pub at: u64,
    /// The decoded stream.
    pub stream: Stream,
    /// Its encoded size in bytes.
    pub bytes: usize,
    /// blake3 of the encoded stream.
    pub blake3: blake3::Hash,
}

/// How a run from a checkpoint went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Continuation {
    /// How it ended (budget exhausted = still running at the reference's end).
    pub exit: RunExit,
    /// Retired instructions at the end (absolute).
    pub icount: u64,
    /// blake3 of the whole output (fd, bytes in order), hex.
    pub output: String,
    /// (instruction count, state digest) after the checkpoint, ascending.
    pub digests: Vec<(u64, [u8; 32])>,
    /// Digest at the end.
    pub final_digest: [u8; 32],
    /// `mfspr rD,PVR` executed after the checkpoint.
    pub pvr_reads: u64,
}

/// Why a migrated guest stopped behaving like the source's continuation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationClass {
    /// The destination does not have the instruction (its ISA level or
    /// compat mode), and the program needs it whichever CPU it starts on.
    IllegalOnDestination,
    /// The guest chose code from the features advertised at start-up
    /// (AT_HWCAP/AT_HWCAP2 → glibc ifuncs) that the destination lacks: started
    /// on the destination the guest runs.
    StartupFeatureMissing,
    /// A facility the destination lacks (vector/VSX disabled by the PCR,
    /// transactional memory).
    FacilityMissing,
    /// The guest read the PVR and got a different value.
    ReadPvr,
    /// The same instruction computed a different result.
    DifferentResult,
    /// The guest made a different system call.
    DifferentSyscall,
    /// Same state at every instruction, different exit or output.
    DifferentEnd,
}

impl MigrationClass {
    /// Human text.
    pub fn text(&self) -> &'static str {
        match self {
            MigrationClass::IllegalOnDestination => "instruction illegal on the destination",
            MigrationClass::StartupFeatureMissing => {
                "feature advertised at start-up (HWCAP) missing on the destination"
            }
            MigrationClass::FacilityMissing => "facility missing on the destination",
            MigrationClass::ReadPvr => "guest read the PVR",
            MigrationClass::DifferentResult => "different result",
            MigrationClass::DifferentSyscall => "different system call",
            MigrationClass::DifferentEnd => "different exit or output",
        }
    }
}

/// The first divergent instruction of a destination run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MigrationDivergence {
    /// Retired instructions before it.
    pub icount: u64,
    /// Its address.
    pub pc: u64,
    /// The function it is in (ELF symbol + offset), if known.
    pub function: Option<String>,
    /// Its disassembly.
    pub disasm: String,
    /// Classification.
    pub class: MigrationClass,
    /// Register differences (`name: source -> destination`).
    pub registers: Vec<String>,
    /// Pages whose contents differ.
    pub pages: Vec<u64>,
    /// Explanation.
    pub detail: String,
}

/// What happened on the destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Outcome {
    /// Identical to the source's continuation: every digest, the output, the
    /// exit status and the instruction count.
    Safe {
        /// Digests compared.
        digests: usize,
        /// Instructions run on the destination.
        insns: u64,
    },
    /// It diverged.
    Diverged(Box<MigrationDivergence>),
}

impl Outcome {
    /// Safe?
    pub fn is_safe(&self) -> bool {
        matches!(self, Outcome::Safe { .. })
    }
}

/// Creates execution engines (one per run).
pub type EngineFactory<'a> = &'a (dyn Fn() -> Box<dyn Engine> + Sync);

/// Runs of one guest: source, checkpoints, continuations.
pub struct Harness<'a> {
    /// The guest.
    pub guest: &'a Guest,
    /// Engines.
    pub engine: EngineFactory<'a>,
    /// Upper bound on any run (instructions).
    pub max_insns: u64,
    /// Ends of runs from the start, per (level, PCR, PVR), for the
    /// start-up-feature counterfactual (`None`: the run did not end).
    pub starts: std::cell::RefCell<Vec<(StartKey, Option<RunEnd>)>>,
}

/// How a run ended: exit and output digest.
pub type RunEnd = (RunExit, String);

/// How a run from the start executes: (model, level, PCR, PVR, guest kernel
/// TM enable). The model is part of the key because it decides more than the
/// PVR (its facilities: POWER10 has no TM whatever its PCR), and so is the
/// kernel's TM enable (a POWER9 guest booted with cap-htm=off has no TM).
pub type StartKey = (&'static str, IsaLevel, u64, u32, bool);

/// Digests taken per continuation (the search window is the gap between two).
const DIGESTS_PER_RUN: u64 = 16;
/// Smallest gap between two digests.
const MIN_DIGEST_GAP: u64 = 20_000;

fn load_config(cfg: &CpuConfig) -> LoadOptions {
    LoadOptions {
        level: Some(cfg.compat.level),
        pcr: cfg.compat.pcr,
        ..LoadOptions::default()
    }
}

/// The result of a source run from the start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceEnd {
    /// How it ended.
    pub exit: RunExit,
    /// Instructions retired.
    pub icount: u64,
    /// Output digest (hex).
    pub output: String,
    /// `mfspr rD,PVR` executed (0: the run does not depend on the PVR).
    pub pvr_reads: u64,
}

impl<'a> Harness<'a> {
    fn env_at_start(&self) -> GuestEnv {
        match &self.guest.events {
            Some(ev) => GuestEnv::Replay(Replayer::new(ev)),
            None => GuestEnv::Virtual(VirtualEnv::new(self.guest.seed)),
        }
    }

    fn env_at(&self, st: &Stream) -> GuestEnv {
        match &self.guest.events {
            Some(ev) => {
                let from = (st.replay.events_consumed as usize).min(ev.len());
                GuestEnv::Replay(Replayer::new(&ev[from..]))
            }
            None => GuestEnv::Virtual(crate::migration::stream::virtual_env_at(&st.replay)),
        }
    }

    /// Loads the guest fresh on `cfg`.
    pub fn start(&self, cfg: &CpuConfig) -> Result<(Machine, CountingEnv<GuestEnv>), HarnessError> {
        let mut env = CountingEnv::new(self.env_at_start());
        let mut opts = load_config(cfg);
        opts.argv = self.guest.argv.clone();
        opts.envp = self.guest.envp.clone();
        let mut m = Machine::load(
            &self.guest.path,
            &self.guest.bytes,
            cfg.model,
            &mut env,
            &opts,
        )?;
        m.cpu.state.pvr = cfg.pvr;
        // The guest kernel's TM enable (Cpu::new assumed `run`'s: the model's).
        cfg.set_msr_tm(&mut m);
        Ok((m, env))
    }

    /// Runs the guest from the start to its end on `cfg`.
    pub fn source_end(&self, cfg: &CpuConfig) -> Result<SourceEnd, HarnessError> {
        let (mut m, mut env) = self.start(cfg)?;
        let mut e = (self.engine)();
        let exit = m.run(e.as_mut(), &mut env, Some(self.max_insns));
        if let Some(d) = env.inner.out_of_step() {
            return Err(HarnessError::TraceOutOfStep {
                model: cfg.model.name,
                detail: d,
            });
        }
        if exit == RunExit::BudgetExhausted {
            return Err(HarnessError::SourceBudget(self.max_insns));
        }
        Ok(SourceEnd {
            exit,
            icount: m.cpu.icount,
            output: m.os.output_hash.finalize().to_hex().to_string(),
            pvr_reads: m.os.pvr_reads,
        })
    }

    /// Runs the guest on the source configuration to instruction `at` and
    /// takes the checkpoint QEMU's source would send under `setup`'s machine
    /// type and QEMU profile.
    pub fn checkpoint(
        &self,
        setup: &Setup,
        cfg: &CpuConfig,
        at: u64,
    ) -> Result<Checkpoint, HarnessError> {
        let (mut m, mut env) = self.start(cfg)?;
        let mut e = (self.engine)();
        m.run(e.as_mut(), &mut env, Some(at));
        if let Some(d) = env.inner.out_of_step() {
            return Err(HarnessError::TraceOutOfStep {
                model: cfg.model.name,
                detail: d,
            });
        }
        let mut ctx = StreamContext::new(&m, setup.machine.clone(), setup.src_qemu);
        ctx.source_pvr = model_pvr(cfg.model, setup.src_qemu);
        ctx.compat_pvr = cfg.compat.pvr;
        ctx.guest_blake3 = Some(self.guest.blake3());
        ctx.replay = ReplayPosition {
            events_consumed: env.events,
            entropy_consumed: env.entropy_bytes,
            seed: self.guest.seed,
            trace_blake3: self.guest.trace_blake3.clone(),
        };
        let bytes = to_bytes(&checkpoint(&m, &ctx));
        let stream = decode(&bytes)?;
        Ok(Checkpoint {
            at: m.cpu.icount,
            stream,
            bytes: bytes.len(),
            blake3: blake3::hash(&bytes),
        })
    }

    /// Restores `cp` and configures the CPU as `cfg` says. The stream is
    /// restored on its own source model (always valid) and the CPU is then
    /// switched: the verdict, not the restore, decides whether QEMU would
    /// have loaded it; rejected migrations still run (hypothetically) so that
    /// over-strict rejects show.
    pub fn resume(
        &self,
        cp: &Checkpoint,
        cfg: &CpuConfig,
    ) -> Result<(Machine, GuestEnv), HarnessError> {
        let src_model = crate::cpu::find_model(&cp.stream.header.source_model).unwrap_or(cfg.model);
        let opts = RestoreOptions {
            qemu: QemuVersion::NEWEST,
            dst_compat_pvr: 0,
            guest: Some(&self.guest.bytes),
        };
        let mut m = match restore(&cp.stream, src_model, &opts) {
            Ok(m) => m,
            // The source model may not exist under the newest profile's
            // rules for this compat mode; restore without it.
            Err(RestoreError::Compat(_)) => {
                let mut st = cp.stream.clone();
                st.compat = None;
                restore(&st, src_model, &opts)?
            }
            Err(e) => return Err(e.into()),
        };
        m.cpu.model = cfg.model;
        m.cpu.level = cfg.compat.level;
        m.cpu.state.pcr = cfg.compat.pcr;
        // MSR[TM]: the guest kernel's TM enable (it travels with the guest:
        // `cfg.kernel_tm` is the source's) on this configuration's hardware.
        cfg.set_msr_tm(&mut m);
        m.cpu.state.pvr = cfg.pvr;
        Ok((m, self.env_at(&cp.stream)))
    }

    /// Runs from `cp` on `cfg` until the guest ends or `limit` instructions
    /// (absolute), taking a digest every `gap` instructions.
    pub fn continuation(
        &self,
        cp: &Checkpoint,
        cfg: &CpuConfig,
        limit: u64,
        gap: u64,
        hide32: bool,
    ) -> Result<Continuation, HarnessError> {
        let (mut m, mut env) = self.resume(cp, cfg)?;
        let mut e = (self.engine)();
        let mut digests = Vec::new();
        let mut next = cp.at.saturating_add(gap);
        let exit = loop {
            let stop_at = next.min(limit);
            let x = m.run(e.as_mut(), &mut env, Some(stop_at));
            if x != RunExit::BudgetExhausted || m.cpu.icount >= limit {
                break x;
            }
            digests.push((m.cpu.icount, comparable_digest(&mut m, hide32)));
            next = next.saturating_add(gap);
        };
        Ok(Continuation {
            exit,
            icount: m.cpu.icount,
            output: m.os.output_hash.finalize().to_hex().to_string(),
            digests,
            final_digest: comparable_digest(&mut m, hide32),
            pvr_reads: m.os.pvr_reads,
        })
    }

    /// The gap between digests for a continuation of `remaining` instructions.
    pub fn digest_gap(remaining: u64) -> u64 {
        (remaining / DIGESTS_PER_RUN).max(MIN_DIGEST_GAP)
    }

    /// The source's continuation from `cp`, checked against the source's own
    /// uninterrupted run `end`.
    pub fn reference(
        &self,
        cp: &Checkpoint,
        cfg: &CpuConfig,
        end: &SourceEnd,
        hide32: bool,
    ) -> Result<Continuation, HarnessError> {
        let gap = Self::digest_gap(end.icount - cp.at);
        // One past the end: a run that ends in a fault stops *at* the count
        // of the faulting (unretired) instruction.
        let r = self.continuation(cp, cfg, end.icount + 1, gap, hide32)?;
        if r.exit != end.exit || r.icount != end.icount || r.output != end.output {
            return Err(HarnessError::RestoreInfidelity(format!(
                "uninterrupted: {:?} after {} instructions; restored: {:?} after {}",
                end.exit, end.icount, r.exit, r.icount
            )));
        }
        Ok(r)
    }

    /// Compares a destination continuation with the reference; on a
    /// difference, pins and classifies the first divergent instruction.
    pub fn compare(
        &self,
        cp: &Checkpoint,
        src: &CpuConfig,
        reference: &Continuation,
        dst: &CpuConfig,
        run: &Continuation,
    ) -> Result<Outcome, HarnessError> {
        let mut from = cp.at;
        let mut window = None;
        for (a, b) in reference.digests.iter().zip(&run.digests) {
            if a != b {
                window = Some((from, a.0.max(b.0)));
                break;
            }
            from = a.0;
        }
        let same_end = reference.exit == run.exit
            && reference.icount == run.icount
            && reference.output == run.output
            && reference.final_digest == run.final_digest
            && reference.digests.len() == run.digests.len();
        let (from, to) = match window {
            Some(w) => w,
            None if same_end => {
                return Ok(Outcome::Safe {
                    digests: reference.digests.len() + 1,
                    insns: run.icount - cp.at,
                })
            }
            None => (from, reference.icount.max(run.icount)),
        };
        let d = self.search(cp, src, dst, from, to)?;
        Ok(Outcome::Diverged(Box::new(d)))
    }

    /// Steps the source continuation and the destination in lockstep from
    /// `from` (where they agree) and reports the first instruction after which
    /// they differ.
    pub fn search(
        &self,
        cp: &Checkpoint,
        src: &CpuConfig,
        dst: &CpuConfig,
        from: u64,
        to: u64,
    ) -> Result<MigrationDivergence, HarnessError> {
        let (mut a, mut env_a) = self.resume(cp, src)?;
        let (mut b, mut env_b) = self.resume(cp, dst)?;
        let (mut ea, mut eb) = ((self.engine)(), (self.engine)());
        a.run(ea.as_mut(), &mut env_a, Some(from));
        b.run(eb.as_mut(), &mut env_b, Some(from));
        loop {
            let ic = b.cpu.icount;
            let pc = b.cpu.state.pc;
            let r0 = (a.cpu.state.gpr[0], b.cpu.state.gpr[0]);
            let pvr_reads = b.os.pvr_reads;
            // Decoded before the step (it may rewrite its own code); the
            // text and the symbol are only made for the report.
            let insn = fetch_insn(&mut b, pc);
            let is_sc = insn
                .as_ref()
                .and_then(|i| i.def())
                .is_some_and(|d| d.mnemonic.starts_with("sc"));
            let xa = a.run(ea.as_mut(), &mut env_a, Some(ic + 1));
            let xb = b.run(eb.as_mut(), &mut env_b, Some(ic + 1));
            let mk = |class, registers, pages, detail| MigrationDivergence {
                icount: ic,
                pc,
                function: b
                    .image
                    .symbolize(pc)
                    .map(|(n, off)| format!("{n}+{off:#x}")),
                disasm: match &insn {
                    Some(i) => crate::isa::disasm::disasm(i, pc),
                    None => "(not fetchable)".into(),
                },
                class,
                registers,
                pages,
                detail,
            };
            if let RunExit::Signaled { fault: Some(f), .. } = xb {
                if xa != xb {
                    let (class, detail) = self.classify_fault(src, dst, f.kind)?;
                    return Ok(mk(class, vec![], vec![], detail));
                }
            }
            let hide32 = hide_xer32(src, dst);
            let regs = reg_diff(
                &comparable(&a.cpu.state, hide32),
                &comparable(&b.cpu.state, hide32),
            );
            // With equal registers and memory before it, an instruction can
            // only write memory differently when the kernel does it: compare
            // memory after system calls (cheap; a digest per step is not).
            let mem_differs =
                regs.is_empty() && xa == xb && is_sc && a.mem.digest_mut() != b.mem.digest_mut();
            if !regs.is_empty() || xa != xb || mem_differs {
                let pages = page_diff(&a, &b);
                if b.os.pvr_reads > pvr_reads {
                    let detail = format!(
                        "mfspr PVR (emulated by Linux) returns {:#010x} on the destination, {:#010x} on the source",
                        dst.pvr, src.pvr
                    );
                    return Ok(mk(MigrationClass::ReadPvr, regs, pages, detail));
                }
                let class = if is_sc && (r0.0 != r0.1 || mem_differs) {
                    MigrationClass::DifferentSyscall
                } else {
                    MigrationClass::DifferentResult
                };
                let detail = format!(
                    "source: {}; destination: {}",
                    exit_text(&xa),
                    exit_text(&xb)
                );
                return Ok(mk(class, regs, pages, detail));
            }
            let ended = xa != RunExit::BudgetExhausted || xb != RunExit::BudgetExhausted;
            if ended || b.cpu.icount >= to {
                let pages = page_diff(&a, &b);
                let class = if pages.is_empty() {
                    MigrationClass::DifferentEnd
                } else {
                    MigrationClass::DifferentResult
                };
                return Ok(mk(
                    class,
                    vec![],
                    pages,
                    "registers agree; memory or output differs".into(),
                ));
            }
        }
    }

    fn end_memo(&self, c: &CpuConfig) -> Option<RunEnd> {
        let k = (
            c.model.name,
            c.compat.level,
            c.compat.pcr,
            c.pvr,
            c.kernel_tm,
        );
        if let Some((_, v)) = self.starts.borrow().iter().find(|(x, _)| *x == k) {
            return v.clone();
        }
        let v = self.source_end(c).ok().map(|e| (e.exit, e.output));
        self.starts.borrow_mut().push((k, v.clone()));
        v
    }

    /// Classifies a fault only the destination took.
    fn classify_fault(
        &self,
        src: &CpuConfig,
        dst: &CpuConfig,
        kind: FaultKind,
    ) -> Result<(MigrationClass, String), HarnessError> {
        let FaultKind::Illegal {
            needs,
            word,
            prefix,
        } = kind
        else {
            return Ok((
                MigrationClass::DifferentResult,
                format!("the destination faulted: {kind:?}"),
            ));
        };
        // A facility the source has and the destination lacks (transactional
        // memory on POWER10 or under PCR[TM_DIS], vector/VSX under
        // PCR[VEC_DIS]/[VSX_DIS]): decided from the instruction's facility —
        // or, for mfspr/mtspr, the SPR's — and each side's facility set. An
        // instruction newer than the destination's level is a level matter
        // (below), whatever its facility.
        if let Some((f, lvl)) = insn_facility(word, prefix) {
            let has = |c: &CpuConfig| {
                crate::cpu::compat::facility_available(
                    c.kernel_tm,
                    c.model,
                    c.compat.level,
                    c.compat.pcr,
                    f,
                )
            };
            if lvl <= dst.compat.level && has(src) && !has(dst) {
                return Ok((
                    MigrationClass::FacilityMissing,
                    format!(
                        "{} is not available on the destination ({}); the source ({}) has it",
                        facility_name(f),
                        dst.describe(),
                        src.describe()
                    ),
                ));
            }
        }
        let Some(level) = needs else {
            // Known everywhere but disabled by the PCR (VEC_DIS/VSX_DIS).
            return Ok((
                MigrationClass::FacilityMissing,
                format!(
                    "the instruction's facility is disabled on the destination ({}); \
                     the source ({}) has it",
                    dst.describe(),
                    src.describe()
                ),
            ));
        };
        let dst_has = format!(
            "needs {}; the destination {} implements {}",
            level_name(level),
            dst.describe(),
            level_name(dst.compat.level)
        );
        // Counterfactual: start the guest on the destination. If it runs
        // there to the same end, the code path came from what the source
        // advertised at start-up (AT_HWCAP/AT_HWCAP2), not from the build.
        let started_there = self.end_memo(dst);
        let src_end = self.end_memo(src);
        match (started_there, src_end) {
            (Some(a), Some(b)) if a == b => Ok((
                MigrationClass::StartupFeatureMissing,
                format!(
                    "{dst_has}. The guest chose this code from the features advertised at \
                     start-up on the source ({}); started on the destination it runs to the same end",
                    level_name(src.compat.level)
                ),
            )),
            _ => Ok((
                MigrationClass::IllegalOnDestination,
                format!("{dst_has}; the program needs it wherever it starts"),
            )),
        }
    }
}

/// Whether OV32/CA32 are outside the comparison: they exist only from ISA
/// 3.0, so when either side runs at an older level the field is not
/// architected there and a stale value is invisible (mfxer masks it); a
/// difference the guest can see shows up in the register it reads into.
pub fn hide_xer32(a: &CpuConfig, b: &CpuConfig) -> bool {
    a.compat.level.min(b.compat.level) < IsaLevel::V3_0
}

fn comparable(s: &crate::cpu::ArchState, hide32: bool) -> crate::cpu::ArchState {
    let mut c = s.clone();
    // MSR[TM] is not architected program state (as in the canonical bytes):
    // it is the kernel's enable on each side's hardware. Both sides carry the
    // same kernel enable (CpuConfig::kernel_tm), so it differs only where the
    // hardware does — and that shows in what the program does (the first TM
    // instruction faults on one side: facility-missing), not in a register.
    c.msr &= !crate::cpu::msr::TM;
    if hide32 {
        c.xer_ov32 = 0;
        c.xer_ca32 = 0;
    }
    c
}

/// The machine's state digest with the fields outside the comparison
/// cleared (see [`hide_xer32`]).
fn comparable_digest(m: &mut Machine, hide32: bool) -> [u8; 32] {
    if !hide32 {
        return *m.state_digest().as_bytes();
    }
    let mut h = blake3::Hasher::new();
    h.update(comparable(&m.cpu.state, true).digest().as_bytes());
    h.update(m.mem.digest_mut().as_bytes());
    h.update(&m.cpu.icount.to_le_bytes());
    *h.finalize().as_bytes()
}

/// The facility an encoding needs: its table row's, or for `mfspr`/`mtspr`
/// the user SPR's ([`crate::cpu::spr`]), with the level that introduced it.
/// `None` for an unknown encoding or SPR.
fn insn_facility(word: u32, prefix: u32) -> Option<(crate::isa::Facility, IsaLevel)> {
    use crate::isa::table::System;
    let i = crate::isa::decode_at(
        if prefix != 0 { prefix } else { word },
        (prefix != 0).then_some(word),
    );
    let d = i.def()?;
    match d.op {
        crate::isa::Op::System(System::Mfspr | System::Mtspr) => {
            let spr = i.bits(11, 15) | (i.bits(16, 20) << 5);
            crate::cpu::spr::user_spr(spr).map(|s| (s.facility, s.level))
        }
        _ => Some((d.facility, d.level)),
    }
}

/// How a facility is named in reports.
fn facility_name(f: crate::isa::Facility) -> &'static str {
    use crate::isa::Facility;
    match f {
        Facility::Base => "the base facility",
        Facility::Fp => "floating point",
        Facility::Vmx => "the vector facility (VMX)",
        Facility::Vsx => "the vector-scalar facility (VSX)",
        Facility::Tm => "transactional memory (TM)",
        Facility::Dfp => "decimal floating point",
        Facility::Mma => "matrix-multiply assist (MMA)",
    }
}

fn level_name(l: IsaLevel) -> String {
    l.to_string()
}

fn exit_text(x: &RunExit) -> String {
    match x {
        RunExit::Exited(c) => format!("exited {c}"),
        RunExit::Signaled { signal, .. } => format!("killed by signal {signal}"),
        RunExit::BudgetExhausted => "running".into(),
    }
}

/// The CPU configuration of the source after CAS: the negotiated compat mode
/// on `setup.src` under `setup.src_qemu`, with the model's PVR.
pub fn source_config(setup: &Setup, kernel: Option<&str>) -> Result<CpuConfig, HarnessError> {
    let k = GuestKernel::new(kernel).map_err(MachineError::from)?;
    let r = cas(
        setup.src,
        &setup.machine,
        setup.max_compat,
        &k,
        setup.src_qemu,
    )?;
    Ok(CpuConfig {
        model: setup.src,
        compat: r.compat,
        pvr: model_pvr(setup.src, setup.src_qemu),
        // QEMU offers TM in ibm,pa-features per the source's cap-htm and the
        // compat mode CAS chose; the kernel decides once, at boot.
        kernel_tm: setup.src_htm.advertises(r.compat.level),
    })
}

/// The destination CPU configuration a verdict implies: the compat mode and
/// PVR after the load. A rejected migration is run as if it had been forced:
/// with the verdict's compat mode when the destination supports it, else in
/// raw mode, keeping the source's PVR (TCG).
pub fn destination_config(setup: &Setup, src: &CpuConfig, v: &Verdict) -> CpuConfig {
    let compat = set_compat(setup.dst, v.compat, setup.dst_qemu)
        .unwrap_or_else(|_| ActiveCompat::raw(setup.dst));
    CpuConfig {
        model: setup.dst,
        compat,
        pvr: v.post_load_pvr.unwrap_or(src.pvr),
        kernel_tm: src.kernel_tm,
    }
}

/// One evaluated migration: the verdict and what the destination did.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// The policy's verdict.
    pub verdict: Verdict,
    /// The destination configuration that ran.
    pub destination: CpuConfig,
    /// The outcome.
    pub outcome: Outcome,
}

/// Verdicts of `policies` for a running source in `src.compat`.
pub fn verdicts(setup: &Setup, src: &CpuConfig, policies: &[PolicyKind]) -> Vec<Verdict> {
    policies
        .iter()
        .map(|&p| decide_with(setup, p, src.compat.pvr))
        .collect()
}

/// What `migrate` evaluates.
pub struct MigrateRequest<'a> {
    /// The resolved pair.
    pub setup: &'a Setup,
    /// The guest.
    pub guest: &'a Guest,
    /// Guest kernel generation doing CAS on the source (None: current).
    pub kernel: Option<&'a str>,
    /// Checkpoint positions.
    pub at: &'a [At],
    /// Policies to evaluate (the first is the primary one).
    pub policies: &'a [PolicyKind],
    /// Engines.
    pub engine: EngineFactory<'a>,
    /// Bound on any run.
    pub max_insns: u64,
}

/// One policy's verdict and outcome at one checkpoint.
#[derive(Clone, Debug)]
pub struct PolicyOutcome {
    /// Verdict.
    pub verdict: Verdict,
    /// Destination configuration run.
    pub destination: CpuConfig,
    /// What happened.
    pub outcome: Outcome,
}

/// Results at one checkpoint.
#[derive(Clone, Debug)]
pub struct PointResult {
    /// As requested.
    pub spec: At,
    /// Instruction count.
    pub at: u64,
    /// Encoded stream size.
    pub stream_bytes: usize,
    /// blake3 of the encoded stream.
    pub stream_blake3: blake3::Hash,
    /// Whether the stream carries `cpu/compat`.
    pub sent_compat: bool,
    /// Per policy, in request order.
    pub outcomes: Vec<PolicyOutcome>,
}

/// A whole `migrate` evaluation.
#[derive(Clone, Debug)]
pub struct MigrationRun {
    /// Source configuration after CAS.
    pub source: CpuConfig,
    /// The source's uninterrupted run.
    pub source_end: SourceEnd,
    /// Per checkpoint.
    pub points: Vec<PointResult>,
    /// The first checkpoint's stream (for `--save-stream`).
    pub first_stream: Option<Stream>,
}

impl MigrationRun {
    /// The primary policy's outcomes over all points: the first divergence,
    /// if any.
    pub fn primary_divergence(&self) -> Option<(&PointResult, &PolicyOutcome)> {
        self.points.iter().find_map(|p| {
            p.outcomes
                .first()
                .filter(|o| !o.outcome.is_safe())
                .map(|o| (p, o))
        })
    }
}

/// Runs the source, checkpoints it at every requested point and, per policy,
/// runs the destination configuration the verdict implies (each distinct
/// configuration once per point) and compares it with the reference.
pub fn evaluate(r: &MigrateRequest<'_>) -> Result<MigrationRun, HarnessError> {
    let h = Harness {
        guest: r.guest,
        engine: r.engine,
        max_insns: r.max_insns,
        starts: Default::default(),
    };
    let src = source_config(r.setup, r.kernel)?;
    let end = h.source_end(&src)?;
    let verdicts = verdicts(r.setup, &src, r.policies);
    let mut points = Vec::new();
    let mut first_stream = None;
    for spec in r.at {
        let at = spec.resolve(end.icount)?;
        let cp = h.checkpoint(r.setup, &src, at)?;
        let mut references: Vec<(bool, Continuation)> = Vec::new();
        let mut done: Vec<(CpuConfig, Outcome)> = Vec::new();
        let mut outcomes = Vec::new();
        for v in &verdicts {
            let dst = destination_config(r.setup, &src, v);
            let outcome = match done.iter().find(|(c, _)| *c == dst) {
                Some((_, o)) => o.clone(),
                None => {
                    let hide32 = hide_xer32(&src, &dst);
                    if !references.iter().any(|(k, _)| *k == hide32) {
                        references.push((hide32, h.reference(&cp, &src, &end, hide32)?));
                    }
                    let reference = references
                        .iter()
                        .find(|(k, _)| *k == hide32)
                        .map(|(_, c)| c)
                        .expect("inserted above");
                    let run = h.continuation(
                        &cp,
                        &dst,
                        end.icount + 1,
                        Harness::digest_gap(end.icount - cp.at),
                        hide32,
                    )?;
                    let o = h.compare(&cp, &src, reference, &dst, &run)?;
                    done.push((dst, o.clone()));
                    o
                }
            };
            outcomes.push(PolicyOutcome {
                verdict: v.clone(),
                destination: dst,
                outcome,
            });
        }
        let sent_compat = cp.stream.compat.is_some();
        let (at, stream_bytes, stream_blake3) = (cp.at, cp.bytes, cp.blake3);
        if first_stream.is_none() {
            first_stream = Some(cp.stream);
        }
        points.push(PointResult {
            spec: *spec,
            at,
            stream_bytes,
            stream_blake3,
            sent_compat,
            outcomes,
        });
    }
    Ok(MigrationRun {
        source: src,
        source_end: end,
        points,
        first_stream,
    })
}
