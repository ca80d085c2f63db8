//! The x86-64 JIT: guest basic blocks translated to host code with dynasmrt.
//!
//! The interpreter ([`crate::exec::interp`]) is the specification; this engine
//! must leave the same architected state, memory, instruction count and
//! [`Stop`] on every input. How it keeps that promise:
//!
//! - **State exact at every instruction.** Every result is stored to
//!   [`ArchState`] (`rbx` points at it) by the instruction that computes it,
//!   so the state is exact at every instruction boundary (a fault or an exit
//!   can happen anywhere). Copies of the most-read GPRs, CTR and FPRs of a
//!   block live in host registers *in addition* (write-through: loaded at the
//!   block's entry, updated by every write, reloaded after every helper
//!   call), so reads skip the store-to-load round trip and nothing is ever
//!   written back.
//! - **Fallback.** An instruction without a native translation calls
//!   [`h_fallback`], which runs the interpreter's semantics for that one
//!   instruction ([`crate::exec::interp::execute_one`]) with the exact
//!   instruction count (so `mftb`, `darn` and the environment see what they
//!   would see under the interpreter).
//! - **Memory.** A guest access hits the memory's own TLB inline (an entry
//!   exists only for a page the access kind is allowed on, and holds the
//!   page's host address; an access that crosses a page misses), anything else
//!   calls [`Memory`] (bounds- and permission-checked, all-or-nothing), so the
//!   guest reaches no host byte outside its own pages. Each access site also
//!   keeps a one-entry copy of the TLB entry it last hit; the copies are
//!   emptied whenever [`Memory::tlb_epoch`] moves (an entry left the TLB), so
//!   none outlives the entry it copies.
//! - **Exact counts.** A block of `n` instructions is entered only when at least
//!   `n` instructions are left in the budget; otherwise the dispatcher steps the
//!   interpreter one instruction at a time. Blocks may leave early (faults,
//!   system calls, stores into code), never late. While translated code runs,
//!   the budget left (`limit - icount`) lives in `r14`; `JitCtx::icount` is
//!   written back when the code returns to the dispatcher and made exact
//!   around every call into the interpreter.
//! - **Chaining.** An exit to a block that is not translated yet is a `jmp
//!   rel32` to a dispatcher stub; once the target is translated the jump is
//!   patched to it (in batches, see [`Jit::patch`]) and recorded in
//!   `linked_from`, so dropping the target drops the source too.
//! - **Compare and branch.** Compares store their CR field with instructions
//!   that leave the host flags alone, so a conditional branch right after
//!   tests the flags; CR is exact in `ArchState` either way.
//! - **Self-modifying code.** After every store the code generation of the
//!   memory is compared with the one the block was entered at; if it moved, the
//!   block exits right after the store, and the dispatcher drops the
//!   translations of every page whose code stamp moved past the generation they
//!   were translated at (the same rule as the interpreter's decode cache).
//! - **W^X.** Code lives in one fixed mapping ([`codemem::CodeMem`]) whose
//!   pages are either writable or executable, never both; a commit or a patch
//!   remaps only the pages it writes.
//!
//! The cache is tied to one memory ([`Memory::id`]), one endianness (MSR[LE]),
//! one CPU model and one effective ISA level; any change flushes it.

mod codemem;
mod translate;

use super::interp::{self, Exc};
use super::{Cpu, Engine, Env, Fault, FaultKind, Stop};
use crate::cpu::{ArchState, CpuModel};
use crate::isa::{Insn, IsaLevel};
use crate::mem::{Memory, PAGE_SHIFT};
use codemem::CodeMem;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use std::collections::HashMap;

