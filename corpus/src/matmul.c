/* matmul: dense matrix multiply in double (and float): i-j-k with a scalar
 * accumulator, i-k-j (vectorisable), cache-blocked, and transposed-B
 * variants must agree bit for bit; integer-valued matrices must match an
 * int64 multiply exactly; LU-free checks via trace and Frobenius norm.
 * argv[1] = matrix dimension (default 48, max 256). kind: fp */
#include "rt.h"

#define NOINLINE __attribute__((noinline))
/* let gcc vectorise the i-k-j loops (xvmaddadp / xvmaddasp) at -O2 */
#define VECTORISE __attribute__((optimize("tree-vectorize", "vect-cost-model=dynamic")))
#define MAXN 256

static double A[MAXN * MAXN], B[MAXN * MAXN], BT[MAXN * MAXN];
static double C1[MAXN * MAXN], C2[MAXN * MAXN], C3[MAXN * MAXN], C4[MAXN * MAXN];
static float FA[MAXN * MAXN], FB[MAXN * MAXN], FC1[MAXN * MAXN], FC2[MAXN * MAXN];
static int64_t IA[MAXN * MAXN], IB[MAXN * MAXN], IC[MAXN * MAXN];

NOINLINE static void mm_ijk(int n, const double *a, const double *b, double *c) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

NOINLINE VECTORISE static void mm_ikj(int n, const double *a, const double *b, double *c) {
    for (int i = 0; i < n * n; i++) c[i] = 0.0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            double aik = a[i * n + k];
            for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
}

NOINLINE VECTORISE static void mm_blocked(int n, const double *a, const double *b, double *c) {
    const int BS = 16;
    for (int i = 0; i < n * n; i++) c[i] = 0.0;
    for (int kk = 0; kk < n; kk += BS)
        for (int ii = 0; ii < n; ii += BS)
            for (int jj = 0; jj < n; jj += BS) {
                int ie = ii + BS < n ? ii + BS : n, je = jj + BS < n ? jj + BS : n, ke = kk + BS < n ? kk + BS : n;
                for (int i = ii; i < ie; i++)
                    for (int k = kk; k < ke; k++) {
                        double aik = a[i * n + k];
                        for (int j = jj; j < je; j++) c[i * n + j] += aik * b[k * n + j];
                    }
            }
}

NOINLINE static void mm_bt(int n, const double *a, const double *bt, double *c) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            const double *x = a + i * n, *y = bt + j * n;
            double s = 0.0;
            for (int k = 0; k < n; k++) s += x[k] * y[k];
            c[i * n + j] = s;
        }
}

NOINLINE static void mm_float(int n, const float *a, const float *b, float *c) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float s = 0.0f;
            for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

NOINLINE VECTORISE static void mm_float_ikj(int n, const float *a, const float *b, float *c) {
    for (int i = 0; i < n * n; i++) c[i] = 0.0f;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            float aik = a[i * n + k];
            for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
}

NOINLINE static void mm_int(int n, const int64_t *a, const int64_t *b, int64_t *c) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int64_t s = 0;
            for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

static uint64_t dbits(double d) { union { double d; uint64_t u; } x = { d }; return x.u; }
static uint32_t fbits(float f) { union { float f; uint32_t u; } x = { f }; return x.u; }

static double uniform(uint64_t *s) { /* [-1, 1) with 53-bit resolution */
    return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0;
}

