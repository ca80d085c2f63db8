//! System family semantics.

use super::{Ctx, ExecResult};
use crate::isa::table::System;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: System, i: Insn) -> ExecResult {
    let _ = (&cx, i);
    match op {}
}
