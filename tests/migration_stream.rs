//! The migration stream: encode∘decode is the identity, bad streams are refused
//! with typed errors naming the section and byte offset (bounded allocation, no
//! panics), a checkpoint restored on the same model continues exactly like the
//! uninterrupted run, and `cpu/compat` / the pre-2.8 sanity fields appear
//! exactly for the machine types QEMU sends them on.

mod common;
use common::*;
use ppcreplay::cpu::compat::{supported_modes, QemuVersion};
use ppcreplay::cpu::{find_model, CpuModel, MODELS};
use ppcreplay::exec::interp::Interp;
use ppcreplay::exec::{Cpu, VirtualEnv};
use ppcreplay::machine::elf::ElfImage;
use ppcreplay::machine::linux_user::{LinuxUser, ProcessExit};
use ppcreplay::machine::pseries::find_machine;
use ppcreplay::machine::{LoadOptions, Machine, RunExit};
use ppcreplay::mem::{Memory, PAGE_SIZE};
use ppcreplay::migration::stream::{
    self, checkpoint, decode, restore, seal_sections, to_bytes, to_sections, virtual_env_at,
    CountingEnv, RawSection, ReplayPosition, RestoreOptions, SanityFields, Stream, StreamContext,
    StreamError, MAGIC, MAX_SECTION, VERSION,
};
use ppcreplay::replay::trace;
use ppcreplay::replay::{record, RecordOptions, Replayer};
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;

// ---------------------------------------------------------------------------
// Per-thread allocation accounting (the decoder runs on the test's thread).

struct Counting;
thread_local! {
    static CUR: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}
fn note(delta: isize) {
    let _ = CUR.try_with(|c| {
        let v = (c.get() as isize + delta).max(0) as usize;
        c.set(v);
        let _ = PEAK.try_with(|p| {
            if v > p.get() {
                p.set(v)
            }
        });
    });
}
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = System.alloc(l);
        if !p.is_null() {
            note(l.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l);
        note(-(l.size() as isize));
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        let q = System.realloc(p, l, n);
        if !q.is_null() {
            note(n as isize - l.size() as isize);
        }
        q
    }
}
#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak bytes allocated (above the level at entry) while running `f`.
fn peak_alloc<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CUR.with(|c| c.get());
    PEAK.with(|p| p.set(base));
    let r = f();
    (r, PEAK.with(|p| p.get()) - base)
}

/// The allocation bound the decoder promises: a small multiple of the input
/// plus serde's capped pre-allocation for sequences (≤ 1 MiB each).
fn alloc_bound(len: usize) -> usize {
    16 * len + (4 << 20)
}

// ---------------------------------------------------------------------------
// Helpers.

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("ppcreplay-stream-{}-{name}", std::process::id()))
}

fn newest() -> ppcreplay::machine::pseries::MachineType {
    find_machine("pseries-9.2").unwrap()
}

