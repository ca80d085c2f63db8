//! The disassembler, derived from the table. Output follows GNU objdump 2.40
//! (`powerpc64le-linux-gnu-objdump -d -M power10`) character for character:
//!
//! - the mnemonic is padded with spaces to 8 columns (one space if longer), then
//!   the operands separated by `,` with no spaces;
//! - registers print as `rN`, `fN`, `vN`, `vsN`, `aN`, CR fields `crN`, CR bits as
//!   `lt`/`gt`/`eq`/`so` or `4*crN+eq`; an `RA|0` field that is 0 prints as `0`;
//! - branch targets print as absolute addresses `0x...` (relative ones from the
//!   `pc` argument; absolute ones truncated to 32 bits, as objdump does);
//! - objdump's preferred extended mnemonics (`mr`, `li`, `beq`, `slwi`, `mflr`, ...)
//!   replace the base form, with the same rules binutils `opcodes/ppc-opc.c` encodes
//!   as table order and operand checks (the first matching entry wins);
//! - optional operands that hold their default (cr0 in compares, BH=0, R=0, ...)
//!   are left out, as `opcodes/ppc-dis.c` does;
//! - PC-relative prefixed instructions (R=1) end in `<TAB># target` (hex, no `0x`),
//!   exactly as objdump prints them;
//! - encodings binutils rejects (invalid forms such as `lbzu` with RA=0 or RA=RT,
//!   reserved BO values, prefixed R=1 with RA≠0) print as `.long 0x...`, like
//!   unknown words. For an 8-byte instruction that is the prefix word alone
//!   (objdump then disassembles the suffix on its own).
//!
//! `tests/isa_disasm.rs` checks all of this against objdump's output for encodings
//! of every table row (`tests/golden/disasm.txt`, made by `tools/disasm-golden/`).

use super::decode::Insn;
use super::operand::{Kind, Operand};
use super::{InsnDef, OE, RC, RC21};
use std::fmt::Write;

const CR_BITS: [&str; 4] = ["lt", "gt", "eq", "so"];

/// The text of one disassembled instruction, before layout.
struct Out {
    mnemonic: String,
    ops: Vec<String>,
    /// Target printed as a trailing `# target` comment (pc-relative prefixed).
    pcrel: Option<u64>,
}

impl Out {
    fn new(mnemonic: impl Into<String>, ops: Vec<String>) -> Out {
        Out {
            mnemonic: mnemonic.into(),
            ops,
            pcrel: None,
        }
    }
    fn render(&self) -> String {
        let mut s = format_parts(&self.mnemonic, &self.ops);
        if let Some(t) = self.pcrel {
            let _ = write!(s, "\t# {t:x}");
        }
        s
    }
}

fn crbit(b: i64) -> String {
    let (f, bit) = (b / 4, (b % 4) as usize);
    if f == 0 {
        CR_BITS[bit].to_string()
    } else {
        format!("4*cr{}+{}", f, CR_BITS[bit])
    }
}

fn gpr(v: i64) -> String {
    format!("r{v}")
}

fn gpr0(v: i64) -> String {
    if v == 0 {
        "0".to_string()
    } else {
        gpr(v)
    }
}

fn addr(a: u64) -> String {
    format!("0x{a:x}")
}

fn operand_text(o: Operand, v: i64, pc: u64) -> String {
    match o.kind() {
        Kind::Gpr => gpr(v),
        Kind::Gpr0 => gpr0(v),
        Kind::Fpr => format!("f{v}"),
        Kind::Vr => format!("v{v}"),
        Kind::Vsr => format!("vs{v}"),
        Kind::CrField => format!("cr{v}"),
        Kind::CrBit => crbit(v),
        Kind::Simm | Kind::Uimm | Kind::Disp => format!("{v}"),
        Kind::Rel => addr(pc.wrapping_add(v as u64)),
        // objdump masks absolute targets to 32 bits (ppc-dis.c, PPC_OPERAND_ABSOLUTE).
        Kind::Abs => addr(v as u64 & 0xffff_ffff),
        Kind::Acc => format!("a{v}"),
    }
}

/// Formats mnemonic and operand strings the way objdump does: the mnemonic padded
/// to 8 columns (at least one space), operands joined by `,`.
pub fn format_parts(mnemonic: &str, ops: &[String]) -> String {
    let mut s = String::with_capacity(32);
    s.push_str(mnemonic);
    if !ops.is_empty() {
        let pad = 8usize.saturating_sub(mnemonic.len()).max(1);
        s.extend(std::iter::repeat_n(' ', pad));
        s.push_str(&ops.join(","));
    }
    s
}

/// `.long 0x...` for words objdump does not disassemble: the whole word, or the
/// prefix word of an 8-byte instruction.
fn dot_long(insn: &Insn) -> String {
    let w = if insn.is_prefixed() {
        insn.prefix
    } else {
        insn.word
    };
    format!(".long 0x{w:x}")
}