int main(int argc, char **argv) {
    int n = (int)arg_u64(argc, argv, 1, 48);
    if (n > MAXN) n = MAXN;
    if (n < 2) n = 2;
    print_kv_i64("matmul n", n);
    uint64_t seed = 0xabcdef12345ull;

    /* 1. exact: small integers in doubles vs int64 */
    for (int i = 0; i < n * n; i++) {
        IA[i] = (int64_t)(rng_next(&seed) % 2001) - 1000;
        IB[i] = (int64_t)(rng_next(&seed) % 2001) - 1000;
        A[i] = (double)IA[i];
        B[i] = (double)IB[i];
    }
    mm_ikj(n, A, B, C1);
    mm_int(n, IA, IB, IC);
    uint64_t hi = 0;
    int exact = 1;
    for (int i = 0; i < n * n; i++) {
        exact &= (C1[i] == (double)IC[i]) && ((int64_t)C1[i] == IC[i]);
        hi = mix64(hi, (uint64_t)IC[i]);
    }
    check(exact, "integer-valued matmul exact");
    print_kv_hex("int_hash", hi, 16);

    /* 2. fractional values: four loop orders, bitwise identical */
    for (int i = 0; i < n * n; i++) { A[i] = uniform(&seed); B[i] = uniform(&seed); }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) BT[j * n + i] = B[i * n + j];
    mm_ijk(n, A, B, C1);
    mm_ikj(n, A, B, C2);
    mm_blocked(n, A, B, C3);
    mm_bt(n, A, BT, C4);
    uint64_t hd = 0;
    int same = 1;
    double trace = 0.0, frob = 0.0, maxabs = 0.0;
    for (int i = 0; i < n * n; i++) {
        same &= dbits(C1[i]) == dbits(C2[i]) && dbits(C1[i]) == dbits(C3[i]) && dbits(C1[i]) == dbits(C4[i]);
        hd = mix64(hd, dbits(C1[i]));
        frob += C1[i] * C1[i];
        double ab = C1[i] < 0 ? -C1[i] : C1[i];
        if (ab > maxabs) maxabs = ab;
    }
    for (int i = 0; i < n; i++) trace += C1[i * n + i];
    check(same, "loop orders bitwise equal");
    check(__builtin_sqrt(frob) <= (double)n * (double)n, "frobenius bound");
    print_kv_hex("double_hash", hd, 16);
    print_kv_double("trace", trace, 6);
    print_kv_double("frobenius", __builtin_sqrt(frob), 6);
    print_kv_double("max_abs", maxabs, 6);

    /* 3. (A*B)*x == A*(B*x) approximately */
    double x[MAXN], bx[MAXN], abx1[MAXN], abx2[MAXN];
    for (int i = 0; i < n; i++) x[i] = (double)(i % 7) - 3.0 + 0.25 * (double)(i % 3);
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        for (int k = 0; k < n; k++) s += B[i * n + k] * x[k];
        bx[i] = s;
    }
    double maxerr = 0.0;
    for (int i = 0; i < n; i++) {
        double s1 = 0.0, s2 = 0.0;
        for (int k = 0; k < n; k++) { s1 += C1[i * n + k] * x[k]; s2 += A[i * n + k] * bx[k]; }
        abx1[i] = s1; abx2[i] = s2;
        double e = abx1[i] - abx2[i];
        if (e < 0) e = -e;
        if (e > maxerr) maxerr = e;
    }
    check(maxerr < 1e-9 * (double)n * (double)n, "associativity");

    /* 4. single precision */
    for (int i = 0; i < n * n; i++) { FA[i] = (float)A[i]; FB[i] = (float)B[i]; }
    mm_float(n, FA, FB, FC1);
    mm_float_ikj(n, FA, FB, FC2);
    uint64_t hf = 0;
    int fsame = 1;
    double fmaxdiff = 0.0;
    for (int i = 0; i < n * n; i++) {
        fsame &= fbits(FC1[i]) == fbits(FC2[i]);
        hf = mix64(hf, fbits(FC1[i]));
        double d = (double)FC1[i] - C1[i];
        if (d < 0) d = -d;
        if (d > fmaxdiff) fmaxdiff = d;
    }
    check(fsame, "float loop orders bitwise equal");
    check(fmaxdiff < 1e-4 * (double)n, "float close to double");
    print_kv_hex("float_hash", hf, 16);
    return check_done();
}
