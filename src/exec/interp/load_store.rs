//! LoadStore family semantics.

use super::{Ctx, ExecResult};
use crate::isa::table::LoadStore;
use crate::isa::Insn;

pub(super) fn exec(cx: &mut Ctx, op: LoadStore, i: Insn) -> ExecResult {
    let _ = (&cx, i);
    match op {}
}