/// Disassembles one instruction at address `pc` (needed for branch targets).
pub fn disasm(insn: &Insn, pc: u64) -> String {
    let Some(def) = insn.def() else {
        return dot_long(insn);
    };
    if rejected(insn, def) {
        return dot_long(insn);
    }
    match alias(insn, def, pc) {
        Some(Some(out)) => out.render(),
        Some(None) => dot_long(insn),
        None => {
            let mut out = base(insn, def, pc);
            if def.facility == super::Facility::Mma {
                out.mnemonic = dense_math_name(&out.mnemonic);
            }
            out.render()
        }
    }
}

/// objdump 2.40 prints MMA instructions under their dense-math names:
/// `xvf32gerpp` → `dmxvf32gerpp`, `pmxvf32gerpp` → `pmdmxvf32gerpp`,
/// `xxsetaccz` → `dmsetaccz`, `xxmfacc`/`xxmtacc` → `dmxxmfacc`/`dmxxmtacc`.
fn dense_math_name(m: &str) -> String {
    if m == "xxsetaccz" {
        "dmsetaccz".to_string()
    } else if let Some(rest) = m.strip_prefix("pm") {
        format!("pmdm{rest}")
    } else {
        format!("dm{m}")
    }
}

/// The `o` and `.` suffixes the word's OE/Rc bits add to the row's mnemonic.
fn suffix(insn: &Insn, def: &InsnDef) -> &'static str {
    let oe = def.flags & OE != 0 && insn.oe();
    let rc = (def.flags & RC != 0 && insn.rc()) || (def.flags & RC21 != 0 && insn.oe());
    match (oe, rc) {
        (false, false) => "",
        (false, true) => ".",
        (true, false) => "o",
        (true, true) => "o.",
    }
}

/// The base form: the row's mnemonic and every operand, `D(RA)` for displacements.
fn base(insn: &Insn, def: &InsnDef, pc: u64) -> Out {
    let mut out = Out::new(format!("{}{}", def.mnemonic, suffix(insn, def)), vec![]);
    let ops = def.operands;
    // The R bit of prefixed instructions is an optional operand (default 0 after
    // an explicit base register, 1 when the base is omitted): with R=1 (and RA=0,
    // else rejected) objdump prints `d` alone and the target as a comment.
    let pcrel = ops.contains(&Operand::R) && insn.get(Operand::R) != 0;
    let mut i = 0;
    while i < ops.len() {
        let o = ops[i];
        let v = insn.get(o);
        if o == Operand::R {
            i += 1;
            continue;
        }
        if o.kind() == Kind::Disp && i + 1 < ops.len() {
            let b = ops[i + 1];
            if pcrel {
                out.ops.push(format!("{v}"));
                out.pcrel = Some(pc.wrapping_add(v as u64));
            } else {
                let bt = operand_text(b, insn.get(b), pc);
                out.ops.push(format!("{v}({bt})"));
            }
            i += 2;
            continue;
        }
        out.ops.push(operand_text(o, v, pc));
        i += 1;
    }
    out
}

/// Field values by operand, for the alias rules.
fn g(insn: &Insn, o: Operand) -> i64 {
    insn.get(o)
}

/// Encodings binutils' operand checks reject (`extract_*` functions in
/// opcodes/ppc-opc.c setting `invalid`): objdump prints them as `.long`.
fn rejected(insn: &Insn, def: &InsnDef) -> bool {
    // MMA: an accumulator overlaps VSR[4*AT..4*AT+3]; binutils rejects a VSR
    // source operand inside the target accumulator (gas: "VSR overlaps ACC").
    if def.facility == super::Facility::Mma {
        let at = insn.get(Operand::As);
        let overlaps = def
            .operands
            .iter()
            .filter(|o| matches!(o, Operand::Xa | Operand::Xb))
            .any(|o| insn.get(*o) / 4 == at);
        if overlaps {
            return true;
        }
    }
    let rt = insn.rt() as i64;
    let ra = insn.ra() as i64;
    let rb = insn.rb() as i64;
    let m = def.mnemonic;
    // Prefixed with R=1 and RA != 0 is an invalid form (extract_pcrel).
    if def.operands.contains(&Operand::R) && insn.get(Operand::R) != 0 {
        let ra_op = def
            .operands
            .iter()
            .any(|o| matches!(o, Operand::Ra0 | Operand::Ra));
        if ra_op && ra != 0 {
            return true;
        }
    }
    match m {
        // Loads with update: RA must be neither 0 nor RT (RAL).
        "lbzu" | "lhzu" | "lhau" | "lwzu" | "ldu" | "lbzux" | "lhzux" | "lhaux" | "lwzux"
        | "lwaux" | "ldux" => ra == 0 || ra == rt,
        // Stores and FP loads/stores with update: RA must not be 0 (RAS).
        "stbu" | "sthu" | "stwu" | "stdu" | "stbux" | "sthux" | "stwux" | "stdux" | "lfsu"
        | "lfdu" | "stfsu" | "stfdu" | "lfsux" | "lfdux" | "stfsux" | "stfdux" => ra == 0,
        // lmw: RA must be below RT (RAM: not among the registers loaded).
        "lmw" => ra >= rt,
        // Quadword: RTp even (Q_MASK), and for loads RA != RTp (RAQ).
        // (plq/pstq have no Q_MASK: an odd RTp prints as the even register.)
        "lq" => rt & 1 != 0 || ra == rt,
        "plq" => ra == rt,
        "lqarx" => rt & 1 != 0 || ra == rt || rb == rt,
        "stq" | "stqcx." => rt & 1 != 0,
        // lswx: neither RA nor RB may be RT (RAX, RBX).
        "lswx" => ra == rt || rb == rt,
        "lswi" => ra == rt,
        _ => false,
    }
}

