//! Floating-point arithmetic with exact FPSCR semantics (shared by the classic FP,
//! VSX scalar and VSX vector instruction families).
//!
//! Every operation works on raw binary64 bit patterns (`u64`), takes the
//! rounding/enable [`Mode`] derived from the FPSCR, and reports what happened in
//! an [`FpFlags`] accumulator. The caller then calls [`commit`] once per
//! instruction to fold the flags into the FPSCR (sticky bits, FX, VX, FEX, and
//! optionally FPRF/FR/FI), and learns whether the target may be written and
//! whether an enabled exception occurred.
//!
//! Usage (classic `fadd`):
//! ```ignore
//! let m = Mode::from_fpscr(fpscr);
//! let mut fl = FpFlags::default();
//! let r = fpu::add(a, b, Prec::Double, m, &mut fl);
//! let c = fpu::commit(&mut fpscr, &fl, Some(fpu::fprf(r)), true);
//! if c.write { frt = r }
//! ```
//! A vector op accumulates the flags of all its elements into one `FpFlags`
//! and commits once with `fprf = None, set_fr_fi = false`.
//!
//! Sources: Power ISA 3.1 Book I §4.3 (floating-point data, rounding), §4.4
//! (floating-point exceptions), §4.5–4.6 (execution models, instruction
//! descriptions); QEMU `target/ppc/fpu_helper.c` for the cases the ISA leaves
//! undefined (NaN results of integer conversions, estimates).

/// FPSCR bit masks (ISA bit n of the 64-bit FPSCR is `1 << (63 - n)`).
pub mod bits {
    /// Floating-point exception summary (sticky; set when an exception bit goes 0→1).
    pub const FX: u64 = 1 << 31;
    /// Enabled exception summary (OR of exception AND enable).
    pub const FEX: u64 = 1 << 30;
    /// Invalid operation summary (OR of the VX* bits).
    pub const VX: u64 = 1 << 29;
    /// Overflow.
    pub const OX: u64 = 1 << 28;
    /// Underflow.
    pub const UX: u64 = 1 << 27;
    /// Zero divide.
    pub const ZX: u64 = 1 << 26;
    /// Inexact.
    pub const XX: u64 = 1 << 25;
    /// Invalid: signaling NaN.
    pub const VXSNAN: u64 = 1 << 24;
    /// Invalid: inf - inf.
    pub const VXISI: u64 = 1 << 23;
    /// Invalid: inf / inf.
    pub const VXIDI: u64 = 1 << 22;
    /// Invalid: 0 / 0.
    pub const VXZDZ: u64 = 1 << 21;
    /// Invalid: inf * 0.
    pub const VXIMZ: u64 = 1 << 20;
    /// Invalid compare.
    pub const VXVC: u64 = 1 << 19;
    /// Fraction rounded (non-sticky).
    pub const FR: u64 = 1 << 18;
    /// Fraction inexact (non-sticky).
    pub const FI: u64 = 1 << 17;
    /// FPRF: result class descriptor C.
    pub const C: u64 = 1 << 16;
    /// FPCC: less than / negative.
    pub const FL: u64 = 1 << 15;
    /// FPCC: greater than / positive.
    pub const FG: u64 = 1 << 14;
    /// FPCC: equal / zero.
    pub const FE: u64 = 1 << 13;
    /// FPCC: unordered / NaN.
    pub const FU: u64 = 1 << 12;
    /// Shift of the 5-bit FPRF field (C FL FG FE FU).
    pub const FPRF_SHIFT: u32 = 12;
    /// The FPRF field.
    pub const FPRF: u64 = 0x1f << 12;
    /// The FPCC field.
    pub const FPCC: u64 = 0xf << 12;
    /// Invalid: software request.
    pub const VXSOFT: u64 = 1 << 10;
    /// Invalid: square root of a negative number.
    pub const VXSQRT: u64 = 1 << 9;
    /// Invalid: integer convert.
    pub const VXCVI: u64 = 1 << 8;
    /// Invalid operation exception enable.
    pub const VE: u64 = 1 << 7;
    /// Overflow enable.
    pub const OE: u64 = 1 << 6;
    /// Underflow enable.
    pub const UE: u64 = 1 << 5;
    /// Zero-divide enable.
    pub const ZE: u64 = 1 << 4;
    /// Inexact enable.
    pub const XE: u64 = 1 << 3;
    /// Non-IEEE mode.
    pub const NI: u64 = 1 << 2;
    /// Binary rounding mode.
    pub const RN: u64 = 3;
    /// All VX* cause bits.
    pub const VX_ALL: u64 =
        VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
    /// All exception bits (sticky) whose 0→1 transition sets FX.
    pub const EXC_ALL: u64 = OX | UX | ZX | XX | VX_ALL;
    /// Decimal rounding mode DRN (ISA bits 29:31).
    pub const DRN: u64 = 7 << 32;
}

