/* fpmath: floating point in double and float — Newton square root vs the
 * hardware instruction, series sin/cos/exp/log with range reduction,
 * int <-> float conversions (signed, unsigned, 32/64-bit), rounding
 * (floor/ceil/trunc/round), NaN/inf/-0/subnormal behaviour, Kahan vs naive
 * summation and fma-friendly polynomial loops.
 * argv[1] = number of sample points (default 5000). kind: fp */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

static uint64_t dbits(double d) { union { double d; uint64_t u; } x = { d }; return x.u; }
static double bitsd(uint64_t u) { union { uint64_t u; double d; } x = { u }; return x.d; }
static uint32_t fbits(float f) { union { float f; uint32_t u; } x = { f }; return x.u; }
static double dabs(double x) { return __builtin_fabs(x); }

/* ordered ulp distance between two finite doubles */
static uint64_t ulpdiff(double a, double b) {
    int64_t x = (int64_t)dbits(a), y = (int64_t)dbits(b);
    if (x < 0) x = INT64_MIN - x;
    if (y < 0) y = INT64_MIN - y;
    return x > y ? (uint64_t)(x - y) : (uint64_t)(y - x);
}

NOINLINE static double newton_sqrt(double a) {
    if (a <= 0.0) return 0.0;
    /* initial guess: halve the exponent */
    uint64_t b = dbits(a);
    double x = bitsd((b >> 1) + 0x1ff8000000000000ull);
    for (int i = 0; i < 6; i++) x = 0.5 * (x + a / x);
    /* final correction step using the fma residual */
    double r = __builtin_fma(-x, x, a);
    return x + r / (2.0 * x);
}

NOINLINE static float newton_sqrtf(float a) {
    if (a <= 0.0f) return 0.0f;
    union { float f; uint32_t u; } g = { a };
    g.u = (g.u >> 1) + 0x1fc00000u;
    float x = g.f;
    for (int i = 0; i < 5; i++) x = 0.5f * (x + a / x);
    return x;
}

static const double PI_HI = 3.141592653589793116, PI_LO = 1.2246467991473532e-16;

/* sin and cos of r in [-pi/4, pi/4] by Taylor series (Horner, fma-friendly) */
static double sin_poly(double r) {
    double r2 = r * r;
    double p = 1.0 / 6227020800.0;            /* 1/13! */
    p = p * r2 - 1.0 / 39916800.0;
    p = p * r2 + 1.0 / 362880.0;
    p = p * r2 - 1.0 / 5040.0;
    p = p * r2 + 1.0 / 120.0;
    p = p * r2 - 1.0 / 6.0;
    return r + r * r2 * p;
}
static double cos_poly(double r) {
    double r2 = r * r;
    double p = 1.0 / 87178291200.0;           /* 1/14! */
    p = p * r2 - 1.0 / 479001600.0;
    p = p * r2 + 1.0 / 3628800.0;
    p = p * r2 - 1.0 / 40320.0;
    p = p * r2 + 1.0 / 720.0;
    p = p * r2 - 1.0 / 24.0;
    p = p * r2 + 0.5;
    return 1.0 - r2 * p;
}

NOINLINE static void my_sincos(double x, double *s, double *c) {
    /* x = k*(pi/2) + r */
    double kf = __builtin_round(x * (2.0 / PI_HI));
    int64_t k = (int64_t)kf;
    double r = (x - kf * (PI_HI / 2)) - kf * (PI_LO / 2);
    double sr = sin_poly(r), cr = cos_poly(r);
    switch (k & 3) {
    case 0: *s = sr; *c = cr; break;
    case 1: *s = cr; *c = -sr; break;
    case 2: *s = -sr; *c = -cr; break;
    default: *s = -cr; *c = sr; break;
    }
}

static const double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;

NOINLINE static double my_exp(double x) {
    if (x > 709.782712893384) return __builtin_inf();
    if (x < -745.0) return 0.0;
    double kf = __builtin_round(x * 1.4426950408889634);
    int64_t k = (int64_t)kf;
    double r = (x - kf * LN2_HI) - kf * LN2_LO;
    /* exp(r), |r| <= 0.35, Taylor to degree 13 */
    double p = 1.0 / 6227020800.0;
    static const double coef[] = {1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
                                  1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0,
                                  1.0 / 6.0, 0.5, 1.0, 1.0};
    for (unsigned i = 0; i < ARRAY_LEN(coef); i++) p = p * r + coef[i];
    /* scale by 2^k in two steps to reach the subnormal range */
    int64_t k1 = k / 2, k2 = k - k1;
    return p * bitsd((uint64_t)(1023 + k1) << 52) * bitsd((uint64_t)(1023 + k2) << 52);
}