/// Longest block (guest instructions).
const MAX_BLOCK: usize = 64;
/// Code memory per engine (address space; only used pages cost memory): the
/// whole cache starts over when less than [`BLOCK_ROOM`] is left.
const MAX_CODE_BYTES: usize = 64 << 20;
/// Bytes of per-access TLB caches behind the code ([`translate`]'s `probe`):
/// 16 bytes per guest access site, reserved like the code (only pages in use
/// cost memory). When they run out, later sites use the TLB probe alone.
const SITE_BYTES: usize = 8 << 20;
/// More than the host code of any one block (at most [`MAX_BLOCK`] guest
/// instructions of a few hundred bytes each, plus cold paths).
const BLOCK_ROOM: usize = 1 << 20;
/// Hot blocks translated before they are committed together (one remap of
/// the code memory for all of them and for the exits they chain; under
/// rayon every remap is a TLB shootdown on every core). Until the commit
/// they keep running in the interpreter.
const STAGE_BLOCKS: usize = 8;
/// ...or until the interpreter has run this many instructions since the first
/// of them was staged (a lone hot loop waits no longer than that).
const STAGE_COLD: u64 = 4096;
/// Entries of the direct-mapped pc → block table.
const FAST_SIZE: usize = 4096;
/// Times the dispatcher reaches a pc before its block is translated (the
/// interpreter runs it meanwhile): code that runs once — program start-up,
/// a migrated guest's short continuation — is never worth host code plus two
/// `mprotect`s. A loop is translated on its second iteration.
const HOT: u32 = 1;
/// Longest run of the interpreter through cold code before the dispatcher
/// looks again (it also stops at every control transfer).
const COLD_RUN: u64 = 256;

pub(crate) const J_FAST: i32 = std::mem::offset_of!(JitCtx, fast) as i32;
pub(crate) const J_LIMIT: i32 = std::mem::offset_of!(JitCtx, limit) as i32;
const J_ICOUNT: i32 = std::mem::offset_of!(JitCtx, icount) as i32;
const J_RTLB: i32 = std::mem::offset_of!(JitCtx, rtlb) as i32;
const O_CR: i32 = std::mem::offset_of!(ArchState, cr) as i32;

/// Block exit status: continue at `state.pc`.
pub(crate) const ST_CONTINUE: u32 = 0;
/// The last instruction retired and the block must be left (a store into
/// code, a taken fallback branch); continue at `state.pc`.
pub(crate) const ST_LEAVE: u32 = 1;
/// A fault: `state.pc` is the faulting instruction, the kind is in the context.
pub(crate) const ST_FAULT: u32 = 2;
/// `sc` retired: `state.pc` is past it, the level is in the context.
pub(crate) const ST_SYSCALL: u32 = 3;

/// What translated code and the helpers share (`r12` points at it).
#[repr(C)]
pub(crate) struct JitCtx {
    /// Retired instructions (kept exact whenever a helper runs).
    pub(crate) icount: u64,
    /// Code generation the running translations are valid for.
    gen: u64,
    state: *mut ArchState,
    mem: *mut Memory,
    /// Points at a `&mut dyn Env` on the dispatcher's stack.
    env: *mut std::ffi::c_void,
    level: IsaLevel,
    le: bool,
    lev: u8,
    fault: Option<FaultKind>,
    /// Read TLB of the memory ([`Memory::tlb_view`]; the write TLB follows
    /// it at a fixed distance).
    pub(crate) rtlb: *const u8,
    /// The budget (absolute instruction count) of this `run`.
    pub(crate) limit: u64,
    /// The direct-mapped pc → block table the in-code dispatcher reads.
    pub(crate) fast: *const FastEntry,
    /// Instructions retired through the interpreter's semantics in this run.
    interpreted: u64,
    /// FPSCR[FPRF FI] still to be computed from the last floating-point
    /// operation ([`translate::fp`]).
    pub(crate) fp: translate::fp::FpLazy,
    /// [`Memory::tlb_epoch`] when translated code was entered: a helper that
    /// sees it changed leaves the block (the per-access caches may be stale).
    tlb_epoch: u64,
}

/// Runs the interpreter's semantics for one instruction (see the module docs).
///
/// # Safety
/// `jc` must be the live context of the running dispatcher, `insn` a valid
/// pointer.
pub(crate) unsafe extern "sysv64" fn h_fallback(
    jc: *mut JitCtx,
    insn: *const Insn,
    pc: u64,
) -> u32 {
    let jc = &mut *jc;
    translate::fp::materialize(jc);
    let s = &mut *jc.state;
    let mem = &mut *jc.mem;
    let env: &mut dyn Env = &mut **(jc.env as *mut &mut dyn Env);
    let insn = &*insn;
    let (r, next) = interp::execute_one(s, mem, env, jc.icount, jc.level, jc.le, pc, insn);
    match r {
        Ok(()) => {
            jc.icount += 1;
            jc.interpreted += 1;
            if next != pc.wrapping_add(insn.len())
                || mem.code_generation() != jc.gen
                || mem.tlb_epoch() != jc.tlb_epoch
            {
                s.pc = next;
                return ST_LEAVE;
            }
            ST_CONTINUE
        }
        Err(Exc::Syscall(lev)) => {
            jc.icount += 1;
            jc.interpreted += 1;
            s.pc = next;
            jc.lev = lev;
            ST_SYSCALL
        }
        Err(Exc::Fault(kind)) => {
            s.pc = pc;
            jc.fault = Some(kind);
            ST_FAULT
        }
    }
}

