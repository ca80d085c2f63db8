/* strings: C string routines implemented here (byte-wise and word-at-a-time
 * strlen, strcmp, strchr, strstr naive / KMP / Horspool), tokenising,
 * case mapping, integer <-> decimal text, insertion sort of words.
 * argv[1] = number of words of generated text (default 2000); texts longer
 * than 8000 words are processed in rounds of 8000. kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

static const char *const vocab[] = {
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "power", "isa",
    "emulator", "replay", "vector", "scalar", "branch", "link", "register", "condition",
    "a", "an", "of", "to", "in", "is", "it", "prefix", "suffix", "load", "store", "byte",
    "halfword", "word", "doubleword", "quadword", "xyzzy", "aaaaab", "aaab", "abab",
};

static char text[120000];
static char *words[8192];

NOINLINE static size_t my_strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

/* word-at-a-time strlen: aligned 8-byte reads never cross a page boundary */
NOINLINE static size_t my_strlen_word(const char *s) {
    const char *p = s;
    while ((uintptr_t)p & 7) {
        if (!*p) return (size_t)(p - s);
        p++;
    }
    typedef uint64_t __attribute__((may_alias)) u64a;
    const u64a *w = (const u64a *)p;
    for (;;) {
        uint64_t v = *w;
        if ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) break;
        w++;
    }
    p = (const char *)w;
    while (*p) p++;
    return (size_t)(p - s);
}

NOINLINE static int my_strcmp(const char *a, const char *b) {
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *p == *q) { p++; q++; }
    return (int)*p - (int)*q;
}

NOINLINE static const char *my_strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c) return s;
        if (!*s) return 0;
    }
}

NOINLINE static size_t count_naive(const char *t, size_t n, const char *pat, size_t m) {
    size_t c = 0;
    if (m == 0 || m > n) return 0;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && t[i + j] == pat[j]) j++;
        if (j == m) c++;
    }
    return c;
}

NOINLINE static size_t count_kmp(const char *t, size_t n, const char *pat, size_t m) {
    int fail[64];
    size_t c = 0;
    if (m == 0 || m > n || m > 64) return 0;
    fail[0] = 0;
    for (size_t i = 1, k = 0; i < m; i++) {
        while (k && pat[i] != pat[k]) k = (size_t)fail[k - 1];
        if (pat[i] == pat[k]) k++;
        fail[i] = (int)k;
    }
    for (size_t i = 0, k = 0; i < n; i++) {
        while (k && t[i] != pat[k]) k = (size_t)fail[k - 1];
        if (t[i] == pat[k]) k++;
        if (k == m) { c++; k = (size_t)fail[k - 1]; }
    }
    return c;
}

NOINLINE static size_t count_horspool(const char *t, size_t n, const char *pat, size_t m) {
    size_t shift[256];
    size_t c = 0;
    if (m == 0 || m > n) return 0;
    for (int i = 0; i < 256; i++) shift[i] = m;
    for (size_t i = 0; i + 1 < m; i++) shift[(unsigned char)pat[i]] = m - 1 - i;
    size_t i = 0;
    while (i + m <= n) {
        unsigned char last = (unsigned char)t[i + m - 1];
        if (last == (unsigned char)pat[m - 1] && memcmp(t + i, pat, m - 1) == 0) c++;
        i += shift[last];
    }
    return c;
}

static const char *my_strstr(const char *h, const char *nd) {
    size_t m = my_strlen(nd);
    if (!m) return h;
    for (; *h; h++) {
        size_t j = 0;
        while (j < m && h[j] == nd[j]) j++;
        if (j == m) return h;
    }
    return 0;
}

static size_t utoa10(uint64_t v, char *out) {
    char tmp[24];
    size_t n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
    return n;
}

static int64_t atoi64(const char *s) {
    int neg = 0;
    uint64_t v = 0;
    while (*s == ' ') s++;
    if (*s == '-') { neg = 1; s++; } else if (*s == '+') s++;
    while (*s >= '0' && *s <= '9') v = v * 10 + (uint64_t)(*s++ - '0');
    return neg ? -(int64_t)v : (int64_t)v;
}

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) { h ^= (unsigned char)*s++; h *= 16777619u; }
    return h;
}

static int verbose;
static uint64_t total_hash;
#define VPRINT(x) do { if (verbose) { x; } } while (0)

