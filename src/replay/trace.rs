//! The trace file format (documented in `docs/trace-format.md`).
//!
//! ```text
//! magic "PPCRTRACE\n" (10 bytes) | version u32 LE | records… | "SEAL" | blake3 (32 bytes)
//! record = length u32 LE (≤ MAX_RECORD) | CBOR of Record
//! ```
//! The first record is the [`Header`], the last the [`End`]; in between come input
//! [`Event`]s and periodic [`Digest`]s in instruction-count order. The seal is the
//! blake3 hash of every byte before it. The writer streams records to a temporary
//! file next to the destination and renames it only when sealed; the reader checks
//! the seal over the whole file *before* decoding anything, so a damaged trace is
//! rejected, never half-read.

use serde::{Deserialize, Serialize};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// File magic.
pub const MAGIC: &[u8; 10] = b"PPCRTRACE\n";
/// Current format version.
pub const VERSION: u32 = 1;
/// Largest accepted record (bounded allocation on untrusted input).
pub const MAX_RECORD: u32 = 64 << 20;
use crate::sealed::SEAL_TAG;

/// Trace header: everything needed to reproduce the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// blake3 of the guest ELF (hex).
    pub guest_blake3: String,
    /// Guest path as given when recording.
    pub guest_path: String,
    /// CPU model name.
    pub model: String,
    /// Active compatibility mode, if any.
    pub compat: Option<String>,
    /// Its logical PVR (0 = raw mode).
    #[serde(default)]
    pub compat_pvr: u32,
    /// PCR value.
    #[serde(default)]
    pub pcr: u64,
    /// Machine type, if any.
    pub machine: Option<String>,
    /// QEMU-version profile used for the machine type, if any.
    #[serde(default)]
    pub qemu: Option<String>,
    /// Engine used to record.
    pub engine: String,
    /// Seed of the virtual entropy source.
    pub seed: u64,
    /// Clock source: "virtual" or "host".
    pub clock: String,
    /// Entropy source: "virtual" or "host".
    pub entropy: String,
    /// argv.
    pub argv: Vec<String>,
    /// Environment.
    pub envp: Vec<String>,
    /// Instructions between periodic digests.
    pub digest_every: u64,
}

/// What kind of nondeterministic input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Input {
    /// mftb value.
    Timebase(u64),
    /// clock_gettime-style value.
    Clock {
        /// Linux clock id.
        id: u32,
        /// Seconds.
        sec: i64,
        /// Nanoseconds.
        nsec: i64,
    },
    /// Random bytes.
    Entropy {
        /// Why.
        purpose: crate::exec::env::EntropyUse,
        /// The bytes.
        #[serde(with = "crate::sealed::bytes")]
        bytes: Vec<u8>,
    },
    /// Bytes read from a guest input descriptor.
    Read {
        /// Descriptor.
        fd: i32,
        /// Requested length.
        requested: u64,
        /// The bytes delivered.
        #[serde(with = "crate::sealed::bytes")]
        bytes: Vec<u8>,
    },
}

/// An input event at a retired-instruction count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Retired instructions when the guest asked.
    pub icount: u64,
    /// The value.
    pub input: Input,
}

/// A periodic state digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// Retired instructions.
    pub icount: u64,
    /// pc at that point.
    pub pc: u64,
    /// blake3 of the architected state (hex).
    pub state: String,
    /// blake3 of memory (hex).
    pub memory: String,
}

/// How the recorded run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct End {
    /// Retired instructions.
    pub icount: u64,
    /// "exit N", "signal N", or "budget".
    pub exit: String,
    /// Exit code as a shell sees it.
    pub exit_code: i32,
    /// blake3 of all (fd, bytes) output (hex).
    pub output: String,
    /// Bytes written to stdout.
    pub stdout_len: u64,
    /// Final state digest.
    pub final_digest: Digest,
}

/// One record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Record {
    /// First record.
    Header(Header),
    /// Input.
    Event(Event),
    /// Periodic digest.
    Digest(Digest),
    /// Last record.
    End(End),
}

/// Why a trace was rejected.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// I/O failure.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Not a trace.
    #[error("{path}: not a ppcreplay trace (bad magic)")]
    BadMagic {
        /// File.
        path: String,
    },
    /// Too short to hold magic, version and seal.
    #[error("{path}: truncated trace ({len} bytes)")]
    Truncated {
        /// File.
        path: String,
        /// Size.
        len: u64,
    },
    /// The seal does not match the contents.
    #[error("{path}: trace seal mismatch: the file is damaged or truncated (blake3 over bytes 0..{sealed_len} does not match the seal)")]
    BadSeal {
        /// File.
        path: String,
        /// Bytes covered.
        sealed_len: u64,
    },
    /// Written by a newer ppcreplay.
    #[error(
        "{path}: trace format version {found} is newer than this ppcreplay supports ({supported})"
    )]
    TooNew {
        /// File.
        path: String,
        /// Version in the file.
        found: u32,
        /// Newest supported.
        supported: u32,
    },
    /// A record could not be decoded.
    #[error("{path}: bad record at byte offset {offset}: {reason}")]
    BadRecord {
        /// File.
        path: String,
        /// Offset of the record's length prefix.
        offset: u64,
        /// Why.
        reason: String,
    },
}

