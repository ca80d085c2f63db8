//! Record/replay: traces reproduce runs bit for bit, damaged traces are rejected,
//! and a replay on another model pins the first divergent instruction.

mod common;
use common::*;
use ppcreplay::cpu::find_model;
use ppcreplay::exec::interp::{fetch_decode, Interp};
use ppcreplay::exec::{Engine, VirtualEnv};
use ppcreplay::isa::IsaLevel;
use ppcreplay::machine::{LoadOptions, Machine};
use ppcreplay::replay::trace::{self, TraceError};
use ppcreplay::replay::{record, replay, DivergenceClass, RecordOptions};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn interp() -> Box<dyn Engine> {
    Box::new(Interp::new())
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("ppcreplay-replay-{}-{name}", std::process::id()))
}

fn record_entry(e: &Entry, model: &str, host: bool, every: u64, out: &Path) {
    let bytes = std::fs::read(elf_path(e)).unwrap();
    let p = elf_path(e).to_string_lossy().into_owned();
    // argv[0] is the corpus-relative path: the initial stack (and so every
    // digest) must not depend on where the checkout lives.
    let mut argv = vec![e.elf.clone()];
    argv.extend(e.args.iter().cloned());
    let opts = RecordOptions {
        guest_path: &p,
        guest: &bytes,
        model: find_model(model).unwrap(),
        load: LoadOptions {
            argv,
            ..Default::default()
        },
        seed: 7,
        host_clock: host,
        host_entropy: host,
        digest_every: every,
        max_insns: Some(200_000_000),
        passthrough: false,
        pseries: None,
    };
    record(&opts, interp().as_mut(), out).unwrap();
}

fn entry(elf: &str) -> Entry {
    manifest()
        .into_iter()
        .find(|e| e.elf == elf)
        .unwrap_or_else(|| panic!("{elf} not in manifest"))
}

#[test]
fn every_corpus_program_replays_identically_and_its_digests_are_stable() {
    let mut lines = Vec::new();
    for e in manifest().iter().filter(|e| e.exit_code.is_some()) {
        let out = tmp(&e.elf.replace('/', "_"));
        record_entry(e, e.model_name(), false, 1_000_000, &out);
        let t = trace::read(&out).unwrap();
        let r = replay(&t, None, None, &interp).unwrap();
        assert!(r.divergence.is_none(), "{}: {:?}", e.elf, r.divergence);
        lines.push(format!(
            "{} insns={} exit={} output={} final={}",
            e.elf,
            t.end.icount,
            t.end.exit,
            &t.end.output[..16],
            &t.end.final_digest.state[..16]
        ));
        std::fs::remove_file(out).ok();
    }
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("corpus_trace_digests", lines.join("\n"));
    });
}

#[test]
fn a_trace_recorded_with_host_clock_and_entropy_replays_identically_every_time() {
    let e = entry("bin/glibc-strings.le-power9.elf");
    let out = tmp("host.trace");
    record_entry(&e, "power9", true, 2_000_000, &out);
    let t = trace::read(&out).unwrap();
    assert_eq!(t.header.clock, "host");
    assert!(!t.events.is_empty(), "getrandom/AT_RANDOM must be recorded");
    for _ in 0..3 {
        let r = replay(&t, None, None, &interp).unwrap();
        assert!(r.divergence.is_none(), "{:?}", r.divergence);
    }
    std::fs::remove_file(out).ok();
}

fn small_trace() -> Vec<u8> {
    let out = tmp("small.trace");
    record_entry(&entry("bin/asm-isa206.le.elf"), "power8", false, 100, &out);
    let b = std::fs::read(&out).unwrap();
    std::fs::remove_file(out).ok();
    b
}

