/* hash: FNV-1a (32/64), CRC-32 (bitwise, table, slice-by-4), Adler-32,
 * SHA-256 and SipHash-2-4, checked against published test vectors, then run
 * over PRNG data.  argv[1] = number of KiB of data hashed (default 48).
 * kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

/* ---- FNV-1a ---- */
static uint32_t fnv1a32(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261u;
    while (n--) { h ^= *p++; h *= 16777619u; }
    return h;
}
static uint64_t fnv1a64(const uint8_t *p, size_t n) {
    uint64_t h = 14695981039346656037ull;
    while (n--) { h ^= *p++; h *= 1099511628211ull; }
    return h;
}

/* ---- CRC-32 (IEEE, reflected) ---- */
static uint32_t crc_tab[4][256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_tab[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 4; t++) crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xff];
}
NOINLINE static uint32_t crc32_bitwise(const uint8_t *p, size_t n) {
    uint32_t c = ~0u;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
    }
    return ~c;
}
NOINLINE static uint32_t crc32_table(const uint8_t *p, size_t n) {
    uint32_t c = ~0u;
    while (n--) c = crc_tab[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}
NOINLINE static uint32_t crc32_slice4(const uint8_t *p, size_t n) {
    uint32_t c = ~0u;
    while (n >= 4) {
        /* endian-neutral: assemble the little-endian word from bytes */
        c ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        c = crc_tab[3][c & 0xff] ^ crc_tab[2][(c >> 8) & 0xff] ^ crc_tab[1][(c >> 16) & 0xff] ^ crc_tab[0][c >> 24];
        p += 4; n -= 4;
    }
    while (n--) c = crc_tab[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

/* ---- Adler-32 ---- */
static uint32_t adler32(const uint8_t *p, size_t n) {
    uint32_t a = 1, b = 0;
    while (n) {
        size_t k = n < 5552 ? n : 5552;
        n -= k;
        while (k--) { a += *p++; b += a; }
        a %= 65521; b %= 65521;
    }
    return b << 16 | a;
}

/* ---- SHA-256 ---- */
static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

struct sha256 { uint32_t h[8]; uint8_t buf[64]; size_t blen; uint64_t total; };

static inline uint32_t ror32(uint32_t x, int r) { return (x >> r) | (x << (32 - r)); }

static void sha256_block(struct sha256 *s, const uint8_t *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
    s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void sha256_init(struct sha256 *s) {
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->blen = 0;
    s->total = 0;
}

static void sha256_update(struct sha256 *s, const uint8_t *p, size_t n) {
    s->total += n;
    while (n) {
        if (s->blen == 0 && n >= 64) { sha256_block(s, p); p += 64; n -= 64; continue; }
        size_t k = 64 - s->blen;
        if (k > n) k = n;
        memcpy(s->buf + s->blen, p, k);
        s->blen += k; p += k; n -= k;
        if (s->blen == 64) { sha256_block(s, s->buf); s->blen = 0; }
    }
}

static void sha256_final(struct sha256 *s, uint8_t out[32]) {
    uint64_t bits = s->total * 8;
    uint8_t pad = 0x80;
    sha256_update(s, &pad, 1);
    uint8_t z = 0;
    while (s->blen != 56) sha256_update(s, &z, 1);
    uint8_t len[8];
    for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24); out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8); out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

static void sha256(const uint8_t *p, size_t n, uint8_t out[32]) {
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, p, n);
    sha256_final(&s, out);
}

static int hexeq(const uint8_t *d, size_t n, const char *hex) {
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++)
        if (hex[2 * i] != hx[d[i] >> 4] || hex[2 * i + 1] != hx[d[i] & 15]) return 0;
    return hex[2 * n] == 0;
}

static void print_digest(const char *key, const uint8_t *d, size_t n) {
    static const char hx[] = "0123456789abcdef";
    print_str(key);
    print_char(' ');
    for (size_t i = 0; i < n; i++) { print_char(hx[d[i] >> 4]); print_char(hx[d[i] & 15]); }
    print_nl();
}

/* ---- SipHash-2-4 ---- */
static inline uint64_t rotl64(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
static inline uint64_t le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
#define SIPROUND                                                                                 \
    do {                                                                                         \
        v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);                            \
        v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;                                                 \
        v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;                                                 \
        v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);                            \
    } while (0)

