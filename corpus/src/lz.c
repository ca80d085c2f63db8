/* lz: LZ77 compression with hash chains (greedy, with lazy matching) and
 * decompression of generated semi-repetitive text; plus run-length coding
 * and a canonical Huffman code-length computation.  Every round trip must
 * reproduce the input exactly.
 * argv[1] = input size in KiB (default 12; rounds of at most 64 KiB). kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))
#define MAXIN 65536
#define WINDOW 4096
#define MINMATCH 3
#define MAXMATCH 258
#define HBITS 12

static uint8_t in[MAXIN], out[MAXIN * 2 + 64], dec[MAXIN];
static int32_t head[1 << HBITS], prev_[MAXIN];

static const char *const frags[] = {
    "power", "isa ", "load ", "store ", "branch ", "emulator ", "the ", "and ", "replay ", "0x",
    "deadbeef", "\n", "    ", "{", "}", "(r1)", "mtspr ", "lwz r3,8", "cafe", "zz",
};

static uint32_t hash3(const uint8_t *p) { return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) * 2654435761u >> (32 - HBITS); }

static size_t longest(const uint8_t *a, const uint8_t *b, size_t max) {
    size_t n = 0;
    while (n < max && a[n] == b[n]) n++;
    return n;
}

static void find_match(size_t pos, size_t n, size_t *best_len, size_t *best_dist) {
    *best_len = 0; *best_dist = 0;
    if (pos + MINMATCH > n) return;
    size_t max = n - pos < MAXMATCH ? n - pos : MAXMATCH;
    int32_t cand = head[hash3(in + pos)];
    int chain = 32;
    while (cand >= 0 && pos - (size_t)cand <= WINDOW && chain--) {
        size_t l = longest(in + cand, in + pos, max);
        if (l > *best_len) { *best_len = l; *best_dist = pos - (size_t)cand; if (l == max) break; }
        cand = prev_[cand];
    }
}

static void insert(size_t pos, size_t n) {
    if (pos + MINMATCH > n) return;
    uint32_t h = hash3(in + pos);
    prev_[pos] = head[h];
    head[h] = (int32_t)pos;
}

/* format: literal run  0LLLLLLL (1..128 literals follow)
 *         match        1LLLLLLL DDDDDDDD DDDDDDDD (len-3 in 7 bits + extra byte if 127) */
NOINLINE static size_t compress(size_t n) {
    for (int i = 0; i < (1 << HBITS); i++) head[i] = -1;
    size_t op = 0, lit_start = 0, pos = 0;
#define FLUSH_LITS(end)                                                                    \
    while (lit_start < (end)) {                                                            \
        size_t k = (end) - lit_start;                                                      \
        if (k > 128) k = 128;                                                              \
        out[op++] = (uint8_t)(k - 1);                                                      \
        memcpy(out + op, in + lit_start, k);                                               \
        op += k;                                                                           \
        lit_start += k;                                                                    \
    }
    while (pos < n) {
        size_t len, dist;
        find_match(pos, n, &len, &dist);
        if (len >= MINMATCH && pos + 1 < n) { /* lazy: is the next position better? */
            size_t l2, d2;
            insert(pos, n);
            find_match(pos + 1, n, &l2, &d2);
            if (l2 > len + 1) { pos++; len = l2; dist = d2; }
        } else {
            insert(pos, n);
        }
        if (len >= MINMATCH) {
            FLUSH_LITS(pos);
            size_t code = len - MINMATCH;
            if (code < 127) out[op++] = (uint8_t)(0x80 | code);
            else { out[op++] = 0xff; out[op++] = (uint8_t)(code - 127); }
            out[op++] = (uint8_t)(dist >> 8);
            out[op++] = (uint8_t)dist;
            for (size_t k = 1; k < len; k++) insert(pos + k, n);
            pos += len;
            lit_start = pos;
        } else {
            pos++;
        }
    }
    FLUSH_LITS(n);
    return op;
}

NOINLINE static size_t decompress(size_t clen, size_t cap) {
    size_t ip = 0, op = 0;
    while (ip < clen) {
        uint8_t c = out[ip++];
        if (c < 0x80) {
            size_t k = (size_t)c + 1;
            if (op + k > cap) return (size_t)-1;
            memcpy(dec + op, out + ip, k);
            ip += k; op += k;
        } else {
            size_t len = (size_t)(c & 0x7f);
            if (len == 127) len += out[ip++];
            len += MINMATCH;
            size_t dist = (size_t)out[ip] << 8 | out[ip + 1];
            ip += 2;
            if (dist == 0 || dist > op || op + len > cap) return (size_t)-1;
            for (size_t k = 0; k < len; k++, op++) dec[op] = dec[op - dist]; /* may overlap */
        }
    }
    return op;
}