#[test]
fn truncated_and_newer_version_traces_are_rejected_with_named_errors() {
    let b = small_trace();
    assert!(matches!(
        trace::decode("t", &b[..b.len() - 1]),
        Err(TraceError::BadSeal { .. })
    ));
    assert!(matches!(
        trace::decode("t", &b[..20]),
        Err(TraceError::Truncated { .. })
    ));
    assert!(matches!(
        trace::decode(
            "t",
            b"ELF\0 this is not a trace at all.................................."
        ),
        Err(TraceError::BadMagic { .. })
    ));
    // A newer version with a valid seal: rejected for its version, not its seal.
    let mut v = b[..b.len() - 36].to_vec();
    v[10..14].copy_from_slice(&2u32.to_le_bytes());
    let seal = blake3::hash(&v);
    v.extend_from_slice(b"SEAL");
    v.extend_from_slice(seal.as_bytes());
    let e = trace::decode("t", &v).unwrap_err();
    assert!(
        matches!(
            e,
            TraceError::TooNew {
                found: 2,
                supported: 1,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("newer"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_single_byte_flip_is_rejected(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let b = small_trace_cached();
        let mut c = b.to_vec();
        let i = pos.index(c.len());
        c[i] ^= 1 << bit;
        prop_assert!(trace::decode("t", &c).is_err());
    }
}

fn small_trace_cached() -> &'static [u8] {
    static T: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    T.get_or_init(small_trace)
}

/// The first instruction a POWER9 run executes whose table row is ISA 3.0.
fn first_isa300_pc(e: &Entry) -> (u64, u64) {
    let bytes = std::fs::read(elf_path(e)).unwrap();
    let mut env = VirtualEnv::new(7);
    let opts = LoadOptions {
        argv: vec![elf_path(e).to_string_lossy().into_owned()],
        ..Default::default()
    };
    let mut m = Machine::load("g", &bytes, find_model("power9").unwrap(), &mut env, &opts).unwrap();
    let mut eng = Interp::new();
    loop {
        let pc = m.cpu.state.pc;
        let le = m.cpu.state.little_endian();
        let i = fetch_decode(&mut m.mem, pc, le, IsaLevel::V3_1).unwrap();
        if i.def().unwrap().level == IsaLevel::V3_0 {
            return (m.cpu.icount, pc);
        }
        let n = m.cpu.icount + 1;
        m.run(&mut eng, &mut env, Some(n));
    }
}

#[test]
fn replaying_a_power9_build_on_power8_diverges_at_the_first_isa_3_0_instruction() {
    let e = entry("bin/asm-isa300.le.elf");
    let out = tmp("p9.trace");
    record_entry(&e, "power9", false, 100, &out);
    let t = trace::read(&out).unwrap();
    let r = replay(&t, None, Some(find_model("POWER8").unwrap()), &interp).unwrap();
    let d = r.divergence.expect("must diverge");
    let (icount, pc) = first_isa300_pc(&e);
    assert_eq!((d.icount, d.pc), (icount, pc), "{d:?}");
    assert_eq!(d.class, DivergenceClass::IllegalOnModel);
    assert!(d.detail.contains("ISA 3.0"), "{}", d.detail);
    std::fs::remove_file(out).ok();
}

#[test]
fn replaying_on_a_model_of_the_same_isa_level_is_identical() {
    let e = entry("bin/sort.le-power8.elf");
    let out = tmp("p8.trace");
    record_entry(&e, "power8", false, 500_000, &out);
    let t = trace::read(&out).unwrap();
    for m in ["POWER8E", "POWER8NVL"] {
        let r = replay(&t, None, Some(find_model(m).unwrap()), &interp).unwrap();
        assert!(r.divergence.is_none(), "{m}: {:?}", r.divergence);
    }
    std::fs::remove_file(out).ok();
}

/// A minimal static ELF64 (one RWX PT_LOAD at 0x10000000) around `code`.
fn tiny_elf(code: &[u8], le: bool) -> Vec<u8> {
    let base = 0x1000_0000u64;
    let entry = base + 0x1000;
    let mut f = vec![0u8; 0x1000];
    let put = |f: &mut Vec<u8>, off: usize, v: u64, n: usize| {
        for i in 0..n {
            let sh = if le { 8 * i } else { 8 * (n - 1 - i) };
            f[off + i] = (v >> sh) as u8;
        }
    };
    f[..4].copy_from_slice(b"\x7fELF");
    f[4] = 2;
    f[5] = if le { 1 } else { 2 };
    f[6] = 1;
    put(&mut f, 16, 2, 2); // ET_EXEC
    put(&mut f, 18, 21, 2); // EM_PPC64
    put(&mut f, 20, 1, 4);
    put(&mut f, 24, entry, 8);
    put(&mut f, 32, 64, 8); // e_phoff
    put(&mut f, 48, 2, 4); // e_flags: ELFv2
    put(&mut f, 52, 64, 2);
    put(&mut f, 54, 56, 2);
    put(&mut f, 56, 1, 2);
    // PT_LOAD covering the whole file.
    let total = 0x1000 + code.len() as u64;
    put(&mut f, 64, 1, 4);
    put(&mut f, 68, 7, 4);
    put(&mut f, 72, 0, 8);
    put(&mut f, 80, base, 8);
    put(&mut f, 88, base, 8);
    put(&mut f, 96, total, 8);
    put(&mut f, 104, total + 0x1000, 8);
    put(&mut f, 112, 0x1000, 8);
    f.extend_from_slice(code);
    f
}

fn straight_line_program(ops: &[(u8, u8, u8, u8, i16)], le: bool) -> Vec<u8> {
    use ppcreplay::isa::encode::asm;
    let mut code = Vec::new();
    let mut emit = |m: &str, o: &[i64]| code.extend(asm(m, o).unwrap().bytes(le));
    for &(k, a, b, c, imm) in ops {
        let (a, b, c) = (
            3 + (a % 20) as i64,
            3 + (b % 20) as i64,
            3 + (c % 20) as i64,
        );
        match k % 12 {
            0 => emit("addi", &[a, b, imm as i64]),
            1 => emit("add.", &[a, b, c]),
            2 => emit("subfc", &[a, b, c]),
            3 => emit("adde", &[a, b, c]),
            4 => emit("mulld", &[a, b, c]),
            5 => emit("xor", &[a, b, c]),
            6 => emit(
                "rldicl",
                &[a, b, (imm as i64) & 63, ((imm >> 6) as i64) & 63],
            ),
            7 => emit("sraw", &[a, b, c]),
            8 => emit("divd", &[a, b, c]),
            9 => emit("mftb", &[a, 268]),
            10 => emit("cmp", &[0, 1, b, c]),
            _ => emit("std", &[a, ((imm as i64) & 0xf8), 1]),
        }
    }
    // exit(r3 & 0xff)
    emit("addi", &[0, 0, 1]);
    emit("sc", &[0]);
    code
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn random_straight_line_programs_record_and_replay_identically(
        ops in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<i16>()), 1..200),
        le in any::<bool>(),
        host in any::<bool>(),
    ) {
        let elf = tiny_elf(&straight_line_program(&ops, le), le);
        let path = tmp(&format!("prog-{}.elf", ops.len()));
        std::fs::write(&path, &elf).unwrap();
        let p = path.to_string_lossy().into_owned();
        let out = tmp(&format!("prog-{}.trace", ops.len()));
        let opts = RecordOptions {
            guest_path: &p,
            guest: &elf,
            model: find_model("power10").unwrap(),
            load: LoadOptions { argv: vec![p.clone()], ..Default::default() },
            seed: 1,
            host_clock: host,
            host_entropy: host,
            digest_every: 7,
            max_insns: Some(10_000),
            passthrough: false,
            pseries: None,
        };
        record(&opts, interp().as_mut(), &out).unwrap();
        let t = trace::read(&out).unwrap();
        let r = replay(&t, None, None, &interp).unwrap();
        prop_assert!(r.divergence.is_none(), "{:?}", r.divergence);
        std::fs::remove_file(&out).ok();
        std::fs::remove_file(&path).ok();
    }
}
