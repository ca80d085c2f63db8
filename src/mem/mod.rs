//! Guest memory: 4 KiB pages with permissions, endian-aware bounds-checked access,
//! dirty-page and code-page tracking.
//!
//! Pages live in an arena (`Vec`) indexed through an ordered map (so iteration, and
//! therefore [`Memory::digest`], is deterministic) and a small direct-mapped
//! software TLB in front of it. Every guest access checks permissions; a failed
//! check returns a [`MemFault`] naming the address — never a panic.
//!
//! This module knows nothing about CPU models or engines.

use std::collections::BTreeMap;

/// Page size (bytes).
pub const PAGE_SIZE: u64 = 4096;
const PAGE_SHIFT: u32 = 12;
const PAGE_MASK: u64 = PAGE_SIZE - 1;
const TLB_SIZE: usize = 256;

/// Page permissions.
pub mod perm {
    /// Readable.
    pub const R: u8 = 1;
    /// Writable.
    pub const W: u8 = 2;
    /// Executable.
    pub const X: u8 = 4;
    /// Read + write.
    pub const RW: u8 = R | W;
    /// Read + execute.
    pub const RX: u8 = R | X;
    /// Everything.
    pub const RWX: u8 = R | W | X;
}

/// Kind of guest access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Access {
    /// Data load.
    Read,
    /// Data store.
    Write,
    /// Instruction fetch.
    Exec,
}

/// A guest access that the memory map does not allow (delivers SIGSEGV).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{access:?} of guest address {addr:#x}: {}", if *.unmapped { "not mapped" } else { "permission denied" })]
pub struct MemFault {
    /// The faulting effective address.
    pub addr: u64,
    /// What was attempted.
    pub access: Access,
    /// True if no page is mapped there (SEGV_MAPERR), false for a permission
    /// violation (SEGV_ACCERR).
    pub unmapped: bool,
}

/// Errors of privileged (loader/kernel) operations.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MemError {
    /// Range wraps around the address space or is unaligned.
    #[error("invalid guest range {addr:#x}+{len:#x}")]
    BadRange {
        /// Start.
        addr: u64,
        /// Length.
        len: u64,
    },
    /// Access to unmapped memory by the loader/kernel.
    #[error("guest address {0:#x} is not mapped")]
    Unmapped(u64),
    /// Too much guest memory requested.
    #[error("guest memory limit exceeded ({limit} pages)")]
    Limit {
        /// The limit in pages.
        limit: usize,
    },
}

struct Page {
    data: Box<[u8; PAGE_SIZE as usize]>,
    perm: u8,
    dirty: bool,
    code: bool,
}

#[derive(Clone, Copy)]
struct TlbEntry {
    vpn: u64,
    idx: u32,
    perm: u8,
}

const TLB_EMPTY: TlbEntry = TlbEntry {
    vpn: u64::MAX,
    idx: 0,
    perm: 0,
};

/// The guest's memory.
pub struct Memory {
    map: BTreeMap<u64, u32>,
    pages: Vec<Page>,
    free: Vec<u32>,
    tlb: Box<[TlbEntry; TLB_SIZE]>,
    /// Incremented whenever a page that held executed code is written or unmapped:
    /// decode caches and JIT translations compare it to know they are stale.
    code_generation: u64,
    /// Upper bound on mapped pages (bounded allocation for untrusted guests).
    max_pages: usize,
}

impl Default for Memory {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for Memory {
    fn clone(&self) -> Self {
        let mut m = Memory::new();
        m.max_pages = self.max_pages;
        for (&vpn, &idx) in &self.map {
            let p = &self.pages[idx as usize];
            let i = m.pages.len() as u32;
            m.pages.push(Page {
                data: p.data.clone(),
                perm: p.perm,
                dirty: p.dirty,
                code: p.code,
            });
            m.map.insert(vpn, i);
        }
        m.code_generation = self.code_generation;
        m
    }
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Memory({} pages)", self.map.len())
    }
}

