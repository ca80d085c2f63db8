/* mandel: Mandelbrot set escape-time iteration in double and in float over
 * a grid symmetric about the real axis; prints a small ASCII rendering and
 * iteration checksums.  The double grid must be mirror-symmetric (exact in
 * IEEE arithmetic, with or without fused multiply-add).
 * argv[1] = maximum iteration count (default 400). kind: fp */
#include "rt.h"

#define NOINLINE __attribute__((noinline))
#define W 72
#define H 33  /* odd: the middle row is the real axis */

static uint32_t it_d[H][W], it_f[H][W];

NOINLINE static uint32_t escape_d(double cr, double ci, uint32_t maxit) {
    double zr = 0.0, zi = 0.0;
    uint32_t k = 0;
    while (k < maxit) {
        double zr2 = zr * zr, zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) break;
        double t = zr2 - zi2 + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        k++;
    }
    return k;
}

NOINLINE static uint32_t escape_f(float cr, float ci, uint32_t maxit) {
    float zr = 0.0f, zi = 0.0f;
    uint32_t k = 0;
    while (k < maxit) {
        float zr2 = zr * zr, zi2 = zi * zi;
        if (zr2 + zi2 > 4.0f) break;
        float t = zr2 - zi2 + cr;
        zi = 2.0f * zr * zi + ci;
        zr = t;
        k++;
    }
    return k;
}

int main(int argc, char **argv) {
    uint32_t maxit = (uint32_t)arg_u64(argc, argv, 1, 400);
    print_kv_u64("mandel maxit", maxit);
    const double x0 = -2.2, x1 = 0.8, y0 = -1.2, y1 = 1.2;
    uint64_t total_d = 0, total_f = 0, inside_d = 0, hd = 0, hf = 0;
    for (int j = 0; j < H; j++) {
        /* rows j and H-1-j get exactly opposite imaginary parts */
        double ci = (j < H / 2) ? y0 + (y1 - y0) * (double)j / (double)(H - 1)
                                : -(y0 + (y1 - y0) * (double)(H - 1 - j) / (double)(H - 1));
        if (j == H / 2) ci = 0.0;
        for (int i = 0; i < W; i++) {
            double cr = x0 + (x1 - x0) * (double)i / (double)(W - 1);
            uint32_t kd = escape_d(cr, ci, maxit);
            uint32_t kf = escape_f((float)cr, (float)ci, maxit);
            it_d[j][i] = kd;
            it_f[j][i] = kf;
            total_d += kd;
            total_f += kf;
            inside_d += kd == maxit;
            hd = mix64(hd, kd);
            hf = mix64(hf, kf);
        }
    }
    int sym = 1;
    for (int j = 0; j < H; j++)
        for (int i = 0; i < W; i++) sym &= it_d[j][i] == it_d[H - 1 - j][i];
    check(sym, "mirror symmetry");
    check(escape_d(0.0, 0.0, maxit) == maxit && escape_d(-1.0, 0.0, maxit) == maxit, "points inside");
    check(escape_d(2.0, 2.0, maxit) == 1 && escape_d(0.5, 0.0, maxit) < 10, "points outside");
    /* float and double agree on most points */
    uint64_t agree = 0;
    for (int j = 0; j < H; j++)
        for (int i = 0; i < W; i++) agree += it_d[j][i] == it_f[j][i];
    check(agree * 10 >= (uint64_t)W * H * 9, "float mostly agrees");

    static const uint32_t lim[] = {2, 3, 4, 6, 9, 14, 22, 40};
    static const char shade[] = " .:-=+*#%";
    for (int j = 0; j < H; j += 2) {
        char line[W + 1];
        for (int i = 0; i < W; i++) {
            uint32_t k = it_d[j][i];
            unsigned s = 0;
            while (s < ARRAY_LEN(lim) && k >= lim[s]) s++;
            line[i] = k == maxit ? '@' : shade[s];
        }
        line[W] = 0;
        print_str(line);
        print_nl();
    }
    print_kv_u64("total_iter_double", total_d);
    print_kv_u64("total_iter_float", total_f);
    print_kv_u64("inside", inside_d);
    print_kv_u64("float_agree", agree);
    print_kv_hex("hash_double", hd, 16);
    print_kv_hex("hash_float", hf, 16);
    return check_done();
}
