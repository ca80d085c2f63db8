//! The reference interpreter: the specification of every instruction.
//!
//! The loop fetches, decodes (through a per-address decode cache validated by the
//! memory's code generation), checks legality against the effective ISA level,
//! and dispatches to one file per instruction family, each with short functions
//! named after the mnemonic. A family function either completes the instruction
//! (updating registers, memory and `next_pc`) or returns an [`Exc`] *before* it
//! changes any architected state, so a faulting instruction never half-retires.

mod branch;
mod fixed;
mod fp;
mod load_store;
mod prefixed;
mod system;
mod vmx;
mod vsx;

pub mod fpu;
pub mod fpu128;

use super::{Cpu, Engine, Env, Fault, FaultKind, Stop};
use crate::cpu::ArchState;
use crate::isa::{decode_at, Insn, IsaLevel, Op};
use crate::mem::{MemFault, Memory};

/// An instruction that did not complete normally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exc {
    /// `sc`: retire, then stop for the personality.
    Syscall(u8),
    /// A fault (the instruction does not retire).
    Fault(FaultKind),
}

impl From<MemFault> for Exc {
    fn from(f: MemFault) -> Self {
        Exc::Fault(FaultKind::Memory(f))
    }
}

/// Result of executing one instruction.
pub type ExecResult = Result<(), Exc>;

/// What an instruction's semantics can touch.
pub struct Ctx<'a> {
    /// Registers.
    pub s: &'a mut ArchState,
    /// Guest memory.
    pub mem: &'a mut Memory,
    /// Nondeterministic inputs.
    pub env: &'a mut dyn Env,
    /// Retired instructions before this one.
    pub icount: u64,
    /// Effective ISA level.
    pub level: IsaLevel,
    /// Address of this instruction.
    pub pc: u64,
    /// Address of the next instruction (branches overwrite it).
    pub next_pc: u64,
}

impl Ctx<'_> {
    /// Data accesses are little-endian.
    #[inline(always)]
    pub fn le(&self) -> bool {
        self.s.little_endian()
    }
    /// Whether ISA 3.0 behaviour (OV32/CA32, …) applies.
    #[inline(always)]
    pub fn isa300(&self) -> bool {
        self.level >= IsaLevel::V3_0
    }
    /// Sets CR0 from a 64-bit result (LT/GT/EQ by signed comparison with 0, SO
    /// copied from XER).
    #[inline(always)]
    pub fn set_cr0(&mut self, v: u64) {
        let c = if (v as i64) < 0 {
            8
        } else if v as i64 > 0 {
            4
        } else {
            2
        };
        self.s.cr = (self.s.cr & 0x0fff_ffff) | ((c | self.s.xer_so as u32) << 28);
    }
    /// Loads `N` bytes in the current data endianness.
    #[inline(always)]
    pub fn load<const N: usize>(&mut self, ea: u64) -> Result<u64, Exc> {
        let le = self.le();
        Ok(self.mem.load::<N>(ea, le)?)
    }
    /// Stores `N` bytes in the current data endianness.
    #[inline(always)]
    pub fn store<const N: usize>(&mut self, ea: u64, v: u64) -> ExecResult {
        let le = self.le();
        Ok(self.mem.store::<N>(ea, v, le)?)
    }
    /// RA|0 + displacement.
    #[inline(always)]
    pub fn ea_ra0(&self, ra: usize, disp: i64) -> u64 {
        let base = if ra == 0 { 0 } else { self.s.gpr[ra] };
        base.wrapping_add(disp as u64)
    }
    /// A fault for an instruction the interpreter does not implement.
    pub fn unimplemented(i: Insn) -> Exc {
        Exc::Fault(FaultKind::Unimplemented {
            word: i.word,
            prefix: i.prefix,
        })
    }
    /// A fault for an encoding that is illegal (reserved form of a known row).
    pub fn illegal(i: Insn) -> Exc {
        Exc::Fault(FaultKind::Illegal {
            word: i.word,
            prefix: i.prefix,
            needs: None,
        })
    }
}

/// Executes one decoded, legal instruction.
#[inline(always)]
pub fn execute(cx: &mut Ctx, i: Insn) -> ExecResult {
    match i.op {
        Op::Fixed(o) => fixed::exec(cx, o, i),
        Op::Branch(o) => branch::exec(cx, o, i),
        Op::LoadStore(o) => load_store::exec(cx, o, i),
        Op::Fp(o) => fp::exec(cx, o, i),
        Op::Vmx(o) => vmx::exec(cx, o, i),
        Op::Vsx(o) => vsx::exec(cx, o, i),
        Op::Prefixed(o) => prefixed::exec(cx, o, i),
        Op::System(o) => system::exec(cx, o, i),
        Op::Illegal => Err(Ctx::illegal(i)),
    }
}