/// Result of a load helper (returned in `rax:rdx`).
#[repr(C)]
pub(crate) struct LoadRet {
    val: u64,
    fail: u64,
}

/// Guest load of `N` bytes with endianness `LE` (zero-extended).
///
/// # Safety
/// `jc` must be the live context of the running dispatcher.
pub(crate) unsafe extern "sysv64" fn h_load<const N: usize, const LE: bool>(
    jc: *mut JitCtx,
    ea: u64,
) -> LoadRet {
    match (*(*jc).mem).load::<N>(ea, LE) {
        Ok(val) => LoadRet { val, fail: 0 },
        Err(f) => {
            (*jc).fault = Some(FaultKind::Memory(f));
            LoadRet { val: 0, fail: 1 }
        }
    }
}

/// Guest store of the low `N` bytes of `v` with endianness `LE`: 0 done, 1
/// done and the code generation moved, 2 fault (nothing written).
///
/// # Safety
/// `jc` must be the live context of the running dispatcher.
pub(crate) unsafe extern "sysv64" fn h_store<const N: usize, const LE: bool>(
    jc: *mut JitCtx,
    ea: u64,
    v: u64,
) -> u32 {
    let mem = &mut *(*jc).mem;
    match mem.store::<N>(ea, v, LE) {
        Ok(()) => (mem.code_generation() != (*jc).gen) as u32,
        Err(f) => {
            (*jc).fault = Some(FaultKind::Memory(f));
            2
        }
    }
}

/// lxv's slow path: the 16 bytes at `ea` into VSR `xt` (as interp
/// `load_q`); 1 on a fault.
///
/// # Safety
/// `jc` must be the live context of the running dispatcher.
pub(crate) unsafe extern "sysv64" fn h_lxv<const LE: bool>(
    jc: *mut JitCtx,
    ea: u64,
    xt: u64,
) -> u64 {
    match (*(*jc).mem).load_raw::<16>(ea) {
        Ok(b) => {
            let v = if LE {
                u128::from_le_bytes(b)
            } else {
                u128::from_be_bytes(b)
            };
            (*(*jc).state).set_vsr128((xt & 63) as usize, v);
            0
        }
        Err(f) => {
            (*jc).fault = Some(FaultKind::Memory(f));
            1
        }
    }
}

/// stxv's slow path (as interp `store_q`): 0 done, 1 done and the code
/// generation moved, 2 fault.
///
/// # Safety
/// `jc` must be the live context of the running dispatcher.
pub(crate) unsafe extern "sysv64" fn h_stxv<const LE: bool>(
    jc: *mut JitCtx,
    ea: u64,
    xs: u64,
) -> u32 {
    let v = (*(*jc).state).vsr128((xs & 63) as usize);
    let b = if LE { v.to_le_bytes() } else { v.to_be_bytes() };
    let mem = &mut *(*jc).mem;
    match mem.store_raw::<16>(ea, b) {
        Ok(()) => (mem.code_generation() != (*jc).gen) as u32,
        Err(f) => {
            (*jc).fault = Some(FaultKind::Memory(f));
            2
        }
    }
}

/// A translated block.
#[derive(Clone, Copy)]
pub(crate) struct Block {
    /// Offset of its entry in the code memory (fixed until the next flush).
    off: usize,
    /// Guest instructions in the block (the most it retires).
    n: u64,
    /// Host code bytes (for the perf map).
    len: usize,
}

/// A translated block not committed yet ([`Jit::stage`]).
struct Staged {
    pc: u64,
    block: Block,
    t: translate::Translated,
}

/// Blocks starting in one guest page, and the generation they are valid for.
struct Page {
    gen: u64,
    pcs: Vec<u64>,
}

/// One entry of the pc → block table (32 bytes: the dispatcher indexes it
/// with a shift).
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct FastEntry {
    pc: u64,
    entry: *const u8,
    n: u64,
    _pad: u64,
}

const _: () = assert!(std::mem::size_of::<FastEntry>() == 32);

const FAST_EMPTY: FastEntry = FastEntry {
    pc: u64::MAX,
    entry: std::ptr::null(),
    n: 0,
    _pad: 0,
};

