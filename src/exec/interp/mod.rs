//! The reference interpreter: the specification of every instruction.
//!
//! The loop fetches, decodes (once per guest page slot, into a decoded-page
//! cache validated by the memory's code generation and per-page code stamps),
//! checks legality against the effective ISA level, and dispatches to one file
//! per instruction family, each with short functions named after the mnemonic.
//! A family function either completes the instruction (updating registers,
//! memory and `next_pc`) or returns an [`Exc`] *before* it changes any
//! architected state, so a faulting instruction never half-retires.
//!
//! Speed (see "Threaded dispatch" below): every decoded slot holds a handler
//! specialised for its table row, and handlers call the next instruction's
//! handler in tail position, so straight-line and looping guest code runs
//! without returning to the loop. [`step`] is the plain, one-instruction path
//! (fetch, decode, [`execute`]) that both must agree with.

mod branch;
pub(crate) mod fixed;
mod fp;
mod load_store;
mod mma;
mod prefixed;
mod system;
pub mod tm;
mod vmx;
mod vsx;

pub mod fpu;
pub mod fpu128;

use super::{Cpu, Engine, Env, Fault, FaultKind, Stop};
use crate::cpu::ArchState;
use crate::isa::{decode_at, Insn, IsaLevel, Op};
use crate::mem::{MemFault, Memory};

/// An instruction that did not complete normally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exc {
    /// `sc`: retire, then stop for the personality.
    Syscall(u8),
    /// A fault (the instruction does not retire).
    Fault(FaultKind),
}

impl From<MemFault> for Exc {
    fn from(f: MemFault) -> Self {
        Exc::Fault(FaultKind::Memory(f))
    }
}

/// Result of executing one instruction.
pub type ExecResult = Result<(), Exc>;

/// What an instruction's semantics can touch.
pub struct Ctx<'a> {
    /// Registers.
    pub s: &'a mut ArchState,
    /// Guest memory.
    pub mem: &'a mut Memory,
    /// Nondeterministic inputs.
    pub env: &'a mut dyn Env,
    /// Retired instructions before this one.
    pub icount: u64,
    /// Effective ISA level.
    pub level: IsaLevel,
    /// Data accesses are little-endian (MSR[LE], cached: no instruction a
    /// problem-state program can execute changes the MSR, and the loop re-reads
    /// it whenever it is entered).
    pub le: bool,
    /// Address of this instruction.
    pub pc: u64,
    /// Address of the next instruction (branches overwrite it).
    pub next_pc: u64,
    // Engine bookkeeping, not for instruction semantics:
    /// Exception that stopped a chain of handlers.
    exc: Option<Exc>,
    /// Page base address of the running chain (`u64::MAX`: none).
    chain_base: u64,
    /// Code generation the running chain's slots are valid for.
    chain_gen: u64,
}

impl Ctx<'_> {
    /// Data accesses are little-endian.
    #[inline(always)]
    pub fn le(&self) -> bool {
        self.le
    }
    /// Whether ISA 3.0 behaviour (OV32/CA32, …) applies.
    #[inline(always)]
    pub fn isa300(&self) -> bool {
        self.level >= IsaLevel::V3_0
    }
    /// Sets CR0 from a 64-bit result (LT/GT/EQ by signed comparison with 0, SO
    /// copied from XER).
    #[inline(always)]
    pub fn set_cr0(&mut self, v: u64) {
        let c = if (v as i64) < 0 {
            8
        } else if v as i64 > 0 {
            4
        } else {
            2
        };
        self.s.cr = (self.s.cr & 0x0fff_ffff) | ((c | self.s.xer_so as u32) << 28);
    }
    /// Loads `N` bytes in the current data endianness.
    #[inline(always)]
    pub fn load<const N: usize>(&mut self, ea: u64) -> Result<u64, Exc> {
        // Two monomorphic calls: each inlines to a fixed-endianness fast path.
        let r = if self.le {
            self.mem.load::<N>(ea, true)
        } else {
            self.mem.load::<N>(ea, false)
        };
        Ok(r?)
    }
    /// Stores `N` bytes in the current data endianness.
    #[inline(always)]
    pub fn store<const N: usize>(&mut self, ea: u64, v: u64) -> ExecResult {
        let r = if self.le {
            self.mem.store::<N>(ea, v, true)
        } else {
            self.mem.store::<N>(ea, v, false)
        };
        Ok(r?)
    }
    /// RA|0 + displacement.
    #[inline(always)]
    pub fn ea_ra0(&self, ra: usize, disp: i64) -> u64 {
        let base = if ra == 0 { 0 } else { self.s.gpr[ra] };
        base.wrapping_add(disp as u64)
    }
    /// A fault for an instruction the interpreter does not implement.
    pub fn unimplemented(i: Insn) -> Exc {
        Exc::Fault(FaultKind::Unimplemented {
            word: i.word,
            prefix: i.prefix,
        })
    }
    /// A fault for an encoding that is illegal (reserved form of a known row).
    pub fn illegal(i: Insn) -> Exc {
        Exc::Fault(FaultKind::Illegal {
            word: i.word,
            prefix: i.prefix,
            needs: None,
        })
    }
}

