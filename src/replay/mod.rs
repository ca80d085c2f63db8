//! Deterministic record/replay.
//!
//! - [`HostEnv`]: live time and entropy from the host, real stdin (recording only).
//! - [`Recorder`]: wraps any [`Env`] and keeps every value it hands out, keyed by
//!   the retired-instruction count.
//! - [`Replayer`]: serves values from a trace; a request the trace does not have at
//!   that instruction count is a divergence, never a fallback.
//! - [`record`] / [`replay`]: drive a [`Machine`] with periodic state digests, and
//!   [`find_divergence`]: the first instruction where a replay differs from the
//!   recorded run (re-executed from the last matching digest, instruction by
//!   instruction, against a reference replay on the recorded model).
//!
//! This module knows nothing about the CLI.

pub mod trace;

use crate::cpu::{find_model, ArchState, CpuModel};
use crate::exec::env::EntropyUse;
use crate::exec::{Engine, Env, FaultKind, VirtualEnv};
use crate::isa::IsaLevel;
use crate::machine::{LoadError, LoadOptions, Machine, RunExit};
use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;
use trace::{Digest, End, Event, Header, Input, Record, Trace, TraceError, TraceWriter};

/// Default instructions between digests. With the incremental memory digest
/// (only pages written since the previous digest are rehashed) recording costs
/// about 1% at this interval on the corpus benchmarks; 5 M costs ~2%, 1 M ~6-7%.
pub const DEFAULT_DIGEST_EVERY: u64 = 20_000_000;

/// Live environment: host clocks and entropy, real stdin.
pub struct HostEnv {
    /// Use the host clock (else virtual time).
    pub host_clock: bool,
    /// Use host entropy (else the seeded generator).
    pub host_entropy: bool,
    virt: VirtualEnv,
    start: std::time::Instant,
}

impl HostEnv {
    /// A live environment; the parts not taken from the host are virtual(seed).
    pub fn new(host_clock: bool, host_entropy: bool, seed: u64) -> Self {
        HostEnv {
            host_clock,
            host_entropy,
            virt: VirtualEnv::new(seed),
            start: std::time::Instant::now(),
        }
    }
}

impl Env for HostEnv {
    fn timebase(&mut self, icount: u64) -> u64 {
        if self.host_clock {
            let ns = self.start.elapsed().as_nanos();
            (ns * crate::exec::env::TB_FREQ as u128 / 1_000_000_000) as u64
        } else {
            self.virt.timebase(icount)
        }
    }
    fn clock(&mut self, icount: u64, clock_id: u32) -> (i64, i64) {
        if !self.host_clock {
            return self.virt.clock(icount, clock_id);
        }
        if clock_id == 0 {
            let d = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            (d.as_secs() as i64, d.subsec_nanos() as i64)
        } else {
            let d = self.start.elapsed();
            (d.as_secs() as i64, d.subsec_nanos() as i64)
        }
    }
    fn entropy(&mut self, icount: u64, purpose: EntropyUse, buf: &mut [u8]) {
        let ok = self.host_entropy
            && std::fs::File::open("/dev/urandom")
                .and_then(|mut f| f.read_exact(buf))
                .is_ok();
        if !ok {
            self.virt.entropy(icount, purpose, buf);
        }
    }
    fn input(&mut self, _icount: u64, fd: i32, buf: &mut [u8]) -> usize {
        if fd != 0 {
            return 0;
        }
        std::io::stdin().read(buf).unwrap_or(0)
    }
}

/// Records every value an inner environment produces.
pub struct Recorder<E: Env> {
    inner: E,
    /// Events not yet written out.
    pub pending: Vec<Event>,
}

