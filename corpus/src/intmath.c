/* intmath: 32/64-bit integer arithmetic — mul/div/mod (signed and unsigned,
 * by variables and by constants), signed edge cases, gcd, modular power,
 * Miller-Rabin, integer square roots, Collatz, overflow builtins.
 * argv[1] = size of the number ranges (default 2000). kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

/* values the compiler cannot see through */
static volatile int64_t vs64[] = {
    0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 127, -128, 255, 65535, -65536,
    2147483647LL, -2147483647LL - 1, 4294967295LL, 4294967296LL, -4294967296LL,
    1000000007LL, -1000000007LL, 0x123456789abcdefLL, -0x123456789abcdefLL,
    9223372036854775807LL, -9223372036854775807LL - 1, -9223372036854775807LL,
    4611686018427387904LL, -4611686018427387904LL, 6148914691236517205LL,
};

static uint64_t gcd_mod(uint64_t a, uint64_t b) {
    while (b) { uint64_t t = a % b; a = b; b = t; }
    return a;
}

static uint64_t gcd_bin(uint64_t a, uint64_t b) {
    if (!a) return b;
    if (!b) return a;
    int sh = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) { uint64_t t = a; a = b; b = t; }
        b -= a;
    } while (b);
    return a << sh;
}

/* modulus < 2^32 so products fit in 64 bits */
static uint64_t powmod32(uint64_t b, uint64_t e, uint64_t m) {
    uint64_t r = 1 % m;
    b %= m;
    while (e) {
        if (e & 1) r = r * b % m;
        b = b * b % m;
        e >>= 1;
    }
    return r;
}