/// Executes one decoded, legal instruction.
#[inline(always)]
pub fn execute(cx: &mut Ctx, i: Insn) -> ExecResult {
    match i.op {
        Op::Fixed(o) => fixed::exec(cx, o, i),
        Op::Branch(o) => branch::exec(cx, o, i),
        Op::LoadStore(o) => load_store::exec(cx, o, i),
        Op::Fp(o) => fp::exec(cx, o, i),
        // PCR[VEC_DIS]/PCR[VSX_DIS] (power6 compat mode on POWER7, facts §4.4/§5):
        // the facility does not exist for the guest.
        Op::Vmx(_) if cx.s.pcr & crate::cpu::compat::pcr::VEC_DIS != 0 => Err(Ctx::illegal(i)),
        Op::Vsx(_) if cx.s.pcr & crate::cpu::compat::pcr::VSX_DIS != 0 => Err(Ctx::illegal(i)),
        Op::Vmx(o) => vmx::exec(cx, o, i),
        Op::Vsx(o) => vsx::exec(cx, o, i),
        Op::Mma(o) => mma::exec(cx, o, i),
        Op::Prefixed(o) => prefixed::exec(cx, o, i),
        Op::System(o) => system::exec(cx, o, i),
        Op::Tm(o) => tm::exec(cx, o, i),
        Op::Illegal => Err(Ctx::illegal(i)),
    }
}

/// Decodes the instruction at `pc` and checks that the effective level allows it.
#[inline]
pub fn fetch_decode(mem: &mut Memory, pc: u64, le: bool, level: IsaLevel) -> Result<Insn, Fault> {
    let w = mem.fetch(pc, le).map_err(|f| Fault {
        pc,
        kind: FaultKind::Memory(f),
    })?;
    let insn = if w >> 26 == 1 {
        // Prefixed: the suffix must be fetchable too. ISA 3.1 §1.6.3: a prefixed
        // instruction must not cross a 64-byte boundary (alignment interrupt).
        if pc & 63 == 60 {
            return Err(Fault {
                pc,
                kind: FaultKind::Alignment { addr: pc },
            });
        }
        let s = mem.fetch(pc + 4, le).map_err(|f| Fault {
            pc,
            kind: FaultKind::Memory(f),
        })?;
        decode_at(w, Some(s))
    } else {
        decode_at(w, None)
    };
    match insn.def() {
        None => Err(Fault {
            pc,
            kind: FaultKind::Illegal {
                word: insn.word,
                prefix: insn.prefix,
                needs: None,
            },
        }),
        Some(d) if d.level > level => match crate::isa::decode::older_form(&insn, level) {
            Some(older) => Ok(older),
            None => Err(Fault {
                pc,
                kind: FaultKind::Illegal {
                    word: insn.word,
                    prefix: insn.prefix,
                    needs: Some(d.level),
                },
            }),
        },
        Some(_) => Ok(insn),
    }
}

// ---------------------------------------------------------------------------
// Threaded dispatch: one handler per table row
// ---------------------------------------------------------------------------
//
// Each decoded slot holds a handler specialised for its table row. A handler
// executes its instruction and then, in tail position, calls the handler of the
// next instruction ("threaded code"): every handler has its own indirect
// branch, which the host predicts far better than one shared dispatch branch.
// The chain returns to the loop in `Interp::exec_loop` when the next
// instruction is not decoded yet (or on a page not in the directory's
// direct-mapped index), when the code generation
// changed (a store hit a code page), after an exception, or when its fuel runs
// out. The fuel is at most `MAX_CHAIN` and never more than the instructions
// left in the budget, so the budget is met exactly, and the host stack stays
// bounded even where the compiler does not turn the tail calls into jumps.