NOINLINE static size_t rle_encode(const uint8_t *src, size_t n, uint8_t *dst) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t r = 1;
        while (i + r < n && src[i + r] == src[i] && r < 255) r++;
        dst[o++] = (uint8_t)r;
        dst[o++] = src[i];
        i += r;
    }
    return o;
}
NOINLINE static size_t rle_decode(const uint8_t *src, size_t n, uint8_t *dst) {
    size_t o = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        for (uint8_t k = 0; k < src[i]; k++) dst[o++] = src[i + 1];
    return o;
}

/* Huffman code lengths by repeatedly merging the two lightest nodes */
NOINLINE static uint64_t huffman_bits(const uint8_t *p, size_t n, int *maxlen) {
    uint64_t freq[512];
    int parent[512], nn = 256;
    int alive[512];
    memset(freq, 0, sizeof freq);
    for (size_t i = 0; i < n; i++) freq[p[i]]++;
    for (int i = 0; i < 512; i++) { parent[i] = -1; alive[i] = i < 256 && freq[i] > 0; }
    for (;;) {
        int a = -1, b = -1;
        for (int i = 0; i < nn; i++) {
            if (!alive[i]) continue;
            if (a < 0 || freq[i] < freq[a]) { b = a; a = i; }
            else if (b < 0 || freq[i] < freq[b]) b = i;
        }
        if (b < 0) break;
        freq[nn] = freq[a] + freq[b];
        alive[nn] = 1; alive[a] = alive[b] = 0;
        parent[a] = parent[b] = nn;
        nn++;
    }
    uint64_t bits = 0;
    *maxlen = 0;
    for (int s = 0; s < 256; s++) {
        if (!freq[s]) continue;
        int d = 0;
        for (int x = s; parent[x] >= 0; x = parent[x]) d++;
        if (d > *maxlen) *maxlen = d;
        bits += freq[s] * (uint64_t)d;
    }
    return bits;
}

int main(int argc, char **argv) {
    uint64_t kib = arg_u64(argc, argv, 1, 12);
    print_kv_u64("lz kib", kib);
    uint64_t seed = 0x1234abcd;
    uint64_t total_in = 0, total_c = 0, total_rle = 0, total_huff = 0, h = 0;
    int maxlen_all = 0;
    for (uint64_t left = kib * 1024; left;) {
        size_t n = left < MAXIN ? (size_t)left : MAXIN;
        left -= n;
        /* generate text: fragments, occasional repeats of earlier text, runs */
        size_t pos = 0;
        while (pos < n) {
            uint64_t r = rng_next(&seed);
            if ((r & 7) == 0 && pos > 64) {
                size_t d = 1 + (size_t)((r >> 8) % (pos < 3000 ? pos : 3000));
                size_t l = 4 + (size_t)((r >> 24) % 40);
                for (size_t k = 0; k < l && pos < n; k++, pos++) in[pos] = in[pos - d];
            } else if ((r & 31) == 1) {
                size_t l = 3 + (size_t)((r >> 8) % 60);
                for (size_t k = 0; k < l && pos < n; k++) in[pos++] = (uint8_t)('a' + (r >> 40) % 26);
            } else {
                const char *f = frags[(r >> 8) % ARRAY_LEN(frags)];
                while (*f && pos < n) in[pos++] = (uint8_t)*f++;
            }
        }
        size_t clen = compress(n);
        size_t dlen = decompress(clen, MAXIN);
        check(dlen == n && memcmp(in, dec, n) == 0, "lz roundtrip");
        size_t rl = rle_encode(in, n, out);
        size_t rd = rle_decode(out, rl, dec);
        check(rd == n && memcmp(in, dec, n) == 0, "rle roundtrip");
        int ml;
        uint64_t hb = huffman_bits(in, n, &ml);
        check(hb <= 8 * (uint64_t)n && hb >= (uint64_t)n, "huffman bound");
        if (ml > maxlen_all) maxlen_all = ml;
        total_in += n; total_c += clen; total_rle += rl; total_huff += hb;
        for (size_t i = 0; i < n; i += 97) h = mix64(h, in[i]);
        h = mix64(h, clen);
    }
    print_kv_u64("input_bytes", total_in);
    print_kv_u64("lz_bytes", total_c);
    print_kv_u64("rle_bytes", total_rle);
    print_kv_u64("huffman_bits", total_huff);
    print_kv_u64("huffman_maxlen", (uint64_t)maxlen_all);
    print_kv_u64("lz_ratio_permille", total_c * 1000 / total_in);
    print_kv_hex("hash", h, 16);
    return check_done();
}
