//! The command line on bad input: every case gives a clear one-line error or a
//! short report and a nonzero exit code — never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ppcreplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ppcreplay"))
        .args(args)
        .output()
        .expect("running ppcreplay")
}

fn corpus(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(p)
        .to_string_lossy()
        .into_owned()
}

fn tmp(name: &str, data: &[u8]) -> PathBuf {
    let p = std::env::temp_dir().join(format!("ppcreplay-cli-{}-{name}", std::process::id()));
    std::fs::write(&p, data).unwrap();
    p
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_clean_error(o: &Output, needle: &str) {
    let e = stderr(o);
    assert!(
        !o.status.success(),
        "expected failure, got success; stderr: {e}"
    );
    assert!(!e.contains("panicked"), "panic: {e}");
    assert!(
        e.contains(needle),
        "stderr {e:?} does not mention {needle:?}"
    );
}

#[test]
fn a_file_that_is_not_elf_is_rejected_with_one_line() {
    let p = tmp("notelf", b"#!/bin/sh\necho hi\n");
    let o = ppcreplay(&["run", p.to_str().unwrap()]);
    assert_clean_error(&o, "not an ELF file");
    assert_eq!(stderr(&o).lines().count(), 1);
}

#[test]
fn a_truncated_elf_is_rejected_naming_what_is_missing() {
    let full = std::fs::read(corpus("bin/sieve.le-power8.elf")).unwrap();
    let p = tmp("trunc", &full[..200.min(full.len())]);
    let o = ppcreplay(&["run", p.to_str().unwrap()]);
    assert_clean_error(&o, "truncated ELF");
}

#[test]
fn a_wrong_architecture_elf_is_rejected() {
    let mut full = std::fs::read(corpus("bin/sieve.le-power8.elf")).unwrap();
    full[18] = 62; // e_machine = x86-64
    full[19] = 0;
    let p = tmp("x86", &full);
    let o = ppcreplay(&["run", p.to_str().unwrap()]);
    assert_clean_error(&o, "is not PowerPC64");
}

#[test]
fn an_unknown_model_name_lists_the_known_models() {
    let o = ppcreplay(&[
        "run",
        "--cpu",
        "POWER12",
        &corpus("bin/sieve.le-power8.elf"),
    ]);
    assert_clean_error(&o, "unknown CPU model `POWER12`");
    assert!(stderr(&o).contains("power9"));
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let o = ppcreplay(&["run", "/nonexistent/guest.elf"]);
    assert_clean_error(&o, "/nonexistent/guest.elf");
}

#[test]
fn a_faulting_guest_exits_128_plus_sigsegv_with_a_report() {
    let o = ppcreplay(&["run", &corpus("bin/asm-fault.le.elf")]);
    assert_eq!(o.status.code(), Some(139), "stderr: {}", stderr(&o));
    assert_clean_error(&o, "SIGSEGV");
}

#[test]
fn a_guest_that_never_stops_is_stopped_by_max_insns() {
    let o = ppcreplay(&[
        "run",
        "--max-insns",
        "100000",
        &corpus("bin/asm-loop.le.elf"),
    ]);
    assert_clean_error(&o, "stopped after 100000 instructions");
}

#[test]
fn a_power9_build_on_power8_gets_sigill_naming_the_isa_3_0_instruction() {
    let o = ppcreplay(&["run", "--cpu", "POWER8", &corpus("bin/asm-isa300.le.elf")]);
    assert_eq!(o.status.code(), Some(132), "stderr: {}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("SIGILL") && e.contains("ISA 3.0 (POWER9)"),
        "{e}"
    );
    assert!(e.contains("implements ISA 2.07 (POWER8)"), "{e}");
}

#[test]
fn models_lists_every_model_with_its_pvr() {
    let o = ppcreplay(&["models"]);
    assert!(o.status.success());
    let s = String::from_utf8_lossy(&o.stdout);
    for (name, pvr) in [
        ("power8_v2.0", "0x004d0200"),
        ("power9_v2.2", "0x004e1202"),
        ("power10_v2.0", "0x00801200"),
    ] {
        assert!(
            s.lines().any(|l| l.starts_with(name) && l.contains(pvr)),
            "{name} {pvr} missing:\n{s}"
        );
    }
}
