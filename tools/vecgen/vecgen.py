#!/usr/bin/env python3
"""Independent oracle test-vector generator for ppcreplay.

Every vector is measured by running the instruction under qemu-user
(qemu-ppc64le / qemu-ppc64, QEMU 7.2) inside the freestanding harness of
harness.py.  Nothing here computes an expected value itself.

Usage:  python3 tools/vecgen/vecgen.py [--only GROUP[,GROUP]] [--jobs N]
Output: tests/vectors/<group>.jsonl, tests/vectors/INDEX.txt

Deterministic: fixed random seeds, fixed harness addresses.
"""

import argparse
import collections
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness as H  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "vectors")
BUILDDIR = os.path.join(tempfile.gettempdir(), "ppcreplay-vecgen")

NOP = 0x60000000
M64 = (1 << 64) - 1
M128 = (1 << 128) - 1

# --------------------------------------------------------------------------
# Documented defaults for every register a vector does not set explicitly.
# --------------------------------------------------------------------------
def default_gpr(n):
    return (0x0101010101010101 * n) & M64


def default_vsr(n):
    b = 0x80 + n
    return int.from_bytes(bytes([b]) * 16, "big")


DEFAULT_SPR = {"cr": 0, "xer": 0, "lr": 0, "ctr": 0, "fpscr": 0,
               "vscr": 0x00010000, "vrsave": 0, "tar": 0, "ppr": 0,
               "texasr": 0, "tfiar": 0, "tfhar": 0}


def default_mem():
    return bytes((i * 0x1d + 0x5b) & 0xff for i in range(H.MEM_SIZE))


SPR_OFF = {"cr": H.OFF_CR, "xer": H.OFF_XER, "lr": H.OFF_LR,
           "ctr": H.OFF_CTR, "fpscr": H.OFF_FPSCR, "vscr": H.OFF_VSCR,
           "vrsave": H.OFF_VRSAVE, "tar": H.OFF_TAR, "ppr": H.OFF_PPR,
           "texasr": H.OFF_TEXASR, "tfiar": H.OFF_TFIAR,
           "tfhar": H.OFF_TFHAR}

REG_ORDER = ([f"r{i}" for i in range(32)] + list(SPR_OFF) +
             [f"vs{i}" for i in range(64)])


class Case:
    __slots__ = ("group", "asm", "inp", "mem", "endians", "cpus",
                 "asflags", "lk", "seq", "words", "note", "mnem", "quirk")

    def __init__(self, group, asm, inp=None, mem=None, endians=("le",),
                 cpus=("power10",), asflags="-mpower10", lk=False,
                 seq=False, note=None, mnem=None, quirk=None):
        self.group = group
        self.asm = asm
        self.inp = dict(inp or {})
        self.mem = mem            # bytes (memory-touching case) or None
        self.endians = tuple(endians)
        self.cpus = tuple(cpus)
        self.asflags = asflags
        self.lk = lk
        self.seq = seq
        self.words = None
        self.note = note
        self.quirk = quirk
        self.mnem = mnem or asm.split()[0]