type Tramp = unsafe extern "sysv64" fn(*mut ArchState, *mut JitCtx, *const u8) -> u32;

/// The code memory with its entry trampoline and shared stubs.
struct Code {
    mem: CodeMem,
    /// Host addresses of the trampoline, the exit to Rust and the in-code
    /// dispatcher (`rax` = next pc, already in `state.pc`, `r14` up to date:
    /// jumps to the next block if it is in the table and fits the budget,
    /// else returns to the Rust loop).
    tramp: usize,
    exit: usize,
    dispatch: usize,
    /// Bytes of the trampoline and dispatcher (for the perf map).
    stubs_len: usize,
    /// Per-access TLB caches handed out so far (16 bytes each, in the code
    /// mapping's data area).
    sites_used: usize,
}

impl Code {
    fn new() -> Code {
        let mem =
            CodeMem::with_data(MAX_CODE_BYTES, SITE_BYTES).expect("reserving JIT code memory");
        let mut asm = translate::Asm::new(mem.addr(0));
        let exit = asm.new_dynamic_label();
        let dispatch = asm.new_dynamic_label();
        // Entry: save the callee-saved registers, keep the stack 16-byte
        // aligned for helper calls, and jump to the block (rdx).
        dynasm!(asm
            ; .arch x64
            ; push rbx
            ; push rbp
            ; push r12
            ; push r13
            ; push r14
            ; push r15
            ; sub rsp, 8
            ; mov rbx, rdi
            ; mov r12, rsi
            ; mov r14, [rsi + J_LIMIT]
            ; sub r14, [rsi + J_ICOUNT]
            ; mov rbp, [rsi + J_RTLB]
            ; mov r15d, [rdi + O_CR]
            ; jmp rdx
            ; =>exit
            ; mov rcx, [r12 + J_LIMIT]
            ; sub rcx, r14
            ; mov [r12 + J_ICOUNT], rcx
            ; add rsp, 8
            ; pop r15
            ; pop r14
            ; pop r13
            ; pop r12
            ; pop rbp
            ; pop rbx
            ; ret
            ; =>dispatch
            ; mov rcx, rax
            ; shr rcx, 2
            ; and ecx, (FAST_SIZE - 1) as i32
            ; shl rcx, 5
            ; add rcx, [r12 + J_FAST]
            ; cmp [rcx], rax
            ; jne >miss
            ; cmp [rcx + 16], r14
            ; ja >miss
            ; jmp QWORD [rcx + 8]
            ; miss:
            ; xor eax, eax
            ; jmp =>exit
        );
        let off = |asm: &translate::Asm, l| {
            asm.labels()
                .resolve_dynamic(l)
                .expect("stub label defined")
                .0
        };
        let (exit_off, dispatch_off) = (off(&asm, exit), off(&asm, dispatch));
        let bytes = asm.finalize().expect("assembling the JIT stubs");
        let mut mem = mem;
        mem.commit(&bytes, &[]).expect("committing the JIT stubs");
        Code {
            tramp: mem.addr(0),
            exit: mem.addr(exit_off),
            dispatch: mem.addr(dispatch_off),
            stubs_len: bytes.len(),
            sites_used: 0,
            mem,
        }
    }

    /// Empties every per-access TLB cache handed out.
    fn clear_sites(&mut self) {
        let base = self.mem.data_addr() as *mut u64;
        for i in 0..self.sites_used {
            // SAFETY: site i (16 bytes) lies in the data area
            // (`sites_used * 16 <= data_len`), which is mapped read-write.
            unsafe { base.add(2 * i).write(translate::EMPTY_SITE) };
        }
    }
}

