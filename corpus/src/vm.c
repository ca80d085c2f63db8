/* vm: a small stack-machine bytecode interpreter.  Two dispatchers run the
 * same programs: a `switch` loop (compiled to a jump table) and a table of
 * handler function pointers (indirect calls).  Programs are assembled at
 * start-up by a tiny assembler with labels; results are compared with the
 * same computations written in C.
 * argv[1] = workload scale (default 150). kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

enum op {
    HALT, PUSH, POP, DUP, SWAP, OVER, ROT, ADD, SUB, MUL, DIVS, MODS, DIVU, AND, OR, XOR, SHL, SHR, SAR,
    NEG, NOT, LT, LTU, EQ, JMP, JZ, JNZ, LOAD, STORE, CALL, RET, INC, DEC, OUT, ENTER, LEAVE, NOP,
    NOPS
};

/* ---------------- assembler ---------------- */
#define CODE_MAX 4096
static int64_t code[CODE_MAX];
static int cpc;
static int labels[64];
static struct { int at, label; } fix[256];
static int nfix;

static void emit(enum op o) { code[cpc++] = o; }
static void emit1(enum op o, int64_t a) { code[cpc++] = o; code[cpc++] = a; }
static void emitj(enum op o, int label) { code[cpc++] = o; fix[nfix].at = cpc; fix[nfix].label = label; nfix++; code[cpc++] = 0; }
static void label(int l) { labels[l] = cpc; }
static void link(void) {
    for (int i = 0; i < nfix; i++) code[fix[i].at] = labels[fix[i].label];
    nfix = 0;
}

/* ---------------- switch interpreter ---------------- */
#define STACK_MAX 1024
#define FRAMES_MAX 256

struct vm {
    int64_t stack[STACK_MAX];
    int64_t locals[FRAMES_MAX * 8];
    int64_t rstack[FRAMES_MAX];
    int sp, fp, rsp;
    int64_t pc;
    uint64_t out;
    uint64_t steps;
};

NOINLINE static int64_t run_switch(struct vm *m, int64_t entry) {
    int64_t *st = m->stack;
    int sp = 0, fp = 0, rsp = 0;
    int64_t pc = entry;
    uint64_t out = 0, steps = 0;
    for (;;) {
        int64_t a, b;
        steps++;
        switch ((enum op)code[pc++]) {
        case HALT: m->out = out; m->steps = steps; m->sp = sp; return sp ? st[sp - 1] : 0;
        case PUSH: st[sp++] = code[pc++]; break;
        case POP: sp--; break;
        case DUP: st[sp] = st[sp - 1]; sp++; break;
        case SWAP: a = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = a; break;
        case OVER: st[sp] = st[sp - 2]; sp++; break;
        case ROT: a = st[sp - 3]; st[sp - 3] = st[sp - 2]; st[sp - 2] = st[sp - 1]; st[sp - 1] = a; break;
        case ADD: b = st[--sp]; st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] + (uint64_t)b); break;
        case SUB: b = st[--sp]; st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] - (uint64_t)b); break;
        case MUL: b = st[--sp]; st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] * (uint64_t)b); break;
        case DIVS: b = st[--sp]; st[sp - 1] = b ? st[sp - 1] / b : 0; break;
        case MODS: b = st[--sp]; st[sp - 1] = b ? st[sp - 1] % b : 0; break;
        case DIVU: b = st[--sp]; st[sp - 1] = b ? (int64_t)((uint64_t)st[sp - 1] / (uint64_t)b) : 0; break;
        case AND: b = st[--sp]; st[sp - 1] &= b; break;
        case OR: b = st[--sp]; st[sp - 1] |= b; break;
        case XOR: b = st[--sp]; st[sp - 1] ^= b; break;
        case SHL: b = st[--sp]; st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] << (b & 63)); break;
        case SHR: b = st[--sp]; st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] >> (b & 63)); break;
        case SAR: b = st[--sp]; st[sp - 1] >>= (b & 63); break;
        case NEG: st[sp - 1] = (int64_t)(0 - (uint64_t)st[sp - 1]); break;
        case NOT: st[sp - 1] = ~st[sp - 1]; break;
        case LT: b = st[--sp]; st[sp - 1] = st[sp - 1] < b; break;
        case LTU: b = st[--sp]; st[sp - 1] = (uint64_t)st[sp - 1] < (uint64_t)b; break;
        case EQ: b = st[--sp]; st[sp - 1] = st[sp - 1] == b; break;
        case JMP: pc = code[pc]; break;
        case JZ: a = st[--sp]; pc = a ? pc + 1 : code[pc]; break;
        case JNZ: a = st[--sp]; pc = a ? code[pc] : pc + 1; break;
        case LOAD: st[sp++] = m->locals[fp + code[pc++]]; break;
        case STORE: m->locals[fp + code[pc++]] = st[--sp]; break;
        case CALL: m->rstack[rsp++] = pc + 1; pc = code[pc]; break;
        case RET: pc = m->rstack[--rsp]; break;
        case ENTER: fp += 8; break;
        case LEAVE: fp -= 8; break;
        case INC: st[sp - 1]++; break;
        case DEC: st[sp - 1]--; break;
        case OUT: out = mix64(out, (uint64_t)st[--sp]); break;
        case NOP: break;
        default: m->out = out; m->steps = steps; return -1;
        }
    }
}

