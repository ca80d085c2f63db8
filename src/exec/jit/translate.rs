//! Guest block → x86-64 code.
//!
//! Register conventions inside translated code: `rbx` = `*mut ArchState`,
//! `r12` = `*mut JitCtx`, `r13` = a value that must survive a helper call
//! (the effective address of an update-form access). Everything else is
//! scratch. The stack is 16-byte aligned (the trampoline sees to it), so
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
use dynasmrt::x64::Assembler;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use std::mem::offset_of;

macro_rules! a {
    ($ops:expr; $($t:tt)*) => {
        dynasm!($ops ; .arch x64 ; $($t)*)
    };
}

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
const J_RTLB: i32 = offset_of!(JitCtx, rtlb) as i32;
const J_WTLB: i32 = offset_of!(JitCtx, wtlb) as i32;
const J_DATA: i32 = offset_of!(JitCtx, data) as i32;
const fn vsr(n: usize, d: usize) -> i32 {
    (offset_of!(ArchState, vsr) + 16 * n + 8 * d) as i32
}

/// What a translation depends on.
pub(super) struct Config {
    /// Return to the Rust dispatcher (status in eax).
    pub exit: DynamicLabel,
    /// The in-code dispatcher (next pc in rax).
    pub dispatch: DynamicLabel,
    pub le: bool,
    pub level: IsaLevel,
    pub isa300: bool,
    /// VSX is available (PCR does not disable it).
    pub vsx: bool,
    /// Layout of the memory's TLBs (for the inline access path).
    pub tlb: TlbView,
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
    /// A store retired and moved the code generation: finish the instruction
    /// (update form: RA = r13) and leave at `next`.
    Smc {
        label: DynamicLabel,
        pending: i32,
        next: u64,
        update_ra: Option<usize>,
    },
}

/// Second operand of an add.
#[derive(Clone, Copy)]
enum Y {
    Reg(usize),
    Zero,
    Ones,
    Imm(i64),
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
    ops: &'a mut Assembler,
    /// Live blocks (direct jumps to them are allowed) and this block's own
    /// start and entry label.
    known: &'a std::collections::HashMap<u64, super::Block>,
    start: u64,
    entry: DynamicLabel,
    /// Blocks this one jumps to directly.
    links: Vec<u64>,
    exit: DynamicLabel,
    dispatch: DynamicLabel,
    vsx: bool,
    tlb: TlbView,
    insns: &'a mut Vec<std::pin::Pin<Box<Insn>>>,
    /// Instructions retired since `JitCtx::icount` was last brought up to date.
    pending: i32,
    cold: Vec<Cold>,
    isa300: bool,
    le: bool,
}

/// Translates the block at `pc`; returns its instruction count. Fails only if
/// the first instruction cannot be fetched or is illegal (the fault the
/// interpreter would report for it).
/// A translated block: entry label, instruction count, blocks it jumps to
/// directly.
pub(super) struct Translated {
    pub entry: DynamicLabel,
    pub n: u64,
    pub links: Vec<u64>,
}