/// The JIT engine.
pub struct Jit {
    code: Code,
    blocks: HashMap<u64, Block>,
    /// Target pc → blocks that jump to it directly: dropping a block drops
    /// them too (they would jump into stale code).
    linked_from: HashMap<u64, Vec<u64>>,
    /// Target pc (not translated yet) → exits of live blocks that leave
    /// through the dispatcher for it: (source block pc, code offset of its
    /// `jmp rel32`). Translating the target patches them into direct jumps.
    unlinked: HashMap<u64, Vec<(u64, usize)>>,
    /// Translated blocks waiting for [`Jit::commit`], their code (assembled
    /// for the addresses it will have), and `cold` when the first was staged.
    staged: Vec<Staged>,
    staged_code: Vec<u8>,
    staged_at: u64,
    pages: HashMap<u64, Page>,
    fast: Box<[FastEntry]>,
    /// Decoded instructions the fallback calls point at (freed on flush).
    insns: Vec<std::pin::Pin<Box<Insn>>>,
    mem_id: u64,
    gen: u64,
    le: bool,
    level: IsaLevel,
    model: *const CpuModel,
    pcr: u64,
    /// Instructions this engine retired through the interpreter's semantics
    /// (fallbacks and budget-tail stepping) since it was created.
    interpreted: u64,
    /// Entries a pc needs before it is translated ([`HOT`]; 0 = at once).
    hot: u32,
    /// Entries so far of pcs not translated yet (lookups only: iteration
    /// order never matters).
    heat: HashMap<u64, u32>,
    /// Instructions run by the interpreter because their block was cold.
    cold: u64,
    /// `/tmp/perf-PID.map` when `PPCREPLAY_PERF_MAP` is set (see [`PerfMap`]).
    perf_map: Option<PerfMap>,
    /// The memory and TLB epoch the per-access TLB caches were filled under.
    site_key: (u64, u64),
}

/// A perf map (`/tmp/perf-PID.map`, one `START SIZE NAME` line per block in
/// hex) so that `perf report` / `perf annotate` name translated blocks
/// (`jit_block_<guest pc>`). Enabled by the environment variable
/// `PPCREPLAY_PERF_MAP=1`; diagnostics only, never influences execution.
struct PerfMap {
    out: std::io::BufWriter<std::fs::File>,
    /// `PPCREPLAY_PERF_MAP=dump`: also write each block's host code to
    /// `/tmp/ppcreplay-jit-<pc>.bin` (for `objdump -D -b binary -mi386:x86-64`).
    dump: bool,
}

impl PerfMap {
    fn open() -> Option<PerfMap> {
        let v = std::env::var_os("PPCREPLAY_PERF_MAP")?;
        let path = format!("/tmp/perf-{}.map", std::process::id());
        let f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()?;
        Some(PerfMap {
            out: std::io::BufWriter::new(f),
            dump: v == "dump",
        })
    }

    fn block(&mut self, start: *const u8, len: usize, name: std::fmt::Arguments) {
        use std::io::Write;
        // Best effort: a failed write only loses symbol names.
        let _ = writeln!(self.out, "{:x} {:x} {}", start as usize, len, name);
        let _ = self.out.flush();
    }
}

impl Default for Jit {
    fn default() -> Self {
        Self::new()
    }
}

impl Jit {
    /// Instructions retired through the interpreter's semantics (not native
    /// host code) since this engine was created — the complement of the
    /// native share the translator covers.
    pub fn interpreted(&self) -> u64 {
        self.interpreted
    }

    /// Instructions the interpreter ran because their code was not hot yet
    /// ([`HOT`]).
    pub fn cold(&self) -> u64 {
        self.cold
    }

    /// A fresh JIT with an empty cache: blocks are translated from their
    /// second entry on ([`HOT`]).
    pub fn new() -> Self {
        Self::with_hot(HOT)
    }

    /// A fresh JIT that translates every block the first time it runs (the
    /// differential tests use it: nothing runs interpreted for being cold).
    pub fn eager() -> Self {
        Self::with_hot(0)
    }

    fn with_hot(hot: u32) -> Self {
        Jit {
            hot,
            heat: HashMap::new(),
            cold: 0,
            code: Code::new(),
            blocks: HashMap::new(),
            linked_from: HashMap::new(),
            unlinked: HashMap::new(),
            staged: Vec::new(),
            staged_code: Vec::new(),
            staged_at: 0,
            pages: HashMap::new(),
            fast: vec![FAST_EMPTY; FAST_SIZE].into_boxed_slice(),
            insns: Vec::new(),
            interpreted: 0,
            mem_id: 0,
            gen: 0,
            le: false,
            level: IsaLevel::V2_05,
            model: std::ptr::null(),
            pcr: 0,
            perf_map: PerfMap::open(),
            site_key: (0, 0),
        }
    }

    fn flush(&mut self) {
        self.code = Code::new();
        self.blocks.clear();
        self.linked_from.clear();
        self.unlinked.clear();
        self.staged.clear();
        self.staged_code.clear();
        self.pages.clear();
        self.fast.fill(FAST_EMPTY);
        self.insns.clear();
        self.heat.clear();
    }