static void run(uint64_t nw, uint64_t r) {

    /* generate text */
    uint64_t seed = 2024 + r * 1000003;
    size_t len = 0;
    for (uint64_t i = 0; i < nw; i++) {
        const char *w = vocab[rng_next(&seed) % ARRAY_LEN(vocab)];
        size_t wl = my_strlen(w);
        memcpy(text + len, w, wl);
        len += wl;
        text[len++] = (i % 11 == 10) ? '\n' : ' ';
    }
    text[len] = 0;
    size_t l1 = my_strlen(text), l2 = my_strlen_word(text);
    check(l1 == len && l2 == len && strlen(text) == len, "strlen");
    for (size_t off = 0; off < 16; off++) check(my_strlen_word(text + off) == len - off, "strlen offset");
    VPRINT(print_kv_u64("text_len", len));

    /* pattern search, three algorithms */
    static const char *const pats[] = {"the", "aab", "abab", "o", "quick brown", "word ", "ab", "aaaaab", "zzz",
                                       "e l", "register condition"};
    uint64_t hs = 0;
    for (unsigned k = 0; k < ARRAY_LEN(pats); k++) {
        size_t m = my_strlen(pats[k]);
        size_t a = count_naive(text, len, pats[k], m);
        size_t b = count_kmp(text, len, pats[k], m);
        size_t c = count_horspool(text, len, pats[k], m);
        check(a == b && b == c, "search agree");
        hs = mix64(hs, a);
        VPRINT(print_str("count '"); print_str(pats[k]); print_str("' "); print_u64(a); print_nl());
    }
    VPRINT(print_kv_hex("search_hash", hs, 16));
    const char *f = my_strstr(text, "lazy dog");
    check(!f || (f[0] == 'l' && f[5] == 'd'), "strstr");
    VPRINT(print_kv_i64("first_lazy_dog", f ? (int64_t)(f - text) : -1));

    /* tokenise into words (in place) */
    static char copy[120000];
    memcpy(copy, text, len + 1);
    size_t nwords = 0;
    char *p = copy;
    while (*p && nwords < ARRAY_LEN(words)) {
        while (*p == ' ' || *p == '\n') p++;
        if (!*p) break;
        words[nwords++] = p;
        char *sp = p;
        while (*sp && *sp != ' ' && *sp != '\n') sp++;
        if (*sp) { *sp = 0; p = sp + 1; } else p = sp;
    }
    check(nwords == nw, "word count");
    size_t nl = 0;
    for (const char *q = text; (q = my_strchr(q, '\n')); q++) nl++;
    check(nl == nw / 11, "newline count");

    /* insertion sort of the first 600 words, check order with my_strcmp */
    size_t ns = nwords < 600 ? nwords : 600;
    for (size_t i = 1; i < ns; i++) {
        char *w = words[i];
        size_t j = i;
        while (j > 0 && my_strcmp(words[j - 1], w) > 0) { words[j] = words[j - 1]; j--; }
        words[j] = w;
    }
    uint64_t hw = 0;
    for (size_t i = 0; i + 1 < ns; i++) check(my_strcmp(words[i], words[i + 1]) <= 0, "sorted");
    for (size_t i = 0; i < ns; i++) hw = mix64(hw, fnv1a(words[i]));
    VPRINT(print_str("smallest "); print_str(words[0]); print_str(" largest "); print_str(words[ns - 1]); print_nl());
    VPRINT(print_kv_hex("sorted_hash", hw, 16));

    /* case mapping and reversal */
    uint64_t hc = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        copy[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
    }
    for (size_t i = 0, j = len - 1; i < j; i++, j--) { char t = copy[i]; copy[i] = copy[j]; copy[j] = t; }
    for (size_t i = 0; i < len; i++) {
        char c = copy[len - 1 - i];
        check((c | 0x20) == (text[i] | 0x20), "case/reverse");
        hc = hc * 31 + (unsigned char)c;
    }
    VPRINT(print_kv_hex("upper_rev_hash", hc, 16));

    /* integer <-> text round trip */
    char buf[32];
    uint64_t hn = 0;
    seed = 77 + r;
    for (uint64_t i = 0; i < nw; i++) {
        uint64_t v = rng_next(&seed) >> (i % 64);
        int64_t sv = (i & 1) ? -(int64_t)(v >> 1) : (int64_t)(v >> 1);
        size_t k = 0;
        if (sv < 0) buf[k++] = '-';
        k += utoa10(sv < 0 ? -(uint64_t)sv : (uint64_t)sv, buf + k);
        check(atoi64(buf) == sv, "atoi roundtrip");
        check(my_strlen(buf) == k, "utoa len");
        hn = mix64(hn, fnv1a(buf));
    }
    VPRINT(print_kv_hex("itoa_hash", hn, 16));

    check(my_strcmp("abc", "abd") < 0 && my_strcmp("b", "abc") > 0 && my_strcmp("", "") == 0, "strcmp known");
    check(my_strcmp("\xff", "a") > 0, "strcmp unsigned");
    total_hash = mix64(total_hash, hs ^ hw ^ hc ^ hn ^ len);
}

int main(int argc, char **argv) {
    uint64_t total = arg_u64(argc, argv, 1, 2000);
    print_kv_u64("strings words", total);
    uint64_t r = 0;
    for (uint64_t done = 0; done < total; r++) {
        uint64_t nw = total - done < 8000 ? total - done : 8000;
        verbose = (r == 0);
        run(nw, r);
        done += nw;
    }
    print_kv_hex("total_hash", total_hash, 16);
    return check_done();
}