impl Memory {
    /// Empty memory with the default limit (4 GiB of pages).
    pub fn new() -> Self {
        Memory {
            map: BTreeMap::new(),
            pages: Vec::new(),
            free: Vec::new(),
            tlb: Box::new([TLB_EMPTY; TLB_SIZE]),
            code_generation: 0,
            max_pages: 1 << 20,
        }
    }

    /// Sets the maximum number of mapped pages.
    pub fn set_max_pages(&mut self, n: usize) {
        self.max_pages = n;
    }

    /// Number of mapped pages.
    pub fn page_count(&self) -> usize {
        self.map.len()
    }

    /// The code generation counter (see the field doc).
    #[inline]
    pub fn code_generation(&self) -> u64 {
        self.code_generation
    }

    fn flush_tlb(&mut self) {
        self.tlb.fill(TLB_EMPTY);
    }

    fn range_pages(addr: u64, len: u64) -> Result<(u64, u64), MemError> {
        let end = addr
            .checked_add(len)
            .ok_or(MemError::BadRange { addr, len })?;
        Ok((addr >> PAGE_SHIFT, (end + PAGE_MASK) >> PAGE_SHIFT))
    }

    /// Maps zero-filled pages covering `[addr, addr+len)` with `perm`, replacing
    /// whatever was mapped there.
    pub fn map_zero(&mut self, addr: u64, len: u64, perm: u8) -> Result<(), MemError> {
        let (first, last) = Self::range_pages(addr, len)?;
        let new_pages = (first..last).filter(|v| !self.map.contains_key(v)).count();
        if self.map.len() + new_pages > self.max_pages {
            return Err(MemError::Limit {
                limit: self.max_pages,
            });
        }
        for vpn in first..last {
            if let Some(&idx) = self.map.get(&vpn) {
                let p = &mut self.pages[idx as usize];
                if p.code {
                    self.code_generation += 1;
                }
                p.data.fill(0);
                p.perm = perm;
                p.dirty = true;
                p.code = false;
            } else {
                let page = Page {
                    data: Box::new([0; PAGE_SIZE as usize]),
                    perm,
                    dirty: true,
                    code: false,
                };
                let idx = if let Some(i) = self.free.pop() {
                    self.pages[i as usize] = page;
                    i
                } else {
                    self.pages.push(page);
                    (self.pages.len() - 1) as u32
                };
                self.map.insert(vpn, idx);
            }
        }
        self.flush_tlb();
        Ok(())
    }

    /// Maps zero pages only where nothing is mapped yet (e.g. growing brk).
    pub fn map_missing(&mut self, addr: u64, len: u64, perm: u8) -> Result<(), MemError> {
        let (first, last) = Self::range_pages(addr, len)?;
        for vpn in first..last {
            if !self.map.contains_key(&vpn) {
                self.map_zero(vpn << PAGE_SHIFT, PAGE_SIZE, perm)?;
            }
        }
        Ok(())
    }

    /// Changes permissions of mapped pages in the range (unmapped pages: error).
    pub fn protect(&mut self, addr: u64, len: u64, perm: u8) -> Result<(), MemError> {
        let (first, last) = Self::range_pages(addr, len)?;
        for vpn in first..last {
            if !self.map.contains_key(&vpn) {
                return Err(MemError::Unmapped(vpn << PAGE_SHIFT));
            }
        }
        for vpn in first..last {
            let idx = self.map[&vpn];
            self.pages[idx as usize].perm = perm;
        }
        self.flush_tlb();
        Ok(())
    }

    /// Unmaps the range (unmapped pages are ignored, as munmap does).
    pub fn unmap(&mut self, addr: u64, len: u64) -> Result<(), MemError> {
        let (first, last) = Self::range_pages(addr, len)?;
        for vpn in first..last {
            if let Some(idx) = self.map.remove(&vpn) {
                if self.pages[idx as usize].code {
                    self.code_generation += 1;
                }
                self.free.push(idx);
            }
        }
        self.flush_tlb();
        Ok(())
    }

    /// Whether the page holding `addr` is mapped.
    pub fn is_mapped(&self, addr: u64) -> bool {
        self.map.contains_key(&(addr >> PAGE_SHIFT))
    }