/* ---------------- function-pointer interpreter ---------------- */
struct cpu { int64_t *st; int sp, fp, rsp; int64_t pc; uint64_t out; int halted; struct vm *m; };
typedef void (*handler)(struct cpu *);

#define H(name) static void h_##name(struct cpu *c)
#define S c->st
#define SP c->sp
H(halt) { c->halted = 1; }
H(push) { S[SP++] = code[c->pc++]; }
H(pop) { SP--; }
H(dup) { S[SP] = S[SP - 1]; SP++; }
H(swap) { int64_t a = S[SP - 1]; S[SP - 1] = S[SP - 2]; S[SP - 2] = a; }
H(over) { S[SP] = S[SP - 2]; SP++; }
H(rot) { int64_t a = S[SP - 3]; S[SP - 3] = S[SP - 2]; S[SP - 2] = S[SP - 1]; S[SP - 1] = a; }
H(add) { int64_t b = S[--SP]; S[SP - 1] = (int64_t)((uint64_t)S[SP - 1] + (uint64_t)b); }
H(sub) { int64_t b = S[--SP]; S[SP - 1] = (int64_t)((uint64_t)S[SP - 1] - (uint64_t)b); }
H(mul) { int64_t b = S[--SP]; S[SP - 1] = (int64_t)((uint64_t)S[SP - 1] * (uint64_t)b); }
H(divs) { int64_t b = S[--SP]; S[SP - 1] = b ? S[SP - 1] / b : 0; }
H(mods) { int64_t b = S[--SP]; S[SP - 1] = b ? S[SP - 1] % b : 0; }
H(divu) { int64_t b = S[--SP]; S[SP - 1] = b ? (int64_t)((uint64_t)S[SP - 1] / (uint64_t)b) : 0; }
H(and) { int64_t b = S[--SP]; S[SP - 1] &= b; }
H(or) { int64_t b = S[--SP]; S[SP - 1] |= b; }
H(xor) { int64_t b = S[--SP]; S[SP - 1] ^= b; }
H(shl) { int64_t b = S[--SP]; S[SP - 1] = (int64_t)((uint64_t)S[SP - 1] << (b & 63)); }
H(shr) { int64_t b = S[--SP]; S[SP - 1] = (int64_t)((uint64_t)S[SP - 1] >> (b & 63)); }
H(sar) { int64_t b = S[--SP]; S[SP - 1] >>= (b & 63); }
H(neg) { S[SP - 1] = (int64_t)(0 - (uint64_t)S[SP - 1]); }
H(not) { S[SP - 1] = ~S[SP - 1]; }
H(lt) { int64_t b = S[--SP]; S[SP - 1] = S[SP - 1] < b; }
H(ltu) { int64_t b = S[--SP]; S[SP - 1] = (uint64_t)S[SP - 1] < (uint64_t)b; }
H(eq) { int64_t b = S[--SP]; S[SP - 1] = S[SP - 1] == b; }
H(jmp) { c->pc = code[c->pc]; }
H(jz) { int64_t a = S[--SP]; c->pc = a ? c->pc + 1 : code[c->pc]; }
H(jnz) { int64_t a = S[--SP]; c->pc = a ? code[c->pc] : c->pc + 1; }
H(load) { S[SP++] = c->m->locals[c->fp + code[c->pc++]]; }
H(store) { c->m->locals[c->fp + code[c->pc++]] = S[--SP]; }
H(call) { c->m->rstack[c->rsp++] = c->pc + 1; c->pc = code[c->pc]; }
H(ret) { c->pc = c->m->rstack[--c->rsp]; }
H(inc) { S[SP - 1]++; }
H(dec) { S[SP - 1]--; }
H(out) { c->out = mix64(c->out, (uint64_t)S[--SP]); }
H(enter) { c->fp += 8; }
H(leave) { c->fp -= 8; }
H(nop) { (void)c; }

