//! Oracle test of `ppcreplay migrate --verdict-only --qemu 7.2` against the real
//! thing: Debian's `qemu-system-ppc64` (QEMU 7.2, package `qemu-system-ppc`).
//!
//! For each sampled case a paused pseries VM is saved and loaded for real:
//! - source: `qemu-system-ppc64 -M pseries-X[,max-cpu-compat=Y][,cap-htm=off]
//!   -cpu SRC -accel tcg -S -nographic -nodefaults -qmp stdio`, then QMP
//!   `qmp_capabilities`, `migrate` to `exec:cat > FILE`, `query-migrate` until
//!   `completed`, `quit`. A source that exits before answering QMP refused to
//!   start (expected: ppcreplay's input error, exit 3).
//! - destination: the same options with `-cpu DST -incoming "exec:cat FILE"`;
//!   accepted iff `query-migrate` reaches `completed`. It rejects by exiting,
//!   either before loading (refuses to start, e.g. "Compatibility PVR 0x… not
//!   valid for CPU" when it cannot run `max-cpu-compat`) or with "load of
//!   migration failed" (e.g. "error while loading state for instance 0x0 of
//!   device 'cpu'" when `cpu_post_load`'s `pvr_match` says no).
//!
//! QEMU options and why:
//! - `cap-htm=off` for pseries-2.11 and older: those machine types default the
//!   HTM capability to on (`spapr_machine_2_11_class_options` sets
//!   `smc->default_caps.caps[SPAPR_CAP_HTM] = SPAPR_CAP_ON`, hw/ppc/spapr.c), and
//!   under TCG `cap_htm_apply` fails with "No Transactional Memory support in
//!   TCG / Try appending -machine cap-htm=off" (hw/ppc/spapr_caps.c). It is a
//!   machine option, identical on both sides; ppcreplay, given no `--cap-htm`,
//!   assumes exactly that. The cap-htm cases (see [`Cap`]) drop it or set
//!   `cap-htm=on` instead, and check ppcreplay's `--cap-htm default|on`
//!   against QEMU's refusals word for word — including the POWER7 default
//!   that `default_caps_with_cpu` forces off (a POWER7 source starts, a
//!   POWER8 destination of the same machine type does not).
//! - The "TCG doesn't support requested feature, cap-cfpc/cap-sbbc/cap-ibs/
//!   cap-ccf-assist" lines are warnings only; nothing else is needed.
//! - `-S` keeps the guest paused: no CAS runs, so the compat mode is the one
//!   `max-cpu-compat` sets at machine reset — exactly what `--verdict-only`
//!   models. `-nodefaults` keeps devices to the machine's own; `-m 256M` keeps
//!   the RAM stream small.
//! - Nothing forces the interrupt controller: with the default `ic-mode=dual`
//!   a CPU that can run ISA 3.00 (POWER9/10 in raw or power9+ compat mode) gets
//!   XICS+XIVE, any other XICS only (`spapr_irq_check`, hw/ppc/spapr_irq.c). So
//!   POWER9→POWER8 in raw mode fails on the unknown `xive-source` section
//!   before the `cpu` section is read; the verdict (reject) is the same.
//!
//! How the cases were chosen: every model QEMU 7.2 and ppcreplay both have
//! (power7, power7+, power8e, power8, power8nvl, power9 = power9_v2.0 in 7.2,
//! power10 = power10_v2.0; 7.2 has no power9_v2.2, and ppcreplay models no DD1
//! chips), machine types across every migration-flag era (pseries-2.1 and 2.7
//! pre-2.8, 2.9 pre-2.10, 2.10/2.11 cap-htm, 2.12 and 2.12-sxxm pre-3.0, 3.0,
//! 4.0, 5.2, 6.1, 7.2), and for each
//! rule of the decision: raw mode with the same model (accept), raw mode across
//! sibling models (7.2's best-match `pvr_match`: POWER7↔7+ and POWER8↔8E↔8NVL
//! are rejected), raw mode across generations (reject), compat modes
//! power6/7/7+/8/9/10 supported by the destination (accept whatever the PVR),
//! a destination that cannot run the compat mode (refuses to start), and a
//! source that cannot (QEMU will not start it: ppcreplay exits 3).
//!
//! The test fails (never skips) when `qemu-system-ppc64` is missing:
//! `scripts/test` and `.ci/run` install `qemu-system-ppc`.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const QEMU: &str = "qemu-system-ppc64";
/// Upper bound for any single QMP exchange (a stuck QEMU fails the test).
const QMP_TIMEOUT: Duration = Duration::from_secs(60);
/// QEMU pairs run at the same time (the machine has 2 shared cores).
const WORKERS: usize = 2;

