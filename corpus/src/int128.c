/* int128: unsigned/signed __int128 arithmetic — multiply (checked against a
 * 32-bit-limb schoolbook product), division and modulo (libgcc __udivti3 etc.
 * vs shift-subtract long division), variable shifts, comparisons, decimal
 * printing (34!, fib(186)), 64-bit modular arithmetic via 128-bit products,
 * deterministic Miller-Rabin for 64-bit numbers, and u128 <-> double.
 * argv[1] = number of random operand pairs (default 1500). kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

typedef unsigned __int128 u128;
typedef __int128 i128;

static u128 mk(uint64_t hi, uint64_t lo) { return ((u128)hi << 64) | lo; }
static uint64_t hi64(u128 x) { return (uint64_t)(x >> 64); }
static uint64_t lo64(u128 x) { return (uint64_t)x; }

/* 64x64 -> 128 with 32-bit limbs only */
static void mul64_limbs(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (mid << 32) | (uint32_t)p00;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* 128x128 -> low 128 bits via limbs */
static u128 mul128_limbs(u128 a, u128 b) {
    uint64_t h, l;
    mul64_limbs(lo64(a), lo64(b), &h, &l);
    h += lo64(a) * hi64(b) + hi64(a) * lo64(b);
    return mk(h, l);
}

/* restoring long division */
NOINLINE static u128 divmod_slow(u128 n, u128 d, u128 *rem) {
    u128 q = 0, r = 0;
    for (int i = 127; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) { r -= d; q |= (u128)1 << i; }
    }
    *rem = r;
    return q;
}

NOINLINE static u128 udiv(u128 a, u128 b) { return a / b; }
NOINLINE static u128 umod(u128 a, u128 b) { return a % b; }
NOINLINE static i128 sdiv(i128 a, i128 b) { return a / b; }
NOINLINE static i128 smod(i128 a, i128 b) { return a % b; }
NOINLINE static u128 shl(u128 a, unsigned s) { return a << s; }
NOINLINE static u128 shr(u128 a, unsigned s) { return a >> s; }
NOINLINE static i128 sar(i128 a, unsigned s) { return a >> s; }