/// A machine assembled by hand from register values and pages.
fn hand_machine(
    model: &'static CpuModel,
    le: bool,
    regs: &[u64],
    pages: &[(u64, u8, Option<u8>)],
    out: &[(i32, Vec<u8>)],
) -> Machine {
    let mut cpu = Cpu::new(model, le);
    let s = &mut cpu.state;
    for (i, r) in regs.iter().enumerate() {
        match i {
            0..=31 => s.gpr[i] = *r,
            32..=95 => s.vsr[(i - 32) / 2][i % 2] = *r,
            96 => s.pc = *r & !3,
            97 => s.lr = *r,
            98 => s.ctr = *r,
            99 => s.cr = *r as u32,
            100 => s.set_xer(*r, true),
            101 => s.fpscr = *r,
            102 => s.vscr = *r as u32 & 0x0001_0001,
            103 => s.vrsave = *r as u32,
            104 => s.tar = *r,
            105 => s.dscr = *r,
            106 => s.tb_offset = *r,
            107 if *r & 1 == 1 => {
                s.resv_addr = *r & !7;
                s.resv_len = 8;
                s.resv_val = [*r, 0];
            }
            _ => {}
        }
    }
    cpu.icount = regs.first().copied().unwrap_or(0) >> 20;
    let mut mem = Memory::new();
    for &(vpn, perm, fill) in pages {
        let a = vpn * PAGE_SIZE;
        mem.map_zero(a, PAGE_SIZE, perm).unwrap();
        if let Some(b) = fill {
            let mut d = vec![b; PAGE_SIZE as usize];
            d[(vpn % 4096) as usize] ^= 0x5a;
            mem.write_bytes(a, &d).unwrap();
        }
    }
    let mut os = LinuxUser::new(0x1000_0000, "/guest/prog", le, cpu.level);
    for (fd, data) in out {
        if *fd == 1 {
            os.stdout.extend_from_slice(data);
        } else {
            os.stderr.extend_from_slice(data);
        }
        os.write_log.push((*fd, data.len() as u64));
        os.output_hash.update(&fd.to_le_bytes());
        os.output_hash.update(&(data.len() as u64).to_le_bytes());
        os.output_hash.update(data);
    }
    Machine {
        cpu,
        mem,
        os,
        image: ElfImage {
            little_endian: le,
            abi: 2,
            e_entry: 0,
            entry_pc: 0,
            entry_toc: None,
            segments: Vec::new(),
            phdr_addr: 0,
            phnum: 0,
            phentsize: 0,
            symbols: Vec::new(),
        },
    }
}

fn small_machine() -> Machine {
    hand_machine(
        find_model("power9").unwrap(),
        true,
        &[0x1234_5678, 2, 3],
        &[
            (0x10, 5, Some(0x90)),
            (0x11, 3, None),
            (0x7fff0, 3, Some(1)),
        ],
        &[(1, b"hello\n".to_vec())],
    )
}

fn small_stream() -> Stream {
    let m = small_machine();
    checkpoint(&m, &StreamContext::new(&m, newest(), QemuVersion::NEWEST))
}

/// Byte offset of section `i`'s length prefix in `seal_sections(secs)`.
fn offset_of(secs: &[RawSection], i: usize) -> u64 {
    let mut off = MAGIC.len() + 4;
    for s in &secs[..i] {
        let mut b = Vec::new();
        ciborium::into_writer(s, &mut b).unwrap();
        off += 4 + b.len();
    }
    off as u64
}

fn raw(name: &str, version: u32) -> RawSection {
    RawSection {
        name: name.into(),
        version,
        body: vec![0xa0], // empty CBOR map
    }
}

// ---------------------------------------------------------------------------
// Identity and robustness.