static const handler table[NOPS] = {
    h_halt, h_push, h_pop, h_dup, h_swap, h_over, h_rot, h_add, h_sub, h_mul, h_divs, h_mods, h_divu, h_and,
    h_or, h_xor, h_shl, h_shr, h_sar, h_neg, h_not, h_lt, h_ltu, h_eq, h_jmp, h_jz, h_jnz, h_load, h_store,
    h_call, h_ret, h_inc, h_dec, h_out, h_enter, h_leave, h_nop,
};

NOINLINE static int64_t run_table(struct vm *m, int64_t entry) {
    struct cpu c = { m->stack, 0, 0, 0, entry, 0, 0, m };
    while (!c.halted) {
        int64_t o = code[c.pc++];
        if ((uint64_t)o >= NOPS) return -1;
        table[o](&c);
    }
    m->out = c.out;
    return c.sp ? c.st[c.sp - 1] : 0;
}

/* ---------------- programs ---------------- */
enum { L_LOOP, L_END, L_FIB, L_FIBBASE, L_OUTER, L_INNER, L_NOTPRIME, L_NEXT, L_DONE, L_GCD, L_GCDEND, L_G2 };

/* sum_{i<n} (i*i ^ (i>>3)) with OUT of every 16th partial sum */
static int64_t prog_sumsq(int64_t n) {
    int64_t e = cpc;
    emit1(PUSH, 0); emit1(STORE, 0);           /* i */
    emit1(PUSH, 0); emit1(STORE, 1);           /* s */
    label(L_LOOP);
    emit1(LOAD, 0); emit1(PUSH, n); emit(LT); emitj(JZ, L_END);
    emit1(LOAD, 0); emit(DUP); emit(MUL); emit1(LOAD, 0); emit1(PUSH, 3); emit(SHR); emit(XOR);
    emit1(LOAD, 1); emit(ADD); emit(DUP); emit1(STORE, 1);
    emit1(LOAD, 0); emit1(PUSH, 15); emit(AND); emitj(JNZ, L_G2); emit(OUT); emitj(JMP, L_FIBBASE);
    label(L_G2); emit(POP);
    label(L_FIBBASE);
    emit1(LOAD, 0); emit(INC); emit1(STORE, 0);
    emitj(JMP, L_LOOP);
    label(L_END);
    emit1(LOAD, 1); emit(HALT);
    link();
    return e;
}
static uint64_t c_sumsq(int64_t n, uint64_t *out) {
    uint64_t s = 0, o = 0;
    for (int64_t i = 0; i < n; i++) {
        s += (uint64_t)(i * i) ^ (uint64_t)(i >> 3);
        if ((i & 15) == 0) o = mix64(o, s);
    }
    *out = o;
    return s;
}

