//! Binary floating point beyond binary64: an exact binary128 (quad-precision)
//! soft-float, and one rounding core shared by every format conversion that
//! [`super::fpu`] does not cover (binary128 <-> binary64, binary64/binary32 ->
//! binary16, binary32 -> bfloat16, rounding to the double-extended precision of
//! `xsrqpxp`).
//!
//! Values are raw bit patterns in the low bits of a `u128`, described by a
//! [`Format`]. Operations report exceptions in the same [`FpFlags`] accumulator
//! as `fpu` does, so the caller commits them with [`fpu::commit`] (sticky bits,
//! FX, VX, FEX, FPRF, FI) exactly like the binary64 instructions.
//!
//! Rounding follows Power ISA 3.1 Book I §7.3.2 (VSX floating-point arithmetic)
//! with the rules of §4.4: tininess is detected before rounding; with
//! FPSCR[OE]=1 (UE=1) an overflowing (tiny) result is delivered with its
//! exponent adjusted by 3/4 of the exponent range (24576 for binary128, 1536
//! binary64, 192 binary32 and bfloat16, 24 binary16) — QEMU's softfloat
//! `rebias_overflow`/`rebias_underflow` do the same for every format.
//! The `...o` quad-precision forms round to odd (ISA §7.3.2.6: truncate, then
//! set the least significant bit when inexact); an overflow then delivers the
//! largest finite number, as rounding toward zero does.
//!
//! NaN results: an operand NaN propagates quieted (the first NaN in operand
//! order), an invalid operation produces the default quiet NaN of the format
//! (ISA §7.3.2.3); a conversion keeps the leading fraction bits of the NaN.

use super::fpu::{bits, FpFlags, Madd, Mode, Round};
use core::cmp::Ordering;

/// A binary interchange format: exponent and fraction widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// Width of the biased exponent field.
    pub exp_bits: u32,
    /// Width of the trailing significand (fraction) field.
    pub frac_bits: u32,
}

/// binary128 (quad precision).
pub const QUAD: Format = Format::new(15, 112);
/// binary64.
pub const DOUBLE: Format = Format::new(11, 52);
/// binary32.
pub const SINGLE: Format = Format::new(8, 23);
/// binary16 (half precision).
pub const HALF: Format = Format::new(5, 10);
/// bfloat16: binary32's exponent range with 8 bits of precision.
pub const BFLOAT16: Format = Format::new(8, 7);

impl Format {
    /// A format from its field widths.
    pub const fn new(exp_bits: u32, frac_bits: u32) -> Format {
        Format {
            exp_bits,
            frac_bits,
        }
    }
    const fn bias(self) -> i32 {
        (1 << (self.exp_bits - 1)) - 1
    }
    const fn exp_max_field(self) -> u128 {
        (1 << self.exp_bits) - 1
    }
    const fn frac_mask(self) -> u128 {
        (1 << self.frac_bits) - 1
    }
    const fn sign_bit(self) -> u128 {
        1 << (self.exp_bits + self.frac_bits)
    }
    const fn quiet_bit(self) -> u128 {
        1 << (self.frac_bits - 1)
    }
    /// The biased exponent field of `x`.
    pub const fn exp_field(self, x: u128) -> u128 {
        (x >> self.frac_bits) & self.exp_max_field()
    }
    /// Whether `x` is negative (sign bit set).
    pub const fn is_neg(self, x: u128) -> bool {
        x & self.sign_bit() != 0
    }
    /// Whether `x` is a NaN.
    pub const fn is_nan(self, x: u128) -> bool {
        self.exp_field(x) == self.exp_max_field() && x & self.frac_mask() != 0
    }
    /// Whether `x` is a signaling NaN.
    pub const fn is_snan(self, x: u128) -> bool {
        self.is_nan(x) && x & self.quiet_bit() == 0
    }
    /// Whether `x` is an infinity.
    pub const fn is_inf(self, x: u128) -> bool {
        self.exp_field(x) == self.exp_max_field() && x & self.frac_mask() == 0
    }
    /// Whether `x` is a zero.
    pub const fn is_zero(self, x: u128) -> bool {
        x & (self.sign_bit() - 1) == 0
    }
    /// `x` with the quiet bit set.
    pub const fn quiet(self, x: u128) -> u128 {
        x | self.quiet_bit()
    }
    /// The default quiet NaN (positive, only the quiet bit in the fraction).
    pub const fn default_nan(self) -> u128 {
        (self.exp_max_field() << self.frac_bits) | self.quiet_bit()
    }
    /// Infinity of the given sign.
    pub const fn inf(self, neg: bool) -> u128 {
        (self.exp_max_field() << self.frac_bits) | if neg { self.sign_bit() } else { 0 }
    }
    /// Zero of the given sign.
    pub const fn zero(self, neg: bool) -> u128 {
        if neg {
            self.sign_bit()
        } else {
            0
        }
    }
    /// The rounding parameters of the format.
    pub const fn precision(self) -> Precision {
        Precision {
            prec: self.frac_bits as i32 + 1,
            emin: 1 - self.bias(),
            emax: self.bias(),
            adj: 3 << (self.exp_bits - 2),
        }
    }
    /// The 5-bit FPRF class of `x` (C FL FG FE FU; ISA Table "Floating-Point
    /// Result Flags"), an SNaN reported as a QNaN.
    pub const fn fprf(self, x: u128) -> u32 {
        let neg = self.is_neg(x);
        let e = self.exp_field(x);
        if e == self.exp_max_field() {
            if x & self.frac_mask() != 0 {
                0b10001
            } else if neg {
                0b01001
            } else {
                0b00101
            }
        } else if e == 0 {
            match (x & self.frac_mask() == 0, neg) {
                (true, true) => 0b10010,
                (true, false) => 0b00010,
                (false, true) => 0b11000,
                (false, false) => 0b10100,
            }
        } else if neg {
            0b01000
        } else {
            0b00100
        }
    }
}