    /// Makes the cache valid for `mem` at its current code generation.
    fn sync(&mut self, mem: &Memory, key: Key) {
        let g = mem.code_generation();
        if mem.id() != self.mem_id
            || key.le != self.le
            || key.level != self.level
            || key.model != self.model
            || key.pcr != self.pcr
        {
            self.flush();
            self.mem_id = mem.id();
            self.le = key.le;
            self.level = key.level;
            self.model = key.model;
            self.pcr = key.pcr;
        } else if g != self.gen {
            // Staged translations may come from pages that just changed:
            // drop them (they were never executable).
            self.staged.clear();
            self.staged_code.clear();
            let mut stale = Vec::new();
            self.pages.retain(|&vpn, p| {
                let fresh = mem
                    .code_stamp(vpn << PAGE_SHIFT)
                    .is_some_and(|s| s <= p.gen);
                if fresh {
                    p.gen = g;
                } else {
                    stale.extend_from_slice(&p.pcs);
                }
                fresh
            });
            if !stale.is_empty() {
                // Drop the stale blocks and, transitively, every block that
                // jumps into a dropped one.
                while let Some(pc) = stale.pop() {
                    self.blocks.remove(&pc);
                    if let Some(srcs) = self.linked_from.remove(&pc) {
                        stale.extend(srcs);
                    }
                }
                self.fast.fill(FAST_EMPTY);
            }
        }
        self.gen = g;
    }

    #[inline(always)]
    fn fast_slot(pc: u64) -> usize {
        ((pc >> 2) as usize) & (FAST_SIZE - 1)
    }

    /// The block at `pc`: (entry, instruction count), `None` while `pc` is
    /// cold or its translation waits for the next commit.
    fn block(&mut self, mem: &mut Memory, pc: u64) -> Result<Option<(*const u8, u64)>, Fault> {
        let k = Self::fast_slot(pc);
        let e = self.fast[k];
        if e.pc == pc {
            return Ok(Some((e.entry, e.n)));
        }
        if !self.blocks.contains_key(&pc) {
            if self.staged.iter().any(|s| s.pc == pc) {
                return Ok(None);
            }
            if self.hot > 0 {
                let h = self.heat.entry(pc).or_insert(0);
                if *h < self.hot {
                    *h += 1;
                    return Ok(None);
                }
                self.heat.remove(&pc);
            }
            self.stage(mem, pc)?;
            if self.hot == 0 || self.staged.len() >= STAGE_BLOCKS {
                self.commit();
            }
        }
        let Some(&b) = self.blocks.get(&pc) else {
            return Ok(None);
        };
        let entry = self.code.mem.addr(b.off) as *const u8;
        self.fast[k] = FastEntry {
            pc,
            entry,
            n: b.n,
            _pad: 0,
        };
        Ok(Some((entry, b.n)))
    }

    /// Translates the block at `pc` for the address it will have after the
    /// blocks staged before it, and stages it.
    #[cold]
    fn stage(&mut self, mem: &mut Memory, pc: u64) -> Result<(), Fault> {
        if self.code.mem.room() < BLOCK_ROOM + self.staged_code.len() {
            // Start over (keeps the key: mem/le/level/model are unchanged).
            self.flush();
        }
        let off = self.code.mem.len() + self.staged_code.len();
        let cfg = translate::Config {
            exit: self.code.exit,
            dispatch: self.code.dispatch,
            code_base: self.code.mem.addr(0),
            block_base: self.code.mem.addr(off),
            le: self.le,
            level: self.level,
            isa300: self.level >= IsaLevel::V3_0,
            vsx: self.pcr & crate::cpu::compat::pcr::VSX_DIS == 0,
            tlb: mem.tlb_view(),
            popcnt: std::arch::is_x86_feature_detected!("popcnt"),
            vec: self.pcr & crate::cpu::compat::pcr::VEC_DIS == 0,
            avx2: std::arch::is_x86_feature_detected!("avx2"),
            ssse3: std::arch::is_x86_feature_detected!("ssse3"),
            reuse_rax: true,
            site_base: self.code.mem.data_addr(),
            site_cap: self.code.mem.data_len() / 16,
            site_next: self.code.sites_used,
        };
        let mut asm = translate::Asm::new(self.code.mem.addr(off));
        let mut t = translate::translate(&mut asm, &cfg, &mut self.insns, &self.blocks, mem, pc)?;
        if t.reuse_broken {
            // A label lands where code assumed rax held a register: again,
            // without that assumption.
            let cfg = translate::Config {
                reuse_rax: false,
                site_next: t.sites_end,
                ..cfg
            };
            asm = translate::Asm::new(self.code.mem.addr(off));
            t = translate::translate(&mut asm, &cfg, &mut self.insns, &self.blocks, mem, pc)?;
        }
        self.code.sites_used = t.sites_end;
        let bytes = asm.finalize().expect("assembling a JIT block");
        if self.staged.is_empty() {
            self.staged_at = self.cold;
        }
        self.staged.push(Staged {
            pc,
            block: Block {
                off,
                n: t.n,
                len: bytes.len(),
            },
            t,
        });
        self.staged_code.extend_from_slice(&bytes);
        Ok(())
    }

