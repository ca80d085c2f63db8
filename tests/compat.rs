//! Compatibility modes are real in execution: the effective ISA level is the
//! lower of the model's and the negotiated mode's, for instructions and for the
//! HWCAP bits glibc's ifuncs choose from.

mod common;
use common::*;
use ppcreplay::cpu::find_model;
use ppcreplay::exec::interp::Interp;
use ppcreplay::exec::VirtualEnv;
use ppcreplay::machine::pseries::configure;
use ppcreplay::machine::{LoadOptions, Machine, RunExit};
use std::process::Command;

struct Run {
    exit: RunExit,
    stdout: Vec<u8>,
    icount: u64,
    state: blake3::Hash,
    memory: blake3::Hash,
}

fn run(elf: &str, model: &str, max_compat: Option<&str>) -> Run {
    let e = manifest().into_iter().find(|e| e.elf == elf).unwrap();
    let bytes = std::fs::read(elf_path(&e)).unwrap();
    let model = find_model(model).unwrap();
    let (level, pcr) = match max_compat {
        Some(c) => {
            let p = configure(model, "pseries-9.0", Some(c), None, None).unwrap();
            (Some(p.compat.level), p.compat.pcr)
        }
        None => (None, 0),
    };
    let mut env = VirtualEnv::new(3);
    let opts = LoadOptions {
        argv: vec![elf.to_string()],
        envp: vec![],
        level,
        pcr,
    };
    let mut m = Machine::load(elf, &bytes, model, &mut env, &opts).unwrap();
    let exit = m.run(&mut Interp::new(), &mut env, Some(2_000_000_000));
    Run {
        exit,
        stdout: m.os.stdout.clone(),
        icount: m.cpu.icount,
        state: m.cpu.state.digest(),
        memory: m.mem.digest(),
    }
}

fn assert_identical(a: &Run, b: &Run, what: &str) {
    assert_eq!(a.exit, RunExit::Exited(0), "{what}: {:?}", a.exit);
    assert_eq!(a.exit, b.exit, "{what}");
    assert_eq!(a.stdout, b.stdout, "{what}");
    assert_eq!(a.icount, b.icount, "{what}");
    assert_eq!(a.state, b.state, "{what}: architected state differs");
    assert_eq!(a.memory, b.memory, "{what}: memory differs");
}

#[test]
fn a_power8_build_runs_identically_on_power8_and_on_power9_in_power8_mode() {
    for elf in [
        "bin/sort.le-power8.elf",
        "bin/intmath.be-power8.elf",
        "bin/asm-isa207.le.elf",
    ] {
        let a = run(elf, "power8", None);
        let b = run(elf, "power9", Some("power8"));
        assert_identical(&a, &b, elf);
    }
}

#[test]
fn static_glibc_picks_the_power8_ifuncs_in_power8_mode() {
    // glibc chooses memcpy/strlen/… variants from AT_HWCAP2 at start-up. Identical
    // state, memory and instruction count on a POWER10 in power8 mode and on a
    // POWER8 mean the same (POWER8) variants ran; on POWER10 in raw mode they differ.
    let elf = "bin/glibc-strings.le-power8.elf";
    let p8 = run(elf, "power8", None);
    let p10_compat = run(elf, "power10", Some("power8"));
    assert_identical(&p8, &p10_compat, elf);
    let p10_raw = run(elf, "power10", None);
    assert_eq!(p10_raw.stdout, p8.stdout);
    assert_ne!(
        p10_raw.icount, p8.icount,
        "raw POWER10 should take other ifunc variants"
    );
}