/// Rounding parameters: precision in bits, normal exponent range (of the
/// leading significand bit) and the exponent adjustment of enabled overflow
/// and underflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Precision {
    /// Significand bits, the implicit one included.
    pub prec: i32,
    /// Smallest normal exponent.
    pub emin: i32,
    /// Largest exponent.
    pub emax: i32,
    /// Exponent adjustment with OE=1 / UE=1.
    pub adj: i32,
}

/// The precision `xsrqpxp` rounds to: a 64-bit significand with the binary128
/// exponent range (ISA §7.6.1 "VSX Scalar Round Quad-Precision to
/// Double-Extended Precision").
pub const EXTENDED: Precision = Precision {
    prec: 64,
    emin: -16382,
    emax: 16383,
    adj: 24576,
};

/// Rounding mode and the enables that change results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QMode {
    /// IEEE rounding direction (ignored when `odd`).
    pub rm: Round,
    /// Round to odd (the `o` forms of the quad-precision instructions).
    pub odd: bool,
    /// FPSCR[OE].
    pub oe: bool,
    /// FPSCR[UE].
    pub ue: bool,
}

impl QMode {
    /// The FPSCR's mode, rounding to odd when `odd`.
    pub const fn from_fpscr(fpscr: u64, odd: bool) -> QMode {
        let m = Mode::from_fpscr(fpscr);
        QMode {
            rm: m.rm,
            odd,
            oe: m.oe,
            ue: m.ue,
        }
    }
    /// The same enables with another rounding direction.
    pub const fn with_rm(self, rm: Round) -> QMode {
        QMode {
            rm,
            odd: false,
            oe: self.oe,
            ue: self.ue,
        }
    }
}

// ---------------------------------------------------------------------------
// Unpacking and rounding
// ---------------------------------------------------------------------------

/// A finite nonzero value `(-1)^sign * sig * 2^exp`, normalized so that the
/// leading one of `sig` is at bit `frac_bits` of its format.
#[derive(Clone, Copy, Debug)]
struct Num {
    sign: bool,
    exp: i32,
    sig: u128,
}

/// An unpacked operand.
#[derive(Clone, Copy, Debug)]
enum Val {
    Nan,
    Inf(bool),
    Zero(bool),
    Num(Num),
}

fn unpack(x: u128, f: Format) -> Val {
    let sign = f.is_neg(x);
    let e = f.exp_field(x) as i32;
    let frac = x & f.frac_mask();
    if e as u128 == f.exp_max_field() {
        return if frac != 0 { Val::Nan } else { Val::Inf(sign) };
    }
    let lsb = f.precision().emin - f.frac_bits as i32;
    if e == 0 {
        if frac == 0 {
            return Val::Zero(sign);
        }
        let sh = frac.leading_zeros() as i32 - (127 - f.frac_bits as i32);
        return Val::Num(Num {
            sign,
            exp: lsb - sh,
            sig: frac << sh,
        });
    }
    Val::Num(Num {
        sign,
        exp: lsb + e - 1,
        sig: frac | (1 << f.frac_bits),
    })
}

/// A rounded result before encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rounded {
    Zero(bool),
    Inf(bool),
    /// `(-1)^sign * k * 2^lsb`, k != 0.
    Fin(bool, u128, i32),
}

/// `x >> d`, ORing every bit shifted out into bit 0.
#[inline]
fn shr_jam(x: u128, d: u32) -> u128 {
    if d == 0 {
        x
    } else if d >= 128 {
        (x != 0) as u128
    } else {
        (x >> d) | ((x << (128 - d)) != 0) as u128
    }
}

/// Whether rounding increments the magnitude (IEEE directions).
#[inline]
fn round_up(rm: Round, sign: bool, odd: bool, half: bool, sticky: bool) -> bool {
    match rm {
        Round::Nearest => half && (sticky || odd),
        Round::NearestAway => half,
        Round::Zero => false,
        Round::Up => !sign && (half || sticky),
        Round::Down => sign && (half || sticky),
    }
}