    /// Permissions of the page holding `addr`.
    pub fn perm_at(&self, addr: u64) -> Option<u8> {
        self.map
            .get(&(addr >> PAGE_SHIFT))
            .map(|&i| self.pages[i as usize].perm)
    }

    /// Privileged write (loader, kernel): ignores permissions; pages must be mapped.
    pub fn write_bytes(&mut self, addr: u64, data: &[u8]) -> Result<(), MemError> {
        let mut a = addr;
        let mut rest = data;
        while !rest.is_empty() {
            let idx = *self
                .map
                .get(&(a >> PAGE_SHIFT))
                .ok_or(MemError::Unmapped(a))?;
            let off = (a & PAGE_MASK) as usize;
            let n = rest.len().min(PAGE_SIZE as usize - off);
            let p = &mut self.pages[idx as usize];
            p.data[off..off + n].copy_from_slice(&rest[..n]);
            p.dirty = true;
            if p.code {
                self.code_generation += 1;
            }
            rest = &rest[n..];
            a = a.wrapping_add(n as u64);
        }
        Ok(())
    }

    /// Privileged read (kernel): ignores permissions; pages must be mapped.
    pub fn read_bytes(&self, addr: u64, out: &mut [u8]) -> Result<(), MemError> {
        let mut a = addr;
        let mut done = 0;
        while done < out.len() {
            let idx = *self
                .map
                .get(&(a >> PAGE_SHIFT))
                .ok_or(MemError::Unmapped(a))?;
            let off = (a & PAGE_MASK) as usize;
            let n = (out.len() - done).min(PAGE_SIZE as usize - off);
            out[done..done + n].copy_from_slice(&self.pages[idx as usize].data[off..off + n]);
            done += n;
            a = a.wrapping_add(n as u64);
        }
        Ok(())
    }

    /// Reads a NUL-terminated string (kernel side), at most `max` bytes.
    pub fn read_cstr(&self, addr: u64, max: usize) -> Result<Vec<u8>, MemError> {
        let mut v = Vec::new();
        let mut a = addr;
        while v.len() < max {
            let mut b = [0u8];
            self.read_bytes(a, &mut b)?;
            if b[0] == 0 {
                break;
            }
            v.push(b[0]);
            a = a.wrapping_add(1);
        }
        Ok(v)
    }

    #[inline(always)]
    fn page_for(&mut self, addr: u64, need: u8, access: Access) -> Result<usize, MemFault> {
        let vpn = addr >> PAGE_SHIFT;
        let slot = (vpn as usize) & (TLB_SIZE - 1);
        let e = self.tlb[slot];
        if e.vpn == vpn && e.perm & need != 0 {
            return Ok(e.idx as usize);
        }
        self.page_slow(addr, need, access)
    }

    #[cold]
    fn page_slow(&mut self, addr: u64, need: u8, access: Access) -> Result<usize, MemFault> {
        let vpn = addr >> PAGE_SHIFT;
        match self.map.get(&vpn) {
            None => Err(MemFault {
                addr,
                access,
                unmapped: true,
            }),
            Some(&idx) => {
                let p = &mut self.pages[idx as usize];
                if p.perm & need == 0 {
                    return Err(MemFault {
                        addr,
                        access,
                        unmapped: false,
                    });
                }
                if access == Access::Exec {
                    p.code = true;
                }
                // Execute permission is cached only once the page is marked as
                // code, so that the first fetch always reaches this slow path and
                // sets the flag (writes to code pages must bump the generation).
                let cached = if p.code { p.perm } else { p.perm & !perm::X };
                let slot = (vpn as usize) & (TLB_SIZE - 1);
                self.tlb[slot] = TlbEntry {
                    vpn,
                    idx,
                    perm: cached,
                };
                Ok(idx as usize)
            }
        }
    }