fn cli(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_ppcreplay"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_power9_build_in_power8_mode_gets_sigill_at_the_first_isa_3_0_instruction() {
    let p = elf_path(
        &manifest()
            .into_iter()
            .find(|e| e.elf == "bin/asm-isa300.le.elf")
            .unwrap(),
    );
    let (code, err) = cli(&[
        "run",
        "--cpu",
        "POWER9",
        "--max-cpu-compat",
        "power8",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code, 132, "{err}");
    assert!(
        err.contains("needs ISA 3.0 (POWER9)") && err.contains("power8 compat mode"),
        "{err}"
    );
    assert!(err.contains("PCR 0x8"), "{err}");
}

#[test]
fn a_run_recorded_in_a_compat_mode_ran_in_it_and_replays_identically() {
    // The recorded run itself must execute in the negotiated mode (the trace
    // header names it and replay applies it): a POWER9 build recorded in
    // power8 mode stops at its first ISA 3.0 instruction, and the replay
    // agrees.
    let p = elf_path(
        &manifest()
            .into_iter()
            .find(|e| e.elf == "bin/asm-isa300.le.elf")
            .unwrap(),
    );
    let trace = std::env::temp_dir().join(format!("ppcreplay-compat-{}.trace", std::process::id()));
    let t = trace.to_str().unwrap();
    let (code, err) = cli(&[
        "record",
        "--cpu",
        "POWER9",
        "--machine",
        "pseries-2.10",
        "--max-cpu-compat",
        "power8",
        "-o",
        t,
        p.to_str().unwrap(),
    ]);
    assert_eq!(code, 132, "{err}");
    assert!(err.contains("killed by signal 4"), "{err}");
    // Exit 0: identical (a divergence is a nonzero exit naming the instruction).
    let (code, err) = cli(&["replay", t]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_file(&trace);
}

#[test]
fn a_pseries_run_gives_the_guest_no_transactional_memory() {
    // tests/guests/tm.S exits 96 where TM works and dies of SIGILL where the
    // kernel did not enable it: a pseries run is QEMU TCG, where cap-htm is
    // off (assumed off up to pseries-2.11, the default from 2.12), as in
    // `migrate`; without machine options the model's Linux has TM.
    let tm = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/guests/tm.le.elf");
    assert_eq!(cli(&["run", "--cpu", "POWER9", tm]).0, 96);
    for m in ["pseries-2.10", "pseries-2.12", "pseries-9.0"] {
        let (code, err) = cli(&["run", "--cpu", "POWER9", "--machine", m, tm]);
        assert_eq!(code, 132, "{m}: {err}");
    }
}

#[test]
fn a_power10_build_in_power9_mode_stops_at_the_first_prefixed_instruction() {
    let p = elf_path(
        &manifest()
            .into_iter()
            .find(|e| e.elf == "bin/asm-isa310.le.elf")
            .unwrap(),
    );
    let (code, err) = cli(&[
        "run",
        "--cpu",
        "POWER10",
        "--max-cpu-compat",
        "power9",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code, 132, "{err}");
    assert!(err.contains("needs ISA 3.1 (POWER10)"), "{err}");
    // The faulting instruction is printed as two words (prefix and suffix).
    let line = err.lines().find(|l| l.contains("instruction:")).unwrap();
    let hex: Vec<&str> = line.split_whitespace().skip(1).take(2).collect();
    assert!(
        hex.len() == 2 && hex[0].len() == 8 && hex[0].starts_with('0'),
        "not prefixed: {line}"
    );
    let prefix = u32::from_str_radix(hex[0], 16).unwrap();
    assert_eq!(prefix >> 26, 1, "{line}");
}

#[test]
fn compat_errors_name_the_problem_with_qemus_wording() {
    let p = elf_path(
        &manifest()
            .into_iter()
            .find(|e| e.elf == "bin/sieve.le-power8.elf")
            .unwrap(),
    );
    let p = p.to_str().unwrap();
    let (code, err) = cli(&["run", "--cpu", "POWER8", "--max-cpu-compat", "power9", p]);
    assert_eq!(code, 125);
    assert!(
        err.contains("Compatibility PVR 0x0f000005 not valid for CPU"),
        "{err}"
    );
    let (_, err) = cli(&["run", "--cpu", "POWER8", "--max-cpu-compat", "power5", p]);
    assert!(err.contains("unknown compatibility mode `power5`"), "{err}");
    let (_, err) = cli(&["run", "--cpu", "POWER8", "--machine", "pseries-1.5", p]);
    assert!(
        err.contains("unsupported machine type `pseries-1.5`"),
        "{err}"
    );
    let (_, err) = cli(&[
        "run",
        "--cpu",
        "POWER8",
        "--machine",
        "pseries-2.10",
        "--qemu",
        "9.2",
        p,
    ]);
    assert!(err.contains("does not exist in QEMU 9.2"), "{err}");
}

#[test]
fn power6_mode_on_power7_disables_vmx_and_vsx_through_the_pcr() {
    use ppcreplay::exec::interp::step;
    use ppcreplay::exec::{Cpu, FaultKind, Stop};
    use ppcreplay::isa::encode::asm;
    use ppcreplay::mem::{perm, Memory};
    let model = find_model("power7").unwrap();
    let c = ppcreplay::cpu::compat::set_compat(
        model,
        0x0F00_0002,
        ppcreplay::cpu::compat::QemuVersion::NEWEST,
    )
    .unwrap();
    assert_eq!(c.pcr, 0x4000_0000_0000_0002); // VSX_DIS | 2.05 (facts §4.4)
    for (mn, ops, disabled_on_power7) in [
        ("vaddubm", [2i64, 3, 4], false),
        ("xxlxor", [34, 35, 36], true),
    ] {
        let mut cpu = Cpu::new(model, true);
        cpu.level = c.level;
        cpu.state.pcr = c.pcr;
        cpu.state.pc = 0x1000;
        let mut mem = Memory::new();
        mem.map_zero(0x1000, 0x1000, perm::RX).unwrap();
        mem.write_bytes(0x1000, &asm(mn, &ops).unwrap().bytes(true))
            .unwrap();
        let stop = step(&mut cpu, &mut mem, &mut VirtualEnv::new(0));
        let illegal = matches!(stop, Stop::Fault(f) if matches!(f.kind, FaultKind::Illegal { .. }));
        // xxlxor is ISA 2.06 (illegal at level 2.05 anyway, and VSX_DIS is set);
        // vaddubm is VMX, which POWER7's pcr_mask does not disable in power6 mode
        // (QEMU's power6 entry sets VSX_DIS, not VEC_DIS).
        assert_eq!(illegal, disabled_on_power7, "{mn}: {stop:?}");
    }
}

#[test]
fn transactional_memory_follows_the_model_and_pcr_tm_dis() {
    // tests/guests/tm.S: 30000 × tbegin. with a fallback path; exits with
    // the low byte of 2 per failed transaction (96 when every tbegin. fails,
    // as under qemu-user: `qemu-ppc64le -cpu power8|power9 tm.le.elf` exits
    // 96, `-cpu power7` gets SIGILL). Expected per (model, mode):
    // - POWER8/POWER9 raw, POWER9 in power8 mode: TM available → 96.
    // - POWER8 in power7 mode: PCR = TM_DIS | 2.06 (facts §4.4) → SIGILL.
    // - POWER9 in power7 mode: level 2.06 < 2.07 (POWER9's pcr_mask has no
    //   TM_DIS, facts §3.2) → SIGILL.
    // - POWER10: no TM under Linux (CpuModel::has_tm) → SIGILL.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/guests/tm.le.elf");
    let bytes = std::fs::read(path).unwrap();
    for (model, mode, want) in [
        ("power8", None, Some(96)),
        ("power9", None, Some(96)),
        ("power9", Some("power8"), Some(96)),
        ("power8", Some("power7"), None),
        ("power9", Some("power7"), None),
        ("power10", None, None),
        ("power10", Some("power9"), None),
    ] {
        let m = find_model(model).unwrap();
        let (level, pcr) = match mode {
            Some(c) => {
                let p = configure(m, "pseries-9.0", Some(c), None, None).unwrap();
                (Some(p.compat.level), p.compat.pcr)
            }
            None => (None, 0),
        };
        let mut env = VirtualEnv::new(3);
        let opts = LoadOptions {
            argv: vec!["tm".into()],
            envp: vec![],
            level,
            pcr,
        };
        let mut mach = Machine::load("tm", &bytes, m, &mut env, &opts).unwrap();
        let exit = mach.run(&mut Interp::new(), &mut env, Some(10_000_000));
        // want: Some(exit status), or None for SIGILL.
        match want {
            Some(code) => assert_eq!(exit, RunExit::Exited(code), "{model} in {mode:?}"),
            None => assert!(
                matches!(exit, RunExit::Signaled { signal: 4, .. }),
                "{model} in {mode:?}: {exit:?}"
            ),
        }
    }
}
