//! Guest block → x86-64 code.
//!
//! Register conventions inside translated code: `rbx` = `*mut ArchState`,
//! `r12` = `*mut JitCtx`, `r13`, `rdi`, `r10`, `r11` = guest GPRs cached
//! for the block (write-through, see [`choose_cached`]), `r14` = instructions
//! left in the budget (`limit - icount`: `JitCtx::icount` is only written
//! back when the block exits or calls [`super::h_fallback`]), `rbp` = the
//! memory's read TLB, the write TLB at a fixed distance after it (loaded by
//! the trampoline; the TLBs never move while a memory lives), `r15d` = CR:
//! a copy kept write-through (every write of CR goes to `ArchState` and to
//! r15d, so the state stays exact; the trampoline loads it and every helper
//! call reloads it). Everything else is scratch. The stack is 16-byte aligned (the trampoline sees to it), so
//! helpers are called directly.
//!
//! Every native translation mirrors the interpreter function of the same name
//! in `exec/interp/{fixed,branch,load_store,system}.rs`; anything not listed
//! in [`Tr::native`] calls the interpreter through [`super::h_fallback`].

use super::{h_fallback, h_load, h_lxv, h_store, h_stxv, JitCtx, MAX_BLOCK, ST_FAULT, ST_LEAVE};
use crate::cpu::ArchState;
use crate::exec::interp::fetch_decode;
use crate::exec::Fault;
use crate::isa::table::{Branch, Fixed, LoadStore, System};
use crate::isa::{Insn, IsaLevel, Op};
use crate::mem::{Memory, TlbView, PAGE_MASK};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use std::mem::offset_of;

macro_rules! a {
    ($ops:expr; $($t:tt)*) => {
        dynasm!($ops ; .arch x64 ; $($t)*)
    };
}

/// Whether the host has SSE4.1 (`pinsrq`, `pextrq`).
fn host_sse41() -> bool {
    std::arch::is_x86_feature_detected!("sse4.1")
}

/// Native floating point (a child module: it extends [`Tr`]).
#[path = "fp.rs"]
pub(super) mod fp;

const fn g(n: usize) -> i32 {
    (offset_of!(ArchState, gpr) + 8 * n) as i32
}
const O_PC: i32 = offset_of!(ArchState, pc) as i32;
const O_LR: i32 = offset_of!(ArchState, lr) as i32;
const O_CTR: i32 = offset_of!(ArchState, ctr) as i32;
const O_CR: i32 = offset_of!(ArchState, cr) as i32;
const O_SO: i32 = offset_of!(ArchState, xer_so) as i32;
const O_OV: i32 = offset_of!(ArchState, xer_ov) as i32;
const O_CA: i32 = offset_of!(ArchState, xer_ca) as i32;
const O_OV32: i32 = offset_of!(ArchState, xer_ov32) as i32;
const O_CA32: i32 = offset_of!(ArchState, xer_ca32) as i32;
const J_ICOUNT: i32 = offset_of!(JitCtx, icount) as i32;
/// Which TLB an inline access probes (its base lives in a register).
#[derive(Clone, Copy, PartialEq)]
enum Tlb {
    /// Read TLB (base in rbp).
    Read,
    /// Write TLB (at a fixed distance from the read TLB).
    Write,
}
const fn vsr(n: usize, d: usize) -> i32 {
    (offset_of!(ArchState, vsr) + 16 * n + 8 * d) as i32
}

/// The assembler a block is emitted into: a byte vector assembled for the
/// address it will be copied to ([`super::codemem::CodeMem`]).
pub(super) type Asm = dynasmrt::VecAssembler<dynasmrt::x64::X64Relocation>;

/// What a translation depends on.
pub(super) struct Config {
    /// Host address of the exit to the Rust dispatcher (status in eax).
    pub exit: usize,
    /// Host address of the in-code dispatcher (next pc in rax).
    pub dispatch: usize,
    /// Host address of code offset 0 (where [`super::Block::off`] counts from).
    pub code_base: usize,
    /// Host address this block will run at (offset 0 of its assembler).
    pub block_base: usize,
    pub le: bool,
    pub level: IsaLevel,
    pub isa300: bool,
    /// VSX is available (PCR does not disable it).
    pub vsx: bool,
    /// Layout of the memory's TLBs (for the inline access path).
    pub tlb: TlbView,
    /// The host has POPCNT (else `popcnt*` take the interpreter).
    pub popcnt: bool,
    /// VMX is available (PCR does not disable it).
    pub vec: bool,
    /// The host has AVX2 (variable vector shifts).
    pub avx2: bool,
    /// The host has SSSE3 (`pshufb`: vperm and the fixed permutations).
    pub ssse3: bool,
    /// Reuse a GPR value still in rax instead of reloading it
    /// ([`Tr::rax_holds`]).
    pub reuse_rax: bool,
    /// Host address of the per-access TLB caches ([`Tr::probe`]), how many
    /// fit, and the first one free.
    pub site_base: usize,
    pub site_cap: usize,
    pub site_next: usize,
}

/// Out-of-line code emitted after the block body.
enum Cold {
    /// A load or store faulted: `pending` instructions retired before it.
    Fault {
        label: DynamicLabel,
        pending: i32,
        pc: u64,
    },
    /// Not enough budget left for the block: return to the dispatcher at
    /// the block's first instruction.
    Budget { label: DynamicLabel, pc: u64 },
    /// An exit to a block not translated yet: through the dispatcher until
    /// the `jmp` to this stub is patched (see [`Translated::exits`]).
    Exit { label: DynamicLabel, next: u64 },
    /// A store retired and moved the code generation: finish the instruction
    /// (update form: RA = rsi, the effective address) and leave at `next`.
    Smc {
        label: DynamicLabel,
        pending: i32,
        next: u64,
        update_ra: Option<usize>,
    },
    /// A guest access that missed the inline TLB probe: call `helper` (rdi =
    /// context, rsi = address, plus `store` below), then continue at
    /// `done`. A load helper returns (value, fault?) in (rax, rdx); a store
    /// helper a status in eax: 1 = the code generation moved (to `smc`),
    /// > 1 = a fault.
    Access {
        slow: DynamicLabel,
        done: DynamicLabel,
        helper: usize,
        fault: DynamicLabel,
        store: Option<StoreArg>,
    },
    /// The taken side of a conditional branch the block continues past
    /// (the count is already up to date): leave for `target`.
    SideExit { label: DynamicLabel, target: u64 },
    /// An access missed its site's TLB cache: the TLB probe (to `slow` on a
    /// miss), refill the site (16 bytes at host `site`), back to `back` with
    /// rcx = the page's addend.
    SiteMiss {
        label: DynamicLabel,
        back: DynamicLabel,
        slow: DynamicLabel,
        tlb: Tlb,
        n: usize,
        site: usize,
    },
    /// XER[SO] is set: OR its CR bit into edx, back to `back`.
    SoBit {
        label: DynamicLabel,
        back: DynamicLabel,
        bit: u32,
    },
    /// A quadword load into VSR `x` that missed the inline probe: `helper`
    /// (rdi = context, rsi = address, edx = x) returns nonzero on a fault.
    QuadLoad {
        slow: DynamicLabel,
        done: DynamicLabel,
        helper: usize,
        fault: DynamicLabel,
        x: usize,
    },
}

/// What a store helper gets besides the address, and where a store into
/// code goes.
#[derive(Clone, Copy)]
enum StoreArg {
    /// An integer store: the value is in host register `val`.
    Value { smc: DynamicLabel, val: u8 },
    /// A quadword store of VSR `x`.
    Vsr { x: usize, smc: DynamicLabel },
}

/// Second operand of an add.
#[derive(Clone, Copy)]
enum Y {
    Reg(usize),
    Zero,
    Ones,
    Imm(i64),
}

/// A two-operand host instruction with a GPR source ([`Tr::alu`]).
#[derive(Clone, Copy)]
enum Alu {
    Add,
    And,
    Or,
    Xor,
    Cmp,
    Imul,
}

/// Carry in of an add.
#[derive(Clone, Copy, PartialEq)]
enum Cin {
    Zero,
    One,
    Ca,
}

/// Whether a translated instruction ends the block.
#[derive(PartialEq)]
enum Flow {
    Next,
    End,
}

struct Tr<'a> {
    ops: &'a mut Asm,
    /// Live blocks (direct jumps to them are allowed) and this block's own
    /// start and entry label.
    known: &'a std::collections::HashMap<u64, super::Block>,
    code_base: usize,
    block_base: usize,
    start: u64,
    entry: DynamicLabel,
    /// Blocks this one jumps to directly.
    links: Vec<u64>,
    /// Patchable exits: (target pc, offset of the `jmp rel32`).
    exits: Vec<(u64, dynasmrt::AssemblyOffset)>,
    /// Local stubs that jump to the shared exit and dispatcher (emitted
    /// with the cold code).
    exit: DynamicLabel,
    dispatch: DynamicLabel,
    exit_addr: usize,
    dispatch_addr: usize,
    vsx: bool,
    tlb: TlbView,
    insns: &'a mut Vec<std::pin::Pin<Box<Insn>>>,
    /// Instructions retired since `JitCtx::icount` was last brought up to date.
    pending: i32,
    cold: Vec<Cold>,
    isa300: bool,
    le: bool,
    popcnt: bool,
    vec: bool,
    avx2: bool,
    ssse3: bool,
    /// Set by [`Tr::crf_set`]: the host flags hold the compare that produced
    /// CR field `.0` (signed `.1`) and CR is already up to date.
    flags: Option<(usize, bool)>,
    /// `flags` as left by the previous guest instruction (only valid while
    /// the current one has emitted nothing that changes the host flags).
    live_flags: Option<(usize, bool)>,
    /// Every label of the block (see [`Tr::rax_holds`]).
    labels: Vec<DynamicLabel>,
    /// rax holds GPR `.0` at code offset `.1` (the end of the `mov` that
    /// stored or loaded it; nothing emitted since).
    rax_gpr: Option<(usize, usize)>,
    /// Whether [`Tr::rax_holds`] may answer yes.
    reuse_rax: bool,
    /// Offsets where code relied on [`Tr::rax_holds`].
    reused_at: Vec<usize>,
    /// Per-access TLB caches: base address, capacity, next free.
    site_base: usize,
    site_cap: usize,
    site_next: usize,
    /// Host register that caches GPR n (n = 32: CTR) in this block (0:
    /// none). See [`choose_cached`].
    gcache: [u8; 33],
    /// The xmm register that caches FPR n (doubleword 0 of VSR n) in this
    /// block, write-through like `gcache` (0: none).
    xcache: [u8; 32],
}

/// Host registers that may cache guest GPRs inside a block: no emitter uses
/// them as scratch (rdi is only an argument of helper calls, after which
/// every cached register is reloaded).
const CACHE_REGS: [u8; 4] = [13, 7, 10, 11];
/// In a block without floating-point or vector instructions also r8 and r9
/// (scratch of the `fp.rs` emitters only).
const CACHE_REGS_INT: [u8; 6] = [13, 7, 10, 11, 8, 9];
/// rsi: the effective address of a guest access.
const RSI: u8 = 6;
/// The tag of an empty per-access TLB cache ([`Tr::probe`]): a probe
/// compares the address masked to its page and its low alignment bits
/// (accesses of at most 16 bytes: bits 0-3), so bit 11 is always clear there.
pub(super) const EMPTY_SITE: u64 = 0x800;

/// The cache slot of CTR ([`Tr::gcache`]; 0..31 are the GPRs).
const CTR: usize = 32;

/// Offset in `ArchState` of cache slot `n` (a GPR, or CTR).
const fn slot(n: usize) -> i32 {
    if n == CTR {
        O_CTR
    } else {
        g(n)
    }
}

/// The GPRs a block keeps in host registers ([`CACHE_REGS`]).
///
/// The cache is write-through: every write of a cached GPR goes to
/// `ArchState` *and* to its host register, so the state is exact at every
/// exit, fault and helper call and nothing is written back. The host
/// registers are loaded at the block's entry (before the budget check, so a
/// block looping to itself keeps them) and reloaded after every helper call
/// (they are caller-saved, and a helper running the interpreter may write
/// any GPR). What it saves is the load of a value from `ArchState`, above all
/// the store-to-load round trip of a loop-carried register. Chosen: the GPRs
/// read most often, a read inside a loop back to the block's start counting
/// eightfold (a superblock's tail after the loop runs once per exit); at
/// least two reads, or one in a block that loops to itself; ties to the lower
/// register number, so the choice is deterministic.
fn choose_cached(list: &[(u64, Insn)], start: u64) -> ([u8; 33], [u8; 32]) {
    use crate::isa::operand::Operand as O;
    let mut reads = [0u32; 33];
    let mut freads = [0u32; 32];
    // A loop back to the start at instruction k (the last such branch):
    // reads in the loop body (0..=k) run once per iteration, those after
    // it once per exit, so they weigh more.
    let body = list
        .iter()
        .rposition(|&(pc, i)| direct_target(pc, i) == Some(start))
        .map_or(0, |k| k + 1);
    for (k, &(_, i)) in list.iter().enumerate() {
        let w = if k < body { 8 } else { 1 };
        if let Some(d) = i.def() {
            for &op in d.operands {
                if let (O::Fra | O::Frb | O::Frc | O::Frs, Op::Fp(_)) = (op, i.op) {
                    freads[(i.get(op) & 31) as usize] += w;
                    continue;
                }
                let n = match op {
                    O::Rs | O::Ra | O::Rb | O::Rc => i.get(op) as usize,
                    O::Ra0 if i.get(op) != 0 => i.get(op) as usize,
                    _ => continue,
                };
                if n < 32 {
                    reads[n] += w;
                }
            }
        }
        // CTR: decremented by a conditional branch (BO bit 2 clear), the
        // target of bcctr, or read by mfctr.
        let spr = i.bits(11, 15) | (i.bits(16, 20) << 5);
        reads[CTR] += w * match i.op {
            Op::Branch(Branch::Bcctr | Branch::Bcctrl) => 1,
            Op::Branch(Branch::Bc | Branch::Bcl | Branch::Bca | Branch::Bcla)
            | Op::Branch(Branch::Bclr | Branch::Bclrl) => u32::from(i.bits(6, 10) & 4 == 0),
            Op::System(System::Mfspr) => u32::from(spr == 9),
            _ => 0,
        };
    }
    let min = if body > 0 { 1 } else { 2 };
    let fp = list
        .iter()
        .any(|(_, i)| matches!(i.op, Op::Fp(_) | Op::Vsx(_) | Op::Vmx(_)));
    let regs: &[u8] = if fp { &CACHE_REGS } else { &CACHE_REGS_INT };
    let mut order: Vec<usize> = (0..33).filter(|&n| reads[n] >= min).collect();
    order.sort_by_key(|&n| (std::cmp::Reverse(reads[n]), n));
    let mut cache = [0u8; 33];
    for (&n, &h) in order.iter().zip(regs) {
        cache[n] = h;
    }
    // FPRs (doubleword 0 of VSR 0-31) in xmm9-xmm15, only in blocks whose
    // every VSR write goes through `fp_write` / `fp_load` (the classic FP
    // family), which keep the copy: no VSX or VMX instruction.
    let mut xcache = [0u8; 32];
    let vector = list
        .iter()
        .any(|(_, i)| matches!(i.op, Op::Vsx(_) | Op::Vmx(_)));
    if !vector {
        let mut order: Vec<usize> = (0..32).filter(|&n| freads[n] >= min).collect();
        order.sort_by_key(|&n| (std::cmp::Reverse(freads[n]), n));
        for (&n, h) in order.iter().zip(9u8..16) {
            xcache[n] = h;
        }
    }
    (cache, xcache)
}

