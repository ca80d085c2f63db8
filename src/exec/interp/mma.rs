//! Matrix-Multiply Assist semantics (Power ISA 3.1 Book I ch. 8).
//!
//! On POWER10 the eight 512-bit accumulators overlap the VSRs: row `i` of
//! ACC[AT] is VSR[4×AT + i] (ISA 3.1 §8.2; QEMU 7.2 `acc_full_offset` keeps
//! them there too). `xxmtacc` / `xxmfacc` therefore move nothing (the ISA makes
//! the VSRs' contents undefined while the accumulator is "primed"; keeping
//! them is what QEMU and the hardware do), and `xxsetaccz` zeroes the four VSRs.
//!
//! A GER computes a 4×4 (4×2 for f64) outer-product update: element (i, j) of
//! the accumulator from word (doubleword) i of XA and word j of XB. XMSK/YMSK
//! (prefixed forms) select the rows and columns updated, the others are set to
//! zero; PMSK selects which products of a rank-k update take part. The
//! unprefixed forms behave as if every mask bit were 1.
//!
//! Floating point (ISA 3.1 §8.6, the xvf*ger* pseudocode): every element is
//! rounded as if OE = UE = 0 (`bfp_ROUND_TO_BFP32_DEFAULT`); the exception bits
//! VXSNAN, VXIMZ, VXISI, OX, UX, XX of all elements are ORed into the FPSCR;
//! FR, FI and FPRF are not changed; the accumulator is written whatever the
//! enables say, and an enabled exception then causes the program interrupt
//! (QEMU `vsxger_excp`: "execute as if exceptions are disabled and only at the
//! end throw an exception").

use super::fpu::{self, FpFlags, Madd, Mode, Prec};
use super::{Ctx, Exc, ExecResult};
use crate::exec::FaultKind;
use crate::isa::table::Mma;
use crate::isa::{Insn, Operand};

pub(super) fn exec(cx: &mut Ctx, op: Mma, i: Insn) -> ExecResult {
    use Mma::*;
    let (n, p) = (Accum::Set, Accum::Pos);
    match op {
        Xxmfacc | Xxmtacc => Ok(()),
        Xxsetaccz => {
            let at = at(i);
            for r in 0..4 {
                cx.s.vsr[at + r] = [0, 0];
            }
            Ok(())
        }
        // integer: (rank, A signed, B signed, saturate, accumulate)
        Xvi4ger8 | Pmxvi4ger8 => iger(cx, i, Int::I4, false, n),
        Xvi4ger8pp | Pmxvi4ger8pp => iger(cx, i, Int::I4, false, p),
        Xvi8ger4 | Pmxvi8ger4 => iger(cx, i, Int::I8, false, n),
        Xvi8ger4pp | Pmxvi8ger4pp => iger(cx, i, Int::I8, false, p),
        Xvi8ger4spp | Pmxvi8ger4spp => iger(cx, i, Int::I8, true, p),
        Xvi16ger2 | Pmxvi16ger2 => iger(cx, i, Int::I16, false, n),
        Xvi16ger2pp | Pmxvi16ger2pp => iger(cx, i, Int::I16, false, p),
        Xvi16ger2s | Pmxvi16ger2s => iger(cx, i, Int::I16, true, n),
        Xvi16ger2spp | Pmxvi16ger2spp => iger(cx, i, Int::I16, true, p),
        // floating point: (negate product, accumulate: none / acc / -acc)
        Xvbf16ger2 | Pmxvbf16ger2 => hger(cx, i, Half::Bf16, Sign::PP, n),
        Xvbf16ger2pp | Pmxvbf16ger2pp => hger(cx, i, Half::Bf16, Sign::PP, p),
        Xvbf16ger2pn | Pmxvbf16ger2pn => hger(cx, i, Half::Bf16, Sign::PN, p),
        Xvbf16ger2np | Pmxvbf16ger2np => hger(cx, i, Half::Bf16, Sign::NP, p),
        Xvbf16ger2nn | Pmxvbf16ger2nn => hger(cx, i, Half::Bf16, Sign::NN, p),
        Xvf16ger2 | Pmxvf16ger2 => hger(cx, i, Half::F16, Sign::PP, n),
        Xvf16ger2pp | Pmxvf16ger2pp => hger(cx, i, Half::F16, Sign::PP, p),
        Xvf16ger2pn | Pmxvf16ger2pn => hger(cx, i, Half::F16, Sign::PN, p),
        Xvf16ger2np | Pmxvf16ger2np => hger(cx, i, Half::F16, Sign::NP, p),
        Xvf16ger2nn | Pmxvf16ger2nn => hger(cx, i, Half::F16, Sign::NN, p),
        Xvf32ger | Pmxvf32ger => fger(cx, i, false, Sign::PP, n),
        Xvf32gerpp | Pmxvf32gerpp => fger(cx, i, false, Sign::PP, p),
        Xvf32gerpn | Pmxvf32gerpn => fger(cx, i, false, Sign::PN, p),
        Xvf32gernp | Pmxvf32gernp => fger(cx, i, false, Sign::NP, p),
        Xvf32gernn | Pmxvf32gernn => fger(cx, i, false, Sign::NN, p),
        Xvf64ger | Pmxvf64ger => fger(cx, i, true, Sign::PP, n),
        Xvf64gerpp | Pmxvf64gerpp => fger(cx, i, true, Sign::PP, p),
        Xvf64gerpn | Pmxvf64gerpn => fger(cx, i, true, Sign::PN, p),
        Xvf64gernp | Pmxvf64gernp => fger(cx, i, true, Sign::NP, p),
        Xvf64gernn | Pmxvf64gernn => fger(cx, i, true, Sign::NN, p),
    }
}