NOINLINE static double my_log(double x) {
    if (!(x > 0.0)) return -__builtin_inf();
    uint64_t b = dbits(x);
    int64_t e = (int64_t)(b >> 52) - 1023;
    if ((b >> 52) == 0) { /* subnormal */
        x *= 0x1p54;
        b = dbits(x);
        e = (int64_t)(b >> 52) - 1023 - 54;
    }
    double m = bitsd((b & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (m > 1.4142135623730951) { m *= 0.5; e++; }
    double t = (m - 1.0) / (m + 1.0), t2 = t * t;
    /* 2*atanh(t) = 2(t + t^3/3 + t^5/5 + ...), |t| < 0.172 */
    double p = 0.0;
    for (int i = 41; i >= 3; i -= 2) p = p * t2 + 1.0 / (double)i;
    double at = t + t * t2 * p;
    return 2.0 * at + (double)e * LN2_LO + (double)e * LN2_HI;
}

/* single precision: float sine by Taylor series on a reduced argument */
NOINLINE static float sinf_series(float x) {
    float kf = __builtin_roundf(x * 0.318309886f);
    float r = x - kf * 3.14159274f + kf * 8.74227766e-8f;
    float r2 = r * r;
    float p = ((-1.0f / 5040.0f * r2 + 1.0f / 120.0f) * r2 - 1.0f / 6.0f) * r2;
    float s = r + r * p;
    return ((int32_t)kf & 1) ? -s : s;
}

static volatile double vzero = 0.0, vone = 1.0, vinf_src = 1e308, vnan_src = 0.0;

int main(int argc, char **argv) {
    uint64_t n = arg_u64(argc, argv, 1, 5000);
    print_kv_u64("fpmath n", n);
    uint64_t seed = 0x600df00d;

    /* ---------- square roots ---------- */
    check(dbits(__builtin_sqrt(2.0 * vone)) == 0x3ff6a09e667f3bcdull, "sqrt(2) bits");
    check(__builtin_sqrt(4.0 * vone) == 2.0, "sqrt(4)");
    uint64_t maxulp = 0, hs = 0;
    for (uint64_t i = 0; i < n; i++) {
        double a = bitsd((rng_next(&seed) >> 12) | ((uint64_t)(1023 - 300 + (int)(i % 600)) << 52));
        double h = __builtin_sqrt(a), m = newton_sqrt(a);
        uint64_t u = ulpdiff(h, m);
        if (u > maxulp) maxulp = u;
        /* correctly rounded: the residual of the neighbours is larger */
        double r0 = dabs(__builtin_fma(h, h, -a));
        double hp = bitsd(dbits(h) + 1), hm = bitsd(dbits(h) - 1);
        check(r0 <= dabs(__builtin_fma(hp, hp, -a)) && r0 <= dabs(__builtin_fma(hm, hm, -a)), "sqrt rounding");
        float af = (float)a;
        if (af > 1e-30f && af < 1e30f) {
            float hf = __builtin_sqrtf(af), mf = newton_sqrtf(af);
            int32_t d = (int32_t)fbits(hf) - (int32_t)fbits(mf);
            check(d >= -1 && d <= 1, "sqrtf newton");
            hs = mix64(hs, fbits(hf));
        }
        hs = mix64(hs, dbits(h));
    }
    check(maxulp <= 1, "newton sqrt within 1 ulp");
    print_kv_u64("sqrt_newton_max_ulp", maxulp);
    print_kv_hex("sqrt_hash", hs, 16);

    /* ---------- sin / cos ---------- */
    double s, c;
    my_sincos(1.0, &s, &c);
    print_kv_double("sin(1)", s, 9);
    print_kv_double("cos(1)", c, 9);
    check(dabs(s - 0.8414709848078965) < 1e-15 && dabs(c - 0.5403023058681398) < 1e-15, "sin/cos(1)");
    my_sincos(PI_HI / 6, &s, &c);
    check(dabs(s - 0.5) < 1e-15, "sin(pi/6)");
    double maxid = 0.0, sumsin = 0.0;
    uint64_t htrig = 0;
    for (uint64_t i = 0; i < n; i++) {
        double x = ((double)(int64_t)(rng_next(&seed) >> 20) / 4398046511104.0 - 1024.0) * 0.1; /* [-102.4, 102.4) */
        my_sincos(x, &s, &c);
        double id = dabs(s * s + c * c - 1.0);
        if (id > maxid) maxid = id;
        double s2, c2;
        my_sincos(2.0 * x, &s2, &c2);
        check(dabs(s2 - 2.0 * s * c) < 1e-13, "double angle");
        sumsin += s;
        htrig = mix64(htrig, dbits(s) ^ (dbits(c) << 1));
        float sf = sinf_series((float)x);
        check(dabs((double)sf - s) < 2e-4, "sinf close");
    }
    check(maxid < 1e-15, "sin^2+cos^2");
    print_kv_double("sum_sin", sumsin, 6);
    print_kv_hex("trig_hash", htrig, 16);

    /* ---------- exp / log ---------- */
    print_kv_double("e", my_exp(1.0), 9);
    print_kv_double("ln(10)", my_log(10.0), 9);
    check(dabs(my_exp(1.0) - 2.718281828459045) < 1e-15, "exp(1)");
    check(dabs(my_log(10.0) - 2.302585092994046) < 1e-15, "log(10)");
    check(my_exp(-740.0) > 0.0 && my_exp(-740.0) < 1e-300, "exp subnormal");
    check(my_exp(710.0) == __builtin_inf(), "exp overflow");
    double maxrel = 0.0;
    uint64_t hexp = 0;
    for (uint64_t i = 0; i < n; i++) {
        double x = ((double)(int64_t)(rng_next(&seed) >> 11) / 9007199254740992.0 - 0.5) * 1400.0; /* [-700,700) */
        double e = my_exp(x), l = my_log(e);
        double rel = dabs(l - x) / (dabs(x) > 1.0 ? dabs(x) : 1.0);
        if (rel > maxrel) maxrel = rel;
        double y = bitsd((rng_next(&seed) >> 12) | ((uint64_t)(1 + (i * 7) % 2045) << 52));
        double ly = my_log(y), ey = my_exp(ly);
        check(dabs(ey - y) <= 1e-12 * y, "exp(log(y))");
        hexp = mix64(hexp, dbits(e) ^ dbits(ly));
    }
    check(maxrel < 1e-14, "log(exp(x))");
    print_kv_hex("explog_hash", hexp, 16);

    /* ---------- conversions ---------- */
    uint64_t hconv = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = rng_next(&seed);
        int64_t si = (int64_t)r >> (i % 64);
        double d = (double)si;
        if (si > -(1ll << 53) && si < (1ll << 53)) check((int64_t)d == si, "i64 exact roundtrip");
        uint64_t ui = r >> (i % 13);
        double du = (double)ui;
        check(du >= 0.0 && (ui < (1ull << 53) ? (uint64_t)du == ui : 1), "u64 convert");
        if (du < 18446744073709551616.0) check(((uint64_t)du >> 11) - (ui >> 11) + 1 <= 2, "u64 roundtrip approx");
        int32_t i32 = (int32_t)r;
        float f = (float)i32;
        uint32_t u32 = (uint32_t)(r >> 32);
        float fu = (float)u32;
        double dd = (double)i32;
        check((int32_t)dd == i32, "i32 via double");
        float ff = (float)dd;
        check(ff == f, "double->float == int->float");
        hconv = mix64(hconv, dbits(d) ^ (dbits(du) << 3) ^ fbits(f) ^ ((uint64_t)fbits(fu) << 32));
        hconv = mix64(hconv, (uint64_t)(int64_t)(dd * 0.75) ^ (uint64_t)(f * 0.75f) ^ (uint64_t)(uint32_t)(fu * 0.5f));
    }
    /* known conversion edge cases */
    volatile double big = 9223372036854775808.0;   /* 2^63 */
    check((uint64_t)big == 0x8000000000000000ull, "double->u64 2^63");
    check((double)0xFFFFFFFFFFFFFFFFull == 18446744073709551616.0, "u64 max -> 2^64");
    check((float)(vone + 0x1p-24) == 1.0f, "float ties to even down");
    check((float)(vone + 0x1p-24 + 0x1p-50) == 1.0f + 0x1p-23f, "float above half");
    check((float)(vone + 3 * 0x1p-24) == 1.0f + 0x1p-22f, "float ties to even up");
    check((int64_t)(-2.9 * vone) == -2 && (int32_t)(2.9f * (float)vone) == 2, "truncating conversions");
    check((double)(int64_t)9007199254740993LL == 9007199254740992.0, "2^53+1 rounds");
    print_kv_hex("conv_hash", hconv, 16);

    /* ---------- rounding ---------- */
    static const double rv[] = {-2.5, -1.5, -0.5, -0.4999999999999999, 0.5, 1.5, 2.5, 2.7, -2.7, 1e300, -0.0, 4503599627370497.0};
    uint64_t hr = 0;
    for (unsigned i = 0; i < ARRAY_LEN(rv); i++) {
        double x = rv[i] * vone;
        hr = mix64(hr, dbits(__builtin_floor(x)));
        hr = mix64(hr, dbits(__builtin_ceil(x)));
        hr = mix64(hr, dbits(__builtin_trunc(x)));
        hr = mix64(hr, dbits(__builtin_round(x)));
        hr = mix64(hr, fbits(__builtin_floorf((float)x)));
    }
    check(__builtin_round(-2.5 * vone) == -3.0 && __builtin_round(2.5 * vone) == 3.0, "round half away");
    check(__builtin_floor(-0.5 * vone) == -1.0 && __builtin_ceil(-0.5 * vone) == 0.0, "floor/ceil");
    check(dbits(__builtin_ceil(-0.5 * vone)) == 0x8000000000000000ull, "ceil(-0.5) = -0");
    check(__builtin_trunc(-2.7 * vone) == -2.0, "trunc");
    print_kv_hex("round_hash", hr, 16);

    /* ---------- special values ---------- */
    double inf = vinf_src * 10.0, nan = vnan_src / vzero, nz = -vzero;
    check(inf == __builtin_inf() && -inf < -1e308, "inf");
    check(nan != nan && !(nan < 1.0) && !(nan > 1.0) && !(nan == nan) && !(nan >= nan), "nan compares");
    check(!(inf - inf == inf - inf), "inf-inf is nan");
    check(!(vzero * inf == 0.0), "0*inf is nan");
    check(nz == 0.0 && 1.0 / nz == -inf && 1.0 / vzero == inf, "signed zero");
    check(dbits(__builtin_copysign(3.0, nz)) == dbits(-3.0), "copysign");
    check(1.0 / inf == 0.0 && dbits(-1.0 / inf) == 0x8000000000000000ull, "1/inf");
    double tiny = bitsd(1) * vone;                   /* 2^-1074 */
    check(tiny > 0.0 && tiny / 2.0 == 0.0 && dbits(tiny * 3.0) == 3, "subnormal");
    check(0x1p-1022 * vone / 4.0 == bitsd(0x0004000000000000ull), "subnormal divide");
    float ftiny = 1e-45f * (float)vone;
    check(ftiny > 0.0f && fbits(ftiny) == 1, "float subnormal");
    check((float)(1e39 * vone) == __builtin_inff(), "float overflow");
    check(__builtin_fmax(1.0, 2.0) == 2.0, "fmax constant");
    uint32_t cmpmask = 0;
    double vals[] = {-inf, -1.0, nz, 0.0, 1.0, inf, nan};
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 7; j++)
            cmpmask = cmpmask * 5 + (uint32_t)((vals[i] < vals[j]) + 2 * (vals[i] == vals[j]) + (vals[i] >= vals[j]));
    print_kv_hex("cmp_mask", (uint64_t)(uint32_t)cmpmask, 8);

    /* ---------- summation ---------- */
    double naive = 0.0, ksum = 0.0, comp = 0.0;
    float fs = 0.0f;
    for (uint64_t i = 1; i <= n * 10; i++) {
        double t = 1.0 / (double)i;
        naive += t;
        double y = t - comp;
        double tt = ksum + y;
        comp = (tt - ksum) - y;
        ksum = tt;
        fs += 1.0f / (float)i;
    }
    check(dabs(naive - ksum) < 1e-12, "kahan vs naive");
    print_kv_double("harmonic", ksum, 9);
    print_kv_hex("harmonic_naive_bits", dbits(naive), 16);
    print_kv_hex("harmonic_kahan_bits", dbits(ksum), 16);
    print_kv_hex("harmonic_float_bits", fbits(fs), 8);

    /* ---------- polynomial / dot product (fma) ---------- */
    static double xs[4096], ys[4096];
    uint64_t m = n < 4096 ? n : 4096;
    for (uint64_t i = 0; i < m; i++) { xs[i] = (double)i / (double)m - 0.5; ys[i] = 1.0 / (1.0 + (double)i); }
    double dot = 0.0, poly = 0.0;
    for (uint64_t i = 0; i < m; i++) {
        dot += xs[i] * ys[i];
        double x = xs[i];
        poly += ((((0.5 * x - 1.25) * x + 2.0) * x - 0.75) * x + 0.125);
    }
    print_kv_double("dot", dot, 9);
    print_kv_double("poly_sum", poly, 6);
    print_kv_hex("dot_bits", dbits(dot), 16);
    return check_done();
}
