//! The migration stream: a checkpoint of a running guest in QEMU's terms,
//! documented in `docs/migration-stream.md`.
//!
//! ```text
//! magic "PPCRSTREAM\n" | version u32 LE | sections… | "SEAL" | blake3
//! section = length u32 LE (≤ MAX_SECTION) | CBOR [name, version, CBOR body as bytes]
//! ```
//! Sections mirror QEMU's vmstate concepts (facts §1.0, §2, §7 of
//! `../shared/reference/qemu-migration-facts.md`): `header`, `cpu` (v5, like
//! QEMU's) followed by its subsections `cpu/fpu`, `cpu/altivec`, `cpu/vsx`,
//! `cpu/compat`, `cpu/reservation`, then `timebase`, `ram` (one or more chunks),
//! `kernel` and `replay`. Which subsections and fields are present follows the
//! machine type's migration flags exactly as QEMU's `needed` functions decide:
//! `cpu/compat` only when `pre-2.10-migration` is off and the compat PVR is
//! non-zero; the pre-2.8 sanity fields only for `pre-2.8-migration` machines.
//!
//! [`checkpoint`] captures a [`Machine`]; [`encode`]/[`to_bytes`] seal a
//! [`Stream`]; [`decode`] is strict and bounded (every error names the section and
//! byte offset); [`restore`] rebuilds a machine that continues identically.

use crate::cpu::compat::{set_compat, CompatError, QemuVersion};
use crate::cpu::{ArchState, CpuModel, NO_RESERVATION};
use crate::exec::env::EntropyUse;
use crate::exec::{Cpu, Env, VirtualEnv};
use crate::machine::elf::ElfImage;
use crate::machine::linux_user::{KernelState, KernelStateError, LinuxUser};
use crate::machine::pseries::MachineType;
use crate::machine::Machine;
use crate::mem::{MemError, Memory, PAGE_SIZE};
use crate::sealed::{self, OpenError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// File magic.
pub const MAGIC: &[u8; 11] = b"PPCRSTREAM\n";
/// Current format version.
pub const VERSION: u32 = 1;
/// Largest accepted section record (bounded allocation on untrusted input).
pub const MAX_SECTION: u32 = 4 << 20;
/// Pages per `ram` chunk written by the encoder (≈1 MiB of data at most).
pub const RAM_CHUNK_PAGES: usize = 256;
/// Most pages a stream may carry (the [`Memory`] default limit: 4 GiB).
pub const MAX_PAGES: usize = 1 << 20;

/// Section names and the newest version of each this build reads. `cpu` and
/// `ram` carry QEMU's own vmstate versions (5 and 4); the others start at 1.
const SECTIONS: &[(&str, u32)] = &[
    ("header", 1),
    ("cpu", 5),
    ("timebase", 1),
    ("ram", 4),
    ("kernel", 1),
    ("replay", 1),
];
/// Subsections of `cpu` (all version 1, as in QEMU), in QEMU's list order.
const CPU_SUBSECTIONS: &[&str] = &[
    "cpu/fpu",
    "cpu/altivec",
    "cpu/vsx",
    "cpu/compat",
    "cpu/reservation",
    "cpu/tm-sprs",
];

/// Stream header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Format version the stream was written with.
    pub format_version: u32,
    /// Machine type and its CPU migration flags.
    pub machine: MachineFlags,
    /// Source CPU model name.
    pub source_model: String,
    /// Source model's PVR (the class PVR, not the logical compat PVR).
    pub source_pvr: u32,
    /// QEMU-version profile ("7.2").
    pub qemu: String,
    /// blake3 of the guest ELF (hex), when known.
    pub guest_blake3: Option<String>,
}

/// A machine type's name and the CPU migration flags that shape the stream
/// (facts §2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineFlags {
    /// "pseries-2.10".
    pub name: String,
    /// `pre-2.8-migration`: the sanity fields are sent.
    pub pre_2_8_migration: bool,
    /// `pre-2.10-migration`: `cpu/compat` is never sent.
    pub pre_2_10_migration: bool,
    /// `pre-3.0-migration` (affects `cpu/slb`, which user-mode guests lack).
    pub pre_3_0_migration: bool,
}

impl From<&MachineType> for MachineFlags {
    fn from(m: &MachineType) -> Self {
        MachineFlags {
            name: m.name.clone(),
            pre_2_8_migration: m.pre_2_8_migration,
            pre_2_10_migration: m.pre_2_10_migration,
            pre_3_0_migration: m.pre_3_0_migration,
        }
    }
}

/// The pre-2.8 sanity fields QEMU ≤ 2.7 sent at the end of `cpu` (facts §7 row
/// 10): the source class's MSR mask, instruction-flag masks and BAT count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SanityFields {
    /// mig_msr_mask.
    pub msr_mask: u64,
    /// mig_insns_flags.
    pub insns_flags: u64,
    /// mig_insns_flags2.
    pub insns_flags2: u64,
    /// mig_nb_BATs.
    pub nb_bats: u32,
}

/// The SPRs we model (QEMU sends its whole `spr[1024]` array).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sprs {
    /// PVR (SPR 287) as the guest sees it.
    pub pvr: u32,
    /// PCR (SPR 338).
    pub pcr: u64,
    /// VRSAVE (SPR 256).
    pub vrsave: u32,
    /// TAR (SPR 815).
    pub tar: u64,
    /// PPR (SPR 896).
    pub ppr: u64,
    /// DSCR (SPR 17).
    pub dscr: u64,
}