/// BO values valid in ISA 2.0+ (binutils `valid_bo_post_v2`): `z` bits zero, and
/// the `at` = 0b01 hint reserved.
fn valid_bo(bo: i64) -> bool {
    match bo & 0x14 {
        0x00 => bo & 1 == 0,
        0x14 => bo == 0x14,
        0x04 => bo & 3 != 1,
        _ => bo & 9 != 1, // 0x10
    }
}

/// Trap condition names by TO value, in the order binutils prefers them.
fn trap_cond(to: i64) -> Option<&'static str> {
    Some(match to {
        1 => "lgt",
        2 => "llt",
        4 => "eq",
        5 => "lge",
        6 => "lle",
        8 => "gt",
        12 => "ge",
        16 => "lt",
        20 => "le",
        24 => "ne",
        31 => "u",
        _ => return None,
    })
}

/// Which register a conditional branch goes through.
#[derive(Clone, Copy, PartialEq)]
enum Via {
    /// B form: a displacement (`bc`, `bca`, `bcl`, `bcla`).
    Disp,
    Lr,
    Ctr,
    Tar,
}

/// A conditional branch as objdump prints it: the extended mnemonics of the
/// `b<cond>`, `bdnz`, `bdnzf` ... families (with `-`/`+` from the `at` hint bits),
/// or the generic `bc BO,BI,...` form. `None` when binutils rejects the BO value.
///
/// Rules (binutils opcodes/ppc-opc.c, -M power10, i.e. ISA 2.0+ hints):
/// - B form aliases match BO with the hint bits masked, so any hint value gives
///   the alias (`-` for at=0b10, `+` for at=0b11, none otherwise); bdnz/bdz need
///   BI=0; bdnzf/bdzf/bdnzt/bdzt ignore the z bit.
/// - XL forms (lr/ctr/tar) match BO exactly: only valid BO values get an alias.
/// - The generic form checks BO (`valid_bo_post_v2`); its `-`/`+` come from the
///   `a`/`t` bits of the decrement forms.
/// - The CR field of `b<cond>` is an optional operand, left out for cr0 unless a
///   nonzero BH follows it.
fn cond_branch(
    insn: &Insn,
    via: Via,
    lk: bool,
    aa: bool,
    target: Option<String>,
    bh: i64,
) -> Option<Out> {
    let bo = g(insn, Operand::Bo);
    let bi = g(insn, Operand::Bi);
    let reg = match via {
        Via::Disp => "",
        Via::Lr => "lr",
        Via::Ctr => "ctr",
        Via::Tar => "tar",
    };
    let mut tail = String::from(reg);
    if lk {
        tail.push('l');
    }
    if aa {
        tail.push('a');
    }
    // Trailing operands: the target (B form) and BH when nonzero (register forms).
    let mut rest: Vec<String> = Vec::new();
    if let Some(t) = target {
        rest.push(t);
    }
    if via != Via::Disp && bh != 0 {
        rest.push(format!("{bh}"));
    }
    let hint_at = match bo & 3 {
        2 => "-",
        3 => "+",
        _ => "",
    };
    let hint_a = match bo & 9 {
        8 => "-",
        9 => "+",
        _ => "",
    };
    let generic = |hint: &str, rest: Vec<String>| {
        if !valid_bo(bo) {
            return None;
        }
        let base = match via {
            Via::Disp => "bc",
            Via::Lr => "bclr",
            Via::Ctr => "bcctr",
            Via::Tar => "bctar",
        };
        let mut ops = vec![format!("{bo}"), crbit(bi)];
        ops.extend(rest);
        let mut m = String::from(base);
        if lk {
            m.push('l');
        }
        if aa {
            m.push('a');
        }
        m.push_str(hint);
        Some(Out::new(m, ops))
    };
    if via != Via::Disp && !valid_bo(bo) {
        return None;
    }
    match bo & 0x14 {
        // 1a00t / 1a01t: decrement CTR, test it; BI must be 0 for the alias.
        0x10 => {
            if via == Via::Ctr || bi != 0 {
                return generic(hint_a, rest);
            }
            let m = if bo & 2 == 0 { "bdnz" } else { "bdz" };
            Some(Out::new(format!("{m}{tail}{hint_a}"), rest))
        }
        // 001at / 011at: branch if CR bit false / true, named by the condition.
        0x04 => {
            let names = if bo & 8 == 0 {
                ["ge", "le", "ne", "ns"]
            } else {
                ["lt", "gt", "eq", "so"]
            };
            let mut ops = Vec::new();
            if bi / 4 != 0 || (via != Via::Disp && bh != 0) {
                ops.push(format!("cr{}", bi / 4));
            }
            ops.extend(rest);
            Some(Out::new(
                format!("b{}{tail}{hint_at}", names[(bi & 3) as usize]),
                ops,
            ))
        }
        // 0000z / 0001z / 0100z / 0101z: decrement CTR and test a CR bit.
        0x00 => {
            if via == Via::Ctr {
                return generic("", rest);
            }
            let m = ["bdnzf", "bdzf", "", "", "bdnzt", "bdzt"][((bo >> 1) & 7) as usize];
            let mut ops = vec![crbit(bi)];
            ops.extend(rest);
            Some(Out::new(format!("{m}{tail}"), ops))
        }
        // 1z1zz: branch always.
        _ => {
            if via != Via::Disp && bi == 0 {
                Some(Out::new(format!("b{tail}"), rest))
            } else {
                generic("", rest)
            }
        }
    }
}

