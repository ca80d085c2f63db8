//! Live-migration checking: the checkpoint stream ([`stream`]) and QEMU's CPU
//! acceptance policies ([`policy`]).
//!
//! This module knows nothing about the CLI.

pub mod harness;
pub mod matrix;
pub mod policy;
pub mod stream;
