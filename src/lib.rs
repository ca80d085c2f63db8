//! ppcreplay: a deterministic ppc64 engine with record/replay and a migration-safety
//! checker for POWER CPU models. See `ARCHITECTURE.md` in the design notes and the
//! README. Modules, lowest first: [`isa`], [`mem`], [`cpu`], [`exec`], [`machine`].

pub mod bench;
pub mod corpus;
pub mod cpu;
pub mod exec;
pub mod isa;
pub mod machine;
pub mod mem;
pub mod migration;
pub mod replay;
pub mod report;
pub mod sealed;
