//! Prefixed-only rows that belong to no other family: `pnop` (ISA 3.1 Book I
//! §3.3.20). The prefixed loads/stores live with their word forms
//! (`load_store.rs`), `paddi` with the fixed-point rows.

use crate::isa::form::*;

/// pnop prefix: type 3 (MRR), bits 8-11 and 14-31 zero (QEMU insn64.decode
/// `@PNOP 000001 11 0000-- 000000000000000000`; bits 12-13 are ignored).
const PNOP: OpMask = {
    let p = prefix(3, 0);
    (p.0, p.1 | field_mask(9, 11) | field_mask(14, 31))
};

crate::isa_family! { Prefixed, PREFIXED;
    // The suffix may be any word except branches and context-altering
    // instructions; those are rejected in the semantics.
    Pnop = "pnop", Pmrr, (0, 0), V3_1, Base, User, 0, [], prefix = PNOP;
}
