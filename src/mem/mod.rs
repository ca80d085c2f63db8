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
//! Digest tracking: [`Memory::digest`] is a blake3 hash over every mapped page
//! (address, permissions, contents) in address order. Its value is that of one
//! long byte stream, but it is computed from cached chaining values of fixed
//! 8 KiB pieces ("leaves") of that stream (BLAKE3's tree structure, through
//! `blake3::hazmat`), so that [`Memory::digest_mut`] only rehashes the leaves that
//! hold pages written, mapped or re-protected since its previous call. Pages
//! carry a *digest-dirty* flag for this, with the same invariant as the `dirty`
//! flag: **a page is in the write TLB only if both its `dirty` and its
//! `digest_dirty` flags are set**. Whoever clears either flag must evict the page
//! from the write TLB ([`Memory::take_dirty`] and [`Memory::digest_mut`] flush
//! it whole), and every write that does not go through the write TLB — the
//! store slow path, [`Memory::write_bytes`], [`Memory::store_bytes`], map,
//! protect — sets both. An engine that writes guest bytes directly (a JIT's
//! inline store) may do so only through a write-TLB hit, never by writing
//! `data` behind the TLB's back; otherwise the next digest misses the write.
//!
//! This module knows nothing about CPU models or engines.

use blake3::hazmat::{
    merge_subtrees_non_root, merge_subtrees_root, ChainingValue, HasherExt, Mode,
};
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
    /// Written, mapped or re-protected since the last [`Memory::digest_mut`]
    /// (see the module docs for the write-TLB invariant).
    digest_dirty: bool,
    code: bool,
    /// Value of the code generation when the page last stopped being code
    /// (written, replaced, or its permissions changed while it was code), or
    /// when it was mapped.
    stamp: u64,
}

/// 32 bytes (a power of two: translated code indexes the TLB with a shift).
#[derive(Clone, Copy)]
#[repr(C)]
struct TlbEntry {
    vpn: u64,
    /// Host address of the page minus its guest address (wrapping): a hit
    /// reaches guest byte `a` at host `a + addend` in one addition. Valid
    /// while the arena does not move — it moves only when pages are mapped,
    /// which flushes every TLB.
    addend: u64,
    idx: u32,
    _pad: [u32; 3],
}

const _: () = assert!(std::mem::size_of::<TlbEntry>() == 32);

const TLB_EMPTY: TlbEntry = TlbEntry {
    vpn: u64::MAX,
    addend: 0,
    idx: 0,
    _pad: [0; 3],
};

type Tlb = [TlbEntry; TLB_SIZE];

/// The three TLBs in one allocation: a JIT reaches the write TLB at a fixed
/// distance from the read TLB (one base register for both).
#[repr(C)]
struct Tlbs {
    /// Pages readable by guest loads.
    r: Tlb,
    /// Writable pages that are already dirty and not code.
    w: Tlb,
    /// Executable pages marked as code.
    x: Tlb,
}

/// See [`Memory::tlb_view`]. An entry holds the page number (`vpn`, u64) and
/// the page's host address minus its guest address (`addend`, u64) at the
/// given offsets; an empty entry has `vpn == u64::MAX`.
#[derive(Clone, Copy, Debug)]
pub struct TlbView {
    /// Read TLB (entries for readable pages).
    pub rtlb: *const u8,
    /// Write TLB (writable, dirty, non-code pages).
    pub wtlb: *const u8,
    /// Bytes per entry.
    pub entry_size: usize,
    /// Offset of the page number in an entry.
    pub vpn_offset: usize,
    /// Offset of the addend (u64) in an entry.
    pub addend_offset: usize,
    /// Entries per TLB (a power of two; slot = vpn & (slots - 1)).
    pub slots: usize,
}

/// Source of [`Memory::id`] values (identity only: never influences results).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// `len` zero pages from the allocator's zeroed allocation (`calloc`: fresh
/// anonymous memory, backed by the host only when written). `vec![[0; N]; len]`
/// would write every byte: std only uses the zeroed allocation for arrays of
/// at most 16 elements.
const INITIAL_ARENA_PAGES: usize = 16384;

