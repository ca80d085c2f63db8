//! Branch family semantics.

use super::{Ctx, ExecResult};
use crate::isa::table::Branch;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: Branch, i: Insn) -> ExecResult {
    let _ = (&cx, i);
    match op {}
}
