"""Value distributions (edge cases + seeded random) for the vector generator."""

import struct

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1

INT64_EDGES = [
    0, 1, 2, 3, M64, M64 - 1, 0x7fffffffffffffff, 0x8000000000000000,
    0x8000000000000001, 0xffffffff, 0x80000000, 0x7fffffff, 0x100000000,
    0xffffffff80000000, 0xffffffff7fffffff, 0xffffffff00000000,
    0x00000000fffffffe, 0xffff, 0x8000, 0x7fff, 0xffffffffffff8000, 0xff,
    0x80, 0x7f, 0xffffffffffffff80, 0x0000000100000001, 0x5555555555555555,
    0xaaaaaaaaaaaaaaaa, 0x00000000deadbeef, 0x8000000080000000,
    0x7fffffff7fffffff, 0x0123456789abcdef, 0xfedcba9876543210, 0x40, 63,
    64, 32, 31,
]

INT32_EDGES = [0, 1, 2, 0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000,
               0x80000001, 0xffff, 0x8000, 0x7fff, 0xffff8000, 0xff, 0x80,
               0x7f, 0x55555555, 0xaaaaaaaa, 31, 32]

XER_FLAGS = [0x80000000, 0x40000000, 0x20000000, 0x00080000, 0x00040000]


def rand_int64(rng):
    k = rng.random()
    if k < 0.30:
        return rng.choice(INT64_EDGES)
    if k < 0.40:
        # 32-bit edge in the low word, random/sign high word
        lo = rng.choice(INT32_EDGES)
        hi = rng.choice([0, M32, rng.getrandbits(32)])
        return (hi << 32) | lo
    if k < 0.55:
        v = rng.getrandbits(rng.randint(1, 20))
        return v if rng.random() < 0.5 else (-v) & M64
    if k < 0.65:
        v = rng.getrandbits(32)
        if v & 0x80000000:
            v |= 0xffffffff00000000
        return v
    return rng.getrandbits(64)


def rand_xer(rng, isa300=True):
    if rng.random() < 0.2:
        return 0
    v = 0
    for f in XER_FLAGS[:3] + (XER_FLAGS[3:] if isa300 else []):
        if rng.random() < 0.5:
            v |= f
    return v


def rand_cr(rng):
    k = rng.random()
    if k < 0.15:
        return 0
    if k < 0.25:
        return M32
    return rng.getrandbits(32)


# ---------------- floating point ----------------
def d2u(x):
    return struct.unpack(">Q", struct.pack(">d", x))[0]


def f2u(x):
    return struct.unpack(">I", struct.pack(">f", x))[0]


DP_EDGES = [
    0x0000000000000000, 0x8000000000000000,           # +-0
    0x7ff0000000000000, 0xfff0000000000000,           # +-inf
    0x7ff8000000000000, 0xfff8000000000000,           # QNaN
    0x7ff8000000000001, 0x7ff4000000000000,           # QNaN payload, SNaN
    0x7ff0000000000001, 0xfff4000000000123,           # SNaN
    0x0000000000000001, 0x8000000000000001,           # min denormal
    0x000fffffffffffff, 0x800fffffffffffff,           # max denormal
    0x0010000000000000, 0x8010000000000000,           # min normal
    0x7fefffffffffffff, 0xffefffffffffffff,           # max normal
    d2u(1.0), d2u(-1.0), d2u(-1.5), d2u(0.5), d2u(2.0), d2u(3.0),
    d2u(0.1), d2u(-0.1), d2u(1.0 / 3.0),
    d2u(2.0 ** 52 + 0.5), d2u(2.0 ** 52 + 1.5), d2u(-(2.0 ** 52) - 0.5),
    d2u(4503599627370495.5), d2u(2.5), d2u(-2.5), d2u(0.49999999999999994),
    d2u(2.0 ** 63), d2u(-(2.0 ** 63)), d2u(2.0 ** 64), d2u(2.0 ** 31),
    d2u(-(2.0 ** 31)), d2u(2.0 ** 32), d2u(4294967295.5), d2u(-2147483648.5),
    d2u(9.2233720368547748e18), d2u(1e300), d2u(-1e300), d2u(1e-300),
    d2u(3.4028234663852886e38), d2u(3.4028235677973366e38),   # FLT_MAX, >FLT_MAX
    d2u(1.1754943508222875e-38), d2u(1.401298464324817e-45),  # FLT_MIN, FLT_TRUE_MIN
    d2u(7.006492321624085e-46), d2u(1.0000000596046448),      # tie cases for sp
    d2u(16777217.0), d2u(-16777217.0), d2u(65504.0), d2u(65520.0),
    d2u(6.103515625e-05), d2u(5.960464477539063e-08),
    d2u(1.0 + 2.0 ** -52), d2u(1.0 - 2.0 ** -53),
]

