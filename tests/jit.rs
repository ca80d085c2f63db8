//! The JIT against the interpreter (the specification): random instruction
//! sequences, budgets ending mid-block, self-modifying code, faults, and every
//! corpus program. Expected values are whatever the interpreter does.
#![cfg(target_arch = "x86_64")]

mod common;

use common::*;
use ppcreplay::cpu::{find_model, ArchState};
use ppcreplay::exec::interp::Interp;
use ppcreplay::exec::jit::Jit;
use ppcreplay::exec::{Cpu, Engine, Stop, VirtualEnv};
use ppcreplay::isa::encode::asm;
use ppcreplay::machine::{LoadOptions, Machine};
use ppcreplay::mem::{perm, Memory};
use proptest::prelude::*;

const CODE: u64 = 0x10000;
const DATA: u64 = 0x40000;
const DATA_LEN: u64 = 0x2000;

type Prog = Vec<(String, Vec<i64>)>;

/// A machine with `prog` at CODE (two RWX pages) and a RW data area.
fn setup(model: &str, le: bool, prog: &Prog, init: &ArchState) -> (Cpu, Memory) {
    let mut cpu = Cpu::new(find_model(model).unwrap(), le);
    let msr = cpu.state.msr;
    let pvr = cpu.state.pvr;
    cpu.state = init.clone();
    cpu.state.msr = msr;
    cpu.state.pvr = pvr;
    cpu.state.pc = CODE;
    let mut mem = Memory::new();
    mem.map_zero(CODE, 0x2000, perm::RWX).unwrap();
    mem.map_zero(DATA, DATA_LEN, perm::RW).unwrap();
    let mut code = Vec::new();
    for (m, ops) in prog {
        let e = asm(m, ops).unwrap_or_else(|e| panic!("{m} {ops:?}: {e:?}"));
        code.extend(e.bytes(le));
    }
    mem.write_bytes(CODE, &code).unwrap();
    let pattern: Vec<u8> = (0..DATA_LEN).map(|k| (k * 37 + 11) as u8).collect();
    mem.write_bytes(DATA, &pattern).unwrap();
    (cpu, mem)
}

/// Runs `prog` on both engines (in `chunks` calls of `run` up to `budget`)
/// and asserts identical results.
fn differential(model: &str, le: bool, prog: &Prog, init: &ArchState, budgets: &[u64]) {
    let (mut a, mut mem_a) = setup(model, le, prog, init);
    let (mut b, mut mem_b) = setup(model, le, prog, init);
    let (mut env_a, mut env_b) = (VirtualEnv::new(7), VirtualEnv::new(7));
    let (mut jit, mut interp) = (Jit::eager(), Interp::new());
    for &budget in budgets {
        let sa = jit.run(&mut a, &mut mem_a, &mut env_a, budget);
        let sb = interp.run(&mut b, &mut mem_b, &mut env_b, budget);
        assert_eq!(sa, sb, "stop, budget {budget}, prog {prog:?}");
        assert_eq!(a.icount, b.icount, "icount, budget {budget}, prog {prog:?}");
        assert_eq!(a.state, b.state, "state, budget {budget}, prog {prog:?}");
        assert_eq!(
            mem_a.digest(),
            mem_b.digest(),
            "memory, budget {budget}, prog {prog:?}"
        );
        if sa != Stop::Budget {
            break;
        }
    }
}

fn ins(m: &str, ops: &[i64]) -> (String, Vec<i64>) {
    (m.to_string(), ops.to_vec())
}

const SPECIAL: [u64; 10] = [
    0,
    1,
    u64::MAX,
    0x8000_0000_0000_0000,
    0x7fff_ffff_ffff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0x7fff_ffff,
    63,
    64,
];

const FP_SPECIAL: [u64; 10] = [
    0x7ff0_0000_0000_0000, // +inf
    0xfff0_0000_0000_0000, // -inf
    0x7ff8_0000_0000_0000, // qNaN
    0x7ff4_0000_0000_0000, // sNaN
    0x8000_0000_0000_0000, // -0
    0x0000_0000_0000_0001, // denormal
    0x3ff0_0000_0000_0000, // 1.0
    0xc000_0000_0000_0000, // -2.0
    0x4330_0000_0000_0000, // 2^52
    0x47ef_ffff_e000_0000, // FLT_MAX
];

fn gpr_value() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => any::<u64>(),
        2 => (0usize..SPECIAL.len()).prop_map(|k| SPECIAL[k]),
        1 => 0u64..200,
    ]
}