/// Executes the instruction at `pc` (in the page whose slots are given; `dir`
/// has the other decoded pages) and, with `fuel > 0`, continues down the chain.
/// Returns `true` if it stopped on an exception (left in `Ctx::exc`);
/// otherwise the last instruction retired and execution continues at
/// `cx.next_pc`.
type Handler = fn(&mut Ctx, &Dir, &Slots, u64, u32) -> bool;

/// Longest chain of instructions run without returning to the loop.
const MAX_CHAIN: u64 = 256;

/// After an instruction retired: run the next one if it is decoded, the code
/// is unchanged and fuel is left. `stores`: the instruction may have written
/// memory (otherwise the code generation cannot have changed).
#[inline(always)]
fn chain(cx: &mut Ctx, dir: &Dir, slots: &Slots, fuel: u32, stores: bool) -> bool {
    cx.icount += 1;
    let next = cx.next_pc;
    if fuel == 0 || (stores && cx.mem.code_generation() != cx.chain_gen) {
        return false;
    }
    // Same page and word-aligned: `next` is `base | (slot << 2)`.
    if next & !SLOT_ADDR_MASK == cx.chain_base {
        match slots[(next as usize >> 2) & SLOT_MASK].h {
            Some(h) => h(cx, dir, slots, next, fuel - 1),
            None => false,
        }
    } else {
        chain_far(cx, dir, next, fuel)
    }
}

/// [`chain`] to another page.
#[inline(never)]
fn chain_far(cx: &mut Ctx, dir: &Dir, next: u64, fuel: u32) -> bool {
    if next & 3 != 0 {
        return false;
    }
    let Some(p) = dir.get(next >> crate::mem::PAGE_SHIFT) else {
        return false;
    };
    match p.slots[(next as usize >> 2) & SLOT_MASK].h {
        Some(h) => {
            cx.chain_base = next & !crate::mem::PAGE_MASK;
            h(cx, dir, &p.slots, next, fuel - 1)
        }
        None => false,
    }
}

/// Runs one instruction through `f`, then chains.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn step_with(
    cx: &mut Ctx,
    dir: &Dir,
    slots: &Slots,
    pc: u64,
    fuel: u32,
    len: u64,
    stores: bool,
    f: impl FnOnce(&mut Ctx, Insn) -> ExecResult,
) -> bool {
    let insn = slots[(pc as usize >> 2) & SLOT_MASK].insn;
    cx.pc = pc;
    cx.next_pc = pc.wrapping_add(len);
    match f(cx, insn) {
        Ok(()) => chain(cx, dir, slots, fuel, stores),
        Err(x) => {
            cx.exc = Some(x);
            true
        }
    }
}

/// Rows without a specialised handler go through [`execute`].
fn generic(cx: &mut Ctx, dir: &Dir, slots: &Slots, pc: u64, fuel: u32) -> bool {
    let insn = slots[(pc as usize >> 2) & SLOT_MASK].insn;
    cx.pc = pc;
    cx.next_pc = pc.wrapping_add(insn.len());
    if execute_outlined(cx, insn) {
        return true;
    }
    chain(cx, dir, slots, fuel, true)
}

/// [`execute`], leaving an exception in `cx.exc` (returns `true` then). Kept
/// out of line so that the `ExecResult` of the family functions (returned
/// through stack memory) lives in this frame, not in the handler's: a handler
/// whose stack memory escapes into a call cannot tail-call the next one.
#[inline(never)]
fn execute_outlined(cx: &mut Ctx, i: Insn) -> bool {
    match execute(cx, i) {
        Ok(()) => false,
        Err(x) => {
            cx.exc = Some(x);
            true
        }
    }
}

/// Defines a handler generic over a family's row index `K` (the family enum's
/// discriminant, which is the row's position in the family's table): the `op`
/// and the length are constants, so the family's `exec` match (inlined) folds
/// to the one arm. `$stores`: whether the family has instructions that write
/// guest memory.
macro_rules! row_handler {
    ($name:ident, $rows:path, $fam:ident, $exec:path, $stores:expr) => {
        fn $name<const K: usize>(
            cx: &mut Ctx,
            dir: &Dir,
            slots: &Slots,
            pc: u64,
            fuel: u32,
        ) -> bool {
            let (op, len) = const {
                if K < $rows.len() {
                    ($rows[K].op, if $rows[K].prefix.is_some() { 8 } else { 4 })
                } else {
                    (Op::Illegal, 4)
                }
            };
            match op {
                Op::$fam(o) => step_with(cx, dir, slots, pc, fuel, len, $stores, |cx, i| {
                    $exec(cx, o, i)
                }),
                _ => generic(cx, dir, slots, pc, fuel),
            }
        }
    };
}

