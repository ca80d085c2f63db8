//! Guest memory: 4 KiB pages with permissions, endian-aware bounds-checked access,
//! dirty-page and code-page tracking.
//!
//! Pages live in an arena (`Vec`) indexed through an ordered map (so iteration, and
//! therefore [`Memory::digest`], is deterministic), with three small direct-mapped
//! software TLBs in front of it: one each for reads, writes and instruction
//! fetches. Being in a TLB *is* the permission: an entry is filled only after the
//! slow path has checked the page's permissions, so the fast path of an access is
//! one tag compare and one bounds-checked copy. Every guest access checks
//! permissions; a failed check returns a [`MemFault`] naming the address — never
//! a panic.
//!
//! Code tracking: a page becomes *code* when an instruction is fetched from it
//! (only fetches that miss the fetch TLB reach the slow path, so the fetch TLB only
//! ever holds code pages). The write TLB never holds a code page (or a clean one),
//! so the first store to a code page takes the slow path, which clears the code
//! flag, bumps [`Memory::code_generation`] and stamps the page with the new
//! generation ([`Memory::code_stamp`]); decoded-instruction caches use the stamp
//! to drop only the pages that changed.
//!
//! This module knows nothing about CPU models or engines.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Page size (bytes).
pub const PAGE_SIZE: u64 = 4096;
/// log2 of [`PAGE_SIZE`].
pub const PAGE_SHIFT: u32 = 12;
/// Offset bits of an address within its page.
pub const PAGE_MASK: u64 = PAGE_SIZE - 1;
const TLB_SIZE: usize = 256;
const PAGE_BYTES: usize = PAGE_SIZE as usize;

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

#[derive(Clone, Copy)]
struct PageMeta {
    perm: u8,
    dirty: bool,
    code: bool,
    /// Value of the code generation when the page last stopped being code
    /// (written, replaced, or its permissions changed while it was code), or
    /// when it was mapped.
    stamp: u64,
}

#[derive(Clone, Copy)]
struct TlbEntry {
    vpn: u64,
    idx: u32,
}

const TLB_EMPTY: TlbEntry = TlbEntry {
    vpn: u64::MAX,
    idx: 0,
};

type Tlb = Box<[TlbEntry; TLB_SIZE]>;