/// Section `cpu` (QEMU vmstate `cpu` v5 fixed fields, the parts we model).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuSection {
    /// GPRs.
    pub gpr: [u64; 32],
    /// CR (QEMU sends crf[8]; one word here, CR0 in the top nibble).
    pub cr: u32,
    /// Next instruction address.
    pub nip: u64,
    /// MSR.
    pub msr: u64,
    /// LR.
    pub lr: u64,
    /// CTR.
    pub ctr: u64,
    /// XER, assembled.
    pub xer: u64,
    /// Modelled SPRs.
    pub sprs: Sprs,
    /// Pre-2.8 sanity fields: present exactly for `pre-2.8-migration` machines.
    pub sanity: Option<SanityFields>,
}

/// Subsection `cpu/fpu`: FPRs (VSR doubleword 0 of 0–31) and FPSCR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FpuSubsection {
    /// FPR 0–31.
    pub fpr: [u64; 32],
    /// FPSCR.
    pub fpscr: u64,
}

/// Subsection `cpu/altivec`: VRs and VSCR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AltivecSubsection {
    /// VR n as (doubleword 0, doubleword 1).
    pub vr: Vec<[u64; 2]>,
    /// VSCR.
    pub vscr: u32,
}

/// Subsection `cpu/vsx`: doubleword 1 of VSR 0–31.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VsxSubsection {
    /// VSR n doubleword 1.
    pub vsr_dw1: [u64; 32],
}

/// Subsection `cpu/compat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompatSubsection {
    /// Logical PVR of the active compatibility mode (never 0 when sent).
    pub compat_pvr: u32,
}

/// Subsection `cpu/reservation` (QEMU sends it for record/replay only; a
/// checkpoint between `larx` and `stcx.` needs it to continue identically).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationSubsection {
    /// Reserved address.
    pub addr: u64,
    /// Length in bytes.
    pub len: u64,
    /// Reserved value(s).
    pub val: [u64; 2],
}

/// Section `timebase` (QEMU's `ppc_timebase`: the guest timebase at the
/// checkpoint; the destination derives its offset from it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimebaseSection {
    /// Timebase frequency (Hz).
    pub tb_freq: u64,
    /// Offset added to virtual time (TB = virtual + offset).
    pub tb_offset: u64,
    /// The timebase the guest would read at the checkpoint.
    pub guest_timebase: u64,
}

/// One mapped page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamPage {
    /// Page address (multiple of 4096).
    pub addr: u64,
    /// Permissions (`mem::perm` bits).
    pub perm: u8,
    /// Contents; `None` for an all-zero page (elided, like QEMU's zero pages).
    #[serde(with = "opt_bytes")]
    pub data: Option<Vec<u8>>,
    /// blake3 of the 4096 bytes (zero pages: omitted).
    #[serde(with = "opt_bytes")]
    pub blake3: Option<Vec<u8>>,
}

#[derive(Serialize, Deserialize)]
struct RamChunk {
    pages: Vec<RamPage>,
}

/// Section `replay`: where the checkpoint sits in the source's run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplaySection {
    /// Retired instructions at the checkpoint.
    pub icount: u64,
    /// Environment requests (trace events) consumed before the checkpoint.
    pub events_consumed: u64,
    /// Bytes of entropy consumed (position in the virtual entropy stream).
    pub entropy_consumed: u64,
    /// Seed of the virtual environment.
    pub seed: u64,
    /// blake3 of the source's trace (hex), when the run was recorded.
    pub trace_blake3: Option<String>,
}

/// Subsection `cpu/tm-sprs`: the transactional-memory SPRs, sent only when
/// any of them is non-zero (a run that never used TM streams exactly as
/// before the subsection existed). QEMU migrates these SPRs in the `cpu`
/// section's SPR array; its own `cpu/tm` subsection carries the checkpointed
/// registers of a transaction in progress (MSR[TS] ≠ 0), which never happens
/// here (`tbegin.` always fails, see exec/interp/tm.rs), so there is no
/// `cpu/tm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TmSprsSubsection {
    /// TEXASR (SPR 130).
    pub texasr: u64,
    /// TFIAR (SPR 129).
    pub tfiar: u64,
    /// TFHAR (SPR 128).
    pub tfhar: u64,
}

/// A decoded (or captured) migration stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stream {
    /// Header.
    pub header: Header,
    /// `cpu`.
    pub cpu: CpuSection,
    /// `cpu/fpu`, when the model has an FPU.
    pub fpu: Option<FpuSubsection>,
    /// `cpu/altivec`, when the model has AltiVec.
    pub altivec: Option<AltivecSubsection>,
    /// `cpu/vsx`, when the model has VSX.
    pub vsx: Option<VsxSubsection>,
    /// `cpu/compat`, exactly when QEMU would send it.
    pub compat: Option<CompatSubsection>,
    /// `cpu/reservation`, when a reservation is held.
    pub reservation: Option<ReservationSubsection>,
    /// `cpu/tm-sprs`, when any TM SPR is non-zero.
    pub tm_sprs: Option<TmSprsSubsection>,
    /// `timebase`.
    pub timebase: TimebaseSection,
    /// `ram`: mapped pages, ascending addresses.
    pub ram: Vec<RamPage>,
    /// `kernel`.
    pub kernel: KernelState,
    /// `replay`.
    pub replay: ReplaySection,
}