// Fixed-point and branch instructions never access memory.
row_handler!(
    fixed_row,
    crate::isa::table::fixed::FIXED,
    Fixed,
    fixed::exec,
    false
);
row_handler!(
    branch_row,
    crate::isa::table::branch::BRANCH,
    Branch,
    branch::exec,
    false
);
row_handler!(
    load_store_row,
    crate::isa::table::load_store::LOAD_STORE,
    LoadStore,
    load_store::exec,
    true
);
row_handler!(
    system_row,
    crate::isa::table::system::SYSTEM,
    System,
    system::exec,
    true
);

/// 16 instantiations of `$f` for row indexes `$b..$b+16`.
macro_rules! h16 {
    ($f:ident, $b:expr) => {
        [
            $f::<{ $b }>,
            $f::<{ $b + 1 }>,
            $f::<{ $b + 2 }>,
            $f::<{ $b + 3 }>,
            $f::<{ $b + 4 }>,
            $f::<{ $b + 5 }>,
            $f::<{ $b + 6 }>,
            $f::<{ $b + 7 }>,
            $f::<{ $b + 8 }>,
            $f::<{ $b + 9 }>,
            $f::<{ $b + 10 }>,
            $f::<{ $b + 11 }>,
            $f::<{ $b + 12 }>,
            $f::<{ $b + 13 }>,
            $f::<{ $b + 14 }>,
            $f::<{ $b + 15 }>,
        ]
    };
}

static FIXED_H: [[Handler; 16]; 10] = [
    h16!(fixed_row, 0),
    h16!(fixed_row, 16),
    h16!(fixed_row, 32),
    h16!(fixed_row, 48),
    h16!(fixed_row, 64),
    h16!(fixed_row, 80),
    h16!(fixed_row, 96),
    h16!(fixed_row, 112),
    h16!(fixed_row, 128),
    h16!(fixed_row, 144),
];
static BRANCH_H: [[Handler; 16]; 3] = [
    h16!(branch_row, 0),
    h16!(branch_row, 16),
    h16!(branch_row, 32),
];
static LOAD_STORE_H: [[Handler; 16]; 7] = [
    h16!(load_store_row, 0),
    h16!(load_store_row, 16),
    h16!(load_store_row, 32),
    h16!(load_store_row, 48),
    h16!(load_store_row, 64),
    h16!(load_store_row, 80),
    h16!(load_store_row, 96),
];
static SYSTEM_H: [[Handler; 16]; 3] = [
    h16!(system_row, 0),
    h16!(system_row, 16),
    h16!(system_row, 32),
];

/// The handler of row index `k` in a family table, or [`generic`] when the
/// family has grown past its table (still correct, just not specialised).
fn pick(t: &[[Handler; 16]], k: usize) -> Handler {
    t.get(k >> 4).map_or(generic as Handler, |r| r[k & 15])
}

/// Handlers indexed by global row id ([`crate::isa::table::all`]).
fn handlers() -> &'static [Handler] {
    static H: std::sync::OnceLock<Vec<Handler>> = std::sync::OnceLock::new();
    H.get_or_init(|| {
        crate::isa::table::all()
            .iter()
            .map(|d| match d.op {
                Op::Fixed(o) => pick(&FIXED_H, o as usize),
                Op::Branch(o) => pick(&BRANCH_H, o as usize),
                Op::LoadStore(o) => pick(&LOAD_STORE_H, o as usize),
                Op::System(o) => pick(&SYSTEM_H, o as usize),
                _ => generic as Handler,
            })
            .collect()
    })
}

/// The handler for a decoded, legal instruction.
fn handler_for(i: &Insn) -> Handler {
    handlers()
        .get(i.row as usize)
        .copied()
        .unwrap_or(generic as Handler)
}

// ---------------------------------------------------------------------------
// Decoded-page cache
// ---------------------------------------------------------------------------

const SLOTS: usize = (crate::mem::PAGE_SIZE / 4) as usize;
const SLOT_MASK: usize = SLOTS - 1;
/// Address bits that select a word-aligned slot within a page.
const SLOT_ADDR_MASK: u64 = crate::mem::PAGE_MASK & !3;
/// Beyond this many decoded pages (24 KiB each) the cache starts over
/// (bounded memory).
const MAX_CODE_PAGES: usize = 1024;

