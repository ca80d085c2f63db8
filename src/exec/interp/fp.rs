//! Fp family semantics.

use super::{Ctx, ExecResult};
use crate::isa::table::Fp;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: Fp, i: Insn) -> ExecResult {
    let _ = (&cx, i);
    match op {}
}