fn machine_strategy() -> impl Strategy<Value = Machine> {
    (
        0..MODELS.len(),
        any::<bool>(),
        prop::collection::vec(any::<u64>(), 108),
        prop::collection::btree_map(
            0u64..(1 << 24),
            (0u8..8, prop::option::of(any::<u8>())),
            0..40,
        ),
        prop::collection::vec((1i32..3, prop::collection::vec(any::<u8>(), 0..40)), 0..4),
    )
        .prop_map(|(mi, le, regs, pages, out)| {
            let pages: Vec<_> = pages.into_iter().map(|(v, (p, f))| (v, p, f)).collect();
            hand_machine(&MODELS[mi], le, &regs, &pages, &out)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn encode_then_decode_is_the_identity_and_restore_then_checkpoint_too(
        m in machine_strategy(),
        machine in prop::sample::select(vec!["pseries-2.7", "pseries-2.9", "pseries-2.10", "pseries-9.2"]),
        with_compat in any::<bool>(),
        sanity in any::<(u64, u64, u64, u32)>(),
        pos in any::<(u64, u64, u64)>(),
    ) {
        let mt = find_machine(machine).unwrap();
        let q = QemuVersion::new(9, 1);
        let compat = if with_compat {
            supported_modes(m.cpu.model, q).first().map_or(0, |c| c.pvr)
        } else {
            0
        };
        let mut ctx = StreamContext::new(&m, mt, q);
        ctx.compat_pvr = compat;
        ctx.sanity = SanityFields { msr_mask: sanity.0, insns_flags: sanity.1, insns_flags2: sanity.2, nb_bats: sanity.3 };
        ctx.replay = ReplayPosition { events_consumed: pos.0, entropy_consumed: pos.1, seed: pos.2, trace_blake3: None };
        let st = checkpoint(&m, &ctx);
        let bytes = to_bytes(&st);
        let back = decode(&bytes).unwrap();
        prop_assert_eq!(&back, &st);
        // Restoring and checkpointing again gives the same stream: nothing the
        // stream carries is lost on the way into a machine.
        let opts = RestoreOptions { qemu: QemuVersion::new(9, 1), dst_compat_pvr: compat, guest: None };
        let r = restore(&back, m.cpu.model, &opts).unwrap();
        prop_assert_eq!(&r.cpu.state, &m.cpu.state);
        prop_assert_eq!(r.mem.digest(), m.mem.digest());
        prop_assert_eq!(r.os.output_hash.finalize(), m.os.output_hash.finalize());
        prop_assert_eq!(checkpoint(&r, &ctx), st);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics_and_allocates_boundedly(
        data in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        let (_, peak) = peak_alloc(|| decode(&data));
        prop_assert!(peak <= alloc_bound(data.len()), "{peak} bytes for {} input bytes", data.len());
        // The same bytes behind a valid magic, version and seal reach the
        // section decoder.
        let mut v = MAGIC.to_vec();
        v.extend_from_slice(&VERSION.to_le_bytes());
        v.extend_from_slice(&data);
        ppcreplay::sealed::seal(&mut v);
        let (r, peak) = peak_alloc(|| decode(&v));
        prop_assert!(r.is_err() || data.is_empty());
        prop_assert!(peak <= alloc_bound(v.len()), "{peak} bytes for {} input bytes", v.len());
    }

    #[test]
    fn any_flipped_bit_fails_the_seal(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut b = small_stream_bytes().to_vec();
        let i = pos.index(b.len());
        b[i] ^= 1 << bit;
        match decode(&b) {
            Err(StreamError::BadSeal { .. }) => {}
            Err(StreamError::BadMagic) if i < MAGIC.len() => {}
            other => prop_assert!(false, "flip at byte {i} bit {bit}: {other:?}"),
        }
    }
}

fn small_stream_bytes() -> &'static [u8] {
    static B: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    B.get_or_init(|| to_bytes(&small_stream()))
}

#[test]
fn a_long_section_sequence_nested_deeply_is_refused_without_panicking() {
    // 100k nested CBOR arrays inside a section record.
    let mut rec = vec![0x81u8; 100_000];
    rec.push(0);
    let b = ppcreplay::sealed::build(MAGIC, VERSION, [rec.as_slice()]);
    let (r, peak) = peak_alloc(|| decode(&b));
    assert!(
        matches!(r, Err(StreamError::Malformed { offset: 15, .. })),
        "{r:?}"
    );
    assert!(peak <= alloc_bound(b.len()));
}

// ---------------------------------------------------------------------------
// Typed errors.

#[test]
fn stream_errors_name_the_section_and_the_byte_offset() {
    let base = to_sections(&small_stream());
    let cpu_at = base.iter().position(|s| s.name == "cpu").unwrap();

    // Unknown section (QEMU's wording).
    let mut s = base.clone();
    s.push(raw("spapr_cpu", 1));
    let e = decode(&seal_sections(&s)).unwrap_err();
    assert_eq!(
        e,
        StreamError::UnknownSection {
            section: "spapr_cpu".into(),
            offset: offset_of(&s, s.len() - 1)
        }
    );
    assert!(e
        .to_string()
        .starts_with("Unknown savevm section or instance 'spapr_cpu' 0"));

    // Unknown subsection of cpu: the load fails (lookup).
    let mut s = base.clone();
    s.insert(cpu_at + 1, raw("cpu/tm", 1));
    assert_eq!(
        decode(&seal_sections(&s)).unwrap_err(),
        StreamError::UnknownSubsection {
            section: "cpu/tm".into(),
            offset: offset_of(&s, cpu_at + 1)
        }
    );

    // Section version too new.
    let mut s = base.clone();
    s[cpu_at].version = 6;
    let e = decode(&seal_sections(&s)).unwrap_err();
    assert_eq!(
        e,
        StreamError::SectionTooNew {
            section: "cpu".into(),
            found: 6,
            supported: 5,
            offset: offset_of(&s, cpu_at)
        }
    );
    assert!(e
        .to_string()
        .starts_with("savevm: unsupported version 6 for 'cpu' v5"));

    // Stream version too new.
    let payloads: Vec<Vec<u8>> = base
        .iter()
        .map(|r| {
            let mut b = Vec::new();
            ciborium::into_writer(r, &mut b).unwrap();
            b
        })
        .collect();
    let b = ppcreplay::sealed::build(MAGIC, VERSION + 1, payloads.iter().map(|p| p.as_slice()));
    assert!(matches!(
        decode(&b),
        Err(StreamError::TooNew {
            found: 2,
            offset: 11,
            ..
        })
    ));

    // Duplicate and missing sections.
    let mut s = base.clone();
    let k = s.iter().position(|x| x.name == "kernel").unwrap();
    s.insert(k + 1, s[k].clone());
    assert_eq!(
        decode(&seal_sections(&s)).unwrap_err(),
        StreamError::Duplicate {
            section: "kernel".into(),
            offset: offset_of(&s, k + 1)
        }
    );
    let mut s = base.clone();
    s.retain(|x| x.name != "replay");
    let b = seal_sections(&s);
    assert_eq!(
        decode(&b).unwrap_err(),
        StreamError::Missing {
            section: "replay".into(),
            offset: (b.len() - 36) as u64
        }
    );

    // A subsection away from its section.
    let mut s = base.clone();
    let f = s.iter().position(|x| x.name == "cpu/fpu").unwrap();
    let fpu = s.remove(f);
    s.push(fpu);
    assert!(matches!(
        decode(&seal_sections(&s)).unwrap_err(),
        StreamError::Misplaced { section, offset, .. } if section == "cpu/fpu" && offset == offset_of(&s, s.len() - 1)
    ));

    // Oversize length prefix.
    let mut b = small_stream_bytes()[..small_stream_bytes().len() - 36].to_vec();
    let at = b.len() as u64;
    b.extend_from_slice(&(MAX_SECTION + 1).to_le_bytes());
    b.extend_from_slice(&[0; 8]);
    ppcreplay::sealed::seal(&mut b);
    assert_eq!(
        decode(&b).unwrap_err(),
        StreamError::Oversize {
            offset: at,
            len: Some(MAX_SECTION as u64 + 1),
            limit: MAX_SECTION as u64
        }
    );
}

#[test]
fn ram_pages_must_be_aligned_ascending_and_match_their_hash() {
    let mut st = small_stream();
    st.ram[1].addr += 8;
    let s = to_sections(&st);
    let r = s.iter().position(|x| x.name == "ram").unwrap();
    assert_eq!(
        decode(&seal_sections(&s)).unwrap_err(),
        StreamError::UnalignedPage {
            offset: offset_of(&s, r),
            addr: 0x11008
        }
    );
    let mut st = small_stream();
    st.ram.swap(0, 1);
    assert!(matches!(
        decode(&to_bytes(&st)).unwrap_err(),
        StreamError::BadPage { addr: 0x10000, .. }
    ));
    let mut st = small_stream();
    st.ram[0].data.as_mut().unwrap()[7] ^= 1;
    let e = decode(&to_bytes(&st)).unwrap_err();
    assert!(e.to_string().contains("page blake3 mismatch"), "{e}");
}

#[test]
fn a_stream_file_is_written_atomically_and_reads_back() {
    let p = tmp("atomic.stream");
    let st = small_stream();
    stream::encode(&st, &p).unwrap();
    assert_eq!(stream::read(&p).unwrap(), st);
    let leftovers = std::fs::read_dir(p.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".ppcreplay-stream-")
        })
        .count();
    assert_eq!(leftovers, 0);
    let _ = std::fs::remove_file(&p);
}