/// One instruction slot of a code page: empty until first executed.
#[derive(Clone, Copy)]
struct Slot {
    h: Option<Handler>,
    insn: Insn,
}

/// The slots of one page.
type Slots = [Slot; SLOTS];

// Slots are read on every instruction: keep them small (the handler is a
// non-null function pointer, so `Option` costs nothing).
const _: () = assert!(std::mem::size_of::<Slot>() <= 24);

const EMPTY_SLOT: Slot = Slot {
    h: None,
    insn: Insn {
        op: Op::Illegal,
        row: crate::isa::decode::NO_ROW,
        word: 0,
        prefix: 0,
    },
};

/// The decoded instructions of one guest page, one slot per word, filled
/// lazily.
struct CodePage {
    /// Guest page number.
    vpn: u64,
    /// Code generation when the slots were last known valid: the page is stale
    /// once its memory code stamp is newer.
    gen: u64,
    slots: Box<Slots>,
}

/// Entries of the directory's direct-mapped index.
const DIR_INDEX: usize = 1024;

/// The decoded pages, with a direct-mapped index by page number that handlers
/// use to chain across pages (a miss just returns to the loop).
struct Dir {
    pages: Vec<CodePage>,
    index: Box<[u32; DIR_INDEX]>,
}

impl Dir {
    #[inline(always)]
    fn get(&self, vpn: u64) -> Option<&CodePage> {
        let i = self.index[(vpn as usize) & (DIR_INDEX - 1)];
        self.pages.get(i as usize).filter(|p| p.vpn == vpn)
    }
    fn clear(&mut self) {
        self.pages.clear();
        self.index.fill(u32::MAX);
    }
}

/// `BuildHasher` for page numbers (fixed, so the cache is deterministic too).
#[derive(Clone, Copy, Default)]
struct VpnHash;
#[derive(Default)]
struct VpnHasher(u64);
impl std::hash::Hasher for VpnHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | *b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
impl std::hash::BuildHasher for VpnHash {
    type Hasher = VpnHasher;
    fn build_hasher(&self) -> VpnHasher {
        VpnHasher(0)
    }
}

/// The interpreter engine.
///
/// Decoded instructions are cached per guest page ([`CodePage`]); the cache is
/// tied to one memory ([`Memory::id`]), one endianness and one ISA level, and a
/// page's slots are dropped when the memory's code stamp of that page moves
/// past the generation they were decoded at (a store into the page, remapping,
/// re-protection). The memory's code generation is compared after every
/// instruction, so a store into code is seen by the very next instruction.
pub struct Interp {
    dir: Dir,
    by_vpn: std::collections::HashMap<u64, u32, VpnHash>,
    mem_id: u64,
    gen: u64,
    le: bool,
    level: IsaLevel,
}

impl Default for Interp {
    fn default() -> Self {
        Self::new()
    }
}

impl Interp {
    /// A fresh interpreter.
    pub fn new() -> Self {
        Interp {
            dir: Dir {
                pages: Vec::new(),
                index: Box::new([u32::MAX; DIR_INDEX]),
            },
            by_vpn: Default::default(),
            mem_id: 0,
            gen: 0,
            le: false,
            level: IsaLevel::V2_05,
        }
    }

    fn flush(&mut self) {
        self.dir.clear();
        self.by_vpn.clear();
    }

    /// Makes the cache valid for `mem` at its current generation.
    fn sync(&mut self, mem: &Memory, le: bool, level: IsaLevel) {
        let g = mem.code_generation();
        if mem.id() != self.mem_id || le != self.le || level != self.level {
            self.flush();
            self.mem_id = mem.id();
            self.le = le;
            self.level = level;
        } else if g != self.gen {
            // Drop the slots of pages written (or remapped) since they were
            // decoded; keep the others.
            for p in &mut self.dir.pages {
                let vpn = p.vpn;
                let fresh = mem
                    .code_stamp(vpn << crate::mem::PAGE_SHIFT)
                    .is_some_and(|s| s <= p.gen);
                if !fresh {
                    p.slots.fill(EMPTY_SLOT);
                }
                p.gen = g;
            }
        }
        self.gen = g;
    }

