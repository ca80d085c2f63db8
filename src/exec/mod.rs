//! Execution engines and the one door for nondeterminism.
//!
//! - [`Engine`]: runs a [`Cpu`] over [`Memory`] until a [`Stop`] (system call,
//!   fault, or the exact instruction-count budget).
//! - [`Env`]: time, entropy and input. Engines and personalities ask it for every
//!   value that could differ between two runs; whether the value is virtual,
//!   live-and-recorded or replayed is decided above this module.
//! - [`interp`]: the reference interpreter — the specification.
//!
//! This module knows nothing about files, personalities or the CLI.

pub mod env;
pub mod interp;
#[cfg(target_arch = "x86_64")]
pub mod jit;

pub use env::{Env, VirtualEnv};

use crate::cpu::{ArchState, CpuModel};
use crate::isa::IsaLevel;
use crate::mem::{MemFault, Memory};

/// A hardware thread: architected state plus what the engine needs to know about
/// the model it emulates.
#[derive(Clone, Debug)]
pub struct Cpu {
    /// Architected registers.
    pub state: ArchState,
    /// Retired-instruction count.
    pub icount: u64,
    /// The CPU model.
    pub model: &'static CpuModel,
    /// Effective ISA level: the lower of the model's level and the active
    /// compatibility mode's. Newer instructions are illegal.
    pub level: IsaLevel,
}

impl Cpu {
    /// A fresh CPU of `model` in problem state, 64-bit, with the model's PVR
    /// and MSR[TM] set when the model's Linux enables transactional memory
    /// ([`CpuModel::has_tm`]).
    pub fn new(model: &'static CpuModel, little_endian: bool) -> Self {
        let mut state = ArchState {
            pvr: model.pvr,
            ..ArchState::default()
        };
        if little_endian {
            state.msr |= crate::cpu::msr::LE;
        }
        if model.has_tm {
            state.msr |= crate::cpu::msr::TM;
        }
        Cpu {
            state,
            icount: 0,
            model,
            level: model.level,
        }
    }
}

/// Signals a fault delivers to a Linux guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Illegal instruction (4).
    Ill = 4,
    /// Trap (5).
    Trap = 5,
    /// Bus error (7): alignment.
    Bus = 7,
    /// Floating point exception (8).
    Fpe = 8,
    /// Segmentation fault (11).
    Segv = 11,
}

impl Signal {
    /// Signal number.
    pub const fn number(self) -> i32 {
        self as i32
    }
    /// Name, e.g. "SIGILL".
    pub const fn name(self) -> &'static str {
        match self {
            Signal::Ill => "SIGILL",
            Signal::Trap => "SIGTRAP",
            Signal::Bus => "SIGBUS",
            Signal::Fpe => "SIGFPE",
            Signal::Segv => "SIGSEGV",
        }
    }
}

/// Why an instruction could not complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Not an instruction on this CPU. `needs` is the ISA level that introduced it
    /// when the table knows it (newer than the effective level), `None` for an
    /// encoding that is reserved everywhere.
    Illegal {
        /// Instruction word (suffix for prefixed).
        word: u32,
        /// Prefix word, 0 if none.
        prefix: u32,
        /// Level that introduced the instruction.
        needs: Option<IsaLevel>,
    },
    /// A privileged instruction or SPR in problem state.
    Privileged {
        /// Instruction word.
        word: u32,
    },
    /// The instruction is in the table but the interpreter does not implement it.
    Unimplemented {
        /// Instruction word.
        word: u32,
        /// Prefix word, 0 if none.
        prefix: u32,
    },
    /// A storage access the memory map does not allow.
    Memory(MemFault),
    /// Alignment interrupt (e.g. lq/stq/larx misaligned).
    Alignment {
        /// Effective address.
        addr: u64,
    },
    /// tw/td/twi/tdi trap.
    Trap,
    /// An enabled floating-point exception.
    FpEnabled,
}

impl FaultKind {
    /// The signal Linux delivers.
    pub const fn signal(&self) -> Signal {
        match self {
            FaultKind::Illegal { .. }
            | FaultKind::Privileged { .. }
            | FaultKind::Unimplemented { .. } => Signal::Ill,
            FaultKind::Memory(_) => Signal::Segv,
            FaultKind::Alignment { .. } => Signal::Bus,
            FaultKind::Trap => Signal::Trap,
            FaultKind::FpEnabled => Signal::Fpe,
        }
    }
}

/// A fault at an instruction address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Address of the faulting instruction.
    pub pc: u64,
    /// What went wrong.
    pub kind: FaultKind,
}

/// Why an engine returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// `sc` retired (pc is past it); the personality services the call.
    Syscall {
        /// LEV field (0 = Linux system call, 1 = hypercall).
        lev: u8,
    },
    /// The instruction-count budget was reached exactly.
    Budget,
    /// A fault; the faulting instruction did not retire.
    Fault(Fault),
}

/// An execution engine.
pub trait Engine {
    /// Runs until `cpu.icount == budget` (absolute count), a system call or a
    /// fault. Never executes past the budget.
    fn run(&mut self, cpu: &mut Cpu, mem: &mut Memory, env: &mut dyn Env, budget: u64) -> Stop;
    /// Short name ("interp", "jit").
    fn name(&self) -> &'static str;
}
