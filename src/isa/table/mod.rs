//! The instruction table, one file per facility. [`ALL`] is the whole table; the
//! decoder, encoder, disassembler and legality checks are all derived from it.
//!
//! Sources for every row: Power ISA 3.1B Book I/II (forms, opcodes), checked against
//! GNU as/objdump 2.40 (`../shared/reference/isa-facts.md` §1 [ASM]); ISA levels
//! follow that table, with the overrides it documents (QEMU/LLVM).

pub mod branch;
pub mod fixed;
pub mod fp;
pub mod load_store;
pub mod mma;
pub mod prefixed;
pub mod system;
pub mod tm;
pub mod vmx;
pub mod vsx;

pub use branch::Branch;
pub use fixed::Fixed;
pub use fp::Fp;
pub use load_store::LoadStore;
pub use mma::Mma;
pub use prefixed::Prefixed;
pub use system::System;
pub use tm::Tm;
pub use vmx::Vmx;
pub use vsx::Vsx;

use super::InsnDef;
use std::sync::OnceLock;

/// Names one table row. The interpreter dispatches on the family, then on the
/// family's own enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Op {
    Fixed(Fixed),
    Branch(Branch),
    LoadStore(LoadStore),
    Fp(Fp),
    Vmx(Vmx),
    Vsx(Vsx),
    Mma(Mma),
    Prefixed(Prefixed),
    System(System),
    Tm(Tm),
    /// Not an instruction (reserved or unknown encoding).
    Illegal,
}

/// Every row of every family, in a fixed order (family by family, row order
/// within a family). The index of a row in this slice is its stable row id.
pub fn all() -> &'static [&'static InsnDef] {
    static ALL: OnceLock<Vec<&'static InsnDef>> = OnceLock::new();
    ALL.get_or_init(|| {
        [
            fixed::FIXED,
            branch::BRANCH,
            load_store::LOAD_STORE,
            fp::FP,
            vmx::VMX,
            vsx::VSX,
            prefixed::PREFIXED,
            system::SYSTEM,
            mma::MMA,
            tm::TM,
        ]
        .iter()
        .flat_map(|rows| rows.iter())
        .collect()
    })
}

/// Looks up a row by mnemonic (the base mnemonic, e.g. `add` for `addo.`).
pub fn by_mnemonic(m: &str) -> Option<&'static InsnDef> {
    all().iter().copied().find(|d| d.mnemonic == m)
}

/// The row of an [`Op`].
pub fn def(op: Op) -> Option<&'static InsnDef> {
    all().iter().copied().find(|d| d.op == op)
}