    /// Index of the code page for `vpn`, created empty if needed.
    #[inline]
    fn page_index(&mut self, vpn: u64) -> usize {
        let k = (vpn as usize) & (DIR_INDEX - 1);
        let i = self.dir.index[k];
        if self.dir.pages.get(i as usize).is_some_and(|p| p.vpn == vpn) {
            return i as usize;
        }
        let i = match self.by_vpn.get(&vpn) {
            Some(&i) => i,
            None => self.new_page(vpn),
        };
        self.dir.index[k] = i;
        i as usize
    }

    #[cold]
    fn new_page(&mut self, vpn: u64) -> u32 {
        if self.dir.pages.len() >= MAX_CODE_PAGES {
            self.flush();
        }
        self.dir.pages.push(CodePage {
            vpn,
            gen: self.gen,
            slots: Box::new([EMPTY_SLOT; SLOTS]),
        });
        let i = (self.dir.pages.len() - 1) as u32;
        self.by_vpn.insert(vpn, i);
        i
    }

    /// Runs from `cx.s.pc` until the budget, a system call or a fault; keeps
    /// `cx.icount` and (on return) `cx.s.pc` up to date.
    fn exec_loop(&mut self, cx: &mut Ctx, budget: u64) -> Stop {
        let mut pc = cx.s.pc;
        loop {
            if cx.icount >= budget {
                cx.s.pc = pc;
                return Stop::Budget;
            }
            if cx.mem.code_generation() != self.gen {
                self.sync(cx.mem, cx.le, cx.level);
            }
            let pi = self.page_index(pc >> crate::mem::PAGE_SHIFT);
            let page = &mut self.dir.pages[pi];
            let slot = (pc as usize >> 2) & SLOT_MASK;
            let h = match page.slots[slot].h {
                Some(h) if pc & 3 == 0 => h,
                _ => match fetch_decode(cx.mem, pc, cx.le, cx.level) {
                    Ok(i) => {
                        let h = handler_for(&i);
                        page.slots[slot] = Slot {
                            h: Some(h),
                            insn: i,
                        };
                        h
                    }
                    Err(f) => {
                        cx.s.pc = pc;
                        return Stop::Fault(f);
                    }
                },
            };
            // `budget - icount >= 1`: the chain runs at most that many.
            let fuel = (budget - cx.icount).min(MAX_CHAIN) - 1;
            cx.chain_base = pc & !crate::mem::PAGE_MASK;
            cx.chain_gen = self.gen;
            let dir = &self.dir;
            if h(cx, dir, &dir.pages[pi].slots, pc, fuel as u32) {
                return match cx.exc.take() {
                    Some(Exc::Syscall(lev)) => {
                        cx.icount += 1;
                        cx.s.pc = cx.next_pc;
                        Stop::Syscall { lev }
                    }
                    Some(Exc::Fault(kind)) => {
                        cx.s.pc = cx.pc;
                        Stop::Fault(Fault { pc: cx.pc, kind })
                    }
                    // Handlers always leave the exception; be safe anyway.
                    None => {
                        pc = cx.next_pc;
                        continue;
                    }
                };
            }
            pc = cx.next_pc;
        }
    }
}

impl Engine for Interp {
    fn name(&self) -> &'static str {
        "interp"
    }

    fn run(&mut self, cpu: &mut Cpu, mem: &mut Memory, env: &mut dyn Env, budget: u64) -> Stop {
        if cpu.icount >= budget {
            return Stop::Budget;
        }
        let le = cpu.state.little_endian();
        let level = cpu.level;
        self.sync(mem, le, level);
        let mut cx = Ctx {
            s: &mut cpu.state,
            mem,
            env,
            icount: cpu.icount,
            level,
            le,
            pc: 0,
            next_pc: 0,
            exc: None,
            chain_base: u64::MAX,
            chain_gen: 0,
        };
        let stop = self.exec_loop(&mut cx, budget);
        cpu.icount = cx.icount;
        stop
    }
}

/// Executes one already decoded and level-checked instruction at `pc` (the
/// JIT's fallback for instructions it does not translate natively). On
/// success returns `true` with the next instruction address in `next_pc`
/// (`pc + len` unless a branch changed it); otherwise the exception is left in
/// `exc` (the state is untouched when it is a fault). Small return values on
/// purpose: a returned `(ExecResult, u64)` goes through stack memory and
/// costs a store-forwarding stall per call.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
pub(crate) fn execute_one(
    s: &mut ArchState,
    mem: &mut Memory,
    env: &mut dyn Env,
    icount: u64,
    level: IsaLevel,
    le: bool,
    pc: u64,
    insn: &Insn,
) -> (ExecResult, u64) {
    let insn = *insn;
    let mut cx = Ctx {
        s,
        mem,
        env,
        icount,
        level,
        le,
        pc,
        next_pc: pc.wrapping_add(insn.len()),
        exc: None,
        chain_base: u64::MAX,
        chain_gen: 0,
    };
    let r = execute(&mut cx, insn);
    (r, cx.next_pc)
}

