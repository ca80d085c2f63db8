/* sieve: sieve of Eratosthenes three ways — byte array, odd-only bit array
 * (64-bit words), and a segmented sieve — plus prime sums, twin primes,
 * prime gaps and a Goldbach check.  Prime counts are checked against known
 * values of pi(x).  argv[1] = sieve limit (default 100000, max 8000000).
 * kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))
#define MAXL 8000000u

static uint8_t comp[MAXL + 1];
static uint64_t bits[MAXL / 128 + 2];
static uint32_t small_primes[8192];

NOINLINE static void sieve_bytes(uint32_t L) {
    memset(comp, 0, L + 1);
    comp[0] = comp[1] = 1;
    for (uint32_t p = 2; (uint64_t)p * p <= L; p++)
        if (!comp[p])
            for (uint32_t q = p * p; q <= L; q += p) comp[q] = 1;
}

/* bit i of `bits` represents the odd number 2i+1; a set bit means composite */
NOINLINE static void sieve_bits(uint32_t L) {
    uint32_t nb = L / 2 + 1;
    memset(bits, 0, ((nb + 63) / 64) * 8);
    bits[0] |= 1; /* 1 is not prime */
    for (uint32_t p = 3; (uint64_t)p * p <= L; p += 2) {
        uint32_t i = p / 2;
        if (bits[i >> 6] >> (i & 63) & 1) continue;
        for (uint32_t q = p * p / 2; q < nb; q += p) bits[q >> 6] |= 1ull << (q & 63);
    }
}

static int bit_prime(uint32_t n) {
    if (n < 2) return 0;
    if (n == 2) return 1;
    if (!(n & 1)) return 0;
    uint32_t i = n / 2;
    return !(bits[i >> 6] >> (i & 63) & 1);
}

NOINLINE static uint64_t count_bits(uint32_t L) {
    uint32_t nb = (L - 1) / 2 + 1; /* odd numbers 1..L */
    uint64_t c = L >= 2;           /* the prime 2 */
    uint32_t full = nb / 64;
    for (uint32_t w = 0; w < full; w++) c += 64 - (uint64_t)__builtin_popcountll(bits[w]);
    for (uint32_t i = full * 64; i < nb; i++) c += !(bits[i >> 6] >> (i & 63) & 1);
    return c;
}

/* segmented sieve over [2, L] with a 32 KiB window */
NOINLINE static uint64_t sieve_segmented(uint32_t L, uint64_t *sum) {
    static uint8_t seg[32768];
    uint32_t r = 1;
    while ((uint64_t)(r + 1) * (r + 1) <= L) r++;
    uint32_t np = 0;
    for (uint32_t p = 2; p <= r; p++) {
        int pr = 1;
        for (uint32_t k = 0; k < np && small_primes[k] * small_primes[k] <= p; k++)
            if (p % small_primes[k] == 0) { pr = 0; break; }
        if (pr) small_primes[np++] = p;
    }
    uint64_t cnt = 0, s = 0;
    for (uint64_t lo = 2; lo <= L; lo += sizeof seg) {
        uint64_t hi = lo + sizeof seg - 1;
        if (hi > L) hi = L;
        memset(seg, 0, (size_t)(hi - lo + 1));
        for (uint32_t k = 0; k < np; k++) {
            uint64_t p = small_primes[k];
            uint64_t st = p * p;
            if (st < lo) st = (lo + p - 1) / p * p;
            for (uint64_t q = st; q <= hi; q += p) seg[q - lo] = 1;
        }
        for (uint64_t x = lo; x <= hi; x++)
            if (!seg[x - lo]) { cnt++; s += x; }
    }
    *sum = s;
    return cnt;
}

int main(int argc, char **argv) {
    uint64_t L64 = arg_u64(argc, argv, 1, 100000);
    if (L64 > MAXL) L64 = MAXL;
    if (L64 < 100) L64 = 100;
    uint32_t L = (uint32_t)L64;
    print_kv_u64("sieve limit", L);

    sieve_bytes(L);
    sieve_bits(L);

    static const struct { uint32_t x; uint32_t pi; } known[] = {
        {10, 4}, {100, 25}, {1000, 168}, {10000, 1229}, {65536, 6542}, {100000, 9592},
        {300000, 25997}, {1000000, 78498}, {4000000, 283146}, {0xffffffffu, 0},
    };
    uint64_t cnt = 0, sum = 0, twins = 0, maxgap = 0, gap_at = 0, last = 0, mismatches = 0;
    unsigned k = 0;
    for (uint32_t n = 0; n <= L; n++) {
        int p = !comp[n];
        mismatches += (uint64_t)(p != bit_prime(n));
        if (p) {
            cnt++;
            sum += n;
            if (last && n - last == 2) twins++;
            if (last && n - last > maxgap) { maxgap = n - last; gap_at = last; }
            last = n;
        }
        if (n == known[k].x) {
            check(cnt == known[k].pi, "pi(x) known value");
            k++;
        }
    }
    check(mismatches == 0, "byte vs bit sieve");
    check(count_bits(L) == cnt, "popcount count");
    uint64_t ssum;
    check(sieve_segmented(L, &ssum) == cnt && ssum == sum, "segmented");
    print_kv_u64("pi", cnt);
    print_kv_u64("prime_sum", sum);
    print_kv_u64("twin_pairs", twins);
    print_kv_u64("max_gap", maxgap);
    print_kv_u64("max_gap_after", gap_at);
    print_kv_u64("largest_prime", last);

    /* Goldbach for even numbers up to min(L, 20000) */
    uint32_t G = L < 20000 ? L : 20000;
    uint64_t gsum = 0;
    for (uint32_t e = 4; e <= G; e += 2) {
        uint32_t p = 2;
        while (comp[p] || comp[e - p]) p++;
        check(p <= e / 2, "goldbach");
        gsum += p;
    }
    print_kv_u64("goldbach_sum", gsum);
    return check_done();
}