/// Rounds `(-1)^sign * sig * 2^exp` (`sig != 0`, bit 0 may be a sticky bit
/// standing for nonzero bits below it) to precision `p`, raising OX/UX/XX and
/// setting FR/FI in `fl` (ISA §4.4.4, §4.4.5: tininess before rounding).
fn round(sign: bool, exp: i32, sig: u128, p: Precision, m: QMode, fl: &mut FpFlags) -> Rounded {
    let lz = sig.leading_zeros() as i32;
    let sig = sig << lz;
    // The value lies in [2^e, 2^(e+1)).
    let mut e = exp + 127 - lz;
    let tiny = e < p.emin;
    let mut scaled = false;
    if tiny && m.ue {
        e += p.adj;
        scaled = true;
    }
    let keep = if e >= p.emin {
        p.prec
    } else {
        p.prec - (p.emin - e)
    };
    let (kept, half, sticky) = if keep >= 1 {
        let k = keep as u32;
        (
            sig >> (128 - k),
            (sig >> (127 - k)) & 1 != 0,
            sig << (k + 1) != 0,
        )
    } else if keep == 0 {
        (0, sig >> 127 != 0, sig << 1 != 0)
    } else {
        (0, false, true)
    };
    let inexact = half || sticky;
    let (k, inc) = if m.odd {
        (kept | inexact as u128, false)
    } else {
        let inc = round_up(m.rm, sign, kept & 1 != 0, half, sticky);
        (kept + inc as u128, inc)
    };
    let mut lsb = e + 1 - keep;
    if inexact {
        fl.exc |= bits::XX;
    }
    fl.fi = inexact;
    fl.fr = inc;
    if tiny && (scaled || inexact) {
        fl.exc |= bits::UX;
    }
    if k == 0 {
        return Rounded::Zero(sign);
    }
    let er = lsb + 127 - k.leading_zeros() as i32;
    if er > p.emax && !scaled {
        fl.exc |= bits::OX;
        if m.oe {
            lsb -= p.adj;
        } else {
            // ISA §4.4.4 (overflow, OE=0): XX and FI set, FR undefined (QEMU 0).
            fl.exc |= bits::XX;
            fl.fi = true;
            fl.fr = false;
            let to_inf = !m.odd
                && match m.rm {
                    Round::Nearest | Round::NearestAway => true,
                    Round::Zero => false,
                    Round::Up => !sign,
                    Round::Down => sign,
                };
            if to_inf {
                return Rounded::Inf(sign);
            }
            let max = (1u128 << p.prec) - 1;
            return Rounded::Fin(sign, max, p.emax - p.prec + 1);
        }
    }
    Rounded::Fin(sign, k, lsb)
}

/// Encodes a rounded value (representable in `f` by construction).
fn encode(r: Rounded, f: Format) -> u128 {
    match r {
        Rounded::Zero(s) => f.zero(s),
        Rounded::Inf(s) => f.inf(s),
        Rounded::Fin(s, mut k, mut lsb) => {
            let sign = f.zero(s);
            let mut msb = 127 - k.leading_zeros() as i32;
            let fb = f.frac_bits as i32;
            if msb > fb {
                // Only trailing zeros are dropped (a carry out of rounding).
                k >>= msb - fb;
                lsb += msb - fb;
                msb = fb;
            }
            let e = lsb + msb;
            let emin = f.precision().emin;
            if e >= emin {
                // An exponent still out of range after the OE adjustment (a
                // conversion to a much narrower format; undefined by the ISA)
                // wraps within the field, as QEMU's packing does.
                let biased = (e + f.bias()) as u128 & f.exp_max_field();
                sign | (biased << f.frac_bits) | ((k << (fb - msb)) & f.frac_mask())
            } else {
                sign | (k << (lsb - (emin - fb)))
            }
        }
    }
}

/// Rounds and encodes in one step.
fn round_pack(sign: bool, exp: i32, sig: u128, f: Format, m: QMode, fl: &mut FpFlags) -> u128 {
    encode(round(sign, exp, sig, f.precision(), m, fl), f)
}

/// A NaN operand of format `from` delivered in format `to`: quieted, with the
/// leading fraction bits kept (ISA §7.3.2.3; QEMU softfloat does the same).
fn nan_convert(x: u128, from: Format, to: Format) -> u128 {
    let frac = x & from.frac_mask();
    let frac = if to.frac_bits >= from.frac_bits {
        frac << (to.frac_bits - from.frac_bits)
    } else {
        frac >> (from.frac_bits - to.frac_bits)
    };
    to.quiet(to.zero(from.is_neg(x)) | (to.exp_max_field() << to.frac_bits) | frac)
}

/// Propagates the first NaN of `ops` (quieted), raising VXSNAN if any operand
/// is a signaling NaN. `None` when no operand is a NaN.
fn propagate(ops: &[u128], fl: &mut FpFlags) -> Option<u128> {
    let f = QUAD;
    if ops.iter().any(|&x| f.is_snan(x)) {
        fl.raise(bits::VXSNAN);
    }
    ops.iter().find(|&&x| f.is_nan(x)).map(|&x| f.quiet(x))
}

/// Exact zero result of a sum of terms with signs `sa`, `sb`: equal signs keep
/// the sign, otherwise +0 (-0 when rounding toward -infinity; IEEE 754 §6.3).
fn zero_sum(sa: bool, sb: bool, m: QMode) -> u128 {
    QUAD.zero(if sa == sb {
        sa
    } else {
        !m.odd && m.rm == Round::Down
    })
}

// ---------------------------------------------------------------------------
// 256-bit helpers (products of two 113-bit significands)
// ---------------------------------------------------------------------------

/// An unsigned 256-bit integer (`hi * 2^128 + lo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct U256 {
    hi: u128,
    lo: u128,
}

