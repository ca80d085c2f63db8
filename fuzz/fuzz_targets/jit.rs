//! Fuzz target `jit`: arbitrary bytes as an initial state and a block of raw
//! instruction words, run on the interpreter and on the JIT with the same
//! budget (and once more in small slices); state, memory, instruction count
//! and stop must be identical.
//!
//! Layout: byte 0 = flags (bit 0 little-endian, bits 1-2 model), bytes 1..257
//! = r0-r31 (missing bytes are 0), the rest = instruction words in guest byte
//! order at 0x10000 (two RWX pages), followed by zeros. r1-r4 are pointed
//! into a RW data page so that loads and stores mostly hit memory.
//!
//! Run: `cargo fuzz run -s none jit -- -max_total_time=60` (stable toolchain).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ppcreplay::cpu::find_model;
use ppcreplay::exec::interp::Interp;
use ppcreplay::exec::jit::Jit;
use ppcreplay::exec::{Cpu, Engine, VirtualEnv};
use ppcreplay::mem::{perm, Memory};

const CODE: u64 = 0x10000;
const DATA: u64 = 0x40000;

fn setup(data: &[u8]) -> (Cpu, Memory) {
    let flags = data.first().copied().unwrap_or(0);
    let le = flags & 1 != 0;
    let model = ["power10", "power9", "power8", "power7"][((flags >> 1) & 3) as usize];
    let mut cpu = Cpu::new(find_model(model).unwrap(), le);
    let regs = data.get(1..).unwrap_or(&[]);
    for n in 0..32 {
        let mut b = [0u8; 8];
        for (k, x) in b.iter_mut().enumerate() {
            *x = regs.get(8 * n + k).copied().unwrap_or(0);
        }
        cpu.state.gpr[n] = u64::from_le_bytes(b);
    }
    for n in 1..=4 {
        cpu.state.gpr[n] = DATA + (cpu.state.gpr[n] & 0xff8);
    }
    cpu.state.pc = CODE;
    let mut mem = Memory::new();
    mem.map_zero(CODE, 0x2000, perm::RWX).unwrap();
    mem.map_zero(DATA, 0x1000, perm::RW).unwrap();
    let code = data.get(257..).unwrap_or(&[]);
    let code = &code[..code.len().min(0x2000) & !3];
    let mut bytes = Vec::with_capacity(code.len());
    for w in code.chunks_exact(4) {
        // The input holds big-endian words; store them in guest order.
        let v = u32::from_be_bytes([w[0], w[1], w[2], w[3]]);
        bytes.extend_from_slice(&if le { v.to_le_bytes() } else { v.to_be_bytes() });
    }
    mem.write_bytes(CODE, &bytes).unwrap();
    (cpu, mem)
}

fuzz_target!(|data: &[u8]| {
    for slices in [false, true] {
        let (mut a, mut mem_a) = setup(data);
        let (mut b, mut mem_b) = setup(data);
        let (mut env_a, mut env_b) = (VirtualEnv::new(1), VirtualEnv::new(1));
        let mut jit = Jit::new();
        let mut interp = Interp::new();
        let budgets: Vec<u64> = if slices {
            (1..=100).map(|k| k * 3).collect()
        } else {
            vec![300]
        };
        for budget in budgets {
            let sa = jit.run(&mut a, &mut mem_a, &mut env_a, budget);
            let sb = interp.run(&mut b, &mut mem_b, &mut env_b, budget);
            assert_eq!(sa, sb);
            assert_eq!(a.icount, b.icount);
            assert_eq!(a.state, b.state);
            assert_eq!(mem_a.digest(), mem_b.digest());
            if sa != ppcreplay::exec::Stop::Budget {
                break;
            }
        }
    }
});