    /// Guest load of `N` bytes (1, 2, 4, 8, 16) into `out`, in memory order.
    #[inline]
    pub fn load_raw<const N: usize>(&mut self, addr: u64) -> Result<[u8; N], MemFault> {
        let off = (addr & PAGE_MASK) as usize;
        if off + N <= PAGE_SIZE as usize {
            let idx = self.page_for(addr, perm::R, Access::Read)?;
            let mut b = [0u8; N];
            b.copy_from_slice(&self.pages[idx].data[off..off + N]);
            Ok(b)
        } else {
            let mut b = [0u8; N];
            for (i, x) in b.iter_mut().enumerate() {
                let a = addr.wrapping_add(i as u64);
                let idx = self.page_for(a, perm::R, Access::Read)?;
                *x = self.pages[idx].data[(a & PAGE_MASK) as usize];
            }
            Ok(b)
        }
    }

    /// Guest store of `N` bytes in memory order. Either all bytes are written or
    /// none (every page is checked first).
    #[inline]
    pub fn store_raw<const N: usize>(&mut self, addr: u64, b: [u8; N]) -> Result<(), MemFault> {
        let off = (addr & PAGE_MASK) as usize;
        if off + N <= PAGE_SIZE as usize {
            let idx = self.page_for(addr, perm::W, Access::Write)?;
            let p = &mut self.pages[idx];
            p.data[off..off + N].copy_from_slice(&b);
            if !p.dirty || p.code {
                self.note_write(idx);
            }
            Ok(())
        } else {
            for i in 0..N {
                self.page_for(addr.wrapping_add(i as u64), perm::W, Access::Write)?;
            }
            for (i, x) in b.iter().enumerate() {
                let a = addr.wrapping_add(i as u64);
                let idx = self.page_for(a, perm::W, Access::Write)?;
                self.pages[idx].data[(a & PAGE_MASK) as usize] = *x;
                self.note_write(idx);
            }
            Ok(())
        }
    }

    #[cold]
    fn note_write(&mut self, idx: usize) {
        let p = &mut self.pages[idx];
        p.dirty = true;
        if p.code {
            p.code = false;
            self.code_generation += 1;
            // Cached execute permissions must be re-checked so that the next
            // fetch marks the page as code again.
            self.flush_tlb();
        }
    }

    /// Loads an unsigned value of `N` bytes (1, 2, 4, 8) with the given endianness.
    #[inline]
    pub fn load<const N: usize>(&mut self, addr: u64, le: bool) -> Result<u64, MemFault> {
        let b = self.load_raw::<N>(addr)?;
        let mut v = 0u64;
        if le {
            for i in (0..N).rev() {
                v = (v << 8) | b[i] as u64;
            }
        } else {
            for x in b {
                v = (v << 8) | x as u64;
            }
        }
        Ok(v)
    }

    /// Stores the low `N` bytes of `v` with the given endianness.
    #[inline]
    pub fn store<const N: usize>(&mut self, addr: u64, v: u64, le: bool) -> Result<(), MemFault> {
        let mut b = [0u8; N];
        for (i, x) in b.iter_mut().enumerate() {
            let sh = if le { 8 * i } else { 8 * (N - 1 - i) };
            *x = (v >> sh) as u8;
        }
        self.store_raw::<N>(addr, b)
    }