static size_t u128_to_dec(u128 v, char *out) {
    char tmp[48];
    size_t n = 0;
    do {
        /* divide by 10^19 chunks to exercise both paths */
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
    return n;
}

/* u128 <-> double without libgcc (Debian's ppc64el libgcc.a is built for
 * POWER8: __floatuntidf/__floattidf use mtvsrd, __fixunsdfti mfvsrd, which a
 * POWER7 model rejects).  Correctly rounded: the discarded low bits are
 * folded into a sticky bit before the 64 -> 53 bit conversion. */
#if defined(__LITTLE_ENDIAN__) && !defined(_ARCH_PWR8)
#define LIBGCC_CONV 0
#else
#define LIBGCC_CONV 1
#endif

static double u128_to_double(u128 x) {
    if (hi64(x) == 0) return (double)lo64(x);
    int lz = __builtin_clzll(hi64(x));
    u128 y = x << lz;
    uint64_t m = hi64(y) | (lo64(y) != 0);
    /* 2^(64 - lz) built from bits: exact */
    union { uint64_t u; double d; } sc = { (uint64_t)(1023 + 64 - lz) << 52 };
    return (double)m * sc.d;
}
static double i128_to_double(i128 x) {
    return x < 0 ? -u128_to_double(-(u128)x) : u128_to_double((u128)x);
}
static u128 double_to_u128(double d) {
    if (!(d > 0.0)) return 0;
    if (d < 18446744073709551616.0) return (u128)(uint64_t)d;
    uint64_t hi = (uint64_t)(d * (1.0 / 18446744073709551616.0));
    double rest = d - (double)hi * 18446744073709551616.0;
    return mk(hi, (uint64_t)rest);
}

static int streq(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) { return (uint64_t)((u128)a * b % m); }
static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
    uint64_t r = 1;
    b %= m;
    while (e) { if (e & 1) r = mulmod(r, b, m); b = mulmod(b, b, m); e >>= 1; }
    return r;
}
static int is_prime64(uint64_t n) {
    if (n < 2) return 0;
    static const uint64_t sp[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    for (unsigned i = 0; i < ARRAY_LEN(sp); i++) {
        if (n == sp[i]) return 1;
        if (n % sp[i] == 0) return 0;
    }
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1)) { d >>= 1; s++; }
    for (unsigned i = 0; i < ARRAY_LEN(sp); i++) {
        uint64_t x = powmod(sp[i], d, n);
        if (x == 1 || x == n - 1) continue;
        int comp = 1;
        for (int r = 1; r < s && comp; r++) { x = mulmod(x, x, n); if (x == n - 1) comp = 0; }
        if (comp) return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    uint64_t n = arg_u64(argc, argv, 1, 1500);
    print_kv_u64("int128 n", n);
    char buf[64];

    /* factorial and Fibonacci in decimal */
    u128 f = 1;
    for (unsigned i = 2; i <= 34; i++) f *= i;
    u128_to_dec(f, buf);
    print_str("34! "); print_str(buf); print_nl();
    check(streq(buf, "295232799039604140847618609643520000000"), "34!");
    u128 a = 0, b = 1;
    for (int i = 0; i < 186; i++) { u128 t = a + b; a = b; b = t; }
    u128_to_dec(a, buf);
    print_str("fib186 "); print_str(buf); print_nl();
    check(streq(buf, "332825110087067562321196029789634457848"), "fib(186)");
    u128_to_dec(~(u128)0, buf);
    check(streq(buf, "340282366920938463463374607431768211455"), "u128 max");

    uint64_t seed = 0x1281281281ull, hm = 0, hd = 0, hs = 0;
    for (uint64_t i = 0; i < n; i++) {
        u128 x = mk(rng_next(&seed), rng_next(&seed));
        u128 y = mk(rng_next(&seed) >> (i % 64), rng_next(&seed));
        if (i % 4 == 1) y >>= 64 + (i % 60);   /* small divisors */
        if (i % 4 == 2) x >>= (i % 100);
        if (y == 0) y = 1 + i;

        /* multiply */
        u128 p = x * y;
        check(p == mul128_limbs(x, y), "mul128");
        uint64_t h, l;
        mul64_limbs(lo64(x), lo64(y), &h, &l);
        u128 pp = (u128)lo64(x) * lo64(y);
        check(hi64(pp) == h && lo64(pp) == l, "mul64x64");
        hm = mix64(hm, hi64(p) ^ lo64(p));

        /* divide */
        u128 q = udiv(x, y), r = umod(x, y), r2;
        u128 q2 = divmod_slow(x, y, &r2);
        check(q == q2 && r == r2, "udiv128");
        check(q * y + r == x && r < y, "udiv identity");
        hd = mix64(hd, hi64(q) ^ lo64(q) ^ (lo64(r) << 1));

        /* signed */
        i128 sx = (i128)x, sy = (i128)y;
        if (i & 1) sy = -sy;
        if (!(sy == -1 && sx == (i128)((u128)1 << 127))) {
            i128 sq = sdiv(sx, sy), sr = smod(sx, sy);
            check((u128)sq * (u128)sy + (u128)sr == (u128)sx, "sdiv identity");
            check(sr == 0 || ((sr < 0) == (sx < 0)), "smod sign");
            hd = mix64(hd, lo64((u128)sq) ^ hi64((u128)sr));
        }

        /* shifts and compares */
        unsigned s = (unsigned)(i * 13 % 128);
        u128 L = shl(x, s), R = shr(x, s);
        i128 A = sar(sx, s);
        check(shr(L, s) == (s ? (x & (~(u128)0 >> s)) : x), "shl/shr");
        check((u128)A == (sx < 0 && s ? (R | ~(~(u128)0 >> s)) : R), "sar");
        check((A < 0) == (sx < 0), "sar sign");
        hs = mix64(hs, hi64(L) ^ lo64(R) ^ hi64((u128)A));
        hs = mix64(hs, (uint64_t)((x < y) | (sx < sy) << 1 | (x == y) << 2 | (sx >= sy) << 3));

        /* conversions */
        double dx = u128_to_double(x);
        check(dx >= 0.0, "u128->double");
        u128 back = double_to_u128(dx * 0.5);
        i128 sneg = -(i128)(x >> 1);
        double dn = i128_to_double(sneg);
        check(dn <= 0.0, "i128->double");
#if LIBGCC_CONV
        check(dx == (double)x && back == (u128)(dx * 0.5) && dn == (double)sneg, "libgcc conversions");
#endif
        hs = mix64(hs, hi64(back) ^ lo64(back));
        hs = mix64(hs, (uint64_t)(int64_t)(dn / 1e30));
    }
    print_kv_hex("mul_hash", hm, 16);
    print_kv_hex("div_hash", hd, 16);
    print_kv_hex("shift_hash", hs, 16);

    /* 64-bit primes via 128-bit mulmod */
    uint64_t pc = 0, last = 0;
    uint64_t base = (1ull << 62) + 1;
    for (uint64_t k = 0; k < n / 4 + 10; k++) {
        uint64_t c = base + 2 * k;
        if (is_prime64(c)) { pc++; last = c; }
    }
    check(is_prime64(18446744073709551557ull) && !is_prime64(18446744073709551559ull), "largest 64-bit prime");
    check(!is_prime64(3215031751ull) && is_prime64(1000000000000000003ull), "mr known");
    print_kv_u64("primes_above_2^62", pc);
    print_kv_u64("last_prime", last);
    return check_done();
}
