//! Native floating point: classic FPR and VSX scalar/vector double
//! arithmetic on the host's SSE2/FMA units, with the FPSCR exactly as the
//! interpreter ([`crate::exec::interp::fpu`], the specification) leaves it.
//!
//! # When the host computes
//!
//! An arithmetic instruction runs natively only in the *fast mode*, checked
//! per instruction with one load and compare of the FPSCR: RN = round to
//! nearest, NI = 0, every exception disabled (VE OE UE ZE XE = 0), and FX and
//! XX already set (or in the tracking mode, below). Then the only exception an operation with a finite normal
//! result can raise is XX, which is already set, so the sticky bits, FX, FEX
//! and VX cannot change (`fpu::commit`).
//!
//! The host (MXCSR default: round to nearest, all exceptions masked, no
//! FTZ/DAZ — the interpreter's own fast paths assume the same) returns the
//! correctly rounded IEEE result, which is the interpreter's result whenever
//! no special case is involved. The JIT does not trust the host for special
//! cases at all: the result's bits are checked with integer operations and
//! anything but a *normal* result strictly above the smallest normal
//! (a NaN, an infinity, a zero, a denormal or ±2^-1022, whose exact value may
//! be tiny) sends the instruction to the interpreter. NaN and infinite
//! operands, invalid operations, zero divides, overflow and underflow all
//! produce such results, so they are never computed by the host. Zeros are
//! accepted where they are exact by construction: a sum (cancellation) or a
//! square root, a product or quotient with a zero operand, a fused form with
//! a zero factor or whose exact product cancels the addend (IEEE's sign
//! rules, which SSE follows).
//!
//! Single precision (`fadds`, `fmadds`, …) rounds the exact result once to
//! binary32. The host computes the binary64 result `d` (one rounding; FMA for
//! the fused forms) and then rounds `d` to binary32. Rounding twice differs
//! from rounding once only when `d` lies exactly halfway between two
//! binary32 numbers (the binary32 midpoints are binary64 numbers, and
//! rounding is monotonic, so any other `d` stays in the same midpoint
//! interval as the exact value). For such `d` (low 29 bits `0x1000_0000`)
//! the JIT proves `d` exact (TwoSum for sums, the FMA residual for products,
//! TwoSum of the exact product of binary32 factors and the addend for fused
//! forms) or takes the interpreter, as it does for results outside the
//! binary32 normal range.
//!
//! # The FPSCR
//!
//! Scalar arithmetic writes FPRF and FI (and leaves FR: the interpreter never
//! sets it, as QEMU does not). Both describe only the *last* operation and
//! only the next reader of the FPSCR can observe them, so translated code
//! does not compute them: it records the result (FPRF is its class) and the
//! operation with its operands (FI: was it inexact) in [`JitCtx::fp`]
//! ([`FpLazy`]), a few stores. [`materialize`] brings the FPSCR up to date
//! before anything can observe it: before every call into the interpreter
//! ([`super::super::h_fallback`], which includes every slow path of this
//! file) and whenever translated code returns to the dispatcher (faults,
//! system calls, budget, misses). FPRF is `fpu::fprf` of the result; FI comes
//! from rerunning the interpreter's own code for the operation on a copy of
//! the FPSCR (exact by construction; it costs a soft-float call only once
//! per exit, not per instruction). Only FI is taken from the rerun: XX and FX
//! were already set (fast mode) or the operation was exact (tracking mode),
//! and later native instructions may have changed FPCC or RN since.
//! `fcmpu`/`fcmpo` set FPCC and clear FI themselves (keeping the C bit of a
//! pending FPRF: set only for a -0 result) and drop both records;
//! `xscmpudp`/`xscmpodp` keep FI pending. `fcti*` and `fcfid[u][s]` record
//! FI only (they leave FPRF alone, as the interpreter).
//!
//! In the *tracking mode* (XX or FX clear, otherwise as the fast mode) an
//! inexact operation would set XX and FX: there the host's inexact flag
//! (MXCSR PE, cleared before the operation) decides, and an inexact
//! operation takes the interpreter (once: then XX is set), so programs whose
//! arithmetic is exact (integers in doubles) stay native.
//!
//! Vector forms (`xvmaddadp`, …) do not write FPRF, FR or FI
//! (`vsx.rs::vcommit`), so in the fast mode with normal results they change
//! nothing in the FPSCR and leave the record alone.
//!
//! Loads, stores and sign/move operations never touch the FPSCR and need no
//! fast mode: `lfs` converts with `cvtss2sd` except for NaNs (which SSE would
//! quiet; the ISA keeps signaling NaNs signaling), converted with integer
//! operations, and `stfs` narrows with integer operations (the ISA's SINGLE,
//! truncating, as `fpu::double_to_single`).
//!
//! A slow path is the interpreter's semantics for the one instruction, taken
//! before anything was written, with the instruction count made exact around
//! the call.

use super::*;
use crate::exec::interp::fpu::{self, IntKind, Madd, Prec, Round};
use crate::isa::table::{Fp, Vsx};

const O_FPSCR: i32 = offset_of!(ArchState, fpscr) as i32;
const J_FP_OP: i32 = (offset_of!(JitCtx, fp) + offset_of!(FpLazy, op)) as i32;
const J_FP_FPRF: i32 = (offset_of!(JitCtx, fp) + offset_of!(FpLazy, fprf)) as i32;
const J_FP_R: i32 = (offset_of!(JitCtx, fp) + offset_of!(FpLazy, r)) as i32;
const J_FP_A: i32 = (offset_of!(JitCtx, fp) + offset_of!(FpLazy, a)) as i32;
const J_FP_B: i32 = (offset_of!(JitCtx, fp) + offset_of!(FpLazy, b)) as i32;
const J_FP_C: i32 = (offset_of!(JitCtx, fp) + offset_of!(FpLazy, c)) as i32;
const J_FP_MX: i32 = (offset_of!(JitCtx, fp) + offset_of!(FpLazy, mxcsr)) as i32;
/// MXCSR: round to nearest, all exceptions masked, flags clear.
const MXCSR_DEFAULT: i32 = 0x1f80;
/// MXCSR precision (inexact) flag.
const MXCSR_PE: i8 = 0x20;

use fpu::bits::{FPCC, FPRF, FX, NI, OE, RN, UE, VE, XE, XX, ZE};

/// FPSCR bits that decide the fast mode, and their required value.
const MODE_MASK: u64 = FX | XX | VE | OE | UE | ZE | XE | NI | RN;
const MODE_FAST: u64 = FX | XX;
const _: () = assert!(MODE_MASK < 1 << 32);

/// What translated code has not yet written to the FPSCR (see the module
/// docs): the last scalar operation whose FI is still to be computed (`op`
/// 0: none) and the result whose class FPRF is still to take (`fprf` 0:
/// none).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct FpLazy {
    pub(crate) op: u32,
    pub(crate) fprf: u32,
    /// The result FPRF describes.
    pub(crate) r: u64,
    pub(crate) a: u64,
    pub(crate) b: u64,
    pub(crate) c: u64,
    /// Scratch for ldmxcsr/stmxcsr (the exactness-tracking mode).
    pub(crate) mxcsr: u32,
}

// Recorded operations (`FpLazy::op`); `K_SINGLE` marks binary32 results.
const K_ADD: u32 = 1;
const K_SUB: u32 = 2;
const K_MUL: u32 = 3;
const K_DIV: u32 = 4;
const K_SQRT: u32 = 5;
/// Fused forms: a × b ± c (`Madd` in the low bits: K_MADD + 0..3).
const K_MADD: u32 = 6;
const K_FRSP: u32 = 10;
const K_FCFID: u32 = 11;
/// fcfids, fcfidu, fcfidus: no FPRF (as the interpreter); with `K_SINGLE`.
const K_FCFIDS: u32 = 12;
const K_FCFIDU: u32 = 13;
const K_FCTIDZ: u32 = 15;
const K_FCTIWZ: u32 = 16;
const K_FCTID: u32 = 17;
const K_FCTIW: u32 = 18;
const K_FCTIDUZ: u32 = 19;
const K_FCTIWUZ: u32 = 20;
const K_SINGLE: u32 = 0x100;

const MADDS: [Madd; 4] = [Madd::Madd, Madd::Msub, Madd::Nmadd, Madd::Nmsub];

/// Brings FPRF and FI up to date: FPRF from the recorded result, FI by
/// rerunning the recorded operation with the interpreter's code (see the
/// module docs).
#[inline]
pub(crate) fn materialize(jc: &mut JitCtx) {
    let l = jc.fp;
    if l.op | l.fprf == 0 {
        return;
    }
    jc.fp.op = 0;
    jc.fp.fprf = 0;
    // SAFETY: `state` is the live state of the running dispatcher.
    let s = unsafe { &mut *jc.state };
    if l.fprf != 0 {
        s.fpscr = (s.fpscr & !FPRF) | ((fpu::fprf(l.r) as u64) << fpu::bits::FPRF_SHIFT);
    }
    if l.op != 0 {
        rerun(&mut s.fpscr, l);
    }
}

/// The FPSCR transition of the recorded operation, by the interpreter's own
/// functions (`exec/interp/fp.rs` and `vsx.rs::sfp`).
#[cold]
fn rerun(fpscr: &mut u64, l: FpLazy) {
    let p = if l.op & K_SINGLE != 0 {
        Prec::Single
    } else {
        Prec::Double
    };
    // Only FI is taken from the rerun: everything else the operation wrote
    // is already in the FPSCR, and later native instructions (xscmpudp,
    // mffscrni) may have changed FPCC or RN since. The operation ran in round
    // to nearest with nothing enabled.
    let mut f = *fpscr & !(RN | fpu::bits::VE | OE | UE | ZE | XE);
    rerun_op(&mut f, l.op, p, l.a, l.b, l.c);
    *fpscr = (*fpscr & !fpu::bits::FI) | (f & fpu::bits::FI);
}

fn rerun_op(fpscr: &mut u64, op: u32, p: Prec, a: u64, b: u64, c: u64) {
    let _: fpu::Outcome = match op & !K_SINGLE {
        K_ADD => fpu::arith(fpscr, |m, f| fpu::add(a, b, p, m, f)),
        K_SUB => fpu::arith(fpscr, |m, f| fpu::sub(a, b, p, m, f)),
        K_MUL => fpu::arith(fpscr, |m, f| fpu::mul(a, b, p, m, f)),
        K_DIV => fpu::arith(fpscr, |m, f| fpu::div(a, b, p, m, f)),
        K_SQRT => fpu::arith(fpscr, |m, f| fpu::sqrt(a, p, m, f)),
        k @ K_MADD..=9 => {
            let kind = MADDS[(k - K_MADD) as usize];
            fpu::arith(fpscr, |m, f| fpu::madd(a, b, c, kind, p, m, f))
        }
        K_FRSP => fpu::arith(fpscr, |m, f| fpu::round_to_single(a, m, f)),
        K_FCFID => fpu::arith(fpscr, |m, f| fpu::from_int(a, true, p, m, f)),
        K_FCFIDS => fpu::arith_fprf(fpscr, false, |m, f| fpu::from_int(a, true, p, m, f)),
        K_FCFIDU => fpu::arith_fprf(fpscr, false, |m, f| fpu::from_int(a, false, p, m, f)),
        K_FCTIDZ => fpu::convert_to_int(fpscr, a, IntKind::I64, Some(Round::Zero)),
        K_FCTIWZ => fpu::convert_to_int(fpscr, a, IntKind::I32, Some(Round::Zero)),
        K_FCTID => fpu::convert_to_int(fpscr, a, IntKind::I64, None),
        K_FCTIW => fpu::convert_to_int(fpscr, a, IntKind::I32, None),
        K_FCTIDUZ => fpu::convert_to_int(fpscr, a, IntKind::U64, Some(Round::Zero)),
        K_FCTIWUZ => fpu::convert_to_int(fpscr, a, IntKind::U32, Some(Round::Zero)),
        _ => return,
    };
}

