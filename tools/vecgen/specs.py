"""Instruction specs for the vector generator.

Each group function yields vecgen.Case objects.  The generic engine `T()`
expands an assembler template whose operands are placeholders:

  GPRs   {RT} {RA} {RB} {RC} {RS}     -> a register number, and the register
                                          gets a value from the GPR distribution
  FPRs   {FRT} {FRA} {FRB} {FRC}      -> f0..f31, value from the FP distribution
  VRs    {VRT} {VRA} {VRB} {VRC}      -> v0..v31 (= vs32..vs63)
  VSRs   {XT} {XA} {XB} {XC}          -> vs0..vs63
  immediates {SI} (s16) {UI} (u16) {U1}..{U8} (unsigned n bits, edges first)
             {S5} (s5) {BF} {BFA} (0..7) {BT} {BA} {BB} {BI} (0..31)
  a placeholder may carry a value kind: {RB:shift} {XB:vdp} ...

Every register operand, destinations included, gets an explicit random input
value, so instructions that also read their target (rlwimi, isel, fmadd
accumulators, vinsert...) are covered without per-instruction knowledge.
"""

import random
import re

import values as V
from vecgen import Case
import harness as Hh

H_INSN = Hh.INSN_ADDR

M64 = V.M64

# ---------------------------------------------------------------------------
# generic template engine
# ---------------------------------------------------------------------------
GPR_TOK = {"RT", "RA", "RB", "RC", "RS", "RA0", "RTp", "RSp", "RAn"}
FPR_TOK = {"FRT", "FRA", "FRB", "FRC", "FRS", "FRTp", "FRBp", "FRAp"}
VR_TOK = {"VRT", "VRA", "VRB", "VRC", "VRS", "VRTp", "VRAp", "VRBp"}
VSR_TOK = {"XT", "XA", "XB", "XC", "XS", "XTp", "XSp", "AT"}

TOKRE = re.compile(r"\{(\w+)(?::(\w+))?\}")


def gval(rng, kind):
    """GPR value of a kind."""
    if kind in (None, "int"):
        return V.rand_int64(rng)
    if kind == "shift":          # shift amounts 0..127 with noise above
        v = rng.choice(list(range(0, 128)) + [31, 32, 33, 63, 64, 65, 127])
        if rng.random() < 0.3:
            v |= rng.getrandbits(64) & ~0x7f
        return v & M64
    if kind == "small":
        return rng.randint(0, 16)
    if kind == "u32":
        return rng.choice(V.INT32_EDGES + [rng.getrandbits(32)] * 5)
    if kind == "rand":
        return rng.getrandbits(64)
    if kind == "zero":
        return 0
    if kind == "xerarch":        # XER: architected bits only
        return V.rand_xer(rng) | rng.randrange(128)
    if kind == "pprok":          # PPR priority 2..4, other bits zero
        return rng.choice([2, 3, 4]) << 50
    raise KeyError(kind)


def fval(rng, kind):
    """FPR value (64-bit)."""
    if kind in (None, "dp"):
        return V.rand_dp(rng)
    if kind == "sp":
        return V.rand_dp_single(rng)
    if kind == "int":
        return V.rand_int64(rng)
    if kind == "mix":
        return V.rand_dp(rng) if rng.random() < 0.7 else V.rand_int64(rng)
    raise KeyError(kind)


def vval(rng, kind):
    """128-bit vector value."""
    if kind in (None, "vec"):
        return V.rand_vec(rng)
    if kind in ("v8", "v16", "v32", "v64", "v128"):
        return V.rand_vec(rng, int(kind[1:]))
    if kind == "vdp":
        return V.rand_vec_dp(rng)
    if kind == "vsp":
        return V.rand_vec_sp(rng)
    if kind == "vhp":
        return V.rand_vec_hp(rng)
    if kind == "sdp":            # scalar double in dword 0, junk in dword 1
        return V.rand_dp_vsr(rng)
    if kind == "ssp":            # scalar single-representable double
        return V.rand_dp_vsr(rng, single=True)
    if kind == "qp":
        return V.rand_qp(rng)
    if kind == "bcd":
        return V.rand_bcd(rng)
    if kind == "rand":
        return rng.getrandbits(128)
    if kind == "sint":           # scalar integer in dword 0
        return (V.rand_int64(rng) << 64) | rng.getrandbits(64)
    if kind == "w1":             # scalar word in word 1 (lower half of dword 0)
        return (V.rand_int64(rng) << 64) | rng.getrandbits(64)
    raise KeyError(kind)