impl<E: Env> Recorder<E> {
    /// Wraps `inner`.
    pub fn new(inner: E) -> Self {
        Recorder {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<E: Env> Env for Recorder<E> {
    fn timebase(&mut self, icount: u64) -> u64 {
        let v = self.inner.timebase(icount);
        self.pending.push(Event {
            icount,
            input: Input::Timebase(v),
        });
        v
    }
    fn clock(&mut self, icount: u64, clock_id: u32) -> (i64, i64) {
        let (sec, nsec) = self.inner.clock(icount, clock_id);
        self.pending.push(Event {
            icount,
            input: Input::Clock {
                id: clock_id,
                sec,
                nsec,
            },
        });
        (sec, nsec)
    }
    fn entropy(&mut self, icount: u64, purpose: EntropyUse, buf: &mut [u8]) {
        self.inner.entropy(icount, purpose, buf);
        self.pending.push(Event {
            icount,
            input: Input::Entropy {
                purpose,
                bytes: buf.to_vec(),
            },
        });
    }
    fn input(&mut self, icount: u64, fd: i32, buf: &mut [u8]) -> usize {
        let n = self.inner.input(icount, fd, buf).min(buf.len());
        self.pending.push(Event {
            icount,
            input: Input::Read {
                fd,
                requested: buf.len() as u64,
                bytes: buf[..n].to_vec(),
            },
        });
        n
    }
}

/// An input request that does not match the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfStep {
    /// Instruction count of the request.
    pub icount: u64,
    /// What the guest asked for.
    pub asked: String,
    /// What the trace has next.
    pub expected: String,
}

/// Serves recorded values.
pub struct Replayer {
    events: VecDeque<Event>,
    /// First request that did not match, if any.
    pub out_of_step: Option<OutOfStep>,
}

impl Replayer {
    /// A replayer over a trace's events.
    pub fn new(events: &[Event]) -> Self {
        Replayer {
            events: events.iter().cloned().collect(),
            out_of_step: None,
        }
    }

    fn next(&mut self, icount: u64, asked: &str, ok: impl Fn(&Input) -> bool) -> Option<Input> {
        if self.out_of_step.is_some() {
            return None;
        }
        match self.events.front() {
            Some(e) if e.icount == icount && ok(&e.input) => {
                self.events.pop_front().map(|e| e.input)
            }
            other => {
                self.out_of_step = Some(OutOfStep {
                    icount,
                    asked: asked.to_string(),
                    expected: other.map_or("end of trace".into(), |e| {
                        format!("{} at instruction {}", describe(&e.input), e.icount)
                    }),
                });
                None
            }
        }
    }

    /// Events the replay did not consume.
    pub fn remaining(&self) -> usize {
        self.events.len()
    }
}

fn describe(i: &Input) -> String {
    match i {
        Input::Timebase(_) => "timebase read".into(),
        Input::Clock { id, .. } => format!("clock {id} read"),
        Input::Entropy { purpose, bytes } => {
            format!("{} bytes of entropy ({purpose:?})", bytes.len())
        }
        Input::Read { fd, requested, .. } => format!("read of {requested} bytes from fd {fd}"),
    }
}

impl Env for Replayer {
    fn timebase(&mut self, icount: u64) -> u64 {
        match self.next(icount, "timebase read", |i| matches!(i, Input::Timebase(_))) {
            Some(Input::Timebase(v)) => v,
            _ => 0,
        }
    }
    fn clock(&mut self, icount: u64, clock_id: u32) -> (i64, i64) {
        let asked = format!("clock {clock_id} read");
        match self.next(
            icount,
            &asked,
            |i| matches!(i, Input::Clock { id, .. } if *id == clock_id),
        ) {
            Some(Input::Clock { sec, nsec, .. }) => (sec, nsec),
            _ => (0, 0),
        }
    }
    fn entropy(&mut self, icount: u64, purpose: EntropyUse, buf: &mut [u8]) {
        let asked = format!("{} bytes of entropy ({purpose:?})", buf.len());
        let n = buf.len();
        match self.next(icount, &asked, |i| {
            matches!(i, Input::Entropy { purpose: p, bytes } if *p == purpose && bytes.len() == n)
        }) {
            Some(Input::Entropy { bytes, .. }) => buf.copy_from_slice(&bytes),
            _ => buf.fill(0),
        }
    }
    fn input(&mut self, icount: u64, fd: i32, buf: &mut [u8]) -> usize {
        let asked = format!("read of {} bytes from fd {fd}", buf.len());
        let n = buf.len() as u64;
        match self.next(
            icount,
            &asked,
            |i| matches!(i, Input::Read { fd: f, requested, .. } if *f == fd && *requested == n),
        ) {
            Some(Input::Read { bytes, .. }) => {
                let k = bytes.len().min(buf.len());
                buf[..k].copy_from_slice(&bytes[..k]);
                k
            }
            _ => 0,
        }
    }
}

/// Errors of record/replay.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// Trace file problem.
    #[error(transparent)]
    Trace(#[from] TraceError),
    /// Guest load problem.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Unknown model.
    #[error(transparent)]
    Model(#[from] crate::cpu::models::UnknownModel),
    /// The recorded compat mode cannot run on the replay model.
    #[error(transparent)]
    Compat(#[from] crate::cpu::compat::CompatError),
    /// Reading the guest.
    #[error("reading guest {path}: {source}")]
    Guest {
        /// Path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The guest file is not the one recorded.
    #[error("guest {path} has blake3 {found}, the trace was recorded with {expected}")]
    GuestMismatch {
        /// Path.
        path: String,
        /// Hash of the file given.
        found: String,
        /// Hash in the trace.
        expected: String,
    },
}

/// What to record.
pub struct RecordOptions<'a> {
    /// Guest path (stored in the header).
    pub guest_path: &'a str,
    /// Guest bytes.
    pub guest: &'a [u8],
    /// CPU model.
    pub model: &'static CpuModel,
    /// argv/envp.
    pub load: LoadOptions,
    /// Seed.
    pub seed: u64,
    /// Host clock.
    pub host_clock: bool,
    /// Host entropy.
    pub host_entropy: bool,
    /// Digest interval.
    pub digest_every: u64,
    /// Instruction limit.
    pub max_insns: Option<u64>,
    /// Pass guest output through to the host.
    pub passthrough: bool,
    /// The pseries configuration (machine, profile, negotiated compat), if any.
    pub pseries: Option<crate::machine::pseries::Pseries>,
}

fn exit_text(e: &RunExit) -> String {
    match e {
        RunExit::Exited(c) => format!("exit {c}"),
        RunExit::Signaled { signal, .. } => format!("signal {signal}"),
        RunExit::BudgetExhausted => "budget".into(),
    }
}

/// The periodic digest of a machine. Takes `&mut` so that the memory digest is
/// incremental ([`crate::mem::Memory::digest_mut`]): only pages written since
/// the previous digest are rehashed.
fn digest_of(m: &mut Machine) -> Digest {
    Digest {
        icount: m.cpu.icount,
        pc: m.cpu.state.pc,
        state: m.cpu.state.digest().to_hex().to_string(),
        memory: m.mem.digest_mut().to_hex().to_string(),
    }
}

/// Runs a guest while recording a trace to `out`. Returns the machine at the end
/// and how it exited.
pub fn record(
    opts: &RecordOptions,
    engine: &mut dyn Engine,
    out: &Path,
) -> Result<(Machine, RunExit), ReplayError> {
    let mut w = TraceWriter::create(out)?;
    let mut env = Recorder::new(HostEnv::new(opts.host_clock, opts.host_entropy, opts.seed));
    // The negotiated compatibility mode is part of the recorded run (the
    // header says so and replay applies it): the load must use it too.
    let mut load = opts.load.clone();
    if let Some(p) = &opts.pseries {
        load.level = Some(p.compat.level);
        load.pcr = p.compat.pcr;
    }
    let mut m = Machine::load(opts.guest_path, opts.guest, opts.model, &mut env, &load)?;
    if opts.pseries.is_some() {
        crate::machine::pseries::set_guest_tm(&mut m.cpu);
    }
    if opts.passthrough {
        m.passthrough_output();
    }
    w.write(&Record::Header(Header {
        guest_blake3: blake3::hash(opts.guest).to_hex().to_string(),
        guest_path: opts.guest_path.to_string(),
        model: opts.model.name.to_string(),
        compat: opts.pseries.as_ref().map(|p| p.compat.name().to_string()),
        compat_pvr: opts.pseries.as_ref().map_or(0, |p| p.compat.pvr),
        pcr: opts.pseries.as_ref().map_or(0, |p| p.compat.pcr),
        machine: opts.pseries.as_ref().map(|p| p.machine.name.clone()),
        qemu: opts.pseries.as_ref().map(|p| p.qemu.to_string()),
        engine: engine.name().to_string(),
        seed: opts.seed,
        clock: if opts.host_clock { "host" } else { "virtual" }.into(),
        entropy: if opts.host_entropy { "host" } else { "virtual" }.into(),
        argv: opts.load.argv.clone(),
        envp: opts.load.envp.clone(),
        digest_every: opts.digest_every,
    }))?;
    let limit = opts.max_insns.unwrap_or(u64::MAX);
    let every = opts.digest_every.max(1);
    let exit = loop {
        let next = (m.cpu.icount / every + 1).saturating_mul(every).min(limit);
        let exit = m.run(engine, &mut env, Some(next));
        for e in env.pending.drain(..) {
            w.write(&Record::Event(e))?;
        }
        if exit == RunExit::BudgetExhausted && m.cpu.icount < limit {
            w.write(&Record::Digest(digest_of(&mut m)))?;
            continue;
        }
        break exit;
    };
    w.write(&Record::End(End {
        icount: m.cpu.icount,
        exit: exit_text(&exit),
        exit_code: exit.exit_code(),
        output: m.os.output_hash.finalize().to_hex().to_string(),
        stdout_len: m.os.stdout.len() as u64,
        final_digest: digest_of(&mut m),
    }))?;
    w.finish()?;
    Ok((m, exit))
}

/// Why a replay differs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum DivergenceClass {
    /// The instruction does not exist on the replay model.
    IllegalOnModel,
    /// The instruction computed a different result.
    DifferentResult,
    /// The guest asked for an input the trace does not have there.
    InputOutOfStep,
    /// The guest made a different system call.
    DifferentSyscall,
    /// The run ended differently (exit status, output) with identical digests.
    DifferentEnd,
}

impl DivergenceClass {
    /// Human text.
    pub fn text(&self) -> &'static str {
        match self {
            DivergenceClass::IllegalOnModel => "instruction illegal on this model",
            DivergenceClass::DifferentResult => "different result",
            DivergenceClass::InputOutOfStep => "input request out of step",
            DivergenceClass::DifferentSyscall => "different syscall",
            DivergenceClass::DifferentEnd => "different exit or output",
        }
    }
}

/// The first point where a replay differs from the recording.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Divergence {
    /// Retired instructions before the divergent instruction.
    pub icount: u64,
    /// Its address.
    pub pc: u64,
    /// Its disassembly.
    pub disasm: String,
    /// Classification.
    pub class: DivergenceClass,
    /// Register differences (`name: recorded -> replayed`).
    pub registers: Vec<String>,
    /// Guest pages whose contents differ.
    pub pages: Vec<u64>,
    /// Extra detail (the ISA level needed, the input asked for, …).
    pub detail: String,
}

/// Result of a replay.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReplayReport {
    /// Model used for the replay.
    pub model: String,
    /// Digests compared (periodic + final).
    pub digests_checked: usize,
    /// Instructions replayed.
    pub icount: u64,
    /// `None` when identical.
    pub divergence: Option<Divergence>,
}