/// Executes exactly one instruction at the current pc (used by tests and by
/// engines that fall back to the specification for one instruction).
pub fn step(cpu: &mut Cpu, mem: &mut Memory, env: &mut dyn Env) -> Stop {
    let pc = cpu.state.pc;
    let le = cpu.state.little_endian();
    let insn = match fetch_decode(mem, pc, le, cpu.level) {
        Ok(i) => i,
        Err(f) => return Stop::Fault(f),
    };
    let (r, next) = execute_one(
        &mut cpu.state,
        mem,
        env,
        cpu.icount,
        cpu.level,
        le,
        pc,
        &insn,
    );
    match r {
        Ok(()) => {
            cpu.state.pc = next;
            cpu.icount += 1;
            Stop::Budget
        }
        Err(Exc::Syscall(lev)) => {
            cpu.state.pc = next;
            cpu.icount += 1;
            Stop::Syscall { lev }
        }
        Err(Exc::Fault(kind)) => Stop::Fault(Fault { pc, kind }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu::find_model;
    use crate::exec::VirtualEnv;
    use crate::isa::encode::asm;
    use crate::mem::perm;

    const CODE: u64 = 0x1000_0000;

    /// A POWER10 with `prog` at `pc` in two RWX pages at [`CODE`].
    fn setup(le: bool, pc: u64, prog: &[(&str, &[i64])]) -> (Cpu, Memory) {
        let mut cpu = Cpu::new(find_model("power10").unwrap(), le);
        let mut mem = Memory::new();
        mem.map_zero(CODE, 0x2000, perm::RWX).unwrap();
        let mut code = Vec::new();
        for (m, ops) in prog {
            code.extend(asm(m, ops).unwrap().bytes(le));
        }
        mem.write_bytes(pc, &code).unwrap();
        cpu.state.pc = pc;
        (cpu, mem)
    }

    #[test]
    fn a_store_into_decoded_code_is_seen_by_the_next_instruction() {
        for le in [false, true] {
            // 0: addi r3,r3,1   4: stw r4,0(r5)   8: b 0
            let prog: &[(&str, &[i64])] =
                &[("addi", &[3, 3, 1]), ("stw", &[4, 0, 5]), ("b", &[-8])];
            let (mut cpu, mut mem) = setup(le, CODE, prog);
            cpu.state.gpr[4] = asm("addi", &[3, 3, 100]).unwrap().word as u64;
            cpu.state.gpr[5] = CODE;
            let mut env = VirtualEnv::new(0);
            // The first addi is decoded and run, then overwritten; the second
            // pass must run the new word (1 + 100), in the same run() call.
            let stop = Interp::new().run(&mut cpu, &mut mem, &mut env, 4);
            assert_eq!(stop, Stop::Budget);
            assert_eq!(
                (cpu.state.gpr[3], cpu.icount, cpu.state.pc),
                (101, 4, CODE + 4)
            );
        }
    }

    #[test]
    fn the_engine_stops_exactly_at_every_budget_and_agrees_with_single_steps() {
        // A counted loop with a store and a data-dependent exit, then a loop on
        // itself.
        let prog: &[(&str, &[i64])] = &[
            ("addi", &[3, 3, 1]),     // 0
            ("cmpi", &[0, 1, 3, 40]), // 4
            ("bc", &[12, 2, 12]),     // 8: beq 20
            ("std", &[3, 8, 6]),      // 12
            ("b", &[-16]),            // 16
            ("addi", &[4, 4, 7]),     // 20
            ("b", &[0]),              // 24
        ];
        for le in [false, true] {
            let (mut a, mut mem_a) = setup(le, CODE, prog);
            let (mut b, mut mem_b) = setup(le, CODE, prog);
            a.state.gpr[6] = CODE + 0x1000;
            b.state.gpr[6] = CODE + 0x1000;
            let (mut env_a, mut env_b) = (VirtualEnv::new(0), VirtualEnv::new(0));
            let mut eng = Interp::new();
            let mut budget = 0;
            for k in 0..60u64 {
                budget += k % 7 + 1;
                assert_eq!(
                    eng.run(&mut a, &mut mem_a, &mut env_a, budget),
                    Stop::Budget
                );
                while b.icount < budget {
                    assert_eq!(step(&mut b, &mut mem_b, &mut env_b), Stop::Budget);
                }
                assert_eq!(a.icount, budget);
                assert_eq!(a.state, b.state, "le={le} budget={budget}");
            }
            assert_eq!(a.state.gpr[3], 40);
            assert_eq!(mem_a.digest(), mem_b.digest());
        }
    }

    #[test]
    fn straight_line_code_runs_across_a_page_boundary() {
        let prog: &[(&str, &[i64])] = &[
            ("addi", &[3, 3, 1]),
            ("addi", &[3, 3, 2]),
            ("addi", &[3, 3, 4]),
            ("b", &[0]),
        ];
        let (mut cpu, mut mem) = setup(true, CODE + 0xff8, prog);
        let stop = Interp::new().run(&mut cpu, &mut mem, &mut VirtualEnv::new(0), 10);
        assert_eq!(stop, Stop::Budget);
        assert_eq!((cpu.state.gpr[3], cpu.state.pc), (7, CODE + 0x1004));
    }

    #[test]
    fn code_replaced_between_runs_is_decoded_again() {
        let (mut cpu, mut mem) = setup(true, CODE, &[("addi", &[3, 3, 1]), ("b", &[-4])]);
        let mut eng = Interp::new();
        let mut env = VirtualEnv::new(0);
        assert_eq!(eng.run(&mut cpu, &mut mem, &mut env, 10), Stop::Budget);
        assert_eq!(cpu.state.gpr[3], 5);
        // The loader/kernel path (write_bytes) and a remap both invalidate.
        mem.write_bytes(CODE, &asm("addi", &[3, 3, 2]).unwrap().bytes(true))
            .unwrap();
        assert_eq!(eng.run(&mut cpu, &mut mem, &mut env, 20), Stop::Budget);
        assert_eq!(cpu.state.gpr[3], 15);
        mem.map_zero(CODE, 0x1000, perm::RWX).unwrap();
        let mut code = asm("addi", &[3, 3, 3]).unwrap().bytes(true);
        code.extend(asm("b", &[-4]).unwrap().bytes(true));
        mem.write_bytes(CODE, &code).unwrap();
        cpu.state.pc = CODE;
        assert_eq!(eng.run(&mut cpu, &mut mem, &mut env, 30), Stop::Budget);
        assert_eq!(cpu.state.gpr[3], 30);
    }

    #[test]
    fn removing_execute_permission_faults_the_next_fetch() {
        let (mut cpu, mut mem) = setup(true, CODE, &[("addi", &[3, 3, 1]), ("b", &[-4])]);
        let mut eng = Interp::new();
        let mut env = VirtualEnv::new(0);
        assert_eq!(eng.run(&mut cpu, &mut mem, &mut env, 10), Stop::Budget);
        mem.protect(CODE, 0x1000, perm::RW).unwrap();
        match eng.run(&mut cpu, &mut mem, &mut env, 20) {
            Stop::Fault(f) => assert_eq!(f.pc, CODE),
            s => panic!("{s:?}"),
        }
        assert_eq!((cpu.icount, cpu.state.pc), (10, CODE));
    }

    #[test]
    fn sc_retires_and_a_fault_does_not() {
        let (mut cpu, mut mem) = setup(
            false,
            CODE,
            &[("addi", &[3, 3, 1]), ("sc", &[0]), ("b", &[0x1000])],
        );
        let mut eng = Interp::new();
        let mut env = VirtualEnv::new(0);
        assert_eq!(
            eng.run(&mut cpu, &mut mem, &mut env, 100),
            Stop::Syscall { lev: 0 }
        );
        assert_eq!((cpu.icount, cpu.state.pc), (2, CODE + 8));
        // b to CODE+0x1008: zero words there are illegal.
        match eng.run(&mut cpu, &mut mem, &mut env, 100) {
            Stop::Fault(f) => {
                assert_eq!(f.pc, CODE + 0x1008);
                assert!(matches!(f.kind, FaultKind::Illegal { .. }), "{f:?}");
            }
            s => panic!("{s:?}"),
        }
        assert_eq!((cpu.icount, cpu.state.pc), (3, CODE + 0x1008));
    }
}