/// Where the checkpoint sits in the source's environment stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayPosition {
    /// Environment requests consumed (= trace events before the checkpoint).
    pub events_consumed: u64,
    /// Entropy bytes consumed.
    pub entropy_consumed: u64,
    /// Virtual environment seed.
    pub seed: u64,
    /// blake3 of the source trace (hex), if recorded.
    pub trace_blake3: Option<String>,
}

/// What [`checkpoint`] needs besides the machine.
#[derive(Clone, Debug)]
pub struct StreamContext {
    /// Machine type (its flags shape the stream).
    pub machine: MachineType,
    /// Source model name.
    pub source_model: String,
    /// Source model PVR.
    pub source_pvr: u32,
    /// Active compat mode's logical PVR (0 = raw).
    pub compat_pvr: u32,
    /// QEMU-version profile.
    pub qemu: QemuVersion,
    /// Timebase offset.
    pub tb_offset: u64,
    /// Sanity fields of the source class (sent only for pre-2.8 machines).
    pub sanity: SanityFields,
    /// Position in the source's trace / environment.
    pub replay: ReplayPosition,
    /// blake3 of the guest ELF (hex), if known.
    pub guest_blake3: Option<String>,
}

impl StreamContext {
    /// A context for `m` on machine type `machine` in raw mode, QEMU profile
    /// `qemu`, with the machine's own model, PVR and timebase offset.
    pub fn new(m: &Machine, machine: MachineType, qemu: QemuVersion) -> Self {
        StreamContext {
            machine,
            source_model: m.cpu.model.name.to_string(),
            source_pvr: m.cpu.model.pvr,
            compat_pvr: 0,
            qemu,
            tb_offset: m.cpu.state.tb_offset,
            sanity: SanityFields::default(),
            replay: ReplayPosition::default(),
            guest_blake3: None,
        }
    }
}

/// Whether QEMU's `cpu/compat` `needed` function sends the subsection (facts
/// §1.4, §7 row 9): never for `pre-2.10-migration` machine types; otherwise iff
/// the compat PVR is non-zero.
pub fn compat_needed(machine: &MachineFlags, compat_pvr: u32) -> bool {
    !machine.pre_2_10_migration && compat_pvr != 0
}

/// Every POWER server model we have (POWER7 and newer) has QEMU's PPC_FLOAT,
/// PPC_ALTIVEC and PPC2_VSX flags, so `cpu/fpu`, `cpu/altivec` and `cpu/vsx` are
/// always needed; kept as functions so a model without them stays expressible.
fn has_fpu(_m: &CpuModel) -> bool {
    true
}
fn has_altivec(m: &CpuModel) -> bool {
    m.level >= crate::isa::IsaLevel::V2_06
}
fn has_vsx(m: &CpuModel) -> bool {
    m.level >= crate::isa::IsaLevel::V2_06
}

/// Captures `m` at its current instruction count.
pub fn checkpoint(m: &Machine, ctx: &StreamContext) -> Stream {
    let s = &m.cpu.state;
    let flags = MachineFlags::from(&ctx.machine);
    let model = m.cpu.model;
    let mut fpr = [0u64; 32];
    let mut dw1 = [0u64; 32];
    for n in 0..32 {
        fpr[n] = s.vsr[n][0];
        dw1[n] = s.vsr[n][1];
    }
    let ram = m
        .mem
        .pages()
        .map(|(addr, perm, data)| {
            let zero = data.iter().all(|b| *b == 0);
            RamPage {
                addr,
                perm,
                data: (!zero).then(|| data.to_vec()),
                blake3: (!zero).then(|| blake3::hash(data).as_bytes().to_vec()),
            }
        })
        .collect();
    let tb_freq = crate::exec::env::TB_FREQ;
    let virt = ((m.cpu.icount as u128 * tb_freq as u128) / 1_000_000_000) as u64;
    Stream {
        header: Header {
            format_version: VERSION,
            machine: flags.clone(),
            source_model: ctx.source_model.clone(),
            source_pvr: ctx.source_pvr,
            qemu: ctx.qemu.to_string(),
            guest_blake3: ctx.guest_blake3.clone(),
        },
        cpu: CpuSection {
            gpr: s.gpr,
            cr: s.cr,
            nip: s.pc,
            msr: s.msr,
            lr: s.lr,
            ctr: s.ctr,
            xer: s.xer(),
            sprs: Sprs {
                pvr: s.pvr,
                pcr: s.pcr,
                vrsave: s.vrsave,
                tar: s.tar,
                ppr: s.ppr,
                dscr: s.dscr,
            },
            sanity: flags.pre_2_8_migration.then_some(ctx.sanity),
        },
        fpu: has_fpu(model).then_some(FpuSubsection {
            fpr,
            fpscr: s.fpscr,
        }),
        altivec: has_altivec(model).then(|| AltivecSubsection {
            vr: s.vsr[32..].to_vec(),
            vscr: s.vscr,
        }),
        vsx: has_vsx(model).then_some(VsxSubsection { vsr_dw1: dw1 }),
        compat: compat_needed(&flags, ctx.compat_pvr).then_some(CompatSubsection {
            compat_pvr: ctx.compat_pvr,
        }),
        reservation: (s.resv_addr != NO_RESERVATION).then_some(ReservationSubsection {
            addr: s.resv_addr,
            len: s.resv_len,
            val: s.resv_val,
        }),
        tm_sprs: (s.texasr | s.tfiar | s.tfhar != 0).then_some(TmSprsSubsection {
            texasr: s.texasr,
            tfiar: s.tfiar,
            tfhar: s.tfhar,
        }),
        timebase: TimebaseSection {
            tb_freq,
            tb_offset: ctx.tb_offset,
            guest_timebase: virt.wrapping_add(ctx.tb_offset),
        },
        ram,
        kernel: m.os.kernel_state(),
        replay: ReplaySection {
            icount: m.cpu.icount,
            events_consumed: ctx.replay.events_consumed,
            entropy_consumed: ctx.replay.entropy_consumed,
            seed: ctx.replay.seed,
            trace_blake3: ctx.replay.trace_blake3.clone(),
        },
    }
}