NOINLINE static uint64_t siphash24(const uint8_t k[16], const uint8_t *m, size_t n) {
    uint64_t k0 = le64(k), k1 = le64(k + 8);
    uint64_t v0 = 0x736f6d6570736575ull ^ k0, v1 = 0x646f72616e646f6dull ^ k1;
    uint64_t v2 = 0x6c7967656e657261ull ^ k0, v3 = 0x7465646279746573ull ^ k1;
    uint64_t b = (uint64_t)n << 56;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t mi = le64(m + i);
        v3 ^= mi; SIPROUND; SIPROUND; v0 ^= mi;
    }
    for (size_t j = 0; i + j < n; j++) b |= (uint64_t)m[i + j] << (8 * j);
    v3 ^= b; SIPROUND; SIPROUND; v0 ^= b;
    v2 ^= 0xff;
    SIPROUND; SIPROUND; SIPROUND; SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

static uint8_t data[65536];

int main(int argc, char **argv) {
    uint64_t kib = arg_u64(argc, argv, 1, 48);
    print_kv_u64("hash kib", kib);
    crc_init();

    /* published test vectors */
    const uint8_t *s9 = (const uint8_t *)"123456789";
    check(crc32_bitwise(s9, 9) == 0xCBF43926u && crc32_table(s9, 9) == 0xCBF43926u &&
          crc32_slice4(s9, 9) == 0xCBF43926u, "crc32 check value");
    check(fnv1a32((const uint8_t *)"a", 1) == 0xe40c292cu, "fnv1a32 'a'");
    check(fnv1a64((const uint8_t *)"a", 1) == 0xaf63dc4c8601ec8cull, "fnv1a64 'a'");
    check(fnv1a32((const uint8_t *)"", 0) == 0x811c9dc5u, "fnv1a32 empty");
    check(adler32((const uint8_t *)"Wikipedia", 9) == 0x11E60398u, "adler32 Wikipedia");
    uint8_t dg[32];
    sha256((const uint8_t *)"abc", 3, dg);
    check(hexeq(dg, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "sha256 abc");
    print_digest("sha256(abc)", dg, 32);
    sha256((const uint8_t *)"", 0, dg);
    check(hexeq(dg, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "sha256 empty");
    const char *m56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256((const uint8_t *)m56, strlen(m56), dg);
    check(hexeq(dg, 32, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"), "sha256 448 bits");
    uint8_t key[16], msg[64];
    for (int i = 0; i < 16; i++) key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++) msg[i] = (uint8_t)i;
    check(siphash24(key, msg, 0) == 0x726fdb47dd0e0e31ull, "siphash empty");
    check(siphash24(key, msg, 15) == 0xa129ca6149be45e5ull, "siphash 15");
    uint64_t sipv = 0;
    for (int len = 0; len < 64; len++) sipv = mix64(sipv, siphash24(key, msg, (size_t)len));
    print_kv_hex("siphash_vectors", sipv, 16);

    /* bulk data, 64 KiB per round */
    struct sha256 st;
    sha256_init(&st);
    uint32_t crc_acc = 0, ad_acc = 0, f32 = 0;
    uint64_t f64 = 0, sip = 0;
    uint64_t seed = 0xfeedface;
    uint64_t left = kib * 1024;
    while (left) {
        size_t n = left < sizeof data ? (size_t)left : sizeof data;
        for (size_t i = 0; i < n; i += 8) {
            uint64_t v = rng_next(&seed);
            for (int b = 0; b < 8; b++) data[i + (size_t)b] = (uint8_t)(v >> (8 * b));
        }
        uint32_t c1 = crc32_table(data, n), c2 = crc32_slice4(data, n);
        check(c1 == c2, "crc table vs slice4");
        if (n <= 4096) check(c1 == crc32_bitwise(data, n), "crc bitwise");
        else check(crc32_bitwise(data, 4096) == crc32_table(data, 4096), "crc bitwise 4k");
        crc_acc ^= c1;
        ad_acc ^= adler32(data, n);
        f32 ^= fnv1a32(data, n);
        f64 ^= fnv1a64(data, n);
        for (size_t off = 0; off + 64 <= n; off += 1024) sip = mix64(sip, siphash24(key, data + off, 64 - (off / 1024) % 64));
        /* feed SHA-256 in odd-sized pieces */
        size_t off = 0, piece = 1;
        while (off < n) {
            size_t k = piece < n - off ? piece : n - off;
            sha256_update(&st, data + off, k);
            off += k;
            piece = piece * 3 % 251 + 1;
        }
        left -= n;
    }
    sha256_final(&st, dg);
    print_kv_hex("crc32_xor", crc_acc, 8);
    print_kv_hex("adler32_xor", ad_acc, 8);
    print_kv_hex("fnv1a32_xor", f32, 8);
    print_kv_hex("fnv1a64_xor", f64, 16);
    print_kv_hex("siphash_mix", sip, 16);
    print_digest("sha256(data)", dg, 32);
    return check_done();
}
