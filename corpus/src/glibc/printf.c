/* glibc-printf: stdio formatting (printf/snprintf with integer, string and
 * floating conversions), strtod/strtol/strtoull parsing round trips, qsort
 * and bsearch on records, and heavy malloc/realloc/free traffic.
 * argv[1] = number of records (default 500). kind: int */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <inttypes.h>

static int failures;
#define CHECK(c, what) do { if (!(c)) { failures++; printf("FAIL %s\n", what); } } while (0)

static uint64_t rng(uint64_t *s) {
    uint64_t x = *s;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

struct rec { char name[32]; int64_t key; double val; };

static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return strcmp(x->name, y->name);
}
static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 500;
    if (n < 10) n = 10;
    printf("glibc-printf n=%ld\n", n);
    uint64_t seed = 0x9876543210ull;

    /* formatting then parsing back */
    char buf[256];
    uint64_t h = 1469598103934665603ull;
    long mism = 0;
    for (long i = 0; i < n; i++) {
        uint64_t r = rng(&seed);
        int64_t si = (int64_t)r >> (i % 64);
        double d = (double)(int64_t)(r >> 11) / (double)(1ull << (i % 60)) * ((i & 1) ? -1.0 : 1.0);
        int len = snprintf(buf, sizeof buf, "%" PRId64 " %#" PRIx64 " %.17g %e %s|%-6.3s|%5c", si, r, d, d,
                           (i % 3) ? "abc" : "xyzzy", "truncate", (char)('A' + i % 26));
        CHECK(len > 0 && (size_t)len == strlen(buf), "snprintf length");
        for (int k = 0; k < len; k++) h = (h ^ (unsigned char)buf[k]) * 1099511628211ull;
        char *end;
        int64_t si2 = strtoll(buf, &end, 10);
        uint64_t r2 = strtoull(end, &end, 16);
        double d2 = strtod(end, &end);
        mism += si2 != si || r2 != r || d2 != d;
    }
    CHECK(mism == 0, "strto* round trip");
    printf("format_hash %016" PRIx64 "\n", h);

    /* some fixed formatting */
    printf("[%8.3f] [%-8d] [%08x] [%+.2e] [%g] [%g] [%s]\n", 3.14159265, -42, 0xbeefu, 12345.678, 1e-5, 1e21, "str");
    printf("[%lld] [%llu] [%hhd] [%5.1f%%]\n", (long long)INT64_MIN, (unsigned long long)UINT64_MAX, (signed char)200, 99.5);
    printf("[%a] [%.0f] [%.0f] [%.3g]\n", 1.0, 0.5, 2.5, 1234567.0);

    /* records: malloc each name, qsort, bsearch */
    struct rec *recs = malloc((size_t)n * sizeof *recs);
    char **names = malloc((size_t)n * sizeof *names);
    for (long i = 0; i < n; i++) {
        uint64_t r = rng(&seed);
        recs[i].key = (int64_t)(r % 1000) - 500;
        snprintf(recs[i].name, sizeof recs[i].name, "rec%05ld-%02x", i, (unsigned)(r >> 56));
        recs[i].val = (double)(r >> 40) / 3.0;
        names[i] = strdup(recs[i].name);
    }
    qsort(recs, (size_t)n, sizeof *recs, cmp_rec);
    long unsorted = 0;
    for (long i = 1; i < n; i++) unsorted += cmp_rec(&recs[i - 1], &recs[i]) > 0;
    CHECK(unsorted == 0, "qsort order");
    long found = 0;
    for (long i = 0; i < n; i += 7) {
        struct rec key = recs[i];
        found += bsearch(&key, recs, (size_t)n, sizeof *recs, cmp_rec) != NULL;
    }
    CHECK(found == (n + 6) / 7, "bsearch");
    printf("first %s %" PRId64 " %.4f\n", recs[0].name, recs[0].key, recs[0].val);
    printf("last %s %" PRId64 " %.4f\n", recs[n - 1].name, recs[n - 1].key, recs[n - 1].val);

    /* realloc-grown array, frees in a scrambled order */
    int64_t *arr = NULL;
    size_t cap = 0, len = 0;
    for (long i = 0; i < n * 4; i++) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4;
            arr = realloc(arr, cap * sizeof *arr);
        }
        arr[len++] = (int64_t)(rng(&seed) % 100000) - 50000;
    }
    qsort(arr, len, sizeof *arr, cmp_i64);
    int64_t sum = 0;
    for (size_t i = 0; i < len; i++) sum += arr[i] * (int64_t)(i % 7);
    printf("array min %" PRId64 " max %" PRId64 " wsum %" PRId64 "\n", arr[0], arr[len - 1], sum);
    for (long i = 0; i < n; i++) {
        long j = (i * 7919) % n;
        free(names[j]);
        names[j] = NULL;
    }
    long leftover = 0;
    for (long i = 0; i < n; i++) leftover += names[i] != NULL;
    CHECK(leftover == 0, "all freed");
    /* many small allocations of varied sizes */
    void *blocks[64] = {0};
    uint64_t bsum = 0;
    for (long i = 0; i < n * 8; i++) {
        int k = (int)(rng(&seed) % 64);
        free(blocks[k]);
        size_t sz = 1 + (size_t)(rng(&seed) % 2000);
        blocks[k] = malloc(sz);
        memset(blocks[k], k, sz);
        bsum += sz;
    }
    for (int k = 0; k < 64; k++) free(blocks[k]);
    free(arr); free(names); free(recs);
    printf("bytes_allocated %" PRIu64 "\n", bsum);

    if (failures) { printf("check FAILED %d\n", failures); return 1; }
    printf("check ok\n");
    return 0;
}