    /// Makes the staged blocks executable and chains every exit that can now
    /// jump straight to its target (blocks waiting for a staged block, and
    /// staged blocks jumping to each other), all in one remap.
    fn commit(&mut self) {
        if self.staged.is_empty() {
            return;
        }
        let staged = std::mem::take(&mut self.staged);
        let gen = self.gen;
        for s in &staged {
            self.blocks.insert(s.pc, s.block);
            self.pages
                .entry(s.pc >> PAGE_SHIFT)
                .or_insert_with(|| Page {
                    gen,
                    pcs: Vec::new(),
                })
                .pcs
                .push(s.pc);
            for &target in &s.t.links {
                self.linked_from.entry(target).or_default().push(s.pc);
            }
        }
        // Exits to chain now: (source block, site of its `jmp rel32`, target).
        let mut chain = Vec::new();
        for s in &staged {
            for &(target, site) in &s.t.exits {
                let site = s.block.off + site.0;
                if self.blocks.contains_key(&target) {
                    chain.push((s.pc, site, target));
                } else {
                    self.unlinked.entry(target).or_default().push((s.pc, site));
                }
            }
        }
        for s in &staged {
            if let Some(sites) = self.unlinked.remove(&s.pc) {
                chain.extend(sites.into_iter().map(|(src, site)| (src, site, s.pc)));
            }
        }
        let mut fields = Vec::with_capacity(chain.len());
        for (src, site, target) in chain {
            let b = self.blocks[&target];
            // Both ends lie in one mapping smaller than 2 GiB.
            let rel = (b.off as i64 - (site as i64 + 5)) as i32;
            fields.push((site + 1, rel.to_le_bytes()));
            self.linked_from.entry(target).or_default().push(src);
        }
        let code = std::mem::take(&mut self.staged_code);
        self.code
            .mem
            .commit(&code, &fields)
            .expect("committing JIT code");
        if let Some(pm) = &mut self.perf_map {
            let base = self.code.mem.addr(0);
            if self.blocks.len() == staged.len() {
                pm.block(
                    base as *const u8,
                    self.code.stubs_len,
                    format_args!("jit_dispatch"),
                );
            }
            let first = staged[0].block.off;
            for s in &staged {
                let at = self.code.mem.addr(s.block.off) as *const u8;
                pm.block(at, s.block.len, format_args!("jit_block_{:x}", s.pc));
                if pm.dump {
                    let bytes = &code[s.block.off - first..s.block.off - first + s.block.len];
                    let _ = std::fs::write(format!("/tmp/ppcreplay-jit-{:x}.bin", s.pc), bytes);
                }
            }
        }
        self.staged_code = code;
        self.staged_code.clear();
    }
}

