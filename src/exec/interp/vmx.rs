//! Vmx family semantics.

use super::{Ctx, ExecResult};
use crate::isa::table::Vmx;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: Vmx, i: Insn) -> ExecResult {
    let _ = (&cx, op);
    Err(Ctx::unimplemented(i))
}