// ---------------------------------------------------------------------------
// Machine-type flags.

#[test]
fn cpu_compat_is_sent_exactly_for_2_10_and_newer_with_a_compat_mode() {
    let m = small_machine();
    for (machine, compat, expect) in [
        ("pseries-2.9", 0x0F00_0004, false),
        ("pseries-2.9", 0, false),
        ("pseries-2.10", 0x0F00_0004, true),
        ("pseries-2.10", 0, false),
        ("pseries-9.2", 0x0F00_0004, true),
        ("pseries-9.2", 0, false),
    ] {
        let mut ctx =
            StreamContext::new(&m, find_machine(machine).unwrap(), QemuVersion::new(9, 1));
        ctx.compat_pvr = compat;
        let st = checkpoint(&m, &ctx);
        assert_eq!(st.compat.is_some(), expect, "{machine} compat {compat:#x}");
        assert_eq!(decode(&to_bytes(&st)).unwrap(), st);
    }
}

#[test]
fn pre_2_8_sanity_fields_are_sent_only_for_pseries_2_7_and_older() {
    let m = small_machine();
    for (machine, expect) in [
        ("pseries-2.1", true),
        ("pseries-2.7", true),
        ("pseries-2.8", false),
        ("pseries-9.2", false),
    ] {
        let st = checkpoint(
            &m,
            &StreamContext::new(&m, find_machine(machine).unwrap(), QemuVersion::new(2, 9)),
        );
        assert_eq!(st.cpu.sanity.is_some(), expect, "{machine}");
    }
}