/// A translated block (its entry is offset 0 of the assembler): instruction
/// count, blocks it jumps to directly, exits to patch.
pub(super) struct Translated {
    /// A label points where code assumed rax still held a register
    /// ([`Tr::rax_holds`]): translate again with `reuse_rax` off.
    pub reuse_broken: bool,
    /// The first per-access TLB cache left free.
    pub sites_end: usize,
    pub n: u64,
    pub links: Vec<u64>,
    /// Exits to blocks not translated yet: (target pc, offset of a 5-byte
    /// `jmp rel32` to a dispatcher stub), patched to jump to the target
    /// once it is translated.
    pub exits: Vec<(u64, dynasmrt::AssemblyOffset)>,
}

/// Translates the block at `pc` into `ops` (empty, based at the address the
/// code will run at). Fails only if the first instruction cannot be fetched or
/// is illegal (the fault the interpreter would report for it).
pub(super) fn translate(
    ops: &mut Asm,
    cfg: &Config,
    insns: &mut Vec<std::pin::Pin<Box<Insn>>>,
    known: &std::collections::HashMap<u64, super::Block>,
    mem: &mut Memory,
    start: u64,
) -> Result<Translated, Fault> {
    let (le, level) = (cfg.le, cfg.level);
    // Decode first: nothing is emitted for a block that faults at once.
    let mut list = Vec::new();
    let mut pc = start;
    while list.len() < MAX_BLOCK {
        if !list.is_empty() && pc & PAGE_MASK == 0 {
            break;
        }
        let i = match fetch_decode(mem, pc, le, level) {
            Ok(i) => i,
            Err(f) if list.is_empty() => return Err(f),
            Err(_) => break,
        };
        list.push((pc, i));
        pc = pc.wrapping_add(i.len());
        if matches!(i.op, Op::Branch(_)) && !is_cr_op(i.op) && !continues_past(i) {
            break;
        }
    }
    let entry = ops.new_dynamic_label();
    let n = list.len() as i32;
    let budget = ops.new_dynamic_label();
    let (exit, dispatch) = (ops.new_dynamic_label(), ops.new_dynamic_label());
    let labels = vec![entry, budget, exit, dispatch];
    debug_assert_eq!(ops.offset().0, 0, "the entry is the first byte");
    // Entry: the cached GPRs are loaded, then the block runs only if all of
    // it fits in the budget (direct jumps from other blocks skip the
    // dispatcher's check). A block looping to itself jumps to the check.
    let (gcache, xcache) = choose_cached(&list, start);
    for (g_n, &h) in gcache.iter().enumerate() {
        if h != 0 {
            a!(ops; mov Rq(h), [rbx + slot(g_n)]);
        }
    }
    for (f, &h) in xcache.iter().enumerate() {
        if h != 0 {
            a!(ops; movsd Rx(h), QWORD [rbx + vsr(f, 0)]);
        }
    }
    a!(ops
        ; =>entry
        ; cmp r14, n
        ; jb =>budget
    );
    let mut t = Tr {
        ops,
        known,
        code_base: cfg.code_base,
        block_base: cfg.block_base,
        start,
        entry,
        links: Vec::new(),
        exits: Vec::new(),
        exit,
        dispatch,
        exit_addr: cfg.exit,
        dispatch_addr: cfg.dispatch,
        vsx: cfg.vsx,
        tlb: cfg.tlb,
        insns,
        pending: 0,
        cold: vec![Cold::Budget {
            label: budget,
            pc: start,
        }],
        isa300: cfg.isa300,
        le,
        popcnt: cfg.popcnt,
        vec: cfg.vec,
        avx2: cfg.avx2,
        ssse3: cfg.ssse3,
        flags: None,
        live_flags: None,
        labels,
        rax_gpr: None,
        reuse_rax: cfg.reuse_rax,
        reused_at: Vec::new(),
        gcache,
        xcache,
        site_base: cfg.site_base,
        site_cap: cfg.site_cap,
        site_next: cfg.site_next,
    };
    let mut ended = false;
    for &(pc, i) in &list {
        if t.insn(pc, i) == Flow::End {
            ended = true;
            break;
        }
    }
    if !ended {
        // Fell off the end (length limit, page end, undecodable next word).
        t.leave(pc);
    }
    t.emit_cold();
    // rax reuse is sound only where execution arrives by falling through
    // from the `mov` that set rax: no label may point there.
    let jumped_into = t.reused_at.iter().any(|&at| {
        t.labels
            .iter()
            .any(|&l| t.ops.labels().resolve_dynamic(l).is_ok_and(|o| o.0 == at))
    });
    Ok(Translated {
        sites_end: t.site_next,
        reuse_broken: jumped_into,
        n: list.len() as u64,
        links: t.links,
        exits: t.exits,
    })
}

/// The target of a relative branch (b / bc, with or without link).
fn direct_target(pc: u64, i: Insn) -> Option<u64> {
    let d = match i.op {
        Op::Branch(Branch::B | Branch::Bl) => ((i.word & 0x03ff_fffc) << 6) as i32 >> 6,
        Op::Branch(Branch::Bc | Branch::Bcl) => (i.word & 0xfffc) as u16 as i16 as i32,
        _ => return None,
    };
    Some(pc.wrapping_add(d as i64 as u64))
}

/// A conditional branch to a fixed target: the block goes on with the
/// not-taken path (a superblock; the taken side leaves through
/// [`Cold::SideExit`]), so the code after it keeps the block's cached
/// registers and skips a block entry. [`Tr::branch`] decides the same way;
/// if it ever ended the block here instead, the block would just be shorter.
fn continues_past(i: Insn) -> bool {
    use Branch::*;
    matches!(i.op, Op::Branch(Bc | Bcl | Bca | Bcla)) && i.bits(6, 10) & 0x14 != 0x14
}

fn is_cr_op(op: Op) -> bool {
    use Branch::*;
    matches!(
        op,
        Op::Branch(Crand | Cror | Crxor | Crnand | Crnor | Creqv | Crandc | Crorc | Mcrf)
    )
}

/// MASK(mb, me) (ISA bit numbering): the interpreter's own function, so the
/// two engines cannot disagree on a rotate mask.
use crate::exec::interp::fixed::mask64;