/// A scalar arithmetic operation on the host.
#[derive(Clone, Copy, PartialEq)]
enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Sqrt,
    /// Fused multiply-add of the given kind: a × b ± c.
    Fma(Madd),
}

impl Arith {
    fn kind(self) -> u32 {
        match self {
            Arith::Add => K_ADD,
            Arith::Sub => K_SUB,
            Arith::Mul => K_MUL,
            Arith::Div => K_DIV,
            Arith::Sqrt => K_SQRT,
            Arith::Fma(m) => K_MADD + MADDS.iter().position(|&x| x == m).unwrap_or(0) as u32,
        }
    }
}

/// Whether the host has FMA (VEX `vfmadd231sd`); without it the fused forms
/// stay in the interpreter.
fn host_fma() -> bool {
    std::arch::is_x86_feature_detected!("fma")
}

impl Tr<'_> {
    // -- building blocks ------------------------------------------------------

    /// Jumps to `slow` unless the FPSCR is in the fast mode or in the *tracking mode*: XX (or
    /// FX) clear with round to nearest, NI = 0 and nothing enabled. There an
    /// inexact result would set XX and FX, so the host's inexact flag (MXCSR
    /// PE, cleared here) decides: [`Self::fp_track_check`] sends an inexact
    /// operation to the interpreter, an exact one changes neither XX nor FX.
    /// r9d ← 1 in the tracking mode, 0 in the fast mode. Clobbers eax.
    fn fp_guard_track(&mut self, slow: DynamicLabel) {
        let go = self.label();
        a!(self.ops
            ; xor r9d, r9d
            ; mov eax, DWORD [rbx + O_FPSCR]
            ; and eax, MODE_MASK as u32 as i32
            ; cmp eax, MODE_FAST as u32 as i32
            ; je =>go
            ; test eax, (MODE_MASK & !MODE_FAST) as u32 as i32
            ; jnz =>slow
            ; inc r9d
            ; mov DWORD [r12 + J_FP_MX], MXCSR_DEFAULT
            ; ldmxcsr [r12 + J_FP_MX]
            ; =>go
        );
    }

    /// In the tracking mode (r9d ≠ 0): jumps to `slow` if the host raised
    /// inexact since [`Self::fp_guard_track`].
    fn fp_track_check(&mut self, slow: DynamicLabel) {
        a!(self.ops
            ; test r9d, r9d
            ; jz >fast
            ; stmxcsr [r12 + J_FP_MX]
            ; test BYTE [r12 + J_FP_MX], MXCSR_PE
            ; jnz =>slow
            ; fast:
        );
    }

    /// FPRF ← the class of the result in rax, lazily (the result is
    /// recorded for [`materialize`]).
    fn fp_set_fprf(&mut self) {
        a!(self.ops
            ; mov [r12 + J_FP_R], rax
            ; mov DWORD [r12 + J_FP_FPRF], 1
        );
    }

    /// Records the operation `kind` for [`materialize`]: operands from xmm1,
    /// xmm2, xmm3 (as many as `n`).
    fn fp_record(&mut self, kind: u32, n: usize) {
        a!(self.ops; mov DWORD [r12 + J_FP_OP], kind as i32);
        if n > 0 {
            a!(self.ops; movsd QWORD [r12 + J_FP_A], xmm1);
        }
        if n > 1 {
            a!(self.ops; movsd QWORD [r12 + J_FP_B], xmm2);
        }
        if n > 2 {
            a!(self.ops; movsd QWORD [r12 + J_FP_C], xmm3);
        }
    }

    /// Scalar result rax into doubleword 0 of VSR `t`, doubleword 1 zeroed
    /// (`set_frt`, `set_scalar`).
    fn fp_write(&mut self, t: usize) {
        // Two 8-byte stores, not `st_vsr_pair`: the next reader is nearly
        // always a scalar (8-byte) load, and the GPR→XMM move would add
        // latency to every floating-point dependency chain.
        a!(self.ops
            ; mov [rbx + vsr(t, 0)], rax
            ; mov QWORD [rbx + vsr(t, 1)], 0
        );
        self.fpr_written_rax(t);
    }

    /// Rc=1 of a classic instruction: CR1 ← FPSCR[FX FEX VX OX] (nothing of
    /// which is lazy).
    fn fp_cr1(&mut self) {
        a!(self.ops
            ; mov eax, [rbx + O_FPSCR]
            ; shr eax, 4
            ; and eax, 0x0f00_0000
            ; mov ecx, r15d
            ; and ecx, !0x0f00_0000
            ; or ecx, eax
            ; mov [rbx + O_CR], ecx ; mov r15d, ecx
        );
    }

    /// Ends a native instruction with a slow path: the fast path jumps over
    /// it to `done`; `slow` runs the interpreter for `i` with the instruction
    /// count made exact for the call and restored to the fast path's base
    /// after it (the fast path counts the instruction in `pending`).
    fn fp_slow(&mut self, pc: u64, i: Insn, slow: DynamicLabel) {
        let done = self.label();
        let p = self.pending;
        a!(self.ops
            ; jmp =>done
            ; =>slow
        );
        // (jit-int helper: the budget lives in r14 now; `interp_slow` does
        // the count bookkeeping this used to do on JitCtx::icount.)
        self.interp_slow(pc, i, p);
        a!(self.ops; =>done);
        self.retired();
    }

    // -- scalar arithmetic ----------------------------------------------------

    /// `t ← op(x, y, z)` (VSR numbers; `Fma`: x × y ± z; `Sqrt`: √x), with
    /// FPRF, lazy FI and, with `rc`, CR1.
    #[allow(clippy::too_many_arguments)]
    fn fp_arith(
        &mut self,
        pc: u64,
        i: Insn,
        op: Arith,
        single: bool,
        t: usize,
        src: [usize; 3],
        rc: bool,
    ) -> bool {
        if matches!(op, Arith::Fma(_)) && !host_fma() {
            return false;
        }
        let slow = self.label();
        self.fp_guard_track(slow);
        let n = match op {
            Arith::Sqrt => 1,
            Arith::Fma(_) => 3,
            _ => 2,
        };
        self.ld_fpr(1, src[0]);
        if n > 1 {
            self.ld_fpr(2, src[1]);
        }
        if n > 2 {
            self.ld_fpr(3, src[2]);
        }
        match op {
            Arith::Add => a!(self.ops; movapd xmm0, xmm1; addsd xmm0, xmm2),
            Arith::Sub => a!(self.ops; movapd xmm0, xmm1; subsd xmm0, xmm2),
            Arith::Mul => a!(self.ops; movapd xmm0, xmm1; mulsd xmm0, xmm2),
            Arith::Div => a!(self.ops; movapd xmm0, xmm1; divsd xmm0, xmm2),
            Arith::Sqrt => a!(self.ops; sqrtsd xmm0, xmm1),
            Arith::Fma(m) => {
                a!(self.ops; movapd xmm0, xmm3);
                if matches!(m, Madd::Madd | Madd::Nmadd) {
                    a!(self.ops; vfmadd231sd xmm0, xmm1, xmm2);
                } else {
                    a!(self.ops; vfmsub231sd xmm0, xmm1, xmm2);
                }
            }
        }
        a!(self.ops; movq rax, xmm0);
        self.fp_check_result(op, single, src, 0, slow);
        self.fp_track_check(slow);
        if matches!(op, Arith::Fma(Madd::Nmadd | Madd::Nmsub)) {
            // The negation of the rounded result (round to nearest is
            // symmetric; a NaN never gets here).
            a!(self.ops; btc rax, 63);
        }
        self.fp_write(t);
        self.fp_set_fprf();
        let kind = op.kind() | if single { K_SINGLE } else { 0 };
        self.fp_record(kind, n);
        if rc {
            self.fp_cr1();
        }
        self.fp_slow(pc, i, slow);
        true
    }

    /// Jumps to `slow` unless the host result rax/xmm0 (binary64, before the
    /// negation of the nm forms) of `op` on doubleword `d` of the VSRs `src`
    /// (still unchanged) is what the interpreter computes without raising
    /// anything but XX; for `single`, leaves the binary32 result (as binary64)
    /// in rax/xmm0. Accepted: normal results above the smallest normal, and
    /// zeros that are exact by construction (a sum or square root; a product
    /// or quotient with a zero operand; a fused form with a zero factor or
    /// an exact product cancelling the addend). Clobbers rcx, rdx,
    /// xmm4-xmm8.
    fn fp_check_result(
        &mut self,
        op: Arith,
        single: bool,
        src: [usize; 3],
        d: usize,
        slow: DynamicLabel,
    ) {
        let (nz, ok) = (self.label(), self.label());
        let zero_ok = |me: &mut Self, k: usize| {
            a!(me.ops
                ; mov rcx, [rbx + vsr(src[k], d)]
                ; add rcx, rcx
                ; jz =>ok
            );
        };
        a!(self.ops
            ; lea rdx, [rax + rax]
            ; test rdx, rdx
            ; jnz =>nz
        );
        match op {
            Arith::Add | Arith::Sub | Arith::Sqrt => a!(self.ops; jmp =>ok),
            Arith::Mul => {
                zero_ok(self, 0);
                zero_ok(self, 1);
                a!(self.ops; jmp =>slow);
            }
            Arith::Div => {
                zero_ok(self, 0);
                a!(self.ops; jmp =>slow);
            }
            Arith::Fma(m) => {
                zero_ok(self, 0);
                zero_ok(self, 1);
                // x × y exact (residual 0) and equal to ∓z, z not tiny (so
                // the residual cannot have underflowed): exact cancellation.
                a!(self.ops
                    ; movsd xmm4, QWORD [rbx + vsr(src[0], d)]
                    ; movsd xmm5, QWORD [rbx + vsr(src[1], d)]
                    ; movapd xmm6, xmm4
                    ; mulsd xmm6, xmm5
                    ; movapd xmm7, xmm6
                    ; vfmsub231sd xmm7, xmm4, xmm5
                    ; movq rcx, xmm7
                    ; add rcx, rcx
                    ; jnz =>slow
                    ; movq rcx, xmm6
                    ; mov rdx, [rbx + vsr(src[2], d)]
                );
                if matches!(m, Madd::Madd | Madd::Nmadd) {
                    a!(self.ops; btc rdx, 63);
                }
                a!(self.ops
                    ; cmp rcx, rdx
                    ; jne =>slow
                    ; shr rdx, 52
                    ; and edx, 0x7ff
                    ; cmp edx, 0x100
                    ; jb =>slow
                    ; jmp =>ok
                );
            }
        }
        a!(self.ops; =>nz);
        if single {
            let round = self.label();
            a!(self.ops
                ; mov ecx, eax
                ; and ecx, 0x1fff_ffff
                ; cmp ecx, 0x1000_0000
                ; jne =>round
            );
            // A binary32 midpoint: rounding it again is right only if it is
            // the exact result.
            match op {
                Arith::Add => self.fp_two_sum_zero(false, slow),
                Arith::Sub => self.fp_two_sum_zero(true, slow),
                Arith::Mul => {
                    a!(self.ops
                        ; movapd xmm4, xmm0
                        ; vfmsub231sd xmm4, xmm1, xmm2
                        ; movq rcx, xmm4
                        ; add rcx, rcx
                        ; jnz =>slow
                    );
                }
                Arith::Fma(m) => {
                    // Binary32 normal factors: their product is exact in
                    // binary64 (48 bits, exponent far from the limits), and
                    // TwoSum of it and ±z gives the error.
                    for x in [1u8, 2] {
                        a!(self.ops
                            ; movq rcx, Rx(x)
                            ; test ecx, 0x1fff_ffff
                            ; jnz =>slow
                            ; shr rcx, 52
                            ; and ecx, 0x7ff
                            ; sub ecx, 0x381
                            ; cmp ecx, 0x47e - 0x381
                            ; ja =>slow
                        );
                    }
                    a!(self.ops
                        ; movapd xmm8, xmm1
                        ; mulsd xmm8, xmm2
                        ; movapd xmm4, xmm0
                        ; subsd xmm4, xmm8
                        ; movapd xmm5, xmm0
                        ; subsd xmm5, xmm4
                        ; movapd xmm6, xmm8
                        ; subsd xmm6, xmm5
                        ; movapd xmm7, xmm3
                    );
                    if matches!(m, Madd::Madd | Madd::Nmadd) {
                        a!(self.ops
                            ; subsd xmm7, xmm4
                            ; addsd xmm6, xmm7
                        );
                    } else {
                        a!(self.ops
                            ; addsd xmm7, xmm4
                            ; subsd xmm6, xmm7
                        );
                    }
                    a!(self.ops
                        ; movq rcx, xmm6
                        ; add rcx, rcx
                        ; jnz =>slow
                    );
                }
                Arith::Div | Arith::Sqrt => a!(self.ops; jmp =>slow),
            }
            a!(self.ops
                ; =>round
                ; cvtsd2ss xmm0, xmm0
                ; movd ecx, xmm0
                ; and ecx, 0x7fff_ffff
                ; sub ecx, 0x0080_0001
                ; cmp ecx, 0x7f80_0000 - 0x0080_0001
                ; jae =>slow
                ; cvtss2sd xmm0, xmm0
                ; movq rax, xmm0
            );
        } else {
            a!(self.ops
                ; mov rcx, QWORD 0x0020_0000_0000_0001
                ; sub rdx, rcx
                ; mov rcx, QWORD 0xffbf_ffff_ffff_ffffu64 as i64
                ; cmp rdx, rcx
                ; jae =>slow
            );
        }
        a!(self.ops; =>ok);
    }

    /// Jumps to `slow` unless xmm0 = xmm1 ± xmm2 exactly (TwoSum error zero;
    /// Knuth, every step after the first sum is exact). Clobbers rcx,
    /// xmm4-xmm7.
    fn fp_two_sum_zero(&mut self, sub: bool, slow: DynamicLabel) {
        a!(self.ops
            ; movapd xmm4, xmm0
            ; subsd xmm4, xmm1
            ; movapd xmm5, xmm0
            ; subsd xmm5, xmm4
            ; movapd xmm6, xmm1
            ; subsd xmm6, xmm5
            ; movapd xmm7, xmm2
        );
        if sub {
            a!(self.ops
                ; addsd xmm7, xmm4
                ; subsd xmm6, xmm7
            );
        } else {
            a!(self.ops
                ; subsd xmm7, xmm4
                ; addsd xmm6, xmm7
            );
        }
        a!(self.ops
            ; movq rcx, xmm6
            ; add rcx, rcx
            ; jnz =>slow
        );
    }

    /// frsp / xsrsp: round to binary32 (one rounding: cvtsd2ss).
    fn fp_frsp(&mut self, pc: u64, i: Insn, t: usize, b: usize, rc: bool) -> bool {
        let slow = self.label();
        let ok = self.label();
        self.fp_guard_track(slow);
        a!(self.ops
            ; movsd xmm1, QWORD [rbx + vsr(b, 0)]
            ; movapd xmm0, xmm1
            ; movq rax, xmm0
            // ±0 stays ±0.
            ; lea rdx, [rax + rax]
            ; test rdx, rdx
            ; jz =>ok
            ; cvtsd2ss xmm0, xmm0
            ; movd ecx, xmm0
            ; and ecx, 0x7fff_ffff
            ; sub ecx, 0x0080_0001
            ; cmp ecx, 0x7f80_0000 - 0x0080_0001
            ; jae =>slow
            ; cvtss2sd xmm0, xmm0
            ; movq rax, xmm0
            ; =>ok
        );
        self.fp_track_check(slow);
        self.fp_write(t);
        self.fp_set_fprf();
        self.fp_record(K_FRSP, 1);
        if rc {
            self.fp_cr1();
        }
        self.fp_slow(pc, i, slow);
        true
    }

    /// fcfid[u][s]: integer doubleword → binary64/binary32 (FPRF only for
    /// fcfid, as the interpreter).
    fn fp_fcfid(&mut self, pc: u64, i: Insn, signed: bool, single: bool) -> bool {
        let (t, b) = (i.rt(), i.rb());
        let slow = self.label();
        self.fp_guard_track(slow);
        a!(self.ops
            ; mov rax, [rbx + vsr(b, 0)]
            ; movq xmm1, rax
        );
        if !signed {
            // 2^63 and above: no unsigned conversion in SSE2.
            a!(self.ops
                ; test rax, rax
                ; js =>slow
            );
        }
        if single {
            a!(self.ops
                ; cvtsi2ss xmm0, rax
                ; cvtss2sd xmm0, xmm0
            );
        } else {
            a!(self.ops; cvtsi2sd xmm0, rax);
        }
        // A zero or normal result (integers are far from the limits).
        a!(self.ops; movq rax, xmm0);
        self.fp_track_check(slow);
        self.fp_write(t);
        let kind = match (signed, single) {
            (true, false) => {
                self.fp_set_fprf();
                K_FCFID
            }
            (true, true) => K_FCFIDS | K_SINGLE,
            (false, false) => K_FCFIDU,
            (false, true) => K_FCFIDU | K_SINGLE,
        };
        self.fp_record(kind, 1);
        if i.rc() {
            self.fp_cr1();
        }
        self.fp_slow(pc, i, slow);
        true
    }

    /// fctid[z] / fctiw[z]: to a signed integer, truncating (`z`) or rounding
    /// to nearest (the fast mode's RN). Out of range and NaN give the host's
    /// "integer indefinite" (or do not fit 32 bits) and take the interpreter.
    fn fp_fcti(&mut self, pc: u64, i: Insn, word: bool, trunc: bool) -> bool {
        self.fp_fcti_any(pc, i, word, trunc, true)
    }

    /// fctiduz / fctiwuz: to an unsigned integer, truncating; negative
    /// results (and the "integer indefinite") take the interpreter.
    fn fp_fctiuz(&mut self, pc: u64, i: Insn, word: bool) -> bool {
        self.fp_fcti_any(pc, i, word, true, false)
    }

    fn fp_fcti_any(&mut self, pc: u64, i: Insn, word: bool, trunc: bool, signed: bool) -> bool {
        let (t, b) = (i.rt(), i.rb());
        let slow = self.label();
        self.fp_guard_track(slow);
        a!(self.ops; movsd xmm1, QWORD [rbx + vsr(b, 0)]);
        if trunc {
            a!(self.ops; cvttsd2si rax, xmm1);
        } else {
            a!(self.ops; cvtsd2si rax, xmm1);
        }
        if !signed {
            a!(self.ops
                ; test rax, rax
                ; js =>slow
            );
            if word {
                a!(self.ops
                    ; mov ecx, eax
                    ; cmp rcx, rax
                    ; jne =>slow
                );
            }
        } else if word {
            // The I32 image is the sign-extended word (`to_int`).
            a!(self.ops
                ; movsxd rcx, eax
                ; cmp rcx, rax
                ; jne =>slow
            );
        } else {
            a!(self.ops
                ; mov rcx, QWORD i64::MIN
                ; cmp rax, rcx
                ; je =>slow
            );
        }
        self.fp_track_check(slow);
        self.fp_write(t);
        let kind = match (signed, word, trunc) {
            (false, false, _) => K_FCTIDUZ,
            (false, true, _) => K_FCTIWUZ,
            (true, false, true) => K_FCTIDZ,
            (true, true, true) => K_FCTIWZ,
            (true, false, false) => K_FCTID,
            (true, true, false) => K_FCTIW,
        };
        self.fp_record(kind, 1);
        if i.rc() {
            self.fp_cr1();
        }
        self.fp_slow(pc, i, slow);
        true
    }

    /// fcmpu / fcmpo without NaN operands (nothing raised in any mode):
    /// CR field BF and FPCC ← the comparison, FI ← 0 (`fpu::fcmp`), which also
    /// settles the lazy FI.
    fn fp_fcmp(&mut self, pc: u64, i: Insn) -> bool {
        let bf = i.get(crate::isa::Operand::Bf) as usize;
        self.fp_cmp(pc, i, i.ra(), i.rb(), bf, true)
    }

    /// A compare of doubleword 0 of VSRs `a` and `b` into CR field `bf` and
    /// FPCC; `clear_fi`: also FI ← 0 (fcmpu/fcmpo, not xscmpudp/xscmpodp).
    fn fp_cmp(&mut self, pc: u64, i: Insn, a: usize, b: usize, bf: usize, clear_fi: bool) -> bool {
        let clear = if clear_fi { FPCC | fpu::bits::FI } else { FPCC };
        let slow = self.label();
        a!(self.ops
            ; movsd xmm0, QWORD [rbx + vsr(a, 0)]
            ; ucomisd xmm0, QWORD [rbx + vsr(b, 0)]
            ; jp =>slow
            ; mov eax, 4
            ; mov ecx, 8
            ; cmovb eax, ecx
            ; mov ecx, 2
            ; cmove eax, ecx
            ; mov edx, eax
            ; shl edx, 12
            ; mov rcx, [rbx + O_FPSCR]
            // A pending FPRF: its C bit stays (FPCC is replaced). Recorded
            // results are normal or zero, so C is set only for -0.
            ; cmp DWORD [r12 + J_FP_FPRF], 0
            ; je >cmp_done
            ; mov DWORD [r12 + J_FP_FPRF], 0
            ; and rcx, !(fpu::bits::C as i32)
            ; mov rsi, [r12 + J_FP_R]
            ; mov r8, QWORD i64::MIN
            ; cmp rsi, r8
            ; jne >cmp_done
            ; or rcx, fpu::bits::C as i32
            ; cmp_done:
            ; and rcx, !(clear as i32)
            ; or rcx, rdx
            ; mov [rbx + O_FPSCR], rcx
        );
        if clear_fi {
            a!(self.ops; mov DWORD [r12 + J_FP_OP], 0);
        }
        self.crf_store_eax(bf);
        self.fp_slow(pc, i, slow);
        true
    }

    /// fmr, fneg, fabs, fnabs, fcpsgn: bits of FRB (sign of FRA), no FPSCR.
    fn fp_move(&mut self, i: Insn, o: Fp) -> bool {
        let (t, a, b) = (i.rt(), i.ra(), i.rb());
        a!(self.ops; mov rax, [rbx + vsr(b, 0)]);
        match o {
            Fp::Fneg => a!(self.ops; btc rax, 63),
            Fp::Fabs => a!(self.ops; btr rax, 63),
            Fp::Fnabs => a!(self.ops; bts rax, 63),
            Fp::Fcpsgn => a!(self.ops
                ; btr rax, 63
                ; mov rcx, [rbx + vsr(a, 0)]
                ; shr rcx, 63
                ; shl rcx, 63
                ; or rax, rcx
            ),
            _ => {}
        }
        self.fp_write(t);
        if i.rc() {
            self.fp_cr1();
        }
        self.retired();
        true
    }

    /// frin / friz / frip / frim (SSE4.1 roundsd; frin, ties away from zero,
    /// from the truncation): never inexact (`round_to_int` without XX), so
    /// FPRF ← class, FI ← 0 (which settles the lazy FI) in any mode; NaN and
    /// infinite operands take the interpreter.
    fn fp_fri(&mut self, pc: u64, i: Insn, o: Fp) -> bool {
        if !std::arch::is_x86_feature_detected!("sse4.1") {
            return false;
        }
        let (t, b) = (i.rt(), i.rb());
        let slow = self.label();
        a!(self.ops
            ; mov rax, [rbx + vsr(b, 0)]
            ; lea rdx, [rax + rax]
            ; mov rcx, QWORD 0xffe0_0000_0000_0000u64 as i64
            ; cmp rdx, rcx
            ; jae =>slow
            ; movq xmm1, rax
        );
        match o {
            Fp::Friz => a!(self.ops; roundsd xmm0, xmm1, 0x0b),
            Fp::Frip => a!(self.ops; roundsd xmm0, xmm1, 0x0a),
            Fp::Frim => a!(self.ops; roundsd xmm0, xmm1, 0x09),
            _ => a!(self.ops
                ; roundsd xmm0, xmm1, 0x0b
                // x - trunc(x) is exact; |it| ≥ 0.5 → one more away from 0.
                ; movapd xmm4, xmm1
                ; subsd xmm4, xmm0
                ; movq rcx, xmm4
                ; btr rcx, 63
                ; mov rdx, QWORD 0x3fe0_0000_0000_0000
                ; cmp rcx, rdx
                ; jb >near
                ; mov rcx, QWORD 0x3ff0_0000_0000_0000
                ; shr rax, 63
                ; shl rax, 63
                ; or rcx, rax
                ; movq xmm4, rcx
                ; addsd xmm0, xmm4
                ; near:
            ),
        }
        a!(self.ops; movq rax, xmm0);
        self.fp_write(t);
        self.fp_set_fprf();
        a!(self.ops
            ; and QWORD [rbx + O_FPSCR], !(fpu::bits::FI as i32)
            ; mov DWORD [r12 + J_FP_OP], 0
        );
        if i.rc() {
            self.fp_cr1();
        }
        self.fp_slow(pc, i, slow);
        true
    }

    /// mffscrni: FRT ← FPSCR[DRN enables NI RN] (no FI: nothing lazy is
    /// read), then RN ← RM.
    fn fp_mffscrni(&mut self, i: Insn) -> bool {
        let rm = i.get(crate::isa::Operand::Rm) as i32 & 3;
        a!(self.ops
            ; mov rcx, [rbx + O_FPSCR]
            ; mov rax, rcx
            ; mov rdx, QWORD fpu::MFFS_CONTROL_MASK as i64
            ; and rax, rdx
            ; and rcx, !(RN as i32)
            ; or rcx, rm
            ; mov [rbx + O_FPSCR], rcx
        );
        self.fp_write(i.rt());
        self.retired();
        true
    }

    /// xsmaxcdp / xsmincdp without NaNs (nothing raised): XA if it is
    /// greater (less), else XB.
    fn fp_maxmin_c(&mut self, pc: u64, i: Insn, max: bool, t: usize, a: usize, b: usize) -> bool {
        let slow = self.label();
        a!(self.ops
            ; mov rax, [rbx + vsr(a, 0)]
            ; mov rcx, [rbx + vsr(b, 0)]
            ; movq xmm0, rax
            ; movq xmm1, rcx
            ; ucomisd xmm0, xmm1
            ; jp =>slow
        );
        if max {
            a!(self.ops; cmovbe rax, rcx);
        } else {
            a!(self.ops; cmovae rax, rcx);
        }
        self.fp_write(t);
        self.fp_slow(pc, i, slow);
        true
    }

    /// xscmpeqdp / xscmpgtdp / xscmpgedp without NaNs: all ones or zero.
    fn fp_scmp(&mut self, pc: u64, i: Insn, o: Vsx, t: usize, a: usize, b: usize) -> bool {
        let slow = self.label();
        a!(self.ops
            ; movsd xmm0, QWORD [rbx + vsr(a, 0)]
            ; ucomisd xmm0, QWORD [rbx + vsr(b, 0)]
            ; jp =>slow
            ; mov eax, 0
        );
        match o {
            Vsx::Xscmpgtdp => a!(self.ops; seta al),
            Vsx::Xscmpgedp => a!(self.ops; setae al),
            _ => a!(self.ops; sete al),
        }
        a!(self.ops; neg rax);
        self.fp_write(t);
        self.fp_slow(pc, i, slow);
        true
    }

    // -- loads and stores -------------------------------------------------------

    /// FP/VSX scalar load of `n` bytes (4: binary32 converted exactly) into
    /// doubleword 0 of VSR `t`; doubleword 1 zeroed when `zero1`.
    #[allow(clippy::too_many_arguments)]
    fn fp_load(
        &mut self,
        pc: u64,
        t: usize,
        ra: usize,
        rb: usize,
        disp: Option<i64>,
        n: usize,
        update: bool,
        zero1: bool,
    ) -> bool {
        if update && ra == 0 {
            return false;
        }
        let fault = self.ea_with_fault(pc, ra, disp, rb);
        self.load_inline(n, fault);
        if n == 4 {
            self.single_to_double();
        }
        a!(self.ops; mov [rbx + vsr(t, 0)], rax);
        if zero1 {
            a!(self.ops; mov QWORD [rbx + vsr(t, 1)], 0);
        }
        self.fpr_written_rax(t);
        if update {
            // Through the translator's GPR primitive (GPRs may be cached).
            a!(self.ops; mov rax, rsi);
            self.st_rax(ra);
        }
        self.retired();
        true
    }

    /// rax ← DOUBLE(eax) (`fpu::single_to_double`): cvtss2sd is exact except
    /// that it quiets signaling NaNs, so NaNs are widened with integer
    /// operations. Clobbers rcx, rdx.
    fn single_to_double(&mut self) {
        a!(self.ops
            ; mov ecx, eax
            ; and ecx, 0x7fff_ffff
            ; cmp ecx, 0x7f80_0000
            ; ja >nan
            ; movd xmm0, eax
            ; cvtss2sd xmm0, xmm0
            ; movq rax, xmm0
            ; jmp >done
            ; nan:
            // sign | EXP_MASK | fraction << 29
            ; mov ecx, eax
            ; and ecx, 0x007f_ffff
            ; shl rcx, 29
            ; shr eax, 31
            ; shl rax, 63
            ; or rax, rcx
            ; mov rcx, QWORD 0x7ff0_0000_0000_0000
            ; or rax, rcx
            ; done:
        );
    }

    /// r9 ← SINGLE(r9) (`fpu::double_to_single`, truncating). Clobbers rax,
    /// rcx, rdx (not rsi, the address).
    fn double_to_single_r9(&mut self) {
        a!(self.ops
            ; mov rax, r9
            ; shr rax, 52
            ; and eax, 0x7ff
            ; cmp eax, 896
            ; jbe >small
            // bits 0:1 and 5:34
            ; mov rax, r9
            ; shr rax, 29
            ; and eax, 0x3fff_ffff
            ; mov rdx, r9
            ; shr rdx, 62
            ; shl edx, 30
            ; or eax, edx
            ; jmp >fin
            ; small:
            ; cmp eax, 874
            ; jb >tiny
            // a binary32 denormal: sign | (1.fraction >> (926 - e))
            ; mov ecx, 926
            ; sub ecx, eax
            ; mov rax, r9
            ; shl rax, 12
            ; shr rax, 12
            ; bts rax, 52
            ; shr rax, cl
            ; mov rdx, r9
            ; shr rdx, 32
            ; and edx, 0x8000_0000u32 as i32
            ; or eax, edx
            ; jmp >fin
            ; tiny:
            ; mov rax, r9
            ; shr rax, 32
            ; and eax, 0x8000_0000u32 as i32
            ; fin:
            ; mov r9d, eax
        );
    }

    /// FP/VSX scalar store of `n` bytes of doubleword 0 of VSR `s` (4:
    /// narrowed to binary32).
    #[allow(clippy::too_many_arguments)]
    fn fp_store(
        &mut self,
        pc: u64,
        s: usize,
        ra: usize,
        rb: usize,
        disp: Option<i64>,
        n: usize,
        update: bool,
    ) -> bool {
        if update && ra == 0 {
            return false;
        }
        let fault = self.ea_with_fault(pc, ra, disp, rb);
        let smc = self.label();
        self.cold.push(Cold::Smc {
            label: smc,
            pending: self.pending + 1,
            next: pc.wrapping_add(4),
            update_ra: update.then_some(ra),
        });
        a!(self.ops; mov r9, [rbx + vsr(s, 0)]);
        if n == 4 {
            self.double_to_single_r9();
        }
        self.store_inline(n, fault, smc, 9);
        if update {
            // Through the translator's GPR primitive (GPRs may be cached).
            a!(self.ops; mov rax, rsi);
            self.st_rax(ra);
        }
        self.retired();
        true
    }

    // -- dispatch ---------------------------------------------------------------

    /// Classic floating point (interp `fp.rs`).
    pub(super) fn fp(&mut self, pc: u64, o: Fp, i: Insn) -> bool {
        use Fp::*;
        let (t, a, b, c) = (i.rt(), i.ra(), i.rb(), i.rc_field());
        let rc = i.rc();
        let si = Some(i.si());
        let fma = |k| Arith::Fma(k);
        match o {
            Fadd => self.fp_arith(pc, i, Arith::Add, false, t, [a, b, 0], rc),
            Fadds => self.fp_arith(pc, i, Arith::Add, true, t, [a, b, 0], rc),
            Fsub => self.fp_arith(pc, i, Arith::Sub, false, t, [a, b, 0], rc),
            Fsubs => self.fp_arith(pc, i, Arith::Sub, true, t, [a, b, 0], rc),
            Fmul => self.fp_arith(pc, i, Arith::Mul, false, t, [a, c, 0], rc),
            Fmuls => self.fp_arith(pc, i, Arith::Mul, true, t, [a, c, 0], rc),
            Fdiv => self.fp_arith(pc, i, Arith::Div, false, t, [a, b, 0], rc),
            Fdivs => self.fp_arith(pc, i, Arith::Div, true, t, [a, b, 0], rc),
            Fsqrt => self.fp_arith(pc, i, Arith::Sqrt, false, t, [b, 0, 0], rc),
            Fsqrts => self.fp_arith(pc, i, Arith::Sqrt, true, t, [b, 0, 0], rc),
            Fmadd => self.fp_arith(pc, i, fma(Madd::Madd), false, t, [a, c, b], rc),
            Fmadds => self.fp_arith(pc, i, fma(Madd::Madd), true, t, [a, c, b], rc),
            Fmsub => self.fp_arith(pc, i, fma(Madd::Msub), false, t, [a, c, b], rc),
            Fmsubs => self.fp_arith(pc, i, fma(Madd::Msub), true, t, [a, c, b], rc),
            Fnmadd => self.fp_arith(pc, i, fma(Madd::Nmadd), false, t, [a, c, b], rc),
            Fnmadds => self.fp_arith(pc, i, fma(Madd::Nmadd), true, t, [a, c, b], rc),
            Fnmsub => self.fp_arith(pc, i, fma(Madd::Nmsub), false, t, [a, c, b], rc),
            Fnmsubs => self.fp_arith(pc, i, fma(Madd::Nmsub), true, t, [a, c, b], rc),
            Frsp => self.fp_frsp(pc, i, t, b, rc),
            Fcfid => self.fp_fcfid(pc, i, true, false),
            Fcfids => self.fp_fcfid(pc, i, true, true),
            Fcfidu => self.fp_fcfid(pc, i, false, false),
            Fcfidus => self.fp_fcfid(pc, i, false, true),
            Fctidz => self.fp_fcti(pc, i, false, true),
            Fctiwz => self.fp_fcti(pc, i, true, true),
            Fctid => self.fp_fcti(pc, i, false, false),
            Fctiw => self.fp_fcti(pc, i, true, false),
            Fctiduz => self.fp_fctiuz(pc, i, false),
            Fctiwuz => self.fp_fctiuz(pc, i, true),
            Frin | Friz | Frip | Frim => self.fp_fri(pc, i, o),
            Mffscrni => self.fp_mffscrni(i),
            Fcmpu | Fcmpo => self.fp_fcmp(pc, i),
            Fmr | Fneg | Fabs | Fnabs | Fcpsgn => self.fp_move(i, o),
            Lfd => self.fp_load(pc, t, a, 0, si, 8, false, true),
            Lfdu => self.fp_load(pc, t, a, 0, si, 8, true, true),
            Lfdx => self.fp_load(pc, t, a, b, None, 8, false, true),
            Lfdux => self.fp_load(pc, t, a, b, None, 8, true, true),
            Lfs => self.fp_load(pc, t, a, 0, si, 4, false, true),
            Lfsu => self.fp_load(pc, t, a, 0, si, 4, true, true),
            Lfsx => self.fp_load(pc, t, a, b, None, 4, false, true),
            Lfsux => self.fp_load(pc, t, a, b, None, 4, true, true),
            Stfd => self.fp_store(pc, t, a, 0, si, 8, false),
            Stfdu => self.fp_store(pc, t, a, 0, si, 8, true),
            Stfdx => self.fp_store(pc, t, a, b, None, 8, false),
            Stfdux => self.fp_store(pc, t, a, b, None, 8, true),
            Stfs => self.fp_store(pc, t, a, 0, si, 4, false),
            Stfsu => self.fp_store(pc, t, a, 0, si, 4, true),
            Stfsx => self.fp_store(pc, t, a, b, None, 4, false),
            Stfsux => self.fp_store(pc, t, a, b, None, 4, true),
            _ => false,
        }
    }

    /// VSX scalar and vector double-precision arithmetic, scalar loads and
    /// stores, lxvx/stxvx and xxpermdi (interp `vsx.rs`).
    pub(super) fn vsx_fp(&mut self, pc: u64, o: Vsx, i: Insn) -> bool {
        use Vsx::*;
        let xt = (i.bits(6, 10) | (i.bits(31, 31) << 5)) as usize;
        let xa = (i.bits(11, 15) | (i.bits(29, 29) << 5)) as usize;
        let xb = (i.bits(16, 20) | (i.bits(30, 30) << 5)) as usize;
        let (ra, rb) = (i.ra(), i.rb());
        let fma = |k| Arith::Fma(k);
        let (aa, mm) = ([xa, xb, xt], [xa, xt, xb]);
        match o {
            Xsadddp => self.fp_arith(pc, i, Arith::Add, false, xt, [xa, xb, 0], false),
            Xssubdp => self.fp_arith(pc, i, Arith::Sub, false, xt, [xa, xb, 0], false),
            Xsmuldp => self.fp_arith(pc, i, Arith::Mul, false, xt, [xa, xb, 0], false),
            Xsdivdp => self.fp_arith(pc, i, Arith::Div, false, xt, [xa, xb, 0], false),
            Xssqrtdp => self.fp_arith(pc, i, Arith::Sqrt, false, xt, [xb, 0, 0], false),
            Xsaddsp => self.fp_arith(pc, i, Arith::Add, true, xt, [xa, xb, 0], false),
            Xssubsp => self.fp_arith(pc, i, Arith::Sub, true, xt, [xa, xb, 0], false),
            Xsmulsp => self.fp_arith(pc, i, Arith::Mul, true, xt, [xa, xb, 0], false),
            Xsdivsp => self.fp_arith(pc, i, Arith::Div, true, xt, [xa, xb, 0], false),
            Xssqrtsp => self.fp_arith(pc, i, Arith::Sqrt, true, xt, [xb, 0, 0], false),
            Xsmaddadp => self.fp_arith(pc, i, fma(Madd::Madd), false, xt, aa, false),
            Xsmaddmdp => self.fp_arith(pc, i, fma(Madd::Madd), false, xt, mm, false),
            Xsmsubadp => self.fp_arith(pc, i, fma(Madd::Msub), false, xt, aa, false),
            Xsmsubmdp => self.fp_arith(pc, i, fma(Madd::Msub), false, xt, mm, false),
            Xsnmaddadp => self.fp_arith(pc, i, fma(Madd::Nmadd), false, xt, aa, false),
            Xsnmaddmdp => self.fp_arith(pc, i, fma(Madd::Nmadd), false, xt, mm, false),
            Xsnmsubadp => self.fp_arith(pc, i, fma(Madd::Nmsub), false, xt, aa, false),
            Xsnmsubmdp => self.fp_arith(pc, i, fma(Madd::Nmsub), false, xt, mm, false),
            Xsrsp => self.fp_frsp(pc, i, xt, xb, false),
            Xvadddp => self.fp_vec(pc, i, Arith::Add, xt, [xa, xb, 0]),
            Xvsubdp => self.fp_vec(pc, i, Arith::Sub, xt, [xa, xb, 0]),
            Xvmuldp => self.fp_vec(pc, i, Arith::Mul, xt, [xa, xb, 0]),
            Xvdivdp => self.fp_vec(pc, i, Arith::Div, xt, [xa, xb, 0]),
            Xvsqrtdp => self.fp_vec(pc, i, Arith::Sqrt, xt, [xb, 0, 0]),
            Xvmaddadp => self.fp_vec(pc, i, fma(Madd::Madd), xt, aa),
            Xvmaddmdp => self.fp_vec(pc, i, fma(Madd::Madd), xt, mm),
            Xvmsubadp => self.fp_vec(pc, i, fma(Madd::Msub), xt, aa),
            Xvmsubmdp => self.fp_vec(pc, i, fma(Madd::Msub), xt, mm),
            Xvnmaddadp => self.fp_vec(pc, i, fma(Madd::Nmadd), xt, aa),
            Xvnmaddmdp => self.fp_vec(pc, i, fma(Madd::Nmadd), xt, mm),
            Xvnmsubadp => self.fp_vec(pc, i, fma(Madd::Nmsub), xt, aa),
            Xvnmsubmdp => self.fp_vec(pc, i, fma(Madd::Nmsub), xt, mm),
            Xvnegdp | Xvabsdp | Xvnabsdp => {
                let op = match o {
                    Xvnegdp => 0,
                    Xvabsdp => 1,
                    _ => 2,
                };
                for d in 0..2 {
                    a!(self.ops; mov rax, [rbx + vsr(xb, d)]);
                    match op {
                        0 => a!(self.ops; btc rax, 63),
                        1 => a!(self.ops; btr rax, 63),
                        _ => a!(self.ops; bts rax, 63),
                    }
                    a!(self.ops; mov [rbx + vsr(xt, d)], rax);
                }
                self.retired();
                true
            }
            Xxpermdi => {
                let dm = i.bits(22, 23) as usize;
                a!(self.ops
                    ; mov rax, [rbx + vsr(xa, dm >> 1)]
                    ; mov rcx, [rbx + vsr(xb, dm & 1)]
                );
                self.st_vsr_pair(xt, 0, Some(1));
                self.retired();
                true
            }
            Lxsd => self.fp_load(pc, 32 + i.rt(), ra, 0, Some(i.ds()), 8, false, true),
            Lxssp => self.fp_load(pc, 32 + i.rt(), ra, 0, Some(i.ds()), 4, false, true),
            Lxsdx => self.fp_load(pc, xt, ra, rb, None, 8, false, false),
            Lxsspx => self.fp_load(pc, xt, ra, rb, None, 4, false, false),
            Stxsd => self.fp_store(pc, 32 + i.rt(), ra, 0, Some(i.ds()), 8, false),
            Stxssp => self.fp_store(pc, 32 + i.rt(), ra, 0, Some(i.ds()), 4, false),
            Stxsdx => self.fp_store(pc, xt, ra, rb, None, 8, false),
            Stxsspx => self.fp_store(pc, xt, ra, rb, None, 4, false),
            Xvaddsp => self.fp_vec_sp(pc, i, Arith::Add, xt, [xa, xb, 0]),
            Xvsubsp => self.fp_vec_sp(pc, i, Arith::Sub, xt, [xa, xb, 0]),
            Xvmulsp => self.fp_vec_sp(pc, i, Arith::Mul, xt, [xa, xb, 0]),
            Xvmaddasp => self.fp_vec_sp(pc, i, fma(Madd::Madd), xt, aa),
            Xvmaddmsp => self.fp_vec_sp(pc, i, fma(Madd::Madd), xt, mm),
            Xvmsubasp => self.fp_vec_sp(pc, i, fma(Madd::Msub), xt, aa),
            Xvmsubmsp => self.fp_vec_sp(pc, i, fma(Madd::Msub), xt, mm),
            Xsnegdp | Xsabsdp | Xsnabsdp | Xscpsgndp => {
                a!(self.ops; mov rax, [rbx + vsr(xb, 0)]);
                match o {
                    Xsnegdp => a!(self.ops; btc rax, 63),
                    Xsabsdp => a!(self.ops; btr rax, 63),
                    Xsnabsdp => a!(self.ops; bts rax, 63),
                    _ => a!(self.ops
                        ; btr rax, 63
                        ; mov rcx, [rbx + vsr(xa, 0)]
                        ; shr rcx, 63
                        ; shl rcx, 63
                        ; or rax, rcx
                    ),
                }
                self.fp_write(xt);
                self.retired();
                true
            }
            Xscvdpspn => {
                // SINGLE of the value, in both words of doubleword 0
                // (`dp_to_sp_nonsignalling` narrows exactly as
                // `double_to_single` does).
                a!(self.ops; mov r9, [rbx + vsr(xb, 0)]);
                self.double_to_single_r9();
                a!(self.ops
                    ; mov rax, r9
                    ; shl rax, 32
                    ; or rax, r9
                );
                self.fp_write(xt);
                self.retired();
                true
            }
            Xscvspdpn => {
                a!(self.ops
                    ; mov rax, [rbx + vsr(xb, 0)]
                    ; shr rax, 32
                );
                self.single_to_double();
                self.fp_write(xt);
                self.retired();
                true
            }
            Xxsel => {
                let xc = (i.bits(21, 25) | (i.bits(28, 28) << 5)) as usize;
                for d in 0..2 {
                    a!(self.ops
                        ; mov rcx, [rbx + vsr(xc, d)]
                        ; mov rax, [rbx + vsr(xb, d)]
                        ; and rax, rcx
                        ; not rcx
                        ; and rcx, [rbx + vsr(xa, d)]
                        ; or rax, rcx
                        ; mov r8, rax
                    );
                    if d == 0 {
                        a!(self.ops; mov r9, r8);
                    }
                }
                self.st_vsr_pair(xt, 9, Some(8));
                self.retired();
                true
            }
            Xxspltw => {
                let k = i.bits(14, 15) as usize;
                // Word k of the quadword: the high (even k) or low half of
                // doubleword k / 2.
                a!(self.ops; mov rax, [rbx + vsr(xb, k / 2)]);
                if k.is_multiple_of(2) {
                    a!(self.ops; shr rax, 32);
                } else {
                    a!(self.ops; mov eax, eax);
                }
                a!(self.ops
                    ; mov rcx, rax
                    ; shl rcx, 32
                    ; or rax, rcx
                );
                self.st_vsr_pair(xt, 0, Some(0));
                self.retired();
                true
            }
            Xsmaxcdp | Xsmincdp => self.fp_maxmin_c(pc, i, o == Xsmaxcdp, xt, xa, xb),
            Xscmpgtdp | Xscmpgedp | Xscmpeqdp => self.fp_scmp(pc, i, o, xt, xa, xb),
            Xscmpudp | Xscmpodp => {
                let bf = i.bits(6, 8) as usize;
                self.fp_cmp(pc, i, xa, xb, bf, false)
            }
            Lxvx => {
                self.quad_x(pc, false, xt, ra, rb);
                true
            }
            Stxvx => {
                self.quad_x(pc, true, xt, ra, rb);
                true
            }
            // The 16 bytes in big-endian order whatever the mode: lxvx /
            // stxvx of big-endian mode.
            Lxvb16x | Stxvb16x => {
                let le = std::mem::replace(&mut self.le, false);
                self.quad_x(pc, o == Stxvb16x, xt, ra, rb);
                self.le = le;
                true
            }
            // Doubleword 0 at EA, doubleword 1 at EA + 8, each in the
            // current byte order: lxvx in big-endian mode; in little-endian
            // mode lxvx with the doublewords swapped (after the load, which
            // writes the VSR only when it succeeds).
            Lxvd2x => {
                self.quad_x(pc, false, xt, ra, rb);
                if self.le {
                    a!(self.ops
                        ; movdqu xmm4, [rbx + vsr(xt, 0)]
                        ; pshufd xmm4, xmm4, 0x4e
                        ; movdqu [rbx + vsr(xt, 0)], xmm4
                    );
                }
                true
            }
            _ => false,
        }
    }

    // -- vector double precision ------------------------------------------------

    /// `t ← op(x, y, z)` on both doublewords (see [`Self::fp_arith`]); no
    /// FPSCR change in the fast mode with normal results.
    fn fp_vec(&mut self, pc: u64, i: Insn, op: Arith, t: usize, src: [usize; 3]) -> bool {
        if matches!(op, Arith::Fma(_)) && !host_fma() {
            return false;
        }
        let slow = self.label();
        self.fp_guard_track(slow);
        a!(self.ops; movupd xmm1, [rbx + vsr(src[0], 0)]);
        if op != Arith::Sqrt {
            a!(self.ops; movupd xmm2, [rbx + vsr(src[1], 0)]);
        }
        match op {
            Arith::Add => a!(self.ops; movapd xmm0, xmm1; addpd xmm0, xmm2),
            Arith::Sub => a!(self.ops; movapd xmm0, xmm1; subpd xmm0, xmm2),
            Arith::Mul => a!(self.ops; movapd xmm0, xmm1; mulpd xmm0, xmm2),
            Arith::Div => a!(self.ops; movapd xmm0, xmm1; divpd xmm0, xmm2),
            Arith::Sqrt => a!(self.ops; sqrtpd xmm0, xmm1),
            Arith::Fma(m) => {
                a!(self.ops; movupd xmm0, [rbx + vsr(src[2], 0)]);
                // vfmadd231pd / vfmsub231pd xmm0, xmm1, xmm2 (VEX.128.66.0F38.W1
                // B8 / BA), as bytes: dynasm 3.2 encodes the packed-double FMA
                // forms without VEX.W, i.e. as their single-precision twins.
                let op = if matches!(m, Madd::Madd | Madd::Nmadd) {
                    0xb8
                } else {
                    0xba
                };
                self.ops.extend([0xc4, 0xe2, 0xf1, op, 0xc2]);
            }
        }
        // Both results normal (or zero sums); then negate (nm forms).
        // r8 = doubleword 0, rax = doubleword 1 of the result.
        let ok = self.label();
        if super::host_sse41() {
            // Both doublewords normal and above the smallest normal at once
            // (the nonzero test of `fp_check_result`, doubled); anything
            // else, zeros included, takes the full check below.
            let full = self.label();
            a!(self.ops
                ; movq r8, xmm0
                ; pextrq rax, xmm0, 1
                ; lea rdx, [r8 + r8]
                ; lea rsi, [rax + rax]
                ; mov rcx, QWORD 0x0020_0000_0000_0001
                ; sub rdx, rcx
                ; sub rsi, rcx
                ; mov rcx, QWORD 0xffbf_ffff_ffff_ffffu64 as i64
                ; cmp rdx, rcx
                ; jae =>full
                ; cmp rsi, rcx
                ; jb =>ok
                ; =>full
            );
        }
        a!(self.ops; movq rax, xmm0);
        self.fp_check_result(op, false, src, 0, slow);
        a!(self.ops
            ; mov r8, rax
            ; movhlps xmm0, xmm0
            ; movq rax, xmm0
        );
        self.fp_check_result(op, false, src, 1, slow);
        a!(self.ops; =>ok);
        self.fp_track_check(slow);
        if matches!(op, Arith::Fma(Madd::Nmadd | Madd::Nmsub)) {
            a!(self.ops
                ; btc r8, 63
                ; btc rax, 63
            );
        }
        self.st_vsr_pair(t, 8, Some(0));
        self.fp_slow(pc, i, slow);
        true
    }

    /// Vector single precision (`vsp`): each pair of words widened exactly
    /// to binary64 (cvtps2pd), computed there — sums and products of
    /// binary32 values are exact or rounded once, fused forms round the exact
    /// product plus the addend once — and rounded to binary32 (cvtpd2ps).
    /// Like the scalar forms, a binary64 intermediate on a binary32 midpoint
    /// and any result that is not a binary32 normal above the smallest take
    /// the interpreter.
    fn fp_vec_sp(&mut self, pc: u64, i: Insn, op: Arith, t: usize, src: [usize; 3]) -> bool {
        if matches!(op, Arith::Fma(_)) && !host_fma() || matches!(op, Arith::Div | Arith::Sqrt) {
            return false;
        }
        let slow = self.label();
        self.fp_guard_track(slow);
        a!(self.ops
            ; movups xmm1, [rbx + vsr(src[0], 0)]
            ; movups xmm2, [rbx + vsr(src[1], 0)]
        );
        if let Arith::Fma(_) = op {
            a!(self.ops; movups xmm3, [rbx + vsr(src[2], 0)]);
        }
        for half in 0..2 {
            if half == 1 {
                a!(self.ops
                    ; movhlps xmm1, xmm1
                    ; movhlps xmm2, xmm2
                    ; movhlps xmm3, xmm3
                );
            }
            a!(self.ops
                ; cvtps2pd xmm4, xmm1
                ; cvtps2pd xmm5, xmm2
            );
            match op {
                Arith::Add => a!(self.ops; movapd xmm6, xmm4; addpd xmm6, xmm5),
                Arith::Sub => a!(self.ops; movapd xmm6, xmm4; subpd xmm6, xmm5),
                Arith::Mul => a!(self.ops; movapd xmm6, xmm4; mulpd xmm6, xmm5),
                Arith::Fma(m) => {
                    a!(self.ops; cvtps2pd xmm6, xmm3);
                    // vfmadd231pd / vfmsub231pd xmm6, xmm4, xmm5 (see fp_vec).
                    let opc = if m == Madd::Madd { 0xb8 } else { 0xba };
                    self.ops.extend([0xc4, 0xe2, 0xd9, opc, 0xf5]);
                }
                _ => {}
            }
            // No binary32 midpoint in either binary64 lane.
            a!(self.ops
                ; movapd xmm0, xmm6
                ; movq rax, xmm0
                ; and eax, 0x1fff_ffff
                ; cmp eax, 0x1000_0000
                ; je =>slow
                ; movhlps xmm0, xmm0
                ; movq rax, xmm0
                ; and eax, 0x1fff_ffff
                ; cmp eax, 0x1000_0000
                ; je =>slow
                ; cvtpd2ps xmm6, xmm6
            );
            if half == 0 {
                a!(self.ops; movapd xmm7, xmm6);
            } else {
                a!(self.ops; movlhps xmm7, xmm6);
            }
        }
        // Four binary32 normals above the smallest.
        a!(self.ops
            ; movq rax, xmm7
            ; movhlps xmm6, xmm7
            ; movq rdx, xmm6
        );
        for r in [0u8, 2] {
            for hi in [false, true] {
                a!(self.ops; mov rcx, Rq(r));
                if hi {
                    a!(self.ops; shr rcx, 32);
                }
                a!(self.ops
                    ; and ecx, 0x7fff_ffff
                    ; sub ecx, 0x0080_0001
                    ; cmp ecx, 0x7f80_0000 - 0x0080_0001
                    ; jae =>slow
                );
            }
        }
        self.fp_track_check(slow);
        a!(self.ops; movups [rbx + vsr(t, 0)], xmm7);
        self.fp_slow(pc, i, slow);
        true
    }

    /// lxvx / stxvx: [`Tr::quad`] with an X-form address ((RA|0) + RB).
    fn quad_x(&mut self, pc: u64, store: bool, x: usize, ra: usize, rb: usize) {
        self.ea(ra, None, rb);
        self.quad_rsi(pc, store, x);
    }
}