#[test]
fn a_compat_subsection_on_a_pre_2_10_machine_type_is_refused() {
    let m = small_machine();
    let mut ctx = StreamContext::new(
        &m,
        find_machine("pseries-2.10").unwrap(),
        QemuVersion::new(9, 1),
    );
    ctx.compat_pvr = 0x0F00_0004;
    let mut st = checkpoint(&m, &ctx);
    st.header.machine = (&find_machine("pseries-2.9").unwrap()).into();
    let s = to_sections(&st);
    let c = s.iter().position(|x| x.name == "cpu/compat").unwrap();
    assert!(matches!(
        decode(&seal_sections(&s)).unwrap_err(),
        StreamError::Inconsistent { section, offset, .. } if section == "cpu/compat" && offset == offset_of(&s, c)
    ));
    // And sanity fields on a post-2.8 machine type.
    let mut st = checkpoint(&m, &StreamContext::new(&m, newest(), QemuVersion::NEWEST));
    st.cpu.sanity = Some(SanityFields::default());
    assert!(matches!(
        decode(&to_bytes(&st)).unwrap_err(),
        StreamError::Inconsistent { section, .. } if section == "cpu"
    ));
}

// ---------------------------------------------------------------------------
// Continuation.

struct Final {
    exit: RunExit,
    icount: u64,
    stdout: Vec<u8>,
    output: blake3::Hash,
    digest: blake3::Hash,
}

fn finish(m: &mut Machine, exit: RunExit) -> Final {
    Final {
        exit,
        icount: m.cpu.icount,
        stdout: m.os.stdout.clone(),
        output: m.os.output_hash.finalize(),
        digest: m.state_digest(),
    }
}