/// One section record before its body is interpreted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawSection {
    /// Section or subsection name ("cpu", "cpu/fpu").
    pub name: String,
    /// Its version.
    pub version: u32,
    /// CBOR of the body.
    #[serde(with = "crate::sealed::bytes")]
    pub body: Vec<u8>,
}

fn cbor<T: Serialize>(v: &T) -> Vec<u8> {
    let mut b = Vec::new();
    // Serialising plain data into a Vec cannot fail.
    ciborium::into_writer(v, &mut b).expect("CBOR into a Vec");
    b
}

fn raw<T: Serialize>(name: &str, version: u32, body: &T) -> RawSection {
    RawSection {
        name: name.to_string(),
        version,
        body: cbor(body),
    }
}

/// The stream's section records, in writing order.
pub fn to_sections(st: &Stream) -> Vec<RawSection> {
    let mut v = vec![raw("header", 1, &st.header), raw("cpu", 5, &st.cpu)];
    if let Some(x) = &st.fpu {
        v.push(raw("cpu/fpu", 1, x));
    }
    if let Some(x) = &st.altivec {
        v.push(raw("cpu/altivec", 1, x));
    }
    if let Some(x) = &st.vsx {
        v.push(raw("cpu/vsx", 1, x));
    }
    if let Some(x) = &st.compat {
        v.push(raw("cpu/compat", 1, x));
    }
    if let Some(x) = &st.reservation {
        v.push(raw("cpu/reservation", 1, x));
    }
    if let Some(x) = &st.tm_sprs {
        v.push(raw("cpu/tm-sprs", 1, x));
    }
    v.push(raw("timebase", 1, &st.timebase));
    let mut chunks = st.ram.chunks(RAM_CHUNK_PAGES).peekable();
    if chunks.peek().is_none() {
        v.push(raw("ram", 4, &RamChunk { pages: Vec::new() }));
    }
    for c in chunks {
        v.push(raw("ram", 4, &RamChunk { pages: c.to_vec() }));
    }
    v.push(raw("kernel", 1, &st.kernel));
    v.push(raw("replay", 1, &st.replay));
    v
}

/// Seals section records into stream bytes (also used by tests and the fuzz
/// seeds to build deliberately odd streams).
pub fn seal_sections(sections: &[RawSection]) -> Vec<u8> {
    let payloads: Vec<Vec<u8>> = sections.iter().map(cbor).collect();
    sealed::build(MAGIC, VERSION, payloads.iter().map(|p| p.as_slice()))
}

/// The sealed bytes of a stream.
pub fn to_bytes(st: &Stream) -> Vec<u8> {
    seal_sections(&to_sections(st))
}

/// Writes a stream to `path` (temporary file, then rename).
pub fn encode(st: &Stream, path: &Path) -> Result<(), StreamError> {
    sealed::write_atomically(path, ".ppcreplay-stream-", &to_bytes(st)).map_err(|e| {
        StreamError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        }
    })
}