/// How a case sets the spapr capability cap-htm (same on both sides).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cap {
    /// QEMU gets `cap-htm=off` for pseries-2.11 and older (whose default, on,
    /// TCG refuses); ppcreplay gets no `--cap-htm` and must assume the same.
    Auto,
    /// Neither gets an option: QEMU's exact machine default, which ppcreplay
    /// models with `--cap-htm default`.
    Default,
    /// Both get cap-htm=on.
    On,
    /// QEMU gets no option on a machine type whose default is on; ppcreplay
    /// gets `--cap-htm on` (the same effective value, made explicit).
    ImplicitOn,
}

/// One sampled migration: both sides get `machine`, `compat` and `cap`.
#[derive(Clone, Copy, Debug)]
struct Case {
    src: &'static str,
    dst: &'static str,
    machine: &'static str,
    compat: Option<&'static str>,
    cap: Cap,
}

const fn c(
    src: &'static str,
    dst: &'static str,
    machine: &'static str,
    compat: Option<&'static str>,
) -> Case {
    Case {
        src,
        dst,
        machine,
        compat,
        cap: Cap::Auto,
    }
}

const fn cap(
    src: &'static str,
    dst: &'static str,
    machine: &'static str,
    compat: Option<&'static str>,
    cap: Cap,
) -> Case {
    Case {
        src,
        dst,
        machine,
        compat,
        cap,
    }
}

/// The sample (see the module docs for how it was chosen).
const CASES: &[Case] = &[
    // Raw mode, same model, across the machine-type eras.
    c("power7", "power7", "pseries-2.7", None),
    c("power9", "power9", "pseries-2.7", None),
    c("power8", "power8", "pseries-2.9", None),
    c("power9", "power9", "pseries-2.12", None),
    c("power10", "power10", "pseries-7.2", None),
    c("power9_v2.0", "power9", "pseries-7.2", None),
    c("power8e", "power8e", "pseries-2.12-sxxm", None),
    c("power7+", "power7+", "pseries-3.0", None),
    c("power10", "power10", "pseries-2.1", None),
    // Raw mode, sibling models: 7.2's best-match pvr_match wants the same base.
    c("power7", "power7+", "pseries-7.2", None),
    c("power7+", "power7", "pseries-2.10", None),
    c("power8", "power8e", "pseries-7.2", None),
    c("power8e", "power8nvl", "pseries-2.11", None),
    c("power8nvl", "power8", "pseries-2.7", None),
    // Raw mode across generations.
    c("power8", "power9", "pseries-2.10", None),
    c("power9", "power8", "pseries-7.2", None),
    c("power9", "power10", "pseries-3.0", None),
    c("power10", "power9", "pseries-7.2", None),
    c("power7", "power8", "pseries-5.2", None),
    // Compat modes the destination supports: PVR not checked.
    c("power7", "power7+", "pseries-2.10", Some("power7")),
    c("power7", "power8", "pseries-2.9", Some("power7")),
    c("power8", "power7", "pseries-2.12", Some("power7")),
    c("power8", "power8e", "pseries-2.7", Some("power8")),
    c("power8", "power9", "pseries-2.10", Some("power8")),
    c("power9", "power8", "pseries-2.9", Some("power8")),
    c("power8nvl", "power8", "pseries-3.0", Some("power8")),
    c("power8e", "power8", "pseries-3.0", Some("power7")),
    c("power8", "power8", "pseries-2.9", Some("power7")),
    c("power9", "power10", "pseries-7.2", Some("power9")),
    c("power10", "power9", "pseries-5.2", Some("power9")),
    c("power10", "power8", "pseries-2.12", Some("power8")),
    c("power7", "power10", "pseries-7.2", Some("power7")),
    c("power10", "power7", "pseries-2.7", Some("power7")),
    c("power7+", "power8", "pseries-2.12", Some("power7+")),
    c("power9", "power7", "pseries-5.2", Some("power6")),
    c("power10", "power10", "pseries-7.2", Some("power10")),
    c("power10", "power7", "pseries-7.2", Some("power7+")),
    c("power8", "power10", "pseries-4.0", Some("power6")),
    c("power9", "power9", "pseries-2.9", Some("power9")),
    c("power8nvl", "power9", "pseries-6.1", Some("power8")),
    // The destination cannot run the compat mode: it refuses to start.
    c("power8", "power7", "pseries-3.0", Some("power8")),
    c("power9", "power8", "pseries-7.2", Some("power9")),
    c("power9", "power7", "pseries-2.11", Some("power8")),
    c("power10", "power9", "pseries-2.10", Some("power10")),
    // The source cannot: QEMU does not start it (ppcreplay: input error, exit 3).
    c("power7", "power8", "pseries-5.2", Some("power8")),
    c("power7", "power9", "pseries-2.11", Some("power9")),
    // cap-htm (TCG never provides TM). Without cap-htm=off pseries-2.11 and
    // older refuse to start; `--cap-htm on` is the same input error.
    cap("power8", "power8", "pseries-2.11", None, Cap::ImplicitOn),
    cap("power10", "power9", "pseries-2.7", None, Cap::ImplicitOn),
    cap("power9", "power9", "pseries-2.10", None, Cap::Default),
    cap("power9", "power9", "pseries-7.2", None, Cap::On),
    // The default is forced off when the CPU cannot run ISA 2.07 under
    // max-cpu-compat: POWER7, POWER8 with max-cpu-compat=power7 start.
    cap("power7", "power7", "pseries-2.11", None, Cap::Default),
    cap(
        "power8",
        "power8",
        "pseries-2.11",
        Some("power7"),
        Cap::Default,
    ),
    cap(
        "power7",
        "power8",
        "pseries-2.10",
        Some("power7"),
        Cap::Default,
    ),
    // ... so a POWER7 source starts and a POWER8 destination does not.
    cap("power7", "power8", "pseries-2.11", None, Cap::Default),
    // pseries-2.12 and newer default to off.
    cap("power9", "power9", "pseries-3.0", None, Cap::Default),
];