/// MSR[FE0] (ISA bit 52): with FE1, selects the floating-point exception mode.
pub const MSR_FE0: u64 = 1 << 11;
/// MSR[FE1] (ISA bit 55).
pub const MSR_FE1: u64 = 1 << 8;

/// Whether an enabled floating-point exception causes a program interrupt
/// (MSR[FE0] or MSR[FE1] set; ISA Book III "Floating-Point Exception Modes").
/// Linux starts processes with both clear (`PR_FP_EXC_DISABLED`); note that QEMU
/// linux-user always traps (its `fp_exceptions_enabled` returns true).
pub fn traps_enabled(msr: u64) -> bool {
    msr & (MSR_FE0 | MSR_FE1) != 0
}

/// Binary rounding mode (FPSCR[RN]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// Round to nearest, ties to even (RN=0).
    Nearest,
    /// Toward zero (RN=1).
    Zero,
    /// Toward +infinity (RN=2).
    Up,
    /// Toward -infinity (RN=3).
    Down,
    /// Round to nearest, ties away from zero (only `frin`/`xsrdpi`, never RN).
    NearestAway,
}

impl Round {
    /// The mode selected by an RN value (low two bits).
    pub const fn from_rn(rn: u64) -> Round {
        match rn & 3 {
            0 => Round::Nearest,
            1 => Round::Zero,
            2 => Round::Up,
            _ => Round::Down,
        }
    }
}

/// Result precision: binary64, or binary32 range and precision represented in
/// binary64 format (the classic single-precision instructions and `xs*sp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prec {
    /// binary64.
    Double,
    /// binary32, delivered as the equal binary64 value.
    Single,
}

/// What an operation needs from the FPSCR: rounding mode and the enables that
/// change results (OE/UE scale the exponent; UE changes underflow detection;
/// VE/ZE suppress the write, decided in [`commit`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    /// Rounding mode.
    pub rm: Round,
    /// FPSCR[OE].
    pub oe: bool,
    /// FPSCR[UE].
    pub ue: bool,
}

impl Mode {
    /// Mode from the FPSCR.
    #[inline(always)]
    pub const fn from_fpscr(fpscr: u64) -> Mode {
        Mode {
            rm: Round::from_rn(fpscr),
            oe: fpscr & bits::OE != 0,
            ue: fpscr & bits::UE != 0,
        }
    }
    /// Round-to-nearest with all exceptions disabled.
    pub const NEAREST: Mode = Mode {
        rm: Round::Nearest,
        oe: false,
        ue: false,
    };
    /// Same enables, another rounding mode.
    pub const fn with_rm(self, rm: Round) -> Mode {
        Mode {
            rm,
            oe: self.oe,
            ue: self.ue,
        }
    }
}

/// Exceptions and rounding information accumulated by operations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FpFlags {
    /// Exception bits raised, in FPSCR positions ([`bits::OX`], [`bits::VXSNAN`], ...).
    /// Only bits in [`bits::EXC_ALL`].
    pub exc: u64,
    /// The (last) result's fraction was incremented by rounding.
    pub fr: bool,
    /// The (last) result is inexact.
    pub fi: bool,
}

