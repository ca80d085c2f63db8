/* memops: loads and stores of every size and signedness at every alignment
 * (via memcpy, packed structs and byte assembly), byte-reversed accesses,
 * struct copies by value (small and large), memmove with overlap in both
 * directions, bitfield read-modify-write, update-form pointer walks and
 * float/double memory traffic.  Everything is folded into endian-neutral
 * checksums, so LE and BE builds print the same.
 * argv[1] = number of passes over the buffers (default 6). kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))
#define BUF 4096

static uint8_t buf[BUF + 64] __attribute__((aligned(64)));
static uint8_t buf2[BUF + 64] __attribute__((aligned(64)));
static uint32_t words32[BUF / 4];
static uint64_t words64[BUF / 8];

static int host_is_le(void) {
    union { uint32_t u; uint8_t b[4]; } x = { 0x01020304u };
    return x.b[0] == 4;
}

/* explicit little-endian byte assembly */
static uint64_t get_le(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static void put_le(uint8_t *p, uint64_t v, int n) {
    for (int i = 0; i < n; i++) { p[i] = (uint8_t)v; v >>= 8; }
}

/* native unaligned loads through memcpy, converted to little-endian order */
static uint16_t ld16(const void *p) { uint16_t v; memcpy(&v, p, 2); return host_is_le() ? v : __builtin_bswap16(v); }
static uint32_t ld32(const void *p) { uint32_t v; memcpy(&v, p, 4); return host_is_le() ? v : __builtin_bswap32(v); }
static uint64_t ld64(const void *p) { uint64_t v; memcpy(&v, p, 8); return host_is_le() ? v : __builtin_bswap64(v); }
static void st16(void *p, uint16_t v) { if (!host_is_le()) v = __builtin_bswap16(v); memcpy(p, &v, 2); }
static void st32(void *p, uint32_t v) { if (!host_is_le()) v = __builtin_bswap32(v); memcpy(p, &v, 4); }
static void st64(void *p, uint64_t v) { if (!host_is_le()) v = __builtin_bswap64(v); memcpy(p, &v, 8); }

/* big-endian loads (byte-reversed on LE hosts: lhbrx/lwbrx/ldbrx) */
static uint32_t ld32be(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return host_is_le() ? __builtin_bswap32(v) : v; }
static uint64_t ld64be(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return host_is_le() ? __builtin_bswap64(v) : v; }

struct __attribute__((packed)) pk {
    uint8_t a;
    uint32_t b;
    uint16_t c;
    uint64_t d;
    int16_t e;
    int32_t f;
    int8_t g;
};

struct big {
    uint64_t w[9];
    uint32_t x[5];
    uint16_t y[3];
    uint8_t z[7];
    double d;
};

struct small { uint32_t a; uint16_t b; uint8_t c; };

NOINLINE static struct big make_big(uint64_t s) {
    struct big b;
    for (int i = 0; i < 9; i++) b.w[i] = s * (uint64_t)(i + 1) ^ (s >> i);
    for (int i = 0; i < 5; i++) b.x[i] = (uint32_t)(s >> (i * 7));
    for (int i = 0; i < 3; i++) b.y[i] = (uint16_t)(s >> (i * 11));
    for (int i = 0; i < 7; i++) b.z[i] = (uint8_t)(s >> (i * 5));
    b.d = (double)(s >> 12);
    return b;
}

NOINLINE static uint64_t sum_big(struct big b) { /* passed by value */
    uint64_t h = 0;
    for (int i = 0; i < 9; i++) h = mix64(h, b.w[i]);
    for (int i = 0; i < 5; i++) h = mix64(h, b.x[i]);
    for (int i = 0; i < 3; i++) h = mix64(h, b.y[i]);
    for (int i = 0; i < 7; i++) h = mix64(h, b.z[i]);
    return mix64(h, (uint64_t)b.d);
}

NOINLINE static struct small make_small(uint32_t s) {
    struct small r = { s, (uint16_t)(s >> 3), (uint8_t)(s >> 9) };
    return r;
}

struct flags {
    unsigned a : 3;
    unsigned b : 9;
    signed c : 6;
    unsigned d : 14;
};

NOINLINE static void naive_move(uint8_t *d, const uint8_t *s, size_t n) {
    uint8_t tmp[BUF];
    for (size_t i = 0; i < n; i++) tmp[i] = s[i];
    for (size_t i = 0; i < n; i++) d[i] = tmp[i];
}

/* pointer walks that gcc compiles to update-form loads/stores */
NOINLINE static uint64_t walk_sum(const uint64_t *p, long n) {
    uint64_t s = 0;
    while (n--) s += *p++ * 3;
    return s;
}
NOINLINE static void walk_fill(uint32_t *p, long n, uint32_t v) {
    while (n--) { *p++ = v; v = v * 1664525u + 1013904223u; }
}

int main(int argc, char **argv) {
    uint64_t passes = arg_u64(argc, argv, 1, 6);
    print_kv_u64("memops passes", passes);
    uint64_t seed = 0x3e3e3e3e;
    uint64_t h_ld = 0, h_st = 0, h_sx = 0, h_be = 0, h_pk = 0, h_big = 0, h_mv = 0, h_bf = 0, h_fp = 0;

    for (uint64_t pass = 0; pass < passes; pass++) {
        for (size_t i = 0; i < BUF + 64; i += 8) put_le(buf + i, rng_next(&seed), 8);

        /* loads of every size at every offset */
        for (size_t off = 0; off + 8 <= BUF; off += 1 + (off & 3)) {
            const uint8_t *p = buf + off;
            uint64_t a8 = p[0], a16 = ld16(p), a32 = ld32(p), a64 = ld64(p);
            check(a16 == get_le(p, 2) && a32 == get_le(p, 4) && a64 == get_le(p, 8), "unaligned loads");
            int64_t s8 = (int8_t)p[1], s16 = (int16_t)ld16(p + 1), s32 = (int32_t)ld32(p + 2);
            h_ld = mix64(h_ld, a8 ^ (a16 << 8) ^ (a32 << 16) ^ a64);
            h_sx = mix64(h_sx, (uint64_t)s8 ^ ((uint64_t)s16 << 1) ^ ((uint64_t)s32 << 2));
            h_be = mix64(h_be, ld32be(p) ^ ld64be(p));
            check(ld64be(p) == __builtin_bswap64(a64), "byte-reversed load");
        }

        /* stores of every size at every offset, read back as bytes */
        memset(buf2, 0, sizeof buf2);
        uint64_t v = pass * 0x0101010101010101ull + 0x8070605040302010ull;
        for (size_t off = 0; off + 16 <= BUF; off += 15) {
            uint8_t *p = buf2 + off;
            p[0] = (uint8_t)v;
            st16(p + 1, (uint16_t)(v >> 8));
            st32(p + 3, (uint32_t)(v >> 16));
            st64(p + 7, v * 3);
            check(get_le(p + 1, 2) == (uint16_t)(v >> 8) && get_le(p + 3, 4) == (uint32_t)(v >> 16) &&
                  get_le(p + 7, 8) == v * 3, "unaligned stores");
            v = v * 6364136223846793005ull + 1442695040888963407ull;
        }
        for (size_t i = 0; i < BUF; i += 8) h_st = mix64(h_st, get_le(buf2 + i, 8));

        /* packed struct access */
        struct pk arr[16];
        for (int i = 0; i < 16; i++) {
            uint64_t r = get_le(buf + i * 24, 8);
            arr[i].a = (uint8_t)r; arr[i].b = (uint32_t)(r >> 8); arr[i].c = (uint16_t)(r >> 13);
            arr[i].d = r * 5; arr[i].e = (int16_t)(r >> 30); arr[i].f = (int32_t)(r >> 17); arr[i].g = (int8_t)(r >> 50);
        }
        for (int i = 0; i < 16; i++) {
            const struct pk *q = &arr[i ^ 5];
            h_pk = mix64(h_pk, q->a ^ ((uint64_t)q->b << 3) ^ ((uint64_t)q->c << 7) ^ q->d ^
                                   (uint64_t)(int64_t)q->e ^ ((uint64_t)(int64_t)q->f << 1) ^ (uint64_t)(int64_t)q->g);
        }
        check(sizeof(struct pk) == 22, "packed size");

        /* struct copies */
        struct big bigs[8];
        for (int i = 0; i < 8; i++) bigs[i] = make_big(rng_next(&seed));
        struct big t = bigs[3];
        bigs[3] = bigs[6];
        bigs[6] = t;
        for (int i = 0; i < 8; i++) h_big = mix64(h_big, sum_big(bigs[i]));
        struct small sm[32];
        for (int i = 0; i < 32; i++) sm[i] = make_small((uint32_t)rng_next(&seed));
        for (int i = 0; i < 32; i++) { struct small c = sm[31 - i]; h_big = mix64(h_big, c.a ^ ((uint64_t)c.b << 32) ^ ((uint64_t)c.c << 48)); }

        /* memmove, overlapping both ways, vs a naive copy through a temp */
        for (int k = 0; k < 8; k++) {
            size_t n = 64 + (size_t)(rng_next(&seed) % 1500), src = (size_t)(rng_next(&seed) % 1000),
                   dst = (size_t)(rng_next(&seed) % 1000);
            memcpy(buf2, buf, BUF);
            memmove(buf + dst, buf + src, n);
            naive_move(buf2 + dst, buf2 + src, n);
            check(memcmp(buf, buf2, BUF) == 0, "memmove");
            h_mv = mix64(h_mv, get_le(buf + dst, 8) ^ n);
        }

        /* bitfields */
        struct flags fl[64];
        memset(fl, 0, sizeof fl);
        for (int i = 0; i < 64; i++) {
            uint32_t r = (uint32_t)get_le(buf + i * 4, 4);
            fl[i].a = r; fl[i].b = r >> 3; fl[i].c = (int)(r >> 12); fl[i].d = r >> 18;
            fl[i].b += fl[i].a;
            fl[i].c ^= 5;
        }
        for (int i = 0; i < 64; i++) h_bf = mix64(h_bf, fl[i].a | fl[i].b << 3 | (uint64_t)(int64_t)fl[i].c << 12 | (uint64_t)fl[i].d << 40);

        /* update-form walks */
        walk_fill(words32, BUF / 4, (uint32_t)pass);
        uint64_t ws = 0;
        for (int i = 0; i < BUF / 4; i++) { ws += words32[i]; words64[i / 2] = get_le(buf + (i & ~1) * 4, 8); }
        h_mv = mix64(h_mv, ws ^ walk_sum(words64, BUF / 8));

        /* float/double memory traffic */
        float fa[64];
        double da[64];
        for (int i = 0; i < 64; i++) {
            fa[i] = (float)(int32_t)get_le(buf + i * 8, 4) * (1.0f / 65536.0f);
            da[i] = (double)(int64_t)get_le(buf + i * 8, 8) * (1.0 / 4294967296.0);
        }
        for (int i = 0; i < 64; i++) {
            double x = fa[63 - i] + da[i];
            union { double d; uint64_t u; } c = { x };
            h_fp = mix64(h_fp, c.u);
        }
    }
    print_kv_hex("load_hash", h_ld, 16);
    print_kv_hex("signext_hash", h_sx, 16);
    print_kv_hex("bytereverse_hash", h_be, 16);
    print_kv_hex("store_hash", h_st, 16);
    print_kv_hex("packed_hash", h_pk, 16);
    print_kv_hex("struct_hash", h_big, 16);
    print_kv_hex("move_hash", h_mv, 16);
    print_kv_hex("bitfield_hash", h_bf, 16);
    print_kv_hex("fp_mem_hash", h_fp, 16);
    return check_done();
}