impl Engine for Jit {
    fn name(&self) -> &'static str {
        "jit"
    }

    fn run(&mut self, cpu: &mut Cpu, mem: &mut Memory, env: &mut dyn Env, budget: u64) -> Stop {
        if cpu.icount >= budget {
            return Stop::Budget;
        }
        let le = cpu.state.little_endian();
        let level = cpu.level;
        let model: *const CpuModel = cpu.model;
        let key = Key {
            le,
            level,
            model,
            pcr: cpu.state.pcr,
        };
        self.sync(mem, key);
        let tlb = mem.tlb_view();
        let mut env_ref: &mut dyn Env = env;
        let mut jc = JitCtx {
            icount: cpu.icount,
            gen: self.gen,
            state: &mut cpu.state,
            mem,
            env: &mut env_ref as *mut &mut dyn Env as *mut std::ffi::c_void,
            level,
            le,
            lev: 0,
            fault: None,
            rtlb: tlb.rtlb,
            limit: budget,
            fast: self.fast.as_ptr(),
            interpreted: 0,
            fp: Default::default(),
            tlb_epoch: 0,
        };
        let stop = loop {
            if jc.icount >= budget {
                break Stop::Budget;
            }
            // SAFETY: the pointers in `jc` come from the exclusive references
            // this function holds; nothing else uses them while it runs.
            let mem = unsafe { &mut *jc.mem };
            if mem.code_generation() != self.gen {
                self.sync(mem, key);
                jc.gen = self.gen;
                jc.fast = self.fast.as_ptr();
            }
            let pc = unsafe { (*jc.state).pc };
            let (entry, n) = match self.block(mem, pc) {
                Ok(Some(x)) => x,
                Ok(None) => {
                    // Cold: the interpreter runs up to the next control
                    // transfer (or the budget), then the dispatcher looks again.
                    let end = budget.min(jc.icount.saturating_add(COLD_RUN));
                    let (st, ran) = interpret(&mut jc, mem, cpu_model(model), level, end);
                    self.cold += ran;
                    if !self.staged.is_empty() && self.cold - self.staged_at >= STAGE_COLD {
                        self.commit();
                    }
                    match st {
                        Stop::Budget => continue,
                        other => break other,
                    }
                }
                Err(f) => break Stop::Fault(f),
            };
            if n > budget - jc.icount {
                // The block would cross the budget: one instruction at a time.
                let end = jc.icount + 1;
                let (st, ran) = interpret(&mut jc, mem, cpu_model(model), level, end);
                jc.interpreted += ran;
                match st {
                    Stop::Budget => continue,
                    other => break other,
                }
            }
            // The per-access TLB caches copy TLB entries: empty them when
            // an entry may have left the TLB (also by the translation above,
            // which marks pages as code).
            let site_key = (mem.id(), mem.tlb_epoch());
            if site_key != self.site_key {
                self.code.clear_sites();
                self.site_key = site_key;
            }
            jc.tlb_epoch = site_key.1;
            // SAFETY: `tramp` is the trampoline emitted by `Code::new`, `entry`
            // a committed block; both follow the sysv64 convention.
            let st = unsafe {
                let tramp: Tramp = std::mem::transmute(self.code.tramp);
                tramp(jc.state, &mut jc, entry)
            };
            // Nothing outside translated code may see a lazy FPSCR[FPRF FI].
            translate::fp::materialize(&mut jc);
            match st {
                ST_CONTINUE | ST_LEAVE => {}
                ST_SYSCALL => break Stop::Syscall { lev: jc.lev },
                _ => {
                    let kind = jc.fault.take().unwrap_or(FaultKind::Trap);
                    let pc = unsafe { (*jc.state).pc };
                    break Stop::Fault(Fault { pc, kind });
                }
            }
        };
        cpu.icount = jc.icount;
        self.interpreted += jc.interpreted;
        stop
    }
}

/// Everything a translation depends on besides the guest code.
#[derive(Clone, Copy)]
struct Key {
    le: bool,
    level: IsaLevel,
    model: *const CpuModel,
    pcr: u64,
}

/// The interpreter on the state translated code works on: instruction after
/// instruction until one does not fall through to the next, or until `end`
/// (absolute count), or a stop. Returns the stop (`Budget`: none) and the
/// instructions retired.
fn interpret(
    jc: &mut JitCtx,
    mem: &mut Memory,
    model: &'static CpuModel,
    level: IsaLevel,
    end: u64,
) -> (Stop, u64) {
    // SAFETY: `jc.state` and `jc.env` point at the dispatcher's exclusive
    // state and environment (see `run`); the state is plain data, read out
    // and written back whole.
    let mut c = Cpu {
        state: unsafe { std::ptr::read(jc.state) },
        icount: jc.icount,
        model,
        level,
    };
    let env: &mut dyn Env = unsafe { &mut **(jc.env as *mut &mut dyn Env) };
    let st = loop {
        let at = c.state.pc;
        let st = interp::step(&mut c, mem, env);
        let next = c.state.pc;
        if st != Stop::Budget
            || c.icount >= end
            || !(next == at.wrapping_add(4) || next == at.wrapping_add(8))
        {
            break st;
        }
    };
    unsafe { std::ptr::write(jc.state, c.state) };
    let ran = c.icount - jc.icount;
    jc.icount = c.icount;
    (st, ran)
}

/// The model behind a pointer taken from a `&'static CpuModel`.
fn cpu_model(p: *const CpuModel) -> &'static CpuModel {
    // SAFETY: `p` was obtained from `cpu.model`, a `&'static CpuModel`.
    unsafe { &*p }
}

#[cfg(test)]
mod tests;