fn load(
    elf: &str,
    model: &'static CpuModel,
    env: &mut dyn ppcreplay::exec::Env,
) -> (Machine, Vec<u8>) {
    let e = manifest().into_iter().find(|e| e.elf == elf).unwrap();
    let bytes = std::fs::read(elf_path(&e)).unwrap();
    let mut argv = vec![elf.to_string()];
    argv.extend(e.args.iter().cloned());
    let opts = LoadOptions {
        argv,
        ..Default::default()
    };
    (
        Machine::load(elf, &bytes, model, env, &opts).unwrap(),
        bytes,
    )
}

fn assert_same(a: &Final, b: &Final, what: &str) {
    assert_eq!(a.exit, b.exit, "{what}: exit");
    assert_eq!(a.icount, b.icount, "{what}: icount");
    assert_eq!(a.stdout, b.stdout, "{what}: stdout");
    assert_eq!(a.output, b.output, "{what}: output hash");
    assert_eq!(a.digest, b.digest, "{what}: state digest");
}

/// Runs `elf` uninterrupted, then checkpoints at each of `points` (fractions of
/// the run), writes/reads the stream file, restores on the same model and
/// continues from a virtual environment positioned from the stream.
fn checkpoint_and_continue(elf: &str, model: &str, points: &[f64]) {
    let model = find_model(model).unwrap();
    let seed = 7;
    let mut env = VirtualEnv::new(seed);
    let (mut m, _) = load(elf, model, &mut env);
    let exit = m.run(&mut Interp::new(), &mut env, Some(200_000_000));
    let reference = finish(&mut m, exit);
    assert!(
        matches!(reference.exit, RunExit::Exited(_)),
        "{elf}: {:?}",
        reference.exit
    );

    for &f in points {
        let n = (reference.icount as f64 * f) as u64;
        let mut env = CountingEnv::new(VirtualEnv::new(seed));
        let (mut m, bytes) = load(elf, model, &mut env);
        assert_eq!(
            m.run(&mut Interp::new(), &mut env, Some(n)),
            RunExit::BudgetExhausted
        );
        assert_eq!(m.cpu.icount, n);
        let mut ctx = StreamContext::new(&m, newest(), QemuVersion::NEWEST);
        ctx.replay = ReplayPosition {
            events_consumed: env.events,
            entropy_consumed: env.entropy_bytes,
            seed,
            trace_blake3: None,
        };
        ctx.guest_blake3 = Some(blake3::hash(&bytes).to_hex().to_string());
        let st = checkpoint(&m, &ctx);
        drop(m);
        let p = tmp(&format!("{}-{n}.stream", elf.replace('/', "_")));
        stream::encode(&st, &p).unwrap();
        let back = stream::read(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        assert_eq!(back, st);
        let opts = RestoreOptions {
            guest: Some(&bytes),
            ..Default::default()
        };
        let mut r = restore(&back, model, &opts).unwrap();
        let mut env = virtual_env_at(&back.replay);
        let exit = r.run(&mut Interp::new(), &mut env, Some(200_000_000));
        assert_same(
            &finish(&mut r, exit),
            &reference,
            &format!("{elf} checkpointed at {n}"),
        );
    }
}

#[test]
fn sort_checkpointed_restored_and_continued_ends_like_the_uninterrupted_run() {
    checkpoint_and_continue("bin/sort.le-power9.elf", "power9", &[0.0, 0.4, 0.97]);
}

#[test]
fn a_glibc_program_continues_identically_with_the_entropy_stream_position_restored() {
    checkpoint_and_continue("bin/glibc-printf.le-power9.elf", "power9", &[0.5]);
}

#[test]
fn a_recorded_run_continues_from_a_checkpoint_through_the_replayer() {
    let elf = "bin/glibc-strings.le-power9.elf";
    let model = find_model("power9").unwrap();
    let e = manifest().into_iter().find(|e| e.elf == elf).unwrap();
    let bytes = std::fs::read(elf_path(&e)).unwrap();
    let mut argv = vec![elf.to_string()];
    argv.extend(e.args.iter().cloned());
    let tp = tmp("strings.trace");
    let opts = RecordOptions {
        guest_path: elf,
        guest: &bytes,
        model,
        load: LoadOptions {
            argv: argv.clone(),
            ..Default::default()
        },
        seed: 3,
        host_clock: false,
        host_entropy: false,
        digest_every: 1_000_000,
        max_insns: Some(200_000_000),
        passthrough: false,
        pseries: None,
    };
    record(&opts, &mut Interp::new(), &tp).unwrap();
    let tr = trace::read(&tp).unwrap();
    let _ = std::fs::remove_file(&tp);

    // Source up to the checkpoint, serving the recorded inputs.
    let n = tr.end.icount / 2;
    let mut env = CountingEnv::new(Replayer::new(&tr.events));
    let load = LoadOptions {
        argv,
        ..Default::default()
    };
    let mut m = Machine::load(elf, &bytes, model, &mut env, &load).unwrap();
    m.run(&mut Interp::new(), &mut env, Some(n));
    assert!(env.inner.out_of_step.is_none());
    let mut ctx = StreamContext::new(&m, newest(), QemuVersion::NEWEST);
    ctx.replay = ReplayPosition {
        events_consumed: env.events,
        entropy_consumed: env.entropy_bytes,
        seed: 3,
        trace_blake3: None,
    };
    let st = decode(&to_bytes(&checkpoint(&m, &ctx))).unwrap();

    // Destination: restored, fed the events recorded after the checkpoint.
    let mut r = restore(&st, model, &RestoreOptions::default()).unwrap();
    let rest = &tr.events[st.replay.events_consumed as usize..];
    let mut env = Replayer::new(rest);
    let exit = r.run(&mut Interp::new(), &mut env, Some(200_000_000));
    assert!(env.out_of_step.is_none(), "{:?}", env.out_of_step);
    assert_eq!(env.remaining(), 0);
    assert_eq!(exit.exit_code(), tr.end.exit_code);
    assert_eq!(r.cpu.icount, tr.end.icount);
    assert_eq!(
        r.os.output_hash.finalize().to_hex().to_string(),
        tr.end.output
    );
    assert_eq!(
        r.cpu.state.digest().to_hex().to_string(),
        tr.end.final_digest.state
    );
    assert_eq!(
        r.mem.digest().to_hex().to_string(),
        tr.end.final_digest.memory
    );
}

#[test]
fn restoring_into_a_model_that_cannot_run_the_compat_mode_fails_with_qemus_message() {
    let m = small_machine();
    let mut ctx = StreamContext::new(&m, newest(), QemuVersion::NEWEST);
    ctx.compat_pvr = 0x0F00_0005; // power9 (ISA 3.0) mode
    let st = checkpoint(&m, &ctx);
    let e = restore(
        &st,
        find_model("power8").unwrap(),
        &RestoreOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("not valid for CPU"), "{e}");
}

#[test]
fn a_finished_process_keeps_its_exit_status_across_a_checkpoint() {
    let mut m = small_machine();
    m.os.exit = Some(ProcessExit::Signaled(6));
    let st = checkpoint(&m, &StreamContext::new(&m, newest(), QemuVersion::NEWEST));
    let r = restore(
        &decode(&to_bytes(&st)).unwrap(),
        m.cpu.model,
        &RestoreOptions::default(),
    )
    .unwrap();
    assert_eq!(r.os.exit, Some(ProcessExit::Signaled(6)));
}

// ---------------------------------------------------------------------------
// Fuzz seeds.

fn seeds_dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/stream")
}