fn fpr_value() -> impl Strategy<Value = u64> {
    prop_oneof![
        2 => any::<u64>(),
        2 => (0usize..FP_SPECIAL.len()).prop_map(|k| FP_SPECIAL[k]),
        1 => (-1000i32..1000).prop_map(|v| (v as f64).to_bits()),
    ]
}

/// Random initial state: r1-r4 point into the data area, r5/r6 hold small
/// offsets, LR/CTR sometimes point into the code.
fn init_state() -> impl Strategy<Value = ArchState> {
    (
        prop::collection::vec(gpr_value(), 32),
        prop::collection::vec(fpr_value(), 64),
        any::<u32>(),
        any::<[bool; 5]>(),
        (0u64..64, 0u64..16),
        (0u64..0x100, 0u64..0x100),
        (0u64..4, any::<u64>()),
        prop::collection::vec(gpr_value(), 64),
    )
        .prop_map(
            |(g, f, cr, x, (lr, ctr), (o1, o2), (fpscr_kind, fpscr), vr)| {
                let mut s = ArchState::default();
                for (n, v) in g.into_iter().enumerate() {
                    s.gpr[n] = v;
                }
                for n in 1..=4 {
                    s.gpr[n] = DATA + 0x800 + ((s.gpr[n] & 0x7ff) & !((n as u64 & 1) * 7));
                }
                s.gpr[5] = o1;
                s.gpr[6] = o2;
                for (n, v) in f.into_iter().enumerate() {
                    s.vsr[n / 2 % 64][n % 2] = v;
                }
                // The VRs (VSR 32-63).
                for (n, v) in vr.into_iter().enumerate() {
                    s.vsr[32 + n / 2][n % 2] = v;
                }
                s.cr = cr;
                s.xer_so = x[0] as u8;
                s.xer_ov = x[1] as u8;
                s.xer_ca = x[2] as u8;
                s.xer_ov32 = x[3] as u8;
                s.xer_ca32 = x[4] as u8;
                s.lr = CODE + 4 * lr;
                s.ctr = if ctr < 8 { ctr } else { CODE + 4 * ctr };
                // FPSCR: mostly quiet, sometimes random rounding/sticky bits.
                s.fpscr = match fpscr_kind {
                    0 => 0,
                    1 => fpscr & 0x3,
                    _ => fpscr & 0xffff_ff07,
                };
                s
            },
        )
}

fn reg() -> impl Strategy<Value = i64> {
    0i64..32
}
fn base() -> impl Strategy<Value = i64> {
    prop_oneof![4 => 1i64..5, 1 => 0i64..32]
}

const XO: [&str; 21] = [
    "add", "addc", "adde", "subf", "subfc", "subfe", "mullw", "mulld", "divw", "divd", "divwu",
    "divdu", "mulhw", "mulhwu", "mulhd", "mulhdu", "neg", "addme", "addze", "subfme", "subfze",
];
const LOGIC: [&str; 14] = [
    "and", "or", "xor", "nand", "nor", "eqv", "andc", "orc", "slw", "srw", "sraw", "sld", "srd",
    "srad",
];
const UNARY: [&str; 7] = [
    "extsb", "extsh", "extsw", "cntlzw", "cntlzd", "cnttzw", "cnttzd",
];
const DIMM: [&str; 6] = ["addi", "addis", "addic", "addic.", "subfic", "mulli"];
const UIMM: [&str; 6] = ["andi.", "andis.", "ori", "oris", "xori", "xoris"];
const LOADS_D: [&str; 8] = ["lbz", "lhz", "lha", "lwz", "lbzu", "lhzu", "lwzu", "lhau"];
const LOADS_DS: [&str; 3] = ["ld", "lwa", "ldu"];
const LOADS_X: [&str; 12] = [
    "lbzx", "lhzx", "lhax", "lwzx", "lwax", "ldx", "lbzux", "lwzux", "ldux", "lhbrx", "lwbrx",
    "ldbrx",
];
const STORES_D: [&str; 6] = ["stb", "sth", "stw", "stbu", "sthu", "stwu"];
const STORES_DS: [&str; 2] = ["std", "stdu"];
const STORES_X: [&str; 10] = [
    "stbx", "sthx", "stwx", "stdx", "stbux", "stwux", "stdux", "stwbrx", "sthbrx", "stdbrx",
];
/// VMX element-wise instructions (VRT, VRA, VRB).
const VMX3: [&str; 36] = [
    "vmrghb",
    "vmrghh",
    "vmrghw",
    "vmrglb",
    "vmrglh",
    "vmrglw",
    "vaddubm",
    "vadduhm",
    "vadduwm",
    "vaddudm",
    "vsububm",
    "vsubuhm",
    "vsubuwm",
    "vsubudm",
    "vand",
    "vandc",
    "vor",
    "vxor",
    "vnor",
    "vcmpequb",
    "vcmpequh",
    "vcmpequw",
    "vcmpgtub",
    "vcmpgtsb",
    "vcmpgtsw",
    "vcmpequb.",
    "vcmpgtub.",
    "vslw",
    "vsraw",
    "vsrw",
    "vminub",
    "vmaxub",
    "vcmpneb",
    "vcmpnezb",
    "vcmpneb.",
    "vcmpnezb.",
];
/// Two-operand integer instructions without Rc.
const BITS: [&str; 6] = ["popcntb", "popcntw", "popcntd", "prtyw", "prtyd", "cmpb"];
const CROPS: [&str; 8] = [
    "crand", "cror", "crxor", "crnand", "crnor", "creqv", "crandc", "crorc",
];
const FP3: [&str; 4] = ["fadd", "fsub", "fdiv", "fmul"];
const FP2: [&str; 6] = ["fsqrt", "frsp", "fctiwz", "fcfid", "fmr", "fneg"];
const VSX3: [&str; 12] = [
    "xsadddp", "xvadddp", "xxlor", "xsmuldp", "xxland", "xxlandc", "xxlxor", "xxlnor", "xxlorc",
    "xxlnand", "xxleqv", "xxlor",
];
const VSX_MOVES: [&str; 8] = [
    "mfvsrd", "mfvsrwz", "mfvsrld", "mtvsrd", "mtvsrwz", "mtvsrwa", "mtvsrws", "mtvsrdd",
];
const MODS: [&str; 5] = ["modud", "modsd", "moduw", "modsw", "maddld"];
const BO: [i64; 9] = [4, 12, 20, 16, 18, 0, 2, 8, 10];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    (0..list.len()).prop_map(move |k| list[k])
}