    /// Fetches an instruction word (needs execute permission).
    #[inline]
    pub fn fetch(&mut self, addr: u64, le: bool) -> Result<u32, MemFault> {
        let off = (addr & PAGE_MASK) as usize;
        if addr & 3 != 0 || off + 4 > PAGE_SIZE as usize {
            return Err(MemFault {
                addr,
                access: Access::Exec,
                unmapped: !self.is_mapped(addr),
            });
        }
        let idx = self.page_for(addr, perm::X, Access::Exec)?;
        let d = &self.pages[idx].data;
        let b = [d[off], d[off + 1], d[off + 2], d[off + 3]];
        Ok(if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    /// Guest-permission byte copy out of memory (syscall buffers).
    pub fn load_bytes(&mut self, addr: u64, out: &mut [u8]) -> Result<(), MemFault> {
        for (i, x) in out.iter_mut().enumerate() {
            let a = addr.wrapping_add(i as u64);
            let idx = self.page_for(a, perm::R, Access::Read)?;
            *x = self.pages[idx].data[(a & PAGE_MASK) as usize];
        }
        Ok(())
    }

    /// Guest-permission byte copy into memory (syscall results). All-or-nothing.
    pub fn store_bytes(&mut self, addr: u64, data: &[u8]) -> Result<(), MemFault> {
        let (first, last) = match Self::range_pages(addr, data.len() as u64) {
            Ok(r) => r,
            Err(_) => {
                return Err(MemFault {
                    addr,
                    access: Access::Write,
                    unmapped: true,
                })
            }
        };
        for vpn in first..last {
            let a = (vpn << PAGE_SHIFT).max(addr);
            self.page_for(a, perm::W, Access::Write)?;
        }
        for (i, x) in data.iter().enumerate() {
            let a = addr.wrapping_add(i as u64);
            let idx = self.page_for(a, perm::W, Access::Write)?;
            self.pages[idx].data[(a & PAGE_MASK) as usize] = *x;
            self.note_write(idx);
        }
        Ok(())
    }

    /// Mapped page numbers with their permissions, ascending.
    pub fn pages(&self) -> impl Iterator<Item = (u64, u8, &[u8; PAGE_SIZE as usize])> + '_ {
        self.map.iter().map(move |(&vpn, &idx)| {
            let p = &self.pages[idx as usize];
            (vpn << PAGE_SHIFT, p.perm, &*p.data)
        })
    }

    /// Addresses of pages written since the last call, ascending; clears the flags.
    pub fn take_dirty(&mut self) -> Vec<u64> {
        let mut v = Vec::new();
        for (&vpn, &idx) in &self.map {
            let p = &mut self.pages[idx as usize];
            if p.dirty {
                v.push(vpn << PAGE_SHIFT);
                p.dirty = false;
            }
        }
        self.flush_tlb();
        v
    }

    /// blake3 digest of every mapped page (address, permissions, contents), in
    /// address order.
    pub fn digest(&self) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        h.update(b"ppcreplay-memory-v1\0");
        for (addr, perm, data) in self.pages() {
            h.update(&addr.to_le_bytes());
            h.update(&[perm]);
            h.update(data);
        }
        h.finalize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_and_stores_respect_endianness() {
        let mut m = Memory::new();
        m.map_zero(0x1000, 0x1000, perm::RW).unwrap();
        m.store::<4>(0x1000, 0x1122_3344, false).unwrap();
        assert_eq!(m.load::<1>(0x1000, false).unwrap(), 0x11);
        assert_eq!(m.load::<4>(0x1000, true).unwrap(), 0x4433_2211);
        m.store::<8>(0x1008, 0x0102_0304_0506_0708, true).unwrap();
        assert_eq!(m.load::<1>(0x1008, true).unwrap(), 0x08);
    }

    #[test]
    fn unmapped_and_readonly_accesses_fault_with_the_address() {
        let mut m = Memory::new();
        m.map_zero(0x1000, 0x1000, perm::R).unwrap();
        let e = m.store::<4>(0x1004, 1, true).unwrap_err();
        assert_eq!(
            (e.addr, e.access, e.unmapped),
            (0x1004, Access::Write, false)
        );
        let e = m.load::<8>(0x2000, true).unwrap_err();
        assert_eq!((e.addr, e.unmapped), (0x2000, true));
    }

    #[test]
    fn a_store_crossing_into_an_unmapped_page_writes_nothing() {
        let mut m = Memory::new();
        m.map_zero(0x1000, 0x1000, perm::RW).unwrap();
        assert!(m.store::<8>(0x1ffc, u64::MAX, true).is_err());
        assert_eq!(m.load::<4>(0x1ffc, true).unwrap(), 0);
    }

    #[test]
    fn writing_an_executed_page_bumps_the_code_generation() {
        let mut m = Memory::new();
        m.map_zero(0x1000, 0x1000, perm::RWX).unwrap();
        m.fetch(0x1000, true).unwrap();
        let g = m.code_generation();
        m.store::<4>(0x1000, 0x6000_0000, true).unwrap();
        assert!(m.code_generation() > g);
    }
}