def imm(rng, bits, signed=False):
    if signed:
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        edges = [0, 1, -1, lo, hi, 2, -2]
    else:
        lo, hi = 0, (1 << bits) - 1
        edges = [0, 1, hi, hi - 1, 2, hi >> 1, (hi >> 1) + 1]
    if rng.random() < 0.4:
        return rng.choice(edges)
    return rng.randint(lo, hi)


def pick_reg(rng, cls, used, allow0=True, lo=0):
    n = {"R": 32, "F": 32, "V": 32, "X": 64}[cls]
    same = [r for (c, r) in used if c == cls]
    if same and rng.random() < 0.12:
        return rng.choice(same)
    while True:
        r = rng.randrange(lo, n)
        if r == 0 and not allow0:
            continue
        return r


def T(group, tmpl, n, rng, gk=None, fk=None, vk=None, xk=None, cr=True,
      xer=False, fpscr=False, isa300=True, extra=None, check=None, **kw):
    """Expand a template n times.

    gk/fk/vk/xk: default value kinds for GPR/FPR/VR/VSR placeholders.
    cr: give CR a random value; xer: random XER; fpscr: random FPSCR
    (True -> random RN; int -> that RN; 'en' -> enables too).
    extra(rng, case_inp) may add inputs.  check(ops) -> bool filters draws.
    """
    out = []
    tries = 0
    while len(out) < n and tries < n * 20:
        tries += 1
        used = []
        ops = {}
        inp = {}
        for m in TOKRE.finditer(tmpl):
            name, kind = m.group(1), m.group(2)
            if name in ops:
                continue
            if name in GPR_TOK:
                r = pick_reg(rng, "R", used)
                if name.endswith("p"):
                    r &= ~1
                used.append(("R", r))
                ops[name] = r
                inp[f"r{r}"] = gval(rng, kind or gk)
                if name.endswith("p"):
                    inp[f"r{r + 1}"] = gval(rng, kind or gk)
            elif name in FPR_TOK:
                r = pick_reg(rng, "F", used)
                if name.endswith("p"):
                    r &= ~1
                used.append(("F", r))
                ops[name] = r
                hi = fval(rng, kind or fk)
                inp[f"vs{r}"] = (hi << 64) | rng.getrandbits(64)
                if name.endswith("p"):
                    inp[f"vs{r + 1}"] = (fval(rng, kind or fk) << 64) | \
                        rng.getrandbits(64)
            elif name in VR_TOK:
                r = pick_reg(rng, "V", used)
                if name.endswith("p"):
                    r &= ~1
                used.append(("V", r))
                ops[name] = r
                inp[f"vs{r + 32}"] = vval(rng, kind or vk)
                if name.endswith("p"):
                    inp[f"vs{r + 33}"] = vval(rng, kind or vk)
            elif name in VSR_TOK:
                r = pick_reg(rng, "X", used)
                if name.endswith("p"):
                    r &= ~1
                used.append(("X", r))
                ops[name] = r
                inp[f"vs{r}"] = vval(rng, kind or xk)
                if name.endswith("p"):
                    inp[f"vs{r + 1}"] = vval(rng, kind or xk)
            elif name == "SI":
                ops[name] = imm(rng, 16, True)
            elif name == "UI":
                ops[name] = imm(rng, 16)
            elif re.fullmatch(r"U\d+", name):
                ops[name] = imm(rng, int(name[1:]))
            elif re.fullmatch(r"S\d+", name):
                ops[name] = imm(rng, int(name[1:]), True)
            elif name in ("BF", "BFA"):
                ops[name] = rng.randrange(8)
            elif name in ("BT", "BA", "BB", "BI", "BC"):
                ops[name] = rng.randrange(32)
            else:
                raise KeyError(f"placeholder {name} in {tmpl}")
        if check and not check(ops):
            continue
        asm = TOKRE.sub(lambda m: str(ops[m.group(1)]), tmpl)
        if cr:
            inp["cr"] = V.rand_cr(rng)
        if xer:
            inp["xer"] = V.rand_xer(rng, isa300)
        if fpscr is not False:
            rn = None if fpscr in (True, "en") else fpscr
            # cycle the rounding mode deterministically for coverage
            if rn is None:
                rn = len(out) % 4
            inp["fpscr"] = V.rand_fpscr(rng, rn, enables=(fpscr == "en"))
        if extra:
            extra(rng, inp, ops)
        out.append(Case(group, asm, inp, **kw))
    return out