/// Decodes the instruction at `pc` and checks that the effective level allows it.
#[inline]
pub fn fetch_decode(mem: &mut Memory, pc: u64, le: bool, level: IsaLevel) -> Result<Insn, Fault> {
    let w = mem.fetch(pc, le).map_err(|f| Fault {
        pc,
        kind: FaultKind::Memory(f),
    })?;
    let insn = if w >> 26 == 1 {
        // Prefixed: the suffix must be fetchable too. ISA 3.1 §1.6.3: a prefixed
        // instruction must not cross a 64-byte boundary (alignment interrupt).
        if pc & 63 == 60 {
            return Err(Fault {
                pc,
                kind: FaultKind::Alignment { addr: pc },
            });
        }
        let s = mem.fetch(pc + 4, le).map_err(|f| Fault {
            pc,
            kind: FaultKind::Memory(f),
        })?;
        decode_at(w, Some(s))
    } else {
        decode_at(w, None)
    };
    match insn.def() {
        None => Err(Fault {
            pc,
            kind: FaultKind::Illegal {
                word: insn.word,
                prefix: insn.prefix,
                needs: None,
            },
        }),
        Some(d) if d.level > level => match crate::isa::decode::older_form(&insn, level) {
            Some(older) => Ok(older),
            None => Err(Fault {
                pc,
                kind: FaultKind::Illegal {
                    word: insn.word,
                    prefix: insn.prefix,
                    needs: Some(d.level),
                },
            }),
        },
        Some(_) => Ok(insn),
    }
}

const CACHE_SIZE: usize = 1 << 14;

#[derive(Clone, Copy)]
struct CacheEntry {
    pc: u64,
    insn: Insn,
}

/// The interpreter engine.
pub struct Interp {
    cache: Vec<CacheEntry>,
    cache_generation: u64,
    cache_key: (bool, IsaLevel),
}

impl Default for Interp {
    fn default() -> Self {
        Self::new()
    }
}

impl Interp {
    /// A fresh interpreter.
    pub fn new() -> Self {
        Interp {
            cache: vec![
                CacheEntry {
                    pc: u64::MAX,
                    insn: crate::isa::decode(0),
                };
                CACHE_SIZE
            ],
            cache_generation: u64::MAX,
            cache_key: (false, IsaLevel::V2_05),
        }
    }

    fn flush(&mut self) {
        for e in self.cache.iter_mut() {
            e.pc = u64::MAX;
        }
    }
}

impl Engine for Interp {
    fn name(&self) -> &'static str {
        "interp"
    }

    fn run(&mut self, cpu: &mut Cpu, mem: &mut Memory, env: &mut dyn Env, budget: u64) -> Stop {
        let level = cpu.level;
        loop {
            if cpu.icount >= budget {
                return Stop::Budget;
            }
            let le = cpu.state.little_endian();
            // The decode cache is valid only while no executed code page has been
            // written, and for one endianness and ISA level.
            if mem.code_generation() != self.cache_generation || self.cache_key != (le, level) {
                self.flush();
                self.cache_generation = mem.code_generation();
                self.cache_key = (le, level);
            }
            let pc = cpu.state.pc;
            let slot = ((pc >> 2) as usize) & (CACHE_SIZE - 1);
            let insn = if self.cache[slot].pc == pc {
                self.cache[slot].insn
            } else {
                match fetch_decode(mem, pc, le, level) {
                    Ok(i) => {
                        // Fetching may have marked a page as code; that does not
                        // change the generation, so the entry stays valid.
                        self.cache[slot] = CacheEntry { pc, insn: i };
                        i
                    }
                    Err(f) => return Stop::Fault(f),
                }
            };
            let mut cx = Ctx {
                s: &mut cpu.state,
                mem,
                env,
                icount: cpu.icount,
                level,
                pc,
                next_pc: pc.wrapping_add(insn.len()),
            };
            match execute(&mut cx, insn) {
                Ok(()) => {
                    let n = cx.next_pc;
                    cpu.state.pc = n;
                    cpu.icount += 1;
                }
                Err(Exc::Syscall(lev)) => {
                    let n = cx.next_pc;
                    cpu.state.pc = n;
                    cpu.icount += 1;
                    return Stop::Syscall { lev };
                }
                Err(Exc::Fault(kind)) => return Stop::Fault(Fault { pc, kind }),
            }
        }
    }
}

/// Executes exactly one instruction at the current pc (used by tests and by
/// engines that fall back to the specification for one instruction).
pub fn step(cpu: &mut Cpu, mem: &mut Memory, env: &mut dyn Env) -> Stop {
    let pc = cpu.state.pc;
    let insn = match fetch_decode(mem, pc, cpu.state.little_endian(), cpu.level) {
        Ok(i) => i,
        Err(f) => return Stop::Fault(f),
    };
    let mut cx = Ctx {
        s: &mut cpu.state,
        mem,
        env,
        icount: cpu.icount,
        level: cpu.level,
        pc,
        next_pc: pc.wrapping_add(insn.len()),
    };
    let r = execute(&mut cx, insn);
    let n = cx.next_pc;
    match r {
        Ok(()) => {
            cpu.state.pc = n;
            cpu.icount += 1;
            Stop::Budget
        }
        Err(Exc::Syscall(lev)) => {
            cpu.state.pc = n;
            cpu.icount += 1;
            Stop::Syscall { lev }
        }
        Err(Exc::Fault(kind)) => Stop::Fault(Fault { pc, kind }),
    }
}