/// What QEMU did with a case.
#[derive(Clone, Debug)]
enum QemuResult {
    /// The destination finished loading the stream.
    Accepted,
    /// The destination exited before loading (QEMU's message).
    DstRefusedToStart(String),
    /// The destination's load failed (QEMU's message).
    LoadFailed(String),
    /// The source would not start (QEMU's message).
    SrcRefusedToStart(String),
}

impl QemuResult {
    /// The `ppcreplay migrate` exit code that agrees with this result.
    fn expected_exit(&self) -> i32 {
        match self {
            QemuResult::Accepted => 0,
            QemuResult::DstRefusedToStart(_) | QemuResult::LoadFailed(_) => 1,
            QemuResult::SrcRefusedToStart(_) => 3,
        }
    }
    fn label(&self) -> &'static str {
        match self {
            QemuResult::Accepted => "accept",
            QemuResult::DstRefusedToStart(_) => "reject (dst refuses to start)",
            QemuResult::LoadFailed(_) => "reject (load failed)",
            QemuResult::SrcRefusedToStart(_) => "src refuses to start",
        }
    }
    fn message(&self) -> &str {
        match self {
            QemuResult::Accepted => "",
            QemuResult::DstRefusedToStart(m)
            | QemuResult::LoadFailed(m)
            | QemuResult::SrcRefusedToStart(m) => m,
        }
    }
}

/// What ppcreplay said.
#[derive(Clone, Debug)]
struct Verdict {
    exit: i32,
    /// The JSON `rule` (exit 0/1) or the error line (exit 3).
    detail: String,
    /// The JSON `reason` (exit 0/1) or the error line (exit 3).
    text: String,
}

// ---------------------------------------------------------------------------
// A QMP session over stdio
// ---------------------------------------------------------------------------

struct Qmp {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Option<JoinHandle<String>>,
    what: String,
}

