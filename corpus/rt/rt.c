/* rt.c - tiny freestanding runtime for ppcreplay guest programs.
 *
 * Entry: the kernel / qemu-user start the process with r1 = &argc
 * (argc, argv[], NULL, envp[], NULL, auxv...).  ELFv2 (little-endian):
 * e_entry is code.  ELFv1 (big-endian): e_entry points at a function
 * descriptor in .opd {code, TOC, env}; the loader sets r2 from it.
 *
 * Syscalls use `sc` with r0 = number, r3.. = args; on error CR0.SO is set
 * and r3 holds a positive errno. */
#include "rt.h"

int main(int argc, char **argv);
void rt_start_c(long argc, char **argv, char **envp) __attribute__((noreturn, used));

#if defined(_CALL_ELF) && _CALL_ELF == 2
/* ELFv2: compute our own TOC pointer from the PC (does not rely on r12). */
__asm__(
    "\t.text\n"
    "\t.globl _start\n"
    "\t.type _start,@function\n"
    "\t.p2align 4\n"
    "_start:\n"
    "\tbcl 20,31,1f\n"
    "1:\tmflr 12\n"
    "\taddis 2,12,(.TOC.-1b)@ha\n"
    "\taddi 2,2,(.TOC.-1b)@l\n"
    "\tld 3,0(1)\n"           /* argc */
    "\taddi 4,1,8\n"          /* argv */
    "\tsldi 5,3,3\n"
    "\tadd 5,5,4\n"
    "\taddi 5,5,8\n"          /* envp = argv + argc + 1 */
    "\tclrrdi 1,1,4\n"
    "\tli 0,0\n"
    "\tmtlr 0\n"
    "\tstdu 0,-128(1)\n"      /* terminate the back chain */
    "\tbl rt_start_c\n"
    "\tnop\n"
    "\ttrap\n"
    "\t.size _start,.-_start\n");
#else
/* ELFv1: _start is the .opd descriptor, .L._start the code. */
__asm__(
    "\t.section \".opd\",\"aw\"\n"
    "\t.align 3\n"
    "\t.globl _start\n"
    "_start:\n"
    "\t.quad .L._start,.TOC.@tocbase,0\n"
    "\t.previous\n"
    "\t.type _start,@function\n"
    "\t.p2align 4\n"
    ".L._start:\n"
    "\tld 3,0(1)\n"
    "\taddi 4,1,8\n"
    "\tsldi 5,3,3\n"
    "\tadd 5,5,4\n"
    "\taddi 5,5,8\n"
    "\tclrrdi 1,1,4\n"
    "\tli 0,0\n"
    "\tmtlr 0\n"
    "\tstdu 0,-128(1)\n"
    "\tbl rt_start_c\n"
    "\tnop\n"
    "\ttrap\n"
    "\t.size _start,.-.L._start\n");
#endif

/* ------------------------------------------------------------------ */
/* system calls                                                         */

static inline long sc3(long nr, long a, long b, long c) {
    register long r0 __asm__("r0") = nr;
    register long r3 __asm__("r3") = a;
    register long r4 __asm__("r4") = b;
    register long r5 __asm__("r5") = c;
    __asm__ volatile("sc\n\t"
                     "bns+ 1f\n\t"
                     "neg %1,%1\n"
                     "1:"
                     : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
                     :
                     : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer",
                       "memory");
    return r3;
}

long write(int fd, const void *buf, size_t len) {
    return sc3(4, fd, (long)buf, (long)len);
}

void _exit(int code) {
    for (;;) sc3(234, code, 0, 0); /* exit_group */
}

void exit(int code) {
    print_flush();
    _exit(code);
}

void rt_start_c(long argc, char **argv, char **envp) {
    (void)envp;
    exit(main((int)argc, argv));
}

/* ------------------------------------------------------------------ */
/* memory primitives (must not be turned back into calls to themselves) */

#define NOLDIST __attribute__((optimize("no-tree-loop-distribute-patterns")))

NOLDIST void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        while (n >= 8) {
            *(uint64_t *)d = *(const uint64_t *)s;
            d += 8; s += 8; n -= 8;
        }
    }
    while (n--) *d++ = *s++;
    return dst;
}

NOLDIST void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0) return dst;
    if (d < s || d >= s + n) return memcpy(dst, src, n);
    d += n; s += n;
    while (n--) *--d = *--s;
    return dst;
}