/// SPR names objdump prints for `mfspr` (`mfxer r3`), taken from its output for
/// every SPR number (binutils opcodes/ppc-opc.c, -M power10).
const MFSPR_NAMES: &[(u16, &str)] = &[
    (1, "mfxer"),
    (3, "mfudscr"),
    (4, "mfrtcu"),
    (5, "mfrtcl"),
    (8, "mflr"),
    (9, "mfctr"),
    (13, "mfuamr"),
    (17, "mfdscr"),
    (18, "mfdsisr"),
    (19, "mfdar"),
    (22, "mfdec"),
    (25, "mfsdr1"),
    (26, "mfsrr0"),
    (27, "mfsrr1"),
    (28, "mfcfar"),
    (29, "mfamr"),
    (48, "mfpidr"),
    (61, "mfiamr"),
    (136, "mfctrl"),
    (153, "mffscr"),
    (157, "mfuamor"),
    (159, "mfpspb"),
    (176, "mfdpdes"),
    (180, "mfdawr0"),
    (181, "mfdawr1"),
    (186, "mfrpr"),
    (187, "mfciabr"),
    (188, "mfdawrx0"),
    (189, "mfdawrx1"),
    (190, "mfhfscr"),
    (256, "mfvrsave"),
    (259, "mfusprg3"),
    (268, "mftb"),
    (269, "mftbu"),
    (280, "mfasr"),
    (282, "mfear"),
    (287, "mfpvr"),
    (304, "mfhsprg0"),
    (305, "mfhsprg1"),
    (306, "mfhdisr"),
    (307, "mfhdar"),
    (308, "mfspurr"),
    (309, "mfpurr"),
    (310, "mfhdec"),
    (313, "mfhrmor"),
    (314, "mfhsrr0"),
    (315, "mfhsrr1"),
    (318, "mflpcr"),
    (319, "mflpidr"),
    (336, "mfhmer"),
    (337, "mfhmeer"),
    (338, "mfpcr"),
    (339, "mfheir"),
    (349, "mfamor"),
    (446, "mftir"),
    (464, "mfptcr"),
    (496, "mfusprg0"),
    (497, "mfusprg1"),
    (505, "mfurmor"),
    (506, "mfusrr0"),
    (507, "mfusrr1"),
    (511, "mfsmfctrl"),
    (736, "mfusier2"),
    (737, "mfusier3"),
    (738, "mfummcr3"),
    (768, "mfusier"),
    (769, "mfummcr2"),
    (770, "mfummcra"),
    (771, "mfupmc1"),
    (772, "mfupmc2"),
    (773, "mfupmc3"),
    (774, "mfupmc4"),
    (775, "mfupmc5"),
    (776, "mfupmc6"),
    (779, "mfummcr0"),
    (780, "mfusiar"),
    (781, "mfusdar"),
    (782, "mfummcr1"),
    (800, "mfbescrs"),
    (801, "mfbescrsu"),
    (802, "mfbescrr"),
    (803, "mfbescrru"),
    (804, "mfebbhr"),
    (805, "mfebbrr"),
    (806, "mfbescr"),
    (815, "mftar"),
    (816, "mfasdr"),
    (823, "mfpsscr"),
    (848, "mfic"),
    (849, "mfvtb"),
    (855, "mfhpsscr"),
    (896, "mfppr"),
    (898, "mfppr32"),
    (1023, "mfpir"),
];
/// SPR names objdump prints for `mtspr`.
const MTSPR_NAMES: &[(u16, &str)] = &[
    (1, "mtxer"),
    (3, "mtudscr"),
    (8, "mtlr"),
    (9, "mtctr"),
    (13, "mtuamr"),
    (17, "mtdscr"),
    (18, "mtdsisr"),
    (19, "mtdar"),
    (20, "mtrtcu"),
    (21, "mtrtcl"),
    (22, "mtdec"),
    (25, "mtsdr1"),
    (26, "mtsrr0"),
    (27, "mtsrr1"),
    (28, "mtcfar"),
    (29, "mtamr"),
    (48, "mtpidr"),
    (61, "mtiamr"),
    (128, "mttfhar"),
    (129, "mttfiar"),
    (130, "mttexasr"),
    (131, "mttexasru"),
    (152, "mtctrl"),
    (153, "mtfscr"),
    (157, "mtuamor"),
    (159, "mtpspb"),
    (176, "mtdpdes"),
    (180, "mtdawr0"),
    (181, "mtdawr1"),
    (186, "mtrpr"),
    (187, "mtciabr"),
    (188, "mtdawrx0"),
    (189, "mtdawrx1"),
    (190, "mthfscr"),
    (256, "mtvrsave"),
    (280, "mtasr"),
    (282, "mtear"),
    (284, "mttbl"),
    (285, "mttbu"),
    (286, "mttbu40"),
    (304, "mthsprg0"),
    (305, "mthsprg1"),
    (306, "mthdisr"),
    (307, "mthdar"),
    (308, "mtspurr"),
    (309, "mtpurr"),
    (310, "mthdec"),
    (313, "mthrmor"),
    (314, "mthsrr0"),
    (315, "mthsrr1"),
    (318, "mtlpcr"),
    (319, "mtlpidr"),
    (336, "mthmer"),
    (337, "mthmeer"),
    (338, "mtpcr"),
    (339, "mtheir"),
    (349, "mtamor"),
    (464, "mtptcr"),
    (496, "mtusprg0"),
    (497, "mtusprg1"),
    (505, "mturmor"),
    (506, "mtusrr0"),
    (507, "mtusrr1"),
    (511, "mtsmfctrl"),
    (752, "mtsier2"),
    (753, "mtsier3"),
    (754, "mtmmcr3"),
    (769, "mtummcr2"),
    (770, "mtummcra"),
    (771, "mtupmc1"),
    (772, "mtupmc2"),
    (773, "mtupmc3"),
    (774, "mtupmc4"),
    (775, "mtupmc5"),
    (776, "mtupmc6"),
    (779, "mtummcr0"),
    (784, "mtsier"),
    (786, "mtmmcra"),
    (787, "mtpmc1"),
    (788, "mtpmc2"),
    (789, "mtpmc3"),
    (790, "mtpmc4"),
    (791, "mtpmc5"),
    (792, "mtpmc6"),
    (795, "mtmmcr0"),
    (796, "mtsiar"),
    (797, "mtsdar"),
    (798, "mtmmcr1"),
    (800, "mtbescrs"),
    (801, "mtbescrsu"),
    (802, "mtbescrr"),
    (803, "mtbescrru"),
    (804, "mtebbhr"),
    (805, "mtebbrr"),
    (806, "mtbescr"),
    (815, "mttar"),
    (816, "mtasdr"),
    (823, "mtpsscr"),
    (848, "mtic"),
    (849, "mtvtb"),
    (855, "mthpsscr"),
    (896, "mtppr"),
    (898, "mtppr32"),
];