/// First VSR of accumulator AT.
fn at(i: Insn) -> usize {
    4 * i.bits(6, 8) as usize
}

/// Whether the accumulator's old value is added (the `pp`/`pn`/... forms) or
/// replaced (the plain forms).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Accum {
    Set,
    Pos,
}

/// The sign variants: product positive/negative, accumulator positive/negative.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sign {
    PP,
    PN,
    NP,
    NN,
}

/// The masks of an instruction: (XMSK, YMSK, PMSK) with the unprefixed forms'
/// "all ones" and the f64 YMSK (2 bits) and the narrower PMSKs widened so that
/// bit `k` (from the left) of an `n`-bit field is `mask >> (n - 1 - k)`.
struct Masks {
    x: u32,
    y: u32,
    p: u32,
}

impl Masks {
    fn of(i: Insn, ycols: u32, pbits: u32) -> Masks {
        if !i.is_prefixed() {
            return Masks {
                x: 0xf,
                y: (1 << ycols) - 1,
                p: (1u32 << pbits).wrapping_sub(1),
            };
        }
        let y = if ycols == 2 {
            i.get(Operand::Ymsk2)
        } else {
            i.get(Operand::Ymsk)
        } as u32;
        let p = match pbits {
            8 => i.get(Operand::Pmsk8),
            4 => i.get(Operand::Pmsk4),
            2 => i.get(Operand::Pmsk2),
            _ => 0,
        } as u32;
        Masks {
            x: i.get(Operand::Xmsk) as u32,
            y,
            p,
        }
    }
    fn row(&self, r: usize) -> bool {
        self.x >> (3 - r) & 1 != 0
    }
    fn col(&self, c: usize, ncols: usize) -> bool {
        self.y >> (ncols - 1 - c) & 1 != 0
    }
}

/// Word `k` (ISA order) of a 128-bit value.
fn word(v: u128, k: usize) -> u32 {
    (v >> (96 - 32 * k)) as u32
}

// ---------------------------------------------------------------------------
// Integer GERs (ISA 3.1 §8.6.1)
// ---------------------------------------------------------------------------

/// Element layout of an integer GER.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Int {
    /// xvi4ger8: 8 signed nibbles × 8 signed nibbles per word.
    I4,
    /// xvi8ger4: 4 signed bytes (XA) × 4 unsigned bytes (XB) per word.
    I8,
    /// xvi16ger2: 2 signed halfwords × 2 signed halfwords per word.
    I16,
}