def forms(base, rc=True, oe=False):
    r = [base]
    if rc:
        r.append(base + ".")
    if oe:
        r += [base + "o", base + "o."] if rc else [base + "o"]
    return r


def edge_pairs(rng, vals):
    """Cross product subset of edge values for two GPRs."""
    return [(a, b) for a in vals for b in vals]


# ---------------------------------------------------------------------------
# fixed-point
# ---------------------------------------------------------------------------
XO3_OE = ["add", "subf", "addc", "adde", "subfc", "subfe", "mullw", "mulld",
          "divw", "divwu", "divd", "divdu", "divwe", "divweu", "divde",
          "divdeu"]
XO3_NOOE = ["mulhw", "mulhwu", "mulhd", "mulhdu"]
XO2_OE = ["neg", "addme", "addze", "subfme", "subfze"]
CA_SETTERS = {"addc", "adde", "subfc", "subfe", "addme", "addze", "subfme",
              "subfze"}

ARITH_EDGES = [0, 1, M64, 0x7fffffffffffffff, 0x8000000000000000,
               0xffffffff, 0x80000000, 0x7fffffff, 0xffffffff80000000, 2]


def fixed():
    rng = random.Random(1001)
    cs = []
    for base in XO3_OE + XO3_NOOE:
        for mn in forms(base, oe=base in XO3_OE):
            n = 24 if mn == base else 16
            cs += T("fixed", mn + " {RT},{RA},{RB}", n, rng, xer=True)
            # edge pairs
            for _ in range(8):
                a, b = rng.choice(ARITH_EDGES), rng.choice(ARITH_EDGES)
                rt, ra, rb = rng.sample(range(32), 3)
                cs.append(Case("fixed", f"{mn} {rt},{ra},{rb}",
                               {f"r{ra}": a, f"r{rb}": b,
                                "xer": V.rand_xer(rng), "cr": V.rand_cr(rng)}))
            if base in CA_SETTERS or mn.startswith(base + "o"):
                cs += T("fixed", mn + " {RT},{RA},{RB}", 12, rng, xer=True,
                        isa300=False, cpus=("power8",))
    for base in XO2_OE:
        for mn in forms(base, oe=True):
            cs += T("fixed", mn + " {RT},{RA}", 20, rng, xer=True)
            for a in ARITH_EDGES[:6]:
                rt, ra = rng.sample(range(32), 2)
                cs.append(Case("fixed", f"{mn} {rt},{ra}",
                               {f"r{ra}": a, "xer": V.rand_xer(rng),
                                "cr": V.rand_cr(rng)}))
            cs += T("fixed", mn + " {RT},{RA}", 12, rng, xer=True,
                    isa300=False, cpus=("power8",))
    cs += T("fixed", "addex {RT},{RA},{RB},0", 32, rng, xer=True)
    for mn in ["addi", "addis"]:
        cs += T("fixed", mn + " {RT},{RA},{SI}", 24, rng)
        cs += T("fixed", mn + " {RT},0,{SI}", 6, rng)
    for mn in ["addic", "addic.", "subfic", "mulli"]:
        cs += T("fixed", mn + " {RT},{RA},{SI}", 28, rng, xer=True)
        if mn != "mulli":
            cs += T("fixed", mn + " {RT},{RA},{SI}", 12, rng, xer=True,
                    isa300=False, cpus=("power8",))
    for mn in ["modsd", "modud", "modsw", "moduw"]:
        cs += T("fixed", mn + " {RT},{RA},{RB}", 28, rng)
    for mn in ["maddld", "maddhd", "maddhdu"]:
        cs += T("fixed", mn + " {RT},{RA},{RB},{RC}", 28, rng)
    # logical
    for base in ["and", "or", "xor", "nand", "nor", "eqv", "andc", "orc"]:
        for mn in forms(base):
            cs += T("fixed", mn + " {RA},{RS},{RB}", 20, rng, xer=True)
    cs += T("fixed", "mr {RA},{RS}", 8, rng)
    cs += T("fixed", "mr. {RA},{RS}", 8, rng, xer=True)
    cs += T("fixed", "not {RA},{RS}", 8, rng)
    for mn in ["andi.", "andis.", "ori", "oris", "xori", "xoris"]:
        cs += T("fixed", mn + " {RA},{RS},{UI}", 20, rng, xer=True)
    cs += T("fixed", "nop", 2, rng)
    cs += T("fixed", "xnop", 2, rng)
    # compares (CR field random; XER.SO copied into the result)
    for mn in ["cmp", "cmpl"]:
        for L in (0, 1):
            cs += T("fixed", mn + " {BF}," + str(L) + ",{RA},{RB}", 20, rng,
                    xer=True)
    for mn in ["cmpd", "cmpw", "cmpld", "cmplw"]:
        cs += T("fixed", mn + " {BF},{RA},{RB}", 16, rng, xer=True)
        cs += T("fixed", mn + " {RA},{RB}", 8, rng, xer=True)
    for L in (0, 1):
        cs += T("fixed", "cmpi {BF}," + str(L) + ",{RA},{SI}", 20, rng,
                xer=True)
        cs += T("fixed", "cmpli {BF}," + str(L) + ",{RA},{UI}", 20, rng,
                xer=True)
    for mn, im in [("cmpdi", "SI"), ("cmpwi", "SI"), ("cmpldi", "UI"),
                   ("cmplwi", "UI")]:
        cs += T("fixed", mn + " {BF},{RA},{" + im + "}", 16, rng, xer=True)
    # equal operands
    for mn in ["cmpd", "cmpw", "cmpld", "cmplw"]:
        cs += T("fixed", mn + " {BF},{RA},{RA}", 3, rng, xer=True)
    cs += T("fixed", "cmpb {RA},{RS},{RB}", 24, rng)
    cs += T("fixed", "cmpb {RA},{RS},{RB}", 8, rng, extra=lambda r, i, o:
            i.__setitem__(f"r{o['RB']}", i[f"r{o['RS']}"] ^
                          (r.getrandbits(64) & 0xff00ff0000ff00ff)))
    for L in (0, 1):
        cs += T("fixed", "cmprb {BF}," + str(L) + ",{RA},{RB}", 24, rng,
                extra=_cmprb_extra)
    cs += T("fixed", "cmpeqb {BF},{RA},{RB}", 24, rng, extra=_cmpeqb_extra)
    # count / parity / bit permute / extend
    for mn in ["popcntb", "popcntw", "popcntd", "prtyw", "prtyd", "brh",
               "brw", "brd"]:
        cs += T("fixed", mn + " {RA},{RS}", 24, rng)
    for base in ["cntlzw", "cntlzd", "cnttzw", "cnttzd", "extsb", "extsh",
                 "extsw"]:
        for mn in forms(base):
            cs += T("fixed", mn + " {RA},{RS}", 24, rng, xer=True)
    for mn in ["bpermd", "pdepd", "pextd", "cfuged", "cntlzdm", "cnttzdm"]:
        cs += T("fixed", mn + " {RA},{RS},{RB}", 28, rng)
    cs += T("fixed", "bpermd {RA},{RS},{RB}", 8, rng, extra=lambda r, i, o:
            i.__setitem__(f"r{o['RS']}", int.from_bytes(
                bytes(r.randrange(72) for _ in range(8)), "big")))
    # traps: TO random; taken traps raise SIGTRAP (recorded as "signal")
    for mn in ["tw", "td"]:
        cs += T("fixed", mn + " {U5},{RA},{RB}", 24, rng,
                check=lambda o: o["U5"] not in (0,))
    for mn in ["twi", "tdi"]:
        cs += T("fixed", mn + " {U5},{RA},{SI}", 24, rng,
                check=lambda o: o["U5"] not in (0,))
    # ISA 3.0 misc
    cs += T("fixed", "setb {RT},{BFA}", 24, rng)
    for mn in ["setbc", "setbcr", "setnbc", "setnbcr"]:
        cs += T("fixed", mn + " {RT},{BI}", 20, rng)
    cs += T("fixed", "mcrxrx {BF}", 20, rng, xer=True)
    return cs