/* recursive fib(k) with CALL/RET and frames */
static int64_t prog_fibrec(int64_t k) {
    int64_t e = cpc;
    emit1(PUSH, k); emitj(CALL, L_FIB); emit(HALT);
    label(L_FIB);                               /* ( n -- fib(n) ) */
    emit(DUP); emit1(PUSH, 2); emit(LT); emitj(JNZ, L_FIBBASE);
    emit(ENTER); emit1(STORE, 0);
    emit1(LOAD, 0); emit(DEC); emitj(CALL, L_FIB);
    emit1(LOAD, 0); emit1(PUSH, 2); emit(SUB); emitj(CALL, L_FIB);
    emit(ADD); emit(LEAVE);
    label(L_FIBBASE);
    emit(RET);
    link();
    return e;
}
static int64_t c_fib(int64_t k) { return k < 2 ? k : c_fib(k - 1) + c_fib(k - 2); }

/* count primes below m by trial division; OUT each prime */
static int64_t prog_primes(int64_t m) {
    int64_t e = cpc;
    emit1(PUSH, 0); emit1(STORE, 2);           /* count */
    emit1(PUSH, 2); emit1(STORE, 0);           /* n */
    label(L_OUTER);
    emit1(LOAD, 0); emit1(PUSH, m); emit(LT); emitj(JZ, L_DONE);
    emit1(PUSH, 2); emit1(STORE, 1);           /* d */
    label(L_INNER);
    emit1(LOAD, 1); emit(DUP); emit(MUL); emit1(LOAD, 0); emit(SWAP); emit(LT); emitj(JNZ, L_LOOP);
    emit1(LOAD, 0); emit1(LOAD, 1); emit(MODS); emitj(JZ, L_NOTPRIME);
    emit1(LOAD, 1); emit(INC); emit1(STORE, 1); emitj(JMP, L_INNER);
    label(L_LOOP);                              /* prime */
    emit1(LOAD, 2); emit(INC); emit1(STORE, 2); emit1(LOAD, 0); emit(OUT);
    label(L_NOTPRIME);
    emit1(LOAD, 0); emit(INC); emit1(STORE, 0); emitj(JMP, L_OUTER);
    label(L_DONE);
    emit1(LOAD, 2); emit(HALT);
    link();
    return e;
}
static int64_t c_primes(int64_t m, uint64_t *out) {
    int64_t c = 0;
    uint64_t o = 0;
    for (int64_t n = 2; n < m; n++) {
        int p = 1;
        for (int64_t d = 2; d * d <= n; d++) if (n % d == 0) { p = 0; break; }
        if (p) { c++; o = mix64(o, (uint64_t)n); }
    }
    *out = o;
    return c;
}