fn load_guest(trace: &Trace, guest: Option<&Path>) -> Result<(String, Vec<u8>), ReplayError> {
    let path = guest
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| trace.header.guest_path.clone());
    let bytes = std::fs::read(&path).map_err(|source| ReplayError::Guest {
        path: path.clone(),
        source,
    })?;
    let h = blake3::hash(&bytes).to_hex().to_string();
    if h != trace.header.guest_blake3 {
        return Err(ReplayError::GuestMismatch {
            path,
            found: h,
            expected: trace.header.guest_blake3.clone(),
        });
    }
    Ok((path, bytes))
}

struct Replay {
    m: Machine,
    env: Replayer,
}

fn start(
    trace: &Trace,
    path: &str,
    bytes: &[u8],
    model: &'static CpuModel,
) -> Result<Replay, ReplayError> {
    let mut env = Replayer::new(&trace.events);
    // The recorded compatibility mode stays active on the replay model, as it
    // would across a migration; a model that cannot run it is an error.
    let (level, pcr) = if trace.header.compat_pvr != 0 {
        let q = trace
            .header
            .qemu
            .as_deref()
            .and_then(crate::cpu::compat::QemuVersion::parse)
            .unwrap_or(crate::cpu::compat::QemuVersion::NEWEST);
        let c = crate::cpu::compat::set_compat(model, trace.header.compat_pvr, q)?;
        (Some(c.level), c.pcr)
    } else {
        (None, 0)
    };
    let opts = LoadOptions {
        argv: trace.header.argv.clone(),
        envp: trace.header.envp.clone(),
        level,
        pcr,
    };
    let mut m = Machine::load(path, bytes, model, &mut env, &opts)?;
    if trace.header.machine.is_some() {
        crate::machine::pseries::set_guest_tm(&mut m.cpu);
    }
    Ok(Replay { m, env })
}