#[cfg(test)]
mod tests {
    //! The JIT's floating point against the interpreter (the specification):
    //! expected values are whatever the interpreter does.
    use crate::cpu::{find_model, ArchState};
    use crate::exec::interp::Interp;
    use crate::exec::jit::Jit;
    use crate::exec::{Cpu, Engine, VirtualEnv};
    use crate::isa::encode::asm;
    use crate::mem::{perm, Memory};
    use proptest::prelude::*;

    const CODE: u64 = 0x1000_0000;
    const DATA: u64 = 0x2000_0000;

    type Prog = Vec<(String, Vec<i64>)>;

    fn setup(le: bool, prog: &Prog, init: &ArchState) -> (Cpu, Memory) {
        let mut cpu = Cpu::new(find_model("power10").unwrap(), le);
        let (msr, pvr) = (cpu.state.msr, cpu.state.pvr);
        cpu.state = init.clone();
        cpu.state.msr = msr;
        cpu.state.pvr = pvr;
        cpu.state.pc = CODE;
        let mut mem = Memory::new();
        mem.map_zero(CODE, 0x2000, perm::RWX).unwrap();
        mem.map_zero(DATA, 0x1000, perm::RW).unwrap();
        let mut code = Vec::new();
        for (m, ops) in prog {
            let e = asm(m, ops).unwrap_or_else(|e| panic!("{m} {ops:?}: {e:?}"));
            code.extend(e.bytes(le));
        }
        mem.write_bytes(CODE, &code).unwrap();
        let pattern: Vec<u8> = (0..0x1000u64).map(|k| (k * 53 + 7) as u8).collect();
        mem.write_bytes(DATA, &pattern).unwrap();
        (cpu, mem)
    }

