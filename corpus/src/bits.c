/* bits: bit manipulation — popcount, clz/ctz, parity, rotates, byte swaps,
 * bit reversal, bitfields, Gosper's hack, Morton codes; builtins are checked
 * against portable loops.  argv[1] = number of random words (default 4000).
 * kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

static int pop_loop(uint64_t x) { int c = 0; while (x) { c += (int)(x & 1); x >>= 1; } return c; }
static int pop_swar(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (int)((x * 0x0101010101010101ull) >> 56);
}
static int clz_loop(uint64_t x) { int c = 0; for (uint64_t m = 1ull << 63; m && !(x & m); m >>= 1) c++; return c; }
static int ctz_loop(uint64_t x) { int c = 0; for (uint64_t m = 1; m && !(x & m); m <<= 1) c++; return c; }
static int clz32_loop(uint32_t x) { int c = 0; for (uint32_t m = 1u << 31; m && !(x & m); m >>= 1) c++; return c; }

static uint64_t rotl64(uint64_t x, unsigned r) { r &= 63; return (x << r) | (x >> ((64 - r) & 63)); }
static uint64_t rotr64(uint64_t x, unsigned r) { r &= 63; return (x >> r) | (x << ((64 - r) & 63)); }
static uint32_t rotl32(uint32_t x, unsigned r) { r &= 31; return (x << r) | (x >> ((32 - r) & 31)); }
static uint64_t rotl_slow(uint64_t x, unsigned r) {
    for (unsigned i = 0; i < (r & 63); i++) x = (x << 1) | (x >> 63);
    return x;
}

static uint64_t bswap64_shift(uint64_t x) {
    uint64_t r = 0;
    for (int i = 0; i < 8; i++) { r = (r << 8) | (x & 0xff); x >>= 8; }
    return r;
}
static uint32_t bswap32_shift(uint32_t x) {
    return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}

static uint64_t brev_loop(uint64_t x) {
    uint64_t r = 0;
    for (int i = 0; i < 64; i++) { r = (r << 1) | (x & 1); x >>= 1; }
    return r;
}
static uint64_t brev_fast(uint64_t x) {
    x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
    x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
    x = ((x >> 4) & 0x0f0f0f0f0f0f0f0full) | ((x & 0x0f0f0f0f0f0f0f0full) << 4);
    return __builtin_bswap64(x);
}

static uint32_t morton_slow(uint16_t x, uint16_t y) {
    uint32_t r = 0;
    for (int i = 0; i < 16; i++) r |= (uint32_t)((x >> i) & 1) << (2 * i) | (uint32_t)((y >> i) & 1) << (2 * i + 1);
    return r;
}
static uint32_t part1by1(uint32_t x) {
    x &= 0xffff;
    x = (x | (x << 8)) & 0x00ff00ff;
    x = (x | (x << 4)) & 0x0f0f0f0f;
    x = (x | (x << 2)) & 0x33333333;
    x = (x | (x << 1)) & 0x55555555;
    return x;
}

struct packed_bits {
    uint64_t a : 7;
    uint64_t b : 13;
    int64_t c : 21;
    uint64_t d : 1;
    uint64_t e : 22;
};

NOINLINE static uint64_t bf_roundtrip(struct packed_bits *p, uint64_t x) {
    p->a = x;
    p->b = x >> 7;
    p->c = (int64_t)(x >> 20);
    p->d = x >> 41;
    p->e = x >> 42;
    return (uint64_t)p->a | ((uint64_t)p->b << 7) | ((uint64_t)(p->c & 0x1fffff) << 20) |
           ((uint64_t)p->d << 41) | ((uint64_t)p->e << 42);
}

static int64_t sext(uint64_t x, int bits) {
    uint64_t m = 1ull << (bits - 1);
    x &= (bits == 64) ? ~0ull : ((1ull << bits) - 1);
    return (int64_t)((x ^ m) - m);
}

int main(int argc, char **argv) {
    uint64_t n = arg_u64(argc, argv, 1, 4000);
    print_kv_u64("bits n", n);
    uint64_t seed = 0x0123456789abcdefull;
    uint64_t hp = 0, hz = 0, hr = 0, hb = 0, hm = 0;
    uint64_t total_pop = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t x = rng_next(&seed);
        /* sparse and dense variants */
        if (i % 3 == 1) x &= rng_next(&seed) & rng_next(&seed);
        if (i % 5 == 2) x |= rng_next(&seed) | rng_next(&seed);
        if (i % 7 == 3) x >>= (i % 64);
        uint32_t w = (uint32_t)(x ^ (x >> 29));

        int p = __builtin_popcountll(x);
        check(p == pop_loop(x) && p == pop_swar(x), "popcount64");
        check(__builtin_popcount(w) == pop_loop(w), "popcount32");
        check(__builtin_parityll(x) == (p & 1), "parity64");
        check(__builtin_parity(w) == (pop_loop(w) & 1), "parity32");
        total_pop += (uint64_t)p;
        hp = mix64(hp, (uint64_t)p * 131 + (uint64_t)__builtin_popcount(w));

        if (x) {
            int lz = __builtin_clzll(x), tz = __builtin_ctzll(x);
            check(lz == clz_loop(x) && tz == ctz_loop(x), "clz/ctz64");
            check(63 - lz == (int)(sizeof(uint64_t) * 8 - 1) - __builtin_clzll(x), "log2");
            hz = mix64(hz, (uint64_t)(lz * 64 + tz));
            check((x & -x) == (1ull << tz), "lowest bit");
            check((x & (x - 1)) == (x ^ (1ull << tz)), "clear lowest");
        }
        if (w) {
            check(__builtin_clz(w) == clz32_loop(w), "clz32");
            check(__builtin_ctz(w) == ctz_loop(w), "ctz32");
            hz = mix64(hz, (uint64_t)__builtin_clz(w) ^ ((uint64_t)__builtin_ctz(w) << 8));
        }
        check(__builtin_clrsbll((int64_t)x) == (x >> 63 ? clz_loop(~x) : clz_loop(x)) - 1, "clrsb");
        check(__builtin_ffsll((int64_t)x) == (x ? ctz_loop(x) + 1 : 0), "ffs");

        unsigned r = (unsigned)(i * 7 + (x >> 60)) & 63;
        uint64_t rl = rotl64(x, r);
        check(rl == rotl_slow(x, r), "rotl64");
        check(rotr64(rl, r) == x, "rotr64");
        uint32_t rw = rotl32(w, r);
        check(rotl32(rw, 32 - (r & 31)) == w, "rotl32");
        hr = mix64(hr, rl ^ rw ^ rotl64(x, 13) ^ rotr64(x, 7) ^ rotl32(w, 5));

        uint64_t b64 = __builtin_bswap64(x);
        uint32_t b32 = __builtin_bswap32(w);
        uint16_t b16 = __builtin_bswap16((uint16_t)x);
        check(b64 == bswap64_shift(x), "bswap64");
        check(b32 == bswap32_shift(w), "bswap32");
        check(b16 == (uint16_t)(((x & 0xff) << 8) | ((x >> 8) & 0xff)), "bswap16");
        uint64_t br = brev_fast(x);
        check(br == brev_loop(x), "bitrev");
        hb = mix64(hb, b64 ^ b32 ^ b16 ^ br);

        uint16_t mx = (uint16_t)x, my = (uint16_t)(x >> 16);
        uint32_t mc = part1by1(mx) | (part1by1(my) << 1);
        check(mc == morton_slow(mx, my), "morton");

        struct packed_bits pb;
        uint64_t lo42 = x & ((1ull << 42) - 1);
        uint64_t got = bf_roundtrip(&pb, x);
        check((got & ((1ull << 42) - 1)) == lo42 && (got >> 42) == ((x >> 42) & 0x3fffff), "bitfield");
        hm = mix64(hm, mc ^ got ^ (uint64_t)sext(x, (int)(i % 64) + 1) ^ (uint64_t)pb.c);

        /* mask generation, and-with-complement, conditional select */
        uint64_t mask = (r == 0) ? 0 : (~0ull >> (64 - r));
        uint64_t sel = (x & mask) | (rl & ~mask);
        hm = mix64(hm, sel ^ (x & ~rl) ^ ~(x | rl) ^ (~x ^ rl) ^ (x > rl ? x : rl));
    }
    check(__builtin_popcountll(~0ull) == 64 && __builtin_clzll(1) == 63 && __builtin_ctzll(1ull << 63) == 63, "known");
    check(__builtin_bswap64(0x0102030405060708ull) == 0x0807060504030201ull, "bswap known");
    check(brev_fast(1) == 1ull << 63, "brev known");

    /* Gosper's hack: enumerate 16-bit words with 6 bits set: C(16,6) = 8008 */
    uint64_t cnt = 0, gx = 0;
    const uint32_t lim = 16;
    for (uint32_t v = (1u << 6) - 1; v < (1u << lim);) {
        cnt++;
        gx = mix64(gx, v);
        uint32_t c = v & -v, rr = v + c;
        v = (((rr ^ v) >> 2) / c) | rr;
    }
    check(cnt == 8008, "gosper count");
    print_kv_u64("gosper_count", cnt);

    print_kv_u64("total_popcount", total_pop);
    print_kv_hex("pop_hash", hp, 16);
    print_kv_hex("clz_hash", hz, 16);
    print_kv_hex("rot_hash", hr, 16);
    print_kv_hex("swap_hash", hb, 16);
    print_kv_hex("misc_hash", hm, 16);
    return check_done();
}