pub(super) fn translate(
    ops: &mut Assembler,
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
        if matches!(i.op, Op::Branch(_)) && !is_cr_op(i.op) {
            break;
        }
    }
    let entry = ops.new_dynamic_label();
    let n = list.len() as i32;
    let budget = ops.new_dynamic_label();
    // Entry: the block runs only if all of it fits in the budget (direct
    // jumps from other blocks skip the dispatcher's check).
    a!(ops
        ; =>entry
        ; mov rax, [r12 + super::J_LIMIT]
        ; sub rax, [r12 + J_ICOUNT]
        ; cmp rax, n
        ; jb =>budget
    );
    let mut t = Tr {
        ops,
        known,
        start,
        entry,
        links: Vec::new(),
        exit: cfg.exit,
        dispatch: cfg.dispatch,
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
    Ok(Translated {
        entry,
        n: list.len() as u64,
        links: t.links,
    })
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

    /// Brings `JitCtx::icount` up to date.
    fn sync_icount(&mut self) {
        if self.pending > 0 {
            let p = self.pending;
            a!(self.ops; add QWORD [r12 + J_ICOUNT], p);
            self.pending = 0;
        }
    }

    fn set_pc(&mut self, pc: u64) {
        a!(self.ops
            ; mov rax, QWORD pc as i64
            ; mov [rbx + O_PC], rax
        );
    }

    /// Leaves the block, continuing at `next` (through the dispatcher).
    fn leave(&mut self, next: u64) {
        self.sync_icount();
        let target = if next == self.start {
            Some(self.entry)
        } else {
            self.known.get(&next).map(|b| b.label)
        };
        match target {
            // A direct jump (the target checks the budget itself).
            Some(l) => {
                if next != self.start {
                    self.links.push(next);
                }
                a!(self.ops; jmp =>l);
            }
            None => {
                self.set_pc(next);
                self.dispatch_inline();
            }
        }
    }

    /// The dispatcher of [`super::Code`], inlined at a block exit (rax = next
    /// pc, already in `state.pc`; icount up to date): each exit gets its own
    /// indirect jump, which the host predicts per site.
    fn dispatch_inline(&mut self) {
        let miss = self.ops.new_dynamic_label();
        a!(self.ops
            ; mov rcx, rax
            ; shr rcx, 2
            ; and ecx, (super::FAST_SIZE - 1) as i32
            ; shl rcx, 5
            ; add rcx, [r12 + super::J_FAST]
            ; cmp [rcx], rax
            ; jne =>miss
            ; mov rdx, [r12 + super::J_LIMIT]
            ; sub rdx, [r12 + J_ICOUNT]
            ; cmp [rcx + 16], rdx
            ; ja =>miss
            ; jmp QWORD [rcx + 8]
            ; =>miss
        );
        let d = self.dispatch;
        a!(self.ops; jmp =>d);
    }

    /// The instruction retired natively.
    fn retired(&mut self) {
        self.pending += 1;
    }

    fn call(&mut self, f: usize) {
        a!(self.ops
            ; mov rax, QWORD f as i64
            ; call rax
        );
    }

    fn emit_cold(&mut self) {
        let exit = self.exit;
        for c in std::mem::take(&mut self.cold) {
            match c {
                Cold::Fault { label, pending, pc } => {
                    a!(self.ops; =>label);
                    if pending > 0 {
                        a!(self.ops; add QWORD [r12 + J_ICOUNT], pending);
                    }
                    self.set_pc(pc);
                    a!(self.ops
                        ; mov eax, ST_FAULT as i32
                        ; jmp =>exit
                    );
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
                        a!(self.ops; mov [rbx + g(ra)], r13);
                    }
                    a!(self.ops; add QWORD [r12 + J_ICOUNT], pending);
                    self.set_pc(next);
                    a!(self.ops
                        ; mov eax, ST_LEAVE as i32
                        ; jmp =>exit
                    );
                }
            }
        }
    }

    /// One instruction: native if possible, else the interpreter.
    fn insn(&mut self, pc: u64, i: Insn) -> Flow {
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
        a!(self.ops
            ; mov rdi, r12
            ; mov rsi, QWORD p
            ; mov rdx, QWORD pc as i64
        );
        self.call(h_fallback as *const () as usize);
        a!(self.ops
            ; test eax, eax
            ; jnz =>exit
        );
    }

    // -- operand helpers ------------------------------------------------------

    /// rax = GPR n.
    fn ld_rax(&mut self, n: usize) {
        a!(self.ops; mov rax, [rbx + g(n)]);
    }

    /// GPR n = rax.
    fn st_rax(&mut self, n: usize) {
        a!(self.ops; mov [rbx + g(n)], rax);
    }

    /// CR field `bf` from the flags of a preceding `cmp` (signed or unsigned),
    /// SO from XER. Clobbers rax, rcx, rdx.
    fn crf_from_flags(&mut self, bf: usize, signed: bool) {
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
        let sh = (28 - 4 * bf) as i8;
        let keep = !(0xfu32 << sh) as i32;
        a!(self.ops; or al, [rbx + O_SO]);
        if sh != 0 {
            a!(self.ops; shl eax, sh);
        }
        a!(self.ops
            ; mov ecx, [rbx + O_CR]
            ; and ecx, keep
            ; or ecx, eax
            ; mov [rbx + O_CR], ecx
        );
    }

    /// CR0 from the 64-bit value in rax (clobbers rax, rcx, rdx).
    fn cr0_rax(&mut self) {
        a!(self.ops; test rax, rax);
        self.crf_from_flags(0, true);
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

    /// XER CA (and CA32 from ISA 3.0) from the byte in r10b.
    fn write_ca_r10(&mut self) {
        a!(self.ops; mov [rbx + O_CA], r10b);
        if self.isa300 {
            a!(self.ops; mov [rbx + O_CA32], r10b);
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
        self.ld_rax(ra);
        if not_x {
            a!(self.ops; not rax);
        }
        match y {
            Y::Reg(n) => a!(self.ops; mov rdx, [rbx + g(n)]),
            Y::Zero => a!(self.ops; xor edx, edx),
            Y::Ones => a!(self.ops; mov rdx, -1),
            Y::Imm(v) => a!(self.ops; mov rdx, QWORD v),
        }
        a!(self.ops
            ; mov r8, rax
            ; mov r9, rdx
        );
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
            a!(self.ops; setc r10b);
            if self.isa300 {
                a!(self.ops
                    ; mov ecx, r8d
                    ; mov esi, r9d
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
                    ; mov r11, rcx
                );
            }
        }
        if oe {
            a!(self.ops
                ; mov rcx, r8
                ; xor rcx, rax
                ; mov rsi, r9
                ; xor rsi, rax
                ; and rcx, rsi
                ; mov rsi, rcx
                ; shr rsi, 63
                ; shr rcx, 31
                ; and ecx, 1
            );
        }
        self.st_rax(rt);
        if carry {
            a!(self.ops; mov [rbx + O_CA], r10b);
            if self.isa300 {
                a!(self.ops; mov [rbx + O_CA32], r11b);
            }
        }
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
                    a!(self.ops; mov rax, QWORD imm);
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
                a!(self.ops
                    ; movsxd rax, DWORD [rbx + g(ra)]
                    ; movsxd rcx, DWORD [rbx + g(rb)]
                    ; imul rax, rcx
                    ; movsxd rdx, eax
                    ; cmp rdx, rax
                    ; setne sil
                );
                self.finish_xo_same(i);
            }
            Mulld => {
                a!(self.ops
                    ; mov rax, [rbx + g(ra)]
                    ; imul rax, [rbx + g(rb)]
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
                    a!(self.ops
                        ; movsxd rax, DWORD [rbx + g(ra)]
                        ; movsxd rcx, DWORD [rbx + g(rb)]
                    );
                } else {
                    a!(self.ops
                        ; mov eax, [rbx + g(ra)]
                        ; mov ecx, [rbx + g(rb)]
                    );
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
                let undef = self.ops.new_dynamic_label();
                let done = self.ops.new_dynamic_label();
                let wide = matches!(o, Divd | Divdu);
                if wide {
                    a!(self.ops
                        ; mov rax, [rbx + g(ra)]
                        ; mov rcx, [rbx + g(rb)]
                        ; test rcx, rcx
                    );
                } else {
                    a!(self.ops
                        ; mov eax, [rbx + g(ra)]
                        ; mov ecx, [rbx + g(rb)]
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
                let zero = self.ops.new_dynamic_label();
                let done = self.ops.new_dynamic_label();
                let wide = matches!(o, Modud | Modsd);
                if wide {
                    a!(self.ops
                        ; mov rax, [rbx + g(ra)]
                        ; mov rcx, [rbx + g(rb)]
                        ; test rcx, rcx
                        ; jz =>zero
                    );
                } else {
                    a!(self.ops
                        ; mov eax, [rbx + g(ra)]
                        ; mov ecx, [rbx + g(rb)]
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
                a!(self.ops
                    ; mov rax, [rbx + g(ra)]
                    ; imul rax, [rbx + g(rb)]
                    ; add rax, [rbx + g(rc_reg)]
                );
                self.st_rax(rt);
            }
            Cmp | Cmpl | Cmpi | Cmpli => {
                let bf = i.bits(6, 8) as usize;
                let l = i.bits(10, 10) != 0;
                let signed = matches!(o, Cmp | Cmpi);
                match (o, l) {
                    (Cmp | Cmpl, true) => a!(self.ops
                        ; mov rax, [rbx + g(ra)]
                        ; cmp rax, [rbx + g(rb)]
                    ),
                    (Cmp | Cmpl, false) => a!(self.ops
                        ; mov eax, [rbx + g(ra)]
                        ; cmp eax, [rbx + g(rb)]
                    ),
                    (_, true) => {
                        let imm = if o == Cmpi {
                            i.si() as i32
                        } else {
                            i.ui() as i32
                        };
                        a!(self.ops
                            ; mov rax, [rbx + g(ra)]
                            ; cmp rax, imm
                        );
                    }
                    (_, false) => {
                        let imm = if o == Cmpi {
                            i.si() as i32
                        } else {
                            i.ui() as i32
                        };
                        a!(self.ops
                            ; mov eax, [rbx + g(ra)]
                            ; cmp eax, imm
                        );
                    }
                }
                self.crf_from_flags(bf, signed);
            }
            And | Or | Xor | Nand | Nor | Eqv | Andc | Orc => {
                let rs = i.rs();
                if o == Or && rs == ra && rs == rb && !rc {
                    // The priority hint (`or rx,rx,rx`): interpreter.
                    return false;
                }
                self.ld_rax(rs);
                match o {
                    And | Nand => a!(self.ops; and rax, [rbx + g(rb)]),
                    Or | Nor => a!(self.ops; or rax, [rbx + g(rb)]),
                    Xor | Eqv => a!(self.ops; xor rax, [rbx + g(rb)]),
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
                self.ld_rax(i.rs());
                a!(self.ops; mov ecx, imm as i32);
                match o {
                    AndiRc | AndisRc => a!(self.ops; and rax, rcx),
                    Ori | Oris => a!(self.ops; or rax, rcx),
                    _ => a!(self.ops; xor rax, rcx),
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
                    _ => a!(self.ops; movsxd rax, DWORD [rbx + g(rs)]),
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
                a!(self.ops; mov rax, [rbx + g(rb)]);
                if ra == 0 {
                    a!(self.ops; xor ecx, ecx);
                } else {
                    a!(self.ops; mov rcx, [rbx + g(ra)]);
                }
                a!(self.ops
                    ; test DWORD [rbx + O_CR], bit
                    ; cmovnz rax, rcx
                );
                self.st_rax(rt);
            }
            Rlwinm | Rlwnm | Rlwimi => {
                let (mb, me) = (i.bits(21, 25), i.bits(26, 30));
                let m = mask64(mb + 32, me + 32);
                let rs = i.rs();
                // ROTL32: the low word replicated into both halves.
                a!(self.ops
                    ; mov eax, [rbx + g(rs)]
                    ; mov rdx, rax
                    ; shl rdx, 32
                    ; or rax, rdx
                );
                if o == Rlwnm {
                    a!(self.ops
                        ; mov ecx, [rbx + g(rb)]
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
                        ; and rcx, [rbx + g(ra)]
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
                    a!(self.ops
                        ; mov ecx, [rbx + g(rb)]
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
                        ; and rcx, [rbx + g(ra)]
                        ; or rax, rcx
                    );
                } else {
                    self.and_mask(m);
                }
                self.write_ra_rc(i);
            }
            Slw | Srw => {
                a!(self.ops
                    ; mov ecx, [rbx + g(rb)]
                    ; and ecx, 63
                    ; mov eax, [rbx + g(i.rs())]
                );
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
                a!(self.ops
                    ; mov rcx, [rbx + g(rb)]
                    ; mov rax, [rbx + g(i.rs())]
                );
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
                a!(self.ops; movsxd rdx, DWORD [rbx + g(i.rs())]);
                if o == Sraw {
                    a!(self.ops
                        ; mov ecx, [rbx + g(rb)]
                        ; and ecx, 63
                    );
                } else {
                    a!(self.ops; mov ecx, i.bits(16, 20) as i32);
                }
                self.sra_tail();
                self.write_ra_rc(i);
            }
            Srad => {
                let big = self.ops.new_dynamic_label();
                let done = self.ops.new_dynamic_label();
                a!(self.ops
                    ; mov rdx, [rbx + g(i.rs())]
                    ; mov ecx, [rbx + g(rb)]
                    ; and ecx, 127
                    ; cmp ecx, 63
                    ; ja =>big
                    ; mov rax, rdx
                    ; sar rax, cl
                    ; mov rsi, rax
                    ; shl rsi, cl
                    ; cmp rsi, rdx
                    ; setne r10b
                    ; jmp =>done
                    ; =>big
                    ; mov rax, rdx
                    ; sar rax, 63
                    ; test rdx, rdx
                    ; setne r10b
                    ; =>done
                    ; test rdx, rdx
                    ; sets r11b
                    ; and r10b, r11b
                );
                self.write_ca_r10();
                self.write_ra_rc(i);
            }
            Sradi => {
                let sh = (i.bits(16, 20) | (i.bits(30, 30) << 5)) as i32;
                a!(self.ops
                    ; mov rdx, [rbx + g(i.rs())]
                    ; mov ecx, sh
                );
                self.sra_tail_64();
                self.write_ra_rc(i);
            }
            Extswsli => {
                let sh = (i.bits(16, 20) | (i.bits(30, 30) << 5)) as i8;
                a!(self.ops; movsxd rax, DWORD [rbx + g(i.rs())]);
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
            ; setne r10b
            ; test rdx, rdx
            ; sets r11b
            ; and r10b, r11b
        );
        self.write_ca_r10();
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
                    a!(self.ops
                        ; mov rax, QWORD next as i64
                        ; mov [rbx + O_LR], rax
                    );
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
                // Target into r8 (LR/CTR read before any update).
                match o {
                    Bclr | Bclrl => a!(self.ops
                        ; mov r8, [rbx + O_LR]
                        ; and r8, -4
                    ),
                    Bcctr | Bcctrl => a!(self.ops
                        ; mov r8, [rbx + O_CTR]
                        ; and r8, -4
                    ),
                    _ => {
                        let bd = (i.word & 0xfffc) as u16 as i16 as i64 as u64;
                        let t = if matches!(o, Bca | Bcla) {
                            bd
                        } else {
                            pc.wrapping_add(bd)
                        };
                        a!(self.ops; mov r8, QWORD t as i64);
                    }
                }
                // cl = CTR condition, dl = CR condition (1 = satisfied).
                let ctr = bo & 4 == 0;
                let crc = bo & 0x10 == 0;
                if ctr {
                    a!(self.ops
                        ; mov rax, [rbx + O_CTR]
                        ; sub rax, 1
                        ; mov [rbx + O_CTR], rax
                        ; test rax, rax
                    );
                    if bo & 2 != 0 {
                        a!(self.ops; sete cl);
                    } else {
                        a!(self.ops; setne cl);
                    }
                }
                if crc {
                    let bit = (1u32 << (31 - bi)) as i32;
                    a!(self.ops; test DWORD [rbx + O_CR], bit);
                    if bo & 8 != 0 {
                        a!(self.ops; setnz dl);
                    } else {
                        a!(self.ops; setz dl);
                    }
                }
                if lk {
                    a!(self.ops
                        ; mov rax, QWORD next as i64
                        ; mov [rbx + O_LR], rax
                    );
                }
                self.retired();
                self.sync_icount();
                if matches!(o, Bc | Bcl | Bca | Bcla) {
                    // Static targets: two exits, each chained directly when
                    // the target is translated.
                    let bd = (i.word & 0xfffc) as u16 as i16 as i64 as u64;
                    let t = if matches!(o, Bca | Bcla) {
                        bd
                    } else {
                        pc.wrapping_add(bd)
                    };
                    if ctr || crc {
                        if ctr && crc {
                            a!(self.ops; and cl, dl);
                        } else if crc {
                            a!(self.ops; mov cl, dl);
                        }
                        let taken = self.ops.new_dynamic_label();
                        a!(self.ops
                            ; test cl, cl
                            ; jnz =>taken
                        );
                        self.leave(next);
                        a!(self.ops; =>taken);
                    }
                    self.leave(t);
                    return Some(Flow::End);
                }
                match (ctr, crc) {
                    (false, false) => a!(self.ops; mov [rbx + O_PC], r8),
                    _ => {
                        if ctr && crc {
                            a!(self.ops; and cl, dl);
                        } else if crc {
                            a!(self.ops; mov cl, dl);
                        }
                        a!(self.ops
                            ; mov rax, QWORD next as i64
                            ; test cl, cl
                            ; cmovnz rax, r8
                            ; mov [rbx + O_PC], rax
                        );
                    }
                }
                a!(self.ops; mov rax, [rbx + O_PC]);
                self.dispatch_inline();
                Some(Flow::End)
            }
            Crand | Cror | Crxor | Crnand | Crnor | Creqv | Crandc | Crorc => {
                let (bt, ba, bb) = (i.bits(6, 10), i.bits(11, 15), i.bits(16, 20));
                a!(self.ops
                    ; mov eax, [rbx + O_CR]
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
                    ; mov [rbx + O_CR], eax
                );
                self.retired();
                Some(Flow::Next)
            }
            Mcrf => {
                let (bf, bfa) = (i.bits(6, 8), i.bits(11, 13));
                let (shd, shs) = ((28 - 4 * bf) as i8, (28 - 4 * bfa) as i8);
                let keep = !(0xfu32 << shd) as i32;
                a!(self.ops
                    ; mov eax, [rbx + O_CR]
                    ; mov ecx, eax
                    ; shr ecx, shs
                    ; and ecx, 0xf
                    ; shl ecx, shd
                    ; and eax, keep
                    ; or eax, ecx
                    ; mov [rbx + O_CR], eax
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
                Some(d) => a!(self.ops; mov rsi, QWORD d),
                None => a!(self.ops; mov rsi, [rbx + g(rb)]),
            }
        } else {
            a!(self.ops; mov rsi, [rbx + g(ra)]);
            match disp {
                Some(d) => {
                    if d != 0 {
                        a!(self.ops; add rsi, d as i32);
                    }
                }
                None => a!(self.ops; add rsi, [rbx + g(rb)]),
            }
        }
    }

    /// Whether the TLB layout allows the inline path (16-byte entries, u32
    /// index): otherwise every access calls the helper.
    fn inline_ok(&self) -> bool {
        self.tlb.entry_size.is_power_of_two() && self.tlb.slots.is_power_of_two()
    }

    /// rcx = TLB entry for the page of rsi in the TLB at `tlb_off` of the
    /// context; jumps to `slow` on a miss or when the `n`-byte access at rsi
    /// crosses the page. On a hit: rcx = host address of the page, edx =
    /// offset. Clobbers rax.
    fn tlb_probe(&mut self, tlb_off: i32, n: usize, slow: DynamicLabel) {
        let sh = self.tlb.entry_size.trailing_zeros() as i8;
        let mask = (self.tlb.slots - 1) as i32;
        let (vo, io) = (self.tlb.vpn_offset as i32, self.tlb.idx_offset as i32);
        let lim = (crate::mem::PAGE_SIZE as usize - n) as i32;
        a!(self.ops
            ; mov rax, rsi
            ; shr rax, 12
            ; mov ecx, eax
            ; and ecx, mask
            ; shl ecx, sh
            ; add rcx, [r12 + tlb_off]
            ; cmp [rcx + vo], rax
            ; jne =>slow
            ; mov edx, esi
            ; and edx, 0xfff
            ; cmp edx, lim
            ; ja =>slow
            ; mov ecx, DWORD [rcx + io]
            ; shl rcx, 12
            ; add rcx, [r12 + J_DATA]
        );
    }

    /// rax = the `n`-byte value at guest address rsi (zero-extended), as
    /// [`Memory::load`]: the TLB hit inline, anything else through the
    /// helper; a fault jumps to `fault`.
    fn load_inline(&mut self, n: usize, fault: DynamicLabel) {
        let slow = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        if self.inline_ok() {
            self.tlb_probe(J_RTLB, n, slow);
            match n {
                1 => a!(self.ops; movzx eax, BYTE [rcx + rdx]),
                2 => a!(self.ops; movzx eax, WORD [rcx + rdx]),
                4 => a!(self.ops; mov eax, [rcx + rdx]),
                _ => a!(self.ops; mov rax, [rcx + rdx]),
            }
            if !self.le {
                match n {
                    1 => {}
                    2 => a!(self.ops; rol ax, 8),
                    4 => a!(self.ops; bswap eax),
                    _ => a!(self.ops; bswap rax),
                }
            }
            a!(self.ops; jmp =>done);
        }
        a!(self.ops
            ; =>slow
            ; mov rdi, r12
        );
        let f = self.load_helper(n);
        self.call(f);
        a!(self.ops
            ; test rdx, rdx
            ; jnz =>fault
            ; =>done
        );
    }

    /// Stores the low `n` bytes of r9 at guest address rsi, as
    /// [`Memory::store`] (the write TLB never holds a code page, so an inline
    /// hit cannot change the code generation); the helper reports a fault
    /// (to `fault`) or a store into code (to `smc`).
    fn store_inline(&mut self, n: usize, fault: DynamicLabel, smc: DynamicLabel) {
        let slow = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        if self.inline_ok() {
            self.tlb_probe(J_WTLB, n, slow);
            a!(self.ops; mov r8, r9);
            if !self.le {
                match n {
                    1 => {}
                    2 => a!(self.ops; rol r8w, 8),
                    4 => a!(self.ops; bswap r8d),
                    _ => a!(self.ops; bswap r8),
                }
            }
            match n {
                1 => a!(self.ops; mov [rcx + rdx], r8b),
                2 => a!(self.ops; mov [rcx + rdx], r8w),
                4 => a!(self.ops; mov [rcx + rdx], r8d),
                _ => a!(self.ops; mov [rcx + rdx], r8),
            }
            a!(self.ops; jmp =>done);
        }
        a!(self.ops
            ; =>slow
            ; mov rdi, r12
            ; mov rdx, r9
        );
        let f = self.store_helper(n);
        self.call(f);
        a!(self.ops
            ; cmp eax, 1
            ; je =>smc
            ; ja =>fault
            ; =>done
        );
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
            _ => return false,
        };
        let (rt, ra, rb) = (i.rt(), i.ra(), i.rb());
        // Invalid update forms fault in the interpreter.
        if update && (ra == 0 || (!store && ra == rt)) {
            return false;
        }
        self.ea(ra, disp, rb);
        if update {
            a!(self.ops; mov r13, rsi);
        }
        let fault = self.ops.new_dynamic_label();
        self.cold.push(Cold::Fault {
            label: fault,
            pending: self.pending,
            pc,
        });
        if store {
            a!(self.ops; mov r9, [rbx + g(rt)]);
            let smc = self.ops.new_dynamic_label();
            self.cold.push(Cold::Smc {
                label: smc,
                pending: self.pending + 1,
                next: pc.wrapping_add(4),
                update_ra: update.then_some(ra),
            });
            self.store_inline(n, fault, smc);
        } else {
            self.load_inline(n, fault);
            match (n, signed) {
                (2, true) => a!(self.ops; movsx rax, ax),
                (4, true) => a!(self.ops; movsxd rax, eax),
                _ => {}
            }
            self.st_rax(rt);
        }
        if update {
            a!(self.ops; mov [rbx + g(ra)], r13);
        }
        self.retired();
        true
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
                a!(self.ops
                    ; mov eax, [rbx + g(ra)]
                    ; mov [rbx + vsr(xt, 0)], rax
                );
            }
            Mtvsrwa => {
                a!(self.ops
                    ; movsxd rax, DWORD [rbx + g(ra)]
                    ; mov [rbx + vsr(xt, 0)], rax
                );
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
                a!(self.ops
                    ; mov [rbx + vsr(xt, 0)], rax
                    ; mov [rbx + vsr(xt, 1)], rdx
                );
            }
            _ => return false,
        }
        self.retired();
        true
    }

    /// lxv / stxv: 16 bytes between VSR `x` and (RA|0) + DQ, as interp
    /// `load_q` / `store_q` (one little- or big-endian quadword; doubleword 0
    /// is the high half).
    fn quad(&mut self, pc: u64, store: bool, x: usize, ra: usize, dq: i64) {
        self.ea(ra, Some(dq), 0);
        let fault = self.ops.new_dynamic_label();
        self.cold.push(Cold::Fault {
            label: fault,
            pending: self.pending,
            pc,
        });
        let slow = self.ops.new_dynamic_label();
        let done = self.ops.new_dynamic_label();
        let (d0, d1) = (vsr(x, 0), vsr(x, 1));
        if store {
            let smc = self.ops.new_dynamic_label();
            self.cold.push(Cold::Smc {
                label: smc,
                pending: self.pending + 1,
                next: pc.wrapping_add(4),
                update_ra: None,
            });
            if self.inline_ok() {
                self.tlb_probe(J_WTLB, 16, slow);
                a!(self.ops
                    ; add rcx, rdx
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
                a!(self.ops; jmp =>done);
            }
            let f = if self.le {
                h_stxv::<true> as *const () as usize
            } else {
                h_stxv::<false> as *const () as usize
            };
            a!(self.ops
                ; =>slow
                ; mov rdi, r12
                ; mov edx, x as i32
            );
            self.call(f);
            a!(self.ops
                ; cmp eax, 1
                ; je =>smc
                ; ja =>fault
                ; =>done
            );
        } else {
            if self.inline_ok() {
                self.tlb_probe(J_RTLB, 16, slow);
                a!(self.ops
                    ; mov rax, [rcx + rdx]
                    ; mov rdx, [rcx + rdx + 8]
                );
                if self.le {
                    a!(self.ops
                        ; mov [rbx + d1], rax
                        ; mov [rbx + d0], rdx
                    );
                } else {
                    a!(self.ops
                        ; bswap rax
                        ; bswap rdx
                        ; mov [rbx + d0], rax
                        ; mov [rbx + d1], rdx
                    );
                }
                a!(self.ops; jmp =>done);
            }
            let f = if self.le {
                h_lxv::<true> as *const () as usize
            } else {
                h_lxv::<false> as *const () as usize
            };
            a!(self.ops
                ; =>slow
                ; mov rdi, r12
                ; mov edx, x as i32
            );
            self.call(f);
            a!(self.ops
                ; test rax, rax
                ; jnz =>fault
                ; =>done
            );
        }
        self.retired();
    }

    fn system(&mut self, o: System, i: Insn) -> bool {
        use System::*;
        let rt = i.rt();
        let spr = i.bits(11, 15) | (i.bits(16, 20) << 5);
        match o {
            Mfspr if spr == 8 || spr == 9 => {
                let off = if spr == 8 { O_LR } else { O_CTR };
                a!(self.ops; mov rax, [rbx + off]);
                self.st_rax(rt);
            }
            Mtspr if spr == 8 || spr == 9 => {
                let off = if spr == 8 { O_LR } else { O_CTR };
                self.ld_rax(rt);
                a!(self.ops; mov [rbx + off], rax);
            }
            Mfcr => {
                a!(self.ops; mov eax, [rbx + O_CR]);
                self.st_rax(rt);
            }
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
                a!(self.ops
                    ; mov eax, [rbx + g(rt)]
                    ; and eax, m as i32
                    ; mov ecx, [rbx + O_CR]
                    ; and ecx, !m as i32
                    ; or eax, ecx
                    ; mov [rbx + O_CR], eax
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
                    ; mov eax, [rbx + O_CR]
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