/* sum of gcd(a, b) over a 2-D grid, signed and unsigned ops mixed */
static int64_t prog_gcd(int64_t n) {
    int64_t e = cpc;
    emit1(PUSH, 0); emit1(STORE, 3);           /* sum */
    emit1(PUSH, 1); emit1(STORE, 0);           /* a */
    label(L_OUTER);
    emit1(LOAD, 0); emit1(PUSH, n); emit(SWAP); emit(LT); emitj(JNZ, L_DONE);
    emit1(PUSH, 1); emit1(STORE, 1);           /* b */
    label(L_INNER);
    emit1(LOAD, 1); emit1(PUSH, n); emit(SWAP); emit(LT); emitj(JNZ, L_NEXT);
    emit1(LOAD, 0); emit1(PUSH, 1103515245); emit(MUL); emit1(PUSH, 12345); emit(ADD);
    emit1(PUSH, 7); emit(SAR); emit1(PUSH, 1000000); emit(MODS); emit1(PUSH, 1000001); emit(ADD); emit(NEG); emit(NEG);
    emit1(LOAD, 1); emit1(PUSH, -3); emit(MUL); emit(NEG); emit1(PUSH, 9973); emit(DIVU); emit(INC);
    label(L_GCD);                               /* ( x y -- gcd ) */
    emit(DUP); emitj(JZ, L_GCDEND);
    emit(SWAP); emit(OVER); emit(MODS); emitj(JMP, L_GCD);
    label(L_GCDEND);
    emit(POP); emit1(LOAD, 3); emit(ADD); emit1(STORE, 3);
    emit1(LOAD, 1); emit(INC); emit1(STORE, 1); emitj(JMP, L_INNER);
    label(L_NEXT);
    emit1(LOAD, 0); emit(INC); emit1(STORE, 0); emitj(JMP, L_OUTER);
    label(L_DONE);
    emit1(LOAD, 3); emit(HALT);
    link();
    return e;
}
static int64_t c_gcd(int64_t n) {
    int64_t s = 0;
    for (int64_t a = 1; a <= n; a++)
        for (int64_t b = 1; b <= n; b++) {
            int64_t x = (int64_t)((uint64_t)a * 1103515245u + 12345);
            x = (x >> 7) % 1000000 + 1000001;
            int64_t y = (int64_t)((0 - (uint64_t)b * (uint64_t)-3) / 9973u) + 1;
            while (y) { int64_t t = x % y; x = y; y = t; }
            s += x;
        }
    return s;
}

static struct vm vm1;

int main(int argc, char **argv) {
    int64_t n = (int64_t)arg_u64(argc, argv, 1, 150);
    print_kv_i64("vm n", n);
    uint64_t o1, o2, oc;
    int64_t r1, r2, rc;

    int64_t e = prog_sumsq(n * 10);
    r1 = run_switch(&vm1, e); o1 = vm1.out;
    uint64_t steps = vm1.steps;
    r2 = run_table(&vm1, e); o2 = vm1.out;
    rc = (int64_t)c_sumsq(n * 10, &oc);
    check(r1 == rc && r2 == rc && o1 == oc && o2 == oc, "sumsq");
    print_kv_hex("sumsq", (uint64_t)r1, 16);
    print_kv_hex("sumsq_out", o1, 16);

    int64_t k = 14 + (n >= 100) + (n >= 400) + (n >= 1600) + (n >= 6400);
    e = prog_fibrec(k);
    r1 = run_switch(&vm1, e);
    r2 = run_table(&vm1, e);
    check(r1 == c_fib(k) && r2 == r1, "fib");
    steps += vm1.steps;
    print_kv_i64("fib_k", k);
    print_kv_i64("fib", r1);

    e = prog_primes(n * 5);
    r1 = run_switch(&vm1, e); o1 = vm1.out;
    r2 = run_table(&vm1, e); o2 = vm1.out;
    rc = c_primes(n * 5, &oc);
    check(r1 == rc && r2 == rc && o1 == oc && o2 == oc, "primes");
    steps += vm1.steps;
    if (n == 150) check(r1 == 132, "pi(750)");
    print_kv_i64("primes", r1);
    print_kv_hex("primes_out", o1, 16);

    int64_t g = n / 10 + 5;
    e = prog_gcd(g);
    r1 = run_switch(&vm1, e);
    r2 = run_table(&vm1, e);
    steps += vm1.steps;
    rc = c_gcd(g);
    check(r1 == rc && r2 == rc, "gcd grid");
    print_kv_i64("gcd_sum", r1);

    print_kv_u64("code_words", (uint64_t)cpc);
    print_kv_u64("vm_steps", steps);
    return check_done();
}