NOLDIST void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    if (((uintptr_t)d & 7) == 0 && n >= 8) {
        uint64_t v = (unsigned char)c;
        v |= v << 8; v |= v << 16; v |= v << 32;
        while (n >= 8) {
            *(uint64_t *)d = v;
            d += 8; n -= 8;
        }
    }
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

NOLDIST int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q) return *p < *q ? -1 : 1;
    return 0;
}

NOLDIST size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

/* ------------------------------------------------------------------ */
/* buffered output                                                      */

static char outbuf[2048];
static size_t outlen;

void print_flush(void) {
    size_t off = 0;
    while (off < outlen) {
        long r = write(1, outbuf + off, outlen - off);
        if (r <= 0) break;
        off += (size_t)r;
    }
    outlen = 0;
}

void print_char(char c) {
    if (outlen == sizeof outbuf) print_flush();
    outbuf[outlen++] = c;
}

void print_buf(const char *s, size_t n) {
    while (n--) print_char(*s++);
}

void print_str(const char *s) {
    while (*s) print_char(*s++);
}

void print_nl(void) { print_char('\n'); }

void print_u64(uint64_t v) {
    char tmp[24];
    int i = 0;
    do {
        tmp[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i) print_char(tmp[--i]);
}

void print_i64(int64_t v) {
    if (v < 0) {
        print_char('-');
        print_u64(-(uint64_t)v);
    } else {
        print_u64((uint64_t)v);
    }
}

void print_hex(uint64_t v, int digits) {
    static const char hx[] = "0123456789abcdef";
    if (digits < 1) digits = 1;
    if (digits > 16) digits = 16;
    print_str("0x");
    for (int i = digits - 1; i >= 0; i--) print_char(hx[(v >> (4 * i)) & 15]);
}

void print_double(double x, int frac_digits) {
    union { double d; uint64_t u; } b = { x };
    uint64_t scale = 1;
    if (frac_digits < 0) frac_digits = 0;
    if (frac_digits > 9) frac_digits = 9;
    for (int i = 0; i < frac_digits; i++) scale *= 10;
    if ((b.u & 0x7ff0000000000000ull) == 0x7ff0000000000000ull) {
        if (b.u & 0x000fffffffffffffull) { print_str("nan"); return; }
        print_str((b.u >> 63) ? "-inf" : "inf");
        return;
    }
    if (b.u >> 63) { print_char('-'); x = -x; }
    double lim = 9.0e18 / (double)scale;
    if (x >= lim) { /* too big for fixed point: print the raw bits */
        print_str("big:");
        print_hex(b.u, 16);
        return;
    }
    uint64_t v = (uint64_t)(x * (double)scale + 0.5);
    print_u64(v / scale);
    if (frac_digits) {
        uint64_t f = v % scale;
        char tmp[12];
        for (int i = frac_digits - 1; i >= 0; i--) { tmp[i] = (char)('0' + f % 10); f /= 10; }
        print_char('.');
        print_buf(tmp, (size_t)frac_digits);
    }
}

void print_kv_u64(const char *key, uint64_t v) { print_str(key); print_char(' '); print_u64(v); print_nl(); }
void print_kv_i64(const char *key, int64_t v) { print_str(key); print_char(' '); print_i64(v); print_nl(); }
void print_kv_hex(const char *key, uint64_t v, int d) { print_str(key); print_char(' '); print_hex(v, d); print_nl(); }
void print_kv_double(const char *key, double v, int d) { print_str(key); print_char(' '); print_double(v, d); print_nl(); }

/* ------------------------------------------------------------------ */
/* arguments                                                            */

uint64_t parse_u64(const char *s, int *ok) {
    uint64_t v = 0;
    int n = 0;
    if (ok) *ok = 0;
    if (!s) return 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (uint64_t)(*s - '0');
        s++; n++;
    }
    if (ok) *ok = (n > 0 && *s == 0);
    return v;
}

uint64_t arg_u64(int argc, char **argv, int idx, uint64_t def) {
    int ok;
    if (idx >= argc) return def;
    uint64_t v = parse_u64(argv[idx], &ok);
    return (ok && v > 0) ? v : def;
}

/* ------------------------------------------------------------------ */
/* self-check                                                           */

static int failures;

void check(int cond, const char *what) {
    if (!cond) {
        failures++;
        print_str("FAIL ");
        print_str(what);
        print_nl();
    }
}

int check_failures(void) { return failures; }

int check_done(void) {
    if (failures) {
        print_str("check FAILED ");
        print_u64((uint64_t)failures);
        print_nl();
        return 1;
    }
    print_str("check ok\n");
    return 0;
}
