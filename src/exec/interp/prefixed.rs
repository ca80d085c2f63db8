//! Prefixed family semantics.

use super::{Ctx, ExecResult};
use crate::isa::table::Prefixed;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: Prefixed, i: Insn) -> ExecResult {
    let _ = (&cx, i);
    match op {}
}
