//! Machines: the ELF loader ([`elf`]), the personalities ([`linux_user`]) and
//! [`Machine::run`], the loop that drives an engine and services its stops.
//!
//! This module knows nothing about traces, migration policies or reports.

pub mod elf;
pub mod linux_user;
pub mod pseries;

use crate::cpu::CpuModel;
use crate::exec::{Cpu, Engine, Env, Fault, Stop};
use crate::isa::IsaLevel;
use crate::mem::{perm, MemError, Memory, PAGE_SIZE};
use elf::{ElfError, ElfImage};
use linux_user::{AuxInfo, LinuxUser, OutputMode, ProcessExit};

/// Errors setting up a machine.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The ELF file was rejected.
    #[error("{path}: {source}")]
    Elf {
        /// File name.
        path: String,
        /// Why.
        source: ElfError,
    },
    /// The ELF's endianness/ABI cannot run on this model.
    #[error("{path}: {reason}")]
    Unsupported {
        /// File name.
        path: String,
        /// Why.
        reason: String,
    },
    /// Guest memory could not be set up.
    #[error("{path}: loading segments: {source}")]
    Memory {
        /// File name.
        path: String,
        /// Why.
        source: MemError,
    },
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunExit {
    /// The guest called exit with this status.
    Exited(i32),
    /// The guest was killed by a signal (fault, trap, abort).
    Signaled {
        /// Signal number.
        signal: i32,
        /// The fault that raised it, if it came from an instruction.
        fault: Option<Fault>,
    },
    /// The instruction budget (`--max-insns`) ran out first.
    BudgetExhausted,
}

impl RunExit {
    /// Process exit code as a shell reports it (128+N for signals).
    pub fn exit_code(&self) -> i32 {
        match self {
            RunExit::Exited(c) => *c,
            RunExit::Signaled { signal, .. } => 128 + signal,
            RunExit::BudgetExhausted => 124,
        }
    }
}

/// A guest process: CPU, memory, kernel state.
#[derive(Debug)]
pub struct Machine {
    /// The CPU.
    pub cpu: Cpu,
    /// Guest memory.
    pub mem: Memory,
    /// The Linux personality.
    pub os: LinuxUser,
    /// The loaded image (symbols, entry).
    pub image: ElfImage,
}

/// Options for [`Machine::load`].
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// argv (argv[0] included).
    pub argv: Vec<String>,
    /// Environment strings `K=V`.
    pub envp: Vec<String>,
    /// Effective ISA level override (compat mode); `None` = the model's level.
    pub level: Option<IsaLevel>,
    /// PCR value of the active compatibility mode (0 = raw mode).
    pub pcr: u64,
}

impl Machine {
    /// Loads an ELF executable for `model`.
    pub fn load(
        path: &str,
        bytes: &[u8],
        model: &'static CpuModel,
        env: &mut dyn Env,
        opts: &LoadOptions,
    ) -> Result<Machine, LoadError> {
        let image = elf::parse(bytes).map_err(|source| LoadError::Elf {
            path: path.to_string(),
            source,
        })?;
        let le = image.little_endian;
        let mut cpu = Cpu::new(model, le);
        if let Some(l) = opts.level {
            cpu.level = l.min(model.level);
        }
        cpu.state.pcr = opts.pcr;
        let mut mem = Memory::new();
        let memerr = |source| LoadError::Memory {
            path: path.to_string(),
            source,
        };
        for s in &image.segments {
            let start = s.vaddr & !(PAGE_SIZE - 1);
            let end = s.vaddr + s.memsz;
            let mut p = 0;
            if s.read {
                p |= perm::R;
            }
            if s.write {
                p |= perm::W;
            }
            if s.exec {
                p |= perm::X;
            }
            // Segments may share a page (glibc's data segment is not page aligned):
            // map only what is missing, then widen permissions of shared pages.
            mem.map_missing(start, end - start, p).map_err(memerr)?;
            let mut a = start;
            while a < end {
                let cur = mem.perm_at(a).unwrap_or(0);
                mem.protect(a, PAGE_SIZE, cur | p).map_err(memerr)?;
                a += PAGE_SIZE;
            }
            mem.write_bytes(s.vaddr, &s.data).map_err(memerr)?;
        }
        let mut argv = opts.argv.clone();
        if argv.is_empty() {
            argv.push(path.to_string());
        }
        let mut os = LinuxUser::new(image.end(), &argv[0], le, cpu.level);
        let stack = os
            .setup_stack(
                &mut mem,
                env,
                &argv,
                &opts.envp,
                AuxInfo {
                    phdr: image.phdr_addr,
                    phnum: image.phnum as u64,
                    entry: image.e_entry,
                },
            )
            .map_err(memerr)?;
        let s = &mut cpu.state;
        s.gpr[1] = stack.sp;
        s.pc = image.entry_pc;
        // ELFv2: r12 = global entry point; ELFv1: r2 = TOC from the descriptor.
        s.gpr[12] = image.entry_pc;
        if let Some(toc) = image.entry_toc {
            s.gpr[2] = toc;
        }
        Ok(Machine {
            cpu,
            mem,
            os,
            image,
        })
    }

    /// Sends guest output to the host's stdout/stderr as well as capturing it.
    pub fn passthrough_output(&mut self) {
        self.os.output_mode = OutputMode::Passthrough;
    }

    /// Runs until the guest exits, is killed, or `max_insns` instructions have
    /// retired in total.
    pub fn run(
        &mut self,
        engine: &mut dyn Engine,
        env: &mut dyn Env,
        max_insns: Option<u64>,
    ) -> RunExit {
        let limit = max_insns.unwrap_or(u64::MAX);
        loop {
            if let Some(e) = self.os.exit {
                return match e {
                    ProcessExit::Exited(c) => RunExit::Exited(c),
                    ProcessExit::Signaled(signal) => RunExit::Signaled {
                        signal,
                        fault: None,
                    },
                };
            }
            if self.cpu.icount >= limit {
                return RunExit::BudgetExhausted;
            }
            match engine.run(&mut self.cpu, &mut self.mem, env, limit) {
                Stop::Syscall { lev: 0 } => {
                    self.os.syscall(&mut self.cpu, &mut self.mem, env);
                }
                Stop::Syscall { .. } => {
                    // sc 1 (hypercall) from a user process: Linux delivers SIGILL.
                    let pc = self.cpu.state.pc.wrapping_sub(4);
                    return RunExit::Signaled {
                        signal: 4,
                        fault: Some(Fault {
                            pc,
                            kind: crate::exec::FaultKind::Privileged { word: 0x4400_0022 },
                        }),
                    };
                }
                Stop::Budget => {}
                Stop::Fault(Fault {
                    kind: crate::exec::FaultKind::Privileged { word },
                    ..
                }) if self.os.emulate_mfpvr(&mut self.cpu.state, word) => {
                    // Completed by the kernel: the instruction retires.
                    self.cpu.state.pc = self.cpu.state.pc.wrapping_add(4);
                    self.cpu.icount += 1;
                }
                Stop::Fault(f) => {
                    return RunExit::Signaled {
                        signal: f.kind.signal().number(),
                        fault: Some(f),
                    }
                }
            }
        }
    }

    /// Combined digest of architected state and memory.
    /// (Incremental: only memory written since the last call is rehashed.)
    pub fn state_digest(&mut self) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        h.update(self.cpu.state.digest().as_bytes());
        h.update(self.mem.digest_mut().as_bytes());
        h.update(&self.cpu.icount.to_le_bytes());
        h.finalize()
    }
}
