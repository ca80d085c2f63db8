/* nbody: the classic Jovian-planets n-body simulation (symplectic Euler,
 * sqrt and divide in the inner loop).  Energy is printed to 9 digits and
 * must be conserved; after 1000 steps it matches the published value
 * (-0.169087605).
 * argv[1] = number of time steps (default 10000). kind: fp */
#include "rt.h"

#define NOINLINE __attribute__((noinline))
#define NB 5

static const double PI = 3.141592653589793;
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body { double x, y, z, vx, vy, vz, mass; };

static struct body bodies[NB] = {
    {0, 0, 0, 0, 0, 0, 0}, /* sun: mass set at start-up */
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

static void offset_momentum(struct body *b) {
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NB; i++) { px += b[i].vx * b[i].mass; py += b[i].vy * b[i].mass; pz += b[i].vz * b[i].mass; }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

NOINLINE static double energy(const struct body *b) {
    double e = 0.0;
    for (int i = 0; i < NB; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < NB; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= (b[i].mass * b[j].mass) / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

NOINLINE static void advance(struct body *b, double dt) {
    for (int i = 0; i < NB; i++) {
        for (int j = i + 1; j < NB; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * __builtin_sqrt(d2));
            b[i].vx -= dx * b[j].mass * mag; b[i].vy -= dy * b[j].mass * mag; b[i].vz -= dz * b[j].mass * mag;
            b[j].vx += dx * b[i].mass * mag; b[j].vy += dy * b[i].mass * mag; b[j].vz += dz * b[i].mass * mag;
        }
    }
    for (int i = 0; i < NB; i++) { b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz; }
}

static double dabs(double x) { return x < 0 ? -x : x; }

int main(int argc, char **argv) {
    uint64_t steps = arg_u64(argc, argv, 1, 10000);
    print_kv_u64("nbody steps", steps);
    bodies[0].mass = SOLAR_MASS;
    offset_momentum(bodies);
    double e0 = energy(bodies);
    print_kv_double("energy_before", e0, 9);
    check(dabs(e0 - -0.169075164) < 1e-9, "initial energy");
    double emin = e0, emax = e0;
    for (uint64_t s = 0; s < steps; s++) {
        advance(bodies, 0.01);
        if (s + 1 == 1000) {
            double e = energy(bodies);
            print_kv_double("energy_1000", e, 9);
            check(dabs(e - -0.169087605) < 1e-9, "energy after 1000 steps");
        }
        if ((s & 63) == 63) {
            double e = energy(bodies);
            if (e < emin) emin = e;
            if (e > emax) emax = e;
        }
    }
    double e1 = energy(bodies);
    print_kv_double("energy_after", e1, 9);
    check(dabs(e1 - e0) < 1e-3 && emax - emin < 1e-3, "energy conserved");
    print_kv_double("energy_spread_x1e9", (emax - emin) * 1e9, 3);
    uint64_t h = 0;
    for (int i = 0; i < NB; i++) {
        union { double d; uint64_t u; } x = { bodies[i].x }, y = { bodies[i].y }, z = { bodies[i].vz };
        h = mix64(h, x.u ^ (y.u << 1) ^ (z.u << 2));
    }
    print_kv_hex("state_hash", h, 16);
    print_str("jupiter ");
    print_double(bodies[1].x, 6); print_char(' ');
    print_double(bodies[1].y, 6); print_char(' ');
    print_double(bodies[1].z, 6); print_nl();
    return check_done();
}