/// The committed fuzz seeds: a valid stream and a few that each fail one check.
/// `PPCREPLAY_WRITE_FUZZ_SEEDS=1` regenerates them after a format change.
#[test]
fn committed_fuzz_seeds_decode_as_they_should() {
    let valid = to_bytes(&small_stream());
    let mut secs = to_sections(&small_stream());
    secs.insert(2, raw("cpu/tm", 1));
    let unknown_sub = seal_sections(&secs);
    let mut st = small_stream();
    st.ram[0].addr += 1;
    let unaligned = to_bytes(&st);
    if std::env::var_os("PPCREPLAY_WRITE_FUZZ_SEEDS").is_some() {
        std::fs::create_dir_all(seeds_dir()).unwrap();
        for (n, b) in [
            ("valid.stream", &valid),
            ("unknown-subsection.stream", &unknown_sub),
            ("unaligned-page.stream", &unaligned),
        ] {
            std::fs::write(seeds_dir().join(n), b).unwrap();
        }
    }
    let read = |n: &str| std::fs::read(seeds_dir().join(n)).unwrap();
    assert!(decode(&read("valid.stream")).is_ok());
    assert!(matches!(
        decode(&read("unknown-subsection.stream")),
        Err(StreamError::UnknownSubsection { .. })
    ));
    assert!(matches!(
        decode(&read("unaligned-page.stream")),
        Err(StreamError::UnalignedPage { .. })
    ));
}