SP_EDGES = [
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
    0x7fa00000, 0xff800001, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff,
    0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, f2u(1.0), f2u(-1.0),
    f2u(-1.5), f2u(0.5), f2u(2.0), f2u(3.0), f2u(0.1), f2u(8388608.5),
    f2u(2.5), f2u(-2.5), f2u(2147483648.0), f2u(-2147483648.0),
    f2u(4294967296.0), f2u(16777216.0), f2u(1e30), f2u(1e-30), f2u(65504.0),
    0x4b000001, 0x3f800001, 0x5f000000, 0xdf000000,
]


def rand_dp(rng):
    k = rng.random()
    if k < 0.40:
        return rng.choice(DP_EDGES)
    if k < 0.60:
        # "ordinary" numbers
        x = rng.uniform(-1000, 1000) * (10.0 ** rng.randint(-5, 5))
        return d2u(x)
    if k < 0.70:
        # exactly representable singles
        return d2u(struct.unpack(">f", struct.pack(">I", rand_sp(rng)))[0]) \
            if True else 0
    if k < 0.80:
        # integers / half integers (rounding tests)
        x = rng.randint(-(1 << 20), 1 << 20) + rng.choice([0, 0.5, 0.25, 0.75])
        return d2u(x * (2.0 ** rng.choice([0, 0, 10, 31, 40, 52])))
    return rng.getrandbits(64)


def rand_sp(rng):
    k = rng.random()
    if k < 0.45:
        return rng.choice(SP_EDGES)
    if k < 0.70:
        x = rng.uniform(-1000, 1000) * (10.0 ** rng.randint(-4, 4))
        return f2u(x)
    return rng.getrandbits(32)


def sp_to_dp_bits(u):
    """single bits -> the double that holds the same value (NaN payload kept
    the way lfs does it)."""
    f = struct.unpack(">f", struct.pack(">I", u))[0]
    if f != f:
        sign = u >> 31
        exp = 0x7ff
        frac = (u & 0x7fffff) << 29
        return (sign << 63) | (exp << 52) | frac
    return d2u(f)


def rand_dp_single(rng):
    """A double that is exactly representable in single precision."""
    return sp_to_dp_bits(rand_sp(rng))


QP_EDGES = [
    0, 1 << 127, 0x7fff << 112, 0xffff << 112, (0x7fff << 112) | (1 << 111),
    (0x7fff << 112) | 1, 1, (1 << 112) - 1, 1 << 112, 0x3fff << 112,
    (0xbfff << 112) | (1 << 111), 0x7ffe_ffff_ffff_ffff_ffff_ffff_ffff_ffff,
    0x4000 << 112, 0x3ffe << 112, (0x403e << 112), (0x403f << 112),
    (0x4034 << 112) | (1 << 107),
]


def rand_qp(rng):
    k = rng.random()
    if k < 0.4:
        return rng.choice(QP_EDGES)
    if k < 0.8:
        exp = rng.randint(0x3fff - 70, 0x3fff + 70)
        return (rng.getrandbits(1) << 127) | (exp << 112) | rng.getrandbits(112)
    return rng.getrandbits(128)