fn suffix(m: &str, oe: bool, rc: bool) -> String {
    format!(
        "{m}{}{}",
        if oe { "o" } else { "" },
        if rc { "." } else { "" }
    )
}

/// One random instruction (assembler mnemonic and operands).
fn insn() -> impl Strategy<Value = (String, Vec<i64>)> {
    prop_oneof![
        4 => (pick(&XO), any::<bool>(), any::<bool>(), reg(), reg(), reg()).prop_map(
            |(m, oe, rc, t, a, b)| {
                if matches!(m, "neg" | "addme" | "addze" | "subfme" | "subfze") {
                    (suffix(m, oe, rc), vec![t, a])
                } else if m.starts_with("mulh") {
                    (suffix(m, false, rc), vec![t, a, b])
                } else {
                    (suffix(m, oe, rc), vec![t, a, b])
                }
            }
        ),
        3 => (pick(&LOGIC), any::<bool>(), reg(), reg(), reg())
            .prop_map(|(m, rc, a, s, b)| (suffix(m, false, rc), vec![a, s, b])),
        2 => (pick(&UNARY), any::<bool>(), reg(), reg())
            .prop_map(|(m, rc, a, s)| (suffix(m, false, rc), vec![a, s])),
        3 => (pick(&DIMM), reg(), reg(), -0x8000i64..0x8000)
            .prop_map(|(m, t, a, v)| (m.to_string(), vec![t, a, v])),
        2 => (pick(&UIMM), reg(), reg(), 0i64..0x10000)
            .prop_map(|(m, a, s, v)| (m.to_string(), vec![a, s, v])),
        3 => (0usize..4, 0i64..8, any::<bool>(), reg(), reg(), -0x8000i64..0x8000).prop_map(
            |(k, bf, l, a, b, imm)| {
                let l = l as i64;
                match k {
                    0 => ins("cmp", &[bf, l, a, b]),
                    1 => ins("cmpl", &[bf, l, a, b]),
                    2 => ins("cmpi", &[bf, l, a, imm]),
                    _ => ins("cmpli", &[bf, l, a, imm & 0xffff]),
                }
            }
        ),
        4 => (0usize..10, any::<bool>(), reg(), reg(), reg(), 0i64..64, 0i64..64, 0i64..64).prop_map(
            |(k, rc, a, s, b, x, y, z)| {
                let r = |m: &str| suffix(m, false, rc);
                match k {
                    0 => (r("rlwinm"), vec![a, s, x & 31, y & 31, z & 31]),
                    1 => (r("rlwimi"), vec![a, s, x & 31, y & 31, z & 31]),
                    2 => (r("rlwnm"), vec![a, s, b, y & 31, z & 31]),
                    3 => (r("rldicl"), vec![a, s, x, y]),
                    4 => (r("rldicr"), vec![a, s, x, y]),
                    5 => (r("rldic"), vec![a, s, x, y]),
                    6 => (r("rldimi"), vec![a, s, x, y]),
                    7 => (r("rldcl"), vec![a, s, b, y]),
                    8 => (r("srawi"), vec![a, s, x & 31]),
                    _ => (r("sradi"), vec![a, s, x]),
                }
            }
        ),
        1 => (reg(), reg(), reg(), 0i64..32).prop_map(|(t, a, b, bc)| ins("isel", &[t, a, b, bc])),
        4 => (pick(&LOADS_D), reg(), base(), -64i64..64)
            .prop_map(|(m, t, a, d)| ins(m, &[t, d, a])),
        2 => (pick(&LOADS_DS), reg(), base(), -16i64..16)
            .prop_map(|(m, t, a, d)| ins(m, &[t, d * 4, a])),
        2 => (pick(&LOADS_X), reg(), base(), 5i64..7)
            .prop_map(|(m, t, a, b)| ins(m, &[t, a, b])),
        4 => (pick(&STORES_D), reg(), base(), -64i64..64)
            .prop_map(|(m, s, a, d)| ins(m, &[s, d, a])),
        2 => (pick(&STORES_DS), reg(), base(), -16i64..16)
            .prop_map(|(m, s, a, d)| ins(m, &[s, d * 4, a])),
        2 => (pick(&STORES_X), reg(), base(), 5i64..7)
            .prop_map(|(m, s, a, b)| ins(m, &[s, a, b])),
        3 => (0usize..7, 0usize..BO.len(), 0i64..32, 1i64..5, any::<bool>()).prop_map(
            |(k, bo, bi, off, back)| {
                let bo = BO[bo];
                let d = if back { -4 * off } else { 4 * off };
                match k {
                    0 => ins("b", &[4 * off]),
                    1 => ins("bl", &[4 * off]),
                    2 => ins("bc", &[bo, bi, d]),
                    3 => ins("bcl", &[bo, bi, 4 * off]),
                    4 => ins("bclr", &[bo, bi, 0]),
                    5 => ins("bcctr", &[bo | 4, bi, 0]),
                    _ => ins("bc", &[bo, bi, 4 * off]),
                }
            }
        ),
        2 => (pick(&CROPS), 0i64..32, 0i64..32, 0i64..32, 0i64..8, 0i64..8).prop_map(
            |(m, t, a, b, f, g)| if t % 5 == 0 { ins("mcrf", &[f, g]) } else { ins(m, &[t, a, b]) }
        ),
        3 => (0usize..10, reg(), 0i64..256).prop_map(|(k, r, fxm)| match k {
            0 => ins("mfcr", &[r]),
            1 => ins("mtcrf", &[fxm, r]),
            2 => ins("mtocrf", &[1 << (fxm & 7), r]),
            3 => ins("mfocrf", &[r, 1 << (fxm & 7)]),
            4 => ins("mfspr", &[r, 8]),
            5 => ins("mtspr", &[8, r]),
            6 => ins("mfspr", &[r, 9]),
            7 => ins("mtspr", &[9, r]),
            8 => ins("mfspr", &[r, 1]),
            _ => ins("mtspr", &[1, r]),
        }),
        3 => (0usize..6, pick(&FP3), pick(&FP2), any::<bool>(), 0i64..32, 0i64..32, 0i64..32).prop_map(
            |(k, m3, m2, rc, t, a, b)| match k {
                0 | 1 => (suffix(m3, false, rc), vec![t, a, b]),
                2 => (suffix(m2, false, rc), vec![t, b]),
                3 => ins("fmadd", &[t, a, b, (t + a) % 32]),
                4 => ins("fcmpu", &[t & 7, a, b]),
                _ => ins(if rc { "lfd" } else { "stfd" }, &[t, 8 * (a - 16), 1 + (b & 3)]),
            }
        ),
        2 => (pick(&VSX3), 0i64..64, 0i64..64, 0i64..64)
            .prop_map(|(m, t, a, b)| ins(m, &[t, a, b])),
        2 => (any::<bool>(), 0i64..64, base(), -8i64..8).prop_map(|(st, x, a, d)| {
            ins(if st { "stxv" } else { "lxv" }, &[x, 16 * d, a])
        }),
        2 => (pick(&VSX_MOVES), 0i64..64, reg()).prop_map(|(m, x, r)| {
            if m.starts_with("mf") {
                ins(m, &[r, x])
            } else if m == "mtvsrdd" {
                ins(m, &[x, r & 3, (r + 1) % 32])
            } else {
                ins(m, &[x, r])
            }
        }),
        2 => (pick(&MODS), reg(), reg(), reg(), reg()).prop_map(|(m, t, a, b, c)| {
            if m == "maddld" { ins(m, &[t, a, b, c]) } else { ins(m, &[t, a, b]) }
        }),
        1 => (0usize..4, reg(), reg(), 0i64..32).prop_map(|(k, a, b, to)| match k {
            0 => ins("tw", &[to, a, b]),
            1 => ins("twi", &[to, a, 5]),
            2 => ins("darn", &[a, b & 1]),
            _ => ins("mftb", &[a, 268]),
        }),
    ]
}

