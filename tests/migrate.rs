//! `ppcreplay migrate` end to end, through the command line: a migration that
//! is accepted and safe, one that is rejected, one accepted under `ignore-pvr`
//! that diverges, and one example of each divergence class we can produce —
//! with exit codes and the JSON report checked.
//!
//! Expected values come from outside our code: the PVRs from QEMU's model
//! table (shared/reference/qemu-migration-facts.md §3), the ISA level of each
//! instruction from the Power ISA, the exit status of tests/guests/readpvr.S
//! from the low byte of the PVR it reads.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn ppcreplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ppcreplay"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("running ppcreplay")
}

/// `ppcreplay migrate --src SRC --dst DST --machine MACHINE EXTRA…`.
fn migrate(src: &str, dst: &str, machine: &str, extra: &[&str]) -> Output {
    let mut args = vec!["migrate", "--src", src, "--dst", dst, "--machine", machine];
    args.extend_from_slice(extra);
    ppcreplay(&args)
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn first_outcome(j: &Value) -> &Value {
    &j["checkpoints"][0]["outcomes"][0]
}

#[test]
fn power9_to_power10_in_power9_mode_is_accepted_and_runs_identically() {
    let o = migrate(
        "POWER9",
        "POWER10",
        "pseries-2.10",
        &["--json", "corpus/bin/sort.le-power9.elf"],
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let j = json(&o);
    assert_eq!(j["accepted"], true);
    assert_eq!(j["rule"], "compat-supported");
    assert_eq!(j["outcome"], "safe");
    assert_eq!(j["source"]["compat"], "power9");
    let out = first_outcome(&j);
    assert_eq!(out["assessment"], "safe");
    assert_eq!(out["outcome"]["result"], "safe");
    assert!(j["checkpoints"][0]["sent_compat"].as_bool().unwrap());
}

#[test]
fn power9_to_power8_in_power9_mode_is_rejected_with_qemus_message_and_would_have_diverged() {
    let o = migrate(
        "POWER9",
        "POWER8",
        "pseries-2.10",
        &["--json", "corpus/bin/sort.le-power9.elf"],
    );
    assert_eq!(code(&o), 1);
    let j = json(&o);
    assert_eq!(j["accepted"], false);
    assert_eq!(j["rule"], "compat-not-valid");
    assert!(j["reason"]
        .as_str()
        .unwrap()
        .contains("Compatibility PVR 0x0f000005 not valid for CPU"));
    let out = first_outcome(&j);
    assert_eq!(out["assessment"], "justified");
    assert_eq!(out["outcome"]["class"], "illegal-on-destination");
}

#[test]
fn ignore_pvr_accepts_power9_code_on_a_power8_and_the_guest_dies_at_the_first_isa_3_0_instruction()
{
    let o = migrate(
        "POWER9",
        "POWER8",
        "pseries-2.9",
        &["--qemu", "2.9", "--json", "corpus/bin/sort.le-power9.elf"],
    );
    assert_eq!(code(&o), 2);
    let j = json(&o);
    assert_eq!(j["policy"], "ignore-pvr");
    assert_eq!(j["accepted"], true);
    assert_eq!(j["outcome"], "diverged");
    // After the load the PVR is the destination's (ignore-PVR era).
    assert_eq!(j["post_load_pvr"], "0x004d0200");
    let out = first_outcome(&j);
    assert_eq!(out["assessment"], "unsafe");
    let d = &out["outcome"];
    assert_eq!(d["result"], "diverged");
    assert_eq!(d["class"], "illegal-on-destination");
    // modsw is an ISA 3.0 instruction (Power ISA 3.0 §3.3.9).
    assert!(d["disasm"].as_str().unwrap().starts_with("modsw"), "{d}");
    assert!(d["icount"].as_u64().unwrap() >= j["checkpoints"][0]["at"].as_u64().unwrap());
    assert!(d["detail"].as_str().unwrap().contains("needs ISA 3.0"));
}

#[test]
fn the_text_report_says_verdict_and_outcome_in_a_few_lines() {
    let o = migrate(
        "POWER9",
        "POWER8",
        "pseries-2.9",
        &["--qemu", "2.9", "corpus/bin/sort.le-power9.elf"],
    );
    assert_eq!(code(&o), 2);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.starts_with("verdict:  ACCEPT\n"), "{t}");
    assert!(t.contains("outcome:  UNSAFE"), "{t}");
    assert!(
        t.contains("class: instruction illegal on the destination"),
        "{t}"
    );
    assert!(t.lines().count() < 20, "{t}");
}

#[test]
fn code_chosen_from_hwcap_at_start_up_is_classified_as_a_missing_start_up_feature() {
    // A POWER8 build of a static glibc program: glibc picks its POWER10
    // string functions from AT_HWCAP2 on the source, which the POWER9 lacks;
    // started on the POWER9 it runs fine.
    let o = migrate(
        "POWER10",
        "POWER9",
        "pseries-2.9",
        &[
            "--policy",
            "ignore-pvr",
            "--at",
            "5%",
            "--json",
            "corpus/bin/glibc-strings.le-power8.elf",
        ],
    );
    assert_eq!(code(&o), 2);
    let j = json(&o);
    let d = &first_outcome(&j)["outcome"];
    assert_eq!(d["class"], "startup-feature-missing", "{d}");
    assert!(d["detail"].as_str().unwrap().contains("needs ISA 3.1"));
}

#[test]
fn a_guest_that_reads_the_pvr_diverges_when_the_pvr_changes_and_not_when_it_is_kept() {
    let guest = "tests/guests/readpvr.le.elf";
    // ignore-pvr: the destination's PVR replaces the source's.
    let o = migrate(
        "POWER9",
        "POWER8",
        "pseries-2.9",
        &["--qemu", "2.9", "--json", guest],
    );
    assert_eq!(code(&o), 2);
    let j = json(&o);
    let d = &first_outcome(&j)["outcome"];
    assert_eq!(d["class"], "read-pvr", "{d}");
    assert!(d["disasm"].as_str().unwrap().starts_with("mfpvr"));
    // POWER9 v2.0 (0x004e1200) → POWER8 v2.0 (0x004d0200), facts §3.
    assert_eq!(d["registers"][0], "r3: 0x4e1200 -> 0x4d0200");
    // TCG ≥ 2.10 keeps the source's PVR: POWER9 → POWER10 in power9 mode.
    let o = migrate("POWER9", "POWER10", "pseries-2.10", &["--json", guest]);
    assert_eq!(code(&o), 0);
    let j = json(&o);
    assert_eq!(
        j["source"]["exit_code"], 2,
        "low byte of POWER9 v2.2's 0x004e1202"
    );
}

// ---- transactional memory and cap-htm ------------------------------------------
// tests/guests/tm.S: 30000 × tbegin. with a fallback path, exit status = low
// byte of 2 per failed transaction (96 when every tbegin. fails, as under
// qemu-user's degenerate TM); without TM its first tbegin. is an illegal
// instruction and, with no handler, the process dies of SIGILL (exit status
// 128 + 4 = 132). The guest kernel enables TM at boot iff QEMU offered it
// (cap-htm from QEMU 2.12; before, KVM on a TM host) and keeps it when it moves.

const TM_GUEST: &str = "tests/guests/tm.le.elf";

#[test]
fn a_tm_guest_moved_from_power9_to_power10_under_tcg_has_no_tm_on_either_side_and_is_safe() {
    // pseries-2.10 defaults to cap-htm=on, which QEMU's TCG refuses ("No
    // Transactional Memory support in TCG"): the tool assumes cap-htm=off on
    // both sides, as QEMU's hint says. The guest is never offered TM, so its
    // first tbegin. raises SIGILL on the source — and identically on the
    // destination: accepted (power9 compat mode) and safe.
    let o = migrate("POWER9", "POWER10", "pseries-2.10", &["--json", TM_GUEST]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    let j = json(&o);
    assert_eq!(j["accepted"], true);
    assert_eq!(j["outcome"], "safe");
    assert_eq!(j["source"]["exit_code"], 132, "128 + SIGILL at tbegin.");
    let cap = &j["cap_htm"];
    assert_eq!(cap["source"], "off", "{cap}");
    assert_eq!(cap["destination"], "off", "{cap}");
    assert_eq!(cap["source_origin"], "assumed-off", "{cap}");
    assert_eq!(cap["guest_tm"], false, "{cap}");
    assert!(
        cap["note"]
            .as_str()
            .unwrap()
            .contains("assumed cap-htm=off"),
        "{cap}"
    );
    // The text report says so too.
    let o = migrate("POWER9", "POWER10", "pseries-2.10", &[TM_GUEST]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.contains("cap-htm:  both sides off (assumed"), "{t}");
    assert!(t.contains("guest TM off"), "{t}");
}

#[test]
fn a_tm_guest_on_pseries_2_11_under_kvm_hv_cannot_move_to_a_power10_host() {
    // KVM-HV on a POWER9 host offers TM (cap-htm defaults to on up to
    // pseries-2.11, KVM_CAP_PPC_HTM is true there); a POWER10 host cannot
    // provide it, so QEMU there refuses to start: rejected. Run anyway, the
    // guest would have died at tbegin.
    let o = migrate(
        "POWER9",
        "POWER10",
        "pseries-2.11",
        &["--accel", "kvm-hv", "--json", TM_GUEST],
    );
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let j = json(&o);
    assert_eq!(j["rule"], "destination-refuses-to-start");
    assert!(
        j["reason"]
            .as_str()
            .unwrap()
            .starts_with("KVM implementation does not support Transactional Memory"),
        "{}",
        j["reason"]
    );
    assert_eq!(j["cap_htm"]["guest_tm"], true);
    assert_eq!(j["source"]["exit_code"], 96, "every tbegin. failed");
    let d = &first_outcome(&j)["outcome"];
    assert_eq!(d["class"], "facility-missing", "{d}");
}

#[test]
fn before_qemu_2_12_a_kvm_tm_guest_is_accepted_onto_a_power10_and_dies_at_tbegin() {
    // QEMU 2.9 has no cap-htm: under KVM it offers TM whenever the host has
    // it (kvmppc_has_cap_htm) and migration checks nothing about it; ignore-pvr
    // accepts. The guest kernel enabled TM on the POWER9; the POWER10 has no
    // TM: the first tbegin. after the checkpoint is illegal there although the
    // POWER10's ISA level (3.1) has the instruction — a missing facility.
    // (POWER8 → POWER7 would not show this class: tbegin. is ISA 2.07 and the
    // POWER7 is 2.06, so it is illegal on the destination by level.)
    let o = migrate(
        "POWER9",
        "POWER10",
        "pseries-2.9",
        &["--qemu", "2.9", "--accel", "kvm-hv", "--json", TM_GUEST],
    );
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    let j = json(&o);
    assert_eq!(j["rule"], "pvr-ignored");
    assert_eq!(j["cap_htm"]["source"], "none");
    assert_eq!(j["cap_htm"]["guest_tm"], true);
    assert_eq!(j["source"]["exit_code"], 96, "every tbegin. failed");
    let d = &first_outcome(&j)["outcome"];
    assert_eq!(d["class"], "facility-missing", "{d}");
    assert!(d["disasm"].as_str().unwrap().starts_with("tbegin."), "{d}");
    assert!(
        d["detail"]
            .as_str()
            .unwrap()
            .contains("transactional memory"),
        "{d}"
    );
    // The same pair under TCG: TCG never offered TM before 2.12 either.
    let o = migrate(
        "POWER9",
        "POWER10",
        "pseries-2.9",
        &["--qemu", "2.9", "--json", TM_GUEST],
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["source"]["exit_code"], 132);
}

#[test]
fn an_explicit_cap_htm_on_is_refused_by_a_power10_kvm_host_on_pseries_2_12() {
    let o = ppcreplay(&[
        "migrate",
        "--verdict-only",
        "--src",
        "POWER9",
        "--dst",
        "POWER10",
        "--machine",
        "pseries-2.12",
        "--accel",
        "kvm-hv",
        "--cap-htm",
        "on",
        "--json",
    ]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let j = json(&o);
    assert_eq!(j["rule"], "destination-refuses-to-start");
    assert_eq!(j["cap_htm"]["source_origin"], "explicit");
    // Without it pseries-2.12 defaults to off: nothing refuses.
    let o = ppcreplay(&[
        "migrate",
        "--verdict-only",
        "--src",
        "POWER9",
        "--dst",
        "POWER10",
        "--machine",
        "pseries-2.12",
        "--accel",
        "kvm-hv",
        "--max-cpu-compat",
        "power9",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["cap_htm"]["source"], "off");
}

#[test]
fn a_power8_with_max_cpu_compat_power7_gets_cap_htm_forced_off() {
    let verdict = |compat: Option<&str>| {
        let mut a = vec![
            "migrate",
            "--verdict-only",
            "--src",
            "POWER8",
            "--dst",
            "POWER8",
            "--machine",
            "pseries-2.11",
            "--accel",
            "kvm-hv",
            "--json",
        ];
        if let Some(c) = compat {
            a.extend(["--max-cpu-compat", c]);
        }
        let o = ppcreplay(&a);
        assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
        json(&o)["cap_htm"].clone()
    };
    let c = verdict(Some("power7"));
    assert_eq!(c["source"], "off", "{c}");
    assert_eq!(c["source_origin"], "forced-off", "{c}");
    assert_eq!(c["guest_tm"], false, "{c}");
    let c = verdict(None);
    assert_eq!(c["source"], "on", "{c}");
    assert_eq!(c["source_origin"], "machine-default", "{c}");
    assert_eq!(c["guest_tm"], true, "{c}");
}

#[test]
fn an_explicit_cap_htm_on_under_tcg_is_an_input_error_with_qemus_message() {
    let o = ppcreplay(&[
        "migrate",
        "--verdict-only",
        "--src",
        "POWER9",
        "--dst",
        "POWER9",
        "--machine",
        "pseries-7.2",
        "--qemu",
        "7.2",
        "--cap-htm",
        "on",
    ]);
    assert_eq!(code(&o), 3);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("No Transactional Memory support in TCG / Try appending -machine cap-htm=off"),
        "{e}"
    );
}

#[test]
fn several_checkpoints_are_each_checked() {
    let o = migrate(
        "POWER8",
        "POWER8E",
        "pseries-7.2",
        &[
            "--at",
            "1000",
            "--at",
            "25%",
            "--at",
            "90%",
            "--json",
            "corpus/bin/hash.le-power8.elf",
        ],
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let j = json(&o);
    let cps = j["checkpoints"].as_array().unwrap();
    assert_eq!(cps.len(), 3);
    assert_eq!(cps[0]["at"], 1000);
    assert!(cps[1]["at"].as_u64() < cps[2]["at"].as_u64());
    for c in cps {
        assert_eq!(c["outcomes"][0]["assessment"], "safe");
    }
}

#[test]
fn a_recorded_trace_migrates_with_its_recorded_inputs() {
    let dir = std::env::temp_dir().join(format!("ppcreplay-migrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("printf.trace");
    let elf = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/bin/glibc-printf.le-power9.elf");
    let o = ppcreplay(&[
        "record",
        elf.to_str().unwrap(),
        "-o",
        trace.to_str().unwrap(),
        "--cpu",
        "POWER9",
        "--clock",
        "host",
        "--entropy",
        "host",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = migrate(
        "POWER9",
        "POWER10",
        "pseries-5.2",
        &["--json", trace.to_str().unwrap()],
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["outcome"], "safe");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_checkpoint_positions_and_missing_guests_are_input_errors() {
    for (at, needle) in [
        ("100%", "percentage below 100"),
        ("lots", "expected an instruction count"),
        ("999999999999", "not before the end of the source run"),
    ] {
        let o = migrate(
            "POWER8",
            "POWER9",
            "pseries-7.2",
            &["--at", at, "corpus/bin/hash.le-power8.elf"],
        );
        assert_eq!(code(&o), 3, "--at {at}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains(needle), "--at {at}: {e}");
        assert!(!e.contains("panicked"));
    }
    let o = migrate("POWER8", "POWER9", "pseries-7.2", &[]);
    assert_eq!(code(&o), 3);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--verdict-only"));
}

#[test]
fn the_checkpoint_stream_can_be_saved_and_inspected_and_a_bad_one_is_refused() {
    let dir = std::env::temp_dir().join(format!("ppcreplay-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let st = dir.join("sort.stream");
    let o = migrate(
        "POWER9",
        "POWER10",
        "pseries-2.10",
        &[
            "--save-stream",
            st.to_str().unwrap(),
            "corpus/bin/sort.le-power9.elf",
        ],
    );
    assert_eq!(code(&o), 0);
    let o = ppcreplay(&["inspect", "--json", st.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j = json(&o);
    assert_eq!(j["machine"]["name"], "pseries-2.10");
    assert_eq!(j["source_pvr"], "0x004e1202");
    // power9 compat (logical PVR 0x0f000005, facts §4) is sent for 2.10+.
    assert_eq!(j["compat_pvr"], "0x0f000005");
    assert!(j["sections"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "cpu/compat"));
    let mut bytes = std::fs::read(&st).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    let bad = dir.join("bad.stream");
    std::fs::write(&bad, &bytes).unwrap();
    let o = ppcreplay(&["inspect", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("seal") && !e.contains("panicked"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_usage_error_exits_3_and_never_2_which_means_diverged() {
    let o = ppcreplay(&["migrate", "--src", "POWER8", "--machine", "pseries-7.2"]);
    assert_eq!(code(&o), 3, "{}", String::from_utf8_lossy(&o.stderr));
    let o = ppcreplay(&[
        "migrate",
        "--src",
        "POWER8",
        "--dst",
        "POWER9",
        "--verdict-onl",
    ]);
    assert_eq!(code(&o), 3);
    let o = ppcreplay(&["migrate", "--help"]);
    assert_eq!(code(&o), 0);
}
