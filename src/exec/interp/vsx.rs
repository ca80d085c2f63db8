//! Vsx family semantics.

use super::{Ctx, ExecResult};
use crate::isa::table::Vsx;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: Vsx, i: Insn) -> ExecResult {
    let _ = (&cx, op);
    Err(Ctx::unimplemented(i))
}