/// A compare (or a record form) followed by a conditional branch that tests
/// the CR field it just wrote: the JIT branches on the host flags there.
fn compare_and_branch() -> impl Strategy<Value = Prog> {
    (
        (
            0usize..6,
            0i64..8,
            any::<bool>(),
            reg(),
            reg(),
            -0x8000i64..0x8000,
        ),
        (0usize..4, 0usize..BO.len(), 0i64..4, 1i64..5, any::<bool>()),
    )
        .prop_map(|((k, bf, l, a, b, imm), (kb, bo, bit, off, back))| {
            let l = l as i64;
            let (first, bf) = match k {
                0 => (ins("cmp", &[bf, l, a, b]), bf),
                1 => (ins("cmpl", &[bf, l, a, b]), bf),
                2 => (ins("cmpi", &[bf, l, a, imm]), bf),
                3 => (ins("cmpli", &[bf, l, a, imm & 0xffff]), bf),
                4 => (ins("add.", &[a, b, a]), 0),
                _ => (ins("andi.", &[a, b, imm & 0xffff]), 0),
            };
            let (bo, bi) = (BO[bo], 4 * bf + bit);
            let d = if back { -4 * off } else { 4 * off };
            let second = match kb {
                0 => ins("bc", &[bo, bi, d]),
                1 => ins("bcl", &[bo, bi, 4 * off]),
                2 => ins("bclr", &[bo, bi, 0]),
                _ => ins("bcctr", &[bo | 4, bi, 0]),
            };
            vec![first, second]
        })
}