#[test]
fn tm_sprs_travel_in_their_own_subsection_only_when_non_zero() {
    // A TM-free machine sends no cpu/tm-sprs (streams stay byte-identical to
    // those made before the subsection existed).
    let st = small_stream();
    assert!(st.tm_sprs.is_none());
    assert!(!to_sections(&st).iter().any(|s| s.name == "cpu/tm-sprs"));
    // After a failing tbegin. (QEMU's values, tests/vectors/tm.jsonl) it is
    // sent, decodes to the same values and restores them.
    let mut m = small_machine();
    m.cpu.state.texasr = 0x0140_0000_3c00_0000;
    m.cpu.state.tfiar = 0x1000_0123;
    m.cpu.state.tfhar = 0x1000_0124;
    let st = checkpoint(&m, &StreamContext::new(&m, newest(), QemuVersion::NEWEST));
    assert!(to_sections(&st).iter().any(|s| s.name == "cpu/tm-sprs"));
    let back = decode(&to_bytes(&st)).unwrap();
    assert_eq!(back, st);
    let r = restore(
        &back,
        find_model("power9").unwrap(),
        &RestoreOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (r.cpu.state.texasr, r.cpu.state.tfiar, r.cpu.state.tfhar),
        (0x0140_0000_3c00_0000, 0x1000_0123, 0x1000_0124)
    );
    // MSR[TM] is the guest kernel's enable, carried in the stream's MSR
    // (the POWER9 source had it), on the destination's hardware: set on
    // POWER9, clear on POWER10 (no TM there).
    assert_ne!(back.cpu.msr & ppcreplay::cpu::msr::TM, 0);
    assert_ne!(r.cpu.state.msr & ppcreplay::cpu::msr::TM, 0);
    let r = restore(
        &back,
        find_model("power10").unwrap(),
        &RestoreOptions::default(),
    )
    .unwrap();
    assert_eq!(r.cpu.state.msr & ppcreplay::cpu::msr::TM, 0);
    // A guest whose kernel was not offered TM (cap-htm off) keeps it off on
    // a POWER9 destination too.
    let mut off = back.clone();
    off.cpu.msr &= !ppcreplay::cpu::msr::TM;
    let r = restore(
        &off,
        find_model("power9").unwrap(),
        &RestoreOptions::default(),
    )
    .unwrap();
    assert_eq!(r.cpu.state.msr & ppcreplay::cpu::msr::TM, 0);
    // A cpu/tm-sprs whose values are all zero is refused.
    let mut zero = st.clone();
    zero.tm_sprs = Some(stream::TmSprsSubsection {
        texasr: 0,
        tfiar: 0,
        tfhar: 0,
    });
    let e = decode(&to_bytes(&zero)).unwrap_err();
    assert!(
        matches!(&e, StreamError::Inconsistent { section, .. } if section == "cpu/tm-sprs"),
        "{e}"
    );
}