impl FpFlags {
    /// Records exception bits.
    #[inline(always)]
    pub fn raise(&mut self, exc: u64) {
        self.exc |= exc;
    }
    /// Whether an invalid-operation exception was raised.
    #[inline(always)]
    pub fn invalid(&self) -> bool {
        self.exc & bits::VX_ALL != 0
    }
}

/// What [`commit`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Commit {
    /// The target register may be written (no enabled invalid-operation or
    /// zero-divide exception occurred; ISA §4.4.1, §4.4.2).
    pub write: bool,
    /// An exception whose enable bit is set occurred in this instruction: the
    /// caller raises a program interrupt if [`traps_enabled`] says so.
    pub enabled: bool,
}

/// Folds an instruction's flags into the FPSCR.
///
/// - sticky exception bits are ORed in; FX is set if any of them went 0→1;
/// - VX and FEX summaries are recomputed;
/// - if the write is suppressed (VE=1 with an invalid op, or ZE=1 with a
///   zero divide), FR and FI are cleared and FPRF is left alone;
/// - otherwise, when `set_fr_fi`, FR/FI are set from `fl`, and when `fprf` is
///   `Some(class)` (5 bits: C FL FG FE FU), FPRF is set.
#[inline]
pub fn commit(fpscr: &mut u64, fl: &FpFlags, fprf: Option<u32>, set_fr_fi: bool) -> Commit {
    use bits::*;
    let old = *fpscr;
    let mut f = old | fl.exc;
    if fl.exc & !old & EXC_ALL != 0 {
        f |= FX;
    }
    let enabled = enabled_exceptions(fl.exc, old);
    let write = !((fl.exc & VX_ALL != 0 && old & VE != 0) || (fl.exc & ZX != 0 && old & ZE != 0));
    if !write {
        if set_fr_fi {
            f &= !(FR | FI);
        }
    } else {
        if set_fr_fi {
            f = (f & !(FR | FI)) | if fl.fr { FR } else { 0 } | if fl.fi { FI } else { 0 };
        }
        if let Some(c) = fprf {
            f = (f & !FPRF) | ((c as u64 & 0x1f) << FPRF_SHIFT);
        }
    }
    *fpscr = summarize(f);
    Commit { write, enabled }
}

/// Whether exception bits `exc` include one enabled in `fpscr`.
#[inline(always)]
pub fn enabled_exceptions(exc: u64, fpscr: u64) -> bool {
    use bits::*;
    (exc & VX_ALL != 0 && fpscr & VE != 0)
        || (exc & OX != 0 && fpscr & OE != 0)
        || (exc & UX != 0 && fpscr & UE != 0)
        || (exc & ZX != 0 && fpscr & ZE != 0)
        || (exc & XX != 0 && fpscr & XE != 0)
}

/// Recomputes the VX and FEX summary bits from the sticky bits and enables.
#[inline(always)]
pub fn summarize(f: u64) -> u64 {
    use bits::*;
    let vx = f & VX_ALL != 0;
    let f = if vx { f | VX } else { f & !VX };
    // FEX = (VX&VE) | (OX&OE) | (UX&UE) | (ZX&ZE) | (XX&XE): the exception bits
    // 29..25 line up with the enables 7..3 shifted by 22.
    let fex = (f >> 22) & f & (VE | OE | UE | ZE | XE) != 0;
    if fex {
        f | FEX
    } else {
        f & !FEX
    }
}

/// CR1 for a classic FP record form (Rc=1): FPSCR[FX FEX VX OX] (ISA §4.6).
#[inline(always)]
pub fn cr1(fpscr: u64) -> u32 {
    ((fpscr >> 28) & 0xf) as u32
}

// ---------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------

const SIGN: u64 = 1 << 63;
const EXP_MASK: u64 = 0x7ff << 52;
const FRAC_MASK: u64 = (1 << 52) - 1;
const QUIET: u64 = 1 << 51;
/// The default quiet NaN produced by invalid operations.
pub const DEFAULT_NAN: u64 = 0x7ff8_0000_0000_0000;