fn program() -> impl Strategy<Value = Prog> {
    prop::collection::vec(
        prop_oneof![
            8 => insn().prop_map(|x| vec![x]),
            1 => compare_and_branch(),
            1 => (pick(&VMX3), 0i64..32, 0i64..32, 0i64..32, 0usize..10, -16i64..16).prop_map(
                |(m, t, a, b, k, imm)| match k {
                    0 => vec![ins("vsel", &[t, a, b, (t + b) % 32])],
                    1 => vec![ins(["vspltisb", "vspltish", "vspltisw"][(imm & 3) as usize % 3], &[t, imm])],
                    2 => vec![ins(if imm & 1 == 0 { "lvx" } else { "stvx" }, &[t, 1 + (a & 3), 5])],
                    3 => vec![ins(if imm & 1 == 0 { "dcbt" } else { "dcbtst" }, &[a, b, 0])],
                    4 => vec![ins("xxspltib", &[t + 32 * (a & 1), (imm + 16) * 7])],
                    5 => vec![ins("xxbrd", &[t + 32 * (a & 1), b + 32 * (imm & 1)])],
                    6 => vec![ins("vperm", &[t, a, b, (t + a + b) % 32])],
                    7 if imm & 1 == 0 => vec![ins("vsldoi", &[t, a, b, imm & 15])],
                    7 => vec![ins("xxsldwi", &[t + 32 * (b & 1), a, b + 32 * (t & 1), imm & 3])],
                    8 if imm & 1 == 0 => vec![ins(
                        ["vextubrx", "vextuhrx", "vextuwrx"][(a % 3) as usize],
                        &[t, b, a],
                    )],
                    8 => vec![ins("xxextractuw", &[t + 32 * (a & 1), b, imm & 15])],
                    9 if imm & 1 == 0 => {
                        vec![ins(if a & 1 == 0 { "vextsb2w" } else { "vextsh2w" }, &[t, b])]
                    }
                    9 if imm & 2 == 0 => {
                        let m = ["vspltb", "vsplth", "vspltw"][(a % 3) as usize];
                        vec![ins(m, &[t, b, (imm + 16) & (15 >> (a % 3))])]
                    }
                    9 => {
                        // Quadword loads and stores of the other element
                        // orders (RA = 1..4 hold the data area, RB = r5).
                        let m = ["lxvb16x", "stxvb16x", "lxvd2x"][(b % 3) as usize];
                        vec![ins(m, &[t + 32 * (a & 1), 1 + (a & 3), 5])]
                    }
                    _ => vec![ins(m, &[t, a, b])],
                }
            ),
            1 => (pick(&BITS), reg(), reg(), reg()).prop_map(|(m, a, s, b)| {
                if m == "cmpb" {
                    vec![ins(m, &[a, s, b])]
                } else {
                    vec![ins(m, &[a, s])]
                }
            }),
        ],
        1..40,
    )
    .prop_map(|v| v.into_iter().flatten().collect())
}