def _cmprb_extra(rng, inp, ops):
    # make RB a sensible range pair sometimes, RA's low byte nearby
    if rng.random() < 0.7:
        lo1, lo2 = sorted(rng.sample(range(256), 2))
        hi1, hi2 = sorted(rng.sample(range(256), 2))
        inp[f"r{ops['RB']}"] = (rng.getrandbits(32) << 32) | \
            (hi2 << 24) | (hi1 << 16) | (lo2 << 8) | lo1
        if rng.random() < 0.6:
            v = rng.choice([lo1, lo2, hi1, hi2, lo1 + 1, hi2 + 1, lo1 - 1]) & 0xff
            inp[f"r{ops['RA']}"] = (inp[f"r{ops['RA']}"] & ~0xff) | v


def _cmpeqb_extra(rng, inp, ops):
    if rng.random() < 0.6:
        b = inp[f"r{ops['RB']}"]
        byte = (b >> (8 * rng.randrange(8))) & 0xff
        inp[f"r{ops['RA']}"] = (inp[f"r{ops['RA']}"] & ~0xff) | byte


# ---------------------------------------------------------------------------
# rotates / shifts
# ---------------------------------------------------------------------------
def rotate():
    rng = random.Random(1002)
    cs = []
    for mn in forms("rlwinm") + forms("rlwimi"):
        cs += _rot(rng, mn + " {RA},{RS},%d,%d,%d", 40, [32, 32, 32])
    for mn in forms("rlwnm"):
        cs += _rot(rng, mn + " {RA},{RS},{RB:shift},%d,%d", 36, [32, 32])
    for mn in forms("rldicl") + forms("rldicr") + forms("rldic") + \
            forms("rldimi"):
        cs += _rot(rng, mn + " {RA},{RS},%d,%d", 40, [64, 64])
    for mn in forms("rldcl") + forms("rldcr"):
        cs += _rot(rng, mn + " {RA},{RS},{RB:shift},%d", 36, [64])
    for base in ["slw", "srw", "sraw", "sld", "srd", "srad"]:
        for mn in forms(base):
            cs += T("rotate", mn + " {RA},{RS},{RB:shift}", 32, rng,
                    xer=True)
            if base in ("sraw", "srad"):
                cs += T("rotate", mn + " {RA},{RS},{RB:shift}", 12, rng,
                        xer=True, isa300=False, cpus=("power8",))
    for mn in forms("srawi"):
        cs += _rot(rng, mn + " {RA},{RS},%d", 32, [32], xer=True)
        cs += _rot(rng, mn + " {RA},{RS},%d", 12, [32], xer=True,
                   isa300=False, cpus=("power8",))
    for mn in forms("sradi"):
        cs += _rot(rng, mn + " {RA},{RS},%d", 32, [64], xer=True)
        cs += _rot(rng, mn + " {RA},{RS},%d", 12, [64], xer=True,
                   isa300=False, cpus=("power8",))
    for mn in forms("extswsli"):
        cs += _rot(rng, mn + " {RA},{RS},%d", 32, [64], xer=True)
    # extended mnemonics gcc prints
    for mn, lims in [("slwi", [32]), ("srwi", [32]), ("sldi", [64]),
                     ("srdi", [64]), ("clrldi", [64]), ("clrlwi", [32]),
                     ("rotlwi", [32]), ("rotldi", [64]), ("clrrdi", [64]),
                     ("clrrwi", [32]), ("rotrdi", [64]), ("rotrwi", [32])]:
        cs += _rot(rng, mn + " {RA},{RS},%d", 10, lims)
    for mn in ["extrdi", "insrdi", "extldi"]:
        cs += _rot(rng, mn + " {RA},{RS},%d,%d", 10, [64, 64],
                   check=lambda a: 0 < a[0] and a[0] + a[1] <= 64)
    for mn in ["extlwi", "extrwi", "inslwi", "insrwi"]:
        cs += _rot(rng, mn + " {RA},{RS},%d,%d", 10, [32, 32],
                   check=lambda a: 0 < a[0] and a[0] + a[1] <= 32)
    for mn in ["rotlw", "rotld"]:
        cs += T("rotate", mn + " {RA},{RS},{RB:shift}", 10, rng)
    return cs


