/* glibc-strings: glibc's (ifunc-selected, per-CPU optimised) string and
 * memory functions — strlen, strnlen, memcpy, memmove, memset, memcmp,
 * memchr, memrchr, strcmp, strncmp, strcasecmp, strchr, strrchr, strstr,
 * strspn, strcspn, strcpy/strcat, strtok_r — compared with naive loops at
 * many alignments and lengths.  argv[1] = number of trials (default 300).
 * kind: int */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <inttypes.h>

static int failures;
#define CHECK(c, what) do { if (!(c)) { failures++; if (failures < 20) printf("FAIL %s\n", what); } } while (0)

static uint64_t rng(uint64_t *s) {
    uint64_t x = *s;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static size_t n_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static int sgn(int x) { return (x > 0) - (x < 0); }
static int n_strcmp(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return sgn((unsigned char)*a - (unsigned char)*b);
}
static const char *n_strchr(const char *s, int c) {
    for (;; s++) { if (*s == (char)c) return s; if (!*s) return NULL; }
}
static const char *n_strrchr(const char *s, int c) {
    const char *r = NULL;
    for (;; s++) { if (*s == (char)c) r = s; if (!*s) return r; }
}
static const char *n_strstr(const char *h, const char *nd) {
    size_t m = n_strlen(nd);
    for (; *h; h++) if (strncmp(h, nd, m) == 0) return h;
    return m ? NULL : h;
}

static char A[8192], B[8192], C[8192];

int main(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 300;
    if (n < 10) n = 10;
    printf("glibc-strings n=%ld\n", n);
    uint64_t seed = 0x57121265ull, h = 0;
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;-\xe9\xff";

    for (long t = 0; t < n; t++) {
        size_t off_a = rng(&seed) % 64, off_b = rng(&seed) % 64;
        size_t len = (size_t)(rng(&seed) % ((t % 10 == 0) ? 4000 : 300));
        char *a = A + off_a, *b = B + off_b;
        for (size_t i = 0; i < len; i++) a[i] = alpha[rng(&seed) % (sizeof alpha - 1)];
        a[len] = 0;

        /* strlen / strnlen */
        CHECK(strlen(a) == len && n_strlen(a) == len, "strlen");
        CHECK(strnlen(a, len / 2) == len / 2, "strnlen");

        /* strcpy / memcpy / strcmp */
        strcpy(b, a);
        CHECK(strcmp(a, b) == 0 && memcmp(a, b, len + 1) == 0, "strcpy");
        if (len) {
            size_t k = rng(&seed) % len;
            char old = b[k];
            b[k] = (char)(old + 1 + (char)(rng(&seed) % 5));
            if (b[k] == 0) b[k] = 1;
            CHECK(sgn(strcmp(a, b)) == n_strcmp(a, b), "strcmp sign");
            CHECK(sgn(memcmp(a, b, len)) == n_strcmp(a, b) || (b[k] == 0), "memcmp sign");
            CHECK(strncmp(a, b, k) == 0, "strncmp prefix");
            h = h * 31 + (uint64_t)(sgn(strcmp(a, b)) + 1);
            b[k] = old;
        }

        /* strchr / strrchr / memchr / memrchr */
        int c = alpha[rng(&seed) % (sizeof alpha - 1)];
        CHECK(strchr(a, c) == n_strchr(a, c), "strchr");
        CHECK(strrchr(a, c) == n_strrchr(a, c), "strrchr");
        const char *mc = memchr(a, c, len);
        CHECK(mc == (n_strchr(a, c) && n_strchr(a, c) < a + len ? n_strchr(a, c) : NULL), "memchr");
        const char *mr = memrchr(a, c, len);
        CHECK(mr == (n_strrchr(a, c) && n_strrchr(a, c) < a + len ? n_strrchr(a, c) : NULL), "memrchr");
        CHECK(strchr(a, 0) == a + len, "strchr nul");
        h = h * 31 + (mc ? (uint64_t)(mc - a) : 7777);

        /* strstr with a needle taken from the haystack, and a random one */
        if (len > 8) {
            size_t p = rng(&seed) % (len - 4), m = 1 + rng(&seed) % 6;
            if (p + m > len) m = len - p;
            char nd[16];
            memcpy(nd, a + p, m);
            nd[m] = 0;
            const char *s1 = strstr(a, nd);
            CHECK(s1 == n_strstr(a, nd) && s1 && s1 <= a + p, "strstr");
            h = h * 31 + (uint64_t)(s1 - a);
            CHECK(strstr(a, "qQ9;") == n_strstr(a, "qQ9;"), "strstr random");
        }

        /* strspn / strcspn / strcasecmp */
        size_t sp = strspn(a, "abcdefghijklm"), cs = strcspn(a, " .,");
        size_t nsp = 0, ncs = 0;
        while (a[nsp] && memchr("abcdefghijklm", a[nsp], 13)) nsp++;
        while (a[ncs] && !memchr(" .,", a[ncs], 3)) ncs++;
        CHECK(sp == nsp && cs == ncs, "strspn/strcspn");
        strcpy(C, a);
        for (size_t i = 0; i < len; i++) if (C[i] >= 'a' && C[i] <= 'z') C[i] = (char)(C[i] - 32);
        CHECK(strcasecmp(a, C) == 0, "strcasecmp");
        h = h * 31 + sp * 3 + cs;

        /* memmove with overlap, memset */
        size_t mlen = len / 2, shift = rng(&seed) % 40;
        memcpy(C, A, 4200);
        memmove(A + shift, A, mlen);
        for (size_t i = 0; i < mlen; i++) CHECK(A[shift + i] == C[i], "memmove fwd");
        memcpy(C, B, 4200);
        memmove(B, B + shift, mlen);
        for (size_t i = 0; i < mlen; i++) CHECK(B[i] == C[shift + i], "memmove back");
        memset(C + off_a, (int)(t & 0xff), len);
        for (size_t i = 0; i < len; i++) if ((unsigned char)C[off_a + i] != (t & 0xff)) { CHECK(0, "memset"); break; }
    }
    printf("hash %016" PRIx64 "\n", h);

    /* tokenising and concatenation */
    char text[] = "the quick  brown fox,jumps;over the lazy dog, the end";
    char *save, *tok;
    int ntok = 0;
    char joined[128] = "";
    for (tok = strtok_r(text, " ,;", &save); tok; tok = strtok_r(NULL, " ,;", &save)) {
        ntok++;
        strcat(joined, tok);
        strcat(joined, "|");
    }
    printf("tokens %d %s\n", ntok, joined);
    CHECK(ntok == 11, "strtok_r");
    if (failures) { printf("check FAILED %d\n", failures); return 1; }
    printf("check ok\n");
    return 0;
}
