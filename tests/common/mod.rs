//! Shared helpers for integration tests: the corpus manifest, running a guest on
//! our engine, and running the QEMU oracle.
#![allow(dead_code)]

use ppcreplay::cpu::find_model;
use ppcreplay::exec::interp::Interp;
use ppcreplay::exec::VirtualEnv;
use ppcreplay::machine::{LoadOptions, Machine, RunExit};
use std::path::{Path, PathBuf};
use std::process::Command;

pub use ppcreplay::corpus::Entry;

/// Absolute path of a corpus entry's ELF.
pub fn elf_path(e: &Entry) -> PathBuf {
    corpus_dir().join(&e.elf)
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

pub fn manifest() -> Vec<Entry> {
    ppcreplay::corpus::load(&corpus_dir()).unwrap_or_else(|e| panic!("{e}"))
}

pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: RunExit,
    pub icount: u64,
    pub machine: Machine,
}

/// Runs a guest on the interpreter with the virtual environment.
pub fn run_guest(path: &Path, args: &[String], cpu: &str, max_insns: Option<u64>) -> Outcome {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let model = find_model(cpu).unwrap();
    let mut env = VirtualEnv::new(0);
    let mut argv = vec![path.file_name().unwrap().to_string_lossy().into_owned()];
    argv.extend(args.iter().cloned());
    let opts = LoadOptions {
        argv,
        ..Default::default()
    };
    let mut m = Machine::load(&path.to_string_lossy(), &bytes, model, &mut env, &opts)
        .unwrap_or_else(|e| panic!("{e}"));
    let exit = m.run(&mut Interp::new(), &mut env, max_insns);
    Outcome {
        stdout: m.os.stdout.clone(),
        stderr: m.os.stderr.clone(),
        exit,
        icount: m.cpu.icount,
        machine: m,
    }
}

/// Finds a required host tool or fails the test with an install hint (tests are
/// never skipped because a tool is missing: `.ci/run` installs them).
pub fn require_tool(name: &str, package: &str) -> PathBuf {
    for dir in std::env::var("PATH").unwrap_or_default().split(':') {
        let p = Path::new(dir).join(name);
        if p.is_file() {
            return p;
        }
    }
    panic!("{name} not found in PATH: install it with `apt-get install -y {package}` (scripts/test does this)");
}

/// Runs a guest under qemu-user; returns (stdout, exit code).
///
/// qemu runs with `-cpu power10` whatever the build's level: QEMU 7.2 wrongly
/// refuses `mffscrn` on its POWER7/POWER8 models (the ISA executes it as `mffs`
/// there; fixed upstream in 2023), which glibc's libm uses. The programs print the
/// same bytes at every level, so the output comparison is unaffected.
pub fn run_qemu(e: &Entry, args: &[String]) -> (Vec<u8>, i32) {
    let bin = if e.endian == "le" {
        "qemu-ppc64le"
    } else {
        "qemu-ppc64"
    };
    let q = require_tool(bin, "qemu-user");
    let out = Command::new(q)
        .arg("-cpu")
        .arg("power10")
        .arg(elf_path(e))
        .args(args)
        .env_clear()
        .output()
        .expect("running qemu");
    let code = out.status.code().unwrap_or_else(|| {
        use std::os::unix::process::ExitStatusExt;
        128 + out.status.signal().unwrap_or(0)
    });
    (out.stdout, code)
}

/// Builds the qemu-insncount plugin (tools/qemu-insncount) once per test process.
pub fn insncount_plugin() -> PathBuf {
    static ONCE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let gcc = require_tool("gcc", "gcc");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/qemu-insncount/insncount.c");
        let out =
            std::env::temp_dir().join(format!("ppcreplay-insncount-{}.so", std::process::id()));
        let st = Command::new(gcc)
            .args(["-O2", "-shared", "-fPIC", "-fvisibility=hidden", "-o"])
            .arg(&out)
            .arg(&src)
            .status()
            .expect("running gcc");
        assert!(st.success(), "building the qemu-insncount plugin failed");
        out
    })
    .clone()
}

/// Exact instruction count of a guest under qemu (qemu-insncount plugin).
pub fn qemu_insn_count(e: &Entry, args: &[String]) -> u64 {
    let bin = if e.endian == "le" {
        "qemu-ppc64le"
    } else {
        "qemu-ppc64"
    };
    let q = require_tool(bin, "qemu-user");
    let plugin = insncount_plugin();
    let outf = std::env::temp_dir().join(format!(
        "ppcreplay-count-{}-{}.txt",
        std::process::id(),
        e.elf.replace('/', "_")
    ));
    let st = Command::new(q)
        .arg("-cpu")
        .arg(e.qemu_cpu())
        .arg("-plugin")
        .arg(format!("{},out={}", plugin.display(), outf.display()))
        .arg(elf_path(e))
        .args(args)
        .env_clear()
        .output()
        .expect("running qemu with the insncount plugin");
    let _ = st;
    let s = std::fs::read_to_string(&outf).expect("plugin output");
    let _ = std::fs::remove_file(&outf);
    s.split_whitespace()
        .find_map(|w| w.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no count in plugin output {s:?}"))
}
