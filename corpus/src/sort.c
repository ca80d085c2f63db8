/* sort: quicksort (median-of-3, recursive), top-down mergesort, heapsort,
 * LSD radix sort and insertion sort on PRNG data (64-bit unsigned, 32-bit
 * signed, records with a stable-sort check); results must agree.
 * argv[1] = number of elements (default 3000); more than 32768 are sorted in
 * rounds of 32768 with fresh data. kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))
#define MAXN 32768

static uint64_t a0[MAXN], a1[MAXN], a2[MAXN], a3[MAXN], tmp64[MAXN];
static int32_t s0[MAXN], s1[MAXN], stmp[MAXN];

struct rec { uint32_t key; uint32_t seq; uint64_t payload; };
static struct rec r0[MAXN], rtmp[MAXN];

static void swap64(uint64_t *a, uint64_t *b) { uint64_t t = *a; *a = *b; *b = t; }

static void insertion64(uint64_t *a, long n) {
    for (long i = 1; i < n; i++) {
        uint64_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

NOINLINE static void quicksort64(uint64_t *a, long lo, long hi) {
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap64(&a[mid], &a[lo]);
        if (a[hi] < a[lo]) swap64(&a[hi], &a[lo]);
        if (a[hi] < a[mid]) swap64(&a[hi], &a[mid]);
        uint64_t p = a[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { swap64(&a[i], &a[j]); i++; j--; }
        }
        /* recurse into the smaller half */
        if (j - lo < hi - i) { quicksort64(a, lo, j); lo = i; }
        else { quicksort64(a, i, hi); hi = j; }
    }
    insertion64(a + lo, hi - lo + 1);
}

NOINLINE static void mergesort64(uint64_t *a, uint64_t *t, long n) {
    if (n < 2) return;
    long h = n / 2;
    mergesort64(a, t, h);
    mergesort64(a + h, t, n - h);
    long i = 0, j = h, k = 0;
    while (i < h && j < n) t[k++] = (a[j] < a[i]) ? a[j++] : a[i++];
    while (i < h) t[k++] = a[i++];
    while (j < n) t[k++] = a[j++];
    memcpy(a, t, (size_t)n * sizeof *a);
}

static void sift_down(uint64_t *a, long i, long n) {
    for (;;) {
        long c = 2 * i + 1;
        if (c >= n) return;
        if (c + 1 < n && a[c + 1] > a[c]) c++;
        if (a[i] >= a[c]) return;
        swap64(&a[i], &a[c]);
        i = c;
    }
}

NOINLINE static void heapsort64(uint64_t *a, long n) {
    for (long i = n / 2 - 1; i >= 0; i--) sift_down(a, i, n);
    for (long e = n - 1; e > 0; e--) { swap64(&a[0], &a[e]); sift_down(a, 0, e); }
}

NOINLINE static void radixsort64(uint64_t *a, uint64_t *t, long n) {
    size_t cnt[256];
    for (int shift = 0; shift < 64; shift += 8) {
        memset(cnt, 0, sizeof cnt);
        for (long i = 0; i < n; i++) cnt[(a[i] >> shift) & 0xff]++;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) { size_t c = cnt[b]; cnt[b] = sum; sum += c; }
        for (long i = 0; i < n; i++) t[cnt[(a[i] >> shift) & 0xff]++] = a[i];
        uint64_t *x = a; a = t; t = x;
    }
    /* 8 passes: data is back in the original array */
}

/* signed 32-bit quicksort via Lomuto partition with comparisons on int32 */
NOINLINE static void qsort32(int32_t *a, long lo, long hi) {
    if (lo >= hi) return;
    int32_t p = a[hi];
    long i = lo;
    for (long j = lo; j < hi; j++)
        if (a[j] < p) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; }
    int32_t t = a[i]; a[i] = a[hi]; a[hi] = t;
    qsort32(a, lo, i - 1);
    qsort32(a, i + 1, hi);
}

NOINLINE static void msort32(int32_t *a, int32_t *t, long n) {
    /* bottom-up */
    for (long w = 1; w < n; w *= 2) {
        for (long lo = 0; lo < n; lo += 2 * w) {
            long mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi) t[k++] = a[j] < a[i] ? a[j++] : a[i++];
            while (i < mid) t[k++] = a[i++];
            while (j < hi) t[k++] = a[j++];
        }
        memcpy(a, t, (size_t)n * sizeof *a);
    }
}