/// Replays a trace on `model` (default: the recorded one) and verifies every
/// digest, the output and the exit status. On a difference, pins the first
/// divergent instruction.
pub fn replay(
    trace: &Trace,
    guest: Option<&Path>,
    model: Option<&'static CpuModel>,
    make_engine: &dyn Fn() -> Box<dyn Engine>,
) -> Result<ReplayReport, ReplayError> {
    let (path, bytes) = load_guest(trace, guest)?;
    let recorded_model = find_model(&trace.header.model)?;
    let model = model.unwrap_or(recorded_model);
    let mut r = start(trace, &path, &bytes, model)?;
    let mut engine = make_engine();
    let mut checked = 0;
    let mut last_good = 0u64;
    let mut mismatch_at = None;
    for d in &trace.digests {
        let exit = r.m.run(engine.as_mut(), &mut r.env, Some(d.icount));
        if exit != RunExit::BudgetExhausted
            || r.env.out_of_step.is_some()
            || digest_of(&mut r.m) != *d
        {
            mismatch_at = Some(d.icount);
            break;
        }
        checked += 1;
        last_good = d.icount;
    }
    if mismatch_at.is_none() {
        // A run that ended by exit or fault gets one instruction of slack: the
        // faulting instruction does not retire, so the fault happens "at" the
        // end count.
        let end_limit = if trace.end.exit == "budget" {
            trace.end.icount
        } else {
            trace.end.icount + 1
        };
        let exit = r.m.run(engine.as_mut(), &mut r.env, Some(end_limit));
        let end_ok = exit_text(&exit) == trace.end.exit
            && r.m.cpu.icount == trace.end.icount
            && digest_of(&mut r.m) == trace.end.final_digest
            && r.env.out_of_step.is_none();
        let out_ok = r.m.os.output_hash.finalize().to_hex().to_string() == trace.end.output;
        checked += 1;
        if end_ok && out_ok {
            return Ok(ReplayReport {
                model: model.name.into(),
                digests_checked: checked,
                icount: r.m.cpu.icount,
                divergence: None,
            });
        }
        mismatch_at = Some(trace.end.icount);
    }
    let limit = mismatch_at.unwrap_or(trace.end.icount) + 1;
    let div = find_divergence(
        trace,
        &path,
        &bytes,
        recorded_model,
        model,
        last_good,
        limit,
        make_engine,
    )?;
    Ok(ReplayReport {
        model: model.name.into(),
        digests_checked: checked,
        icount: div.icount,
        divergence: Some(div),
    })
}

