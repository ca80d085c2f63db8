//! The `ppcreplay` command line: parse, call the library, print, map errors to
//! exit codes. No semantics live here.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use ppcreplay::cpu::{find_model, MODELS};
use ppcreplay::exec::interp::Interp;
use ppcreplay::exec::{Engine, VirtualEnv};
use ppcreplay::machine::{LoadOptions, Machine, RunExit};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Exit code for errors of ppcreplay itself (bad input, unknown model, …), kept
/// apart from guest exit codes where possible.
const TOOL_ERROR: u8 = 125;

#[derive(Parser)]
#[command(
    name = "ppcreplay",
    version,
    about = "Deterministic ppc64 engine: run, record/replay and check POWER CPU migrations"
)]
struct Cli {
    /// More logging (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    cmd: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum EngineKind {
    /// The reference interpreter.
    Interp,
    /// The x86-64 JIT (matches the interpreter bit for bit).
    #[cfg(target_arch = "x86_64")]
    Jit,
}

impl EngineKind {
    /// The JIT on x86-64 hosts, the interpreter (the specification) elsewhere.
    fn host_default() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            EngineKind::Jit
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            EngineKind::Interp
        }
    }
}

/// The pseries machine the guest runs under (compatibility mode negotiation).
#[derive(clap::Args, Clone, Debug, Default)]
struct PseriesArgs {
    /// pseries machine type (e.g. pseries-2.10); implied (newest) when any other
    /// option of this group is given. See `ppcreplay machines`.
    #[arg(long)]
    machine: Option<String>,
    /// Cap the negotiated compatibility mode (power6 … power11).
    #[arg(long)]
    max_cpu_compat: Option<String>,
    /// Generation of the guest kernel doing CAS (power8 … power11; default: current).
    #[arg(long)]
    guest_kernel: Option<String>,
    /// QEMU version whose rules apply (default: the newest modelled that has the
    /// machine type).
    #[arg(long)]
    qemu: Option<String>,
}

impl PseriesArgs {
    fn resolve(
        &self,
        model: &'static ppcreplay::cpu::CpuModel,
    ) -> Result<Option<ppcreplay::machine::pseries::Pseries>> {
        if self.machine.is_none()
            && self.max_cpu_compat.is_none()
            && self.guest_kernel.is_none()
            && self.qemu.is_none()
        {
            return Ok(None);
        }
        let newest = ppcreplay::machine::pseries::machine_types()
            .last()
            .map(|m| m.name.clone())
            .unwrap_or_default();
        let p = ppcreplay::machine::pseries::configure(
            model,
            self.machine.as_deref().unwrap_or(&newest),
            self.max_cpu_compat.as_deref(),
            self.guest_kernel.as_deref(),
            self.qemu.as_deref(),
        )?;
        eprintln!("ppcreplay: {}", ppcreplay::machine::pseries::describe(&p));
        Ok(Some(p))
    }
}

#[derive(clap::Args, Clone, Debug)]
struct MatrixArgs {
    /// Corpus directory (holds manifest.json).
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Only guests whose ELF path contains one of these texts (comma-separated).
    #[arg(long, value_delimiter = ',')]
    guests: Vec<String>,
    /// CPU models (comma-separated; default: all).
    #[arg(long, value_delimiter = ',')]
    models: Vec<String>,
    /// Machine types (comma-separated, or `all`; default: pseries-2.9, 2.12,
    /// 7.2, 11.1 — one per era of migration flags from 2.8 on).
    #[arg(long, value_delimiter = ',')]
    machines: Vec<String>,
    /// max-cpu-compat values (comma-separated, `unset` for none; default:
    /// unset,power8,power9).
    #[arg(long, value_delimiter = ',')]
    compat: Vec<String>,
    /// Policies (comma-separated; default: all four).
    #[arg(long, value_delimiter = ',')]
    policies: Vec<String>,
    /// QEMU profile for every machine type (default: each machine type's).
    #[arg(long)]
    qemu: Option<String>,
    /// `-machine cap-htm=` of every cell (default: each machine type's
    /// default, assumed off where TCG would refuse it; see `migrate --help`).
    #[arg(long, value_enum)]
    cap_htm: Option<CapHtmCli>,
    /// Checkpoint position (instruction count or percentage).
    #[arg(long, default_value = "50%")]
    at: String,
    /// Worker threads (default: all cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// Run only shard I of N (1-based), e.g. 2/4; join with `matrix merge`.
    #[arg(long)]
    shard: Option<String>,
    /// Write the full result as JSON (input of `matrix merge`).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write a Markdown report.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Write an HTML report (grids coloured by outcome, cells linked to their
    /// divergences).
    #[arg(long)]
    html: Option<PathBuf>,
    /// Execution engine (default: jit on x86-64 hosts, interp elsewhere).
    #[arg(long, value_enum, default_value_t = EngineKind::host_default())]
    engine: EngineKind,
    /// Directory of the run cache (default: $XDG_CACHE_HOME/ppcreplay or
    /// ~/.cache/ppcreplay). Results are keyed by this binary's blake3, the
    /// guest and the run parameters: a second run only runs what changed.
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Run everything, neither reading nor writing the cache.
    #[arg(long)]
    no_cache: bool,
}