    /// Runs `prog` on both engines at every budget up to its length (plus
    /// one, to see the end) and asserts identical results.
    fn same(le: bool, prog: &Prog, init: &ArchState) {
        let n = prog.len() as u64;
        for budget in [1, n / 2, n, n + 1] {
            let (mut a, mut mem_a) = setup(le, prog, init);
            let (mut b, mut mem_b) = setup(le, prog, init);
            let sa = Jit::eager().run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), budget);
            let sb = Interp::new().run(&mut b, &mut mem_b, &mut VirtualEnv::new(0), budget);
            let ctx = format!("le={le} budget={budget} prog={prog:?}");
            assert_eq!(sa, sb, "stop, {ctx}");
            assert_eq!(a.icount, b.icount, "icount, {ctx}");
            if a.state != b.state {
                for k in 0..64 {
                    if a.state.vsr[k] != b.state.vsr[k] {
                        eprintln!(
                            "vsr{k}: jit {:016x?} interp {:016x?}",
                            a.state.vsr[k], b.state.vsr[k]
                        );
                    }
                }
                eprintln!("fpscr jit {:x} interp {:x}", a.state.fpscr, b.state.fpscr);
                eprintln!("cr jit {:x} interp {:x}", a.state.cr, b.state.cr);
                panic!("state, {ctx}");
            }
            assert_eq!(mem_a.digest(), mem_b.digest(), "memory, {ctx}");
        }
    }

    fn ins(m: &str, ops: &[i64]) -> (String, Vec<i64>) {
        (m.to_string(), ops.to_vec())
    }

    /// FPSCR of the fast mode (FX, XX set; round to nearest; nothing enabled).
    const FAST: u64 = 0x8200_0000;

    fn state_with(fpscr: u64, vals: &[u64]) -> ArchState {
        let mut s = ArchState {
            fpscr,
            ..Default::default()
        };
        for (k, v) in vals.iter().enumerate() {
            s.vsr[k] = [*v, v.rotate_left(17) ^ 0x3ff0_0000_0000_0000];
            s.vsr[32 + k] = [v.rotate_left(5), *v];
        }
        s.gpr[1] = DATA + 0x800;
        s.gpr[5] = 16;
        s
    }

    #[test]
    fn vector_double_arithmetic_matches_the_interpreter() {
        let vals = [
            1.5f64.to_bits(),
            (-3.25f64).to_bits(),
            0.1f64.to_bits(),
            7.0f64.to_bits(),
        ];
        for m in [
            "xvadddp",
            "xvsubdp",
            "xvmuldp",
            "xvdivdp",
            "xvmaddadp",
            "xvmaddmdp",
            "xvmsubadp",
            "xvnmsubmdp",
            "xxpermdi",
        ] {
            for le in [true, false] {
                let ops: Vec<i64> = if m == "xxpermdi" {
                    vec![4, 1, 34, 2]
                } else {
                    vec![4, 1, 34]
                };
                let prog = vec![ins(m, &ops), ins("xvnegdp", &[5, 4])];
                same(le, &prog, &state_with(FAST, &vals));
            }
        }
        for le in [true, false] {
            let prog = vec![ins("lxvx", &[3, 1, 5]), ins("stxvx", &[34, 1, 0])];
            same(le, &prog, &state_with(FAST, &vals));
        }
    }

    /// With normal operands in the fast and the tracking mode, every one of
    /// these runs as host code (nothing interpreted) and agrees with the
    /// interpreter.
    #[test]
    fn normal_operands_run_natively() {
        let vals = [
            1.5f64.to_bits(),
            (-3.25f64).to_bits(),
            0.1f64.to_bits(),
            7.0f64.to_bits(),
            1e10f64.to_bits(),
        ];
        let progs: Vec<Prog> = vec![
            A3.iter()
                .map(|m| {
                    if m.contains("madd") || m.contains("msub") {
                        ins(m, &[4, 1, 2, 3])
                    } else {
                        ins(m, &[4, 1, 2])
                    }
                })
                .collect(),
            A1.iter().map(|m| ins(m, &[4, 0])).collect(),
            X3.iter()
                .filter(|m| !(m.starts_with("xv") && m.ends_with("sp")))
                .map(|m| ins(m, &[5, 1, 34]))
                .collect(),
            X1.iter().map(|m| ins(m, &[5, 34])).collect(),
            MEM.iter()
                .map(|m| {
                    if m.ends_with('x') {
                        ins(m, &[3, 1, 5])
                    } else {
                        ins(m, &[3, 8, 2])
                    }
                })
                .collect(),
            vec![
                ins("fcmpu", &[3, 1, 2]),
                ins("xscmpudp", &[4, 1, 2]),
                ins("mffscrni", &[6, 0]),
                ins("lxvx", &[40, 1, 5]),
                ins("stxvx", &[40, 2, 5]),
                ins("xxpermdi", &[41, 40, 1, 2]),
            ],
        ];
        // Vector single precision on binary32 normals.
        let sp: Prog = X3
            .iter()
            .filter(|m| m.starts_with("xv") && m.ends_with("sp"))
            .map(|m| ins(m, &[40, 41, 42]))
            .collect();
        let w = |a: f32, b: f32| ((a.to_bits() as u64) << 32) | b.to_bits() as u64;
        for le in [true, false] {
            let mut init = state_with(FAST, &vals);
            init.vsr[40] = [w(1.5, -2.75), w(3.0, 0.125)];
            init.vsr[41] = [w(0.1, 7.5), w(-1.0, 1e3)];
            init.vsr[42] = [w(2.0, 0.3), w(-5.5, 1e-3)];
            same(le, &sp, &init);
            let (mut a, mut mem_a) = setup(le, &sp, &init);
            let mut jit = Jit::eager();
            jit.run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), sp.len() as u64);
            assert_eq!(jit.interpreted(), 0, "{sp:?}");
        }
        for fpscr in [FAST, 0] {
            for prog in &progs {
                for le in [true, false] {
                    let mut init = state_with(fpscr, &vals);
                    for k in 0..5 {
                        init.vsr[k] = [vals[k], vals[(k + 1) % 5]];
                        init.vsr[32 + k] = [vals[(k + 2) % 5], vals[(k + 3) % 5]];
                    }
                    init.gpr[2] = DATA + 0x400;
                    same(le, prog, &init);
                    let (mut a, mut mem_a) = setup(le, prog, &init);
                    let mut jit = Jit::eager();
                    jit.run(
                        &mut a,
                        &mut mem_a,
                        &mut VirtualEnv::new(0),
                        prog.len() as u64,
                    );
                    if fpscr == FAST {
                        assert_eq!(jit.interpreted(), 0, "{prog:?}");
                    }
                }
            }
        }
    }

    /// Runs `prog` on the JIT (after checking it against the interpreter);
    /// returns the final state and how many instructions were interpreted.
    fn jit_run(prog: &Prog, init: &ArchState) -> (ArchState, u64) {
        same(true, prog, init);
        let (mut a, mut mem) = setup(true, prog, init);
        let mut jit = Jit::eager();
        jit.run(&mut a, &mut mem, &mut VirtualEnv::new(0), prog.len() as u64);
        (a.state, jit.interpreted())
    }

    #[test]
    fn a_single_result_on_a_binary32_midpoint_that_is_exact_stays_native() {
        // 0x3fc7fb93e0000000 + 0x3f9a79da80000000 = 0x3fcb4acf30000000
        // exactly: halfway between two binary32 values (ties to even).
        let init = state_with(FAST, &[0, 0x3fc7_fb93_e000_0000, 0x3f9a_79da_8000_0000]);
        let (s, interpreted) = jit_run(&vec![ins("fadds", &[3, 1, 2])], &init);
        assert_eq!(interpreted, 0);
        assert_eq!(s.vsr[3][0], 0x3fcb_4acf_4000_0000);
    }

    #[test]
    fn an_inexact_operation_with_xx_clear_goes_through_the_interpreter_once() {
        // 1 + 2^-60 is inexact: XX and FX get set (by the interpreter), then
        // the second add runs natively.
        let one = 1f64.to_bits();
        let tiny = 2f64.powi(-60).to_bits();
        let prog = vec![ins("fadd", &[3, 1, 2]), ins("fadd", &[4, 1, 2])];
        let (s, interpreted) = jit_run(&prog, &state_with(0, &[0, one, tiny]));
        assert_eq!(interpreted, 1);
        assert_eq!(s.fpscr, 0x8202_4000, "FX XX FI, FPRF +normal");
        // Exact arithmetic with XX clear stays native and leaves XX clear.
        let two = 2f64.to_bits();
        let (s, interpreted) = jit_run(&prog, &state_with(0, &[0, one, two]));
        assert_eq!(interpreted, 0);
        assert_eq!(s.fpscr, 0x4000, "FPRF +normal only");
    }

    #[test]
    fn fcmpu_after_a_negative_zero_keeps_the_class_bit_of_the_lazy_fprf() {
        // -0 - +0 = -0: FPRF 0b10010; fcmpu replaces FPCC, keeps C, clears FI.
        let prog = vec![ins("fsub", &[3, 1, 2]), ins("fcmpu", &[1, 2, 2])];
        let init = state_with(FAST | 0x2_0000, &[0, 1 << 63, 0]);
        let (s, interpreted) = jit_run(&prog, &init);
        assert_eq!(interpreted, 0);
        assert_eq!(s.vsr[3][0], 1 << 63);
        assert_eq!(s.fpscr, FAST | 0x1_2000, "C and FE (equal)");
    }

    /// Interesting binary64 values: specials, limits, binary32 values and
    /// binary32 midpoints, small integers, random bits.
    fn value() -> impl Strategy<Value = u64> {
        const SPECIAL: [u64; 22] = [
            0,
            0x8000_0000_0000_0000, // -0
            0x7ff0_0000_0000_0000, // +inf
            0xfff0_0000_0000_0000, // -inf
            0x7ff8_0000_0000_0000, // qNaN
            0x7ff4_0000_0000_0001, // sNaN
            0xfff8_0000_0000_1234, // -qNaN with payload
            0x0000_0000_0000_0001, // smallest denormal
            0x800f_ffff_ffff_ffff, // largest -denormal
            0x0010_0000_0000_0000, // 2^-1022
            0x0010_0000_0000_0001, // just above
            0x7fef_ffff_ffff_ffff, // DBL_MAX
            0x3ff0_0000_0000_0000, // 1
            0xbff0_0000_0000_0000, // -1
            0x3fe0_0000_0000_0000, // 0.5
            0xbfe0_0000_0000_0000, // -0.5
            0x4330_0000_0000_0000, // 2^52
            0x43e0_0000_0000_0000, // 2^63
            0x47ef_ffff_e000_0000, // FLT_MAX
            0x3810_0000_0000_0000, // FLT_MIN
            0x3800_0000_0000_0000, // FLT_MIN / 2
            0x3ff0_0000_1000_0000, // a binary32 midpoint
        ];
        prop_oneof![
            3 => (0usize..SPECIAL.len()).prop_map(|k| SPECIAL[k]),
            3 => any::<u32>().prop_map(|w| f64::from(f32::from_bits(w)).to_bits()),
            3 => (any::<bool>(), 0x380u64..0x480, any::<u64>())
                .prop_map(|(n, e, f)| ((n as u64) << 63) | (e << 52) | (f & ((1 << 52) - 1))),
            2 => (any::<bool>(), 0x380u64..0x480, any::<u32>())
                .prop_map(|(n, e, f)| ((n as u64) << 63) | (e << 52) | (((f as u64) << 28) & ((1 << 52) - 1)) | (1 << 28)),
            2 => (-40i64..40).prop_map(|v| (v as f64 / 4.0).to_bits()),
            1 => (-1000i64..1000).prop_map(|v| v as u64),
            1 => (any::<bool>(), 0u64..0x7ff, any::<u64>())
                .prop_map(|(n, e, f)| ((n as u64) << 63) | (e << 52) | (f & ((1 << 52) - 1))),
            1 => any::<u64>(),
        ]
    }

    fn fpscr() -> impl Strategy<Value = u64> {
        prop_oneof![
            4 => Just(FAST),
            1 => Just(FAST | 0x1_f000 | 0x4_0000 | 0x2_0000),
            2 => Just(0),
            1 => Just(0x8000_0000),
            1 => Just(0x0200_0000),
            1 => (0u64..4).prop_map(|rn| FAST | rn),
            1 => (0u64..0x100).prop_map(|e| FAST | (e & 0xfc)),
            1 => any::<u32>().prop_map(|f| f as u64),
        ]
    }

    fn fr() -> impl Strategy<Value = i64> {
        0i64..8
    }
    fn vr() -> impl Strategy<Value = i64> {
        prop_oneof![0i64..6, 32i64..38]
    }

    const A3: [&str; 16] = [
        "fadd", "fsub", "fmul", "fdiv", "fadds", "fsubs", "fmuls", "fdivs", "fmadd", "fmsub",
        "fnmadd", "fnmsub", "fmadds", "fmsubs", "fnmadds", "fnmsubs",
    ];
    const A1: [&str; 19] = [
        "fsqrt", "fsqrts", "frsp", "fcfid", "fcfids", "fcfidu", "fcfidus", "fctidz", "fctiwz",
        "fctid", "fctiw", "fctiduz", "fctiwuz", "frin", "friz", "frip", "frim", "fmr", "fneg",
    ];
    const X3: [&str; 29] = [
        "xsadddp",
        "xssubdp",
        "xsmuldp",
        "xsdivdp",
        "xsmaddadp",
        "xsmaddmdp",
        "xsnmsubadp",
        "xsmsubmdp",
        "xsaddsp",
        "xsmulsp",
        "xvadddp",
        "xvsubdp",
        "xvmuldp",
        "xvdivdp",
        "xvmaddadp",
        "xvmaddmdp",
        "xvnmsubadp",
        "xsmaxcdp",
        "xsmincdp",
        "xscmpgtdp",
        "xscmpeqdp",
        "xscpsgndp",
        "xvaddsp",
        "xvsubsp",
        "xvmulsp",
        "xvmaddasp",
        "xvmaddmsp",
        "xvmsubasp",
        "xvmsubmsp",
    ];
    const X1: [&str; 8] = [
        "xssqrtdp",
        "xsrsp",
        "xvsqrtdp",
        "xvnegdp",
        "xvabsdp",
        "xsnegdp",
        "xscvdpspn",
        "xscvspdpn",
    ];
    const MEM: [&str; 12] = [
        "lfd", "lfs", "stfd", "stfs", "lfdu", "lfsu", "stfdu", "stfsu", "lfdx", "lfsx", "stfdx",
        "stfsx",
    ];

    fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        (0..list.len()).prop_map(move |k| list[k])
    }

    fn dot(m: &str, rc: bool) -> String {
        if rc {
            format!("{m}.")
        } else {
            m.to_string()
        }
    }

    /// One random floating-point instruction.
    fn insn() -> impl Strategy<Value = (String, Vec<i64>)> {
        prop_oneof![
            6 => (pick(&A3), any::<bool>(), fr(), fr(), fr(), fr()).prop_map(|(m, rc, t, a, b, c)| {
                let rc = rc && t == 0;
                if m.starts_with("fmul") {
                    (dot(m, rc), vec![t, a, c])
                } else if m.contains("madd") || m.contains("msub") {
                    (dot(m, rc), vec![t, a, c, b])
                } else {
                    (dot(m, rc), vec![t, a, b])
                }
            }),
            4 => (pick(&A1), any::<bool>(), fr(), fr())
                .prop_map(|(m, rc, t, b)| (dot(m, rc && t == 1), vec![t, b])),
            2 => (0usize..6, fr(), fr(), fr(), 0i64..8, 0i64..4).prop_map(|(k, t, a, b, bf, rm)| match k {
                0 => ins("fcmpu", &[bf, a, b]),
                1 => ins("fcmpo", &[bf, a, b]),
                2 => ins("fcpsgn", &[t, a, b]),
                3 => ins("mffscrni", &[t, rm]),
                4 => ins("mffs", &[t]),
                _ => ins("fabs", &[t, b]),
            }),
            5 => (pick(&X3), vr(), vr(), vr()).prop_map(|(m, t, a, b)| ins(m, &[t, a, b])),
            3 => (pick(&X1), vr(), vr()).prop_map(|(m, t, b)| ins(m, &[t, b])),
            2 => (0usize..5, vr(), vr(), vr(), vr(), 0i64..4, 0i64..8).prop_map(|(k, t, a, b, c, dm, bf)| match k {
                0 => ins("xxpermdi", &[t, a, b, dm]),
                1 => ins("xxsel", &[t, a, b, c]),
                2 => ins("xxspltw", &[t, b, dm]),
                3 => ins("xscmpudp", &[bf, a, b]),
                _ => ins("xscmpodp", &[bf, a, b]),
            }),
            4 => (pick(&MEM), fr(), -32i64..32).prop_map(|(m, t, d)| {
                if m.ends_with('x') {
                    ins(m, &[t, 1, 5])
                } else {
                    ins(m, &[t, 8 * d, if m.contains('u') { 2 } else { 1 }])
                }
            }),
            2 => (0usize..6, vr(), 0i64..32).prop_map(|(k, x, d)| match k {
                0 => ins("lxsd", &[x & 31, 8 * d, 1]),
                1 => ins("stxsd", &[x & 31, 8 * d, 1]),
                2 => ins("lxvx", &[x, 1, 5]),
                3 => ins("stxvx", &[x, 1, 5]),
                4 => ins("lxssp", &[x & 31, 4 * d, 1]),
                _ => ins("stxssp", &[x & 31, 4 * d, 1]),
            }),
        ]
    }

    fn init() -> impl Strategy<Value = ArchState> {
        (
            prop::collection::vec(value(), 24),
            fpscr(),
            any::<u32>(),
            0u64..0x40,
        )
            .prop_map(|(v, f, cr, off)| {
                let mut s = ArchState::default();
                for (k, x) in v.iter().enumerate() {
                    let n = if k < 12 { k } else { 32 + k - 12 };
                    s.vsr[n] = [*x, v[(k + 5) % v.len()]];
                }
                s.fpscr = f;
                s.cr = cr;
                s.gpr[1] = DATA + 0x800;
                s.gpr[2] = DATA + 0x400;
                s.gpr[5] = off * 8;
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("FP_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3000)
        ))]

        /// Random floating-point sequences on random operands and FPSCRs:
        /// state (FPSCR included), memory and icount as the interpreter's.
        #[test]
        fn random_fp_sequences_match_the_interpreter(
            prog in prop::collection::vec(insn(), 1..14),
            init in init(),
            le in any::<bool>(),
            data in prop::collection::vec(value(), 32),
        ) {
            same_with_data(le, &prog, &init, &data);
        }
    }

    /// [`same`] with `data` stored as doublewords around r1 and r2.
    fn same_with_data(le: bool, prog: &Prog, init: &ArchState, data: &[u64]) {
        let n = prog.len() as u64;
        for budget in [1, n / 2, n, n + 1] {
            let run = |jit: bool| {
                let (mut c, mut m) = setup(le, prog, init);
                for (k, v) in data.iter().enumerate() {
                    let b = if le { v.to_le_bytes() } else { v.to_be_bytes() };
                    m.write_bytes(DATA + 0x800 - 0x80 + 8 * k as u64, &b)
                        .unwrap();
                    m.write_bytes(DATA + 0x400 - 0x80 + 8 * k as u64, &b)
                        .unwrap();
                }
                let stop = if jit {
                    Jit::eager().run(&mut c, &mut m, &mut VirtualEnv::new(0), budget)
                } else {
                    Interp::new().run(&mut c, &mut m, &mut VirtualEnv::new(0), budget)
                };
                (stop, c.icount, c.state, m.digest())
            };
            let (j, i) = (run(true), run(false));
            assert_eq!(j.0, i.0, "stop, budget {budget} {prog:?}");
            assert_eq!(j.1, i.1, "icount, budget {budget} {prog:?}");
            if j.2 != i.2 {
                for k in 0..64 {
                    if j.2.vsr[k] != i.2.vsr[k] {
                        eprintln!(
                            "vsr{k}: jit {:016x?} interp {:016x?}",
                            j.2.vsr[k], i.2.vsr[k]
                        );
                    }
                }
                eprintln!(
                    "fpscr jit {:x} interp {:x} (init {:x})",
                    j.2.fpscr, i.2.fpscr, init.fpscr
                );
                for k in 0..8 {
                    eprintln!("init vsr{k} {:016x?}", init.vsr[k]);
                }
                eprintln!("cr jit {:x} interp {:x}", j.2.cr, i.2.cr);
                panic!("state, le={le} budget {budget} {prog:?}");
            }
            assert_eq!(j.3, i.3, "memory, budget {budget} {prog:?}");
        }
    }
}