/// Reads and decodes a stream file.
pub fn read(path: &Path) -> Result<Stream, StreamError> {
    let bytes = std::fs::read(path).map_err(|e| StreamError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    decode(&bytes)
}

/// Why a stream was rejected. Every variant past the seal names the section and
/// the byte offset of its record's length prefix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// Reading or writing the file.
    #[error("{path}: {reason}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        reason: String,
    },
    /// QEMU: "Not a migration stream".
    #[error("Not a migration stream (bad magic at byte offset 0)")]
    BadMagic,
    /// Too short for magic, version and seal.
    #[error("truncated migration stream ({len} bytes)")]
    Truncated {
        /// Size.
        len: u64,
    },
    /// The blake3 seal does not match.
    #[error("migration stream seal mismatch: blake3 over bytes 0..{sealed_len} does not match the seal at byte offset {sealed_len}")]
    BadSeal {
        /// Bytes covered (= offset of the seal).
        sealed_len: u64,
    },
    /// QEMU: "Unsupported migration stream version".
    #[error("Unsupported migration stream version {found} at byte offset {offset} (this build reads up to {supported})")]
    TooNew {
        /// Version in the file.
        found: u32,
        /// Newest supported.
        supported: u32,
        /// Offset of the version field.
        offset: u64,
    },
    /// A length prefix is cut off or exceeds the file or [`MAX_SECTION`].
    #[error("section record at byte offset {offset}: length {len:?} exceeds the stream or the limit of {limit} bytes")]
    Oversize {
        /// Offset.
        offset: u64,
        /// Length found (`None`: the prefix itself is cut off).
        len: Option<u64>,
        /// Limit.
        limit: u64,
    },
    /// A record or body is not valid CBOR for its section.
    #[error("section '{section}' at byte offset {offset}: malformed: {reason}")]
    Malformed {
        /// Section ("?" when the name itself could not be read).
        section: String,
        /// Offset.
        offset: u64,
        /// Why.
        reason: String,
    },
    /// QEMU: "Unknown savevm section or instance '…' 0".
    #[error("Unknown savevm section or instance '{section}' 0 (byte offset {offset})")]
    UnknownSection {
        /// Name.
        section: String,
        /// Offset.
        offset: u64,
    },
    /// QEMU fails the load with -ENOENT (`vmstate_subsection_load`, "(lookup)").
    #[error("subsection '{section}' not found in section 'cpu' (lookup) at byte offset {offset}: the load fails")]
    UnknownSubsection {
        /// Name.
        section: String,
        /// Offset.
        offset: u64,
    },
    /// QEMU: "savevm: unsupported version N for 'X' vM".
    #[error(
        "savevm: unsupported version {found} for '{section}' v{supported} (byte offset {offset})"
    )]
    SectionTooNew {
        /// Section.
        section: String,
        /// Version found.
        found: u32,
        /// Newest supported.
        supported: u32,
        /// Offset.
        offset: u64,
    },
    /// A section that may appear once appears again.
    #[error("duplicate section '{section}' at byte offset {offset}")]
    Duplicate {
        /// Section.
        section: String,
        /// Offset.
        offset: u64,
    },
    /// A mandatory section is absent.
    #[error("missing section '{section}' (stream ends at byte offset {offset})")]
    Missing {
        /// Section.
        section: String,
        /// End of the records.
        offset: u64,
    },
    /// A section in the wrong place (header not first, subsection not after `cpu`).
    #[error("section '{section}' at byte offset {offset}: {reason}")]
    Misplaced {
        /// Section.
        section: String,
        /// Offset.
        offset: u64,
        /// Why.
        reason: String,
    },
    /// Contents contradict the header's machine flags or each other.
    #[error("section '{section}' at byte offset {offset}: {reason}")]
    Inconsistent {
        /// Section.
        section: String,
        /// Offset.
        offset: u64,
        /// Why.
        reason: String,
    },
    /// A RAM page is not page aligned.
    #[error("section 'ram' at byte offset {offset}: page address {addr:#x} is not aligned to {PAGE_SIZE} bytes")]
    UnalignedPage {
        /// Offset.
        offset: u64,
        /// Address.
        addr: u64,
    },
    /// A RAM page is invalid (order, size, permissions, hash).
    #[error("section 'ram' at byte offset {offset}: page {addr:#x}: {reason}")]
    BadPage {
        /// Offset.
        offset: u64,
        /// Address.
        addr: u64,
        /// Why.
        reason: String,
    },
}

mod opt_bytes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    #[derive(Serialize, Deserialize)]
    struct B(#[serde(with = "crate::sealed::bytes")] Vec<u8>);
    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref().map(|b| B(b.clone())).serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(Option::<B>::deserialize(d)?.map(|b| b.0))
    }
}

fn body<T: DeserializeOwned>(r: &RawSection, offset: usize) -> Result<T, StreamError> {
    ciborium::from_reader(r.body.as_slice()).map_err(|e| StreamError::Malformed {
        section: r.name.clone(),
        offset: offset as u64,
        reason: e.to_string(),
    })
}

/// Decodes and verifies stream bytes: magic, size, seal, version, then every
/// section. Allocation is bounded by a small multiple of the input size.
pub fn decode(bytes: &[u8]) -> Result<Stream, StreamError> {
    let o = sealed::open(MAGIC, bytes).map_err(|e| match e {
        OpenError::BadMagic => StreamError::BadMagic,
        OpenError::Truncated { len } => StreamError::Truncated { len },
        OpenError::BadSeal { sealed_len } => StreamError::BadSeal { sealed_len },
    })?;
    if o.version > VERSION {
        return Err(StreamError::TooNew {
            found: o.version,
            supported: VERSION,
            offset: MAGIC.len() as u64,
        });
    }
    let mut d = Decoder::default();
    for rec in sealed::records(o.body, o.first_record, MAX_SECTION) {
        let (off, payload) = rec.map_err(|f| StreamError::Oversize {
            offset: f.offset,
            len: f.len,
            limit: MAX_SECTION as u64,
        })?;
        let r: RawSection = ciborium::from_reader(payload).map_err(|e| StreamError::Malformed {
            section: "?".into(),
            offset: off as u64,
            reason: e.to_string(),
        })?;
        d.section(r, off)?;
    }
    d.finish(o.body.len())
}

#[derive(Default)]
struct Decoder {
    header: Option<Header>,
    cpu: Option<(CpuSection, usize)>,
    /// Whether the last top-level section was `cpu` (subsections may follow).
    in_cpu: bool,
    fpu: Option<FpuSubsection>,
    altivec: Option<AltivecSubsection>,
    vsx: Option<VsxSubsection>,
    compat: Option<(CompatSubsection, usize)>,
    reservation: Option<ReservationSubsection>,
    tm_sprs: Option<(TmSprsSubsection, usize)>,
    timebase: Option<TimebaseSection>,
    ram: Vec<RamPage>,
    ram_seen: bool,
    kernel: Option<KernelState>,
    replay: Option<ReplaySection>,
}