/// Whether `x` is a NaN.
#[inline(always)]
pub const fn is_nan(x: u64) -> bool {
    x & !SIGN > EXP_MASK
}
/// Whether `x` is a signaling NaN.
#[inline(always)]
pub const fn is_snan(x: u64) -> bool {
    is_nan(x) && x & QUIET == 0
}
/// Whether `x` is ±infinity.
#[inline(always)]
pub const fn is_inf(x: u64) -> bool {
    x & !SIGN == EXP_MASK
}
/// Whether `x` is ±0.
#[inline(always)]
pub const fn is_zero(x: u64) -> bool {
    x & !SIGN == 0
}
/// The NaN with its quiet bit set.
#[inline(always)]
pub const fn quiet(x: u64) -> u64 {
    x | QUIET
}

/// The 5-bit FPRF class of a binary64 value (ISA Table "Floating-Point Result
/// Flags"): C FL FG FE FU.
pub const fn fprf(x: u64) -> u32 {
    let neg = x & SIGN != 0;
    let e = x & EXP_MASK;
    if e == EXP_MASK {
        if x & FRAC_MASK != 0 {
            // QNaN = C|FU. An SNaN result cannot be produced by arithmetic.
            0b10001
        } else if neg {
            0b01001
        } else {
            0b00101
        }
    } else if e == 0 {
        if x & FRAC_MASK == 0 {
            if neg {
                0b10010
            } else {
                0b00010
            }
        } else if neg {
            0b11000
        } else {
            0b10100
        }
    } else if neg {
        0b01000
    } else {
        0b00100
    }
}

/// The FPRF class of a binary64 value holding a single-precision result: the
/// class is that of the binary32 value (a single denormal is a double normal).
pub const fn fprf_single(x: u64) -> u32 {
    let e = ((x >> 52) & 0x7ff) as i32;
    if e != 0 && e != 0x7ff && e < 1023 - 126 {
        if x & SIGN != 0 {
            0b11000
        } else {
            0b10100
        }
    } else {
        fprf(x)
    }
}

// ---------------------------------------------------------------------------
// Operations (bodies below are filled in by the soft-float core)
// ---------------------------------------------------------------------------

/// `a + b` rounded to `p`.
pub fn add(a: u64, b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::addsub(a, b, false, p, m, fl)
}

/// `a - b` rounded to `p`.
pub fn sub(a: u64, b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::addsub(a, b, true, p, m, fl)
}

/// `a * c` rounded to `p` (classic fmul names its operands frA, frC).
pub fn mul(a: u64, c: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::mul(a, c, p, m, fl)
}

/// `a / b` rounded to `p`. Raises ZX for finite nonzero / zero.
pub fn div(a: u64, b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::div(a, b, p, m, fl)
}

/// `sqrt(b)` rounded to `p`.
pub fn sqrt(b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::sqrt(b, p, m, fl)
}

/// Which fused multiply-add.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Madd {
    /// `a*c + b` (fmadd).
    Madd,
    /// `a*c - b` (fmsub).
    Msub,
    /// `-(a*c + b)` (fnmadd).
    Nmadd,
    /// `-(a*c - b)` (fnmsub).
    Nmsub,
}

/// Fused multiply-add `±(a*c ± b)` with a single rounding to `p`. NaN operands
/// propagate in the order a, b, c (ISA §4.6.5.2; the negation of fnm* is not
/// applied to a NaN result).
pub fn madd(a: u64, c: u64, b: u64, k: Madd, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::madd(a, c, b, k, p, m, fl)
}

/// `frsp`/`xsrsp`: round a binary64 value to single precision.
pub fn round_to_single(b: u64, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::round_to_single(b, m, fl)
}

/// Integer conversion target of `fcti*` / `xscvdp[us]xd/w`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntKind {
    /// Signed 32-bit (`fctiw`).
    I32,
    /// Unsigned 32-bit (`fctiwu`).
    U32,
    /// Signed 64-bit (`fctid`).
    I64,
    /// Unsigned 64-bit (`fctidu`).
    U64,
}

