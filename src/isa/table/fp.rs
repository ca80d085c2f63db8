//! Fp facility rows.

#[allow(unused_imports)]
use crate::isa::form::*;
#[allow(unused_imports)]
use crate::isa::{OE, RC};

crate::isa_family! { Fp, FP;
}
