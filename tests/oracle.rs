//! Oracle tests: our results against a live qemu-user run of the same ELF.
//! Needs `qemu-user` and `gcc` (the instruction-count plugin is built from
//! tools/qemu-insncount); `scripts/test` and `.ci/run` install them.

mod common;
use common::*;

#[test]
fn every_corpus_program_prints_what_qemu_prints() {
    let mut failures = Vec::new();
    let entries: Vec<Entry> = manifest()
        .into_iter()
        .filter(|e| e.exit_code.is_some())
        .collect();
    for e in &entries {
        let (q_out, q_code) = run_qemu(e, &e.args);
        let o = run_guest(&elf_path(e), &e.args, e.model_name(), Some(2_000_000_000));
        if o.stdout != q_out || o.exit.exit_code() != q_code {
            failures.push(format!(
                "{}: ours exit {} stdout {:?}; qemu exit {} stdout {:?}",
                e.elf,
                o.exit.exit_code(),
                String::from_utf8_lossy(&o.stdout),
                q_code,
                String::from_utf8_lossy(&q_out)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ from qemu:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}

#[test]
fn freestanding_instruction_counts_equal_qemus() {
    let mut failures = Vec::new();
    let entries: Vec<Entry> = manifest()
        .into_iter()
        .filter(|e| e.libc == "none" && e.exit_code.is_some() && e.kind != "fault")
        .collect();
    for e in &entries {
        let q = qemu_insn_count(e, &e.args);
        let o = run_guest(&elf_path(e), &e.args, e.model_name(), Some(2_000_000_000));
        if o.icount != q {
            failures.push(format!(
                "{}: ours {} qemu {} (diff {})",
                e.elf,
                o.icount,
                q,
                o.icount as i64 - q as i64
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} counts differ:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}
