/* rt.h - tiny freestanding runtime for ppcreplay guest programs.
 * Provides _start (ELFv2 LE and ELFv1 BE), write/exit via `sc`, mem and str functions,
 * buffered printing helpers and a self-check helper.  No libc. */
#ifndef PPCREPLAY_RT_H
#define PPCREPLAY_RT_H

#include <stddef.h>
#include <stdint.h>

/* raw system calls */
long write(int fd, const void *buf, size_t len);
void exit(int code) __attribute__((noreturn));
void _exit(int code) __attribute__((noreturn)); /* no flush */

/* memory / string primitives (gcc may emit calls to the mem* ones) */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* buffered output to fd 1 (flushed by exit() and when full) */
void print_flush(void);
void print_char(char c);
void print_buf(const char *s, size_t n);
void print_str(const char *s);
void print_nl(void);
void print_u64(uint64_t v);
void print_i64(int64_t v);
void print_hex(uint64_t v, int digits);      /* "0x" + exactly `digits` hex digits (1..16) */
void print_double(double x, int frac_digits); /* fixed point, integer formatting */
/* "key value\n" helpers */
void print_kv_u64(const char *key, uint64_t v);
void print_kv_i64(const char *key, int64_t v);
void print_kv_hex(const char *key, uint64_t v, int digits);
void print_kv_double(const char *key, double v, int frac_digits);

/* argument parsing: argv[1] as decimal, or `def` when absent/invalid */
uint64_t parse_u64(const char *s, int *ok);
uint64_t arg_u64(int argc, char **argv, int idx, uint64_t def);

/* self-check: check(cond, "what") records a failure and prints FAIL lines;
 * check_done() prints "check ok" / "check FAILED <n>" and returns the exit code. */
void check(int cond, const char *what);
int check_failures(void);
int check_done(void);

/* deterministic PRNG (xorshift64*, splitmix64) */
static inline uint64_t rng_next(uint64_t *s) {
    uint64_t x = *s;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}
static inline uint64_t splitmix64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* order-dependent 64-bit checksum mixer */
static inline uint64_t mix64(uint64_t h, uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