# --------------------------------------------------------------------------
# Assembling
# --------------------------------------------------------------------------
def assemble(cases, log):
    """Fill case.words from GNU as (big-endian object, words read as the ISA
    numbers them); drop cases gas rejects.  Returns kept cases in order."""
    byflags = collections.defaultdict(list)
    for c in cases:
        byflags[c.asflags].append(c)
    os.makedirs(BUILDDIR, exist_ok=True)
    ok = set()
    for flags, cs in byflags.items():
        for _attempt in range(5):
            src = os.path.join(BUILDDIR, "cases.s")
            obj = os.path.join(BUILDDIR, "cases.o")
            lines = [".text"]
            for i, c in enumerate(cs):
                lines.append(f".balign 32; c{i}: {c.asm} ; c{i}e:")
            lines.append('.section .lens,"a"')
            for i in range(len(cs)):
                lines.append(f".byte c{i}e-c{i}")
            with open(src, "w") as f:
                f.write("\n".join(lines) + "\n")
            p = subprocess.run(["powerpc64-linux-gnu-as", "-mbig"] +
                               flags.split() + [src, "-o", obj],
                               capture_output=True, text=True)
            if p.returncode == 0:
                break
            bad = set()
            for m in re.finditer(r"cases\.s:(\d+): Error: (.*)", p.stderr):
                idx = int(m.group(1)) - 2
                if 0 <= idx < len(cs):
                    if idx not in bad:
                        log(f"gas rejects {cs[idx].asm!r} ({flags}): "
                            f"{m.group(2)}")
                    bad.add(idx)
            if not bad:
                raise RuntimeError(p.stderr[:2000])
            cs = [c for i, c in enumerate(cs) if i not in bad]
        else:
            raise RuntimeError("assembler keeps failing")
        txt = os.path.join(BUILDDIR, "text.bin")
        lens = os.path.join(BUILDDIR, "lens.bin")
        subprocess.run(["powerpc64-linux-gnu-objcopy", "-O", "binary",
                        "--only-section=.text", obj, txt], check=True)
        subprocess.run(["powerpc64-linux-gnu-objcopy", "-O", "binary",
                        "--only-section=.lens", obj, lens], check=True)
        tb = open(txt, "rb").read()
        lb = open(lens, "rb").read()
        for i, c in enumerate(cs):
            n = lb[i]
            if n % 4 or n == 0 or n > 4 * H.MAX_WORDS:
                log(f"gas: bad length {n} for {c.asm!r}")
                continue
            raw = tb[32 * i: 32 * i + n]
            c.words = [struct.unpack(">I", raw[j:j + 4])[0]
                       for j in range(0, n, 4)]
            ok.add(id(c))
    return [c for c in cases if id(c) in ok]


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------
def build_state(case, endian):
    e = "<" if endian == "le" else ">"
    st = bytearray(H.STATE_SIZE)
    vals = {}
    for n in range(32):
        vals[f"r{n}"] = default_gpr(n)
    for n in range(64):
        vals[f"vs{n}"] = default_vsr(n)
    vals.update(DEFAULT_SPR)
    for k, v in case.inp.items():
        if k not in vals:
            raise KeyError(f"unknown register {k} in {case.asm}")
        vals[k] = v
    for n in range(32):
        struct.pack_into(e + "Q", st, H.OFF_GPR + 8 * n, vals[f"r{n}"] & M64)
    for k, off in SPR_OFF.items():
        struct.pack_into(e + "Q", st, off, vals[k] & M64)
    for n in range(64):
        v = vals[f"vs{n}"] & M128
        struct.pack_into(e + "QQ", st, H.OFF_VSR + 16 * n, v >> 64, v & M64)
    mem = case.mem if case.mem is not None else default_mem()
    assert len(mem) == H.MEM_SIZE
    st[H.OFF_MEM:H.OFF_MEM + H.MEM_SIZE] = mem
    return bytes(st)


def record(words, state, endian):
    e = "<" if endian == "le" else ">"
    w = list(words) + [0] * (H.MAX_WORDS - len(words))
    hdr = struct.pack(e + "4I2I8x", *w, len(words), 0)
    return hdr + state


def parse_state(buf, endian):
    e = "<" if endian == "le" else ">"
    d = {}
    for n in range(32):
        d[f"r{n}"] = struct.unpack_from(e + "Q", buf, H.OFF_GPR + 8 * n)[0]
    for k, off in SPR_OFF.items():
        d[k] = struct.unpack_from(e + "Q", buf, off)[0]
    for n in range(64):
        hi, lo = struct.unpack_from(e + "QQ", buf, H.OFF_VSR + 16 * n)
        d[f"vs{n}"] = (hi << 64) | lo
    d["nia"] = struct.unpack_from(e + "q", buf, H.OFF_NIA)[0]
    d["signo"] = struct.unpack_from(e + "Q", buf, H.OFF_SIGNO)[0]
    d["signip"] = struct.unpack_from(e + "q", buf, H.OFF_SIGNIP)[0]
    d["mem"] = bytes(buf[H.OFF_MEM:H.OFF_MEM + H.MEM_SIZE])
    return d