static int is_prime_mr(uint32_t n) {
    if (n < 2) return 0;
    static const uint32_t small[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    for (unsigned i = 0; i < ARRAY_LEN(small); i++) {
        if (n == small[i]) return 1;
        if (n % small[i] == 0) return 0;
    }
    uint32_t d = n - 1;
    int s = 0;
    while (!(d & 1)) { d >>= 1; s++; }
    static const uint32_t bases[] = {2, 7, 61};
    for (unsigned i = 0; i < 3; i++) {
        uint64_t x = powmod32(bases[i], d, n);
        if (x == 1 || x == n - 1) continue;
        int comp = 1;
        for (int r = 1; r < s; r++) {
            x = x * x % n;
            if (x == n - 1) { comp = 0; break; }
        }
        if (comp) return 0;
    }
    return 1;
}

static int is_prime_td(uint32_t n) {
    if (n < 2) return 0;
    if (n % 2 == 0) return n == 2;
    for (uint32_t d = 3; (uint64_t)d * d <= n; d += 2)
        if (n % d == 0) return 0;
    return 1;
}

static uint64_t isqrt_newton(uint64_t n) {
    if (n < 2) return n;
    uint64_t x = n, y = (x + 1) / 2;
    while (y < x) { x = y; y = (x + n / x) / 2; }
    return x;
}

static uint64_t isqrt_bits(uint64_t n) {
    uint64_t res = 0, bit = 1ull << 62;
    while (bit > n) bit >>= 2;
    while (bit) {
        if (n >= res + bit) { n -= res + bit; res = (res >> 1) + bit; }
        else res >>= 1;
        bit >>= 2;
    }
    return res;
}

NOINLINE static int64_t sdiv(int64_t a, int64_t b) { return a / b; }
NOINLINE static int64_t smod(int64_t a, int64_t b) { return a % b; }
NOINLINE static int32_t sdiv32(int32_t a, int32_t b) { return a / b; }
NOINLINE static int32_t smod32(int32_t a, int32_t b) { return a % b; }
NOINLINE static uint32_t udiv32(uint32_t a, uint32_t b) { return a / b; }

int main(int argc, char **argv) {
    uint64_t n = arg_u64(argc, argv, 1, 2000);
    print_kv_u64("intmath n", n);

    /* signed division identities over the edge-case table */
    uint64_t h = 0;
    unsigned nv = ARRAY_LEN(vs64);
    for (unsigned i = 0; i < nv; i++) {
        for (unsigned j = 0; j < nv; j++) {
            int64_t a = vs64[i], b = vs64[j];
            if (b == 0) continue;
            if (b == -1 && a == INT64_MIN) continue; /* overflow: undefined */
            int64_t q = sdiv(a, b), r = smod(a, b);
            check((uint64_t)q * (uint64_t)b + (uint64_t)r == (uint64_t)a, "div identity");
            check(r == 0 || ((r < 0) == (a < 0)), "mod sign");
            uint64_t ar = r < 0 ? -(uint64_t)r : (uint64_t)r;
            uint64_t ab = b < 0 ? -(uint64_t)b : (uint64_t)b;
            check(ar < ab, "mod range");
            uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
            uint64_t uq = ua / ub, ur = ua % ub;
            check(uq * ub + ur == ua && ur < ub, "udiv identity");
            h = mix64(h, (uint64_t)q);
            h = mix64(h, (uint64_t)r);
            h = mix64(h, uq ^ (ur << 1));
            int32_t a32 = (int32_t)a, b32 = (int32_t)b;
            if (b32 != 0 && !(b32 == -1 && a32 == INT32_MIN)) {
                int32_t q32 = sdiv32(a32, b32), r32 = smod32(a32, b32);
                check((uint32_t)q32 * (uint32_t)b32 + (uint32_t)r32 == (uint32_t)a32, "div32 identity");
                h = mix64(h, (uint64_t)(int64_t)q32 ^ ((uint64_t)(uint32_t)r32 << 32));
                h = mix64(h, udiv32((uint32_t)a32, (uint32_t)b32));
            }
            /* multiplication high parts and wrapping products */
            uint64_t lo = ua * ub;
            int64_t slo;
            int ovf = __builtin_mul_overflow(a, b, &slo);
            check((uint64_t)slo == lo, "mul wrap");
            h = mix64(h, lo + (uint64_t)ovf);
        }
    }
    /* known values */
    check(sdiv(-7, 2) == -3 && smod(-7, 2) == -1, "c99 truncation");
    check(sdiv(INT64_MIN, 2) == -4611686018427387904LL, "min/2");
    check(smod(INT64_MIN, 3) == -2, "min%3");
    check(sdiv32(INT32_MIN, 7) == -306783378 && smod32(INT32_MIN, 7) == -2, "div32 known");
    print_kv_hex("edge_hash", h, 16);

    /* division by constants (gcc uses multiply-high) vs division by variables */
    volatile uint64_t d10 = 10, d7 = 7, d1000003 = 1000003, dneg = (uint64_t)-3;
    uint64_t seed = 0x1234567887654321ull, hc = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t x = rng_next(&seed);
        int64_t sx = (int64_t)x;
        check(x / 10 == x / d10 && x % 7 == x % d7 && x / 1000003 == x / d1000003, "udiv const");
        check(sx / 10 == sx / (int64_t)d10 && sx % 7 == sx % (int64_t)d7, "sdiv const");
        check(sx / -3 == sx / (int64_t)dneg, "sdiv neg const");
        uint32_t x32 = (uint32_t)x;
        int32_t s32 = (int32_t)(x >> 32);
        check(x32 / 10 == x32 / (uint32_t)d10 && s32 % 7 == s32 % (int32_t)d7, "32 const");
        hc = mix64(hc, x / 10 + x % 7 + (uint64_t)(sx / 1000003) + (uint64_t)(s32 / 100) + x32 % 9);
    }
    print_kv_hex("const_div_hash", hc, 16);

    /* gcd */
    uint64_t gsum = 0;
    seed = 42;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t a = rng_next(&seed) >> (i % 40), b = rng_next(&seed) >> (i % 23);
        uint64_t k = (i % 17) + 1;
        a *= k; b *= k; /* wrap is fine */
        uint64_t g1 = gcd_mod(a, b), g2 = gcd_bin(a, b);
        check(g1 == g2, "gcd");
        gsum += g1;
    }
    print_kv_u64("gcd_sum", gsum);

    /* primes: Miller-Rabin vs trial division */
    uint64_t pc = 0, psum = 0;
    uint32_t base = 1000000000u;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t c = base + 2 * k + 1;
        int p = is_prime_mr(c);
        if ((k & 7) == 0) check(p == is_prime_td(c), "primality");
        pc += (uint64_t)p;
        if (p) psum ^= (uint64_t)c * 2654435761u;
    }
    check(is_prime_mr(4294967291u) && !is_prime_mr(4294967295u) && is_prime_mr(2147483647u), "mr known");
    check(powmod32(2, 1000000006, 1000000007) == 1, "fermat");
    print_kv_u64("primes_above_1e9", pc);
    print_kv_hex("prime_xor", psum, 16);

    /* integer square roots */
    uint64_t sq = 0;
    seed = 7;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v = rng_next(&seed) >> (i & 63);
        uint64_t r1 = isqrt_newton(v), r2 = isqrt_bits(v);
        check(r1 == r2, "isqrt agree");
        check(r1 * r1 <= v && (r1 + 1) * (r1 + 1) > v, "isqrt bound");
        sq += r1;
    }
    check(isqrt_bits(~0ull) == 4294967295ull, "isqrt max");
    print_kv_u64("isqrt_sum", sq);

    /* Collatz */
    uint64_t steps = 0, maxsteps = 0, argmax = 0;
    for (uint64_t s = 1; s <= n; s++) {
        uint64_t x = s, c = 0;
        while (x != 1) { x = (x & 1) ? 3 * x + 1 : x >> 1; c++; }
        steps += c;
        if (c > maxsteps) { maxsteps = c; argmax = s; }
    }
    if (n >= 27) check(argmax >= 27, "collatz 27");
    print_kv_u64("collatz_steps", steps);
    print_kv_u64("collatz_argmax", argmax);

    /* shifts, sign/zero extension, 32-bit wraparound */
    uint64_t hs = 0;
    seed = 99;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t x = rng_next(&seed);
        unsigned s = (unsigned)(x >> 58);
        int64_t sx = (int64_t)x;
        uint32_t w = (uint32_t)x;
        int32_t sw = (int32_t)w;
        hs = mix64(hs, (x << s) ^ (x >> s) ^ (uint64_t)(sx >> s));
        hs = mix64(hs, (uint64_t)(w << (s & 31)) ^ (w >> (s & 31)) ^ (uint64_t)(int64_t)(sw >> (s & 31)));
        hs = mix64(hs, (uint64_t)(int64_t)(int8_t)x ^ (uint64_t)(int64_t)(int16_t)x ^ (uint64_t)(int64_t)sw);
        hs = mix64(hs, (uint64_t)(uint32_t)(w * 0x9E3779B1u + (w >> 3)));
        uint64_t sum;
        int c = __builtin_add_overflow(x, (uint64_t)sx >> 1, &sum);
        hs = mix64(hs, sum + (uint64_t)c);
        int32_t ssum;
        int c2 = __builtin_add_overflow(sw, (int32_t)(x >> 40), &ssum);
        hs = mix64(hs, (uint64_t)(int64_t)ssum + (uint64_t)c2);
        int64_t mn = sx < (int64_t)(x << 1) ? sx : (int64_t)(x << 1);
        uint64_t ab = sx < 0 ? -(uint64_t)sx : (uint64_t)sx;
        hs = mix64(hs, (uint64_t)mn ^ ab);
    }
    print_kv_hex("shift_hash", hs, 16);

    return check_done();
}