/// The rank-k dot product of words `a` and `b`, over the products PMSK
/// selects (PMSK bit 0, the leftmost, selects the leftmost elements).
fn dot(kind: Int, a: u32, b: u32, pmsk: u32) -> i64 {
    let (n, w) = match kind {
        Int::I4 => (8, 4),
        Int::I8 => (4, 8),
        Int::I16 => (2, 16),
    };
    (0..n)
        .filter(|k| pmsk >> (n - 1 - k) & 1 != 0)
        .map(|k| {
            let sh = 32 - w * (k + 1);
            let ext = |x: u32, signed: bool| {
                let v = (x >> sh) & ((1u32 << w) - 1);
                if signed {
                    ((v << (32 - w)) as i32 >> (32 - w)) as i64
                } else {
                    v as i64
                }
            };
            ext(a, true) * ext(b, kind != Int::I8)
        })
        .sum()
}

/// xvi*ger*: each selected element is the dot product (plus the old element
/// for the `pp` forms), modulo 2^32 or saturated to 32 bits (the `s` forms,
/// which set VSCR[SAT]).
fn iger(cx: &mut Ctx, i: Insn, kind: Int, saturate: bool, acc: Accum) -> ExecResult {
    let pbits = match kind {
        Int::I4 => 8,
        Int::I8 => 4,
        Int::I16 => 2,
    };
    let m = Masks::of(i, 4, pbits);
    let (a, b) = (
        cx.s.vsr128(i.get(Operand::Xa) as usize),
        cx.s.vsr128(i.get(Operand::Xb) as usize),
    );
    let at = at(i);
    let mut sat = false;
    for r in 0..4 {
        let old = cx.s.vsr128(at + r);
        let mut row = 0u128;
        for c in 0..4 {
            let v = if m.row(r) && m.col(c, 4) {
                let mut s = dot(kind, word(a, r), word(b, c), m.p);
                if acc == Accum::Pos {
                    s += word(old, c) as i32 as i64;
                }
                if saturate && s != s.clamp(i32::MIN as i64, i32::MAX as i64) {
                    sat = true;
                    s = s.clamp(i32::MIN as i64, i32::MAX as i64);
                }
                s as u32
            } else {
                0
            };
            row |= (v as u128) << (96 - 32 * c);
        }
        cx.s.set_vsr128(at + r, row);
    }
    if sat {
        cx.s.vscr |= super::vmx::VSCR_SAT;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Floating-point GERs (ISA 3.1 §8.6.2)
// ---------------------------------------------------------------------------

/// The rounding mode from FPSCR[RN], with the overflow/underflow enables
/// treated as 0 (`bfp_ROUND_TO_BFP32_DEFAULT`).
fn mode(fpscr: u64) -> Mode {
    Mode::NEAREST.with_rm(Mode::from_fpscr(fpscr).rm)
}

/// Folds the flags of all elements into the FPSCR (FR, FI and FPRF are left
/// alone) and raises the program interrupt of an enabled exception after the
/// accumulator has been written.
fn finish(cx: &mut Ctx, fl: &FpFlags) -> ExecResult {
    let c = fpu::commit(&mut cx.s.fpscr, fl, None, false);
    if c.enabled && fpu::traps_enabled(cx.s.msr) {
        Err(Exc::Fault(FaultKind::FpEnabled))
    } else {
        Ok(())
    }
}

/// bfp_NEGATE: flips the sign of a number; a NaN is returned unchanged (QEMU
/// `bfp32_neg`, as its vectors show).
fn negate(x: u64) -> u64 {
    if fpu::is_nan(x) {
        x
    } else {
        x ^ (1 << 63)
    }
}

/// xvf32ger* / xvf64ger*: element (i, j) = ±(XA[i] × XB[j] ± ACC[i][j]) with a
/// single rounding (fused); the `n?` forms negate the rounded result.
fn fger(cx: &mut Ctx, i: Insn, f64: bool, sign: Sign, acc: Accum) -> ExecResult {
    let ncols = if f64 { 2 } else { 4 };
    let m = Masks::of(i, ncols as u32, 0);
    let xa = i.get(Operand::Xa) as usize;
    let b = cx.s.vsr128(i.get(Operand::Xb) as usize);
    let at = at(i);
    let md = mode(cx.s.fpscr);
    let mut fl = FpFlags::default();
    let kind = match sign {
        Sign::PP => Madd::Madd,
        Sign::PN => Madd::Msub,
        Sign::NP => Madd::Nmsub,
        Sign::NN => Madd::Nmadd,
    };
    for r in 0..4 {
        let old = cx.s.vsr128(at + r);
        let mut row = 0u128;
        for c in 0..ncols {
            if !(m.row(r) && m.col(c, ncols)) {
                continue;
            }
            let (x, y, t, p) = if f64 {
                // XAp: row r is doubleword r % 2 of VSR XAp + r / 2.
                let x = cx.s.vsr[(xa + r / 2) & 63][r % 2];
                (
                    x,
                    (b >> (64 - 64 * c)) as u64,
                    (old >> (64 - 64 * c)) as u64,
                    Prec::Double,
                )
            } else {
                let s = |v: u32| fpu::single_to_double(v);
                (
                    s(word(cx.s.vsr128(xa), r)),
                    s(word(b, c)),
                    s(word(old, c)),
                    Prec::Single,
                )
            };
            let v = match acc {
                Accum::Set => fpu::mul(x, y, p, md, &mut fl),
                Accum::Pos => fpu::madd(x, y, t, kind, p, md, &mut fl),
            };
            row |= if f64 {
                (v as u128) << (64 - 64 * c)
            } else {
                (fpu::double_to_single(v) as u128) << (96 - 32 * c)
            };
        }
        cx.s.set_vsr128(at + r, row);
    }
    finish(cx, &fl)
}

/// The 16-bit source formats of the rank-2 GERs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Half {
    /// IEEE binary16.
    F16,
    /// bfloat16 (the high half of a binary32).
    Bf16,
}

/// A 16-bit value as binary64, exactly (an SNaN stays signaling).
fn half_to_double(h: u16, kind: Half) -> u64 {
    if kind == Half::Bf16 {
        return fpu::single_to_double((h as u32) << 16);
    }
    let sign = ((h >> 15) as u64) << 63;
    let e = ((h >> 10) & 0x1f) as u64;
    let f = (h & 0x3ff) as u64;
    if e == 0x1f {
        sign | (0x7ff << 52) | (f << 42)
    } else if e != 0 {
        sign | ((e + 1023 - 15) << 52) | (f << 42)
    } else if f == 0 {
        sign
    } else {
        // Denormal f × 2^-24: normalize so the leading 1 becomes implicit.
        let shift = f.leading_zeros() - 53;
        sign | ((1023 - 14 - shift as u64) << 52) | (((f << shift) & 0x3ff) << 42)
    }
}

/// r1 = a0×b0 + a1×b1 rounded once to binary32 (xvf16ger2:
/// `bfp_ROUND_TO_BFP32_DEFAULT`). The first product is exact in binary64 (22
/// significant bits at most for binary16, 16 for bfloat16), so the fused
/// multiply-add rounds only once.
///
/// For bfloat16 the ISA 3.1 pseudocode (xvbf16ger2*) rounds r1 to a 24-bit
/// significand with an unbounded exponent (`bfp_ROUND_TO_BFP32_SIGNIFICAND`,
/// no OX/UX) and leaves the range to the final rounding; QEMU 7.2 (and this
/// function) round r1 to binary32 like binary16. The two differ only when the
/// dot product of an element lies outside the binary32 normal range before it
/// is accumulated; the measured vectors follow QEMU.
fn dot2(a0: u64, b0: u64, a1: u64, b1: u64, md: Mode, fl: &mut FpFlags) -> u64 {
    let p0 = fpu::mul(a0, b0, Prec::Double, md, fl);
    fpu::madd(a1, b1, p0, Madd::Madd, Prec::Single, md, fl)
}

/// xvf16ger2* / xvbf16ger2*: r1 = XA[i].h0 × XB[j].h0 + XA[i].h1 × XB[j].h1
/// rounded once to binary32 (PMSK bit k = 0 replaces the k-th products'
/// operands by +0); the accumulating forms then add ±r1 and ±ACC[i][j] with a
/// second rounding (ISA 3.1 xvf16ger2pp pseudocode: r2 <- ROUND(ADD(r1, acc))).
fn hger(cx: &mut Ctx, i: Insn, kind: Half, sign: Sign, acc: Accum) -> ExecResult {
    let m = Masks::of(i, 4, 2);
    let (a, b) = (
        cx.s.vsr128(i.get(Operand::Xa) as usize),
        cx.s.vsr128(i.get(Operand::Xb) as usize),
    );
    let at = at(i);
    let md = mode(cx.s.fpscr);
    let mut fl = FpFlags::default();
    let half = |w: u32, k: u32, on: bool| {
        if on {
            half_to_double((w >> (16 - 16 * k)) as u16, kind)
        } else {
            0
        }
    };
    for r in 0..4 {
        let old = cx.s.vsr128(at + r);
        let mut row = 0u128;
        for c in 0..4 {
            if !(m.row(r) && m.col(c, 4)) {
                continue;
            }
            let (wa, wb) = (word(a, r), word(b, c));
            let (p0, p1) = (m.p & 2 != 0, m.p & 1 != 0);
            let (a0, b0) = (half(wa, 0, p0), half(wb, 0, p0));
            let (a1, b1) = (half(wa, 1, p1), half(wb, 1, p1));
            let r1 = dot2(a0, b0, a1, b1, md, &mut fl);
            let v = match acc {
                Accum::Set => r1,
                Accum::Pos => {
                    let t = fpu::single_to_double(word(old, c));
                    let (neg_p, neg_a) = match sign {
                        Sign::PP => (false, false),
                        Sign::PN => (false, true),
                        Sign::NP => (true, false),
                        Sign::NN => (true, true),
                    };
                    let x = if neg_p { negate(r1) } else { r1 };
                    let y = if neg_a { negate(t) } else { t };
                    fpu::add(x, y, Prec::Single, md, &mut fl)
                }
            };
            row |= (fpu::double_to_single(v) as u128) << (96 - 32 * c);
        }
        cx.s.set_vsr128(at + r, row);
    }
    finish(cx, &fl)
}

#[cfg(test)]
mod tests {
    use super::super::vmx::tests::run;

    fn f32s(x: [f32; 4]) -> u128 {
        x.iter()
            .fold(0u128, |acc, v| (acc << 32) | v.to_bits() as u128)
    }

    #[test]
    fn xxsetaccz_zeroes_the_four_vsrs_of_the_accumulator() {
        let (cpu, _) = run(false, &[("xxsetaccz", &[1])], |c| {
            for n in 0..12 {
                c.state.set_vsr128(n, u128::MAX);
            }
        });
        for n in 0..12 {
            let want = if (4..8).contains(&n) { 0 } else { u128::MAX };
            assert_eq!(cpu.state.vsr128(n), want, "vs{n}");
        }
    }

    #[test]
    fn xvi8ger4_multiplies_signed_xa_bytes_by_unsigned_xb_bytes() {
        // ISA 3.1 xvi8ger4: EXTS(XA byte) x EXTZ(XB byte), summed over 4 bytes:
        // 4 x (-1 x 255) = -1020 in every element.
        let (cpu, _) = run(false, &[("xvi8ger4", &[0, 32, 33])], |c| {
            c.state.set_vsr128(32, u128::MAX);
            c.state.set_vsr128(33, u128::MAX);
        });
        let e = (-1020i32) as u32 as u128;
        let row = e << 96 | e << 64 | e << 32 | e;
        for n in 0..4 {
            assert_eq!(cpu.state.vsr128(n), row);
        }
    }

    #[test]
    fn xvi16ger2s_saturates_and_sets_vscr_sat() {
        // (-32768)^2 x 2 = 2^31 does not fit: 0x7fffffff and VSCR[SAT].
        let (cpu, _) = run(false, &[("xvi16ger2s", &[1, 40, 41])], |c| {
            c.state.vscr = 0;
            c.state.set_vsr128(
                40,
                u128::from_be_bytes([0x80, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            );
            c.state.set_vsr128(
                41,
                u128::from_be_bytes([0x80, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            );
        });
        assert_eq!(cpu.state.vsr128(4) >> 96, 0x7fff_ffff);
        assert_eq!(cpu.state.vscr & super::super::vmx::VSCR_SAT, 1);
    }

    #[test]
    fn xvf32gerpp_adds_the_outer_product_to_the_accumulator() {
        let (cpu, _) = run(false, &[("xvf32gerpp", &[2, 40, 41])], |c| {
            c.state.set_vsr128(40, f32s([1.5, 2.0, -1.0, 0.5]));
            c.state.set_vsr128(41, f32s([2.0, 4.0, 0.25, 8.0]));
            for n in 8..12 {
                c.state.set_vsr128(n, f32s([1.0; 4]));
            }
        });
        assert_eq!(cpu.state.vsr128(8), f32s([4.0, 7.0, 1.375, 13.0]));
        assert_eq!(cpu.state.vsr128(10), f32s([-1.0, -3.0, 0.75, -7.0]));
    }

    #[test]
    fn pmxvf32ger_zeroes_the_elements_its_masks_leave_out() {
        // XMSK = 0b1000 (row 0), YMSK = 0b0001 (column 3).
        let (cpu, _) = run(
            false,
            &[("pmxvf32ger", &[0, 40, 41, 0b1000, 0b0001])],
            |c| {
                c.state.set_vsr128(40, f32s([3.0; 4]));
                c.state.set_vsr128(41, f32s([2.0; 4]));
                for n in 0..4 {
                    c.state.set_vsr128(n, u128::MAX);
                }
            },
        );
        assert_eq!(cpu.state.vsr128(0), f32s([0.0, 0.0, 0.0, 6.0]));
        for n in 1..4 {
            assert_eq!(cpu.state.vsr128(n), 0);
        }
    }

    #[test]
    fn xvf64ger_reads_rows_from_the_even_odd_pair_xap() {
        let d = |a: f64, b: f64| (a.to_bits() as u128) << 64 | b.to_bits() as u128;
        let (cpu, _) = run(false, &[("xvf64ger", &[1, 40, 42])], |c| {
            c.state.set_vsr128(40, d(1.0, 2.0));
            c.state.set_vsr128(41, d(3.0, 4.0));
            c.state.set_vsr128(42, d(10.0, 100.0));
        });
        assert_eq!(cpu.state.vsr128(4), d(10.0, 100.0));
        assert_eq!(cpu.state.vsr128(5), d(20.0, 200.0));
        assert_eq!(cpu.state.vsr128(6), d(30.0, 300.0));
        assert_eq!(cpu.state.vsr128(7), d(40.0, 400.0));
    }

    #[test]
    fn xvbf16ger2_sums_two_products_per_element() {
        // bfloat16 1.0 = 0x3f80, 2.0 = 0x4000, 3.0 = 0x4040: 1x1 + 2x3 = 7.
        let (cpu, _) = run(false, &[("xvbf16ger2", &[0, 40, 41])], |c| {
            c.state
                .set_vsr128(40, 0x3f80_4000u128 * (1 | 1 << 32 | 1 << 64 | 1 << 96));
            c.state
                .set_vsr128(41, 0x3f80_4040u128 * (1 | 1 << 32 | 1 << 64 | 1 << 96));
        });
        assert_eq!(cpu.state.vsr128(0), f32s([7.0; 4]));
    }

    #[test]
    fn xvf32ger_overflow_sets_ox_and_xx_but_not_fi() {
        // ISA 3.1 xvf32ger: OX/XX are recorded, FR/FI/FPRF are not changed.
        let (cpu, _) = run(false, &[("xvf32ger", &[0, 40, 41])], |c| {
            c.state.fpscr = 0;
            c.state.set_vsr128(40, f32s([f32::MAX; 4]));
            c.state.set_vsr128(41, f32s([2.0; 4]));
        });
        assert_eq!(cpu.state.vsr128(0), f32s([f32::INFINITY; 4]));
        assert_eq!(cpu.state.fpscr, 0x9200_0000);
    }
}