impl U256 {
    const fn from(x: u128) -> U256 {
        U256 { hi: 0, lo: x }
    }
    fn is_zero(self) -> bool {
        self.hi == 0 && self.lo == 0
    }
    fn leading_zeros(self) -> u32 {
        if self.hi != 0 {
            self.hi.leading_zeros()
        } else {
            128 + self.lo.leading_zeros()
        }
    }
    fn shl(self, d: u32) -> U256 {
        match d {
            0 => self,
            1..=127 => U256 {
                hi: (self.hi << d) | (self.lo >> (128 - d)),
                lo: self.lo << d,
            },
            128..=255 => U256 {
                hi: self.lo << (d - 128),
                lo: 0,
            },
            _ => U256 { hi: 0, lo: 0 },
        }
    }
    /// Shift right, ORing the bits shifted out into bit 0.
    fn shr_jam(self, d: u32) -> U256 {
        match d {
            0 => self,
            1..=127 => U256 {
                hi: self.hi >> d,
                lo: (self.lo >> d) | (self.hi << (128 - d)) | ((self.lo << (128 - d)) != 0) as u128,
            },
            128..=255 => U256 {
                hi: 0,
                lo: shr_jam(self.hi, d - 128) | (self.lo != 0) as u128,
            },
            _ => U256 {
                hi: 0,
                lo: !self.is_zero() as u128,
            },
        }
    }
    fn add(self, o: U256) -> U256 {
        let (lo, c) = self.lo.overflowing_add(o.lo);
        U256 {
            hi: self.hi + o.hi + c as u128,
            lo,
        }
    }
    /// `self - o`, requires `self >= o`.
    fn sub(self, o: U256) -> U256 {
        let (lo, b) = self.lo.overflowing_sub(o.lo);
        U256 {
            hi: self.hi - o.hi - b as u128,
            lo,
        }
    }
    /// The full product of two u128 values.
    fn mul(a: u128, b: u128) -> U256 {
        let (a1, a0) = (a >> 64, a & u64::MAX as u128);
        let (b1, b0) = (b >> 64, b & u64::MAX as u128);
        let p00 = a0 * b0;
        let p01 = a0 * b1;
        let p10 = a1 * b0;
        let p11 = a1 * b1;
        let mid = (p00 >> 64) + (p01 & u64::MAX as u128) + (p10 & u64::MAX as u128);
        U256 {
            hi: p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64),
            lo: (mid << 64) | (p00 & u64::MAX as u128),
        }
    }
    /// The value as (u128 with a sticky bit 0, exponent adjustment): the top
    /// 128 significant bits, the rest jammed.
    fn narrow(self) -> (u128, i32) {
        let lz = self.leading_zeros();
        if lz >= 128 {
            (self.lo, 0)
        } else {
            let sh = 128 - lz;
            (self.shr_jam(sh).lo, sh as i32)
        }
    }
}

// ---------------------------------------------------------------------------
// Quad-precision arithmetic
// ---------------------------------------------------------------------------

/// `a + b` (`a - b` when `neg_b`) in binary128.
pub fn add(a: u128, b: u128, neg_b: bool, m: QMode, fl: &mut FpFlags) -> u128 {
    let f = QUAD;
    if let Some(n) = propagate(&[a, b], fl) {
        return n;
    }
    let b = if neg_b { b ^ f.sign_bit() } else { b };
    match (unpack(a, f), unpack(b, f)) {
        (Val::Inf(sa), Val::Inf(sb)) => {
            if sa != sb {
                fl.raise(bits::VXISI);
                f.default_nan()
            } else {
                a
            }
        }
        (Val::Inf(_), _) => a,
        (_, Val::Inf(_)) => b,
        (Val::Zero(sa), Val::Zero(sb)) => zero_sum(sa, sb, m),
        (Val::Zero(_), Val::Num(y)) => round_pack(y.sign, y.exp, y.sig, f, m, fl),
        (Val::Num(x), Val::Zero(_)) => round_pack(x.sign, x.exp, x.sig, f, m, fl),
        (Val::Num(x), Val::Num(y)) => {
            let (big, small) = if (x.exp, x.sig) >= (y.exp, y.sig) {
                (x, y)
            } else {
                (y, x)
            };
            // Significands at bit 112; move the larger to bit 125 and align
            // the smaller below it (a far smaller one only contributes a
            // sticky bit, far below the rounding position).
            let bg = big.sig << 13;
            let sm = shr_jam(small.sig << 13, (big.exp - small.exp).min(200) as u32);
            let exp = big.exp - 13;
            if big.sign == small.sign {
                round_pack(big.sign, exp, bg + sm, f, m, fl)
            } else if bg == sm {
                zero_sum(false, true, m)
            } else {
                round_pack(big.sign, exp, bg - sm, f, m, fl)
            }
        }
        _ => f.default_nan(), // NaNs were handled above.
    }
}

/// `a * b` in binary128.
pub fn mul(a: u128, b: u128, m: QMode, fl: &mut FpFlags) -> u128 {
    let f = QUAD;
    if let Some(n) = propagate(&[a, b], fl) {
        return n;
    }
    let s = f.is_neg(a) != f.is_neg(b);
    match (unpack(a, f), unpack(b, f)) {
        (Val::Inf(_), Val::Zero(_)) | (Val::Zero(_), Val::Inf(_)) => {
            fl.raise(bits::VXIMZ);
            f.default_nan()
        }
        (Val::Inf(_), _) | (_, Val::Inf(_)) => f.inf(s),
        (Val::Zero(_), _) | (_, Val::Zero(_)) => f.zero(s),
        (Val::Num(x), Val::Num(y)) => {
            let (sig, sh) = U256::mul(x.sig, y.sig).narrow();
            round_pack(s, x.exp + y.exp + sh, sig, f, m, fl)
        }
        _ => f.default_nan(),
    }
}

/// `a / b` in binary128; a finite nonzero dividend over zero raises ZX.
pub fn div(a: u128, b: u128, m: QMode, fl: &mut FpFlags) -> u128 {
    let f = QUAD;
    if let Some(n) = propagate(&[a, b], fl) {
        return n;
    }
    let s = f.is_neg(a) != f.is_neg(b);
    match (unpack(a, f), unpack(b, f)) {
        (Val::Inf(_), Val::Inf(_)) => {
            fl.raise(bits::VXIDI);
            f.default_nan()
        }
        (Val::Zero(_), Val::Zero(_)) => {
            fl.raise(bits::VXZDZ);
            f.default_nan()
        }
        (Val::Inf(_), _) => f.inf(s),
        (_, Val::Inf(_)) | (Val::Zero(_), _) => f.zero(s),
        (Val::Num(_), Val::Zero(_)) => {
            fl.raise(bits::ZX);
            f.inf(s)
        }
        (Val::Num(x), Val::Num(y)) => {
            // Restoring division: 117 quotient bits (at least 116
            // significant ones), the remainder as sticky bit.
            const STEPS: i32 = 117;
            let (mut rem, mut q) = (x.sig, 0u128);
            for _ in 0..STEPS {
                q <<= 1;
                if rem >= y.sig {
                    rem -= y.sig;
                    q |= 1;
                }
                rem <<= 1;
            }
            round_pack(
                s,
                x.exp - y.exp - (STEPS - 1),
                q | (rem != 0) as u128,
                f,
                m,
                fl,
            )
        }
        _ => f.default_nan(),
    }
}