fn spr_name(table: &[(u16, &'static str)], spr: i64) -> Option<&'static str> {
    table
        .binary_search_by_key(&(spr as u16), |e| e.0)
        .ok()
        .map(|i| table[i].1)
}

/// Extended mnemonics objdump prints instead of the base form. `None`: no alias
/// applies (print the base form); `Some(None)`: objdump rejects the encoding.
fn alias(insn: &Insn, def: &InsnDef, pc: u64) -> Option<Option<Out>> {
    use Operand::*;
    let w = insn.word;
    let sfx = suffix(insn, def);
    let rt = insn.rt() as i64;
    let ra = insn.ra() as i64;
    let rb = insn.rb() as i64;
    let some = |m: String, ops: Vec<String>| Some(Some(Out::new(m, ops)));
    let m = def.mnemonic;
    match m {
        "addi" if ra == 0 => some("li".into(), vec![gpr(rt), g(insn, Si).to_string()]),
        "addis" if ra == 0 => some("lis".into(), vec![gpr(rt), g(insn, Si).to_string()]),
        "ori" if w == 0x6000_0000 => some("nop".into(), vec![]),
        "ori" if w == 0x63ff_0000 => some("exser".into(), vec![]),
        "xori" if w == 0x6800_0000 => some("xnop".into(), vec![]),
        "or" => match w {
            0x7f5a_d378 => some("miso".into(), vec![]),
            0x7f7b_db78 => some("yield".into(), vec![]),
            0x7fbd_eb78 => some("mdoio".into(), vec![]),
            0x7fde_f378 => some("mdoom".into(), vec![]),
            _ if rt == rb => some(format!("mr{sfx}"), vec![gpr(ra), gpr(rt)]),
            _ => None,
        },
        "nor" if rt == rb => some(format!("not{sfx}"), vec![gpr(ra), gpr(rt)]),
        "cmp" | "cmpl" | "cmpi" | "cmpli" => {
            let l = if g(insn, L10) != 0 { "d" } else { "w" };
            let (stem, tail) = match m {
                "cmp" => ("cmp", ""),
                "cmpl" => ("cmpl", ""),
                "cmpi" => ("cmp", "i"),
                _ => ("cmpl", "i"),
            };
            let bf = g(insn, Bf);
            let mut ops = Vec::new();
            if bf != 0 {
                ops.push(format!("cr{bf}"));
            }
            ops.push(gpr(ra));
            ops.push(match m {
                "cmpi" => g(insn, Si).to_string(),
                "cmpli" => g(insn, Ui).to_string(),
                _ => gpr(rb),
            });
            some(format!("{stem}{l}{tail}"), ops)
        }
        "isel" => {
            let bc = g(insn, BcCr);
            let name = match bc {
                0 => "isellt",
                1 => "iselgt",
                2 => "iseleq",
                _ => return None,
            };
            some(name.into(), vec![gpr(rt), gpr0(ra), gpr(rb)])
        }
        "tw" if w == 0x7fe0_0008 => some("trap".into(), vec![]),
        "tw" | "td" | "twi" | "tdi" => {
            let c = trap_cond(rt)?;
            let (stem, imm) = (&m[..2], m.len() == 3);
            let last = if imm {
                g(insn, Si).to_string()
            } else {
                gpr(rb)
            };
            some(
                format!("{stem}{c}{}", if imm { "i" } else { "" }),
                vec![gpr(ra), last],
            )
        }
        // --- rotates (binutils order: the first matching pattern wins) ---
        "rlwinm" => {
            let (sh, mb, me) = (g(insn, Sh), g(insn, Mb), g(insn, Me));
            let (name, n) = if mb == 0 && me == 31 {
                ("rotlwi", sh)
            } else if sh == 0 && me == 31 {
                ("clrlwi", mb)
            } else if sh == 0 && mb == 0 {
                ("clrrwi", 31 - me)
            } else if mb == 0 && sh == 31 - me {
                ("slwi", sh)
            } else if me == 31 && (32 - sh) & 31 == mb {
                ("srwi", mb)
            } else {
                return None;
            };
            some(
                format!("{name}{sfx}"),
                vec![gpr(ra), gpr(rt), n.to_string()],
            )
        }
        "rlwnm" if g(insn, Mb) == 0 && g(insn, Me) == 31 => {
            some(format!("rotlw{sfx}"), vec![gpr(ra), gpr(rt), gpr(rb)])
        }
        "rldicl" => {
            let (sh, mb) = (g(insn, Sh6), g(insn, Mb6));
            let (name, n) = if mb == 0 {
                ("rotldi", sh)
            } else if sh == 0 {
                ("clrldi", mb)
            } else if (64 - sh) & 63 == mb {
                ("srdi", mb)
            } else {
                return None;
            };
            some(
                format!("{name}{sfx}"),
                vec![gpr(ra), gpr(rt), n.to_string()],
            )
        }
        "rldicr" => {
            let (sh, me) = (g(insn, Sh6), g(insn, Me6));
            let (name, n) = if sh == 0 {
                ("clrrdi", 63 - me)
            } else if sh == 63 - me {
                ("sldi", sh)
            } else {
                return None;
            };
            some(
                format!("{name}{sfx}"),
                vec![gpr(ra), gpr(rt), n.to_string()],
            )
        }
        "rldcl" if g(insn, Mb6) == 0 => {
            some(format!("rotld{sfx}"), vec![gpr(ra), gpr(rt), gpr(rb)])
        }
        // --- CR logical ---
        "crnor" if ra == rb => some("crnot".into(), vec![crbit(rt), crbit(ra)]),
        "cror" if ra == rb => some("crmove".into(), vec![crbit(rt), crbit(ra)]),
        "crxor" if ra == rb && ra == rt => some("crclr".into(), vec![crbit(rt)]),
        "creqv" if ra == rb && ra == rt => some("crset".into(), vec![crbit(rt)]),
        // --- branches ---
        "bc" | "bca" | "bcl" | "bcla" => {
            let aa = m.ends_with('a');
            let lk = m.len() > 2 && m.as_bytes()[2] == b'l';
            let target = if aa {
                operand_text(BdAbs, g(insn, BdAbs), pc)
            } else {
                operand_text(Bd, g(insn, Bd), pc)
            };
            Some(cond_branch(insn, Via::Disp, lk, aa, Some(target), 0))
        }
        "bclr" | "bclrl" | "bcctr" | "bcctrl" | "bctar" | "bctarl" => {
            let via = match &m[..4] {
                "bclr" => Via::Lr,
                "bcct" => Via::Ctr,
                _ => Via::Tar,
            };
            let lk = m.ends_with('l');
            Some(cond_branch(insn, via, lk, false, None, g(insn, Bh)))
        }
        // --- SPR moves ---
        "mfspr" => {
            let spr = g(insn, Spr);
            if let Some(n) = spr_name(MFSPR_NAMES, spr) {
                return some(n.into(), vec![gpr(rt)]);
            }
            match spr {
                272..=275 => some("mfsprg".into(), vec![gpr(rt), (spr - 272).to_string()]),
                528..=543 => {
                    let (kind, n) = bat(spr);
                    some(format!("mf{kind}"), vec![gpr(rt), n.to_string()])
                }
                _ => None,
            }
        }
        "mtspr" => {
            let spr = g(insn, Spr);
            if let Some(n) = spr_name(MTSPR_NAMES, spr) {
                return some(n.into(), vec![gpr(rt)]);
            }
            match spr {
                272..=275 => some("mtsprg".into(), vec![(spr - 272).to_string(), gpr(rt)]),
                528..=543 => {
                    let (kind, n) = bat(spr);
                    some(format!("mt{kind}"), vec![n.to_string(), gpr(rt)])
                }
                _ => None,
            }
        }
        // binutils disassembles only the mfspr form of mftb (XO 339) for POWER4
        // and later; the old XO 371 form prints as `.long` (flags NO371|POWER4).
        "mftb" => Some(None),
        // --- storage control ---
        "sync" => match (g(insn, LSync), insn.bits(14, 15)) {
            (0, 0) => some("hwsync".into(), vec![]),
            (1, 0) => some("lwsync".into(), vec![]),
            (2, 0) => some("ptesync".into(), vec![]),
            (4, 0) => some("phwsync".into(), vec![]),
            (5, 0) => some("plwsync".into(), vec![]),
            (1, 1) => some("stncisync".into(), vec![]),
            (0, 2) => some("stcisync".into(), vec![]),
            (0, 3) => some("stsync".into(), vec![]),
            (3 | 6 | 7, _) => Some(None),
            _ => None,
        },
        "dcbt" | "dcbtst" => {
            let th = g(insn, Th);
            let mut ops = vec![gpr0(ra), gpr(rb)];
            let name = match th {
                0x10 => format!("{m}t"),
                0x11 if m == "dcbt" => "dcbna".into(),
                0..=7 => {
                    if th != 0 {
                        ops.push(th.to_string());
                    }
                    format!("{m}ct")
                }
                8..=15 => {
                    if th != 8 {
                        ops.push(th.to_string());
                    }
                    format!("{m}ds")
                }
                _ => {
                    ops.push(th.to_string());
                    m.to_string()
                }
            };
            some(name, ops)
        }
        "lswi" | "stswi" => {
            let nb = g(insn, Nb);
            let nb = if nb == 0 { 32 } else { nb };
            some(m.into(), vec![gpr(rt), gpr0(ra), nb.to_string()])
        }
        // --- VMX / VSX register-copy aliases ---
        "vor" if ra == rb => some("vmr".into(), vec![format!("v{rt}"), format!("v{ra}")]),
        "vnor" if ra == rb => some("vnot".into(), vec![format!("v{rt}"), format!("v{ra}")]),
        "xxlor" | "xxlnor" | "xvcpsgnsp" | "xvcpsgndp" if g(insn, Xa) == g(insn, Xb) => {
            let name = match m {
                "xxlor" => "xxmr",
                "xxlnor" => "xxlnot",
                "xvcpsgnsp" => "xvmovsp",
                _ => "xvmovdp",
            };
            some(
                name.into(),
                vec![format!("vs{}", g(insn, Xt)), format!("vs{}", g(insn, Xa))],
            )
        }
        "xxpermdi" => {
            let (xt, xa, xb, dm) = (g(insn, Xt), g(insn, Xa), g(insn, Xb), g(insn, Dm));
            let vs = |v: i64| format!("vs{v}");
            if xa == xb && (dm == 0 || dm == 3) {
                return some("xxspltd".into(), vec![vs(xt), vs(xa), (dm & 1).to_string()]);
            }
            match dm {
                0 => some("xxmrghd".into(), vec![vs(xt), vs(xa), vs(xb)]),
                2 if xa == xb => some("xxswapd".into(), vec![vs(xt), vs(xa)]),
                3 => some("xxmrgld".into(), vec![vs(xt), vs(xa), vs(xb)]),
                _ => None,
            }
        }
        // Direct moves name the FPR/VR half of the VSR file (SX/TX bit 31).
        "mfvsrd" | "mfvsrwz" => {
            let x = g(insn, Xs);
            let stem = if m == "mfvsrd" { "d" } else { "wz" };
            if x < 32 {
                some(format!("mffpr{stem}"), vec![gpr(ra), format!("f{x}")])
            } else {
                some(format!("mfvr{stem}"), vec![gpr(ra), format!("v{}", x - 32)])
            }
        }
        "mtvsrd" | "mtvsrwa" | "mtvsrwz" => {
            let x = g(insn, Xt);
            let stem = &m[5..];
            if x < 32 {
                some(format!("mtfpr{stem}"), vec![format!("f{x}"), gpr(ra)])
            } else {
                some(format!("mtvr{stem}"), vec![format!("v{}", x - 32), gpr(ra)])
            }
        }
        "addpcis" if g(insn, Dx) == 0 => some("lnia".into(), vec![gpr(rt)]),
        "sc" if g(insn, Lev) == 0 => some("sc".into(), vec![]),
        // TM (objdump): R and A are optional operands; tend. 1 is tendall.,
        // tsr. 0/1 are tsuspend./tresume.
        "tbegin." if g(insn, L10) == 0 => some("tbegin.".into(), vec![]),
        "tend." => some(
            if g(insn, A6) == 0 {
                "tend."
            } else {
                "tendall."
            }
            .into(),
            vec![],
        ),
        "tsr." => some(
            if g(insn, L10) == 0 {
                "tsuspend."
            } else {
                "tresume."
            }
            .into(),
            vec![],
        ),
        "wait" => match g(insn, Wc) {
            0 => some("wait".into(), vec![]),
            1 => some("waitrsv".into(), vec![]),
            2 => some("pause_short".into(), vec![]),
            _ => Some(None),
        },
        "mtmsr" | "mtmsrd" if g(insn, W) == 0 => some(m.into(), vec![gpr(rt)]),
        "mtcrf" if g(insn, Fxm) == 0xff => some("mtcr".into(), vec![gpr(rt)]),
        // The one-field forms need exactly one FXM bit (extract_fxm).
        "mfocrf" | "mtocrf" if g(insn, Fxm1).count_ones() != 1 => Some(None),
        // The EH hint is an optional operand (default 0).
        "lbarx" | "lharx" | "lwarx" | "ldarx" | "lqarx" if g(insn, Eh) == 0 => {
            some(m.into(), vec![gpr(rt), gpr0(ra), gpr(rb)])
        }
        "plq" | "pstq" => {
            let mut o = base(insn, def, pc);
            o.ops[0] = gpr(rt & !1);
            Some(Some(o))
        }
        // POWER6-only paired FP loads/stores: binutils -M power10 lacks them.
        "lfdp" | "lfdpx" | "stfdp" | "stfdpx" => Some(None),
        // L and W are optional operands (default 0); BF of mtfsfi prints bare.
        "mtfsf" => {
            let (l, wb) = (g(insn, LFsf), g(insn, W));
            let mut ops = vec![g(insn, Flm).to_string(), format!("f{rb}")];
            if l != 0 || wb != 0 {
                ops.push(l.to_string());
            }
            if wb != 0 {
                ops.push(wb.to_string());
            }
            some(format!("{m}{sfx}"), ops)
        }
        "mtfsfi" => {
            let wb = g(insn, W);
            let mut ops = vec![g(insn, Bf).to_string(), g(insn, U).to_string()];
            if wb != 0 {
                ops.push(wb.to_string());
            }
            some(format!("{m}{sfx}"), ops)
        }
        // --- prefixed ---
        "paddi" => {
            let si = g(insn, Si34);
            if g(insn, R) != 0 {
                let mut o = Out::new("pla", vec![gpr(rt), si.to_string()]);
                o.pcrel = Some(pc.wrapping_add(si as u64));
                Some(Some(o))
            } else if ra == 0 {
                some("pli".into(), vec![gpr(rt), si.to_string()])
            } else {
                some("paddi".into(), vec![gpr(rt), gpr(ra), si.to_string()])
            }
        }
        _ => None,
    }
}

/// BAT SPRs 528-543: (`ibatu`/`ibatl`/`dbatu`/`dbatl`, index).
fn bat(spr: i64) -> (&'static str, i64) {
    let kind = match (spr >= 536, spr & 1) {
        (false, 0) => "ibatu",
        (false, _) => "ibatl",
        (true, 0) => "dbatu",
        (true, _) => "dbatl",
    };
    (kind, (spr & 7) >> 1)
}