fn once<T>(slot: &mut Option<T>, v: T, name: &str, off: usize) -> Result<(), StreamError> {
    if slot.is_some() {
        return Err(StreamError::Duplicate {
            section: name.to_string(),
            offset: off as u64,
        });
    }
    *slot = Some(v);
    Ok(())
}

impl Decoder {
    fn section(&mut self, r: RawSection, off: usize) -> Result<(), StreamError> {
        let name = r.name.as_str();
        let supported = if let Some(&(_, v)) = SECTIONS.iter().find(|(n, _)| *n == name) {
            v
        } else if CPU_SUBSECTIONS.contains(&name) {
            1
        } else if name.starts_with("cpu/") {
            return Err(StreamError::UnknownSubsection {
                section: r.name,
                offset: off as u64,
            });
        } else {
            return Err(StreamError::UnknownSection {
                section: r.name,
                offset: off as u64,
            });
        };
        if r.version > supported {
            return Err(StreamError::SectionTooNew {
                section: r.name.clone(),
                found: r.version,
                supported,
                offset: off as u64,
            });
        }
        let misplaced = |reason: &str| StreamError::Misplaced {
            section: r.name.clone(),
            offset: off as u64,
            reason: reason.to_string(),
        };
        if self.header.is_none() && name != "header" {
            return Err(misplaced("the first section must be 'header'"));
        }
        let is_sub = name.starts_with("cpu/");
        if is_sub && !self.in_cpu {
            return Err(misplaced("a 'cpu' subsection must follow section 'cpu'"));
        }
        if !is_sub {
            self.in_cpu = name == "cpu";
        }
        match name {
            "header" => {
                let h: Header = body(&r, off)?;
                once(&mut self.header, h, name, off)
            }
            "cpu" => {
                let c: CpuSection = body(&r, off)?;
                let pre28 = self
                    .header
                    .as_ref()
                    .is_some_and(|h| h.machine.pre_2_8_migration);
                if c.sanity.is_some() != pre28 {
                    return Err(StreamError::Inconsistent {
                        section: r.name.clone(),
                        offset: off as u64,
                        reason: format!(
                            "pre-2.8 sanity fields {} but the machine type has pre-2.8-migration={}",
                            if c.sanity.is_some() { "present" } else { "absent" },
                            if pre28 { "on" } else { "off" }
                        ),
                    });
                }
                once(&mut self.cpu, (c, off), name, off)
            }
            "cpu/fpu" => {
                let x = body(&r, off)?;
                once(&mut self.fpu, x, name, off)
            }
            "cpu/altivec" => {
                let x: AltivecSubsection = body(&r, off)?;
                if x.vr.len() != 32 {
                    return Err(StreamError::Inconsistent {
                        section: r.name.clone(),
                        offset: off as u64,
                        reason: format!("{} vector registers, expected 32", x.vr.len()),
                    });
                }
                once(&mut self.altivec, x, name, off)
            }
            "cpu/vsx" => {
                let x = body(&r, off)?;
                once(&mut self.vsx, x, name, off)
            }
            "cpu/compat" => {
                let x: CompatSubsection = body(&r, off)?;
                once(&mut self.compat, (x, off), name, off)
            }
            "cpu/reservation" => {
                let x = body(&r, off)?;
                once(&mut self.reservation, x, name, off)
            }
            "cpu/tm-sprs" => {
                let x: TmSprsSubsection = body(&r, off)?;
                once(&mut self.tm_sprs, (x, off), name, off)
            }
            "timebase" => {
                let x = body(&r, off)?;
                once(&mut self.timebase, x, name, off)
            }
            "ram" => {
                let c: RamChunk = body(&r, off)?;
                self.ram_seen = true;
                self.ram_chunk(c.pages, off)
            }
            "kernel" => {
                let x = body(&r, off)?;
                once(&mut self.kernel, x, name, off)
            }
            _ => {
                let x = body(&r, off)?;
                once(&mut self.replay, x, name, off)
            }
        }
    }

    fn ram_chunk(&mut self, pages: Vec<RamPage>, off: usize) -> Result<(), StreamError> {
        if self.ram.len() + pages.len() > MAX_PAGES {
            return Err(StreamError::Oversize {
                offset: off as u64,
                len: Some((self.ram.len() + pages.len()) as u64 * PAGE_SIZE),
                limit: MAX_PAGES as u64 * PAGE_SIZE,
            });
        }
        for p in pages {
            let bad = |reason: String| StreamError::BadPage {
                offset: off as u64,
                addr: p.addr,
                reason,
            };
            if p.addr % PAGE_SIZE != 0 {
                return Err(StreamError::UnalignedPage {
                    offset: off as u64,
                    addr: p.addr,
                });
            }
            if let Some(last) = self.ram.last() {
                if p.addr <= last.addr {
                    return Err(bad(format!(
                        "addresses must ascend (previous page {:#x})",
                        last.addr
                    )));
                }
            }
            if p.perm & !crate::mem::perm::RWX != 0 {
                return Err(bad(format!("unknown permission bits {:#x}", p.perm)));
            }
            match (&p.data, &p.blake3) {
                (None, None) => {}
                (Some(d), Some(h)) => {
                    if d.len() != PAGE_SIZE as usize {
                        return Err(bad(format!("{} bytes, expected {PAGE_SIZE}", d.len())));
                    }
                    if blake3::hash(d).as_bytes().as_slice() != h.as_slice() {
                        return Err(bad("page blake3 mismatch".into()));
                    }
                }
                _ => return Err(bad("data and blake3 must come together".into())),
            }
            self.ram.push(p);
        }
        Ok(())
    }