/// Square root in binary128; a negative nonzero operand raises VXSQRT.
pub fn sqrt(b: u128, m: QMode, fl: &mut FpFlags) -> u128 {
    let f = QUAD;
    if let Some(n) = propagate(&[b], fl) {
        return n;
    }
    match unpack(b, f) {
        Val::Zero(_) => b,
        Val::Inf(false) => b,
        Val::Inf(true) | Val::Num(Num { sign: true, .. }) => {
            fl.raise(bits::VXSQRT);
            f.default_nan()
        }
        Val::Num(x) => {
            let (mut sig, mut e) = (x.sig, x.exp);
            if e & 1 != 0 {
                sig <<= 1;
                e -= 1;
            }
            // Digit-by-digit square root of n = sig * 2^120 (up to 234 bits,
            // 117 result bits); the bit pairs of n come from sig.
            const SH: i32 = 120;
            let (mut r, mut rem) = (0u128, 0u128);
            for i in (0..117).rev() {
                let pos = 2 * i - SH;
                let pair = if pos >= 0 { (sig >> pos) & 3 } else { 0 };
                rem = (rem << 2) | pair;
                let t = (r << 2) | 1;
                if rem >= t {
                    rem -= t;
                    r = (r << 1) | 1;
                } else {
                    r <<= 1;
                }
            }
            round_pack(false, (e - SH) / 2, r | (rem != 0) as u128, f, m, fl)
        }
        Val::Nan => f.default_nan(),
    }
}

/// Fused multiply-add in binary128: `±(a*c ± b)` with one rounding. NaN
/// operands propagate in the order a, b, c (ISA §7.3.2.3: src1, the addend,
/// src2); one invalid cause is reported as QEMU's `float_invalid_op_madd`
/// does (inf*0 even with a NaN addend, else inf-inf, else a signaling NaN).
/// The negation of the `nm` forms applies to the rounded result (ISA
/// xsnmaddqp: "the result ... is negated"); a NaN result is not negated.
pub fn madd(a: u128, c: u128, b: u128, k: Madd, m: QMode, fl: &mut FpFlags) -> u128 {
    let f = QUAD;
    let neg_b = matches!(k, Madd::Msub | Madd::Nmsub);
    let neg = if matches!(k, Madd::Nmadd | Madd::Nmsub) {
        f.sign_bit()
    } else {
        0
    };
    let any_nan = f.is_nan(a) || f.is_nan(b) || f.is_nan(c);
    let inf_zero = (f.is_inf(a) && f.is_zero(c)) || (f.is_zero(a) && f.is_inf(c));
    let ps = f.is_neg(a) != f.is_neg(c);
    let bs = f.is_neg(b) != neg_b;
    let inf_prod = f.is_inf(a) || f.is_inf(c);
    let isi = inf_prod && f.is_inf(b) && ps != bs;
    if inf_zero {
        fl.raise(bits::VXIMZ);
    } else if !any_nan && isi {
        fl.raise(bits::VXISI);
    } else if f.is_snan(a) || f.is_snan(b) || f.is_snan(c) {
        fl.raise(bits::VXSNAN);
    }
    if any_nan {
        let n = [a, b, c].into_iter().find(|&x| f.is_nan(x)).unwrap_or(a);
        return f.quiet(n);
    }
    if inf_zero || isi {
        return f.default_nan();
    }
    if inf_prod {
        return f.inf(ps) ^ neg;
    }
    if f.is_inf(b) {
        return f.inf(bs) ^ neg;
    }
    let (x, z) = match (unpack(a, f), unpack(c, f)) {
        (Val::Num(x), Val::Num(z)) => (x, z),
        // The product is zero: the result is the addend (rounded, which
        // matters only for enabled underflow of a denormal).
        _ => {
            return match unpack(b, f) {
                Val::Num(y) => round_pack(bs, y.exp, y.sig, f, m, fl) ^ neg,
                _ => zero_sum(ps, bs, m) ^ neg,
            }
        }
    };
    let prod = U256::mul(x.sig, z.sig);
    let pe = x.exp + z.exp;
    let y = match unpack(b, f) {
        Val::Num(y) => y,
        _ => {
            let (sig, sh) = prod.narrow();
            return round_pack(ps, pe + sh, sig, f, m, fl) ^ neg;
        }
    };
    // Put the larger term's leading bit at bit 253 and align the other
    // below it; a term far smaller only contributes sticky bits, far below
    // the rounding position even after cancellation.
    let plz = prod.leading_zeros() as i32;
    let pm = pe + 255 - plz;
    let bm = y.exp + 112;
    let pn = prod.shl((plz - 2) as u32);
    let bn = U256::from(y.sig).shl(253 - 112);
    let (top, big, small, big_s, small_s) = if (pm, pn) >= (bm, bn) {
        (pm, pn, bn.shr_jam((pm - bm).min(300) as u32), ps, bs)
    } else {
        (bm, bn, pn.shr_jam((bm - pm).min(300) as u32), bs, ps)
    };
    let exp = top - 253;
    let sum = if big_s == small_s {
        big.add(small)
    } else {
        let d = big.sub(small);
        if d.is_zero() {
            return zero_sum(false, true, m) ^ neg;
        }
        d
    };
    let (sig, sh) = sum.narrow();
    round_pack(big_s, exp + sh, sig, f, m, fl) ^ neg
}

