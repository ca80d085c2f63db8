//! `ppcreplay bench`: guest MIPS of our engines on the corpus benchmarks and the
//! wall-time ratio against `qemu-ppc64le` / `qemu-ppc64` running the same ELF with
//! the same arguments.
//!
//! Wall time is the minimum over repetitions (the least disturbed run). Our time
//! includes loading the ELF, like qemu's includes its start-up.

use crate::corpus::Entry;
use crate::cpu::find_model;
use crate::exec::{Engine, VirtualEnv};
use crate::machine::{LoadOptions, Machine, RunExit};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Errors running a benchmark.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// Reading or loading the guest failed.
    #[error("{elf}: {msg}")]
    Load {
        /// Guest.
        elf: String,
        /// Detail.
        msg: String,
    },
    /// The guest did not exit as the manifest says.
    #[error("{elf}: guest ended with {got:?}, manifest expects exit {want}")]
    WrongExit {
        /// Guest.
        elf: String,
        /// What happened.
        got: RunExit,
        /// What the manifest says.
        want: i32,
    },
}

/// One benchmark result.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BenchRow {
    /// Corpus ELF (relative path).
    pub elf: String,
    /// "int" or "fp".
    pub kind: String,
    /// Retired guest instructions.
    pub insns: u64,
    /// Our best wall time (s).
    pub secs: f64,
    /// Guest MIPS.
    pub mips: f64,
    /// qemu's best wall time (s), if measured.
    pub qemu_secs: Option<f64>,
    /// qemu time / our time (> 1: we are faster).
    pub ratio: Option<f64>,
    /// Best wall time of the same run while recording a trace (s), if measured.
    pub record_secs: Option<f64>,
}

/// Runs one corpus entry `reps` times on `engine`; returns (instructions, best s).
pub fn time_ours(
    corpus_dir: &Path,
    e: &Entry,
    make_engine: &dyn Fn() -> Box<dyn Engine>,
    reps: usize,
) -> Result<(u64, f64), BenchError> {
    let path = corpus_dir.join(&e.elf);
    let bytes = std::fs::read(&path).map_err(|err| BenchError::Load {
        elf: e.elf.clone(),
        msg: err.to_string(),
    })?;
    let model = find_model(e.model_name()).map_err(|err| BenchError::Load {
        elf: e.elf.clone(),
        msg: err.to_string(),
    })?;
    let mut best = f64::INFINITY;
    let mut insns = 0;
    for _ in 0..reps.max(1) {
        let t0 = Instant::now();
        let mut env = VirtualEnv::new(0);
        let mut argv = vec![e.elf.clone()];
        argv.extend(e.bench_args.iter().cloned());
        let opts = LoadOptions {
            argv,
            ..Default::default()
        };
        let mut m = Machine::load(&e.elf, &bytes, model, &mut env, &opts).map_err(|err| {
            BenchError::Load {
                elf: e.elf.clone(),
                msg: err.to_string(),
            }
        })?;
        let mut eng = make_engine();
        let exit = m.run(eng.as_mut(), &mut env, None);
        let dt = t0.elapsed().as_secs_f64();
        let want = e.exit_code.unwrap_or(0);
        if exit != RunExit::Exited(want) {
            return Err(BenchError::WrongExit {
                elf: e.elf.clone(),
                got: exit,
                want,
            });
        }
        insns = m.cpu.icount;
        best = best.min(dt);
    }
    Ok((insns, best))
}

/// Best wall time of recording a trace of the benchmark run (virtual clock and
/// entropy, default digest interval) to a temporary file.
pub fn time_record(
    corpus_dir: &Path,
    e: &Entry,
    make_engine: &dyn Fn() -> Box<dyn Engine>,
    reps: usize,
) -> Result<f64, BenchError> {
    let path = corpus_dir.join(&e.elf);
    let err = |msg: String| BenchError::Load {
        elf: e.elf.clone(),
        msg,
    };
    let bytes = std::fs::read(&path).map_err(|x| err(x.to_string()))?;
    let model = find_model(e.model_name()).map_err(|x| err(x.to_string()))?;
    let dir = tempfile::tempdir().map_err(|x| err(x.to_string()))?;
    let out = dir.path().join("bench.trace");
    let mut argv = vec![e.elf.clone()];
    argv.extend(e.bench_args.iter().cloned());
    let mut best = f64::INFINITY;
    for _ in 0..reps.max(1) {
        let opts = crate::replay::RecordOptions {
            guest_path: &e.elf,
            guest: &bytes,
            model,
            load: LoadOptions {
                argv: argv.clone(),
                ..Default::default()
            },
            seed: 0,
            host_clock: false,
            host_entropy: false,
            digest_every: crate::replay::DEFAULT_DIGEST_EVERY,
            max_insns: None,
            passthrough: false,
            pseries: None,
        };
        let t0 = Instant::now();
        let mut eng = make_engine();
        crate::replay::record(&opts, eng.as_mut(), &out).map_err(|x| err(x.to_string()))?;
        best = best.min(t0.elapsed().as_secs_f64());
    }
    Ok(best)
}

/// Runs the ELF under qemu-user `reps` times; best wall time, or `None` when
/// qemu is not installed.
pub fn time_qemu(corpus_dir: &Path, e: &Entry, reps: usize) -> Option<f64> {
    let bin = if e.endian == "le" {
        "qemu-ppc64le"
    } else {
        "qemu-ppc64"
    };
    let mut best = f64::INFINITY;
    for _ in 0..reps.max(1) {
        let t0 = Instant::now();
        let st = Command::new(bin)
            .arg("-cpu")
            .arg(e.qemu_cpu())
            .arg(corpus_dir.join(&e.elf))
            .args(&e.bench_args)
            .env_clear()
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        let _ = st;
        best = best.min(t0.elapsed().as_secs_f64());
    }
    Some(best)
}

/// Geometric mean of positive values.
pub fn geomean(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    Some((v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp())
}

/// Markdown table of results with geometric means per kind.
pub fn table(rows: &[BenchRow], engine: &str) -> String {
    let mut s = format!(
        "| benchmark | kind | guest insns | {engine} s | {engine} MIPS | qemu s | qemu/{engine} | record overhead |\n|---|---|---:|---:|---:|---:|---:|---:|\n"
    );
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {} | {:.3} | {:.0} | {} | {} | {} |\n",
            r.elf,
            r.kind,
            r.insns,
            r.secs,
            r.mips,
            r.qemu_secs.map_or("-".into(), |q| format!("{q:.3}")),
            r.ratio.map_or("-".into(), |x| format!("{x:.2}x")),
            r.record_secs.map_or("-".into(), |x| format!(
                "{:+.1}%",
                (x / r.secs - 1.0) * 100.0
            )),
        ));
    }
    for kind in ["int", "fp"] {
        let k: Vec<&BenchRow> = rows.iter().filter(|r| r.kind == kind).collect();
        if k.is_empty() {
            continue;
        }
        let mips = geomean(&k.iter().map(|r| r.mips).collect::<Vec<_>>()).unwrap_or(0.0);
        let ratios: Vec<f64> = k.iter().filter_map(|r| r.ratio).collect();
        s.push_str(&format!(
            "| **geomean {kind}** | | | | **{mips:.0}** | | {} | |\n",
            geomean(&ratios).map_or("-".into(), |x| format!("**{x:.2}x**"))
        ));
    }
    s
}