def run_qemu(exe, endian, cpu, recs, log):
    """Run records through the harness; returns list of output blocks
    (None for a record that killed the harness)."""
    out = []
    i = 0
    CH = 4000
    while i < len(recs):
        chunk = recs[i:i + CH]
        try:
            p = subprocess.run([H.QEMU[endian], "-cpu", cpu, exe],
                               input=b"".join(chunk), capture_output=True,
                               timeout=600)
        except subprocess.TimeoutExpired as e:
            log(f"harness timeout at chunk {i}")
            p = subprocess.CompletedProcess(e.cmd, -9, e.stdout or b"", b"")
        n = len(p.stdout) // H.STATE_SIZE
        for j in range(n):
            out.append(p.stdout[j * H.STATE_SIZE:(j + 1) * H.STATE_SIZE])
        if n < len(chunk):
            log(f"harness died rc={p.returncode} at record {i + n} "
                f"stderr={p.stderr[:200]!r}")
            out.append(None)
            i += n + 1
        else:
            i += len(chunk)
    return out


def hx(v, width=None):
    if width == 128:
        return "%032x" % v
    return hex(v)


def is_vsr(k):
    return k.startswith("vs") and k[2:].isdigit()


def fmt_reg(k, v):
    if is_vsr(k):
        return "%032x" % v
    return hex(v)


FE_QUIRK = ("qemu-user runs with MSR[FE0,FE1] set (precise mode) so an "
            "enabled FP exception raises SIGFPE; Linux defaults to "
            "FE0=FE1=0 (no trap)")

def _s32(x):
    x &= 0xffffffff
    return x - (1 << 32) if x & 0x80000000 else x


def _s64(x):
    x &= M64
    return x - (1 << 64) if x >> 63 else x


def _tdiv(a, b):
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def undefined_mask(case, s0):
    """Bits the ISA leaves undefined (the vector holds QEMU's choice).
    Returns {reg: mask}; a consumer should ignore those bits."""
    mn = case.asm.split()[0]
    base = mn.rstrip(".")
    if base.endswith("o") and base[:-1] in DIVLIKE:
        base = base[:-1]
    if base not in DIVLIKE and base not in ("mulhw", "mulhwu"):
        return None
    try:
        rt, ra, rb = [int(x) for x in case.asm.split()[1].split(",")[:3]]
    except ValueError:
        return None
    a, b = s0[f"r{ra}"], s0[f"r{rb}"]
    rc = mn.endswith(".")
    undef_all = False
    hi = base in ("mulhw", "mulhwu", "divw", "divwu", "divwe", "divweu",
                  "modsw", "moduw") and not base.startswith("mod")
    if base == "divw":
        undef_all = _s32(b) == 0 or (_s32(a) == -(1 << 31) and _s32(b) == -1)
    elif base == "divwu":
        undef_all = b & 0xffffffff == 0
    elif base == "divd":
        undef_all = b == 0 or (_s64(a) == -(1 << 63) and _s64(b) == -1)
    elif base == "divdu":
        undef_all = b == 0
    elif base == "divwe":
        if _s32(b) == 0:
            undef_all = True
        else:
            q = _tdiv(_s32(a) << 32, _s32(b))
            undef_all = not (-(1 << 31) <= q < (1 << 31))
    elif base == "divweu":
        undef_all = (b & 0xffffffff) == 0 or (a & 0xffffffff) >= \
            (b & 0xffffffff)
    elif base == "divde":
        if b == 0:
            undef_all = True
        else:
            q = _tdiv(_s64(a) << 64, _s64(b))
            undef_all = not (-(1 << 63) <= q < (1 << 63))
    elif base == "divdeu":
        undef_all = b == 0 or a >= b
    elif base in ("modsw", "moduw"):
        undef_all = _s32(b) == 0 if base == "modsw" else \
            (b & 0xffffffff) == 0
        if base == "modsw" and _s32(a) == -(1 << 31) and _s32(b) == -1:
            undef_all = True
    elif base in ("modsd", "modud"):
        undef_all = b == 0 if base == "modud" else \
            (b == 0 or (_s64(a) == -(1 << 63) and _s64(b) == -1))
    m = {}
    if undef_all:
        m[f"r{rt}"] = M64
    elif hi:
        m[f"r{rt}"] = 0xffffffff00000000
    if m and rc:
        m["cr"] = 0xe0000000          # CR0 LT/GT/EQ follow the undefined RT
    return m or None