/// Converts to an integer with rounding mode `rm` (use [`Round::Zero`] for the
/// `z` forms), saturating. Raises VXCVI (and VXSNAN) for NaN and out-of-range
/// operands; XX/FI/FR on rounding. Returns the 64-bit FPR image: the 32-bit
/// forms return the result in the low word, sign-extended for I32 results
/// (QEMU's `float64_to_int32` result widened to 64 bits); a NaN/out-of-range
/// result is the saturated value (NaN: the most negative value, 0 for unsigned).
pub fn to_int(b: u64, k: IntKind, rm: Round, fl: &mut FpFlags) -> u64 {
    soft::to_int(b, k, rm, fl)
}

/// Converts a signed (`signed`) or unsigned 64-bit integer to `p`
/// (`fcfid[u][s]`, `xscvsxddp`...).
pub fn from_int(x: u64, signed: bool, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::from_int(x, signed, p, m, fl)
}

/// Rounds to an integral value in binary64 format (`frin` = NearestAway,
/// `friz` = Zero, `frip` = Up, `frim` = Down; `xsrdpic` passes the FPSCR mode).
/// `inexact` says whether XX/FI may be raised (the fri* forms never do;
/// `xsrdpic` does). SNaN raises VXSNAN and returns the quieted NaN.
pub fn round_to_int(b: u64, rm: Round, inexact: bool, fl: &mut FpFlags) -> u64 {
    soft::round_to_int(b, rm, inexact, fl)
}

/// Compares `a` and `b`, returning the FPCC nibble (FL FG FE FU = 8 4 2 1).
/// `ordered` (fcmpo): a NaN operand raises VXVC (for an SNaN only when VE=0,
/// as QEMU's `helper_fcmpo` does); an SNaN always raises VXSNAN.
pub fn compare(a: u64, b: u64, ordered: bool, ve: bool, fl: &mut FpFlags) -> u32 {
    if is_nan(a) || is_nan(b) {
        let snan = is_snan(a) || is_snan(b);
        if snan {
            fl.raise(bits::VXSNAN);
        }
        if ordered && (!snan || !ve) {
            fl.raise(bits::VXVC);
        }
        return 1;
    }
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    if x < y {
        8
    } else if x > y {
        4
    } else {
        2
    }
}

/// Reciprocal estimate `fre`/`fres` (`p`), computed exactly as QEMU does
/// (`1/b` correctly rounded).
pub fn recip_estimate(b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::recip_estimate(b, p, m, fl)
}

/// Reciprocal square root estimate `frsqrte`/`frsqrtes` as QEMU computes it.
pub fn rsqrt_estimate(b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
    soft::rsqrt_estimate(b, p, m, fl)
}

/// Converts a binary32 bit pattern to binary64 exactly (the ISA's DOUBLE:
/// `lfs`, `xscvspdpn`): SNaNs stay signaling, denormals are normalized.
pub const fn single_to_double(w: u32) -> u64 {
    let sign = ((w >> 31) as u64) << 63;
    let e = (w >> 23) & 0xff;
    let f = (w & 0x7f_ffff) as u64;
    if e == 0xff {
        sign | EXP_MASK | (f << 29)
    } else if e != 0 {
        sign | (((e as u64) + 1023 - 127) << 52) | (f << 29)
    } else if f == 0 {
        sign
    } else {
        // Denormal: value = f * 2^-149; normalize so the leading 1 is implicit.
        let lz = f.leading_zeros() - 40; // leading zeros within the 24-bit field
        let shift = lz; // bring the leading 1 to bit 23
        let frac = (f << shift) & 0x7f_ffff;
        let exp = 1023 - 126 - shift as u64;
        sign | (exp << 52) | (frac << 29)
    }
}

