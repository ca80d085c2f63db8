//! ELF64 loader for ppc64 executables: ELFv2 (little-endian, `e_flags` = 2) and
//! ELFv1 (big-endian, `e_entry` points at an `.opd` function descriptor).
//!
//! The parser treats the file as untrusted: every offset and size is
//! bounds-checked and every failure is an [`ElfError`] naming what was wrong and
//! where. Only statically linked executables are supported (no `PT_INTERP`).

use std::fmt;

/// ELF machine number for 64-bit PowerPC.
pub const EM_PPC64: u16 = 21;
const PT_LOAD: u32 = 1;
const PT_INTERP: u32 = 3;
const PT_PHDR: u32 = 6;
const PT_TLS: u32 = 7;
const SHT_SYMTAB: u32 = 2;

/// Why an ELF file was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ElfError {
    /// The magic bytes are missing.
    #[error("not an ELF file (bad magic {0:02x?})")]
    NotElf(Vec<u8>),
    /// A structure extends past the end of the file.
    #[error("truncated ELF: {what} at offset {offset:#x} needs {needed} bytes, file has {len}")]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// File offset.
        offset: u64,
        /// Bytes needed.
        needed: u64,
        /// File length.
        len: u64,
    },
    /// Not a 64-bit ELF.
    #[error("ELF class {0} is not ELFCLASS64 (2): only 64-bit ppc64 executables are supported")]
    WrongClass(u8),
    /// Unknown data encoding.
    #[error("ELF data encoding {0} is neither little (1) nor big (2) endian")]
    BadEncoding(u8),
    /// Wrong architecture.
    #[error("ELF machine {machine} ({name}) is not PowerPC64 (21)")]
    WrongMachine {
        /// e_machine.
        machine: u16,
        /// Its common name.
        name: &'static str,
    },
    /// Not an executable.
    #[error("ELF type {0} is not an executable (ET_EXEC = 2); shared objects and relocatables are not supported")]
    NotExecutable(u16),
    /// Dynamically linked.
    #[error(
        "dynamically linked executable (PT_INTERP {0:?}): only static executables are supported"
    )]
    Dynamic(String),
    /// A program header is inconsistent.
    #[error("program header {index}: {reason}")]
    BadSegment {
        /// Header index.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// No loadable segment.
    #[error("no PT_LOAD segment")]
    NoSegments,
    /// The ELFv1 entry descriptor is not inside a loaded segment.
    #[error("ELFv1 entry descriptor at {0:#x} is not inside a loaded segment")]
    BadEntryDescriptor(u64),
}

/// A loadable segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Virtual address.
    pub vaddr: u64,
    /// Size in memory (≥ file size; the rest is zero, e.g. BSS).
    pub memsz: u64,
    /// Bytes from the file.
    pub data: Vec<u8>,
    /// Readable.
    pub read: bool,
    /// Writable.
    pub write: bool,
    /// Executable.
    pub exec: bool,
}

/// A symbol from `.symtab` (functions and objects), for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// Name.
    pub name: String,
    /// Value (address).
    pub addr: u64,
    /// Size in bytes.
    pub size: u64,
}

/// A parsed executable.
#[derive(Clone, PartialEq, Eq)]
pub struct ElfImage {
    /// Little-endian (ELFv2) or big-endian.
    pub little_endian: bool,
    /// ELF ABI version from e_flags (1 = ELFv1, 2 = ELFv2, 0 = unspecified).
    pub abi: u32,
    /// e_entry as in the file.
    pub e_entry: u64,
    /// Address of the first instruction (ELFv1: from the descriptor).
    pub entry_pc: u64,
    /// Initial r2 (ELFv1: the descriptor's TOC), if any.
    pub entry_toc: Option<u64>,
    /// Loadable segments in file order.
    pub segments: Vec<Segment>,
    /// Address of the program headers in memory (AT_PHDR), if mapped.
    pub phdr_addr: u64,
    /// Number of program headers.
    pub phnum: u16,
    /// Program header entry size.
    pub phentsize: u16,
    /// Symbols, sorted by address.
    pub symbols: Vec<Symbol>,
}

impl fmt::Debug for ElfImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ElfImage")
            .field("little_endian", &self.little_endian)
            .field("abi", &self.abi)
            .field("entry_pc", &format_args!("{:#x}", self.entry_pc))
            .field("segments", &self.segments.len())
            .finish()
    }
}