    fn finish(self, end: usize) -> Result<Stream, StreamError> {
        let missing = |s: &str| StreamError::Missing {
            section: s.to_string(),
            offset: end as u64,
        };
        let header = self.header.ok_or_else(|| missing("header"))?;
        let (cpu, cpu_off) = self.cpu.ok_or_else(|| missing("cpu"))?;
        let _ = cpu_off;
        if let Some((c, off)) = self.compat {
            if header.machine.pre_2_10_migration || c.compat_pvr == 0 {
                return Err(StreamError::Inconsistent {
                    section: "cpu/compat".into(),
                    offset: off as u64,
                    reason: format!(
                        "sent with compat PVR {:#010x} for machine type {} (pre-2.10-migration={}); QEMU sends it only when pre-2.10-migration is off and the compat PVR is non-zero",
                        c.compat_pvr,
                        header.machine.name,
                        if header.machine.pre_2_10_migration { "on" } else { "off" }
                    ),
                });
            }
        }
        if let Some((t, off)) = self.tm_sprs {
            if t.texasr | t.tfiar | t.tfhar == 0 {
                return Err(StreamError::Inconsistent {
                    section: "cpu/tm-sprs".into(),
                    offset: off as u64,
                    reason: "sent with every TM SPR zero; it is sent only when one is non-zero"
                        .into(),
                });
            }
        }
        let timebase = self.timebase.ok_or_else(|| missing("timebase"))?;
        if !self.ram_seen {
            return Err(missing("ram"));
        }
        let kernel = self.kernel.ok_or_else(|| missing("kernel"))?;
        let replay = self.replay.ok_or_else(|| missing("replay"))?;
        Ok(Stream {
            header,
            cpu,
            fpu: self.fpu,
            altivec: self.altivec,
            vsx: self.vsx,
            compat: self.compat.map(|c| c.0),
            reservation: self.reservation,
            tm_sprs: self.tm_sprs.map(|t| t.0),
            timebase,
            ram: self.ram,
            kernel,
            replay,
        })
    }
}

/// How to rebuild the destination.
#[derive(Clone, Copy, Debug)]
pub struct RestoreOptions<'a> {
    /// Destination QEMU profile (which compat modes exist).
    pub qemu: QemuVersion,
    /// The destination's own compat PVR (from `max-cpu-compat` at machine reset),
    /// used when the stream carries no `cpu/compat` — as QEMU's `cpu_post_load`
    /// does (facts §1.4 step 1).
    pub dst_compat_pvr: u32,
    /// The guest ELF, to rebuild symbol information (checked against the
    /// header's blake3 when both are known).
    pub guest: Option<&'a [u8]>,
}

impl Default for RestoreOptions<'_> {
    fn default() -> Self {
        RestoreOptions {
            qemu: QemuVersion::NEWEST,
            dst_compat_pvr: 0,
            guest: None,
        }
    }
}

