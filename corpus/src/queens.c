/* queens: recursion and backtracking — N-queens by bitmask backtracking and
 * by array backtracking, Ackermann, Takeuchi's tak, Towers of Hanoi,
 * permutation generation (Heap's algorithm) and a recursive flood fill.
 * argv[1] = largest board size for N-queens (default 8, max 14). kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

static const uint64_t known_queens[] = {1, 1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2680, 14200, 73712, 365596};

NOINLINE static uint64_t queens_bits(int n, uint32_t cols, uint32_t d1, uint32_t d2) {
    uint32_t full = (1u << n) - 1;
    if (cols == full) return 1;
    uint64_t c = 0;
    uint32_t avail = full & ~(cols | d1 | d2);
    while (avail) {
        uint32_t b = avail & -avail;
        avail ^= b;
        c += queens_bits(n, cols | b, (d1 | b) << 1, (d2 | b) >> 1);
    }
    return c;
}

static int qpos[16];
NOINLINE static uint64_t queens_array(int n, int row) {
    if (row == n) return 1;
    uint64_t c = 0;
    for (int col = 0; col < n; col++) {
        int ok = 1;
        for (int r = 0; r < row; r++) {
            int d = qpos[r] - col;
            if (d == 0 || d == row - r || d == r - row) { ok = 0; break; }
        }
        if (ok) { qpos[row] = col; c += queens_array(n, row + 1); }
    }
    return c;
}

NOINLINE static uint64_t ack(uint64_t m, uint64_t n) {
    while (m) {
        n = n ? ack(m, n - 1) : 1;
        m--;
    }
    return n + 1;
}

static uint64_t tak_calls;
NOINLINE static int tak(int x, int y, int z) {
    tak_calls++;
    if (y >= x) return z;
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

static uint64_t hanoi_moves, hanoi_hash;
NOINLINE static void hanoi(int n, int from, int to, int via) {
    if (!n) return;
    hanoi(n - 1, from, via, to);
    hanoi_moves++;
    hanoi_hash = mix64(hanoi_hash, (uint64_t)(n * 9 + from * 3 + to));
    hanoi(n - 1, via, to, from);
}

static uint64_t perm_count, perm_hash;
NOINLINE static void heap_perm(int *a, int k, int n) {
    if (k == 1) {
        uint64_t v = 0;
        for (int i = 0; i < n; i++) v = v * 10 + (uint64_t)a[i];
        perm_count++;
        perm_hash ^= v * 0x9E3779B97F4A7C15ull;
        return;
    }
    heap_perm(a, k - 1, n);
    for (int i = 0; i < k - 1; i++) {
        int j = (k & 1) ? 0 : i;
        int t = a[j]; a[j] = a[k - 1]; a[k - 1] = t;
        heap_perm(a, k - 1, n);
    }
}

#define GW 64
#define GH 48
static uint8_t grid[GH][GW];
NOINLINE static uint64_t flood(int x, int y, uint8_t from, uint8_t to) {
    if (x < 0 || y < 0 || x >= GW || y >= GH || grid[y][x] != from) return 0;
    grid[y][x] = to;
    return 1 + flood(x + 1, y, from, to) + flood(x - 1, y, from, to) + flood(x, y + 1, from, to) + flood(x, y - 1, from, to);
}

int main(int argc, char **argv) {
    int nmax = (int)arg_u64(argc, argv, 1, 8);
    if (nmax > 14) nmax = 14;
    print_kv_i64("queens nmax", nmax);
    uint64_t total = 0;
    for (int n = 1; n <= nmax; n++) {
        uint64_t a = queens_bits(n, 0, 0, 0);
        check(a == known_queens[n], "queens known");
        if (n <= 9) check(queens_array(n, 0) == a, "queens array");
        total += a;
    }
    print_kv_u64("queens_total", total);
    print_kv_u64("queens_nmax", queens_bits(nmax, 0, 0, 0));

    check(ack(2, 3) == 9 && ack(3, 3) == 61, "ackermann");
    print_kv_u64("ack(3,5)", ack(3, 5));
    int t = tak(18, 12, 6);
    check(t == 7, "tak");
    print_kv_i64("tak(18,12,6)", t);
    print_kv_u64("tak_calls", tak_calls);

    hanoi(12, 0, 2, 1);
    check(hanoi_moves == 4095, "hanoi moves");
    print_kv_hex("hanoi_hash", hanoi_hash, 16);

    int a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    heap_perm(a, 8, 8);
    check(perm_count == 40320, "8! permutations");
    /* every permutation exactly once: the xor over all of them is order-independent */
    print_kv_hex("perm_hash", perm_hash, 16);

    uint64_t seed = 99;
    for (int y = 0; y < GH; y++)
        for (int x = 0; x < GW; x++) grid[y][x] = (rng_next(&seed) % 100) < 38 ? 1 : 0;
    uint64_t regions = 0, biggest = 0, filled = 0;
    for (int y = 0; y < GH; y++)
        for (int x = 0; x < GW; x++)
            if (grid[y][x] == 0) {
                uint64_t s = flood(x, y, 0, 2);
                regions++;
                filled += s;
                if (s > biggest) biggest = s;
            }
    uint64_t walls = 0;
    for (int y = 0; y < GH; y++)
        for (int x = 0; x < GW; x++) walls += grid[y][x] == 1;
    check(filled + walls == GW * GH, "flood covers");
    print_kv_u64("regions", regions);
    print_kv_u64("largest_region", biggest);
    return check_done();
}
