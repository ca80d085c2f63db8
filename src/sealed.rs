//! Sealed record files: the container shared by ppcreplay's file formats (the
//! migration stream, `docs/migration-stream.md`, and the trace format,
//! `docs/trace-format.md`).
//!
//! ```text
//! magic | version u32 LE | records… | "SEAL" | blake3 (32 bytes)
//! record = length u32 LE (≤ a per-format limit) | payload
//! ```
//! The seal is the blake3 hash of every byte before it. Writers build the file
//! next to its destination under a temporary name and rename it into place only
//! when sealed; readers check magic, size and seal before looking at any record,
//! then walk the records with every length bounded by the input and the limit.

use std::io::Write;
use std::path::Path;

/// Tag in front of the seal.
pub const SEAL_TAG: &[u8; 4] = b"SEAL";
/// Bytes taken by the seal (tag + hash).
pub const SEAL_LEN: usize = 4 + 32;

/// Why a container was rejected (before any record is interpreted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// The magic does not match.
    BadMagic,
    /// Shorter than magic + version + seal.
    Truncated {
        /// Size.
        len: u64,
    },
    /// The seal does not match the bytes before it.
    BadSeal {
        /// Bytes covered.
        sealed_len: u64,
    },
}

/// A container whose magic and seal were verified.
#[derive(Clone, Copy, Debug)]
pub struct Opened<'a> {
    /// Format version from the file.
    pub version: u32,
    /// Everything before the seal (magic and version included: record offsets
    /// are file offsets).
    pub body: &'a [u8],
    /// Offset of the first record.
    pub first_record: usize,
}

/// Verifies magic, minimum size and seal, in that order.
pub fn open<'a>(magic: &[u8], bytes: &'a [u8]) -> Result<Opened<'a>, OpenError> {
    if bytes.len() >= magic.len() && &bytes[..magic.len()] != magic {
        return Err(OpenError::BadMagic);
    }
    let head = magic.len() + 4;
    if bytes.len() < head + SEAL_LEN {
        return Err(OpenError::Truncated {
            len: bytes.len() as u64,
        });
    }
    let body_end = bytes.len() - SEAL_LEN;
    let (body, seal) = bytes.split_at(body_end);
    if &seal[..4] != SEAL_TAG || blake3::hash(body).as_bytes() != &seal[4..] {
        return Err(OpenError::BadSeal {
            sealed_len: body_end as u64,
        });
    }
    let mut v = [0u8; 4];
    v.copy_from_slice(&body[magic.len()..head]);
    Ok(Opened {
        version: u32::from_le_bytes(v),
        body,
        first_record: head,
    })
}

/// A record whose length prefix is cut off or exceeds the file or the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FramingError {
    /// Offset of the length prefix.
    pub offset: u64,
    /// The length found (`None`: prefix cut off).
    pub len: Option<u64>,
}

/// Iterates over `(offset of the length prefix, payload)` of the records in
/// `body[start..]`; never reads or allocates past the input.
pub fn records(
    body: &[u8],
    start: usize,
    max_record: u32,
) -> impl Iterator<Item = Result<(usize, &[u8]), FramingError>> + '_ {
    let mut off = start;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || off >= body.len() {
            return None;
        }
        let Some(prefix) = body.get(off..off + 4) else {
            failed = true;
            return Some(Err(FramingError {
                offset: off as u64,
                len: None,
            }));
        };
        let len = u32::from_le_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]);
        let end = (off + 4).checked_add(len as usize);
        match end {
            Some(end) if len <= max_record && end <= body.len() => {
                let at = off;
                off = end;
                Some(Ok((at, &body[at + 4..end])))
            }
            _ => {
                failed = true;
                Some(Err(FramingError {
                    offset: off as u64,
                    len: Some(len as u64),
                }))
            }
        }
    })
}

/// Builds a sealed container in memory from record payloads.
pub fn build<'a>(
    magic: &[u8],
    version: u32,
    payloads: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<u8> {
    let mut out = magic.to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    for p in payloads {
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(p);
    }
    seal(&mut out);
    out
}

/// Appends the seal over everything in `out`.
pub fn seal(out: &mut Vec<u8>) {
    let h = blake3::hash(out);
    out.extend_from_slice(SEAL_TAG);
    out.extend_from_slice(h.as_bytes());
}

/// Writes `bytes` to `dest` atomically: a temporary file in the same directory
/// (`<prefix>*.tmp`), synced, then renamed into place. An interrupted write never
/// leaves a partial file under `dest`.
pub fn write_atomically(dest: &Path, prefix: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(dest).map_err(|e| e.error)?;
    Ok(())
}

/// Serde helpers: byte vectors as CBOR byte strings (compact), accepting arrays
/// of integers too, without an extra dependency.
pub mod bytes {
    use serde::{Deserializer, Serializer};
    /// Serialises as a byte string.
    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }
    /// Deserialises a byte string (or a sequence of bytes).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Vec<u8>, A::Error> {
                let mut out = Vec::new();
                while let Some(b) = a.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(out)
            }
        }
        d.deserialize_byte_buf(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_container_opens_and_yields_its_records() {
        let b = build(b"MAGIC", 3, [&b"ab"[..], &b""[..], &b"xyz"[..]]);
        let o = open(b"MAGIC", &b).unwrap();
        assert_eq!(o.version, 3);
        let r: Vec<_> = records(o.body, o.first_record, 16)
            .map(|r| r.unwrap().1.to_vec())
            .collect();
        assert_eq!(r, vec![b"ab".to_vec(), vec![], b"xyz".to_vec()]);
    }

    #[test]
    fn a_record_longer_than_the_limit_is_a_framing_error_at_its_offset() {
        let b = build(b"M", 1, [&[0u8; 20][..]]);
        let o = open(b"M", &b).unwrap();
        let e = records(o.body, o.first_record, 16)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(
            e,
            FramingError {
                offset: 5,
                len: Some(20)
            }
        );
    }
}