fn zeroed_pages(len: usize) -> Vec<[u8; PAGE_BYTES]> {
    if len == 0 {
        return Vec::new();
    }
    let layout = std::alloc::Layout::array::<[u8; PAGE_BYTES]>(len)
        .unwrap_or_else(|_| panic!("page arena of {len} pages overflows the address space"));
    // SAFETY: the layout has a non-zero size; the allocation is checked for
    // null; all-zero bytes are a valid `[u8; N]`; the Vec takes ownership
    // with exactly the layout it was allocated with (capacity = len).
    unsafe {
        let p = std::alloc::alloc_zeroed(layout) as *mut [u8; PAGE_BYTES];
        if p.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        Vec::from_raw_parts(p, len, len)
    }
}

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
    /// Read, write and fetch TLBs ([`Tlbs`]).
    tlb: Box<Tlbs>,
    /// Incremented whenever a page that held executed code is written, unmapped,
    /// replaced or re-protected, and whenever pages are mapped: decode caches and
    /// JIT translations compare it to know they may be stale.
    code_generation: u64,
    /// Incremented whenever an entry leaves the read or write TLB other than
    /// by being replaced by another page's entry (flushes, the write TLB's
    /// dirty-flag invariant, a page becoming code): anything that copies TLB
    /// entries (the JIT's per-access caches) must drop its copies when it
    /// changes.
    tlb_epoch: u64,
    /// Upper bound on mapped pages (bounded allocation for untrusted guests).
    max_pages: usize,
    /// The fault of the last failed [`Memory::load_slow`] (returned through
    /// here so that the slow path returns in registers: see there).
    last_fault: MemFault,
    /// Chaining values of the digest stream as of the last
    /// [`Memory::digest_mut`].
    digest_cache: DigestCache,
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
        m.reserve_pages(self.map.len());
        for (&vpn, &idx) in &self.map {
            let i = m.meta.len() as u32;
            let p = &self.meta[idx as usize];
            let page = &self.data[idx as usize];
            // The reserved arena is already zero: copying a zero page would
            // only make the host commit memory for it.
            if page.iter().any(|&b| b != 0) {
                m.data[i as usize] = *page;
            }
            m.meta.push(PageMeta {
                perm: p.perm,
                dirty: p.dirty,
                digest_dirty: p.digest_dirty,
                code: p.code,
                stamp: p.stamp,
            });
            m.map.insert(vpn, i);
        }
        m.code_generation = self.code_generation;
        // A clone starts without a digest cache: its first digest hashes all.
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
            tlb: Box::new(Tlbs {
                r: [TLB_EMPTY; TLB_SIZE],
                w: [TLB_EMPTY; TLB_SIZE],
                x: [TLB_EMPTY; TLB_SIZE],
            }),
            code_generation: 0,
            tlb_epoch: 0,
            max_pages: 1 << 20,
            last_fault: MemFault {
                addr: 0,
                access: Access::Read,
                unmapped: true,
            },
            digest_cache: DigestCache::default(),
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

    /// The TLB epoch (see the field doc).
    #[inline(always)]
    pub fn tlb_epoch(&self) -> u64 {
        self.tlb_epoch
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

    /// Addresses and layout of the read and write TLBs, for a JIT's inline
    /// access path (it must do exactly what [`Memory::load`] and
    /// [`Memory::store`] do on a TLB hit, and call them otherwise). The TLB
    /// addresses are stable for the memory's lifetime; the host addresses in
    /// the entries are valid until the next mapping change, which empties the
    /// TLBs.
    pub fn tlb_view(&mut self) -> TlbView {
        TlbView {
            rtlb: self.tlb.r.as_ptr() as *const u8,
            wtlb: self.tlb.w.as_ptr() as *const u8,
            entry_size: std::mem::size_of::<TlbEntry>(),
            vpn_offset: std::mem::offset_of!(TlbEntry, vpn),
            addend_offset: std::mem::offset_of!(TlbEntry, addend),
            slots: TLB_SIZE,
        }
    }

    fn flush_tlb(&mut self) {
        self.tlb_epoch += 1;
        self.tlb.r.fill(TLB_EMPTY);
        self.tlb.w.fill(TLB_EMPTY);
        self.tlb.x.fill(TLB_EMPTY);
    }

    /// The page stops being code: bump the generation and stamp it.
    fn uncode(&mut self, vpn: u64, idx: usize) {
        self.code_generation += 1;
        let p = &mut self.meta[idx];
        p.code = false;
        p.stamp = self.code_generation;
        // The next fetch must take the slow path to mark the page as code again.
        let s = tlb_slot(vpn);
        if self.tlb.x[s].vpn == vpn {
            self.tlb.x[s] = TLB_EMPTY;
        }
    }

    fn range_pages(addr: u64, len: u64) -> Result<(u64, u64), MemError> {
        let end = addr
            .checked_add(len)
            .ok_or(MemError::BadRange { addr, len })?;
        // Rounded up without `end + PAGE_MASK`, which overflows for ranges
        // ending in the last page of the address space (found by fuzzing).
        let last = (end >> PAGE_SHIFT) + u64::from(end & PAGE_MASK != 0);
        Ok((addr >> PAGE_SHIFT, last))
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
            digest_dirty: true,
            code: false,
            stamp,
        };
        self.reserve_pages(new_pages.saturating_sub(self.free.len()));
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
                    // Fresh arena pages are zero already (see reserve_pages).
                    self.meta.push(meta);
                    (self.meta.len() - 1) as u32
                };
                self.map.insert(vpn, idx);
            }
        }
        self.flush_tlb();
        Ok(())
    }

    /// Makes room for `n` more fresh arena pages. The arena holds `meta.len()`
    /// pages in use followed by spare pages that are zero and never written:
    /// it is allocated zeroed (`calloc`, i.e. fresh anonymous memory the host
    /// kernel backs only when a page is first written), so mapping an 8 MiB
    /// stack costs nothing until the guest touches it. Growing copies only the
    /// pages in use.
    fn reserve_pages(&mut self, n: usize) {
        let used = self.meta.len();
        let need = used.saturating_add(n);
        if need <= self.data.len() {
            return;
        }
        // Doubling (amortised copies), but never past the page limit; the
        // first reservation (64 MiB of address space, committed only where
        // written) fits a typical guest's stack and heap, so it rarely grows.
        let len = need.max(
            self.data
                .len()
                .saturating_mul(2)
                .max(INITIAL_ARENA_PAGES)
                .min(self.max_pages),
        );
        let mut data = zeroed_pages(len);
        data[..used].copy_from_slice(&self.data[..used]);
        self.data = data;
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
            // Permissions are part of the digest.
            self.meta[idx].perm = perm;
            self.meta[idx].digest_dirty = true;
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
            self.meta[idx].digest_dirty = true;
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
            Access::Read => &self.tlb.r,
            Access::Write => &self.tlb.w,
            Access::Exec => &self.tlb.x,
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
        let host = self.data[i].as_ptr() as u64;
        let e = TlbEntry {
            vpn,
            addend: host.wrapping_sub(vpn << PAGE_SHIFT),
            idx,
            _pad: [0; 3],
        };
        match access {
            Access::Read => self.tlb.r[s] = e,
            Access::Write => {
                // The write TLB holds only pages with both flags set (module
                // docs): later stores to this page do not come here.
                self.meta[i].dirty = true;
                self.meta[i].digest_dirty = true;
                if self.meta[i].code {
                    self.uncode(vpn, i);
                }
                self.tlb.w[s] = e;
            }
            Access::Exec => {
                self.meta[i].code = true;
                // Stores to a code page must reach the slow path again.
                if self.tlb.w[s].vpn == vpn {
                    self.tlb.w[s] = TLB_EMPTY;
                    self.tlb_epoch += 1;
                }
                self.tlb.x[s] = e;
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
            let e = self.tlb.r[tlb_slot(vpn)];
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
            let e = self.tlb.w[tlb_slot(vpn)];
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
        self.tlb.w.fill(TLB_EMPTY);
        self.tlb_epoch += 1;
        v
    }

    /// blake3 digest of every mapped page (address, permissions, contents), in
    /// address order: the blake3 hash of the stream `"ppcreplay-memory-v1\0"`
    /// followed by, for each page, its address (u64 LE), its permission byte and
    /// its 4096 bytes. Reuses the chaining values cached by the last
    /// [`Memory::digest_mut`] for the pages not written since (without updating
    /// the cache: call that one where digests are taken periodically).
    pub fn digest(&self) -> blake3::Hash {
        let mut cache = self.digest_cache.clone();
        self.digest_with(&mut cache)
    }

    /// [`Memory::digest`], remembering the stream's chaining values so that the
    /// next call only rehashes the leaves holding pages written, mapped,
    /// unmapped or re-protected in between. Clears the digest-dirty flags (and
    /// so flushes the write TLB).
    pub fn digest_mut(&mut self) -> blake3::Hash {
        let mut cache = std::mem::take(&mut self.digest_cache);
        let h = self.digest_with(&mut cache);
        self.digest_cache = cache;
        for &idx in self.map.values() {
            self.meta[idx as usize].digest_dirty = false;
        }
        // The write TLB holds only digest-dirty pages (module docs).
        self.tlb.w.fill(TLB_EMPTY);
        self.tlb_epoch += 1;
        h
    }

    /// Computes the digest, bringing `cache` up to date with the current pages.
    fn digest_with(&self, cache: &mut DigestCache) -> blake3::Hash {
        let order: Vec<(u64, u32)> = self.map.iter().map(|(&v, &i)| (v, i)).collect();
        let total = DIGEST_PREFIX.len() + order.len() * DIGEST_RECORD;
        let mut buf = vec![0u8; LEAF_BYTES];
        if total <= LEAF_BYTES {
            // One leaf is the whole tree: its root is not a chaining value.
            *cache = DigestCache::default();
            self.fill_stream(&order, 0, &mut buf[..total]);
            return blake3::hash(&buf[..total]);
        }
        let leaves = total.div_ceil(LEAF_BYTES);
        if cache.levels.is_empty() {
            cache.layout.clear();
        }
        // Records from the first one whose page differs from the cached layout
        // on have moved in the stream: every leaf from there on is stale.
        let same = cache
            .layout
            .iter()
            .zip(&order)
            .take_while(|(a, (b, _))| *a == b)
            .count();
        let moved = if same == order.len() && same == cache.layout.len() {
            total
        } else {
            DIGEST_PREFIX.len() + same * DIGEST_RECORD
        };
        let mut dirty = vec![false; leaves];
        for d in dirty.iter_mut().skip(moved / LEAF_BYTES) {
            *d = true;
        }
        for (k, &(_, idx)) in order.iter().enumerate().take(same) {
            if self.meta[idx as usize].digest_dirty {
                let start = DIGEST_PREFIX.len() + k * DIGEST_RECORD;
                let end = start + DIGEST_RECORD - 1;
                for d in &mut dirty[start / LEAF_BYTES..=end / LEAF_BYTES] {
                    *d = true;
                }
            }
        }
        if cache.levels.is_empty() {
            cache.levels.push(Vec::new());
        }
        let old_leaves = cache.levels[0].len();
        cache.levels[0].resize(leaves, [0; 32]);
        for (j, d) in dirty.iter_mut().enumerate() {
            *d |= j >= old_leaves;
            if *d {
                let start = j * LEAF_BYTES;
                let len = LEAF_BYTES.min(total - start);
                self.fill_stream(&order, start, &mut buf[..len]);
                cache.levels[0][j] = blake3::Hasher::new()
                    .set_input_offset(start as u64)
                    .update(&buf[..len])
                    .finalize_non_root();
            }
        }
        // Parent levels: node p of level k+1 joins nodes 2p and 2p+1 of level
        // k, or is node 2p itself when that is the last one — exactly BLAKE3's
        // tree (whose left subtrees are the largest power of two of chunks
        // leaving at least one chunk on the right). A node is recomputed when a
        // child changed, when it is new, or when it is on the right edge (whose
        // shape changes as the stream grows or shrinks).
        let mut level = 0;
        while cache.levels[level].len() > 2 {
            if cache.levels.len() == level + 1 {
                cache.levels.push(Vec::new());
            }
            let (lo, hi) = cache.levels.split_at_mut(level + 1);
            let (cur, up) = (&lo[level], &mut hi[0]);
            let up_len = cur.len().div_ceil(2);
            let old_up = up.len();
            up.resize(up_len, [0; 32]);
            let mut up_dirty = vec![false; up_len];
            for p in 0..up_len {
                let (l, r) = (2 * p, 2 * p + 1);
                let has_r = r < cur.len();
                if dirty[l] || (has_r && dirty[r]) || p >= old_up || p + 1 == up_len {
                    up[p] = if has_r {
                        merge_subtrees_non_root(&cur[l], &cur[r], Mode::Hash)
                    } else {
                        cur[l]
                    };
                    up_dirty[p] = true;
                }
            }
            dirty = up_dirty;
            level += 1;
        }
        cache.levels.truncate(level + 1);
        cache.layout.clear();
        cache.layout.extend(order.iter().map(|&(v, _)| v));
        let top = &cache.levels[level];
        merge_subtrees_root(&top[0], &top[1], Mode::Hash)
    }

    /// Copies bytes `[start, start + out.len())` of the digest stream of the
    /// pages `order` (vpn, arena index; ascending) into `out`.
    fn fill_stream(&self, order: &[(u64, u32)], start: usize, out: &mut [u8]) {
        let mut pos = start;
        let mut o = 0;
        while o < out.len() {
            let n;
            if pos < DIGEST_PREFIX.len() {
                n = (DIGEST_PREFIX.len() - pos).min(out.len() - o);
                out[o..o + n].copy_from_slice(&DIGEST_PREFIX[pos..pos + n]);
            } else {
                let k = (pos - DIGEST_PREFIX.len()) / DIGEST_RECORD;
                let off = (pos - DIGEST_PREFIX.len()) % DIGEST_RECORD;
                let (vpn, idx) = order[k];
                let i = idx as usize;
                if off < 9 {
                    let mut head = [0u8; 9];
                    head[..8].copy_from_slice(&(vpn << PAGE_SHIFT).to_le_bytes());
                    head[8] = self.meta[i].perm;
                    n = (9 - off).min(out.len() - o);
                    out[o..o + n].copy_from_slice(&head[off..off + n]);
                } else {
                    let d = off - 9;
                    n = (PAGE_BYTES - d).min(out.len() - o);
                    out[o..o + n].copy_from_slice(&self.data[i][d..d + n]);
                }
            }
            o += n;
            pos += n;
        }
    }
}

/// Domain prefix of the memory digest stream.
const DIGEST_PREFIX: &[u8] = b"ppcreplay-memory-v1\0";
/// Bytes per page in the digest stream: address (8), permissions (1), contents.
const DIGEST_RECORD: usize = 9 + PAGE_BYTES;
/// Bytes of the digest stream per cached chaining value: a power of two of
/// BLAKE3 chunks (so every leaf is a complete subtree), large enough for SIMD
/// hashing of several chunks at once, small enough that a written page costs
/// little more than itself to rehash.
const LEAF_BYTES: usize = 8 * blake3::CHUNK_LEN;

/// Chaining values of the memory digest stream (see [`Memory::digest_mut`]).
#[derive(Clone, Default)]
struct DigestCache {
    /// Page numbers in stream order when the values were computed.
    layout: Vec<u64>,
    /// `levels[0]`: one chaining value per [`LEAF_BYTES`] of the stream;
    /// `levels[k + 1]`: their parents (see [`Memory::digest_with`]). The top
    /// level has two nodes, the children of the root.
    levels: Vec<Vec<ChainingValue>>,
}

#[cfg(test)]
mod range_tests {
    use super::*;

    #[test]
    fn a_store_ending_in_the_last_page_of_the_address_space_faults_without_overflow() {
        let mut m = Memory::new();
        assert!(m.store_bytes(u64::MAX - 7, &[1; 4]).is_err());
        assert!(m.store_bytes(u64::MAX - 3, &[1; 8]).is_err());
        assert_eq!(
            Memory::range_pages(u64::MAX - 7, 4).unwrap().1,
            1 << (64 - PAGE_SHIFT)
        );
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

    /// The digest as first defined: one blake3 stream over every page, hashed
    /// from scratch.
    fn digest_from_scratch(m: &Memory) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        h.update(b"ppcreplay-memory-v1\0");
        for (addr, perm, data) in m.pages() {
            h.update(&addr.to_le_bytes());
            h.update(&[perm]);
            h.update(data);
        }
        h.finalize()
    }

    fn assert_digests_agree(m: &mut Memory) {
        let want = digest_from_scratch(m);
        assert_eq!(m.digest(), want, "digest(&self), {} pages", m.page_count());
        assert_eq!(m.digest_mut(), want, "digest_mut, {} pages", m.page_count());
        assert_eq!(m.digest(), want, "digest after digest_mut");
    }

    #[test]
    fn the_digest_of_empty_and_tiny_memories_is_the_stream_hash() {
        let mut m = Memory::new();
        assert_digests_agree(&mut m);
        m.map_zero(0x1000, 0x1000, perm::RW).unwrap();
        assert_digests_agree(&mut m);
        m.map_zero(0x3000, 0x1000, perm::R).unwrap();
        assert_digests_agree(&mut m);
        m.unmap(0x1000, 0x1000).unwrap();
        assert_digests_agree(&mut m);
    }

    #[test]
    fn the_incremental_digest_sees_a_fast_path_store_after_a_digest() {
        let mut m = Memory::new();
        m.map_zero(0x10000, 0x40000, perm::RW).unwrap();
        // Put the page in the write TLB, digest (clearing its flag), then store
        // again: the store must not be missed by the next digest.
        m.store::<8>(0x20000, 1, true).unwrap();
        assert_digests_agree(&mut m);
        m.store::<8>(0x20008, 2, true).unwrap();
        assert_digests_agree(&mut m);
        m.store::<1>(0x4ffff, 3, false).unwrap();
        assert_digests_agree(&mut m);
    }

    #[test]
    fn a_clone_digests_like_its_original() {
        let mut m = Memory::new();
        m.map_zero(0x10000, 0x20000, perm::RW).unwrap();
        m.store::<8>(0x11000, 7, true).unwrap();
        m.digest_mut();
        m.store::<8>(0x12000, 8, true).unwrap();
        let mut c = m.clone();
        assert_eq!(c.digest_mut(), m.digest_mut());
        c.store::<8>(0x13000, 9, true).unwrap();
        assert_digests_agree(&mut c);
        assert_ne!(c.digest(), m.digest());
    }

    #[test]
    fn digests_agree_when_the_stream_shrinks_or_grows_to_end_on_a_leaf_boundary() {
        // The right edge of the tree changes shape without any leaf changing.
        let n = (1..100_000usize)
            .find(|n| (DIGEST_PREFIX.len() + n * DIGEST_RECORD).is_multiple_of(LEAF_BYTES))
            .unwrap() as u64;
        for extra in 1..4u64 {
            let mut m = Memory::new();
            m.map_zero(0x10_0000, (n + extra) * PAGE_SIZE, perm::RW)
                .unwrap();
            assert_digests_agree(&mut m);
            m.unmap(0x10_0000 + n * PAGE_SIZE, extra * PAGE_SIZE)
                .unwrap();
            assert_digests_agree(&mut m);
            m.map_zero(0x10_0000 + n * PAGE_SIZE, extra * PAGE_SIZE, perm::RW)
                .unwrap();
            assert_digests_agree(&mut m);
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Map(u64, u64, u8),
        MapMissing(u64, u64, u8),
        Unmap(u64, u64),
        Protect(u64, u64, u8),
        Store(u64, u64, u8),
        StoreRaw16(u64, u8),
        StoreBytes(u64, Vec<u8>),
        WriteBytes(u64, Vec<u8>),
        Fetch(u64),
        TakeDirty,
        Digest,
        DigestMut,
    }

    /// A window of 96 pages: enough for streams of dozens of leaves.
    const BASE: u64 = 0x1000_0000;
    const WINDOW: u64 = 96 * PAGE_SIZE;

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let addr = 0..WINDOW;
        let pages = 1u64..40;
        let perm = prop_oneof![
            Just(perm::R),
            Just(perm::RW),
            Just(perm::RWX),
            Just(perm::RX)
        ];
        prop_oneof![
            1 => (0..WINDOW / PAGE_SIZE, pages.clone(), perm.clone())
                .prop_map(|(p, n, r)| Op::Map(BASE + p * PAGE_SIZE, n * PAGE_SIZE, r)),
            1 => (addr.clone(), pages.clone(), perm.clone())
                .prop_map(|(a, n, r)| Op::MapMissing(BASE + a, n * PAGE_SIZE, r)),
            1 => (addr.clone(), 1u64..20000).prop_map(|(a, n)| Op::Unmap(BASE + a, n)),
            1 => (addr.clone(), 1u64..20000, perm).prop_map(|(a, n, r)| Op::Protect(BASE + a, n, r)),
            4 => (addr.clone(), any::<u64>(), 0u8..4).prop_map(|(a, v, w)| Op::Store(BASE + a, v, w)),
            1 => (addr.clone(), any::<u8>()).prop_map(|(a, v)| Op::StoreRaw16(BASE + a, v)),
            1 => (addr.clone(), proptest::collection::vec(any::<u8>(), 0..9000))
                .prop_map(|(a, v)| Op::StoreBytes(BASE + a, v)),
            1 => (addr.clone(), proptest::collection::vec(any::<u8>(), 0..9000))
                .prop_map(|(a, v)| Op::WriteBytes(BASE + a, v)),
            1 => addr.prop_map(|a| Op::Fetch(BASE + (a & !3))),
            1 => Just(Op::TakeDirty),
            2 => Just(Op::Digest),
            3 => Just(Op::DigestMut),
        ]
    }

    fn apply(m: &mut Memory, op: &Op) {
        // Faults and errors are part of the sequence: ignored, as long as the
        // digests keep agreeing.
        match op {
            Op::Map(a, n, p) => drop(m.map_zero(*a, *n, *p)),
            Op::MapMissing(a, n, p) => drop(m.map_missing(*a, *n, *p)),
            Op::Unmap(a, n) => drop(m.unmap(*a, *n)),
            Op::Protect(a, n, p) => drop(m.protect(*a, *n, *p)),
            Op::Store(a, v, w) => drop(match w {
                0 => m.store::<1>(*a, *v, true),
                1 => m.store::<2>(*a, *v, false),
                2 => m.store::<4>(*a, *v, true),
                _ => m.store::<8>(*a, *v, false),
            }),
            Op::StoreRaw16(a, v) => drop(m.store_raw::<16>(*a, [*v; 16])),
            Op::StoreBytes(a, v) => drop(m.store_bytes(*a, v)),
            Op::WriteBytes(a, v) => drop(m.write_bytes(*a, v)),
            Op::Fetch(a) => drop(m.fetch(*a, true)),
            Op::TakeDirty => drop(m.take_dirty()),
            Op::Digest => assert_eq!(m.digest(), digest_from_scratch(m)),
            Op::DigestMut => assert_eq!(m.digest_mut(), digest_from_scratch(m)),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        #[test]
        fn the_incremental_digest_equals_the_digest_from_scratch_after_any_operations(
            ops in proptest::collection::vec(op(), 1..60)
        ) {
            let mut m = Memory::new();
            m.map_zero(BASE, 24 * PAGE_SIZE, perm::RW).unwrap();
            for o in &ops {
                apply(&mut m, o);
            }
            assert_digests_agree(&mut m);
        }
    }
}