/// Compares two binary128 values; `None` when either is a NaN.
pub fn compare(a: u128, b: u128) -> Option<Ordering> {
    let f = QUAD;
    if f.is_nan(a) || f.is_nan(b) {
        return None;
    }
    if f.is_zero(a) && f.is_zero(b) {
        return Some(Ordering::Equal);
    }
    let (na, nb) = (f.is_neg(a), f.is_neg(b));
    let mag = |x: u128| x & (f.sign_bit() - 1);
    Some(match (na, nb) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => mag(a).cmp(&mag(b)),
        (true, true) => mag(b).cmp(&mag(a)),
    })
}

// ---------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------

/// Converts `x` from format `from` to format `to`, rounding under `m` (exact
/// when `to` is wider). An SNaN raises VXSNAN; NaNs keep their leading
/// fraction bits, quieted.
pub fn convert(x: u128, from: Format, to: Format, m: QMode, fl: &mut FpFlags) -> u128 {
    match unpack(x, from) {
        Val::Nan => {
            if from.is_snan(x) {
                fl.raise(bits::VXSNAN);
            }
            nan_convert(x, from, to)
        }
        Val::Inf(s) => to.inf(s),
        Val::Zero(s) => to.zero(s),
        Val::Num(n) => round_pack(n.sign, n.exp, n.sig, to, m, fl),
    }
}

/// `xsrqpxp`: rounds a binary128 value to a 64-bit significand (the binary128
/// exponent range), delivered in binary128. A NaN keeps the 63 leading
/// fraction bits a double-extended NaN holds (QEMU converts through floatx80).
pub fn round_to_extended(x: u128, m: QMode, fl: &mut FpFlags) -> u128 {
    let f = QUAD;
    match unpack(x, f) {
        Val::Nan => {
            if f.is_snan(x) {
                fl.raise(bits::VXSNAN);
            }
            f.quiet(x) & !((1u128 << (112 - 63)) - 1)
        }
        Val::Inf(_) | Val::Zero(_) => x,
        Val::Num(n) => encode(round(n.sign, n.exp, n.sig, EXTENDED, m, fl), f),
    }
}

/// Rounds a binary128 value to an integral value in binary128 (`xsrqpi[x]`).
/// An SNaN raises VXSNAN; an inexact result raises XX and sets FI (the caller
/// drops them for `xsrqpi`).
pub fn round_to_int(x: u128, rm: Round, fl: &mut FpFlags) -> u128 {
    let f = QUAD;
    let n = match unpack(x, f) {
        Val::Nan => {
            if f.is_snan(x) {
                fl.raise(bits::VXSNAN);
            }
            return f.quiet(x);
        }
        Val::Num(n) if n.exp < 0 => n,
        _ => return x, // zero, infinity, or already integral
    };
    let sh = (-n.exp) as u32;
    let (int, half, sticky) = if sh > 113 {
        (0, false, true)
    } else {
        let frac = n.sig & ((1u128 << sh) - 1);
        (
            n.sig >> sh,
            (frac >> (sh - 1)) & 1 != 0,
            frac & ((1u128 << (sh - 1)) - 1) != 0,
        )
    };
    let int = int + round_up(rm, n.sign, int & 1 != 0, half, sticky) as u128;
    if half || sticky {
        fl.raise(bits::XX);
        fl.fi = true;
    }
    if int == 0 {
        return f.zero(n.sign);
    }
    // An integer below 2^113 is exact.
    let mut none = FpFlags::default();
    round_pack(n.sign, 0, int, f, QMode::from_fpscr(0, false), &mut none)
}

/// Integer target of a binary128 conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntFormat {
    /// Width in bits (32, 64 or 128).
    pub bits: u32,
    /// Signed.
    pub signed: bool,
}

/// Converts a binary128 value to an integer, truncating (the `xscvqp*z`
/// forms). NaN and out-of-range operands raise VXCVI (and VXSNAN for an SNaN)
/// and give the saturated value — the most negative integer (0 unsigned) for
/// a NaN; an inexact result raises XX and sets FI. The result is returned as
/// a two's complement 128-bit value (sign-extended when signed).
pub fn to_int(x: u128, t: IntFormat, fl: &mut FpFlags) -> u128 {
    let f = QUAD;
    let (min, max): (i128, u128) = if t.signed {
        (i128::MIN >> (128 - t.bits), (1u128 << (t.bits - 1)) - 1)
    } else {
        (0, u128::MAX >> (128 - t.bits))
    };
    let invalid = |fl: &mut FpFlags, v: u128| {
        fl.raise(bits::VXCVI);
        v
    };
    match unpack(x, f) {
        Val::Nan => {
            if f.is_snan(x) {
                fl.raise(bits::VXSNAN);
            }
            invalid(fl, min as u128)
        }
        Val::Inf(s) => invalid(fl, if s { min as u128 } else { max }),
        Val::Zero(_) => 0,
        Val::Num(n) => {
            let (mag, inexact) = if n.exp >= 0 {
                if n.exp > 15 {
                    (None, false)
                } else {
                    (Some(n.sig << n.exp), false)
                }
            } else {
                let sh = (-n.exp) as u32;
                if sh >= 128 {
                    (Some(0), true)
                } else {
                    (Some(n.sig >> sh), n.sig & ((1u128 << sh) - 1) != 0)
                }
            };
            let ok = match mag {
                None => None,
                Some(v) if !n.sign && v <= max => Some(v),
                Some(v) if n.sign && v <= min.unsigned_abs() => Some(v.wrapping_neg()),
                Some(_) => None,
            };
            match ok {
                Some(v) => {
                    if inexact {
                        fl.raise(bits::XX);
                        fl.fi = true;
                    }
                    v
                }
                None => invalid(fl, if n.sign { min as u128 } else { max }),
            }
        }
    }
}