def _rot(rng, tmpl, n, lims, check=None, **kw):
    out = []
    while len(out) < n:
        args = []
        for lim in lims:
            k = rng.random()
            if k < 0.35:
                args.append(rng.choice([0, 1, lim - 1, lim // 2,
                                        lim // 2 - 1, lim // 2 + 1]))
            else:
                args.append(rng.randrange(lim))
        if check and not check(args):
            continue
        out += T("rotate", tmpl % tuple(args), 1, rng, **kw)
    return out


# ---------------------------------------------------------------------------
# CR logical, CR moves, isel, branches
# ---------------------------------------------------------------------------
BO_BC = [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 24,
         25, 18, 19, 26, 27, 20]
BO_CTR = [4, 5, 6, 7, 12, 13, 14, 15, 20]
CTR_VALS = [0, 1, 2, 3, M64, 0x100000000, 0x100000001, 0xffffffff,
            0x8000000000000000]


def _off(rng, lo=-2048, hi=2044):
    while True:
        o = rng.randrange(lo, hi + 1, 4)
        if o not in (0,):
            return o


def _ctr(rng):
    return rng.choice(CTR_VALS) if rng.random() < 0.6 else \
        rng.getrandbits(rng.choice([8, 64]))


def cr_branch():
    rng = random.Random(1003)
    cs = []
    g = "cr_branch"
    for mn in ["crand", "cror", "crxor", "crnand", "crnor", "creqv",
               "crandc", "crorc"]:
        cs += T(g, mn + " {BT},{BA},{BB}", 32, rng)
    for mn in ["crset", "crclr"]:
        cs += T(g, mn + " {BT}", 8, rng)
    for mn in ["crnot", "crmove"]:
        cs += T(g, mn + " {BT},{BA}", 8, rng)
    cs += T(g, "mcrf {BF},{BFA}", 24, rng)
    cs += T(g, "mfcr {RT}", 12, rng)
    cs += T(g, "mtcrf {U8},{RS}", 28, rng, asflags="-mppc64")
    cs += T(g, "mtcr {RS}", 6, rng, asflags="-mppc64")
    for _ in range(16):
        fxm = 1 << rng.randrange(8)
        cs += T(g, "mtocrf %d,{RS}" % fxm, 1, rng)
        cs += T(g, "mfocrf {RT},%d" % fxm, 1, rng)
    cs += T(g, "isel {RT},{RA},{RB},{BC}", 32, rng)
    cs += T(g, "isel {RT},0,{RB},{BC}", 8, rng)
    for mn in ["isellt", "iselgt", "iseleq"]:
        cs += T(g, mn + " {RT},{RA},{RB}", 6, rng)
    # unconditional
    for mn in ["b", "bl"]:
        for _ in range(24):
            cs.append(Case(g, f"{mn} .{_off(rng):+d}", {"cr": V.rand_cr(rng),
                                                   "lr": rng.getrandbits(64)},
                           lk=mn == "bl"))
    # bc / bcl: all BO kinds
    for mn in ["bc", "bcl"]:
        for bo in BO_BC:
            for _ in range(2 if mn == "bc" else 1):
                bi = rng.randrange(32)
                cs.append(Case(g, f"{mn} {bo},{bi},.{_off(rng):+d}",
                               {"cr": V.rand_cr(rng), "ctr": _ctr(rng),
                                "lr": rng.getrandbits(64)}, lk=mn == "bcl"))
    for _ in range(12):      # same BI, both polarities with known CR
        bi = rng.randrange(32)
        for bo in (12, 4, 16, 18, 8, 0, 10, 2):
            cs.append(Case(g, f"bc {bo},{bi},.{_off(rng):+d}",
                           {"cr": V.rand_cr(rng), "ctr": _ctr(rng)}))
    # to LR / CTR / TAR
    for mn, bos, reg in [("bclr", BO_BC, "lr"), ("bclrl", BO_BC, "lr"),
                         ("bcctr", BO_CTR, "ctr"), ("bcctrl", BO_CTR, "ctr"),
                         ("bctar", BO_CTR, "tar"), ("bctarl", BO_CTR, "tar")]:
        for bo in bos:
            for _ in range(2):
                bi = rng.randrange(32)
                bh = rng.choice([0, 0, 1, 3]) if mn != "bctar" else 0
                tgt = H_INSN + _off(rng)
                if rng.random() < 0.3:
                    tgt |= rng.randrange(1, 4)     # low bits ignored
                inp = {"cr": V.rand_cr(rng), "ctr": _ctr(rng),
                       "lr": H_INSN + _off(rng), "tar": H_INSN + _off(rng)}
                inp[reg] = tgt
                cs.append(Case(g, f"{mn} {bo},{bi},{bh}", inp,
                               lk=mn.endswith("l")))
    # extended mnemonics as gcc prints them
    ext_cond = ["beq", "bne", "blt", "bgt", "ble", "bge", "bso", "bns",
                "beq+", "bne-", "blt-", "bge+"]
    for mn in ext_cond:
        for _ in range(6):
            crf = rng.choice(["", "cr%d," % rng.randrange(8)])
            cs.append(Case(g, f"{mn} {crf}.{_off(rng):+d}",
                           {"cr": V.rand_cr(rng)}))
    for mn in ["bdnz", "bdz", "bdnz+", "bdz-"]:
        for _ in range(8):
            cs.append(Case(g, f"{mn} .{_off(rng):+d}",
                           {"cr": V.rand_cr(rng), "ctr": _ctr(rng)}))
    for mn in ["bdnzt", "bdnzf", "bdzt", "bdzf"]:
        for _ in range(6):
            cs.append(Case(g, f"{mn} {rng.randrange(32)},.{_off(rng):+d}",
                           {"cr": V.rand_cr(rng), "ctr": _ctr(rng)}))
    for mn, reg, lk in [("blr", "lr", False), ("blrl", "lr", True),
                        ("bctr", "ctr", False), ("bctrl", "ctr", True),
                        ("beqlr", "lr", False), ("bnelr", "lr", False),
                        ("bgelr", "lr", False), ("bltlr", "lr", False),
                        ("beqctr", "ctr", False), ("bnectr", "ctr", False),
                        ("bdnzlr", "lr", False)]:
        for _ in range(6):
            inp = {"cr": V.rand_cr(rng), "ctr": _ctr(rng)}
            inp[reg] = H_INSN + _off(rng)
            if mn == "bdnzlr":
                inp["ctr"] = _ctr(rng)
            crf = ""
            if mn[1:3] in ("eq", "ne", "ge", "lt") and rng.random() < 0.5:
                crf = " cr%d" % rng.randrange(8)
            cs.append(Case(g, mn + crf, inp, lk=lk))
    return cs


# ---------------------------------------------------------------------------
# SPR moves
# ---------------------------------------------------------------------------
def spr():
    rng = random.Random(1004)
    cs = []
    g = "spr"
    for name, num in [("lr", 8), ("ctr", 9), ("xer", 1), ("vrsave", 256),
                      ("tar", 815), ("ppr", 896)]:
        for _ in range(10):
            rt = rng.randrange(32)
            inp = {name: rng.getrandbits(64) if name not in ("xer",) else
                   V.rand_xer(rng) | rng.randrange(128),
                   "cr": V.rand_cr(rng)}
            if name == "vrsave":
                inp[name] &= 0xffffffff
            cs.append(Case(g, f"mfspr {rt},{num}", inp))
        if name == "xer":
            cs += T(g, "mtspr 1,{RS:xerarch}", 12, rng)
            cs += T(g, "mtspr 1,{RS:rand}", 4, rng,
                    quirk="QEMU keeps XER reserved bits 32-63 (LSB-0 0-31 "
                    "minus SO/OV/CA/OV32/CA32/count); hardware reads them 0")
        elif name == "ppr":
            cs += T(g, "mtspr 896,{RS:pprok}", 10, rng)
            cs += T(g, "mtspr 896,{RS:rand}", 4, rng,
                    quirk="QEMU stores all 64 PPR bits from problem state; "
                    "hardware only accepts priority 2-4 in bits 11:13")
        else:
            cs += T(g, "mtspr %d,{RS:rand}" % num, 14, rng)
    for mn in ["mflr", "mfctr", "mfxer"]:
        cs += T(g, mn + " {RT}", 6, rng, extra=lambda r, i, o: i.update(
            {"lr": r.getrandbits(64), "ctr": r.getrandbits(64),
             "xer": V.rand_xer(r) | r.randrange(128)}))
    for mn in ["mtlr", "mtctr"]:
        cs += T(g, mn + " {RS}", 6, rng)
    cs += T(g, "mtxer {RS:xerarch}", 16, rng)
    cs += T(g, "mtxer {RS:xerarch}", 8, rng, cpus=("power8",))
    # program-priority nops (or Rx,Rx,Rx) -> PPR
    for r in [1, 2, 3, 5, 6, 7, 31, 26, 27, 29, 30]:
        cs.append(Case(g, f"or {r},{r},{r}", {"ppr": 0x0010000000000000,
                                              "cr": V.rand_cr(rng)}))
    return cs


# ---------------------------------------------------------------------------
def all_groups():
    return [
        ("fixed", fixed),
        ("rotate", rotate),
        ("cr_branch", cr_branch),
        ("spr", spr),
    ]