fn model() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => Just("power10"),
        2 => Just("power9"),
        1 => Just("power8"),
        1 => Just("power7"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_programs_match_the_interpreter(
        prog in program(),
        init in init_state(),
        le in any::<bool>(),
        model in model(),
    ) {
        // One long run, then the same split into odd-sized slices.
        let n = prog.len() as u64 * 3;
        differential(model, le, &prog, &init, &[n]);
        let budgets: Vec<u64> = (1..=n).step_by(3).collect();
        differential(model, le, &prog, &init, &budgets);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    #[test]
    fn every_budget_stops_at_the_same_instruction(
        prog in prop::collection::vec(insn(), 1..16),
        init in init_state(),
        le in any::<bool>(),
    ) {
        for budget in 1..=prog.len() as u64 + 4 {
            differential("power10", le, &prog, &init, &[budget]);
        }
    }
}

/// A counted loop (a block entered many times) at every budget up to its end.
#[test]
fn a_loop_stops_exactly_at_every_budget() {
    let prog: Prog = vec![
        ins("addi", &[3, 3, 1]),
        ins("std", &[3, 8, 1]),
        ins("cmpi", &[0, 1, 3, 30]),
        ins("bc", &[4, 2, -12]),
        ins("sc", &[0]),
    ];
    let mut init = ArchState::default();
    init.gpr[1] = DATA;
    for le in [false, true] {
        for budget in 1..=125 {
            differential("power10", le, &prog, &init, &[budget]);
        }
        // The same, in slices of every size.
        for step in 1..=9 {
            let budgets: Vec<u64> = (1..=25).map(|k| k * step).collect();
            differential("power10", le, &prog, &init, &budgets);
        }
    }
}

/// A store into the block being executed: the next instruction is the new
/// one, with and without icbi, and a store into code of another block.
#[test]
fn self_modifying_code_is_seen_by_the_next_instruction() {
    let new_word = |le: bool| {
        let w = asm("addi", &[3, 3, 100]).unwrap().word as i64;
        let _ = le;
        w
    };
    for le in [false, true] {
        for icbi in [false, true] {
            // 0: addi r3,r3,1   4: stw r4,8(r5)   8: addi r3,r3,2 (overwritten)
            // 12: [icbi 0,r5 | nop]  16: b 0
            let mut prog: Prog = vec![
                ins("addi", &[3, 3, 1]),
                ins("stw", &[4, 8, 5]),
                ins("addi", &[3, 3, 2]),
            ];
            prog.push(if icbi {
                ins("icbi", &[0, 5])
            } else {
                ins("ori", &[0, 0, 0])
            });
            prog.push(ins("b", &[-16]));
            let mut init = ArchState::default();
            init.gpr[4] = new_word(le) as u64;
            init.gpr[5] = CODE;
            for budget in 1..=40 {
                differential("power10", le, &prog, &init, &[budget]);
            }
            differential("power10", le, &prog, &init, &[3, 7, 8, 20, 41]);
        }
        // The store rewrites an instruction *before* it in the same block and
        // one in a later block.
        let prog: Prog = vec![
            ins("addi", &[3, 3, 1]),
            ins("stw", &[4, 0, 5]),
            ins("stw", &[4, 20, 5]),
            ins("addi", &[6, 6, 1]),
            ins("b", &[4]),
            ins("addi", &[3, 3, 2]),
            ins("b", &[-24]),
        ];
        let mut init = ArchState::default();
        init.gpr[4] = new_word(le) as u64;
        init.gpr[5] = CODE;
        for budget in 1..=40 {
            differential("power10", le, &prog, &init, &[budget]);
        }
    }
}

/// A hot loop rewritten after it ran, under the default JIT (cold code
/// interpreted, hot blocks staged and committed in batches): once while its
/// translation still waits to be committed (100 iterations), once after it
/// runs translated (3000).
#[test]
fn a_hot_loop_rewritten_while_staged_or_committed_matches_the_interpreter() {
    for le in [false, true] {
        for n in [100, 3000] {
            let prog: Prog = vec![
                ins("addi", &[4, 0, n]),
                ins("mtspr", &[9, 4]),
                ins("addi", &[3, 3, 1]),
                ins("bc", &[16, 0, -4]),
                ins("stw", &[6, 8, 5]),
                ins("addi", &[7, 7, 1]),
                ins("cmpi", &[0, 0, 7, 2]),
                ins("bc", &[12, 0, -24]),
                ins("b", &[0]),
            ];
            let mut init = ArchState::default();
            init.gpr[5] = CODE;
            init.gpr[6] = asm("addi", &[3, 3, 100]).unwrap().word as u64;
            let (mut a, mut mem_a) = setup("power10", le, &prog, &init);
            let (mut b, mut mem_b) = setup("power10", le, &prog, &init);
            let budget = 20_000;
            let sa = Jit::new().run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), budget);
            let sb = Interp::new().run(&mut b, &mut mem_b, &mut VirtualEnv::new(0), budget);
            assert_eq!(sa, sb);
            assert_eq!((a.icount, &a.state), (b.icount, &b.state), "n={n}");
            assert_eq!(mem_a.digest(), mem_b.digest());
            assert_eq!(a.state.gpr[3], n as u64 * 101, "n={n}");
        }
    }
}