impl Tr<'_> {
    // -- bookkeeping -------------------------------------------------------

    /// Retires the pending instructions from the budget register (`lea`:
    /// the host flags survive, a fused compare-and-branch relies on it).
    fn sync_icount(&mut self) {
        if self.pending > 0 {
            let p = self.pending;
            a!(self.ops; lea r14, [r14 - p]);
            self.pending = 0;
        }
    }

    fn set_pc(&mut self, pc: u64) {
        self.mov_imm(0, pc as i64);
        a!(self.ops
            ; mov [rbx + O_PC], rax
        );
    }

    /// Leaves the block, continuing at `next` (through the dispatcher).
    fn leave(&mut self, next: u64) {
        self.sync_icount();
        // A direct jump (the target checks the budget itself).
        if next == self.start {
            let l = self.entry;
            a!(self.ops; jmp =>l);
            return;
        }
        match self.known.get(&next) {
            Some(b) => {
                self.links.push(next);
                self.jmp_abs(self.code_base + b.off);
            }
            None => {
                // A patchable `jmp rel32` to a dispatcher stub.
                let stub = self.label();
                let site = self.ops.offset();
                a!(self.ops; jmp =>stub);
                debug_assert_eq!(self.ops.offset().0, site.0 + 5);
                self.exits.push((next, site));
                self.cold.push(Cold::Exit { label: stub, next });
            }
        }
    }

    /// The dispatcher of [`super::Code`], inlined at a block exit (rax = next
    /// pc, already in `state.pc`; icount up to date): each exit gets its own
    /// indirect jump, which the host predicts per site.
    fn dispatch_inline(&mut self) {
        let miss = self.label();
        a!(self.ops
            ; mov rcx, rax
            ; shr rcx, 2
            ; and ecx, (super::FAST_SIZE - 1) as i32
            ; shl rcx, 5
            ; add rcx, [r12 + super::J_FAST]
            ; cmp [rcx], rax
            ; jne =>miss
            ; cmp [rcx + 16], r14
            ; ja =>miss
            ; jmp QWORD [rcx + 8]
            ; =>miss
        );
        let d = self.dispatch;
        a!(self.ops; jmp =>d);
    }

    /// `jmp rel32` to host address `addr` (outside this block: dynasm has no
    /// absolute targets on x64; all code lives in one mapping < 2 GiB).
    fn jmp_abs(&mut self, addr: usize) {
        let next = self.block_base + self.ops.offset().0 + 5;
        self.ops.push(0xe9);
        self.ops.push_i32((addr as i64 - next as i64) as i32);
    }

    /// The instruction retired natively.
    fn retired(&mut self) {
        self.pending += 1;
    }

    /// Calls helper `f`; CR is reloaded into r15d afterwards (a helper that
    /// runs the interpreter may have written it).
    fn call(&mut self, f: usize) {
        a!(self.ops
            ; mov rax, QWORD f as i64
            ; call rax
            ; mov r15d, [rbx + O_CR]
        );
        self.reload_cached();
    }

    /// Loads every cached GPR and FPR from `ArchState` into its host
    /// register.
    fn reload_cached(&mut self) {
        for n in 0..self.gcache.len() {
            let h = self.gcache[n];
            if h != 0 {
                a!(self.ops; mov Rq(h), [rbx + slot(n)]);
            }
        }
        for n in 0..self.xcache.len() {
            let h = self.xcache[n];
            if h != 0 {
                a!(self.ops; movsd Rx(h), QWORD [rbx + vsr(n, 0)]);
            }
        }
    }

    /// xmm register `x` = FPR `n` (doubleword 0 of VSR n; the upper half
    /// zero, as `movsd` from memory leaves it).
    pub(super) fn ld_fpr(&mut self, x: u8, n: usize) {
        match self.xcache.get(n).copied().filter(|&h| h != 0) {
            Some(h) => a!(self.ops; movq Rx(x), Rx(h)),
            None => a!(self.ops; movsd Rx(x), QWORD [rbx + vsr(n, 0)]),
        }
    }

    /// After doubleword 0 of VSR `n` was written from rax: its cached copy.
    pub(super) fn fpr_written_rax(&mut self, n: usize) {
        if let Some(h) = self.xcache.get(n).copied().filter(|&h| h != 0) {
            a!(self.ops; movq Rx(h), rax);
        }
    }

    fn emit_cold(&mut self) {
        let exit = self.exit;
        let d = self.dispatch;
        a!(self.ops; =>exit);
        self.jmp_abs(self.exit_addr);
        a!(self.ops; =>d);
        self.jmp_abs(self.dispatch_addr);
        // A side exit adds the dispatcher stub of its own exit: repeat until
        // nothing new was queued.
        while !self.cold.is_empty() {
            for c in std::mem::take(&mut self.cold) {
                self.emit_one_cold(c);
            }
        }
    }

    fn emit_one_cold(&mut self, c: Cold) {
        let exit = self.exit;
        {
            match c {
                Cold::Fault { label, pending, pc } => {
                    a!(self.ops; =>label);
                    if pending > 0 {
                        a!(self.ops; sub r14, pending);
                    }
                    self.set_pc(pc);
                    a!(self.ops
                        ; mov eax, ST_FAULT as i32
                        ; jmp =>exit
                    );
                }
                Cold::Exit { label, next } => {
                    a!(self.ops; =>label);
                    self.set_pc(next);
                    self.dispatch_inline();
                }
                Cold::Budget { label, pc } => {
                    a!(self.ops; =>label);
                    self.set_pc(pc);
                    a!(self.ops
                        ; xor eax, eax
                        ; jmp =>exit
                    );
                }
                Cold::Smc {
                    label,
                    pending,
                    next,
                    update_ra,
                } => {
                    a!(self.ops; =>label);
                    if let Some(ra) = update_ra {
                        a!(self.ops; mov [rbx + g(ra)], rsi);
                    }
                    a!(self.ops; sub r14, pending);
                    self.set_pc(next);
                    a!(self.ops
                        ; mov eax, ST_LEAVE as i32
                        ; jmp =>exit
                    );
                }
                Cold::Access {
                    slow,
                    done,
                    helper,
                    fault,
                    store,
                } => {
                    // rsi (the effective address) survives the call: the
                    // update forms write it to RA after the access.
                    a!(self.ops
                        ; =>slow
                        ; push rsi
                        ; push rsi
                        ; mov rdi, r12
                    );
                    match store {
                        None => {
                            self.call(helper);
                            a!(self.ops
                                ; pop rsi
                                ; pop rsi
                                ; test rdx, rdx
                                ; jnz =>fault
                            );
                        }
                        Some(st) => {
                            let smc = match st {
                                StoreArg::Value { smc, val } => {
                                    if val != 2 {
                                        a!(self.ops; mov rdx, Rq(val));
                                    }
                                    smc
                                }
                                StoreArg::Vsr { x, smc } => {
                                    a!(self.ops; mov edx, x as i32);
                                    smc
                                }
                            };
                            self.call(helper);
                            a!(self.ops
                                ; pop rsi
                                ; pop rsi
                                ; cmp eax, 1
                                ; je =>smc
                                ; ja =>fault
                            );
                        }
                    }
                    a!(self.ops; jmp =>done);
                }
                Cold::SideExit { label, target } => {
                    a!(self.ops; =>label);
                    self.leave(target);
                }
                Cold::SiteMiss {
                    label,
                    back,
                    slow,
                    tlb,
                    n,
                    site,
                } => {
                    a!(self.ops; =>label);
                    self.tlb_probe(tlb, n, slow);
                    a!(self.ops
                        ; mov rax, rsi
                        ; and rax, -4096
                    );
                    self.rip_op(0x89, 0, site);
                    self.rip_op(0x89, 1, site + 8);
                    a!(self.ops; jmp =>back);
                }
                Cold::SoBit { label, back, bit } => {
                    a!(self.ops
                        ; =>label
                        ; or edx, bit as i32
                        ; jmp =>back
                    );
                }
                Cold::QuadLoad {
                    slow,
                    done,
                    helper,
                    fault,
                    x,
                } => {
                    a!(self.ops
                        ; =>slow
                        ; mov rdi, r12
                        ; mov edx, x as i32
                    );
                    self.call(helper);
                    a!(self.ops
                        ; test rax, rax
                        ; jnz =>fault
                        ; jmp =>done
                    );
                }
            }
        }
    }

    /// One instruction: native if possible, else the interpreter.
    fn insn(&mut self, pc: u64, i: Insn) -> Flow {
        self.live_flags = self.flags.take();
        if let Some(f) = self.native(pc, i) {
            return f;
        }
        self.fallback(pc, i);
        if matches!(i.op, Op::Branch(_)) && !is_cr_op(i.op) {
            self.leave(pc.wrapping_add(i.len()));
            return Flow::End;
        }
        Flow::Next
    }

    fn fallback(&mut self, pc: u64, i: Insn) {
        self.sync_icount();
        // Pinned: translated code embeds the address.
        let b = Box::pin(i);
        let p = &*b as *const Insn as i64;
        self.insns.push(b);
        let exit = self.exit;
        // The helper sees (and advances) the exact count in the context.
        a!(self.ops
            ; mov rax, [r12 + super::J_LIMIT]
            ; sub rax, r14
            ; mov [r12 + J_ICOUNT], rax
            ; mov rdi, r12
            ; mov rsi, QWORD p
            ; mov rdx, QWORD pc as i64
        );
        self.call(h_fallback as *const () as usize);
        a!(self.ops
            ; mov r14, [r12 + super::J_LIMIT]
            ; sub r14, [r12 + J_ICOUNT]
            ; test eax, eax
            ; jnz =>exit
        );
    }

    /// The interpreter for `i` from a slow path inside a native instruction
    /// that the fast path counts itself (with [`Tr::retired`] after this):
    /// the context's count is made exact for the call (`pending`
    /// instructions retired before `i` in this block); a nonzero status
    /// leaves the block, otherwise the budget register is left as it was
    /// (the fast path's count still includes `i`). Clobbers caller-saved
    /// registers.
    pub(super) fn interp_slow(&mut self, pc: u64, i: Insn, pending: i32) {
        let b = Box::pin(i);
        let p = &*b as *const Insn as i64;
        self.insns.push(b);
        let exit = self.exit;
        let ok = self.label();
        a!(self.ops
            ; mov rax, [r12 + super::J_LIMIT]
            ; sub rax, r14
            ; add rax, pending
            ; mov [r12 + J_ICOUNT], rax
            ; mov rdi, r12
            ; mov rsi, QWORD p
            ; mov rdx, QWORD pc as i64
        );
        self.call(h_fallback as *const () as usize);
        a!(self.ops
            ; test eax, eax
            ; jz =>ok
            ; mov r14, [r12 + super::J_LIMIT]
            ; sub r14, [r12 + J_ICOUNT]
            ; jmp =>exit
            ; =>ok
        );
    }

    // -- operand helpers ------------------------------------------------------

    /// The host register caching GPR n, if any ([`choose_cached`]).
    fn hreg(&self, n: usize) -> Option<u8> {
        let h = self.gcache[n];
        (h != 0).then_some(h)
    }

    /// rax = GPR n.
    fn ld_rax(&mut self, n: usize) {
        if !self.rax_holds(n) {
            self.ld(0, n);
            self.rax_gpr = Some((n, self.ops.offset().0));
        }
    }

    /// GPR n = rax.
    fn st_rax(&mut self, n: usize) {
        self.st_reg(n, 0);
        self.rax_gpr = Some((n, self.ops.offset().0));
    }

    /// Host register `r` = `v`, in the shortest encoding (all leave the
    /// flags alone): 32-bit zero-extending, 32-bit sign-extending, or 64-bit.
    fn mov_imm(&mut self, r: u8, v: i64) {
        if let Ok(u) = u32::try_from(v) {
            a!(self.ops; mov Rd(r), u as i32);
        } else if let Ok(w) = i32::try_from(v) {
            a!(self.ops; mov Rq(r), w);
        } else {
            a!(self.ops; mov Rq(r), QWORD v);
        }
    }

    /// Host register `r` (64 bits) = GPR n.
    fn ld(&mut self, r: u8, n: usize) {
        match self.hreg(n) {
            Some(h) => a!(self.ops; mov Rq(r), Rq(h)),
            None => a!(self.ops; mov Rq(r), [rbx + slot(n)]),
        }
    }

    /// Host register `r` (32 bits, zero-extended) = low word of GPR n.
    fn ld32(&mut self, r: u8, n: usize) {
        match self.hreg(n) {
            Some(h) => a!(self.ops; mov Rd(r), Rd(h)),
            None => a!(self.ops; mov Rd(r), [rbx + slot(n)]),
        }
    }

    /// Host register `r` (64 bits) = low word of GPR n, sign-extended.
    fn ld_sx32(&mut self, r: u8, n: usize) {
        match self.hreg(n) {
            Some(h) => a!(self.ops; movsxd Rq(r), Rd(h)),
            None => a!(self.ops; movsxd Rq(r), DWORD [rbx + slot(n)]),
        }
    }

    /// GPR n = host register `r` (write-through to its cache register).
    fn st_reg(&mut self, n: usize, r: u8) {
        a!(self.ops; mov [rbx + slot(n)], Rq(r));
        if let Some(h) = self.hreg(n) {
            a!(self.ops; mov Rq(h), Rq(r));
        }
    }

    /// `op` on host register `r` and GPR n (64 bits, or the low words).
    fn alu(&mut self, op: Alu, r: u8, n: usize, wide: bool) {
        match (self.hreg(n), wide) {
            (Some(h), true) => match op {
                Alu::Add => a!(self.ops; add Rq(r), Rq(h)),
                Alu::And => a!(self.ops; and Rq(r), Rq(h)),
                Alu::Or => a!(self.ops; or Rq(r), Rq(h)),
                Alu::Xor => a!(self.ops; xor Rq(r), Rq(h)),
                Alu::Cmp => a!(self.ops; cmp Rq(r), Rq(h)),
                Alu::Imul => a!(self.ops; imul Rq(r), Rq(h)),
            },
            (Some(h), false) => match op {
                Alu::Add => a!(self.ops; add Rd(r), Rd(h)),
                Alu::And => a!(self.ops; and Rd(r), Rd(h)),
                Alu::Or => a!(self.ops; or Rd(r), Rd(h)),
                Alu::Xor => a!(self.ops; xor Rd(r), Rd(h)),
                Alu::Cmp => a!(self.ops; cmp Rd(r), Rd(h)),
                Alu::Imul => a!(self.ops; imul Rd(r), Rd(h)),
            },
            (None, true) => match op {
                Alu::Add => a!(self.ops; add Rq(r), [rbx + slot(n)]),
                Alu::And => a!(self.ops; and Rq(r), [rbx + slot(n)]),
                Alu::Or => a!(self.ops; or Rq(r), [rbx + slot(n)]),
                Alu::Xor => a!(self.ops; xor Rq(r), [rbx + slot(n)]),
                Alu::Cmp => a!(self.ops; cmp Rq(r), [rbx + slot(n)]),
                Alu::Imul => a!(self.ops; imul Rq(r), [rbx + slot(n)]),
            },
            (None, false) => match op {
                Alu::Add => a!(self.ops; add Rd(r), [rbx + slot(n)]),
                Alu::And => a!(self.ops; and Rd(r), [rbx + slot(n)]),
                Alu::Or => a!(self.ops; or Rd(r), [rbx + slot(n)]),
                Alu::Xor => a!(self.ops; xor Rd(r), [rbx + slot(n)]),
                Alu::Cmp => a!(self.ops; cmp Rd(r), [rbx + slot(n)]),
                Alu::Imul => a!(self.ops; imul Rd(r), [rbx + slot(n)]),
            },
        }
    }

    /// Whether rax holds GPR `n` here: the last thing emitted loaded or
    /// stored it from/to rax. A value computed by one guest instruction is
    /// then used by the next without a store-to-load round trip through
    /// `ArchState` (the store still happens: state stays exact). The offset
    /// is recorded; [`translate`] rejects the translation if any label
    /// points there (execution could arrive with another rax).
    fn rax_holds(&mut self, n: usize) -> bool {
        let off = self.ops.offset().0;
        if self.reuse_rax && self.rax_gpr == Some((n, off)) {
            self.reused_at.push(off);
            true
        } else {
            false
        }
    }

    /// A new label of this block (every label is recorded, see
    /// [`Tr::rax_holds`]).
    pub(super) fn label(&mut self) -> DynamicLabel {
        let l = self.ops.new_dynamic_label();
        self.labels.push(l);
        l
    }

    /// CR field `bf` from the flags of a preceding `cmp` (signed or unsigned),
    /// SO from XER. Clobbers rax, rcx, rdx. (Integer compares use the
    /// cheaper [`Tr::crf_prep`] / [`Tr::crf_set`] pair, which keeps the
    /// flags for a following branch.)
    #[allow(dead_code)]
    pub(super) fn crf_from_flags(&mut self, bf: usize, signed: bool) {
        // EQ by default, LT/GT by conditional moves (mov does not touch the
        // flags), then SO from XER.
        a!(self.ops
            ; mov eax, 2
            ; mov ecx, 8
            ; mov edx, 4
        );
        if signed {
            a!(self.ops
                ; cmovl eax, ecx
                ; cmovg eax, edx
            );
        } else {
            a!(self.ops
                ; cmovb eax, ecx
                ; cmova eax, edx
            );
        }
        a!(self.ops; or al, [rbx + O_SO]);
        self.crf_store_eax(bf);
    }

    /// CR field `bf` ← the low nibble of eax (the rest of eax zero).
    /// Clobbers eax, ecx.
    pub(super) fn crf_store_eax(&mut self, bf: usize) {
        let sh = (28 - 4 * bf) as i8;
        let keep = !(0xfu32 << sh) as i32;
        if sh != 0 {
            a!(self.ops; shl eax, sh);
        }
        a!(self.ops
            ; mov ecx, r15d
            ; and ecx, keep
            ; or ecx, eax
            ; mov [rbx + O_CR], ecx ; mov r15d, ecx
        );
    }

    /// First half of a compare into CR field `bf`: edx = CR with the field
    /// cleared and XER[SO] in its SO bit. Clobbers rcx, rdx; emit the
    /// compare next, then [`Tr::crf_set`].
    fn crf_prep(&mut self, bf: usize) {
        let sh = 28 - 4 * bf as u32;
        let keep = !(0xfu32 << sh) as i32;
        // XER[SO] is almost always clear: merging it is out of line.
        let (so, back) = (self.label(), self.label());
        a!(self.ops
            ; mov edx, r15d
            ; and edx, keep
            ; cmp BYTE [rbx + O_SO], 0
            ; jne =>so
            ; =>back
        );
        self.cold.push(Cold::SoBit {
            label: so,
            back,
            bit: 1 << sh,
        });
    }

    /// Second half: CR field `bf` from the flags of the compare (signed or
    /// unsigned) using only instructions that leave the flags alone, so a
    /// conditional branch right after can still test them (see
    /// [`Tr::flags`]). Clobbers rax, rcx.
    fn crf_set(&mut self, bf: usize, signed: bool) {
        let sh = 28 - 4 * bf as u32;
        let (lt, gt, eq) = (
            (8u32 << sh) as i32,
            (4u32 << sh) as i32,
            (2u32 << sh) as i32,
        );
        a!(self.ops
            ; lea eax, [rdx + eq]
            ; lea ecx, [rdx + lt]
        );
        if signed {
            a!(self.ops; cmovl eax, ecx);
        } else {
            a!(self.ops; cmovb eax, ecx);
        }
        a!(self.ops; lea ecx, [rdx + gt]);
        if signed {
            a!(self.ops; cmovg eax, ecx);
        } else {
            a!(self.ops; cmova eax, ecx);
        }
        a!(self.ops; mov [rbx + O_CR], eax ; mov r15d, eax);
        self.flags = Some((bf, signed));
    }

    /// CR0 from the 64-bit value in rax (clobbers rax, rcx, rdx).
    fn cr0_rax(&mut self) {
        self.crf_prep(0);
        a!(self.ops; test rax, rax);
        self.crf_set(0, true);
    }

    /// Jumps to `to` when CR bit `bi` equals `set`, from the live host flags
    /// if the previous instruction was a compare into that field (returns
    /// false, nothing emitted, if not).
    fn jcc_from_flags(&mut self, bi: u32, set: bool, to: DynamicLabel) -> bool {
        let Some((bf, signed)) = self.live_flags else {
            return false;
        };
        if bi as usize / 4 != bf || bi % 4 == 3 {
            return false;
        }
        match (bi % 4, set, signed) {
            (0, true, true) => a!(self.ops; jl =>to),
            (0, false, true) => a!(self.ops; jge =>to),
            (0, true, false) => a!(self.ops; jb =>to),
            (0, false, false) => a!(self.ops; jae =>to),
            (1, true, true) => a!(self.ops; jg =>to),
            (1, false, true) => a!(self.ops; jle =>to),
            (1, true, false) => a!(self.ops; ja =>to),
            (1, false, false) => a!(self.ops; jbe =>to),
            (_, true, _) => a!(self.ops; je =>to),
            (_, false, _) => a!(self.ops; jne =>to),
        }
        true
    }

    /// RA = rax; CR0 if Rc.
    fn write_ra_rc(&mut self, i: Insn) {
        self.st_rax(i.ra());
        if i.rc() {
            self.cr0_rax();
        }
    }

    /// rax &= m (clobbers rcx).
    fn and_mask(&mut self, m: u64) {
        if m == u64::MAX {
        } else if m == 0xffff_ffff {
            a!(self.ops; mov eax, eax);
        } else if (m as i64) >= i32::MIN as i64 && (m as i64) <= i32::MAX as i64 {
            a!(self.ops; and rax, (m as i64) as i32);
        } else {
            a!(self.ops
                ; mov rcx, QWORD m as i64
                ; and rax, rcx
            );
        }
    }

    /// XER OV/OV32/SO from the byte in `sil` (ov64) and `cl` (ov32).
    fn write_ov(&mut self) {
        a!(self.ops
            ; mov [rbx + O_OV], sil
            ; or [rbx + O_SO], sil
        );
        if self.isa300 {
            a!(self.ops; mov [rbx + O_OV32], cl);
        }
    }

    /// XER CA (and CA32 from ISA 3.0) from the byte in sil.
    fn write_ca_sil(&mut self) {
        a!(self.ops; mov [rbx + O_CA], sil);
        if self.isa300 {
            a!(self.ops; mov [rbx + O_CA32], sil);
        }
    }

    // -- native translations -------------------------------------------------

    /// Emits `i` natively and returns how control continues, or `None` (nothing
    /// emitted) when it has no native translation.
    fn native(&mut self, pc: u64, i: Insn) -> Option<Flow> {
        match i.op {
            Op::Fixed(o) => self.fixed(o, i).then_some(Flow::Next),
            Op::Branch(o) => self.branch(pc, o, i),
            Op::LoadStore(o) => self.load_store(pc, o, i).then_some(Flow::Next),
            Op::System(o) => self.system(o, i).then_some(Flow::Next),
            Op::Vsx(o) if self.vsx => self.vsx(pc, o, i).then_some(Flow::Next),
            Op::Vmx(o) if self.vec => self.vmx(pc, o, i).then_some(Flow::Next),
            Op::Fp(o) => self.fp(pc, o, i).then_some(Flow::Next),
            _ => None,
        }
    }

    /// The add family (`add3` in the interpreter): RT = x + y + cin with CA,
    /// CA32, OV, OV32 and CR0 as requested.
    #[allow(clippy::too_many_arguments)]
    fn add_xo(
        &mut self,
        rt: usize,
        ra: usize,
        not_x: bool,
        y: Y,
        cin: Cin,
        carry: bool,
        oe: bool,
        rc: bool,
    ) {
        if !carry && !oe && !not_x && cin == Cin::Zero {
            // Plain add: no XER output, nothing to keep for the flags.
            if let Y::Reg(n) = y {
                if n != ra && self.rax_holds(n) {
                    // Commuted: the second operand is still in rax.
                    self.alu(Alu::Add, 0, ra, true);
                    self.st_rax(rt);
                    if rc {
                        self.cr0_rax();
                    }
                    return;
                }
            }
            self.ld_rax(ra);
            match y {
                Y::Reg(n) => self.alu(Alu::Add, 0, n, true),
                Y::Zero => {}
                Y::Ones => a!(self.ops; sub rax, 1),
                Y::Imm(v) => a!(self.ops; add rax, v as i32),
            }
            self.st_rax(rt);
            if rc {
                self.cr0_rax();
            }
            return;
        }
        self.ld_rax(ra);
        if not_x {
            a!(self.ops; not rax);
        }
        match y {
            Y::Reg(n) => self.ld(2, n),
            Y::Zero => a!(self.ops; xor edx, edx),
            Y::Ones => a!(self.ops; mov rdx, -1),
            Y::Imm(v) => self.mov_imm(2, v),
        }
        // CA32 first (from the old CA and the low words of x and y), then
        // x is kept in rsi for OV; y stays in rdx.
        if carry && self.isa300 {
            a!(self.ops
                ; mov ecx, eax
                ; mov esi, edx
                ; add rcx, rsi
            );
            match cin {
                Cin::Zero => {}
                Cin::One => a!(self.ops; add rcx, 1),
                Cin::Ca => a!(self.ops
                    ; movzx esi, BYTE [rbx + O_CA]
                    ; add rcx, rsi
                ),
            }
            a!(self.ops
                ; shr rcx, 32
                ; mov [rbx + O_CA32], cl
            );
        }
        a!(self.ops; mov rsi, rax);
        match cin {
            Cin::Zero => a!(self.ops; add rax, rdx),
            Cin::One => a!(self.ops; stc; adc rax, rdx),
            Cin::Ca => a!(self.ops
                ; movzx ecx, BYTE [rbx + O_CA]
                ; bt ecx, 0
                ; adc rax, rdx
            ),
        }
        if carry {
            a!(self.ops; setc BYTE [rbx + O_CA]);
        }
        if oe {
            a!(self.ops
                ; mov rcx, rsi
                ; xor rcx, rax
                ; mov rsi, rdx
                ; xor rsi, rax
                ; and rcx, rsi
                ; mov rsi, rcx
                ; shr rsi, 63
                ; shr rcx, 31
                ; and ecx, 1
            );
        }
        self.st_rax(rt);
        if oe {
            self.write_ov();
        }
        if rc {
            self.cr0_rax();
        }
    }

    /// RT = rax, OV = OV32 = sil (if OE), CR0 (if Rc): `finish_xo` with equal
    /// 64/32-bit overflow.
    fn finish_xo_same(&mut self, i: Insn) {
        self.st_rax(i.rt());
        if i.oe() {
            a!(self.ops; mov ecx, esi);
            self.write_ov();
        }
        if i.rc() {
            self.cr0_rax();
        }
    }

    fn fixed(&mut self, o: Fixed, i: Insn) -> bool {
        use Fixed::*;
        let (rt, ra, rb) = (i.rt(), i.ra(), i.rb());
        let (oe, rc) = (i.oe(), i.rc());
        match o {
            Addi | Addis => {
                let imm = if o == Addi { i.si() } else { i.si() << 16 };
                if ra == 0 {
                    self.mov_imm(0, imm);
                } else {
                    self.ld_rax(ra);
                    a!(self.ops; add rax, imm as i32);
                }
                self.st_rax(rt);
            }
            Add => self.add_xo(rt, ra, false, Y::Reg(rb), Cin::Zero, false, oe, rc),
            Addc => self.add_xo(rt, ra, false, Y::Reg(rb), Cin::Zero, true, oe, rc),
            Adde => self.add_xo(rt, ra, false, Y::Reg(rb), Cin::Ca, true, oe, rc),
            Addme => self.add_xo(rt, ra, false, Y::Ones, Cin::Ca, true, oe, rc),
            Addze => self.add_xo(rt, ra, false, Y::Zero, Cin::Ca, true, oe, rc),
            Subf => self.add_xo(rt, ra, true, Y::Reg(rb), Cin::One, false, oe, rc),
            Subfc => self.add_xo(rt, ra, true, Y::Reg(rb), Cin::One, true, oe, rc),
            Subfe => self.add_xo(rt, ra, true, Y::Reg(rb), Cin::Ca, true, oe, rc),
            Subfme => self.add_xo(rt, ra, true, Y::Ones, Cin::Ca, true, oe, rc),
            Subfze => self.add_xo(rt, ra, true, Y::Zero, Cin::Ca, true, oe, rc),
            Neg => self.add_xo(rt, ra, true, Y::Zero, Cin::One, false, oe, rc),
            Addic => self.add_xo(rt, ra, false, Y::Imm(i.si()), Cin::Zero, true, false, false),
            AddicRc => self.add_xo(rt, ra, false, Y::Imm(i.si()), Cin::Zero, true, false, true),
            Subfic => self.add_xo(rt, ra, true, Y::Imm(i.si()), Cin::One, true, false, false),
            Mulli => {
                self.ld_rax(ra);
                let imm = i.si() as i32;
                a!(self.ops; imul rax, rax, imm);
                self.st_rax(rt);
            }
            Mullw => {
                self.ld_sx32(0, ra);
                self.ld_sx32(1, rb);
                a!(self.ops
                    ; imul rax, rcx
                    ; movsxd rdx, eax
                    ; cmp rdx, rax
                    ; setne sil
                );
                self.finish_xo_same(i);
            }
            Mulld => {
                self.ld_rax(ra);
                self.alu(Alu::Imul, 0, rb, true);
                a!(self.ops
                    ; seto sil
                );
                self.finish_xo_same(i);
            }
            Mulhd | Mulhdu => {
                self.ld_rax(ra);
                if o == Mulhd {
                    a!(self.ops; imul QWORD [rbx + g(rb)]);
                } else {
                    a!(self.ops; mul QWORD [rbx + g(rb)]);
                }
                a!(self.ops
                    ; mov rax, rdx
                    ; xor esi, esi
                );
                self.finish_xo_same(i);
            }
            Mulhw | Mulhwu => {
                if o == Mulhw {
                    self.ld_sx32(0, ra);
                    self.ld_sx32(1, rb);
                } else {
                    self.ld32(0, ra);
                    self.ld32(1, rb);
                }
                a!(self.ops
                    ; imul rax, rcx
                    ; shr rax, 32
                    ; xor esi, esi
                );
                self.finish_xo_same(i);
            }
            Divd | Divdu | Divw | Divwu => {
                // The undefined cases (divide by zero, MIN / -1) give the
                // dividend and OV (interp `divd` & co., after QEMU).
                let undef = self.label();
                let done = self.label();
                let wide = matches!(o, Divd | Divdu);
                if wide {
                    self.ld(0, ra);
                    self.ld(1, rb);
                    a!(self.ops
                        ; test rcx, rcx
                    );
                } else {
                    self.ld32(0, ra);
                    self.ld32(1, rb);
                    a!(self.ops
                        ; test ecx, ecx
                    );
                }
                a!(self.ops; jz =>undef);
                match o {
                    Divd => a!(self.ops
                        ; cmp rcx, -1
                        ; jne >go
                        ; mov rdx, QWORD i64::MIN
                        ; cmp rax, rdx
                        ; je =>undef
                        ; go:
                        ; cqo
                        ; idiv rcx
                    ),
                    Divw => a!(self.ops
                        ; cmp ecx, -1
                        ; jne >go
                        ; cmp eax, i32::MIN
                        ; je =>undef
                        ; go:
                        ; cdq
                        ; idiv ecx
                    ),
                    Divdu => a!(self.ops
                        ; xor edx, edx
                        ; div rcx
                    ),
                    _ => a!(self.ops
                        ; xor edx, edx
                        ; div ecx
                    ),
                }
                a!(self.ops
                    ; xor esi, esi
                    ; jmp =>done
                    ; =>undef
                    ; mov esi, 1
                    ; =>done
                );
                self.finish_xo_same(i);
            }
            Modud | Modsd | Moduw | Modsw => {
                // checked_rem: 0 for a zero divisor; x % -1 = 0 (and x86
                // idiv would trap on MIN % -1).
                let zero = self.label();
                let done = self.label();
                let wide = matches!(o, Modud | Modsd);
                if wide {
                    self.ld(0, ra);
                    self.ld(1, rb);
                    a!(self.ops
                        ; test rcx, rcx
                        ; jz =>zero
                    );
                } else {
                    self.ld32(0, ra);
                    self.ld32(1, rb);
                    a!(self.ops
                        ; test ecx, ecx
                        ; jz =>zero
                    );
                }
                match o {
                    Modud => a!(self.ops
                        ; xor edx, edx
                        ; div rcx
                        ; mov rax, rdx
                    ),
                    Moduw => a!(self.ops
                        ; xor edx, edx
                        ; div ecx
                        ; mov eax, edx
                    ),
                    Modsd => a!(self.ops
                        ; cmp rcx, -1
                        ; je =>zero
                        ; cqo
                        ; idiv rcx
                        ; mov rax, rdx
                    ),
                    _ => a!(self.ops
                        ; cmp ecx, -1
                        ; je =>zero
                        ; cdq
                        ; idiv ecx
                        ; movsxd rax, edx
                    ),
                }
                a!(self.ops
                    ; jmp =>done
                    ; =>zero
                    ; xor eax, eax
                    ; =>done
                );
                self.st_rax(rt);
            }
            Maddld => {
                let rc_reg = i.rc_field();
                self.ld_rax(ra);
                self.alu(Alu::Imul, 0, rb, true);
                self.alu(Alu::Add, 0, rc_reg, true);
                self.st_rax(rt);
            }
            Cmp | Cmpl | Cmpi | Cmpli => {
                let bf = i.bits(6, 8) as usize;
                let l = i.bits(10, 10) != 0;
                let signed = matches!(o, Cmp | Cmpi);
                // RA first (it is often the previous instruction's result,
                // still in rax); crf_prep leaves rax alone.
                self.ld_rax(ra);
                self.crf_prep(bf);
                match (o, l) {
                    (Cmp | Cmpl, true) => self.alu(Alu::Cmp, 0, rb, true),
                    (Cmp | Cmpl, false) => self.alu(Alu::Cmp, 0, rb, false),
                    (_, true) => {
                        let imm = if o == Cmpi {
                            i.si() as i32
                        } else {
                            i.ui() as i32
                        };
                        a!(self.ops; cmp rax, imm);
                    }
                    (_, false) => {
                        let imm = if o == Cmpi {
                            i.si() as i32
                        } else {
                            i.ui() as i32
                        };
                        a!(self.ops; cmp eax, imm);
                    }
                }
                self.crf_set(bf, signed);
            }
            And | Or | Xor | Nand | Nor | Eqv | Andc | Orc => {
                let rs = i.rs();
                if o == Or && rs == ra && rs == rb && !rc {
                    // The priority hint (`or rx,rx,rx`): interpreter.
                    return false;
                }
                // and/or/xor commute: take whichever operand rax still
                // holds.
                let commuted = rs != rb
                    && matches!(o, And | Nand | Or | Nor | Xor | Eqv)
                    && self.rax_holds(rb);
                let other = if commuted { rs } else { rb };
                if !commuted {
                    self.ld_rax(rs);
                }
                match o {
                    // `mr` (or RA,RS,RS) and its and-twin: RS itself.
                    And | Nand | Or | Nor if rs == rb => {}
                    And | Nand => self.alu(Alu::And, 0, other, true),
                    Or | Nor => self.alu(Alu::Or, 0, other, true),
                    Xor | Eqv => self.alu(Alu::Xor, 0, other, true),
                    _ => a!(self.ops
                        ; mov rcx, [rbx + g(rb)]
                        ; not rcx
                    ),
                }
                match o {
                    Nand | Nor | Eqv => a!(self.ops; not rax),
                    Andc => a!(self.ops; and rax, rcx),
                    Orc => a!(self.ops; or rax, rcx),
                    _ => {}
                }
                self.write_ra_rc(i);
            }
            AndiRc | AndisRc | Ori | Oris | Xori | Xoris => {
                let ui = i.ui() as u32;
                let imm = match o {
                    AndisRc | Oris | Xoris => ui << 16,
                    _ => ui,
                };
                if imm == 0 && !matches!(o, AndiRc | AndisRc) {
                    // `nop` (ori 0,0,0) and register copies: no operation.
                    if ra != i.rs() {
                        self.ld_rax(i.rs());
                        self.st_rax(ra);
                    }
                    // Moves only: a compare's flags stay live for a branch.
                    self.flags = self.live_flags;
                    self.retired();
                    return true;
                }
                self.ld_rax(i.rs());
                if imm < 0x8000_0000 {
                    // Sign-extending the immediate changes nothing.
                    let v = imm as i32;
                    match o {
                        AndiRc | AndisRc => a!(self.ops; and rax, v),
                        Ori | Oris => a!(self.ops; or rax, v),
                        _ => a!(self.ops; xor rax, v),
                    }
                } else {
                    a!(self.ops; mov ecx, imm as i32);
                    match o {
                        AndiRc | AndisRc => a!(self.ops; and rax, rcx),
                        Ori | Oris => a!(self.ops; or rax, rcx),
                        _ => a!(self.ops; xor rax, rcx),
                    }
                }
                self.st_rax(ra);
                if matches!(o, AndiRc | AndisRc) {
                    self.cr0_rax();
                }
            }
            Extsb | Extsh | Extsw => {
                let rs = i.rs();
                match o {
                    Extsb => a!(self.ops; movsx rax, BYTE [rbx + g(rs)]),
                    Extsh => a!(self.ops; movsx rax, WORD [rbx + g(rs)]),
                    _ => self.ld_sx32(0, rs),
                }
                self.write_ra_rc(i);
            }
            Cntlzw | Cntlzd | Cnttzw | Cnttzd => {
                let rs = i.rs();
                match o {
                    Cntlzd => a!(self.ops
                        ; mov ecx, 127
                        ; bsr rax, [rbx + g(rs)]
                        ; cmovz rax, rcx
                        ; xor eax, 63
                    ),
                    Cntlzw => a!(self.ops
                        ; mov ecx, 63
                        ; bsr eax, [rbx + g(rs)]
                        ; cmovz eax, ecx
                        ; xor eax, 31
                    ),
                    Cnttzd => a!(self.ops
                        ; mov ecx, 64
                        ; bsf rax, [rbx + g(rs)]
                        ; cmovz rax, rcx
                    ),
                    _ => a!(self.ops
                        ; mov ecx, 32
                        ; bsf eax, [rbx + g(rs)]
                        ; cmovz eax, ecx
                    ),
                }
                self.write_ra_rc(i);
            }
            Isel => {
                let bc = i.rc_field() as u32;
                let bit = (1u32 << (31 - bc)) as i32;
                self.ld_rax(rb);
                if ra == 0 {
                    a!(self.ops; xor ecx, ecx);
                } else {
                    self.ld(1, ra);
                }
                a!(self.ops
                    ; test r15d, bit
                    ; cmovnz rax, rcx
                );
                self.st_rax(rt);
            }
            Rlwinm | Rlwnm | Rlwimi => {
                let (mb, me) = (i.bits(21, 25), i.bits(26, 30));
                let m = mask64(mb + 32, me + 32);
                let rs = i.rs();
                if o != Rlwimi && m >> 32 == 0 {
                    // The mask keeps only the low word: a 32-bit rotate
                    // gives the same bits (and clears the high word).
                    self.ld32(0, rs);
                    if o == Rlwnm {
                        self.ld32(1, rb);
                        a!(self.ops
                            ; rol eax, cl
                        );
                    } else {
                        let n = i.bits(16, 20) as i8;
                        if n != 0 {
                            a!(self.ops; rol eax, n);
                        }
                    }
                    if m != 0xffff_ffff {
                        a!(self.ops; and eax, m as u32 as i32);
                    }
                    self.write_ra_rc(i);
                    self.retired();
                    return true;
                }
                // ROTL32: the low word replicated into both halves.
                self.ld32(0, rs);
                a!(self.ops
                    ; mov rdx, rax
                    ; shl rdx, 32
                    ; or rax, rdx
                );
                if o == Rlwnm {
                    self.ld32(1, rb);
                    a!(self.ops
                        ; and ecx, 31
                        ; rol rax, cl
                    );
                } else {
                    let n = i.bits(16, 20) as i8;
                    if n != 0 {
                        a!(self.ops; rol rax, n);
                    }
                }
                if o == Rlwimi {
                    a!(self.ops
                        ; mov rcx, QWORD m as i64
                        ; and rax, rcx
                        ; not rcx
                    );
                    self.alu(Alu::And, 1, ra, true);
                    a!(self.ops
                        ; or rax, rcx
                    );
                } else {
                    self.and_mask(m);
                }
                self.write_ra_rc(i);
            }
            Rldicl | Rldicr | Rldic | Rldimi | Rldcl | Rldcr => {
                let sh = i.bits(16, 20) | (i.bits(30, 30) << 5);
                let f = i.bits(21, 26);
                let mb = ((f & 1) << 5) | (f >> 1);
                let m = match o {
                    Rldicl | Rldcl => mask64(mb, 63),
                    Rldicr | Rldcr => mask64(0, mb),
                    _ => mask64(mb, 63 - sh),
                };
                self.ld_rax(i.rs());
                if matches!(o, Rldcl | Rldcr) {
                    self.ld32(1, rb);
                    a!(self.ops
                        ; rol rax, cl
                    );
                } else if sh != 0 {
                    a!(self.ops; rol rax, sh as i8);
                }
                if o == Rldimi {
                    a!(self.ops
                        ; mov rcx, QWORD m as i64
                        ; and rax, rcx
                        ; not rcx
                    );
                    self.alu(Alu::And, 1, ra, true);
                    a!(self.ops
                        ; or rax, rcx
                    );
                } else {
                    self.and_mask(m);
                }
                self.write_ra_rc(i);
            }
            Slw | Srw => {
                self.ld32(1, rb);
                a!(self.ops
                    ; and ecx, 63
                );
                self.ld32(0, i.rs());
                if o == Slw {
                    // Counts 32..63 shift the zero-extended word out of the
                    // low half.
                    a!(self.ops
                        ; shl rax, cl
                        ; mov eax, eax
                    );
                } else {
                    a!(self.ops; shr rax, cl);
                }
                self.write_ra_rc(i);
            }
            Sld | Srd => {
                self.ld(1, rb);
                self.ld(0, i.rs());
                if o == Sld {
                    a!(self.ops; shl rax, cl);
                } else {
                    a!(self.ops; shr rax, cl);
                }
                // Counts 64..127 give 0.
                a!(self.ops
                    ; xor edx, edx
                    ; test ecx, 64
                    ; cmovnz rax, rdx
                );
                self.write_ra_rc(i);
            }
            Sraw | Srawi => {
                // The sign-extended word shifted as a doubleword by 0..63
                // gives the result, and a 1 bit shifted out exactly when the
                // interpreter's `sraw_n` sees one.
                self.ld_sx32(2, i.rs());
                if o == Sraw {
                    self.ld32(1, rb);
                    a!(self.ops
                        ; and ecx, 63
                    );
                } else {
                    a!(self.ops; mov ecx, i.bits(16, 20) as i32);
                }
                self.sra_tail();
                self.write_ra_rc(i);
            }
            Srad => {
                let big = self.label();
                let done = self.label();
                self.ld(2, i.rs());
                self.ld32(1, rb);
                a!(self.ops
                    ; and ecx, 127
                    ; cmp ecx, 63
                    ; ja =>big
                    ; mov rax, rdx
                    ; sar rax, cl
                    ; mov rsi, rax
                    ; shl rsi, cl
                    ; cmp rsi, rdx
                    ; setne sil
                    ; jmp =>done
                    ; =>big
                    ; mov rax, rdx
                    ; sar rax, 63
                    ; test rdx, rdx
                    ; setne sil
                    ; =>done
                    ; test rdx, rdx
                    ; sets cl
                    ; and sil, cl
                );
                self.write_ca_sil();
                self.write_ra_rc(i);
            }
            Sradi => {
                let sh = (i.bits(16, 20) | (i.bits(30, 30) << 5)) as i32;
                self.ld(2, i.rs());
                a!(self.ops
                    ; mov ecx, sh
                );
                self.sra_tail_64();
                self.write_ra_rc(i);
            }
            Cmpb => {
                // Bytewise equality: SSE2 pcmpeqb gives 0xff per equal byte.
                a!(self.ops
                    ; movq xmm0, [rbx + g(i.rs())]
                    ; movq xmm1, [rbx + g(rb)]
                    ; pcmpeqb xmm0, xmm1
                    ; movq rax, xmm0
                );
                self.st_rax(ra);
            }
            Popcntd | Popcntw if self.popcnt => {
                let rs = i.rs();
                if o == Popcntd {
                    a!(self.ops; popcnt rax, [rbx + g(rs)]);
                } else {
                    a!(self.ops
                        ; popcnt eax, [rbx + g(rs)]
                        ; popcnt ecx, [rbx + g(rs) + 4]
                        ; shl rcx, 32
                        ; or rax, rcx
                    );
                }
                self.st_rax(ra);
            }
            Popcntb => {
                // SWAR per-byte population count.
                self.ld_rax(i.rs());
                a!(self.ops
                    ; mov rcx, rax
                    ; shr rcx, 1
                    ; mov rdx, QWORD 0x5555_5555_5555_5555
                    ; and rcx, rdx
                    ; sub rax, rcx
                    ; mov rdx, QWORD 0x3333_3333_3333_3333
                    ; mov rcx, rax
                    ; shr rcx, 2
                    ; and rax, rdx
                    ; and rcx, rdx
                    ; add rax, rcx
                    ; mov rcx, rax
                    ; shr rcx, 4
                    ; add rax, rcx
                    ; mov rdx, QWORD 0x0f0f_0f0f_0f0f_0f0f
                    ; and rax, rdx
                );
                self.st_rax(ra);
            }
            Prtyw | Prtyd => {
                // Bit 0 (and 32) collects the low bits of the four bytes of
                // each word (interp `prty32`).
                self.ld(0, i.rs());
                a!(self.ops
                    ; mov rcx, rax
                    ; shr rcx, 8
                    ; xor rax, rcx
                    ; mov rcx, rax
                    ; shr rcx, 16
                    ; xor rax, rcx
                );
                if o == Prtyw {
                    a!(self.ops
                        ; mov rcx, QWORD 0x1_0000_0001
                        ; and rax, rcx
                    );
                } else {
                    a!(self.ops
                        ; mov rcx, rax
                        ; shr rcx, 32
                        ; xor eax, ecx
                        ; and eax, 1
                    );
                }
                self.st_rax(ra);
            }
            Extswsli => {
                let sh = (i.bits(16, 20) | (i.bits(30, 30) << 5)) as i8;
                self.ld_sx32(0, i.rs());
                if sh != 0 {
                    a!(self.ops; shl rax, sh);
                }
                self.write_ra_rc(i);
            }
            _ => return false,
        }
        self.retired();
        true
    }

    /// Word algebraic shift: rdx = sign-extended word, ecx = count (0..63).
    /// rax = result, XER CA (= CA32) written.
    fn sra_tail(&mut self) {
        a!(self.ops
            ; mov rax, rdx
            ; sar rax, cl
            ; mov rsi, rax
            ; shl rsi, cl
            ; cmp rsi, rdx
            ; setne sil
            ; test rdx, rdx
            ; sets cl
            ; and sil, cl
        );
        self.write_ca_sil();
    }

    /// Doubleword algebraic shift by a count 0..63 in ecx (rdx = source).
    fn sra_tail_64(&mut self) {
        self.sra_tail();
    }

    /// CR bit `b` of `cr` (in eax) into `reg` as 0/1.
    fn branch(&mut self, pc: u64, o: Branch, i: Insn) -> Option<Flow> {
        use Branch::*;
        let lk = i.word & 1 != 0;
        let next = pc.wrapping_add(4);
        match o {
            B | Bl | Ba | Bla => {
                let li = (((i.word & 0x03ff_fffc) << 6) as i32 >> 6) as i64 as u64;
                let target = if matches!(o, Ba | Bla) {
                    li
                } else {
                    pc.wrapping_add(li)
                };
                if lk {
                    self.mov_imm(0, next as i64);
                    a!(self.ops; mov [rbx + O_LR], rax);
                }
                self.retired();
                self.leave(target);
                Some(Flow::End)
            }
            Bc | Bcl | Bca | Bcla | Bclr | Bclrl | Bcctr | Bcctrl => {
                let bo = i.bits(6, 10);
                let bi = i.bits(11, 15);
                let to_ctr = matches!(o, Bcctr | Bcctrl);
                if to_ctr && bo & 4 == 0 {
                    // The invalid "decrement CTR" form: interpreter.
                    return None;
                }
                let direct = matches!(o, Bc | Bcl | Bca | Bcla);
                // Indirect target into rdx (LR/CTR read before any update;
                // masked only once taken: `and` would clobber the flags of
                // a fused compare).
                match o {
                    Bclr | Bclrl => a!(self.ops; mov rdx, [rbx + O_LR]),
                    Bcctr | Bcctrl => self.ld(2, CTR),
                    _ => {}
                }
                let ctr = bo & 4 == 0;
                let crc = bo & 0x10 == 0;
                let bit = (1u32 << (31 - bi)) as i32;
                // cl = CTR condition (1 = satisfied) when both conditions
                // apply; a lone CTR condition branches on the flags of the
                // decrement.
                if ctr {
                    // `mov` leaves the flags of the decrement alone.
                    match self.hreg(CTR) {
                        Some(h) => a!(self.ops
                            ; sub Rq(h), 1
                            ; mov [rbx + O_CTR], Rq(h)
                        ),
                        None => a!(self.ops; sub QWORD [rbx + O_CTR], 1),
                    }
                    if crc {
                        if bo & 2 != 0 {
                            a!(self.ops; sete cl);
                        } else {
                            a!(self.ops; setne cl);
                        }
                        // (al: rdx may hold the indirect target.)
                        a!(self.ops; test r15d, bit);
                        if bo & 8 != 0 {
                            a!(self.ops; setnz al);
                        } else {
                            a!(self.ops; setz al);
                        }
                        a!(self.ops; and cl, al);
                    }
                }
                if lk {
                    // mov leaves the flags alone.
                    self.mov_imm(0, next as i64);
                    a!(self.ops; mov [rbx + O_LR], rax);
                }
                self.retired();
                self.sync_icount();
                // Static target (chained directly when translated).
                let target = direct.then(|| {
                    let bd = (i.word & 0xfffc) as u16 as i16 as i64 as u64;
                    if matches!(o, Bca | Bcla) {
                        bd
                    } else {
                        pc.wrapping_add(bd)
                    }
                });
                // A loop back to this block's entry: the conditional jump
                // goes there itself (`leave` would emit just that jump).
                let self_loop = target == Some(self.start);
                let taken = if self_loop { self.entry } else { self.label() };
                let conditional = ctr || crc;
                if conditional {
                    if ctr && crc {
                        a!(self.ops; jnz =>taken);
                    } else if ctr {
                        if bo & 2 != 0 {
                            a!(self.ops; jz =>taken);
                        } else {
                            a!(self.ops; jnz =>taken);
                        }
                    } else if !self.jcc_from_flags(bi, bo & 8 != 0, taken) {
                        a!(self.ops; test r15d, bit);
                        if bo & 8 != 0 {
                            a!(self.ops; jnz =>taken);
                        } else {
                            a!(self.ops; jz =>taken);
                        }
                    }
                    if let (Some(t), true) = (target, continues_past(i)) {
                        if !self_loop {
                            self.cold.push(Cold::SideExit {
                                label: taken,
                                target: t,
                            });
                        }
                        return Some(Flow::Next);
                    }
                    self.leave(next);
                    if self_loop {
                        return Some(Flow::End);
                    }
                    a!(self.ops; =>taken);
                }
                if let Some(t) = target {
                    self.leave(t);
                } else {
                    a!(self.ops
                        ; and rdx, -4
                        ; mov [rbx + O_PC], rdx
                        ; mov rax, rdx
                    );
                    self.dispatch_inline();
                }
                Some(Flow::End)
            }
            Crand | Cror | Crxor | Crnand | Crnor | Creqv | Crandc | Crorc => {
                let (bt, ba, bb) = (i.bits(6, 10), i.bits(11, 15), i.bits(16, 20));
                a!(self.ops
                    ; mov eax, r15d
                    ; mov ecx, eax
                    ; shr ecx, (31 - ba) as i8
                    ; mov edx, eax
                    ; shr edx, (31 - bb) as i8
                );
                match o {
                    Crand => a!(self.ops; and ecx, edx),
                    Cror => a!(self.ops; or ecx, edx),
                    Crxor => a!(self.ops; xor ecx, edx),
                    Crnand => a!(self.ops; and ecx, edx; not ecx),
                    Crnor => a!(self.ops; or ecx, edx; not ecx),
                    Creqv => a!(self.ops; xor ecx, edx; not ecx),
                    Crandc => a!(self.ops; not edx; and ecx, edx),
                    _ => a!(self.ops; not edx; or ecx, edx),
                }
                let sh = (31 - bt) as i8;
                let keep = !(1u32 << sh) as i32;
                a!(self.ops
                    ; and ecx, 1
                    ; shl ecx, sh
                    ; and eax, keep
                    ; or eax, ecx
                    ; mov [rbx + O_CR], eax ; mov r15d, eax
                );
                self.retired();
                Some(Flow::Next)
            }
            Mcrf => {
                let (bf, bfa) = (i.bits(6, 8), i.bits(11, 13));
                let (shd, shs) = ((28 - 4 * bf) as i8, (28 - 4 * bfa) as i8);
                let keep = !(0xfu32 << shd) as i32;
                a!(self.ops
                    ; mov eax, r15d
                    ; mov ecx, eax
                    ; shr ecx, shs
                    ; and ecx, 0xf
                    ; shl ecx, shd
                    ; and eax, keep
                    ; or eax, ecx
                    ; mov [rbx + O_CR], eax ; mov r15d, eax
                );
                self.retired();
                Some(Flow::Next)
            }
            _ => None,
        }
    }

    /// Effective address into rsi: (RA|0) + disp, or (RA|0) + RB.
    fn ea(&mut self, ra: usize, disp: Option<i64>, rb: usize) {
        if ra == 0 {
            match disp {
                Some(d) => self.mov_imm(6, d),
                None => self.ld(6, rb),
            }
        } else if disp.is_none() && ra != rb && self.rax_holds(rb) {
            a!(self.ops
                ; mov rsi, rax
            );
            self.alu(Alu::Add, 6, ra, true);
        } else {
            if self.rax_holds(ra) {
                a!(self.ops; mov rsi, rax);
            } else {
                self.ld(6, ra);
            }
            match disp {
                Some(d) => {
                    if d != 0 {
                        a!(self.ops; add rsi, d as i32);
                    }
                }
                None => self.alu(Alu::Add, 6, rb, true),
            }
        }
    }

    /// Whether the TLB layout allows the inline path (16-byte entries, u32
    /// index): otherwise every access calls the helper.
    fn inline_ok(&self) -> bool {
        self.tlb.entry_size.is_power_of_two() && self.tlb.slots.is_power_of_two()
    }

    /// Probes the TLB at `tlb_off` of the context for the `n`-byte access at
    /// guest address rsi; jumps to `slow` on a miss or when the access crosses
    /// a page. On a hit rcx = the page's addend: the bytes are at host
    /// `rcx + rsi`. Clobbers rax.
    ///
    /// The slot comes from the page of the access's *last* byte and the entry
    /// must hold the page of its *first* byte: an entry sits in slot
    /// `vpn & mask`, and two consecutive pages never share a slot, so a hit
    /// proves both bytes are on one page (QEMU's softmmu fast path uses the
    /// same idea, comparing the last byte's page with the entry's tag).
    fn tlb_probe(&mut self, tlb: Tlb, n: usize, slow: DynamicLabel) {
        let sh = self.tlb.entry_size.trailing_zeros() as i8;
        let mask = (self.tlb.slots - 1) as i32;
        let (vo, ao) = (self.tlb.vpn_offset as i32, self.tlb.addend_offset as i32);
        if n > 1 {
            a!(self.ops
                ; lea rax, [rsi + (n as i32 - 1)]
                ; shr rax, 12
                ; mov rcx, rsi
                ; shr rcx, 12
            );
        } else {
            a!(self.ops
                ; mov rcx, rsi
                ; shr rcx, 12
                ; mov eax, ecx
            );
        }
        a!(self.ops
            ; and eax, mask
            ; shl eax, sh
        );
        let base = match tlb {
            Tlb::Read => 0,
            Tlb::Write => (self.tlb.wtlb as isize - self.tlb.rtlb as isize) as i32,
        };
        a!(self.ops
            ; cmp [rbp + rax + (base + vo)], rcx
            ; jne =>slow
            ; mov rcx, [rbp + rax + (base + ao)]
        );
    }

    /// The inline probe of an `n`-byte access at guest address rsi: on a hit
    /// rcx = the page's addend (the bytes are at host `rcx + rsi`), else a
    /// jump to `slow`. Clobbers rax.
    ///
    /// Each access site has its own one-entry TLB cache (tag, addend) in
    /// the code mapping's data area, read `rip`-relative: the tag is the
    /// page address of the last access, and the check masks the address
    /// down to its page *and* its alignment bits, so only an aligned access
    /// (which cannot cross a page) within that page hits: 5 host
    /// instructions with no dependent TLB index. A miss runs the shared TLB
    /// probe out of line and refills the site from the entry it hits. The
    /// caches are copies of TLB entries: the dispatcher empties them all
    /// whenever [`Memory::tlb_epoch`] moves (an entry left the TLB), and a
    /// helper that sees it move leaves the block first (see
    /// [`super::h_fallback`]), so a cache never outlives its entry.
    fn probe(&mut self, tlb: Tlb, n: usize, slow: DynamicLabel) {
        if self.site_next >= self.site_cap {
            self.tlb_probe(tlb, n, slow);
            return;
        }
        debug_assert!(n <= 16, "EMPTY_SITE assumes accesses of at most 16 bytes");
        let site = self.site_base + 16 * self.site_next;
        self.site_next += 1;
        // SAFETY: the site lies in the data area (index < capacity), which
        // is mapped read-write; the code using it is not committed yet.
        unsafe { (site as *mut u64).write(EMPTY_SITE) };
        let (miss, access) = (self.label(), self.label());
        let mask = (-4096i64 | (n as i64 - 1)) as i32;
        a!(self.ops
            ; mov rax, rsi
            ; and rax, mask
        );
        self.rip_op(0x3b, 0, site);
        a!(self.ops; jne =>miss);
        self.rip_op(0x8b, 1, site + 8);
        a!(self.ops; =>access);
        self.cold.push(Cold::SiteMiss {
            label: miss,
            back: access,
            slow,
            tlb,
            n,
            site,
        });
    }

    /// `op r64, [rip + disp32]` (or the store form) addressing host `addr`:
    /// REX.W, `opcode`, ModRM with `reg` and the rip-relative mode (dynasm
    /// has no absolute targets on x64; the data area is within 2 GiB).
    fn rip_op(&mut self, opcode: u8, reg: u8, addr: usize) {
        let end = self.block_base + self.ops.offset().0 + 7;
        let disp = addr as i64 - end as i64;
        debug_assert!(i32::try_from(disp).is_ok(), "data area out of rip range");
        self.ops.push(0x48);
        self.ops.push(opcode);
        self.ops.push((reg << 3) | 5);
        self.ops.push_i32(disp as i32);
    }

    /// rax = the `n`-byte value at guest address rsi (zero-extended), as
    /// [`Memory::load`]: the TLB hit inline, anything else through the
    /// helper; a fault jumps to `fault`.
    fn load_inline(&mut self, n: usize, fault: DynamicLabel) {
        let slow = self.label();
        let done = self.label();
        if self.inline_ok() {
            self.probe(Tlb::Read, n, slow);
            match n {
                1 => a!(self.ops; movzx eax, BYTE [rcx + rsi]),
                2 => a!(self.ops; movzx eax, WORD [rcx + rsi]),
                4 => a!(self.ops; mov eax, [rcx + rsi]),
                _ => a!(self.ops; mov rax, [rcx + rsi]),
            }
            if !self.le {
                match n {
                    1 => {}
                    2 => a!(self.ops; rol ax, 8),
                    4 => a!(self.ops; bswap eax),
                    _ => a!(self.ops; bswap rax),
                }
            }
        }
        let helper = self.load_helper(n);
        self.close_access(
            slow,
            done,
            Cold::Access {
                slow,
                done,
                helper,
                fault,
                store: None,
            },
        );
    }

    /// Stores the low `n` bytes of host register `val` (not rax or rcx) at
    /// guest address rsi, as
    /// [`Memory::store`] (the write TLB never holds a code page, so an inline
    /// hit cannot change the code generation); the helper reports a fault
    /// (to `fault`) or a store into code (to `smc`).
    fn store_inline(&mut self, n: usize, fault: DynamicLabel, smc: DynamicLabel, val: u8) {
        let slow = self.label();
        let done = self.label();
        if self.inline_ok() {
            self.probe(Tlb::Write, n, slow);
            if !self.le && n > 1 {
                // rax is free after the probe; `val` stays for the slow path.
                a!(self.ops; mov rax, Rq(val));
                match n {
                    2 => a!(self.ops; rol ax, 8),
                    4 => a!(self.ops; bswap eax),
                    _ => a!(self.ops; bswap rax),
                }
                match n {
                    2 => a!(self.ops; mov [rcx + rsi], ax),
                    4 => a!(self.ops; mov [rcx + rsi], eax),
                    _ => a!(self.ops; mov [rcx + rsi], rax),
                }
            } else {
                match n {
                    1 => a!(self.ops; mov [rcx + rsi], Rb(val)),
                    2 => a!(self.ops; mov [rcx + rsi], Rw(val)),
                    4 => a!(self.ops; mov [rcx + rsi], Rd(val)),
                    _ => a!(self.ops; mov [rcx + rsi], Rq(val)),
                }
            }
        }
        let helper = self.store_helper(n);
        self.close_access(
            slow,
            done,
            Cold::Access {
                slow,
                done,
                helper,
                fault,
                store: Some(StoreArg::Value { smc, val }),
            },
        );
    }

    /// Ends an inline access whose fast path (if any) was just emitted:
    /// without the inline path everything goes to `slow`; both paths
    /// continue at `done`; the slow path (`cold`, starting at `slow`) is out
    /// of line.
    fn close_access(&mut self, slow: DynamicLabel, done: DynamicLabel, cold: Cold) {
        if !self.inline_ok() {
            a!(self.ops; jmp =>slow);
        }
        a!(self.ops; =>done);
        self.cold.push(cold);
    }

    fn load_helper(&self, n: usize) -> usize {
        match (n, self.le) {
            (1, _) => h_load::<1, true> as *const () as usize,
            (2, true) => h_load::<2, true> as *const () as usize,
            (2, false) => h_load::<2, false> as *const () as usize,
            (4, true) => h_load::<4, true> as *const () as usize,
            (4, false) => h_load::<4, false> as *const () as usize,
            (8, true) => h_load::<8, true> as *const () as usize,
            _ => h_load::<8, false> as *const () as usize,
        }
    }

    fn store_helper(&self, n: usize) -> usize {
        match (n, self.le) {
            (1, _) => h_store::<1, true> as *const () as usize,
            (2, true) => h_store::<2, true> as *const () as usize,
            (2, false) => h_store::<2, false> as *const () as usize,
            (4, true) => h_store::<4, true> as *const () as usize,
            (4, false) => h_store::<4, false> as *const () as usize,
            (8, true) => h_store::<8, true> as *const () as usize,
            _ => h_store::<8, false> as *const () as usize,
        }
    }

    fn load_store(&mut self, pc: u64, o: LoadStore, i: Insn) -> bool {
        use LoadStore::*;
        // (size, signed, update, displacement (None: X form), store)
        let (n, signed, update, disp, store) = match o {
            Lbz => (1, false, false, Some(i.si()), false),
            Lbzu => (1, false, true, Some(i.si()), false),
            Lhz => (2, false, false, Some(i.si()), false),
            Lhzu => (2, false, true, Some(i.si()), false),
            Lha => (2, true, false, Some(i.si()), false),
            Lhau => (2, true, true, Some(i.si()), false),
            Lwz => (4, false, false, Some(i.si()), false),
            Lwzu => (4, false, true, Some(i.si()), false),
            Ld => (8, false, false, Some(i.ds()), false),
            Ldu => (8, false, true, Some(i.ds()), false),
            Lwa => (4, true, false, Some(i.ds()), false),
            Lbzx => (1, false, false, None, false),
            Lbzux => (1, false, true, None, false),
            Lhzx => (2, false, false, None, false),
            Lhzux => (2, false, true, None, false),
            Lhax => (2, true, false, None, false),
            Lhaux => (2, true, true, None, false),
            Lwzx => (4, false, false, None, false),
            Lwzux => (4, false, true, None, false),
            Lwax => (4, true, false, None, false),
            Lwaux => (4, true, true, None, false),
            Ldx => (8, false, false, None, false),
            Ldux => (8, false, true, None, false),
            Stb => (1, false, false, Some(i.si()), true),
            Stbu => (1, false, true, Some(i.si()), true),
            Sth => (2, false, false, Some(i.si()), true),
            Sthu => (2, false, true, Some(i.si()), true),
            Stw => (4, false, false, Some(i.si()), true),
            Stwu => (4, false, true, Some(i.si()), true),
            Std => (8, false, false, Some(i.ds()), true),
            Stdu => (8, false, true, Some(i.ds()), true),
            Stbx => (1, false, false, None, true),
            Stbux => (1, false, true, None, true),
            Sthx => (2, false, false, None, true),
            Sthux => (2, false, true, None, true),
            Stwx => (4, false, false, None, true),
            Stwux => (4, false, true, None, true),
            Stdx => (8, false, false, None, true),
            Stdux => (8, false, true, None, true),
            Lhbrx | Lwbrx | Ldbrx | Sthbrx | Stwbrx | Stdbrx => {
                // The opposite byte order of the current one (interp
                // `ld_br` / `st_br`).
                let (n, store) = match o {
                    Lhbrx => (2, false),
                    Lwbrx => (4, false),
                    Ldbrx => (8, false),
                    Sthbrx => (2, true),
                    Stwbrx => (4, true),
                    _ => (8, true),
                };
                self.le = !self.le;
                self.access(pc, i, n, false, false, None, store);
                self.le = !self.le;
                return true;
            }
            _ => return false,
        };
        let (rt, ra) = (i.rt(), i.ra());
        // Invalid update forms fault in the interpreter.
        if update && (ra == 0 || (!store && ra == rt)) {
            return false;
        }
        self.access(pc, i, n, signed, update, disp, store);
        true
    }

    /// One integer load or store of `n` bytes at (RA|0) + disp (or + RB),
    /// with sign extension and RA update as asked.
    #[allow(clippy::too_many_arguments)]
    fn access(
        &mut self,
        pc: u64,
        i: Insn,
        n: usize,
        signed: bool,
        update: bool,
        disp: Option<i64>,
        store: bool,
    ) {
        let (rt, ra, rb) = (i.rt(), i.ra(), i.rb());
        let fault = self.ea_with_fault(pc, ra, disp, rb);
        if store {
            self.ld(2, rt);
            let smc = self.label();
            self.cold.push(Cold::Smc {
                label: smc,
                pending: self.pending + 1,
                next: pc.wrapping_add(4),
                update_ra: update.then_some(ra),
            });
            self.store_inline(n, fault, smc, 2);
        } else {
            self.load_inline(n, fault);
            match (n, signed) {
                (2, true) => a!(self.ops; movsx rax, ax),
                (4, true) => a!(self.ops; movsxd rax, eax),
                _ => {}
            }
            // RA (update form; never RT) first, so that RT's value is the
            // last thing written and stays reusable in rax.
            if update {
                self.st_reg(ra, RSI);
            }
            self.st_rax(rt);
        }
        if store && update {
            self.st_reg(ra, RSI);
        }
        self.retired();
    }

    /// VSX register moves and logical operations (interp `vsx.rs`).
    fn vsx(&mut self, pc: u64, o: crate::isa::table::Vsx, i: Insn) -> bool {
        use crate::isa::table::Vsx::*;
        let xt = (i.bits(6, 10) | (i.bits(31, 31) << 5)) as usize;
        let xa = (i.bits(11, 15) | (i.bits(29, 29) << 5)) as usize;
        let xb = (i.bits(16, 20) | (i.bits(30, 30) << 5)) as usize;
        let ra = i.ra();
        match o {
            Lxv | Stxv => {
                let x = i.get(crate::isa::Operand::XtDq) as usize & 63;
                self.quad(pc, o == Stxv, x, ra, i.dq());
                return true;
            }
            Mfvsrd => {
                a!(self.ops; mov rax, [rbx + vsr(xt, 0)]);
                self.st_rax(ra);
            }
            Mtvsrdd => {
                // Doubleword 0 = (RA|0), doubleword 1 = RB.
                if ra == 0 {
                    a!(self.ops; xor eax, eax);
                } else {
                    self.ld(0, ra);
                }
                self.ld(2, i.rb());
                self.st_vsr_pair(xt, 0, Some(2));
            }
            Mfvsrwz => {
                a!(self.ops; mov eax, [rbx + vsr(xt, 0)]);
                self.st_rax(ra);
            }
            Mfvsrld => {
                a!(self.ops; mov rax, [rbx + vsr(xt, 1)]);
                self.st_rax(ra);
            }
            Mtvsrd => {
                self.ld_rax(ra);
                a!(self.ops; mov [rbx + vsr(xt, 0)], rax);
            }
            Mtvsrwz => {
                self.ld32(0, ra);
                a!(self.ops
                    ; mov [rbx + vsr(xt, 0)], rax
                );
            }
            Mtvsrwa => {
                self.ld_sx32(0, ra);
                a!(self.ops
                    ; mov [rbx + vsr(xt, 0)], rax
                );
            }
            Mtvsrws => {
                // The low word of RA in all four words.
                self.ld32(0, ra);
                a!(self.ops
                    ; mov rcx, rax
                    ; shl rcx, 32
                    ; or rax, rcx
                );
                self.st_vsr_pair(xt, 0, Some(0));
            }
            Xxsldwi if self.ssse3 => {
                let sh = 4 * i.bits(22, 23) as u8;
                self.perm_const(xt, xa, xb, std::array::from_fn(|k| sh + k as u8));
            }
            Xxextractuw if i.bits(12, 15) <= 12 => {
                // The word at big-endian byte UIM of XB into doubleword 0
                // (interp: rotate left by 8*UIM, top word).
                let sh = 8 * i.bits(12, 15) as i8;
                if sh < 64 {
                    a!(self.ops
                        ; mov rax, [rbx + vsr(xb, 0)]
                        ; mov rdx, [rbx + vsr(xb, 1)]
                        ; shld rax, rdx, sh
                    );
                } else {
                    a!(self.ops
                        ; mov rax, [rbx + vsr(xb, 1)]
                        ; shl rax, sh - 64
                    );
                }
                a!(self.ops
                    ; shr rax, 32
                );
                self.st_vsr_pair(xt, 0, None);
            }
            Xxspltib => {
                let v = i.bits(13, 20) as u64 * 0x0101_0101_0101_0101;
                self.splat64(xt, v);
            }
            Xxbrd => {
                a!(self.ops
                    ; mov rax, [rbx + vsr(xb, 0)]
                    ; mov rcx, [rbx + vsr(xb, 1)]
                    ; bswap rax
                    ; bswap rcx
                );
                self.st_vsr_pair(xt, 0, Some(1));
            }
            Xxland | Xxlandc | Xxlor | Xxlxor | Xxlnor | Xxlorc | Xxlnand | Xxleqv => {
                // Both doublewords: a in rax/rdx, b in rcx/rsi; all read
                // before XT is written (it may be XA or XB).
                a!(self.ops
                    ; mov rax, [rbx + vsr(xa, 0)]
                    ; mov rdx, [rbx + vsr(xa, 1)]
                    ; mov rcx, [rbx + vsr(xb, 0)]
                    ; mov rsi, [rbx + vsr(xb, 1)]
                );
                if matches!(o, Xxlandc | Xxlorc) {
                    a!(self.ops
                        ; not rcx
                        ; not rsi
                    );
                }
                match o {
                    Xxland | Xxlandc | Xxlnand => a!(self.ops
                        ; and rax, rcx
                        ; and rdx, rsi
                    ),
                    Xxlor | Xxlorc | Xxlnor => a!(self.ops
                        ; or rax, rcx
                        ; or rdx, rsi
                    ),
                    _ => a!(self.ops
                        ; xor rax, rcx
                        ; xor rdx, rsi
                    ),
                }
                if matches!(o, Xxlnor | Xxlnand | Xxleqv) {
                    a!(self.ops
                        ; not rax
                        ; not rdx
                    );
                }
                self.st_vsr_pair(xt, 0, Some(2));
            }
            _ => return self.vsx_fp(pc, o, i),
        }
        self.retired();
        true
    }

    /// lxv / stxv: 16 bytes between VSR `x` and (RA|0) + DQ, as interp
    /// `load_q` / `store_q` (one little- or big-endian quadword; doubleword 0
    /// is the high half).
    fn quad(&mut self, pc: u64, store: bool, x: usize, ra: usize, dq: i64) {
        self.ea(ra, Some(dq), 0);
        self.quad_rsi(pc, store, x);
    }

    /// A cold fault exit for the instruction at `pc` (the instructions
    /// retired before it in this block are given back to the budget there).
    pub(super) fn fault_label(&mut self, pc: u64) -> DynamicLabel {
        let label = self.label();
        self.cold.push(Cold::Fault {
            label,
            pending: self.pending,
            pc,
        });
        label
    }

    /// The prologue guest accesses share: EA into rsi (it survives the
    /// access, also its slow path, for the update forms) and the access's
    /// fault exit.
    pub(super) fn ea_with_fault(
        &mut self,
        pc: u64,
        ra: usize,
        disp: Option<i64>,
        rb: usize,
    ) -> DynamicLabel {
        self.ea(ra, disp, rb);
        self.fault_label(pc)
    }

    /// [`Tr::quad`] at the effective address already in rsi.
    pub(super) fn quad_rsi(&mut self, pc: u64, store: bool, x: usize) {
        let fault = self.fault_label(pc);
        let slow = self.label();
        let done = self.label();
        let (d0, d1) = (vsr(x, 0), vsr(x, 1));
        if store {
            let smc = self.label();
            self.cold.push(Cold::Smc {
                label: smc,
                pending: self.pending + 1,
                next: pc.wrapping_add(4),
                update_ra: None,
            });
            if self.inline_ok() {
                self.probe(Tlb::Write, 16, slow);
                a!(self.ops
                    ; add rcx, rsi
                    ; mov rax, [rbx + d0]
                    ; mov rdx, [rbx + d1]
                );
                if self.le {
                    a!(self.ops
                        ; mov [rcx], rdx
                        ; mov [rcx + 8], rax
                    );
                } else {
                    a!(self.ops
                        ; bswap rax
                        ; bswap rdx
                        ; mov [rcx], rax
                        ; mov [rcx + 8], rdx
                    );
                }
            }
            let helper = if self.le {
                h_stxv::<true> as *const () as usize
            } else {
                h_stxv::<false> as *const () as usize
            };
            self.close_access(
                slow,
                done,
                Cold::Access {
                    slow,
                    done,
                    helper,
                    fault,
                    store: Some(StoreArg::Vsr { x, smc }),
                },
            );
        } else {
            if self.inline_ok() {
                self.probe(Tlb::Read, 16, slow);
                if self.le {
                    // The doublewords swapped, stored at once (a 16-byte
                    // load of the VSR right after is forwarded from one
                    // 16-byte store, not from two 8-byte ones).
                    a!(self.ops
                        ; movdqu xmm4, [rcx + rsi]
                        ; pshufd xmm4, xmm4, 0x4e
                        ; movdqu [rbx + d0], xmm4
                    );
                } else {
                    a!(self.ops
                        ; mov rax, [rcx + rsi]
                        ; mov rdx, [rcx + rsi + 8]
                    );
                    a!(self.ops
                        ; bswap rax
                        ; bswap rdx
                    );
                    self.st_vsr_pair(x, 0, Some(2));
                }
            }
            let helper = if self.le {
                h_lxv::<true> as *const () as usize
            } else {
                h_lxv::<false> as *const () as usize
            };
            self.close_access(
                slow,
                done,
                Cold::QuadLoad {
                    slow,
                    done,
                    helper,
                    fault,
                    x,
                },
            );
        }
        self.retired();
    }

    /// Splats the 64-bit pattern `v` into both doublewords of VSR `x`.
    fn splat64(&mut self, x: usize, v: u64) {
        a!(self.ops; mov rax, QWORD v as i64);
        self.st_vsr_pair(x, 0, Some(0));
    }

    /// VSR `x` = doubleword 0 from host register `r0`, doubleword 1 from
    /// `r1` (zero if `None`), in one 16-byte store where the host allows
    /// (clobbers xmm4): a later 16-byte load of the VSR is forwarded from
    /// one store, never from two 8-byte ones (a stall of the store buffer).
    pub(super) fn st_vsr_pair(&mut self, x: usize, r0: u8, r1: Option<u8>) {
        if host_sse41() {
            a!(self.ops; movq xmm4, Rq(r0));
            if let Some(r1) = r1 {
                a!(self.ops; pinsrq xmm4, Rq(r1), 1);
            }
            a!(self.ops; movdqu [rbx + vsr(x, 0)], xmm4);
        } else {
            a!(self.ops; mov [rbx + vsr(x, 0)], Rq(r0));
            match r1 {
                Some(r1) => a!(self.ops; mov [rbx + vsr(x, 1)], Rq(r1)),
                None => a!(self.ops; mov QWORD [rbx + vsr(x, 1)], 0),
            }
        }
    }

    /// xmm`n` (2 or 3) = the 16 bytes `v` (in xmm byte order). Clobbers rax.
    fn xmm_const(&mut self, n: u8, v: [u8; 16]) {
        let lo = u64::from_le_bytes(v[..8].try_into().unwrap_or_default());
        let hi = u64::from_le_bytes(v[8..].try_into().unwrap_or_default());
        a!(self.ops
            ; mov rax, QWORD lo as i64
            ; movq xmm4, rax
            ; mov rax, QWORD hi as i64
            ; movq xmm5, rax
            ; punpcklqdq xmm4, xmm5
        );
        if n == 2 {
            a!(self.ops; movdqa xmm2, xmm4);
        } else {
            a!(self.ops; movdqa xmm3, xmm4);
        }
    }

    /// VSR `t` = bytes `ctrl[k]` (0..32, big-endian byte numbers) of VSR `a`
    /// || VSR `b`: a permutation fixed at translation time (vmrg*, vsldoi,
    /// xxsldwi), as interp `perm` with a constant control vector.
    ///
    /// Byte `j` of a VSR image in memory (and in an xmm register) is byte
    /// `j ^ 7` in big-endian numbering (two little-endian doublewords, the
    /// high one first), so each source is one `pshufb` with a constant index
    /// vector (0x80 = zero where the byte comes from the other source).
    fn perm_const(&mut self, t: usize, a: usize, b: usize, ctrl: [u8; 16]) {
        let (mut ia, mut ib) = ([0x80u8; 16], [0x80u8; 16]);
        for j in 0..16 {
            let sel = ctrl[j ^ 7] & 31;
            if sel < 16 {
                ia[j] = sel ^ 7;
            } else {
                ib[j] = (sel - 16) ^ 7;
            }
        }
        self.xmm_const(2, ia);
        self.xmm_const(3, ib);
        a!(self.ops
            ; movdqu xmm0, [rbx + vsr(a, 0)]
            ; movdqu xmm1, [rbx + vsr(b, 0)]
            ; pshufb xmm0, xmm2
            ; pshufb xmm1, xmm3
            ; por xmm0, xmm1
            ; movdqu [rbx + vsr(t, 0)], xmm0
        );
    }

    /// vperm: VSR `t` = bytes (VSR `c` byte & 31) of VSR `a` || VSR `b`
    /// (interp `perm`). The control byte for result byte `j` sits at the
    /// same image position `j`; its low four bits select (through `^ 7`)
    /// within a source, bit 4 chooses the source.
    fn vperm(&mut self, t: usize, a: usize, b: usize, c: usize) {
        a!(self.ops
            ; movdqu xmm0, [rbx + vsr(a, 0)]
            ; movdqu xmm1, [rbx + vsr(b, 0)]
            ; movdqu xmm2, [rbx + vsr(c, 0)]
            ; mov eax, 0x0f0f_0f0f
            ; movd xmm3, eax
            ; pshufd xmm3, xmm3, 0
            ; pand xmm3, xmm2
            ; mov eax, 0x0707_0707
            ; movd xmm4, eax
            ; pshufd xmm4, xmm4, 0
            ; pxor xmm3, xmm4
            ; pshufb xmm0, xmm3
            ; pshufb xmm1, xmm3
            ; mov eax, 0x1010_1010
            ; movd xmm4, eax
            ; pshufd xmm4, xmm4, 0
            ; pand xmm2, xmm4
            ; pcmpeqb xmm2, xmm4
            ; pand xmm1, xmm2
            ; pandn xmm2, xmm0
            ; por xmm1, xmm2
            ; movdqu [rbx + vsr(t, 0)], xmm1
        );
    }

    /// Element-wise VMX integer operations on SSE registers (interp
    /// `vmx.rs`). A VR is a VSR (`32 + n`) stored as two doublewords; loaded
    /// into an xmm register its elements keep their lanes (permuted within
    /// the register, the same way for every operand), so lane-wise
    /// operations give the interpreter's result.
    fn vmx(&mut self, pc: u64, o: crate::isa::table::Vmx, i: Insn) -> bool {
        use crate::isa::table::Vmx::*;
        let (t, a, b) = (32 + i.rt(), 32 + i.ra(), 32 + i.rb());
        match o {
            Lvx | Stvx => {
                self.ea(i.ra(), None, i.rb());
                a!(self.ops; and rsi, -16);
                self.quad_rsi(pc, o == Stvx, t);
                return true;
            }
            Vspltisb | Vspltish | Vspltisw => {
                let imm = ((i.bits(11, 15) as i32) << 27 >> 27) as i64 as u64;
                let v = match o {
                    Vspltisb => (imm & 0xff) * 0x0101_0101_0101_0101,
                    Vspltish => (imm & 0xffff) * 0x0001_0001_0001_0001,
                    _ => (imm & 0xffff_ffff) * 0x0000_0001_0000_0001,
                };
                self.splat64(t, v);
            }
            Vaddubm | Vadduhm | Vadduwm | Vaddudm | Vsububm | Vsubuhm | Vsubuwm | Vsubudm
            | Vand | Vandc | Vor | Vxor | Vnor | Vcmpequb | Vcmpequh | Vcmpequw | Vcmpgtub
            | Vcmpgtsb | Vcmpgtsw | Vsel | Vminub | Vmaxub | Vcmpneb | Vcmpnezb => {
                a!(self.ops
                    ; movdqu xmm0, [rbx + vsr(a, 0)]
                    ; movdqu xmm1, [rbx + vsr(b, 0)]
                );
                match o {
                    Vaddubm => a!(self.ops; paddb xmm0, xmm1),
                    Vadduhm => a!(self.ops; paddw xmm0, xmm1),
                    Vadduwm => a!(self.ops; paddd xmm0, xmm1),
                    Vaddudm => a!(self.ops; paddq xmm0, xmm1),
                    Vsububm => a!(self.ops; psubb xmm0, xmm1),
                    Vsubuhm => a!(self.ops; psubw xmm0, xmm1),
                    Vsubuwm => a!(self.ops; psubd xmm0, xmm1),
                    Vsubudm => a!(self.ops; psubq xmm0, xmm1),
                    Vand => a!(self.ops; pand xmm0, xmm1),
                    Vandc => a!(self.ops; pandn xmm1, xmm0; movdqa xmm0, xmm1),
                    Vor => a!(self.ops; por xmm0, xmm1),
                    Vxor => a!(self.ops; pxor xmm0, xmm1),
                    Vnor => a!(self.ops
                        ; por xmm0, xmm1
                        ; pcmpeqb xmm1, xmm1
                        ; pxor xmm0, xmm1
                    ),
                    Vcmpequb => a!(self.ops; pcmpeqb xmm0, xmm1),
                    Vminub => a!(self.ops; pminub xmm0, xmm1),
                    Vmaxub => a!(self.ops; pmaxub xmm0, xmm1),
                    Vcmpneb => a!(self.ops
                        ; pcmpeqb xmm0, xmm1
                        ; pcmpeqb xmm1, xmm1
                        ; pxor xmm0, xmm1
                    ),
                    // Not equal, or either byte zero (interp `vcmpnezb`).
                    Vcmpnezb => a!(self.ops
                        ; pxor xmm2, xmm2
                        ; movdqa xmm3, xmm0
                        ; pcmpeqb xmm3, xmm2
                        ; movdqa xmm4, xmm1
                        ; pcmpeqb xmm4, xmm2
                        ; pcmpeqb xmm0, xmm1
                        ; pcmpeqb xmm2, xmm2
                        ; pxor xmm0, xmm2
                        ; por xmm0, xmm3
                        ; por xmm0, xmm4
                    ),
                    Vcmpequh => a!(self.ops; pcmpeqw xmm0, xmm1),
                    Vcmpequw => a!(self.ops; pcmpeqd xmm0, xmm1),
                    Vcmpgtsb => a!(self.ops; pcmpgtb xmm0, xmm1),
                    Vcmpgtsw => a!(self.ops; pcmpgtd xmm0, xmm1),
                    Vcmpgtub => a!(self.ops
                        // Unsigned via signed: flip the sign bits.
                        ; mov eax, 0x8080_8080u32 as i32
                        ; movd xmm2, eax
                        ; pshufd xmm2, xmm2, 0
                        ; pxor xmm0, xmm2
                        ; pxor xmm1, xmm2
                        ; pcmpgtb xmm0, xmm1
                    ),
                    _ => {
                        // vsel: (a & !c) | (b & c).
                        let c = 32 + i.rc_field();
                        a!(self.ops
                            ; movdqu xmm2, [rbx + vsr(c, 0)]
                            ; pand xmm1, xmm2
                            ; pandn xmm2, xmm0
                            ; por xmm1, xmm2
                            ; movdqa xmm0, xmm1
                        );
                    }
                }
                a!(self.ops; movdqu [rbx + vsr(t, 0)], xmm0);
                let cmp = matches!(
                    o,
                    Vcmpequb
                        | Vcmpequh
                        | Vcmpequw
                        | Vcmpgtub
                        | Vcmpgtsb
                        | Vcmpgtsw
                        | Vcmpneb
                        | Vcmpnezb
                );
                if cmp && i.oe() {
                    // CR6: 0b1000 all elements true, 0b0010 none (interp
                    // `set_cr6`).
                    a!(self.ops
                        ; pmovmskb eax, xmm0
                        ; xor ecx, ecx
                        ; cmp eax, 0xffff
                        ; sete cl
                        ; shl ecx, 7
                        ; xor edx, edx
                        ; test eax, eax
                        ; sete dl
                        ; shl edx, 5
                        ; or ecx, edx
                        ; mov eax, r15d
                        ; and eax, !0xf0
                        ; or eax, ecx
                        ; mov [rbx + O_CR], eax ; mov r15d, eax
                    );
                }
            }
            Vperm if self.ssse3 => {
                self.vperm(t, a, b, 32 + i.rc_field());
            }
            // Splat element UIM (ISA order) of VRB: an element of s bytes
            // at ISA byte j sits, as a little-endian integer, at offset
            // 8 - j % 8 - s of its doubleword (VSRs hold doubleword 0, the
            // high one, first).
            Vspltb | Vsplth | Vspltw => {
                use crate::isa::Operand::{Uim2, Uim3, Uim4};
                let (sz, u) = match o {
                    Vspltb => (1, i.get(Uim4)),
                    Vsplth => (2, i.get(Uim3)),
                    _ => (4, i.get(Uim2)),
                };
                let j = (u as usize & 15) * sz;
                let off = vsr(b, j / 8) + (8 - j % 8 - sz) as i32;
                match sz {
                    1 => a!(self.ops
                        ; movzx eax, BYTE [rbx + off]
                        ; imul eax, eax, 0x0101_0101
                    ),
                    2 => a!(self.ops
                        ; movzx eax, WORD [rbx + off]
                        ; imul eax, eax, 0x0001_0001
                    ),
                    _ => a!(self.ops; mov eax, [rbx + off]),
                }
                a!(self.ops
                    ; movd xmm0, eax
                    ; pshufd xmm0, xmm0, 0
                    ; movdqu [rbx + vsr(t, 0)], xmm0
                );
            }
            // Sign-extend the low byte / halfword of each word (the word's
            // low-order bits whatever the element order).
            Vextsb2w | Vextsh2w => {
                let k = if o == Vextsb2w { 24 } else { 16 };
                a!(self.ops
                    ; movdqu xmm0, [rbx + vsr(b, 0)]
                    ; pslld xmm0, k
                    ; psrad xmm0, k
                    ; movdqu [rbx + vsr(t, 0)], xmm0
                );
            }
            Vsldoi if self.ssse3 => {
                let sh = i.bits(22, 25) as u8;
                self.perm_const(t, a, b, std::array::from_fn(|k| sh + k as u8));
            }
            Vmrghb | Vmrghh | Vmrghw | Vmrglb | Vmrglh | Vmrglw if self.ssse3 => {
                // Elements first.. of VRA and VRB interleaved (interp
                // `merge_lanes`).
                let (size, low) = match o {
                    Vmrghb => (1, false),
                    Vmrghh => (2, false),
                    Vmrghw => (4, false),
                    Vmrglb => (1, true),
                    Vmrglh => (2, true),
                    _ => (4, true),
                };
                let first = if low { 8 / size } else { 0 };
                let mut ctrl = [0u8; 16];
                for k in 0..8 / size {
                    for q in 0..size {
                        let src = ((first + k) * size + q) as u8;
                        ctrl[2 * k * size + q] = src;
                        ctrl[(2 * k + 1) * size + q] = 16 + src;
                    }
                }
                self.perm_const(t, a, b, ctrl);
            }
            Vextubrx | Vextuhrx | Vextuwrx => {
                // RT = element at byte offset (RA & 15) from the right of
                // VRB: (VRB >>arith 8*idx) masked (interp `vextu_x`).
                let (lo, hi) = (vsr(b, 1), vsr(b, 0));
                let wide = self.label();
                let done = self.label();
                self.ld32(1, i.ra());
                a!(self.ops
                    ; and ecx, 15
                    ; shl ecx, 3
                    ; mov rax, [rbx + lo]
                    ; mov rdx, [rbx + hi]
                    ; test ecx, 64
                    ; jnz =>wide
                    ; shrd rax, rdx, cl
                    ; jmp =>done
                    ; =>wide
                    ; mov rax, rdx
                    ; sar rax, cl
                    ; =>done
                );
                match o {
                    Vextubrx => a!(self.ops; movzx eax, al),
                    Vextuhrx => a!(self.ops; movzx eax, ax),
                    _ => a!(self.ops; mov eax, eax),
                }
                self.st_rax(i.rt());
            }
            Vslw | Vsraw | Vsrw if self.avx2 => {
                // Counts are taken modulo 32 (x86 would give 0 / sign
                // fill for 32 and more).
                a!(self.ops
                    ; movdqu xmm0, [rbx + vsr(a, 0)]
                    ; movdqu xmm1, [rbx + vsr(b, 0)]
                    ; mov eax, 31
                    ; movd xmm2, eax
                    ; pshufd xmm2, xmm2, 0
                    ; pand xmm1, xmm2
                );
                match o {
                    Vslw => a!(self.ops; vpsllvd xmm0, xmm0, xmm1),
                    Vsrw => a!(self.ops; vpsrlvd xmm0, xmm0, xmm1),
                    _ => a!(self.ops; vpsravd xmm0, xmm0, xmm1),
                }
                a!(self.ops; movdqu [rbx + vsr(t, 0)], xmm0);
            }
            _ => return false,
        }
        self.retired();
        true
    }

    fn system(&mut self, o: System, i: Insn) -> bool {
        use System::*;
        let rt = i.rt();
        let spr = i.bits(11, 15) | (i.bits(16, 20) << 5);
        match o {
            Mfspr if spr == 9 => {
                self.ld(0, CTR);
                self.st_rax(rt);
            }
            Mfspr if spr == 8 => {
                a!(self.ops; mov rax, [rbx + O_LR]);
                self.st_rax(rt);
            }
            Mtspr if spr == 9 => {
                self.ld_rax(rt);
                self.st_reg(CTR, 0);
            }
            Mtspr if spr == 8 => {
                self.ld_rax(rt);
                a!(self.ops; mov [rbx + O_LR], rax);
            }
            Mfcr => {
                a!(self.ops; mov eax, r15d);
                self.st_rax(rt);
            }
            // Cache hints: no architected effect (interp `system.rs`).
            Dcbt | Dcbtst => {}
            Mtcrf | Mtocrf => {
                let fxm = i.bits(12, 19);
                if o == Mtocrf && fxm.count_ones() != 1 {
                    return false;
                }
                let mut m = 0u32;
                for k in 0..8 {
                    if fxm & (0x80 >> k) != 0 {
                        m |= 0xf << (28 - 4 * k);
                    }
                }
                self.ld32(0, rt);
                a!(self.ops
                    ; and eax, m as i32
                    ; mov ecx, r15d
                    ; and ecx, !m as i32
                    ; or eax, ecx
                    ; mov [rbx + O_CR], eax ; mov r15d, eax
                );
            }
            Mfocrf => {
                let fxm = i.bits(12, 19);
                if fxm.count_ones() != 1 {
                    return false;
                }
                let n = fxm.leading_zeros() - 24;
                let m = 0xfu32 << (28 - 4 * n);
                a!(self.ops
                    ; mov eax, r15d
                    ; and eax, m as i32
                );
                self.st_rax(rt);
            }
            _ => return false,
        }
        self.retired();
        true
    }
}