/// Why a stream could not be restored.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// The compat mode cannot run on the destination (QEMU's post_load message).
    #[error(transparent)]
    Compat(#[from] CompatError),
    /// Guest memory could not be rebuilt.
    #[error("restoring guest memory: {0}")]
    Memory(#[from] MemError),
    /// The kernel section is inconsistent.
    #[error("section 'kernel': {0}")]
    Kernel(#[from] KernelStateError),
    /// The guest given is not the one checkpointed, or does not parse.
    #[error("guest ELF: {0}")]
    Guest(String),
}

fn empty_image(le: bool) -> ElfImage {
    ElfImage {
        little_endian: le,
        abi: if le { 2 } else { 1 },
        e_entry: 0,
        entry_pc: 0,
        entry_toc: None,
        segments: Vec::new(),
        phdr_addr: 0,
        phnum: 0,
        phentsize: 0,
        symbols: Vec::new(),
    }
}

/// Rebuilds a machine from `st` on `dst` (memory, registers, kernel state, the
/// instruction count). The compat mode is the stream's `cpu/compat`, else the
/// destination's own (`opts.dst_compat_pvr`); the PVR keeps the source's value
/// (QEMU TCG ≥ 2.10; policies that model other eras overwrite it afterwards).
pub fn restore(
    st: &Stream,
    dst: &'static CpuModel,
    opts: &RestoreOptions,
) -> Result<Machine, RestoreError> {
    let compat_pvr = st.compat.map_or(opts.dst_compat_pvr, |c| c.compat_pvr);
    let active = set_compat(dst, compat_pvr, opts.qemu)?;
    let c = &st.cpu;
    let mut s = ArchState {
        gpr: c.gpr,
        cr: c.cr,
        pc: c.nip,
        msr: c.msr,
        lr: c.lr,
        ctr: c.ctr,
        pvr: c.sprs.pvr,
        pcr: c.sprs.pcr,
        vrsave: c.sprs.vrsave,
        tar: c.sprs.tar,
        ppr: c.sprs.ppr,
        dscr: c.sprs.dscr,
        tb_offset: st.timebase.tb_offset,
        ..ArchState::default()
    };
    s.set_xer(c.xer, true);
    if let Some(f) = &st.fpu {
        for n in 0..32 {
            s.vsr[n][0] = f.fpr[n];
        }
        s.fpscr = f.fpscr;
    }
    if let Some(v) = &st.vsx {
        for n in 0..32 {
            s.vsr[n][1] = v.vsr_dw1[n];
        }
    }
    if let Some(a) = &st.altivec {
        for (n, vr) in a.vr.iter().take(32).enumerate() {
            s.vsr[32 + n] = *vr;
        }
        s.vscr = a.vscr;
    }
    if let Some(r) = &st.reservation {
        s.resv_addr = r.addr;
        s.resv_len = r.len;
        s.resv_val = r.val;
    }
    if let Some(t) = &st.tm_sprs {
        s.texasr = t.texasr;
        s.tfiar = t.tfiar;
        s.tfhar = t.tfhar;
    }
    // MSR[TM] carries the guest kernel's TM enable, decided once at boot
    // from what the source offered (cap-htm): it travels with the guest. The
    // hardware still decides — the engines see no model, so a destination
    // without TM clears it (compat::tm_msr; compat::tm_available): a
    // TM-enabled guest landing on a POWER7/POWER10 gets SIGILL there.
    let kernel_tm = c.msr & crate::cpu::msr::TM != 0;
    s.msr &= !crate::cpu::msr::TM;
    if crate::cpu::compat::tm_msr(kernel_tm, dst) {
        s.msr |= crate::cpu::msr::TM;
    }
    let mut mem = Memory::new();
    for p in &st.ram {
        mem.map_zero(p.addr, PAGE_SIZE, p.perm)?;
        if let Some(d) = &p.data {
            mem.write_bytes(p.addr, d)?;
        }
    }
    let os = LinuxUser::from_kernel_state(&st.kernel)?;
    let image = match opts.guest {
        Some(g) => {
            if let Some(h) = &st.header.guest_blake3 {
                let found = blake3::hash(g).to_hex().to_string();
                if &found != h {
                    return Err(RestoreError::Guest(format!(
                        "blake3 {found}, the stream was checkpointed with {h}"
                    )));
                }
            }
            crate::machine::elf::parse(g).map_err(|e| RestoreError::Guest(e.to_string()))?
        }
        None => empty_image(st.kernel.little_endian),
    };
    Ok(Machine {
        cpu: Cpu {
            state: s,
            icount: st.replay.icount,
            model: dst,
            level: active.level,
        },
        mem,
        os,
        image,
    })
}

/// Wraps an environment and counts what the guest consumed: requests (one
/// trace event each) and entropy bytes — the `replay` section's position.
pub struct CountingEnv<E: Env> {
    /// The wrapped environment.
    pub inner: E,
    /// Requests served.
    pub events: u64,
    /// Entropy bytes served.
    pub entropy_bytes: u64,
}

impl<E: Env> CountingEnv<E> {
    /// Wraps `inner` with zero counts.
    pub fn new(inner: E) -> Self {
        CountingEnv {
            inner,
            events: 0,
            entropy_bytes: 0,
        }
    }
}

impl<E: Env> Env for CountingEnv<E> {
    fn timebase(&mut self, icount: u64) -> u64 {
        self.events += 1;
        self.inner.timebase(icount)
    }
    fn clock(&mut self, icount: u64, clock_id: u32) -> (i64, i64) {
        self.events += 1;
        self.inner.clock(icount, clock_id)
    }
    fn entropy(&mut self, icount: u64, purpose: EntropyUse, buf: &mut [u8]) {
        self.events += 1;
        self.entropy_bytes += buf.len() as u64;
        self.inner.entropy(icount, purpose, buf)
    }
    fn input(&mut self, icount: u64, fd: i32, buf: &mut [u8]) -> usize {
        self.events += 1;
        self.inner.input(icount, fd, buf)
    }
}

/// A [`VirtualEnv`] positioned where the source's was at the checkpoint: the
/// same seed with `replay.entropy_consumed` bytes of its entropy stream skipped
/// (time is a function of the instruction count, input is empty).
pub fn virtual_env_at(replay: &ReplaySection) -> VirtualEnv {
    let mut e = VirtualEnv::new(replay.seed);
    let mut left = replay.entropy_consumed;
    let mut buf = [0u8; 4096];
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        e.entropy(0, EntropyUse::Getrandom, &mut buf[..n]);
        left -= n as u64;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::pseries::find_machine;

    fn flags(name: &str) -> MachineFlags {
        MachineFlags::from(&find_machine(name).unwrap())
    }

    #[test]
    fn cpu_compat_is_never_needed_on_pre_2_10_machine_types() {
        assert!(!compat_needed(&flags("pseries-2.9"), 0x0F00_0004));
        assert!(compat_needed(&flags("pseries-2.10"), 0x0F00_0004));
        assert!(!compat_needed(&flags("pseries-2.10"), 0));
    }

    #[test]
    fn an_unknown_cpu_subsection_is_a_lookup_failure_not_an_unknown_section() {
        let mut d = Decoder::default();
        let r = RawSection {
            name: "cpu/tm".into(),
            version: 1,
            body: vec![],
        };
        assert!(matches!(
            d.section(r, 15),
            Err(StreamError::UnknownSubsection { offset: 15, .. })
        ));
    }
}