/// Source of [`Memory::id`] values (identity only: never influences results).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The guest's memory.
pub struct Memory {
    /// Distinguishes memories (and clones) so that an engine's caches are never
    /// applied to a memory they were not built from.
    id: u64,
    map: BTreeMap<u64, u32>,
    /// Page contents, indexed by the arena index of `map` (one flat allocation,
    /// so a TLB hit reaches the bytes without another pointer chase).
    data: Vec<[u8; PAGE_BYTES]>,
    meta: Vec<PageMeta>,
    free: Vec<u32>,
    /// Pages readable by guest loads.
    rtlb: Tlb,
    /// Writable pages that are already dirty and not code.
    wtlb: Tlb,
    /// Executable pages marked as code.
    xtlb: Tlb,
    /// Incremented whenever a page that held executed code is written, unmapped,
    /// replaced or re-protected, and whenever pages are mapped: decode caches and
    /// JIT translations compare it to know they may be stale.
    code_generation: u64,
    /// Upper bound on mapped pages (bounded allocation for untrusted guests).
    max_pages: usize,
    /// The fault of the last failed [`Memory::load_slow`] (returned through
    /// here so that the slow path returns in registers: see there).
    last_fault: MemFault,
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
            let i = m.data.len() as u32;
            let p = &self.meta[idx as usize];
            m.data.push(self.data[idx as usize]);
            m.meta.push(PageMeta {
                perm: p.perm,
                dirty: p.dirty,
                code: p.code,
                stamp: p.stamp,
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

#[inline(always)]
fn tlb_slot(vpn: u64) -> usize {
    (vpn as usize) & (TLB_SIZE - 1)
}

impl Memory {
    /// Empty memory with the default limit (4 GiB of pages).
    pub fn new() -> Self {
        Memory {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            map: BTreeMap::new(),
            data: Vec::new(),
            meta: Vec::new(),
            free: Vec::new(),
            rtlb: Box::new([TLB_EMPTY; TLB_SIZE]),
            wtlb: Box::new([TLB_EMPTY; TLB_SIZE]),
            xtlb: Box::new([TLB_EMPTY; TLB_SIZE]),
            code_generation: 0,
            max_pages: 1 << 20,
            last_fault: MemFault {
                addr: 0,
                access: Access::Read,
                unmapped: true,
            },
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
    #[inline(always)]
    pub fn code_generation(&self) -> u64 {
        self.code_generation
    }

    /// Identity of this memory (a clone has a new one). Engines key their caches
    /// on it.
    #[inline(always)]
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The code stamp of the page holding `addr` (`None` if unmapped): the code
    /// generation at which the page last stopped being code or was mapped.
    /// Instructions decoded from the page while the code generation was `g`
    /// are still valid iff the stamp is `<= g`.
    pub fn code_stamp(&self, addr: u64) -> Option<u64> {
        self.map
            .get(&(addr >> PAGE_SHIFT))
            .map(|&i| self.meta[i as usize].stamp)
    }

    fn flush_tlb(&mut self) {
        self.rtlb.fill(TLB_EMPTY);
        self.wtlb.fill(TLB_EMPTY);
        self.xtlb.fill(TLB_EMPTY);
    }

    /// The page stops being code: bump the generation and stamp it.
    fn uncode(&mut self, vpn: u64, idx: usize) {
        self.code_generation += 1;
        let p = &mut self.meta[idx];
        p.code = false;
        p.stamp = self.code_generation;
        // The next fetch must take the slow path to mark the page as code again.
        let s = tlb_slot(vpn);
        if self.xtlb[s].vpn == vpn {
            self.xtlb[s] = TLB_EMPTY;
        }
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
        // Every page in the range gets a new stamp: whatever was decoded from
        // this address range before is stale.
        self.code_generation += 1;
        let stamp = self.code_generation;
        let meta = PageMeta {
            perm,
            dirty: true,
            code: false,
            stamp,
        };
        for vpn in first..last {
            if let Some(&idx) = self.map.get(&vpn) {
                self.data[idx as usize].fill(0);
                self.meta[idx as usize] = meta;
            } else {
                let idx = if let Some(i) = self.free.pop() {
                    self.data[i as usize].fill(0);
                    self.meta[i as usize] = meta;
                    i
                } else {
                    self.data.push([0; PAGE_BYTES]);
                    self.meta.push(meta);
                    (self.data.len() - 1) as u32
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
            let idx = self.map[&vpn] as usize;
            // Decoded instructions of a code page must be fetched (and their
            // permission checked) again.
            if self.meta[idx].code {
                self.uncode(vpn, idx);
            }
            self.meta[idx].perm = perm;
        }
        self.flush_tlb();
        Ok(())
    }

    /// Unmaps the range (unmapped pages are ignored, as munmap does).
    pub fn unmap(&mut self, addr: u64, len: u64) -> Result<(), MemError> {
        let (first, last) = Self::range_pages(addr, len)?;
        for vpn in first..last {
            if let Some(idx) = self.map.remove(&vpn) {
                if self.meta[idx as usize].code {
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
            .map(|&i| self.meta[i as usize].perm)
    }

    /// Privileged write (loader, kernel): ignores permissions; pages must be mapped.
    pub fn write_bytes(&mut self, addr: u64, data: &[u8]) -> Result<(), MemError> {
        let mut a = addr;
        let mut rest = data;
        while !rest.is_empty() {
            let vpn = a >> PAGE_SHIFT;
            let idx = *self.map.get(&vpn).ok_or(MemError::Unmapped(a))? as usize;
            let off = (a & PAGE_MASK) as usize;
            let n = rest.len().min(PAGE_BYTES - off);
            self.data[idx][off..off + n].copy_from_slice(&rest[..n]);
            self.meta[idx].dirty = true;
            if self.meta[idx].code {
                self.uncode(vpn, idx);
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
            let n = (out.len() - done).min(PAGE_BYTES - off);
            out[done..done + n].copy_from_slice(&self.data[idx as usize][off..off + n]);
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

    /// Arena index of the page holding `addr` for an access of kind `access`:
    /// the TLB of that kind, or the slow path.
    #[inline(always)]
    fn page_for(&mut self, addr: u64, access: Access) -> Result<usize, MemFault> {
        let vpn = addr >> PAGE_SHIFT;
        let tlb = match access {
            Access::Read => &self.rtlb,
            Access::Write => &self.wtlb,
            Access::Exec => &self.xtlb,
        };
        let e = tlb[tlb_slot(vpn)];
        if e.vpn == vpn {
            return Ok(e.idx as usize);
        }
        self.page_slow(addr, access)
    }

    /// TLB miss: checks the page's permission, updates the dirty/code flags the
    /// TLB of `access` relies on, and fills that TLB.
    #[cold]
    #[inline(never)]
    fn page_slow(&mut self, addr: u64, access: Access) -> Result<usize, MemFault> {
        let vpn = addr >> PAGE_SHIFT;
        let Some(&idx) = self.map.get(&vpn) else {
            return Err(MemFault {
                addr,
                access,
                unmapped: true,
            });
        };
        let need = match access {
            Access::Read => perm::R,
            Access::Write => perm::W,
            Access::Exec => perm::X,
        };
        let i = idx as usize;
        if self.meta[i].perm & need == 0 {
            return Err(MemFault {
                addr,
                access,
                unmapped: false,
            });
        }
        let s = tlb_slot(vpn);
        let e = TlbEntry { vpn, idx };
        match access {
            Access::Read => self.rtlb[s] = e,
            Access::Write => {
                self.meta[i].dirty = true;
                if self.meta[i].code {
                    self.uncode(vpn, i);
                }
                self.wtlb[s] = e;
            }
            Access::Exec => {
                self.meta[i].code = true;
                // Stores to a code page must reach the slow path again.
                if self.wtlb[s].vpn == vpn {
                    self.wtlb[s] = TLB_EMPTY;
                }
                self.xtlb[s] = e;
            }
        }
        Ok(i)
    }

    /// Guest load of `N` bytes (any `N`), in memory order.
    #[inline]
    pub fn load_raw<const N: usize>(&mut self, addr: u64) -> Result<[u8; N], MemFault> {
        let off = (addr & PAGE_MASK) as usize;
        if off + N <= PAGE_BYTES {
            let idx = self.page_for(addr, Access::Read)?;
            let mut b = [0u8; N];
            b.copy_from_slice(&self.data[idx][off..off + N]);
            Ok(b)
        } else {
            let mut b = [0u8; N];
            for (i, x) in b.iter_mut().enumerate() {
                let a = addr.wrapping_add(i as u64);
                let idx = self.page_for(a, Access::Read)?;
                *x = self.data[idx][(a & PAGE_MASK) as usize];
            }
            Ok(b)
        }
    }

    /// Guest store of `N` bytes in memory order. Either all bytes are written or
    /// none (every page is checked first).
    #[inline]
    pub fn store_raw<const N: usize>(&mut self, addr: u64, b: [u8; N]) -> Result<(), MemFault> {
        let off = (addr & PAGE_MASK) as usize;
        if off + N <= PAGE_BYTES {
            let idx = self.page_for(addr, Access::Write)?;
            self.data[idx][off..off + N].copy_from_slice(&b);
            Ok(())
        } else {
            self.store_split(addr, &b)
        }
    }

    /// A store that crosses a page boundary: check both pages, then write.
    #[cold]
    #[inline(never)]
    fn store_split(&mut self, addr: u64, b: &[u8]) -> Result<(), MemFault> {
        for i in 0..b.len() {
            self.page_for(addr.wrapping_add(i as u64), Access::Write)?;
        }
        for (i, x) in b.iter().enumerate() {
            let a = addr.wrapping_add(i as u64);
            // Re-resolved per byte (rare path: simple over fast).
            let idx = self.page_for(a, Access::Write)?;
            self.data[idx][(a & PAGE_MASK) as usize] = *x;
        }
        Ok(())
    }

    /// Loads an unsigned value of `N` bytes (1, 2, 4, 8) with the given endianness.
    #[inline(always)]
    pub fn load<const N: usize>(&mut self, addr: u64, le: bool) -> Result<u64, MemFault> {
        if N <= 8 {
            // Fast path: read-TLB hit, access inside one page.
            let off = (addr & PAGE_MASK) as usize;
            let vpn = addr >> PAGE_SHIFT;
            let e = self.rtlb[tlb_slot(vpn)];
            if e.vpn == vpn && off + N <= PAGE_BYTES {
                if let Some(page) = self.data.get(e.idx as usize) {
                    let src = &page[off..off + N];
                    let mut b = [0u8; 8];
                    return Ok(if le {
                        b[..N].copy_from_slice(src);
                        u64::from_le_bytes(b)
                    } else {
                        b[8usize.saturating_sub(N)..].copy_from_slice(src);
                        u64::from_be_bytes(b)
                    });
                }
            }
        }
        match self.load_slow::<N>(addr, le) {
            Some(v) => Ok(v),
            None => Err(self.last_fault),
        }
    }

    /// The slow path of [`Memory::load`]. It returns `Option<u64>` (two
    /// registers) rather than `Result<u64, MemFault>` (returned through stack
    /// memory): a caller that passes the address of its own stack memory to a
    /// callee cannot make tail calls, which the interpreter's threaded handlers
    /// rely on for speed.
    #[inline(never)]
    fn load_slow<const N: usize>(&mut self, addr: u64, le: bool) -> Option<u64> {
        let b = match self.load_raw::<N>(addr) {
            Ok(b) => b,
            Err(f) => {
                self.last_fault = f;
                return None;
            }
        };
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
        Some(v)
    }

    /// Stores the low `N` bytes of `v` with the given endianness.
    #[inline(always)]
    pub fn store<const N: usize>(&mut self, addr: u64, v: u64, le: bool) -> Result<(), MemFault> {
        if N <= 8 {
            // Fast path: write-TLB hit (page writable, dirty, not code), access
            // inside one page.
            let off = (addr & PAGE_MASK) as usize;
            let vpn = addr >> PAGE_SHIFT;
            let e = self.wtlb[tlb_slot(vpn)];
            if e.vpn == vpn && off + N <= PAGE_BYTES {
                if let Some(page) = self.data.get_mut(e.idx as usize) {
                    let dst = &mut page[off..off + N];
                    if le {
                        dst.copy_from_slice(&v.to_le_bytes()[..N]);
                    } else {
                        dst.copy_from_slice(&v.to_be_bytes()[8usize.saturating_sub(N)..]);
                    }
                    return Ok(());
                }
            }
        }
        self.store_slow::<N>(addr, v, le)
    }

    #[inline(never)]
    fn store_slow<const N: usize>(&mut self, addr: u64, v: u64, le: bool) -> Result<(), MemFault> {
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
        if addr & 3 != 0 || off + 4 > PAGE_BYTES {
            return Err(MemFault {
                addr,
                access: Access::Exec,
                unmapped: !self.is_mapped(addr),
            });
        }
        let idx = self.page_for(addr, Access::Exec)?;
        let d = &self.data[idx];
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
            let idx = self.page_for(a, Access::Read)?;
            *x = self.data[idx][(a & PAGE_MASK) as usize];
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
            self.page_for(a, Access::Write)?;
        }
        for (i, x) in data.iter().enumerate() {
            let a = addr.wrapping_add(i as u64);
            let idx = self.page_for(a, Access::Write)?;
            self.data[idx][(a & PAGE_MASK) as usize] = *x;
        }
        Ok(())
    }

    /// Mapped page numbers with their permissions, ascending.
    pub fn pages(&self) -> impl Iterator<Item = (u64, u8, &[u8; PAGE_SIZE as usize])> + '_ {
        self.map.iter().map(move |(&vpn, &idx)| {
            let i = idx as usize;
            (vpn << PAGE_SHIFT, self.meta[i].perm, &self.data[i])
        })
    }

    /// Addresses of pages written since the last call, ascending; clears the flags.
    pub fn take_dirty(&mut self) -> Vec<u64> {
        let mut v = Vec::new();
        for (&vpn, &idx) in &self.map {
            let p = &mut self.meta[idx as usize];
            if p.dirty {
                v.push(vpn << PAGE_SHIFT);
                p.dirty = false;
            }
        }
        // The write TLB holds only dirty pages.
        self.wtlb.fill(TLB_EMPTY);
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