/// Converts binary64 bits to binary32 bits without rounding (the ISA's SINGLE:
/// `stfs`, `xscvdpspn`): the exponent is narrowed and the fraction truncated;
/// values below the single normal range are denormalized by truncation; values
/// too small for a single denormal give a signed zero (ISA §4.6.3 "Floating-
/// Point Store Instructions"; QEMU `helper_tosingle`).
pub const fn double_to_single(x: u64) -> u32 {
    let e = ((x >> 52) & 0x7ff) as i32;
    let sign = ((x >> 63) as u32) << 31;
    if e > 896 {
        // Normal in single range, or Inf/NaN (and out-of-range values: the ISA
        // leaves them undefined; take bits 0:1 and 5:34 like the hardware).
        ((((x >> 62) & 3) as u32) << 30) | (((x >> 29) & 0x3fff_ffff) as u32)
    } else if e >= 874 {
        let m = (1u64 << 52) | (x & FRAC_MASK);
        sign | ((m >> (896 + 30 - e)) as u32)
    } else {
        sign
    }
}

/// The soft-float core: exact operations on unpacked operands and one
/// rounding routine.
mod soft {
    use super::*;

    pub(super) fn addsub(a: u64, b: u64, neg_b: bool, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
        let _ = (p, m);
        let (x, y) = (f64::from_bits(a), f64::from_bits(b));
        let r = if neg_b { x - y } else { x + y };
        host_flags(fl);
        r.to_bits()
    }
    pub(super) fn mul(a: u64, c: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
        let _ = (p, m);
        host_flags(fl);
        (f64::from_bits(a) * f64::from_bits(c)).to_bits()
    }
    pub(super) fn div(a: u64, b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
        let _ = (p, m);
        host_flags(fl);
        (f64::from_bits(a) / f64::from_bits(b)).to_bits()
    }
    pub(super) fn sqrt(b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
        let _ = (p, m);
        host_flags(fl);
        f64::from_bits(b).sqrt().to_bits()
    }
    pub(super) fn madd(a: u64, c: u64, b: u64, k: Madd, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
        let _ = (p, m);
        host_flags(fl);
        let (x, y, z) = (f64::from_bits(a), f64::from_bits(c), f64::from_bits(b));
        match k {
            Madd::Madd => x.mul_add(y, z),
            Madd::Msub => x.mul_add(y, -z),
            Madd::Nmadd => -x.mul_add(y, z),
            Madd::Nmsub => -x.mul_add(y, -z),
        }
        .to_bits()
    }
    pub(super) fn round_to_single(b: u64, m: Mode, fl: &mut FpFlags) -> u64 {
        let _ = m;
        host_flags(fl);
        (f64::from_bits(b) as f32 as f64).to_bits()
    }
    pub(super) fn to_int(b: u64, k: IntKind, rm: Round, fl: &mut FpFlags) -> u64 {
        let _ = rm;
        host_flags(fl);
        let x = f64::from_bits(b);
        match k {
            IntKind::I32 => x as i32 as i64 as u64,
            IntKind::U32 => x as u32 as u64,
            IntKind::I64 => x as i64 as u64,
            IntKind::U64 => x as u64,
        }
    }
    pub(super) fn from_int(x: u64, signed: bool, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
        let _ = (p, m);
        host_flags(fl);
        if signed {
            (x as i64 as f64).to_bits()
        } else {
            (x as f64).to_bits()
        }
    }
    pub(super) fn round_to_int(b: u64, rm: Round, inexact: bool, fl: &mut FpFlags) -> u64 {
        let _ = (rm, inexact);
        host_flags(fl);
        f64::from_bits(b).round().to_bits()
    }
    pub(super) fn recip_estimate(b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
        div(1f64.to_bits(), b, p, m, fl)
    }
    pub(super) fn rsqrt_estimate(b: u64, p: Prec, m: Mode, fl: &mut FpFlags) -> u64 {
        let s = sqrt(b, Prec::Double, m, fl);
        div(1f64.to_bits(), s, p, m, fl)
    }
    // Placeholder until the exact core lands: no flags.
    fn host_flags(_fl: &mut FpFlags) {}
}