DIVLIKE = {"divw", "divwu", "divd", "divdu", "divwe", "divweu", "divde",
           "divdeu", "modsw", "moduw", "modsd", "modud"}

UNIMPL = collections.Counter()   # mnemonics QEMU answered with SIGILL

SIGNAMES = {4: "SIGILL", 5: "SIGTRAP", 7: "SIGBUS", 8: "SIGFPE",
            11: "SIGSEGV"}


def make_vector(case, endian, cpu, s0, s1, log):
    """s0 = state after restore (nop pass), s1 = state after instruction."""
    v = collections.OrderedDict()
    v["asm"] = case.asm
    v["words"] = ["%08x" % w for w in case.words]
    v["endian"] = endian
    v["cpu"] = cpu
    v["pc"] = hex(H.INSN_ADDR)
    # the nop pass must reproduce the requested state
    req = {}
    for k in REG_ORDER:
        if k in case.inp:
            req[k] = case.inp[k] & (M128 if is_vsr(k) else M64)
        elif k[0] == "r" and k[1:].isdigit():
            req[k] = default_gpr(int(k[1:]))
        elif is_vsr(k):
            req[k] = default_vsr(int(k[2:]))
        else:
            req[k] = DEFAULT_SPR[k]
    inp = collections.OrderedDict()
    for k in REG_ORDER:
        if s0[k] != req[k]:
            if k in case.inp:
                log(f"note: {case.asm} [{endian}/{cpu}]: {k} requested "
                    f"{req[k]:#x} holds {s0[k]:#x}")
            else:
                log(f"WARNING: default {k} not reproduced "
                    f"({req[k]:#x} vs {s0[k]:#x})")
                return None
        if k in case.inp:
            inp[k] = fmt_reg(k, s0[k])
    if s0["signo"]:
        log(f"WARNING: nop pass signalled for {case.asm}")
        return None
    v["in"] = inp
    out = collections.OrderedDict()
    for k in REG_ORDER:
        if s1[k] != s0[k] or k in ("cr", "xer", "fpscr"):
            out[k] = fmt_reg(k, s1[k])
    if s1["signo"] == 4:
        UNIMPL[(case.mnem, endian, cpu)] += 1
        log(f"SIGILL (dropped): {case.asm} [{endian}/{cpu}]")
        return None
    if s1["signo"]:
        if s1["signo"] == 8 and not case.quirk:
            case.quirk = FE_QUIRK
        v["signal"] = SIGNAMES.get(s1["signo"], s1["signo"])
        v["sig_nip_off"] = s1["signip"]
        out["signo"] = s1["signo"]
    else:
        out["nia_off"] = s1["nia"]
        if case.lk:
            out["lr_off"] = s1["lr"] - H.INSN_ADDR
    v["out"] = out
    if case.mem is not None:
        v["mem_addr"] = hex(H.MEM_ADDR)
        v["mem_in"] = s0["mem"].hex()
        v["mem_out"] = s1["mem"].hex()
    elif s1["mem"] != s0["mem"]:
        log(f"WARNING: {case.asm} modified memory but is not a memory case")
        v["mem_addr"] = hex(H.MEM_ADDR)
        v["mem_in"] = s0["mem"].hex()
        v["mem_out"] = s1["mem"].hex()
    if case.seq:
        v["seq"] = True
    um = undefined_mask(case, s0)
    if um:
        v["undef_mask"] = collections.OrderedDict(
            (k, hex(m)) for k, m in um.items())
    if case.note:
        v["note"] = case.note
    if case.quirk:
        v["quirk"] = case.quirk
    return v


