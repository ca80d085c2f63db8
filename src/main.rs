//! The `ppcreplay` command line: parse, call the library, print, map errors to
//! exit codes. No semantics live here.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use ppcreplay::cpu::{find_model, MODELS};
use ppcreplay::exec::interp::Interp;
use ppcreplay::exec::{Engine, VirtualEnv};
use ppcreplay::machine::{LoadOptions, Machine, RunExit};
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
        /// Execution engine.
        #[arg(long, value_enum, default_value = "interp")]
        engine: EngineKind,
        /// Environment variables for the guest (`KEY=VALUE`, repeatable). The
        /// host environment is never passed (determinism).
        #[arg(long = "env")]
        envs: Vec<String>,
    },
    /// List the CPU models.
    Models,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.cmd {
        Command::Models => {
            print!("{}", models_table());
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
        } => {
            let model = find_model(&cpu)?;
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
                level: None,
            };
            let mut m = Machine::load(&guest, &bytes, model, &mut env, &opts)?;
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
            }
            match exit {
                RunExit::Exited(_) => {}
                RunExit::Signaled { signal, fault } => match fault {
                    Some(f) => eprint!(
                        "ppcreplay: {}",
                        ppcreplay::report::fault_report(&f, &m.image, model.name, m.cpu.level)
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

fn models_table() -> String {
    let mut s = format!(
        "{:<16} {:<22} {:<10} {:<8} {:<9} {}\n",
        "MODEL", "ALIASES", "PVR", "FAMILY", "ISA", "TM"
    );
    for m in MODELS {
        s.push_str(&format!(
            "{:<16} {:<22} {:<10} {:<8} {:<9} {}\n",
            m.name,
            m.aliases.join(","),
            format!("{:#010x}", m.pvr),
            m.family.name(),
            m.level.as_str(),
            if m.has_tm { "yes" } else { "no" }
        ));
    }
    s
}