# FPSCR: RN in bits 62-63 (LSB-0: 0..1); sticky exception bits etc.
# bits (ISA 32-bit-word numbering 32..63 -> LSB-0 31..0):
#  FX 0, FEX 1, VX 2, OX 3, UX 4, ZX 5, XX 6, VXSNAN 7, VXISI 8, VXIDI 9,
#  VXZDZ 10, VXIMZ 11, VXVC 12, FR 13, FI 14, FPRF 15-19, VXSOFT 21,
#  VXSQRT 22, VXCVI 23, VE 24, OE 25, UE 26, ZE 27, XE 28, NI 29, RN 30-31


def fpscr_bit(i):
    """ISA bit i of the 32-bit low word (32+i in 64-bit numbering)."""
    return 1 << (31 - i)


def rand_fpscr(rng, rn=None, enables=False):
    v = 0
    if rng.random() < 0.5:
        for i in [0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 23]:
            if rng.random() < 0.25:
                v |= fpscr_bit(i)
    if rng.random() < 0.3:
        v |= rng.getrandbits(5) << (31 - 19)   # FPRF
        v |= rng.getrandbits(2) << (31 - 14)   # FR FI
    if enables:
        # enable some exceptions, and clear their sticky bits so that the
        # harness can restore the FPSCR without an immediate FP interrupt
        pairs = {24: [7, 8, 9, 10, 11, 12, 21, 22, 23], 25: [3], 26: [4],
                 27: [5], 28: [6]}
        for i, st in pairs.items():
            if rng.random() < 0.4:
                v |= fpscr_bit(i)
                for b in st:
                    v &= ~fpscr_bit(b)
    if rng.random() < 0.15:
        v |= rng.getrandbits(3) << 32          # DRN
    v |= (rng.randint(0, 3) if rn is None else rn)
    return v


# ---------------- vectors ----------------
def rand_elem(rng, bits):
    m = (1 << bits) - 1
    k = rng.random()
    if k < 0.35:
        return rng.choice([0, 1, m, m - 1, m >> 1, (m >> 1) + 1,
                           (m >> 1) + 2, 2, 0x55 * (m // 0xff) if bits >= 8
                           else 0, bits - 1, bits, bits + 1]) & m
    if k < 0.5:
        return rng.getrandbits(rng.randint(1, bits))
    return rng.getrandbits(bits)


def rand_vec(rng, ebits=None):
    """128-bit value, dword 0 in the high bits (ISA numbering)."""
    if ebits is None:
        ebits = rng.choice([8, 16, 32, 64])
    if rng.random() < 0.2:
        return rng.getrandbits(128)
    n = 128 // ebits
    v = 0
    for _ in range(n):
        v = (v << ebits) | rand_elem(rng, ebits)
    return v


def rand_vec_dp(rng):
    return (rand_dp(rng) << 64) | rand_dp(rng)


def rand_vec_sp(rng):
    v = 0
    for _ in range(4):
        v = (v << 32) | rand_sp(rng)
    return v


def rand_vec_hp(rng):
    edges = [0, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0x0001, 0x03ff,
             0x0400, 0x7bff, 0x3c00, 0xbc00, 0x3555]
    v = 0
    for _ in range(8):
        v = (v << 16) | (rng.choice(edges) if rng.random() < 0.5
                         else rng.getrandbits(16))
    return v


def rand_bcd(rng, valid=0.8):
    """Signed packed decimal: 31 digits + sign nibble."""
    if rng.random() > valid:
        return rng.getrandbits(128)
    nd = rng.randint(0, 31)
    v = 0
    for i in range(31):
        d = rng.randint(0, 9) if i >= 31 - nd else 0
        v = (v << 4) | d
    sign = rng.choice([0xc, 0xd, 0xa, 0xb, 0xe, 0xf])
    return (v << 4) | sign


def rand_dp_vsr(rng, single=False):
    """A scalar in dword 0 (FPR), random dword 1."""
    hi = rand_dp_single(rng) if single else rand_dp(rng)
    return (hi << 64) | rng.getrandbits(64)