/// Streams records to a temporary file; [`TraceWriter::finish`] seals and renames.
pub struct TraceWriter {
    out: BufWriter<tempfile::NamedTempFile>,
    hasher: blake3::Hasher,
    dest: PathBuf,
}

impl TraceWriter {
    /// Starts a trace that will become `dest`.
    pub fn create(dest: &Path) -> Result<Self, TraceError> {
        let io = |source| TraceError::Io {
            path: dest.display().to_string(),
            source,
        };
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".ppcreplay-trace-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(io)?;
        let mut w = TraceWriter {
            out: BufWriter::new(tmp),
            hasher: blake3::Hasher::new(),
            dest: dest.to_path_buf(),
        };
        w.raw(MAGIC)?;
        w.raw(&VERSION.to_le_bytes())?;
        Ok(w)
    }

    fn raw(&mut self, b: &[u8]) -> Result<(), TraceError> {
        self.hasher.update(b);
        self.out.write_all(b).map_err(|source| TraceError::Io {
            path: self.dest.display().to_string(),
            source,
        })
    }

    /// Appends a record.
    pub fn write(&mut self, r: &Record) -> Result<(), TraceError> {
        let mut buf = Vec::new();
        ciborium::into_writer(r, &mut buf).map_err(|e| TraceError::Io {
            path: self.dest.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        })?;
        self.raw(&(buf.len() as u32).to_le_bytes())?;
        self.raw(&buf)
    }

    /// Seals the trace and moves it into place.
    pub fn finish(mut self) -> Result<(), TraceError> {
        let seal = self.hasher.finalize();
        self.raw(SEAL_TAG)?;
        let dest = self.dest.display().to_string();
        let io = |source| TraceError::Io {
            path: dest.clone(),
            source,
        };
        self.out.write_all(seal.as_bytes()).map_err(io)?;
        let tmp = self.out.into_inner().map_err(|e| io(e.into_error()))?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(&self.dest).map_err(|e| io(e.error))?;
        Ok(())
    }
}

/// A decoded trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// Format version.
    pub version: u32,
    /// Header.
    pub header: Header,
    /// Input events in order.
    pub events: Vec<Event>,
    /// Periodic digests in order.
    pub digests: Vec<Digest>,
    /// The end record.
    pub end: End,
}

/// Reads and verifies a trace file.
pub fn read(path: &Path) -> Result<Trace, TraceError> {
    let p = path.display().to_string();
    let mut f = std::fs::File::open(path).map_err(|source| TraceError::Io {
        path: p.clone(),
        source,
    })?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).map_err(|source| TraceError::Io {
        path: p.clone(),
        source,
    })?;
    decode(&p, &bytes)
}

/// Verifies and decodes trace bytes (`name` is used in errors).
pub fn decode(name: &str, bytes: &[u8]) -> Result<Trace, TraceError> {
    let p = name.to_string();
    let opened = crate::sealed::open(MAGIC, bytes).map_err(|e| match e {
        crate::sealed::OpenError::BadMagic => TraceError::BadMagic { path: p.clone() },
        crate::sealed::OpenError::Truncated { len } => TraceError::Truncated {
            path: p.clone(),
            len,
        },
        crate::sealed::OpenError::BadSeal { sealed_len } => TraceError::BadSeal {
            path: p.clone(),
            sealed_len,
        },
    })?;
    let (version, body) = (opened.version, opened.body);
    if version > VERSION {
        return Err(TraceError::TooNew {
            path: p,
            found: version,
            supported: VERSION,
        });
    }
    let bad = |offset: usize, reason: String| TraceError::BadRecord {
        path: p.clone(),
        offset: offset as u64,
        reason,
    };
    let mut records = Vec::new();
    for r in crate::sealed::records(body, opened.first_record, MAX_RECORD) {
        let (off, payload) = r.map_err(|f| {
            let reason = match f.len {
                None => "length prefix cut off".to_string(),
                Some(len) => format!("record length {len} exceeds the file or the limit"),
            };
            bad(f.offset as usize, reason)
        })?;
        let rec: Record = ciborium::from_reader(payload).map_err(|e| bad(off, e.to_string()))?;
        records.push((off, rec));
    }
    let mut it = records.into_iter();
    let header = match it.next() {
        Some((_, Record::Header(h))) => h,
        Some((o, _)) => return Err(bad(o, "first record is not the header".into())),
        None => return Err(bad(body.len(), "no records".into())),
    };
    let mut events = Vec::new();
    let mut digests = Vec::new();
    let mut end = None;
    let mut last_icount = 0;
    for (o, r) in it {
        if end.is_some() {
            return Err(bad(o, "record after the end record".into()));
        }
        let ic = match &r {
            Record::Event(e) => e.icount,
            Record::Digest(d) => d.icount,
            Record::End(e) => e.icount,
            Record::Header(_) => return Err(bad(o, "second header".into())),
        };
        if ic < last_icount {
            return Err(bad(
                o,
                format!("instruction count {ic} goes backwards (after {last_icount})"),
            ));
        }
        last_icount = ic;
        match r {
            Record::Event(e) => events.push(e),
            Record::Digest(d) => digests.push(d),
            Record::End(e) => end = Some(e),
            Record::Header(_) => {}
        }
    }
    let end = end.ok_or_else(|| bad(body.len(), "missing end record".into()))?;
    Ok(Trace {
        version,
        header,
        events,
        digests,
        end,
    })
}