impl ElfImage {
    /// The symbol containing `addr`, with the offset into it.
    pub fn symbolize(&self, addr: u64) -> Option<(&str, u64)> {
        let i = self.symbols.partition_point(|s| s.addr <= addr);
        let s = self.symbols.get(i.checked_sub(1)?)?;
        let off = addr - s.addr;
        (off < s.size.max(1)).then_some((s.name.as_str(), off))
    }
    /// Address of a symbol by name.
    pub fn symbol(&self, name: &str) -> Option<u64> {
        self.symbols.iter().find(|s| s.name == name).map(|s| s.addr)
    }
    /// End of the highest segment (initial program break before page rounding).
    pub fn end(&self) -> u64 {
        self.segments
            .iter()
            .map(|s| s.vaddr.saturating_add(s.memsz))
            .max()
            .unwrap_or(0)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    le: bool,
}

impl Reader<'_> {
    fn bytes(&self, what: &'static str, off: u64, n: u64) -> Result<&[u8], ElfError> {
        let len = self.b.len() as u64;
        let end = off.checked_add(n).filter(|&e| e <= len);
        match end {
            Some(e) => Ok(&self.b[off as usize..e as usize]),
            None => Err(ElfError::Truncated {
                what,
                offset: off,
                needed: n,
                len,
            }),
        }
    }
    fn u16(&self, what: &'static str, off: u64) -> Result<u16, ElfError> {
        let s = self.bytes(what, off, 2)?;
        let a = [s[0], s[1]];
        Ok(if self.le {
            u16::from_le_bytes(a)
        } else {
            u16::from_be_bytes(a)
        })
    }
    fn u32(&self, what: &'static str, off: u64) -> Result<u32, ElfError> {
        let s = self.bytes(what, off, 4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Ok(if self.le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }
    fn u64(&self, what: &'static str, off: u64) -> Result<u64, ElfError> {
        let s = self.bytes(what, off, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(if self.le {
            u64::from_le_bytes(a)
        } else {
            u64::from_be_bytes(a)
        })
    }
}

fn machine_name(m: u16) -> &'static str {
    match m {
        3 => "x86",
        8 => "MIPS",
        20 => "PowerPC (32-bit)",
        40 => "ARM",
        62 => "x86-64",
        183 => "AArch64",
        243 => "RISC-V",
        _ => "unknown",
    }
}

/// Maximum total memory size of all segments (bounded allocation).
const MAX_IMAGE: u64 = 1 << 32;

/// Parses an executable.
pub fn parse(b: &[u8]) -> Result<ElfImage, ElfError> {
    if b.len() < 4 || &b[..4] != b"\x7fELF" {
        return Err(ElfError::NotElf(b.iter().take(4).copied().collect()));
    }
    if b.len() < 64 {
        return Err(ElfError::Truncated {
            what: "ELF header",
            offset: 0,
            needed: 64,
            len: b.len() as u64,
        });
    }
    if b[4] != 2 {
        return Err(ElfError::WrongClass(b[4]));
    }
    let le = match b[5] {
        1 => true,
        2 => false,
        e => return Err(ElfError::BadEncoding(e)),
    };
    let r = Reader { b, le };
    let e_type = r.u16("e_type", 16)?;
    let machine = r.u16("e_machine", 18)?;
    if machine != EM_PPC64 {
        return Err(ElfError::WrongMachine {
            machine,
            name: machine_name(machine),
        });
    }
    if e_type != 2 {
        return Err(ElfError::NotExecutable(e_type));
    }
    let e_entry = r.u64("e_entry", 24)?;
    let phoff = r.u64("e_phoff", 32)?;
    let shoff = r.u64("e_shoff", 40)?;
    let flags = r.u32("e_flags", 48)?;
    let phentsize = r.u16("e_phentsize", 54)?;
    let phnum = r.u16("e_phnum", 56)?;
    let shentsize = r.u16("e_shentsize", 58)?;
    let shnum = r.u16("e_shnum", 60)?;
    if phnum > 0 && phentsize < 56 {
        return Err(ElfError::BadSegment {
            index: 0,
            reason: format!("e_phentsize {phentsize} < 56"),
        });
    }
    let mut segments = Vec::new();
    let mut phdr_addr = None;
    let mut total = 0u64;
    for i in 0..phnum as u64 {
        let off = phoff
            .checked_add(i * phentsize as u64)
            .ok_or(ElfError::Truncated {
                what: "program header",
                offset: phoff,
                needed: 56,
                len: b.len() as u64,
            })?;
        let p_type = r.u32("program header", off)?;
        let p_flags = r.u32("program header", off + 4)?;
        let p_offset = r.u64("program header", off + 8)?;
        let p_vaddr = r.u64("program header", off + 16)?;
        let p_filesz = r.u64("program header", off + 32)?;
        let p_memsz = r.u64("program header", off + 40)?;
        let bad = |reason: String| ElfError::BadSegment {
            index: i as usize,
            reason,
        };
        match p_type {
            PT_INTERP => {
                let s = r.bytes("PT_INTERP", p_offset, p_filesz.min(4096))?;
                return Err(ElfError::Dynamic(
                    String::from_utf8_lossy(s)
                        .trim_end_matches('\0')
                        .to_string(),
                ));
            }
            PT_PHDR => phdr_addr = Some(p_vaddr),
            PT_LOAD => {
                if p_filesz > p_memsz {
                    return Err(bad(format!(
                        "p_filesz {p_filesz:#x} larger than p_memsz {p_memsz:#x}"
                    )));
                }
                if p_vaddr.checked_add(p_memsz).is_none() {
                    return Err(bad(format!(
                        "segment {p_vaddr:#x}+{p_memsz:#x} wraps the address space"
                    )));
                }
                total = total.saturating_add(p_memsz);
                if total > MAX_IMAGE {
                    return Err(bad(format!(
                        "segments total more than {MAX_IMAGE:#x} bytes"
                    )));
                }
                let data = r.bytes("PT_LOAD data", p_offset, p_filesz)?.to_vec();
                if phdr_addr.is_none() && p_offset <= phoff && phoff < p_offset + p_filesz {
                    phdr_addr = Some(p_vaddr + (phoff - p_offset));
                }
                segments.push(Segment {
                    vaddr: p_vaddr,
                    memsz: p_memsz,
                    data,
                    read: p_flags & 4 != 0,
                    write: p_flags & 2 != 0,
                    exec: p_flags & 1 != 0,
                });
            }
            PT_TLS => {}
            _ => {}
        }
    }
    if segments.is_empty() {
        return Err(ElfError::NoSegments);
    }
    let abi = flags & 3;
    // ELFv1 (big-endian unless e_flags says ELFv2): e_entry is a function
    // descriptor {code address, TOC, environment} in .opd.
    let (entry_pc, entry_toc) = if abi == 2 || (abi == 0 && le) {
        (e_entry, None)
    } else {
        let read_word = |addr: u64| -> Option<u64> {
            segments.iter().find_map(|s| {
                let off = addr.checked_sub(s.vaddr)?;
                let end = off.checked_add(8)?;
                if end <= s.data.len() as u64 {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(&s.data[off as usize..end as usize]);
                    Some(if le {
                        u64::from_le_bytes(a)
                    } else {
                        u64::from_be_bytes(a)
                    })
                } else {
                    None
                }
            })
        };
        let pc = read_word(e_entry).ok_or(ElfError::BadEntryDescriptor(e_entry))?;
        let toc =
            read_word(e_entry.wrapping_add(8)).ok_or(ElfError::BadEntryDescriptor(e_entry))?;
        (pc, Some(toc))
    };
    let symbols = parse_symbols(&r, shoff, shentsize, shnum).unwrap_or_default();
    Ok(ElfImage {
        little_endian: le,
        abi,
        e_entry,
        entry_pc,
        entry_toc,
        segments,
        phdr_addr: phdr_addr.unwrap_or(0),
        phnum,
        phentsize,
        symbols,
    })
}

/// Symbols are optional: a malformed symbol table is ignored (the program still
/// runs), never fatal.
fn parse_symbols(r: &Reader, shoff: u64, shentsize: u16, shnum: u16) -> Option<Vec<Symbol>> {
    if shoff == 0 || shentsize < 64 {
        return None;
    }
    let sh = |i: u64| shoff.checked_add(i.checked_mul(shentsize as u64)?);
    for i in 0..shnum as u64 {
        let off = sh(i)?;
        if r.u32("section header", off + 4).ok()? != SHT_SYMTAB {
            continue;
        }
        let sym_off = r.u64("section header", off + 24).ok()?;
        let sym_size = r.u64("section header", off + 32).ok()?;
        let link = r.u32("section header", off + 40).ok()? as u64;
        let str_hdr = sh(link)?;
        let str_off = r.u64("section header", str_hdr + 24).ok()?;
        let str_size = r.u64("section header", str_hdr + 32).ok()?;
        let strtab = r.bytes("strtab", str_off, str_size).ok()?;
        let mut out = Vec::new();
        for k in 0..(sym_size / 24).min(1 << 20) {
            let so = sym_off.checked_add(k * 24)?;
            let name_off = r.u32("symbol", so).ok()? as usize;
            let info = r.bytes("symbol", so + 4, 1).ok()?[0];
            let value = r.u64("symbol", so + 8).ok()?;
            let size = r.u64("symbol", so + 16).ok()?;
            let ty = info & 0xf;
            if !(ty == 1 || ty == 2) || value == 0 || name_off >= strtab.len() {
                continue; // objects and functions only
            }
            let name = &strtab[name_off..];
            let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
            out.push(Symbol {
                name: String::from_utf8_lossy(&name[..end]).into_owned(),
                addr: value,
                size,
            });
        }
        out.sort_by(|a, b| a.addr.cmp(&b.addr).then_with(|| a.name.cmp(&b.name)));
        return Some(out);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_elf_and_truncated_files() {
        assert!(matches!(parse(b"hello"), Err(ElfError::NotElf(_))));
        let mut h = vec![0x7f, b'E', b'L', b'F', 2, 1];
        h.resize(20, 0);
        assert!(matches!(parse(&h), Err(ElfError::Truncated { .. })));
    }

    #[test]
    fn rejects_wrong_class_and_machine() {
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 1;
        h[5] = 1;
        assert_eq!(parse(&h), Err(ElfError::WrongClass(1)));
        h[4] = 2;
        h[16] = 2;
        h[18] = 62;
        assert!(matches!(
            parse(&h),
            Err(ElfError::WrongMachine { machine: 62, .. })
        ));
    }
}
