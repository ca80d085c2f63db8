//! Every corpus program's stdout and exit code equal the manifest (captured from
//! qemu-user when the corpus was built) under the reference interpreter.

mod common;
use common::*;

fn check(filter: impl Fn(&Entry) -> bool) {
    let entries: Vec<Entry> = manifest().into_iter().filter(|e| filter(e)).collect();
    assert!(!entries.is_empty(), "no corpus entries matched");
    let mut failures = Vec::new();
    for e in &entries {
        let Some(code) = e.exit_code else { continue };
        let o = run_guest(&elf_path(e), &e.args, e.model_name(), Some(2_000_000_000));
        if o.stdout != e.stdout.as_bytes() || o.exit.exit_code() != code {
            failures.push(format!(
                "{}: exit {:?} (want {code}), stdout {:?} (want {:?}), stderr {:?}",
                e.elf,
                o.exit,
                String::from_utf8_lossy(&o.stdout),
                e.stdout,
                String::from_utf8_lossy(&o.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus programs differ from the manifest:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}

#[test]
fn little_endian_freestanding_programs_match_the_manifest() {
    check(|e| e.endian == "le" && e.libc == "none" && e.kind != "asm");
}

#[test]
fn big_endian_freestanding_programs_match_the_manifest() {
    check(|e| e.endian == "be" && e.libc == "none" && e.kind != "asm");
}

#[test]
fn static_glibc_programs_match_the_manifest() {
    check(|e| e.libc == "glibc");
}

#[test]
fn per_level_assembly_programs_match_the_manifest() {
    check(|e| e.kind == "asm" || e.kind == "fault");
}