/* stable mergesort of records by key */
NOINLINE static void msort_rec(struct rec *a, struct rec *t, long n) {
    if (n < 2) return;
    long h = n / 2;
    msort_rec(a, t, h);
    msort_rec(a + h, t, n - h);
    long i = 0, j = h, k = 0;
    while (i < h && j < n) t[k++] = (a[j].key < a[i].key) ? a[j++] : a[i++];
    while (i < h) t[k++] = a[i++];
    while (j < n) t[k++] = a[j++];
    for (long q = 0; q < n; q++) a[q] = t[q];
}

static uint64_t h, hr, h32;

static void round_(long n, uint64_t rseed, int verbose) {
    uint64_t seed = 0x5eed5eed5eedull ^ rseed;
    for (long i = 0; i < n; i++) {
        uint64_t v = rng_next(&seed);
        if (i % 10 == 3) v &= 0xff;          /* duplicates */
        if (i % 17 == 5) v = a0[i / 2];     /* more duplicates */
        a0[i] = v;
    }
    memcpy(a1, a0, (size_t)n * 8);
    memcpy(a2, a0, (size_t)n * 8);
    memcpy(a3, a0, (size_t)n * 8);
    uint64_t sum_before = 0, x_before = 0;
    for (long i = 0; i < n; i++) { sum_before += a0[i]; x_before ^= a0[i] * 0x9E3779B97F4A7C15ull; }

    quicksort64(a0, 0, n - 1);
    mergesort64(a1, tmp64, n);
    heapsort64(a2, n);
    radixsort64(a3, tmp64, n);

    uint64_t sum_after = 0, x_after = 0;
    for (long i = 0; i < n; i++) {
        check(a0[i] == a1[i] && a1[i] == a2[i] && a2[i] == a3[i], "sorts agree");
        if (i) check(a0[i - 1] <= a0[i], "sorted64");
        sum_after += a0[i];
        x_after ^= a0[i] * 0x9E3779B97F4A7C15ull;
        h = mix64(h, a0[i]);
    }
    check(sum_before == sum_after && x_before == x_after, "permutation");
    if (verbose) {
        print_kv_hex("u64_min", a0[0], 16);
        print_kv_hex("u64_median", a0[n / 2], 16);
        print_kv_hex("u64_max", a0[n - 1], 16);
    }

    /* signed 32-bit */
    seed = 31337 ^ rseed;
    for (long i = 0; i < n; i++) {
        int32_t v = (int32_t)(rng_next(&seed) >> 32);
        if (i % 7 == 0) v %= 1000;
        s0[i] = s1[i] = v;
    }
    qsort32(s0, 0, n - 1);
    msort32(s1, stmp, n);
    long negs = 0;
    for (long i = 0; i < n; i++) {
        check(s0[i] == s1[i], "sort32 agree");
        if (i) check(s0[i - 1] <= s0[i], "sorted32");
        negs += s0[i] < 0;
        h32 = mix64(h32, (uint64_t)(int64_t)s0[i]);
    }
    if (verbose) {
        print_kv_i64("i32_min", s0[0]);
        print_kv_i64("i32_max", s0[n - 1]);
        print_kv_i64("i32_negatives", negs);
    }

    /* stable record sort */
    seed = 4242 ^ rseed;
    for (long i = 0; i < n; i++) {
        r0[i].key = (uint32_t)(rng_next(&seed) % 97);
        r0[i].seq = (uint32_t)i;
        r0[i].payload = rng_next(&seed);
    }
    msort_rec(r0, rtmp, n);
    for (long i = 0; i < n; i++) {
        if (i) {
            check(r0[i - 1].key <= r0[i].key, "rec sorted");
            if (r0[i - 1].key == r0[i].key) check(r0[i - 1].seq < r0[i].seq, "stable");
        }
        hr = mix64(hr, ((uint64_t)r0[i].key << 32 | r0[i].seq) ^ r0[i].payload);
    }
}

int main(int argc, char **argv) {
    uint64_t total = arg_u64(argc, argv, 1, 3000);
    print_kv_u64("sort n", total);
    uint64_t r = 0;
    for (uint64_t done = 0; done < total; r++) {
        long n = (long)(total - done < MAXN ? total - done : MAXN);
        round_(n, r * 0x1000193ull, r == 0);
        done += (uint64_t)n;
    }
    print_kv_hex("u64_hash", h, 16);
    print_kv_hex("i32_hash", h32, 16);
    print_kv_hex("rec_hash", hr, 16);
    return check_done();
}
