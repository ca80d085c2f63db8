//! Unit tests: the JIT against single steps of the interpreter.

use super::*;
use crate::cpu::find_model;
use crate::exec::interp::Interp;
use crate::exec::VirtualEnv;
use crate::isa::encode::asm;
use crate::mem::perm;

const CODE: u64 = 0x1000_0000;

fn setup(le: bool, prog: &[(&str, &[i64])]) -> (Cpu, Memory) {
    let mut cpu = Cpu::new(find_model("power10").unwrap(), le);
    let mut mem = Memory::new();
    mem.map_zero(CODE, 0x2000, perm::RWX).unwrap();
    let mut code = Vec::new();
    for (m, ops) in prog {
        code.extend(asm(m, ops).unwrap().bytes(le));
    }
    mem.write_bytes(CODE, &code).unwrap();
    cpu.state.pc = CODE;
    (cpu, mem)
}

#[test]
fn a_counted_loop_matches_the_interpreter_at_every_budget() {
    let prog: &[(&str, &[i64])] = &[
        ("addi", &[3, 3, 1]),
        ("cmpi", &[0, 1, 3, 40]),
        ("bc", &[12, 2, 12]),
        ("std", &[3, 8, 6]),
        ("b", &[-16]),
        ("addi", &[4, 4, 7]),
        ("b", &[0]),
    ];
    for le in [false, true] {
        for budget in 1..200u64 {
            let (mut a, mut mem_a) = setup(le, prog);
            let (mut b, mut mem_b) = setup(le, prog);
            a.state.gpr[6] = CODE + 0x1000;
            b.state.gpr[6] = CODE + 0x1000;
            let sa = Jit::new().run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), budget);
            let sb = Interp::new().run(&mut b, &mut mem_b, &mut VirtualEnv::new(0), budget);
            assert_eq!(sa, sb, "budget {budget}");
            assert_eq!(a.icount, b.icount);
            assert_eq!(a.state, b.state, "le={le} budget={budget}");
            assert_eq!(mem_a.digest(), mem_b.digest());
        }
    }
}