#[derive(Subcommand, Clone, Debug)]
enum MatrixAction {
    /// Join the JSON parts of a sharded matrix.
    Merge {
        /// JSON files written by `matrix --shard I/N --json F`.
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// Write the merged JSON.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Write a Markdown report.
        #[arg(long)]
        markdown: Option<PathBuf>,
        /// Write an HTML report.
        #[arg(long)]
        html: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Source {
    /// Deterministic: derived from the instruction count / the seed.
    Virtual,
    /// Live from the host, recorded into the trace.
    Host,
}

#[derive(Subcommand)]
enum Command {
    /// Run a static ppc64 Linux executable deterministically.
    Run {
        /// The guest executable (ELF64, ppc64le or ppc64).
        guest: String,
        /// Arguments passed to the guest (after `--`).
        #[arg(last = true)]
        args: Vec<String>,
        /// CPU model (QEMU name or alias, case-insensitive): POWER7 … POWER11.
        #[arg(long, default_value = "POWER10")]
        cpu: String,
        /// Stop after this many retired instructions.
        #[arg(long)]
        max_insns: Option<u64>,
        /// Seed of the virtual entropy source (AT_RANDOM, getrandom, darn).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Print instructions retired and guest MIPS to stderr.
        #[arg(long)]
        stats: bool,
        /// Execution engine (default: jit on x86-64 hosts, interp elsewhere).
        #[arg(long, value_enum, default_value_t = EngineKind::host_default())]
        engine: EngineKind,
        /// Environment variables for the guest (`KEY=VALUE`, repeatable). The
        /// host environment is never passed (determinism).
        #[arg(long = "env")]
        envs: Vec<String>,
        #[command(flatten)]
        pseries: PseriesArgs,
    },
    /// Run a guest and record every nondeterministic input into a trace.
    Record {
        /// The guest executable.
        guest: String,
        /// Arguments passed to the guest (after `--`).
        #[arg(last = true)]
        args: Vec<String>,
        /// Output trace file (written to a temporary name, then renamed).
        #[arg(short, long)]
        output: PathBuf,
        /// CPU model.
        #[arg(long, default_value = "POWER10")]
        cpu: String,
        /// Take time from the host clock (recorded) instead of virtual time.
        #[arg(long, value_enum, default_value = "virtual")]
        clock: Source,
        /// Take entropy from the host (recorded) instead of the seeded generator.
        #[arg(long, value_enum, default_value = "virtual")]
        entropy: Source,
        /// Seed of the virtual entropy source.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Instructions between state digests.
        #[arg(long, default_value_t = ppcreplay::replay::DEFAULT_DIGEST_EVERY)]
        digest_every: u64,
        /// Stop after this many retired instructions.
        #[arg(long)]
        max_insns: Option<u64>,
        /// Environment variables for the guest (`KEY=VALUE`, repeatable).
        #[arg(long = "env")]
        envs: Vec<String>,
        /// Execution engine (default: jit on x86-64 hosts, interp elsewhere).
        #[arg(long, value_enum, default_value_t = EngineKind::host_default())]
        engine: EngineKind,
        #[command(flatten)]
        pseries: PseriesArgs,
    },
    /// Replay a trace and verify output, every digest and the exit status.
    Replay {
        /// The trace.
        trace: PathBuf,
        /// Replay on this CPU model instead of the recorded one.
        #[arg(long)]
        cpu: Option<String>,
        /// The guest ELF (default: the path stored in the trace).
        #[arg(long)]
        guest: Option<PathBuf>,
        /// Execution engine (default: jit on x86-64 hosts, interp elsewhere).
        #[arg(long, value_enum, default_value_t = EngineKind::host_default())]
        engine: EngineKind,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a trace's header, event counts and digests.
    Inspect {
        /// The trace or migration stream (told apart by their magic).
        trace: PathBuf,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the CPU models (PVR, family, ISA level, supported compat modes).
    Models {
        /// QEMU version whose compat rules apply.
        #[arg(long)]
        qemu: Option<String>,
    },
    /// List the pseries machine types and their migration flags.
    Machines,
    /// Would QEMU accept migrating a pseries guest from one CPU model to another,
    /// and would the guest then run exactly as on the source? Runs GUEST on the
    /// source, checkpoints it into a migration stream, resumes the stream on the
    /// destination and compares with the source's own continuation.
    /// Exit codes: 0 accepted (and safe), 1 rejected, 2 accepted but diverged,
    /// 3 or more: usage or input error.
    Migrate {
        /// Guest executable (ELF) or trace recorded by `ppcreplay record` (not
        /// used with --verdict-only).
        guest: Option<String>,
        /// Arguments passed to the guest (after `--`; ELF guests only).
        #[arg(last = true)]
        args: Vec<String>,
        /// Checkpoint position: an instruction count or a percentage of the
        /// source run (repeatable: every point is checked).
        #[arg(long, default_value = "50%")]
        at: Vec<String>,
        /// Generation of the guest kernel doing CAS on the source (power8 …
        /// power11; default: current).
        #[arg(long)]
        guest_kernel: Option<String>,
        /// Seed of the virtual entropy source (ELF guests).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Bound on every run, in instructions.
        #[arg(long, default_value_t = 20_000_000_000)]
        max_insns: u64,
        /// Also write the (first) checkpoint's migration stream to this file
        /// (see `ppcreplay inspect`, docs/migration-stream.md).
        #[arg(long)]
        save_stream: Option<PathBuf>,
        /// Execution engine (default: jit on x86-64 hosts, interp elsewhere).
        #[arg(long, value_enum, default_value_t = EngineKind::host_default())]
        engine: EngineKind,
        /// Source CPU model (QEMU name or alias).
        #[arg(long)]
        src: String,
        /// Destination CPU model (the host with --accel kvm-hv).
        #[arg(long)]
        dst: String,
        /// pseries machine type of both sides (e.g. pseries-2.10).
        #[arg(long)]
        machine: String,
        /// max-cpu-compat of both sides (power6 … power11).
        #[arg(long)]
        max_cpu_compat: Option<String>,
        /// Policy: exact-pvr, insn-flags, ignore-pvr, pvr-match-or-compat, or all
        /// (default: the one the destination QEMU version applies).
        #[arg(long)]
        policy: Option<String>,
        /// Destination QEMU version (default: the newest modelled that has the
        /// machine type).
        #[arg(long)]
        qemu: Option<String>,
        /// Source QEMU version (default: same as --qemu).
        #[arg(long)]
        src_qemu: Option<String>,
        /// Accelerator of both sides.
        #[arg(long, value_enum, default_value = "tcg")]
        accel: AccelArg,
        /// `-machine cap-htm=` (transactional memory) of both sides, QEMU 2.12+.
        /// Unset: the machine type's default (on up to pseries-2.11, off from
        /// pseries-2.12; forced off when the CPU cannot run ISA 2.07 under
        /// max-cpu-compat) — except that under TCG a default of on, which QEMU
        /// refuses to start, is assumed off as QEMU's hint says. `default`:
        /// the machine default with no assumption, exactly as QEMU.
        #[arg(long, value_enum)]
        cap_htm: Option<CapHtmCli>,
        /// Decide from the models and machine alone, as a freshly started, paused
        /// QEMU pair would (no guest run).
        #[arg(long)]
        verdict_only: bool,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Every policy × machine type × max-cpu-compat × source × destination model,
    /// checked by migrating every corpus guest (`matrix merge` joins shards).
    Matrix {
        #[command(subcommand)]
        action: Option<MatrixAction>,
        #[command(flatten)]
        args: MatrixArgs,
    },
    /// Benchmark the engines on the corpus benchmarks against qemu-user.
    Bench {
        /// Corpus directory (holds manifest.json).
        #[arg(long, default_value = "corpus")]
        corpus: PathBuf,
        /// Only benchmarks whose ELF path contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Repetitions per program (the best wall time counts).
        #[arg(long, default_value_t = 3)]
        reps: usize,
        /// Skip the qemu-user comparison.
        #[arg(long)]
        no_qemu: bool,
        /// Execution engine (default: jit on x86-64 hosts, interp elsewhere).
        #[arg(long, value_enum, default_value_t = EngineKind::host_default())]
        engine: EngineKind,
        /// Print JSON rows instead of a Markdown table.
        #[arg(long)]
        json: bool,
        /// Also measure the cost of recording a trace of each run.
        #[arg(long)]
        record: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help/--version exit 0; a usage error must not look like a
            // guest's exit code (`run`) or a migrate outcome (2 = diverged).
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    ExitCode::SUCCESS
                }
                _ if std::env::args().nth(1).as_deref() == Some("migrate") => {
                    ExitCode::from(MIGRATE_INPUT_ERROR)
                }
                _ => ExitCode::from(TOOL_ERROR),
            };
        }
    };
    init_tracing(cli.verbose);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ppcreplay: error: {e:#}");
            ExitCode::from(TOOL_ERROR)
        }
    }
}

fn init_tracing(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn make_engine(kind: EngineKind) -> Box<dyn Engine> {
    match kind {
        EngineKind::Interp => Box::new(Interp::new()),
        #[cfg(target_arch = "x86_64")]
        EngineKind::Jit => Box::new(ppcreplay::exec::jit::Jit::new()),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.cmd {
        Command::Record {
            guest,
            args,
            output,
            cpu,
            clock,
            entropy,
            seed,
            digest_every,
            max_insns,
            envs,
            engine,
            pseries,
        } => {
            let model = find_model(&cpu)?;
            let pseries = pseries.resolve(model)?;
            let bytes = std::fs::read(&guest).with_context(|| format!("reading {guest}"))?;
            let mut argv = vec![guest.clone()];
            argv.extend(args);
            let opts = ppcreplay::replay::RecordOptions {
                guest_path: &guest,
                guest: &bytes,
                model,
                load: LoadOptions {
                    argv,
                    envp: envs,
                    level: None,
                    pcr: 0,
                },
                seed,
                host_clock: clock == Source::Host,
                host_entropy: entropy == Source::Host,
                digest_every,
                max_insns,
                passthrough: true,
                pseries,
            };
            let mut eng = make_engine(engine);
            let (m, exit) = ppcreplay::replay::record(&opts, eng.as_mut(), &output)?;
            eprintln!(
                "ppcreplay: recorded {} instructions to {} ({})",
                m.cpu.icount,
                output.display(),
                match exit {
                    RunExit::Exited(c) => format!("exit {c}"),
                    RunExit::Signaled { signal, .. } => format!("killed by signal {signal}"),
                    RunExit::BudgetExhausted => "stopped by --max-insns".into(),
                }
            );
            Ok(ExitCode::from(exit.exit_code() as u8))
        }
        Command::Replay {
            trace,
            cpu,
            guest,
            engine,
            json,
        } => {
            let t = ppcreplay::replay::trace::read(&trace)?;
            let model = cpu.map(|c| find_model(&c)).transpose()?;
            let r =
                ppcreplay::replay::replay(&t, guest.as_deref(), model, &|| make_engine(engine))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                print!("{}", replay_text(&r));
            }
            Ok(if r.divergence.is_none() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Inspect { trace, json } => {
            let bytes =
                std::fs::read(&trace).with_context(|| format!("reading {}", trace.display()))?;
            if bytes.starts_with(ppcreplay::migration::stream::MAGIC) {
                let st = ppcreplay::migration::stream::decode(&bytes)
                    .with_context(|| format!("{}", trace.display()))?;
                if json {
                    let j = ppcreplay::report::stream_summary(&st);
                    println!("{}", serde_json::to_string_pretty(&j)?);
                } else {
                    print!("{}", ppcreplay::report::stream_text(&st));
                }
                return Ok(ExitCode::SUCCESS);
            }
            let t = ppcreplay::replay::trace::read(&trace)?;
            print!("{}", inspect_text(&t, json)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Models { qemu } => {
            let q = match qemu {
                Some(s) => ppcreplay::cpu::compat::QemuVersion::parse(&s)
                    .ok_or(ppcreplay::machine::pseries::MachineError::UnknownQemu(s))?,
                None => ppcreplay::cpu::compat::QemuVersion::NEWEST,
            };
            print!("{}", models_table(q));
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate {
            guest,
            args,
            at,
            guest_kernel,
            seed,
            max_insns,
            save_stream,
            engine,
            src,
            dst,
            machine,
            max_cpu_compat,
            policy,
            qemu,
            src_qemu,
            accel,
            cap_htm,
            verdict_only,
            json,
        } => Ok(migrate(&MigrateArgs {
            guest,
            args,
            at,
            guest_kernel,
            seed,
            max_insns,
            save_stream,
            engine,
            src,
            dst,
            machine,
            max_cpu_compat,
            policy,
            qemu,
            src_qemu,
            accel,
            cap_htm,
            verdict_only,
            json,
        })),
        Command::Machines => {
            print!("{}", machines_table());
            Ok(ExitCode::SUCCESS)
        }
        Command::Matrix { action, args } => match action {
            Some(MatrixAction::Merge {
                parts,
                json,
                markdown,
                html,
            }) => matrix_merge(&parts, json, markdown, html),
            None => matrix(&args),
        },
        Command::Bench {
            corpus,
            filter,
            reps,
            no_qemu,
            engine,
            json,
            record,
        } => {
            bench(
                &corpus,
                filter.as_deref(),
                reps,
                no_qemu,
                engine,
                json,
                record,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            guest,
            args,
            cpu,
            max_insns,
            seed,
            stats,
            engine,
            envs,
            pseries,
        } => {
            let model = find_model(&cpu)?;
            let pseries = pseries.resolve(model)?;
            for e in &envs {
                if !e.contains('=') {
                    bail!("--env {e:?}: expected KEY=VALUE");
                }
            }
            let bytes = std::fs::read(&guest).with_context(|| format!("reading {guest}"))?;
            let mut env = VirtualEnv::new(seed);
            let mut argv = vec![guest.clone()];
            argv.extend(args);
            let opts = LoadOptions {
                argv,
                envp: envs,
                level: pseries.as_ref().map(|p| p.compat.level),
                pcr: pseries.as_ref().map_or(0, |p| p.compat.pcr),
            };
            let mut m = Machine::load(&guest, &bytes, model, &mut env, &opts)?;
            if pseries.is_some() {
                ppcreplay::machine::pseries::set_guest_tm(&mut m.cpu);
            }
            m.passthrough_output();
            let mut eng = make_engine(engine);
            let t0 = Instant::now();
            let exit = m.run(eng.as_mut(), &mut env, max_insns);
            let dt = t0.elapsed();
            if stats {
                let n = m.cpu.icount;
                eprintln!(
                    "ppcreplay: {} instructions retired in {:.3} s ({:.1} guest MIPS, engine {}, cpu {}, {} syscalls)",
                    n,
                    dt.as_secs_f64(),
                    n as f64 / dt.as_secs_f64().max(1e-9) / 1e6,
                    eng.name(),
                    model.name,
                    m.os.syscalls
                );
                eprintln!(
                    "ppcreplay: effective ISA level {}, compat mode {}, PCR {:#x}",
                    m.cpu.level.as_str(),
                    pseries
                        .as_ref()
                        .map_or("raw (no pseries machine)", |p| p.compat.name()),
                    m.cpu.state.pcr
                );
            }
            match exit {
                RunExit::Exited(_) => {}
                RunExit::Signaled { signal, fault } => match fault {
                    Some(f) => eprint!(
                        "ppcreplay: {}",
                        ppcreplay::report::fault_report(
                            &f,
                            &m.image,
                            &match &pseries {
                                Some(p) if p.compat.pvr != 0 => {
                                    format!("{} in {} compat mode", model.name, p.compat.name())
                                }
                                _ => model.name.to_string(),
                            },
                            m.cpu.level
                        )
                    ),
                    None => eprintln!("ppcreplay: guest killed by signal {signal}"),
                },
                RunExit::BudgetExhausted => eprintln!(
                    "ppcreplay: guest stopped after {} instructions (--max-insns) at pc {:#x}",
                    m.cpu.icount, m.cpu.state.pc
                ),
            }
            Ok(ExitCode::from(exit.exit_code() as u8))
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum AccelArg {
    /// TCG (emulation).
    Tcg,
    /// KVM-HV: the destination model is the host CPU.
    KvmHv,
}

/// `--cap-htm`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum CapHtmCli {
    /// cap-htm=on.
    On,
    /// cap-htm=off.
    Off,
    /// No option: the machine type's default, exactly as QEMU applies it.
    Default,
}

impl CapHtmCli {
    fn arg(self) -> ppcreplay::migration::policy::CapHtmArg {
        use ppcreplay::migration::policy::CapHtmArg;
        match self {
            CapHtmCli::On => CapHtmArg::On,
            CapHtmCli::Off => CapHtmArg::Off,
            CapHtmCli::Default => CapHtmArg::Default,
        }
    }
}

/// `migrate` exit code for usage and input errors.
const MIGRATE_INPUT_ERROR: u8 = 3;
/// `migrate` exit code for an internal error (a bug in ppcreplay).
const MIGRATE_INTERNAL_ERROR: u8 = 4;

struct MigrateArgs {
    guest: Option<String>,
    args: Vec<String>,
    at: Vec<String>,
    guest_kernel: Option<String>,
    seed: u64,
    max_insns: u64,
    save_stream: Option<PathBuf>,
    engine: EngineKind,
    src: String,
    dst: String,
    machine: String,
    max_cpu_compat: Option<String>,
    policy: Option<String>,
    qemu: Option<String>,
    src_qemu: Option<String>,
    accel: AccelArg,
    cap_htm: Option<CapHtmCli>,
    verdict_only: bool,
    json: bool,
}

/// `migrate`: input errors exit 3 (not the tool-wide code) so that scripts can
/// tell them from a reject (1).
fn migrate(a: &MigrateArgs) -> ExitCode {
    match migrate_verdict(a) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ppcreplay: error: {e:#}");
            let internal = e.chain().any(|c| {
                matches!(
                    c.downcast_ref::<ppcreplay::migration::harness::HarnessError>(),
                    Some(ppcreplay::migration::harness::HarnessError::RestoreInfidelity(_))
                        | Some(ppcreplay::migration::harness::HarnessError::Stream(_))
                )
            });
            ExitCode::from(if internal {
                MIGRATE_INTERNAL_ERROR
            } else {
                MIGRATE_INPUT_ERROR
            })
        }
    }
}

fn migrate_verdict(a: &MigrateArgs) -> Result<ExitCode> {
    use ppcreplay::migration::policy::{
        decide, default_policy, migrate_json, resolve, verdict_text, PolicyKind, Request,
        VerdictError,
    };
    let setup = resolve(&Request {
        src: &a.src,
        dst: &a.dst,
        machine: &a.machine,
        max_cpu_compat: a.max_cpu_compat.as_deref(),
        qemu: a.qemu.as_deref(),
        src_qemu: a.src_qemu.as_deref(),
        kvm_hv: a.accel == AccelArg::KvmHv,
        cap_htm: a.cap_htm.map(CapHtmCli::arg),
    })?;
    let all = a
        .policy
        .as_deref()
        .is_some_and(|p| p.eq_ignore_ascii_case("all"));
    let primary = match a.policy.as_deref() {
        None => default_policy(setup.dst_qemu),
        Some(_) if all => default_policy(setup.dst_qemu),
        Some(p) => PolicyKind::parse(p).ok_or_else(|| VerdictError::UnknownPolicy(p.into()))?,
    };
    let v = decide(&setup, primary);
    let verdicts: Option<Vec<_>> =
        all.then(|| PolicyKind::ALL.iter().map(|&p| decide(&setup, p)).collect());
    if !a.verdict_only {
        return migrate_run(a, &setup, primary, all);
    }
    if a.json {
        let j = migrate_json(&setup, &v, verdicts.as_deref());
        println!("{}", serde_json::to_string_pretty(&j)?);
    } else {
        print!("{}", verdict_text(&setup, &v));
        for o in verdicts.iter().flatten().filter(|o| o.policy != primary) {
            println!(
                "also:     {:<20} {} ({}): {}",
                o.policy.name(),
                if o.accepted { "ACCEPT" } else { "REJECT" },
                o.rule.id(),
                o.reason
            );
        }
        println!("outcome:  not run (--verdict-only)");
    }
    Ok(if v.accepted {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Loads the guest of `migrate`: an ELF, or a trace (whose header names the ELF).
fn migrate_guest(a: &MigrateArgs) -> Result<ppcreplay::migration::harness::Guest> {
    use ppcreplay::migration::harness::Guest;
    let Some(path) = a.guest.as_deref() else {
        bail!("a guest (ELF or trace) is needed to run the migration; use --verdict-only to decide from the models alone");
    };
    let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    if bytes.starts_with(b"\x7fELF") {
        return Ok(Guest::elf(path, bytes, &a.args, a.seed));
    }
    let t = ppcreplay::replay::trace::decode(path, &bytes)
        .with_context(|| format!("{path} is neither an ELF executable nor a ppcreplay trace"))?;
    if !a.args.is_empty() {
        bail!("guest arguments come from the trace; remove the arguments after `--`");
    }
    let elf_path = t.header.guest_path.clone();
    let elf = std::fs::read(&elf_path)
        .with_context(|| format!("reading the trace's guest {elf_path}"))?;
    let found = blake3::hash(&elf).to_hex().to_string();
    if found != t.header.guest_blake3 {
        bail!(
            "the trace's guest {elf_path} has changed (blake3 {found}, recorded {})",
            t.header.guest_blake3
        );
    }
    let mut g = Guest::from_trace(&t, &elf_path, elf);
    g.trace_blake3 = Some(blake3::hash(&bytes).to_hex().to_string());
    Ok(g)
}

fn migrate_run(
    a: &MigrateArgs,
    setup: &ppcreplay::migration::policy::Setup,
    primary: ppcreplay::migration::policy::PolicyKind,
    all: bool,
) -> Result<ExitCode> {
    use ppcreplay::migration::harness::{evaluate, At, MigrateRequest};
    use ppcreplay::migration::policy::{verdict_text, PolicyKind};
    let guest = migrate_guest(a)?;
    let at =
        a.at.iter()
            .map(|s| At::parse(s))
            .collect::<Result<Vec<_>, _>>()?;
    let mut policies = vec![primary];
    if all {
        policies.extend(PolicyKind::ALL.iter().copied().filter(|p| *p != primary));
    }
    let kind = a.engine;
    let factory = move || make_engine(kind);
    let pb = spinner(&format!(
        "migrating {} from {} to {}",
        guest.path, setup.src.name, setup.dst.name
    ));
    let run = evaluate(&MigrateRequest {
        setup,
        guest: &guest,
        kernel: a.guest_kernel.as_deref(),
        at: &at,
        policies: &policies,
        engine: &factory,
        max_insns: a.max_insns,
    });
    pb.finish_and_clear();
    let run = run?;
    if let (Some(p), Some(st)) = (&a.save_stream, &run.first_stream) {
        ppcreplay::migration::stream::encode(st, p)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    let first = &run.points[0].outcomes;
    let v = &first[0].verdict;
    if a.json {
        let vs: Vec<_> = first.iter().map(|o| o.verdict.clone()).collect();
        let j = ppcreplay::report::migrate_run_json(
            setup,
            &guest.path,
            &run,
            v,
            all.then_some(&vs[..]),
        );
        println!("{}", serde_json::to_string_pretty(&j)?);
    } else {
        let text = verdict_text(setup, v).replace(
            "applied at machine reset, no CAS in --verdict-only",
            "the destination's own; the source negotiated its mode by CAS, see below",
        );
        // The guest's TM enable after CAS (the verdict text assumes reset).
        let text = text.replace(
            &ppcreplay::migration::policy::cap_htm_text(
                setup,
                setup
                    .src_htm
                    .advertises(ppcreplay::migration::policy::reset_level(setup)),
            ),
            &ppcreplay::migration::policy::cap_htm_text(setup, run.source.kernel_tm),
        );
        print!("{text}");
        print!("{}", ppcreplay::report::migrate_run_text(&run));
    }
    Ok(match (v.accepted, run.primary_divergence().is_none()) {
        (false, _) => ExitCode::from(1),
        (true, true) => ExitCode::SUCCESS,
        (true, false) => ExitCode::from(2),
    })
}

/// A spinner on stderr for work that may take more than a second (hidden when
/// stderr is not a terminal).
fn spinner(msg: &str) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_message(msg.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

fn write_report(path: &Option<PathBuf>, text: &str) -> Result<()> {
    if let Some(p) = path {
        ppcreplay::sealed::write_atomically(p, ".ppcreplay-report", text.as_bytes())
            .with_context(|| format!("writing {}", p.display()))?;
    }
    Ok(())
}

fn write_matrix(
    rep: &ppcreplay::migration::matrix::MatrixReport,
    json: &Option<PathBuf>,
    markdown: &Option<PathBuf>,
    html: &Option<PathBuf>,
) -> Result<()> {
    write_report(json, &serde_json::to_string_pretty(rep)?)?;
    write_report(markdown, &ppcreplay::report::matrix_markdown(rep))?;
    write_report(html, &ppcreplay::report::matrix_html(rep))?;
    print!("{}", ppcreplay::report::matrix_summary(rep));
    Ok(())
}

fn matrix(a: &MatrixArgs) -> Result<ExitCode> {
    use ppcreplay::migration::harness::{At, Guest};
    use ppcreplay::migration::matrix::{in_shard, run_matrix, MatrixSpec};
    use ppcreplay::migration::policy::PolicyKind;
    let mut spec = MatrixSpec::default_spec();
    spec.at = At::parse(&a.at)?;
    if !a.models.is_empty() {
        spec.models = a
            .models
            .iter()
            .map(|m| find_model(m).map_err(anyhow::Error::from))
            .collect::<Result<_>>()?;
    }
    let qemu = a
        .qemu
        .as_deref()
        .map(|q| {
            ppcreplay::cpu::compat::QemuVersion::parse(q)
                .with_context(|| format!("unknown QEMU version {q:?}"))
        })
        .transpose()?;
    if a.machines.iter().any(|m| m == "all") {
        spec.machines = MatrixSpec::all_machines();
    } else if !a.machines.is_empty() {
        spec.machines = a
            .machines
            .iter()
            .map(|m| ppcreplay::machine::pseries::find_machine(m).map(|m| (m, None)))
            .collect::<Result<_, _>>()?;
    }
    if let Some(q) = qemu {
        for m in &mut spec.machines {
            m.1 = Some(q);
        }
    }
    if !a.compat.is_empty() {
        spec.compat = a
            .compat
            .iter()
            .map(|c| {
                if c.eq_ignore_ascii_case("unset") || c.eq_ignore_ascii_case("none") {
                    Ok(None)
                } else {
                    ppcreplay::cpu::compat::find_compat(c)
                        .map(|m| Some(m.name))
                        .map_err(anyhow::Error::from)
                }
            })
            .collect::<Result<_>>()?;
    }
    spec.cap_htm = a.cap_htm.map(CapHtmCli::arg);
    if !a.policies.is_empty() {
        spec.policies = a
            .policies
            .iter()
            .map(|p| PolicyKind::parse(p).with_context(|| format!("unknown policy {p:?}")))
            .collect::<Result<_>>()?;
    }
    let shard = a
        .shard
        .as_deref()
        .map(|s| {
            let (i, n) = s
                .split_once('/')
                .and_then(|(i, n)| Some((i.parse::<u32>().ok()?, n.parse::<u32>().ok()?)))
                .filter(|(i, n)| *n > 0 && (1..=*n).contains(i))
                .with_context(|| format!("--shard {s:?}: expected I/N with 1 ≤ I ≤ N"))?;
            Ok::<_, anyhow::Error>((i, n))
        })
        .transpose()?;
    if !a.no_cache {
        let dir = a.cache.clone().or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|d| d.join("ppcreplay"))
        });
        let exe = std::env::current_exe().and_then(std::fs::read);
        if let (Some(dir), Ok(exe)) = (dir, exe) {
            spec.cache = Some((dir, *blake3::hash(&exe).as_bytes()));
        }
    }
    let entries = ppcreplay::corpus::load(&a.corpus)?;
    let mut guests = Vec::new();
    for (i, e) in entries
        .iter()
        .filter(|e| e.kind != "loop")
        .filter(|e| a.guests.is_empty() || a.guests.iter().any(|g| e.elf.contains(g.as_str())))
        .enumerate()
    {
        if !in_shard(i, shard) {
            continue;
        }
        let path = a.corpus.join(&e.elf);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut g = Guest::elf(&e.elf, bytes, &e.args, 0);
        g.path = e.elf.clone();
        guests.push(g);
    }
    if let Some(j) = a.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(j.max(1))
            .build_global()
            .ok();
    }
    let pb = indicatif::ProgressBar::new(guests.len() as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("matrix {bar:30} {pos}/{len} guests {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let kind = a.engine;
    let factory = move || make_engine(kind);
    let tick = || pb.inc(1);
    let t0 = Instant::now();
    let rep = run_matrix(&spec, &guests, shard, &factory, &tick);
    pb.finish_and_clear();
    let rep = rep?;
    write_matrix(&rep, &a.json, &a.markdown, &a.html)?;
    let (total, dst) = (
        rep.timing.total.as_secs_f64(),
        rep.timing.destination.as_secs_f64(),
    );
    eprintln!(
        "ppcreplay: matrix took {:.1} s wall; worker time {total:.1} s, of which destination runs {dst:.1} s ({:.0}%); {} source and {} destination runs executed{}",
        t0.elapsed().as_secs_f64(),
        if total > 0.0 { 100.0 * dst / total } else { 0.0 },
        rep.source_runs,
        rep.destination_runs,
        spec.cache
            .as_ref()
            .map_or(String::new(), |(d, _)| format!(" (cache {})", d.display()))
    );
    Ok(ExitCode::SUCCESS)
}

fn matrix_merge(
    parts: &[PathBuf],
    json: Option<PathBuf>,
    markdown: Option<PathBuf>,
    html: Option<PathBuf>,
) -> Result<ExitCode> {
    let mut reps = Vec::new();
    for p in parts {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        let rep: ppcreplay::migration::matrix::MatrixReport = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a matrix JSON part", p.display()))?;
        reps.push(rep);
    }
    let rep = ppcreplay::migration::matrix::merge(reps)?;
    write_matrix(&rep, &json, &markdown, &html)?;
    Ok(ExitCode::SUCCESS)
}

fn models_table(q: ppcreplay::cpu::compat::QemuVersion) -> String {
    let mut s = format!(
        "{:<16} {:<10} {:<8} {:<5} {:<42} {}\n",
        "MODEL", "PVR", "FAMILY", "ISA", "ALIASES", "COMPAT MODES (QEMU "
    );
    s.pop();
    s.push_str(&format!("{q})\n"));
    for m in MODELS {
        let modes: Vec<&str> = ppcreplay::cpu::compat::supported_modes(m, q)
            .iter()
            .map(|c| c.name)
            .collect();
        s.push_str(&format!(
            "{:<16} {:<10} {:<8} {:<5} {:<42} {}\n",
            m.name,
            format!("{:#010x}", m.pvr),
            m.family.name(),
            m.level.as_str(),
            m.aliases.join(","),
            modes.join(",")
        ));
    }
    s
}

fn machines_table() -> String {
    let mut s = format!(
        "{:<20} {:<9} {:<10} {:<10} {:<15} {}\n",
        "MACHINE", "PRE-2.8", "PRE-2.10", "PRE-3.0", "DEFAULT CPU", "IN QEMU"
    );
    let yn = |b: bool| if b { "on" } else { "off" };
    for m in ppcreplay::machine::pseries::machine_types() {
        s.push_str(&format!(
            "{:<20} {:<9} {:<10} {:<10} {:<15} {}{}\n",
            m.name,
            yn(m.pre_2_8_migration),
            yn(m.pre_2_10_migration),
            yn(m.pre_3_0_migration),
            m.default_cpu,
            m.since,
            m.removed_in
                .map_or(" and later".to_string(), |r| format!(" .. before {r}"))
        ));
    }
    s
}

fn bench(
    corpus: &std::path::Path,
    filter: Option<&str>,
    reps: usize,
    no_qemu: bool,
    engine: EngineKind,
    json: bool,
    record: bool,
) -> Result<()> {
    use ppcreplay::bench::{table, time_ours, time_qemu, time_record, BenchRow};
    let entries: Vec<_> = ppcreplay::corpus::load(corpus)?
        .into_iter()
        .filter(|e| (e.kind == "int" || e.kind == "fp") && e.exit_code.is_some())
        .filter(|e| filter.is_none_or(|f| e.elf.contains(f)))
        .collect();
    if entries.is_empty() {
        bail!("no benchmark matched in {}", corpus.display());
    }
    let pb = indicatif::ProgressBar::new(entries.len() as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut rows = Vec::new();
    for e in &entries {
        pb.set_message(e.elf.clone());
        let (insns, secs) = time_ours(corpus, e, &|| make_engine(engine), reps)?;
        let qemu_secs = if no_qemu {
            None
        } else {
            time_qemu(corpus, e, reps)
        };
        let record_secs = if record {
            Some(time_record(corpus, e, &|| make_engine(engine), reps)?)
        } else {
            None
        };
        rows.push(BenchRow {
            elf: e.elf.clone(),
            kind: e.kind.clone(),
            insns,
            secs,
            mips: insns as f64 / secs / 1e6,
            qemu_secs,
            ratio: qemu_secs.map(|q| q / secs),
            record_secs,
        });
        pb.inc(1);
    }
    pb.finish_and_clear();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        let name = match engine {
            EngineKind::Interp => "interp",
            #[cfg(target_arch = "x86_64")]
            EngineKind::Jit => "jit",
        };
        print!("{}", table(&rows, name));
    }
    Ok(())
}

fn replay_text(r: &ppcreplay::replay::ReplayReport) -> String {
    match &r.divergence {
        None => format!(
            "identical: {} instructions on {}, {} digests, output and exit status verified\n",
            r.icount, r.model, r.digests_checked
        ),
        Some(d) => {
            let mut s = format!(
                "DIVERGED on {} at instruction {} (pc {:#x}): {}\n  {}\n  {}\n",
                r.model,
                d.icount,
                d.pc,
                d.class.text(),
                d.disasm,
                d.detail
            );
            for reg in &d.registers {
                s.push_str(&format!("  {reg}\n"));
            }
            if !d.pages.is_empty() {
                let p: Vec<String> = d.pages.iter().map(|a| format!("{a:#x}")).collect();
                s.push_str(&format!("  memory pages differ: {}\n", p.join(" ")));
            }
            s
        }
    }
}

fn inspect_text(t: &ppcreplay::replay::trace::Trace, json: bool) -> Result<String> {
    use ppcreplay::replay::trace::Input;
    let mut counts = std::collections::BTreeMap::new();
    for e in &t.events {
        let k = match &e.input {
            Input::Timebase(_) => "timebase",
            Input::Clock { .. } => "clock",
            Input::Entropy { .. } => "entropy",
            Input::Read { .. } => "read",
        };
        *counts.entry(k).or_insert(0u64) += 1;
    }
    if json {
        let v = serde_json::json!({
            "version": t.version,
            "header": t.header,
            "event_counts": counts,
            "digests": t.digests,
            "end": t.end,
        });
        return Ok(format!("{}\n", serde_json::to_string_pretty(&v)?));
    }
    let h = &t.header;
    let mut s = format!(
        "trace format v{}\nguest    {} (blake3 {})\nmodel    {}\nmachine  {} (QEMU {} profile)\ncompat   {} (PCR {:#x})\nengine   {}\nclock    {}\nentropy  {} (seed {})\nargv     {:?}\ndigests  every {} instructions\n",
        t.version,
        h.guest_path,
        h.guest_blake3,
        h.model,
        h.machine.as_deref().unwrap_or("none (linux-user)"),
        h.qemu.as_deref().unwrap_or("-"),
        h.compat.as_deref().unwrap_or("raw"),
        h.pcr,
        h.engine,
        h.clock,
        h.entropy,
        h.seed,
        h.argv,
        h.digest_every
    );
    s.push_str(&format!("events   {} total", t.events.len()));
    for (k, n) in &counts {
        s.push_str(&format!(", {k} {n}"));
    }
    s.push('\n');
    for d in &t.digests {
        s.push_str(&format!(
            "digest   @{:<12} pc {:#x} state {} memory {}\n",
            d.icount,
            d.pc,
            d.state.get(..16).unwrap_or(&d.state),
            d.memory.get(..16).unwrap_or(&d.memory)
        ));
    }
    let e = &t.end;
    s.push_str(&format!(
        "end      @{} {} (exit code {}), stdout {} bytes, output {}\n",
        e.icount,
        e.exit,
        e.exit_code,
        e.stdout_len,
        e.output.get(..16).unwrap_or(&e.output)
    ));
    Ok(s)
}
