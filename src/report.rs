//! Rendering results for people: fault reports, statistics, tables.
//!
//! Knows nothing about engines; it formats values the library computed.

use crate::exec::{Fault, FaultKind};
use crate::isa::{decode_at, disasm::disasm};
use crate::machine::elf::ElfImage;

/// A short multi-line report of a guest killed by a fault: signal, pc (with the
/// symbol), the instruction and its disassembly, and — for an instruction newer
/// than the CPU — the ISA level it needs against the model's.
pub fn fault_report(
    f: &Fault,
    image: &ElfImage,
    cpu_desc: &str,
    level: crate::isa::IsaLevel,
) -> String {
    let mut s = String::new();
    let sig = f.kind.signal();
    let loc = match image.symbolize(f.pc) {
        Some((name, off)) => format!(" ({name}+{off:#x})"),
        None => String::new(),
    };
    s.push_str(&format!(
        "guest killed by {} (signal {}) at pc {:#x}{}\n",
        sig.name(),
        sig.number(),
        f.pc,
        loc
    ));
    let insn_line = |word: u32, prefix: u32| {
        let i = if prefix >> 26 == 1 {
            decode_at(prefix, Some(word))
        } else {
            decode_at(word, None)
        };
        let hex = if prefix >> 26 == 1 {
            format!("{prefix:08x} {word:08x}")
        } else {
            format!("{word:08x}")
        };
        format!("  instruction: {hex}  {}\n", disasm(&i, f.pc))
    };
    match f.kind {
        FaultKind::Illegal {
            word,
            prefix,
            needs,
        } => {
            s.push_str(&insn_line(word, prefix));
            match needs {
                Some(l) => s.push_str(&format!(
                    "  needs {} but the CPU ({}) implements {}\n",
                    l, cpu_desc, level
                )),
                None => s.push_str("  reserved or unknown encoding on every modelled CPU\n"),
            }
        }
        FaultKind::Privileged { word } => {
            s.push_str(&insn_line(word, 0));
            s.push_str("  privileged instruction or SPR in problem state\n");
        }
        FaultKind::Unimplemented { word, prefix } => {
            s.push_str(&insn_line(word, prefix));
            s.push_str(
                "  instruction is valid but not implemented by ppcreplay (a ppcreplay gap)\n",
            );
        }
        FaultKind::Memory(m) => {
            s.push_str(&format!(
                "  {:?} access to {:#x}: {}\n",
                m.access,
                m.addr,
                if m.unmapped {
                    "address not mapped (SEGV_MAPERR)"
                } else {
                    "permission denied (SEGV_ACCERR)"
                }
            ));
        }
        FaultKind::Alignment { addr } => s.push_str(&format!(
            "  alignment interrupt, effective address {addr:#x}\n"
        )),
        FaultKind::Trap => s.push_str("  trap instruction condition met\n"),
        FaultKind::FpEnabled => s.push_str("  enabled floating-point exception\n"),
    }
    s
}
