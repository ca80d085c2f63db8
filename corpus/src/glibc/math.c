/* glibc-math: libm — sqrt, cbrt, hypot, sin, cos, tan, atan2, exp, expm1,
 * log, log1p, pow, fmod, floor/ceil/rint/lrint, fma, and float versions —
 * evaluated on a grid and checked against identities and known values.
 * argv[1] = number of sample points (default 2000). kind: fp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <stdint.h>
#include <inttypes.h>

static int failures;
#define CHECK(c, what) do { if (!(c)) { failures++; if (failures < 20) printf("FAIL %s\n", what); } } while (0)

int main(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
    if (n < 10) n = 10;
    printf("glibc-math n=%ld\n", n);
    printf("sqrt2 %.17g\n", sqrt(2.0));
    printf("pi %.17g\n", 4.0 * atan(1.0));
    printf("e %.17g\n", exp(1.0));
    printf("ln2 %.17g\n", log(2.0));
    printf("sin1 %.15g cos1 %.15g tan1 %.15g\n", sin(1.0), cos(1.0), tan(1.0));
    printf("pow %.15g %.15g %.15g\n", pow(2.0, 0.5), pow(10.0, -3.0), pow(1.0001, 10000.0));
    printf("cbrt27 %.17g hypot %.17g fmod %.17g\n", cbrt(27.0), hypot(3.0, 4.0), fmod(10.5, 3.0));
    printf("floats %.9g %.9g %.9g\n", (double)sqrtf(2.0f), (double)sinf(1.0f), (double)expf(1.0f));
    CHECK(sqrt(2.0) * sqrt(2.0) - 2.0 < 1e-15, "sqrt");
    CHECK(fabs(4.0 * atan(1.0) - M_PI) < 1e-15, "atan");
    CHECK(cbrt(27.0) == 3.0 && hypot(3.0, 4.0) == 5.0, "cbrt/hypot");

    double s_sin = 0, s_exp = 0, s_log = 0, s_pow = 0, s_at = 0, max_id = 0, max_el = 0;
    float s_f = 0;
    long rounding = 0;
    for (long i = 0; i < n; i++) {
        double x = -50.0 + 100.0 * (double)i / (double)n + 1e-3 * (double)(i % 7);
        double s = sin(x), c = cos(x);
        double id = fabs(s * s + c * c - 1.0);
        if (id > max_id) max_id = id;
        s_sin += s + 0.5 * c + 1e-3 * tan(x * 0.01);
        double y = fabs(x) + 0.001;
        double l = log(y), e = exp(l);
        double el = fabs(e - y) / y;
        if (el > max_el) max_el = el;
        s_log += l + log1p(y) + log10(y) + log2(y);
        s_exp += exp(x * 0.1) + expm1(x * 1e-3);
        s_pow += pow(y, 1.0 / 3.0) - cbrt(y) + pow(1.5, x * 0.2);
        s_at += atan2(x, 1.0 + (double)(i % 5)) + asin(s) + acos(c * 0.999) + sinh(x * 0.01) + tanh(x);
        s_f += sinf((float)x) + expf((float)x * 0.05f) + logf((float)y);
        rounding += lrint(x) + (long)floor(x) + (long)ceil(x) + (long)round(x) + (long)trunc(x);
        CHECK(fma(x, 3.0, 1.0) == fma(x, 3.0, 1.0) && fabs(fma(x, x, -x * x)) <= fabs(x * x) * 1.2e-16, "fma");
    }
    CHECK(max_id < 1e-15, "sin^2+cos^2");
    CHECK(max_el < 1e-15, "exp(log(y))");
    printf("sum_sin %.12f\n", s_sin);
    printf("sum_log %.12f\n", s_log);
    printf("sum_exp %.12f\n", s_exp);
    printf("sum_pow %.12f\n", s_pow);
    printf("sum_atan %.12f\n", s_at);
    printf("sum_float %.5f\n", (double)s_f);
    printf("rounding %ld\n", rounding);
    printf("special %g %g %g %g %d %d\n", sqrt(-1.0) != sqrt(-1.0) ? 1.0 : 0.0, log(0.0), exp(1000.0), atan2(0.0, -1.0),
           isnan(nan("")) != 0, isinf(-HUGE_VAL) != 0);
    if (failures) { printf("check FAILED %d\n", failures); return 1; }
    printf("check ok\n");
    return 0;
}