/// Converts an integer (magnitude `mag`, negative when `neg`) to binary128,
/// rounding under `m` (exact below 2^113).
pub fn from_int(mag: u128, neg: bool, m: QMode, fl: &mut FpFlags) -> u128 {
    if mag == 0 {
        return 0;
    }
    round_pack(neg, 0, mag, QUAD, m, fl)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bits of common binary128 values (IEEE 754 binary128 layout).
    const ONE: u128 = 0x3fff_0000_0000_0000_0000_0000_0000_0000;
    const TWO: u128 = 0x4000_0000_0000_0000_0000_0000_0000_0000;
    const THREE: u128 = 0x4000_8000_0000_0000_0000_0000_0000_0000;
    const RN: QMode = QMode::from_fpscr(0, false);

    fn q(x: f64) -> u128 {
        let mut fl = FpFlags::default();
        convert(x.to_bits() as u128, DOUBLE, QUAD, RN, &mut fl)
    }

    /// Deterministic pseudo-random bits (64-bit LCG, high half).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0.rotate_left(32)
        }
        /// A binary128 operand biased toward special values and extremes.
        fn quad(&mut self) -> u128 {
            let r = self.next();
            let frac = ((self.next() as u128) << 64 | self.next() as u128) & ((1 << 112) - 1);
            let exp: u128 = match r % 8 {
                0 => 0,
                1 => 0x7fff,
                2 => 1 + r as u128 % 200,
                3 => 0x7ffe - r as u128 % 200,
                _ => 0x3f00 + r as u128 % 0x200,
            };
            let frac = if r % 16 == 5 { 0 } else { frac };
            ((r as u128 >> 40) & 1) << 127 | exp << 112 | frac
        }
    }

    #[test]
    fn no_operation_panics_on_arbitrary_operands_in_any_mode() {
        let mut g = Lcg(1);
        for n in 0..20_000 {
            let (a, b, c) = (g.quad(), g.quad(), g.quad());
            let m = QMode {
                rm: Round::from_rn(n),
                odd: n & 4 != 0,
                oe: n & 8 != 0,
                ue: n & 16 != 0,
            };
            let mut fl = FpFlags::default();
            add(a, b, n & 32 != 0, m, &mut fl);
            mul(a, b, m, &mut fl);
            div(a, b, m, &mut fl);
            sqrt(a, m, &mut fl);
            madd(a, b, c, Madd::Nmsub, m, &mut fl);
            round_to_int(a, m.rm, &mut fl);
            round_to_extended(a, m, &mut fl);
            for bits in [32, 64, 128] {
                to_int(
                    a,
                    IntFormat {
                        bits,
                        signed: n & 1 != 0,
                    },
                    &mut fl,
                );
            }
            from_int(a, n & 1 != 0, m, &mut fl);
            for to in [DOUBLE, SINGLE, HALF, BFLOAT16] {
                let r = convert(a, QUAD, to, m, &mut fl);
                assert_eq!(r >> (to.exp_bits + to.frac_bits + 1), 0, "{to:?}");
                convert(a as u64 as u128, DOUBLE, to, m, &mut fl);
            }
        }
    }

    #[test]
    fn quad_results_of_double_operands_agree_with_the_host() {
        // A product of two binary64 values is exact in binary128, so
        // narrowing it rounds once, like the host's multiply; a quotient,
        // square root or sum carries 60 extra bits, which could only differ
        // when the binary128 rounding lands exactly on a binary64 tie (none
        // of these operands does; the exponents are kept moderate).
        let mut g = Lcg(7);
        let rn = QMode::from_fpscr(0, false);
        for _ in 0..20_000 {
            let x = f64::from_bits(g.next() & !(0x600 << 52));
            let y = f64::from_bits(g.next() & !(0x600 << 52));
            let back = |r: u128| {
                let mut fl = FpFlags::default();
                f64::from_bits(convert(r, QUAD, DOUBLE, rn, &mut fl) as u64)
            };
            let mut fl = FpFlags::default();
            let (qx, qy) = (q(x), q(y));
            assert_eq!(back(mul(qx, qy, rn, &mut fl)).to_bits(), (x * y).to_bits());
            assert_eq!(back(div(qx, qy, rn, &mut fl)).to_bits(), (x / y).to_bits());
            let s = x.abs();
            assert_eq!(back(sqrt(q(s), rn, &mut fl)).to_bits(), s.sqrt().to_bits());
            assert_eq!(
                back(add(qx, qy, false, rn, &mut fl)).to_bits(),
                (x + y).to_bits(),
                "{x:e} + {y:e}"
            );
        }
    }

    #[test]
    fn one_plus_two_is_three_exactly() {
        let mut fl = FpFlags::default();
        assert_eq!(add(ONE, TWO, false, RN, &mut fl), THREE);
        assert_eq!(fl, FpFlags::default());
    }

    #[test]
    fn one_third_rounds_per_mode_and_to_odd() {
        // 1/3 = 0x3ffd_5555...5555|0101... : round to nearest and toward zero
        // truncate; round up increments; round to odd sets the (already
        // odd) last bit.
        let third_trunc = 0x3ffd_5555_5555_5555_5555_5555_5555_5555u128;
        for (rm, odd, want) in [
            (Round::Nearest, false, third_trunc),
            (Round::Zero, false, third_trunc),
            (Round::Up, false, third_trunc + 1),
            (Round::Nearest, true, third_trunc),
        ] {
            let mut fl = FpFlags::default();
            let m = QMode {
                rm,
                odd,
                oe: false,
                ue: false,
            };
            assert_eq!(div(ONE, THREE, m, &mut fl), want, "{rm:?} odd={odd}");
            assert!(fl.fi && fl.exc & bits::XX != 0);
        }
    }

    #[test]
    fn round_to_odd_sets_the_last_bit_of_an_inexact_even_result() {
        // 2/3 = 0x3ffe_5555...5555|0101...: truncation is odd-valued already
        // (…5), so compare with 1 + 2^-113, which truncates to 1.0 (even).
        let tiny = 0x3f8e_0000_0000_0000_0000_0000_0000_0000u128; // 2^-113
        let mut fl = FpFlags::default();
        let m = QMode { odd: true, ..RN };
        assert_eq!(add(ONE, tiny, false, m, &mut fl), ONE | 1);
        let mut fl = FpFlags::default();
        assert_eq!(add(ONE, tiny, false, RN, &mut fl), ONE, "tie to even");
    }

    #[test]
    fn sqrt_of_two_matches_the_known_binary128_value() {
        // sqrt(2) = 0x3fff6a09e667f3bcc908b2fb1366ea95 (correctly rounded).
        let mut fl = FpFlags::default();
        assert_eq!(
            sqrt(TWO, RN, &mut fl),
            0x3fff_6a09_e667_f3bc_c908_b2fb_1366_ea95
        );
        assert!(fl.fi);
    }

    #[test]
    fn products_and_fused_sums_are_exact_before_the_single_rounding() {
        // (1 + 2^-112) * (1 - 2^-112) = 1 - 2^-224: rounds to 1 (nearest),
        // to the largest number below 1 (toward zero).
        let a = ONE | 1;
        let b = 0x3ffe_ffff_ffff_ffff_ffff_ffff_ffff_fffeu128 + 1; // 1 - 2^-113
        let mut fl = FpFlags::default();
        assert_eq!(mul(a, b, RN, &mut fl), ONE);
        // a*b - 1 = 2^-113 - 2^-225 = (2^113 - 2) * 2^-226: exact in the fused
        // form (a plain product would have lost the 2^-225 term).
        let mut fl = FpFlags::default();
        let r = madd(a, b, ONE, Madd::Msub, RN, &mut fl);
        assert_eq!(r, 0x3f8d_ffff_ffff_ffff_ffff_ffff_ffff_fffe, "{r:x}");
        assert_eq!(fl, FpFlags::default());
    }

    #[test]
    fn double_round_trips_through_quad_and_narrows_with_rounding() {
        let mut fl = FpFlags::default();
        let x = q(1.0 / 3.0);
        let back = convert(x, QUAD, DOUBLE, RN, &mut fl);
        assert_eq!(back as u64, (1.0f64 / 3.0).to_bits());
        assert_eq!(fl, FpFlags::default());
        let mut fl = FpFlags::default();
        let third = div(ONE, THREE, RN, &mut fl);
        let mut fl = FpFlags::default();
        assert_eq!(
            convert(third, QUAD, DOUBLE, RN, &mut fl) as u64,
            (1.0f64 / 3.0).to_bits()
        );
        assert!(fl.fi);
    }

    #[test]
    fn binary16_conversion_rounds_overflows_and_underflows() {
        let mut fl = FpFlags::default();
        let h = |x: f64, fl: &mut FpFlags| convert(x.to_bits() as u128, DOUBLE, HALF, RN, fl);
        assert_eq!(h(1.5, &mut fl), 0x3e00);
        assert_eq!(h(65504.0, &mut fl), 0x7bff);
        assert_eq!(fl, FpFlags::default());
        assert_eq!(h(65520.0, &mut fl), 0x7c00, "rounds up to infinity");
        assert!(fl.exc & bits::OX != 0);
        let mut fl = FpFlags::default();
        assert_eq!(h(2f64.powi(-25) * 1.5, &mut fl), 0x0001);
        assert!(fl.exc & bits::UX != 0);
    }

    #[test]
    fn quad_to_integer_truncates_saturates_and_flags() {
        let mut fl = FpFlags::default();
        let i64t = IntFormat {
            bits: 64,
            signed: true,
        };
        assert_eq!(to_int(q(-2.75), i64t, &mut fl) as i64, -2);
        assert!(fl.exc & bits::XX != 0);
        let mut fl = FpFlags::default();
        assert_eq!(to_int(q(1e30), i64t, &mut fl) as i64, i64::MAX);
        assert!(fl.exc & bits::VXCVI != 0 && fl.exc & bits::XX == 0);
        let mut fl = FpFlags::default();
        let u128t = IntFormat {
            bits: 128,
            signed: false,
        };
        assert_eq!(to_int(q(2f64.powi(100)), u128t, &mut fl), 1u128 << 100);
        assert_eq!(to_int(QUAD.default_nan(), u128t, &mut fl), 0);
    }

    #[test]
    fn integers_convert_exactly_up_to_113_bits_and_round_beyond() {
        let mut fl = FpFlags::default();
        assert_eq!(from_int(3, false, RN, &mut fl), THREE);
        assert_eq!(fl, FpFlags::default());
        from_int(u128::MAX, false, RN, &mut fl);
        assert!(fl.fi);
    }
}