def run_cases(cases, exes, log):
    """Returns list of (case, vector) in case order."""
    jobs = collections.defaultdict(list)   # (endian,cpu) -> [case]
    for c in cases:
        for e in c.endians:
            for cpu in c.cpus:
                jobs[(e, cpu)].append(c)
    results = {}
    for (e, cpu), cs in sorted(jobs.items()):
        t0 = time.time()
        recs = []
        for c in cs:
            st = build_state(c, e)
            recs.append(record([NOP], st, e))
            recs.append(record(c.words, st, e))
        outs = run_qemu(exes[e], e, cpu, recs, log)
        for i, c in enumerate(cs):
            o0 = outs[2 * i] if 2 * i < len(outs) else None
            o1 = outs[2 * i + 1] if 2 * i + 1 < len(outs) else None
            if o0 is None or o1 is None:
                log(f"DROPPED (harness died): {c.asm} [{e}/{cpu}]")
                continue
            vec = make_vector(c, e, cpu, parse_state(o0, e),
                              parse_state(o1, e), log)
            if vec is not None:
                results[(id(c), e, cpu)] = vec
        log(f"ran {len(cs)} cases {e}/{cpu} in {time.time() - t0:.1f}s")
    ordered = []
    for c in cases:
        for e in c.endians:
            for cpu in c.cpus:
                v = results.get((id(c), e, cpu))
                if v is not None:
                    ordered.append((c, v))
    return ordered


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--outdir", default=OUTDIR)
    args = ap.parse_args()
    import specs
    logf = open(os.path.join(BUILDDIR if os.path.isdir(BUILDDIR) else
                             tempfile.gettempdir(), "vecgen.log"), "w")

    def log(msg):
        logf.write(msg + "\n")
        logf.flush()
        if msg.startswith(("WARNING", "DROPPED", "harness", "ran", "gas")):
            print(msg, file=sys.stderr)

    os.makedirs(BUILDDIR, exist_ok=True)
    exes = {e: H.build(e, BUILDDIR) for e in ("le", "be")}
    only = set(filter(None, args.only.split(",")))
    groups = specs.all_groups()
    os.makedirs(args.outdir, exist_ok=True)
    for gname, gen in groups:
        if only and gname not in only:
            continue
        t0 = time.time()
        cases = list(gen())
        cases = assemble(cases, log)
        res = run_cases(cases, exes, log)
        path = os.path.join(args.outdir, f"{gname}.jsonl")
        with open(path, "w") as f:
            for c, v in res:
                f.write(json.dumps(v, separators=(",", ":")) + "\n")
        print(f"{gname}: {len(res)} vectors, {len(cases)} cases, "
              f"{time.time() - t0:.1f}s", file=sys.stderr)
    write_index(args.outdir)


def write_index(outdir):
    counts = collections.Counter()
    for fn in sorted(os.listdir(outdir)):
        if not fn.endswith(".jsonl"):
            continue
        with open(os.path.join(outdir, fn)) as f:
            for line in f:
                v = json.loads(line)
                m = v["asm"].split()[0] if not v.get("seq") else \
                    "seq:" + "+".join(x.strip().split()[0]
                                      for x in v["asm"].split(";"))
                counts[(fn[:-6], m, v["endian"], v["cpu"])] += 1
    with open(os.path.join(outdir, "INDEX.txt"), "w") as f:
        f.write("# mnemonic endian cpu count   (all tests/vectors/*.jsonl)\n")
        agg = collections.Counter()
        for (g, m, e, cpu), n in counts.items():
            agg[(m, e, cpu)] += n
        for (m, e, cpu), n in sorted(agg.items()):
            f.write(f"{m} {e} {cpu} {n}\n")


if __name__ == "__main__":
    main()