/// Storing into the code page (not into an instruction that runs) and
/// rewriting code between runs.
#[test]
fn stores_into_the_code_page_and_code_replaced_between_runs() {
    let prog: Prog = vec![
        ins("addi", &[3, 3, 1]),
        ins("std", &[3, 0x800, 5]),
        ins("ld", &[7, 0x800, 5]),
        ins("b", &[-12]),
    ];
    let mut init = ArchState::default();
    init.gpr[5] = CODE;
    for le in [false, true] {
        differential("power10", le, &prog, &init, &[1, 2, 5, 50, 51, 100]);
        // Between runs, the loader path (write_bytes) replaces the first word.
        let (mut a, mut mem_a) = setup("power10", le, &prog, &init);
        let (mut b, mut mem_b) = setup("power10", le, &prog, &init);
        let mut jit = Jit::eager();
        let mut interp = Interp::new();
        let (mut ea, mut eb) = (VirtualEnv::new(0), VirtualEnv::new(0));
        jit.run(&mut a, &mut mem_a, &mut ea, 30);
        interp.run(&mut b, &mut mem_b, &mut eb, 30);
        let w = asm("addi", &[3, 3, 5]).unwrap().bytes(le);
        mem_a.write_bytes(CODE, &w).unwrap();
        mem_b.write_bytes(CODE, &w).unwrap();
        assert_eq!(
            jit.run(&mut a, &mut mem_a, &mut ea, 60),
            interp.run(&mut b, &mut mem_b, &mut eb, 60)
        );
        assert_eq!(a.state, b.state);
        // 8 iterations of +1, then 7 of the new +5.
        assert_eq!(a.state.gpr[3], 8 + 7 * 5);
        // Removing execute permission faults the next fetch on both.
        mem_a.protect(CODE, 0x1000, perm::RW).unwrap();
        mem_b.protect(CODE, 0x1000, perm::RW).unwrap();
        let sa = jit.run(&mut a, &mut mem_a, &mut ea, 90);
        assert_eq!(sa, interp.run(&mut b, &mut mem_b, &mut eb, 90));
        assert!(matches!(sa, Stop::Fault(_)), "{sa:?}");
        assert_eq!((a.state.clone(), a.icount), (b.state.clone(), b.icount));
    }
}

/// Jumping into a data page (no execute permission) and into unmapped memory
/// faults at the same instruction with the same state.
#[test]
fn a_jump_into_data_faults_like_the_interpreter() {
    for target in [DATA, DATA + 0x100, 0x9000_0000] {
        let prog: Prog = vec![
            ins("addi", &[3, 3, 1]),
            ins("mtspr", &[9, 4]),
            ins("bcctr", &[20, 0, 0]),
        ];
        let mut init = ArchState::default();
        init.gpr[4] = target;
        for le in [false, true] {
            differential("power10", le, &prog, &init, &[100]);
            let (mut a, mut mem_a) = setup("power10", le, &prog, &init);
            let s = Jit::eager().run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), 100);
            match s {
                Stop::Fault(f) => assert_eq!(f.pc, target),
                s => panic!("{s:?}"),
            }
            assert_eq!(a.icount, 3);
        }
    }
}