impl Qmp {
    fn start(args: &[String], what: String) -> Qmp {
        let mut child = Command::new(QEMU)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {QEMU} ({e}): the oracle needs QEMU 7.2 system emulation; \
                     install it with `apt-get install -y qemu-system-ppc` (scripts/test does)"
                )
            });
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut err = child.stderr.take().expect("piped stderr");
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        Qmp {
            stdin: child.stdin.take(),
            child,
            lines: rx,
            stderr: Some(stderr),
            what,
        }
    }

    /// Sends one command and returns its reply (`return` or `error` object), or
    /// `None` when QEMU exited first. Events are skipped.
    fn cmd(&mut self, cmd: &Value) -> Option<Value> {
        let stdin = self.stdin.as_mut()?;
        // A write error means QEMU is gone; the reader then sees EOF.
        let _ = writeln!(stdin, "{cmd}").and_then(|_| stdin.flush());
        let deadline = Instant::now() + QMP_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| {
                        panic!("{}: unparsable QMP line {line:?}: {e}", self.what)
                    });
                    if v.get("return").is_some() || v.get("error").is_some() {
                        return Some(v);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.stdin = None;
                    return None;
                }
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    panic!(
                        "{}: no QMP reply to {cmd} within {QMP_TIMEOUT:?}",
                        self.what
                    );
                }
            }
        }
    }

    /// Polls `query-migrate` until its status is `completed` or `failed`;
    /// `None` when QEMU exited.
    fn wait_migration(&mut self) -> Option<String> {
        let deadline = Instant::now() + QMP_TIMEOUT;
        loop {
            let r = self.cmd(&serde_json::json!({"execute": "query-migrate"}))?;
            let status = r["return"]["status"].as_str().unwrap_or("").to_string();
            if status == "completed" || status == "failed" {
                return Some(status);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "{}: migration still {status:?} after {QMP_TIMEOUT:?}",
                    self.what
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Quits (if still running) and returns QEMU's stderr without the TCG
    /// capability warnings.
    fn finish(mut self) -> String {
        if self.stdin.is_some() {
            let _ = self.cmd(&serde_json::json!({"execute": "quit"}));
        }
        self.stdin = None;
        let deadline = Instant::now() + QMP_TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!("{}: QEMU did not exit", self.what);
                }
            }
        }
        let err = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        err.lines()
            .filter(|l| !l.contains("TCG doesn't support requested feature"))
            .map(|l| l.trim_start_matches("qemu-system-ppc64: "))
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

// ---------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------

/// pseries-X.Y[-tag] → (X, Y).
fn machine_version(machine: &str) -> (u32, u32) {
    let v = machine
        .strip_prefix("pseries-")
        .unwrap_or_else(|| panic!("not a pseries machine: {machine}"));
    // pseries-2.12-sxxm is pseries-2.12 with other spectre-mitigation defaults.
    let v = v.split('-').next().unwrap_or(v);
    let (a, b) = v.split_once('.').expect("pseries-X.Y");
    (a.parse().unwrap(), b.parse().unwrap())
}

/// The options both sides get.
fn qemu_args(case: &Case, cpu: &str) -> Vec<String> {
    let mut m = case.machine.to_string();
    if let Some(compat) = case.compat {
        m.push_str(&format!(",max-cpu-compat={compat}"));
    }
    match case.cap {
        Cap::Auto if machine_version(case.machine) <= (2, 11) => m.push_str(",cap-htm=off"),
        Cap::On => m.push_str(",cap-htm=on"),
        Cap::Auto | Cap::Default | Cap::ImplicitOn => {}
    }
    [
        "-M",
        &m,
        "-cpu",
        cpu,
        "-accel",
        "tcg",
        "-m",
        "256M",
        "-S",
        "-nographic",
        "-nodefaults",
        "-qmp",
        "stdio",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn run_qemu(case: &Case, dir: &Path, index: usize) -> QemuResult {
    let file = dir.join(format!("case{index}.mig"));
    let file = file.to_str().expect("utf-8 temp path");
    let name = format!("case {index} {case:?}");

    let mut src = Qmp::start(&qemu_args(case, case.src), format!("{name} source"));
    if src
        .cmd(&serde_json::json!({"execute": "qmp_capabilities"}))
        .is_none()
    {
        return QemuResult::SrcRefusedToStart(src.finish());
    }
    let r = src
        .cmd(&serde_json::json!({"execute": "migrate", "arguments": {"uri": format!("exec:cat > {file}")}}))
        .unwrap_or_else(|| panic!("{name}: source exited on migrate"));
    assert!(r.get("error").is_none(), "{name}: migrate: {r}");
    let status = src.wait_migration();
    let src_err = src.finish();
    assert_eq!(
        status.as_deref(),
        Some("completed"),
        "{name}: the source could not save: {src_err}"
    );

    let mut args = qemu_args(case, case.dst);
    args.push("-incoming".into());
    args.push(format!("exec:cat {file}"));
    let mut dst = Qmp::start(&args, format!("{name} destination"));
    let status = match dst.cmd(&serde_json::json!({"execute": "qmp_capabilities"})) {
        Some(_) => dst.wait_migration(),
        None => None,
    };
    let err = dst.finish();
    let _ = std::fs::remove_file(file);
    match status.as_deref() {
        Some("completed") => QemuResult::Accepted,
        Some(_) => QemuResult::LoadFailed(err),
        None if err.contains("load of migration failed") => QemuResult::LoadFailed(err),
        None => QemuResult::DstRefusedToStart(err),
    }
}

fn run_ppcreplay(case: &Case) -> Verdict {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ppcreplay"));
    cmd.args(["migrate", "--verdict-only", "--qemu", "7.2", "--src"])
        .arg(case.src)
        .args(["--dst", case.dst, "--machine", case.machine]);
    if let Some(compat) = case.compat {
        cmd.args(["--max-cpu-compat", compat]);
    }
    match case.cap {
        Cap::Auto => {}
        Cap::Default => {
            cmd.args(["--cap-htm", "default"]);
        }
        Cap::On | Cap::ImplicitOn => {
            cmd.args(["--cap-htm", "on"]);
        }
    }
    let out = cmd.arg("--json").output().expect("run ppcreplay");
    let exit = out.status.code().unwrap_or(-1);
    let (detail, text) = if exit == 0 || exit == 1 {
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{case:?}: ppcreplay --json printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        (
            v["rule"].as_str().unwrap_or("?").to_string(),
            v["reason"].as_str().unwrap_or("?").to_string(),
        )
    } else {
        let e = String::from_utf8_lossy(&out.stderr).trim().to_string();
        (e.clone(), e)
    };
    Verdict { exit, detail, text }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

#[test]
fn verdict_only_agrees_with_qemu_7_2_on_every_sampled_case() {
    let out = Command::new(QEMU)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {QEMU} ({e}): install it with `apt-get install -y qemu-system-ppc` \
             (scripts/test and .ci/run do)"
            )
        });
    let version = String::from_utf8_lossy(&out.stdout);
    assert!(
        version.contains("version 7.2"),
        "the oracle is QEMU 7.2 (Debian 12's qemu-system-ppc); found: {version}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<(QemuResult, Verdict)>>> = Mutex::new(vec![None; CASES.len()]);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = CASES.get(i) else { break };
                let q = run_qemu(case, dir.path(), i);
                let p = run_ppcreplay(case);
                results.lock().unwrap()[i] = Some((q, p));
            });
        }
    });
    let results: Vec<(QemuResult, Verdict)> = results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every case ran"))
        .collect();

    let mut table = format!(
        "{:<3} {:<12} {:<12} {:<17} {:<8} {:<30} {:<5} {:<30} {}\n",
        "#", "src", "dst", "machine", "compat", "QEMU 7.2", "exit", "ppcreplay rule", "QEMU says"
    );
    let mut bad = Vec::new();
    for (i, (case, (q, p))) in CASES.iter().zip(&results).enumerate() {
        let agree = q.expected_exit() == p.exit
            // A destination that refuses to start is ppcreplay's
            // destination-refuses-to-start rule, and only that.
            && matches!(q, QemuResult::DstRefusedToStart(_))
                == (p.detail == "destination-refuses-to-start")
            // A cap-htm refusal carries QEMU's own words (error / hint).
            && (case.cap == Cap::Auto
                || !matches!(
                    q,
                    QemuResult::SrcRefusedToStart(_) | QemuResult::DstRefusedToStart(_)
                )
                || p.text.contains(q.message()));
        table.push_str(&format!(
            "{:<3} {:<12} {:<12} {:<17} {:<8} {:<30} {:<5} {:<30} {}{}\n",
            i,
            case.src,
            case.dst,
            case.machine,
            case.compat.unwrap_or("-"),
            q.label(),
            p.exit,
            short(&p.detail, 30),
            short(q.message(), 90),
            if agree { "" } else { "   <== DISAGREES" }
        ));
        if !agree {
            bad.push(format!(
                "case {i} {case:?}: QEMU 7.2 {} ({}), but `ppcreplay migrate --verdict-only \
                 --qemu 7.2` exits {} ({}); expected exit {}",
                q.label(),
                q.message(),
                p.exit,
                p.detail,
                q.expected_exit()
            ));
        }
    }
    println!(
        "{} cases against {} in {:.1} s:\n{table}",
        CASES.len(),
        version.lines().next().unwrap_or(QEMU),
        start.elapsed().as_secs_f64()
    );
    assert!(
        bad.is_empty(),
        "ppcreplay disagrees with QEMU 7.2 on {} of {} cases:\n{}\n\n{table}",
        bad.len(),
        CASES.len(),
        bad.join("\n")
    );
}