pub(crate) fn reg_diff(a: &ArchState, b: &ArchState) -> Vec<String> {
    let mut v = Vec::new();
    for i in 0..32 {
        if a.gpr[i] != b.gpr[i] {
            v.push(format!("r{i}: {:#x} -> {:#x}", a.gpr[i], b.gpr[i]));
        }
    }
    for i in 0..64 {
        if a.vsr[i] != b.vsr[i] {
            v.push(format!(
                "vs{i}: {:#034x} -> {:#034x}",
                a.vsr128(i),
                b.vsr128(i)
            ));
        }
    }
    let pairs = [
        ("pc", a.pc, b.pc),
        ("lr", a.lr, b.lr),
        ("ctr", a.ctr, b.ctr),
        ("cr", a.cr as u64, b.cr as u64),
        ("xer", a.xer(), b.xer()),
        ("fpscr", a.fpscr, b.fpscr),
        ("vscr", a.vscr as u64, b.vscr as u64),
        ("msr", a.msr, b.msr),
    ];
    for (n, x, y) in pairs {
        if x != y {
            v.push(format!("{n}: {x:#x} -> {y:#x}"));
        }
    }
    v
}

pub(crate) fn page_diff(a: &Machine, b: &Machine) -> Vec<u64> {
    let pa: std::collections::BTreeMap<u64, blake3::Hash> = a
        .mem
        .pages()
        .map(|(ad, p, d)| (ad, hash_page(p, d)))
        .collect();
    let pb: std::collections::BTreeMap<u64, blake3::Hash> = b
        .mem
        .pages()
        .map(|(ad, p, d)| (ad, hash_page(p, d)))
        .collect();
    let mut keys: Vec<u64> = pa.keys().chain(pb.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter(|k| pa.get(k) != pb.get(k))
        .collect()
}

fn hash_page(p: u8, d: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(&[p]);
    h.update(d);
    h.finalize()
}

/// Finds the first instruction after `from` (a matching digest) where a replay
/// on `model` differs from a reference replay on the recorded model, by running
/// both to `from` and then stepping them in lockstep, comparing architected state
/// after every instruction (memory when the states agree but the run ends).
#[allow(clippy::too_many_arguments)]
pub fn find_divergence(
    trace: &Trace,
    path: &str,
    bytes: &[u8],
    recorded: &'static CpuModel,
    model: &'static CpuModel,
    from: u64,
    to: u64,
    make_engine: &dyn Fn() -> Box<dyn Engine>,
) -> Result<Divergence, ReplayError> {
    let mut a = start(trace, path, bytes, recorded)?;
    let mut b = start(trace, path, bytes, model)?;
    let (mut ea, mut eb) = (make_engine(), make_engine());
    a.m.run(ea.as_mut(), &mut a.env, Some(from));
    b.m.run(eb.as_mut(), &mut b.env, Some(from));
    let level = b.m.cpu.level;
    loop {
        let ic = b.m.cpu.icount;
        let pc = b.m.cpu.state.pc;
        let r0 = (a.m.cpu.state.gpr[0], b.m.cpu.state.gpr[0]);
        let text = disasm_at(&mut b.m, pc);
        let xa = a.m.run(ea.as_mut(), &mut a.env, Some(ic + 1));
        let xb = b.m.run(eb.as_mut(), &mut b.env, Some(ic + 1));
        let mk = |class, registers, pages, detail| Divergence {
            icount: ic,
            pc,
            disasm: text.clone(),
            class,
            registers,
            pages,
            detail,
        };
        if let Some(o) = &b.env.out_of_step {
            return Ok(mk(
                DivergenceClass::InputOutOfStep,
                vec![],
                vec![],
                format!(
                    "guest asked for {} at instruction {}; the trace has {}",
                    o.asked, o.icount, o.expected
                ),
            ));
        }
        if let RunExit::Signaled { fault: Some(f), .. } = xb {
            if xa != xb {
                if let FaultKind::Illegal { needs, .. } = f.kind {
                    let detail = match needs {
                        Some(l) => {
                            format!("needs {l}; {} implements {}", model.name, level_text(level))
                        }
                        None => "reserved encoding".into(),
                    };
                    return Ok(mk(DivergenceClass::IllegalOnModel, vec![], vec![], detail));
                }
                return Ok(mk(
                    DivergenceClass::DifferentResult,
                    vec![],
                    vec![],
                    format!("replay faulted: {:?}", f.kind),
                ));
            }
        }
        let regs = reg_diff(&a.m.cpu.state, &b.m.cpu.state);
        let ended = xa != RunExit::BudgetExhausted || xb != RunExit::BudgetExhausted;
        if !regs.is_empty() || xa != xb {
            let class = if text.starts_with("sc") && r0.0 != r0.1 {
                DivergenceClass::DifferentSyscall
            } else {
                DivergenceClass::DifferentResult
            };
            let pages = page_diff(&a.m, &b.m);
            return Ok(mk(
                class,
                regs,
                pages,
                format!("recorded {xa:?}, replayed {xb:?}"),
            ));
        }
        if ended || b.m.cpu.icount >= to {
            let pages = page_diff(&a.m, &b.m);
            let class = if pages.is_empty() {
                DivergenceClass::DifferentEnd
            } else {
                DivergenceClass::DifferentResult
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

fn level_text(l: IsaLevel) -> String {
    l.to_string()
}

pub(crate) fn disasm_at(m: &mut Machine, pc: u64) -> String {
    match fetch_insn(m, pc) {
        Some(i) => crate::isa::disasm::disasm(&i, pc),
        None => "(not fetchable)".into(),
    }
}

/// The instruction at `pc` in the thread's current endianness (`None` when it
/// cannot be fetched).
pub(crate) fn fetch_insn(m: &mut Machine, pc: u64) -> Option<crate::isa::Insn> {
    let le = m.cpu.state.little_endian();
    let w = m.mem.fetch(pc, le).ok()?;
    let next = m.mem.fetch(pc.wrapping_add(4), le).ok();
    Some(crate::isa::decode_at(w, next))
}