/// Every corpus program: the same exit, output, instruction count, state and
/// memory on both engines — and at least 95% of the instructions the corpus
/// executes run as native host code (issue 6), counted by the JIT itself.
#[test]
fn every_corpus_program_runs_identically_on_the_jit() {
    let mut failures = Vec::new();
    let (mut total, mut interpreted) = (0u64, 0u64);
    let mut worst: Vec<(f64, String)> = Vec::new();
    let entries = manifest();
    assert!(!entries.is_empty());
    for e in &entries {
        let path = elf_path(e);
        let bytes = std::fs::read(&path).unwrap();
        let model = find_model(e.model_name()).unwrap();
        let run = |eng: &mut dyn Engine| {
            let mut env = VirtualEnv::new(0);
            let mut argv = vec![path.file_name().unwrap().to_string_lossy().into_owned()];
            argv.extend(e.args.iter().cloned());
            let opts = LoadOptions {
                argv,
                ..Default::default()
            };
            let mut m = Machine::load(&path.to_string_lossy(), &bytes, model, &mut env, &opts)
                .unwrap_or_else(|err| panic!("{err}"));
            let exit = m.run(eng, &mut env, Some(2_000_000_000));
            (
                exit,
                m.os.stdout.clone(),
                m.cpu.icount,
                m.cpu.state.digest(),
                m.mem.digest(),
            )
        };
        let mut jit = Jit::eager();
        let j = run(&mut jit);
        total += j.2;
        interpreted += jit.interpreted();
        worst.push((jit.interpreted() as f64 / j.2.max(1) as f64, e.elf.clone()));
        let i = run(&mut Interp::new());
        if j != i {
            failures.push(format!(
                "{}: jit {:?} icount {} / interp {:?} icount {}",
                e.elf, j.0, j.2, i.0, i.2
            ));
        }
        // The default JIT (cold code interpreted until it is entered again).
        let t = run(&mut Jit::new());
        if t != i {
            failures.push(format!(
                "{}: tiered jit {:?} icount {} / interp {:?} icount {}",
                e.elf, t.0, t.2, i.0, i.2
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    let native = 1.0 - interpreted as f64 / total as f64;
    eprintln!(
        "native share: {:.2}% of {total} executed instructions; most interpreted: {:?}",
        100.0 * native,
        &worst[..5.min(worst.len())]
    );
    assert!(native >= 0.95, "native share {:.2}%", 100.0 * native);
}

/// A store into a block that another page's block jumps to directly: the
/// chained jump must not reach the stale translation.
#[test]
fn a_store_into_a_chained_block_on_another_page_is_seen() {
    let mut prog: Prog = vec![
        ins("addi", &[3, 3, 1]),    // 0 (A)
        ins("cmpi", &[0, 0, 3, 9]), // 4
        ins("bc", &[12, 2, 8]),     // 8: beq 16
        ins("b", &[0x1000 - 12]),   // 12 (B): to C
        ins("stw", &[4, 0, 5]),     // 16 (S): rewrite C's first word
        ins("b", &[0x1000 - 20]),   // 20: to C
    ];
    while prog.len() < 0x400 {
        prog.push(ins("ori", &[0, 0, 0]));
    }
    prog.push(ins("addi", &[3, 3, 2])); // 0x1000 (C)
    prog.push(ins("b", &[-0x1004])); // to A
    for le in [false, true] {
        let mut init = ArchState::default();
        init.gpr[4] = asm("addi", &[3, 3, 100]).unwrap().word as u64;
        init.gpr[5] = CODE + 0x1000;
        let (mut a, mut mem_a) = setup("power10", le, &prog, &init);
        let (mut b, mut mem_b) = setup("power10", le, &prog, &init);
        a.state.pc = CODE + 0x1000;
        b.state.pc = CODE + 0x1000;
        let (mut ea, mut eb) = (VirtualEnv::new(0), VirtualEnv::new(0));
        let sa = Jit::eager().run(&mut a, &mut mem_a, &mut ea, 60);
        let sb = Interp::new().run(&mut b, &mut mem_b, &mut eb, 60);
        assert_eq!(sa, sb);
        assert_eq!(a.state, b.state);
        assert!(a.state.gpr[3] > 100, "the new code ran: {}", a.state.gpr[3]);
    }
}

#[test]
fn a_trace_recorded_on_one_engine_replays_identically_on_the_other() {
    use std::process::Command;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let elf = root.join("corpus/bin/glibc-strings.le-power9.elf");
    for (rec, rep) in [("jit", "interp"), ("interp", "jit")] {
        let t =
            std::env::temp_dir().join(format!("ppcreplay-jit-{}-{rec}.trace", std::process::id()));
        let o = Command::new(env!("CARGO_BIN_EXE_ppcreplay"))
            .args([
                "record", "--engine", rec, "--cpu", "POWER9", "--clock", "host",
            ])
            .args(["--entropy", "host", "--digest-every", "1000000", "-o"])
            .arg(&t)
            .arg(&elf)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "record on {rec}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let o = Command::new(env!("CARGO_BIN_EXE_ppcreplay"))
            .args(["replay", "--engine", rep])
            .arg(&t)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "recorded on {rec}, replayed on {rep}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let _ = std::fs::remove_file(&t);
    }
}
