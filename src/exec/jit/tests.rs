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
            let sa = Jit::eager().run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), budget);
            let sb = Interp::new().run(&mut b, &mut mem_b, &mut VirtualEnv::new(0), budget);
            assert_eq!(sa, sb, "budget {budget}");
            assert_eq!(a.icount, b.icount);
            assert_eq!(a.state, b.state, "le={le} budget={budget}");
            assert_eq!(mem_a.digest(), mem_b.digest());
        }
    }
}

#[test]
fn cold_code_runs_interpreted_and_a_hot_loop_is_committed_after_the_staging_delay() {
    // 3 instructions once, then a 3-instruction loop 3000 times; the budget
    // ends just after the `b .` behind the loop (the loop's block runs on
    // through it when bdnz falls through, so the last iteration fits).
    let prog: &[(&str, &[i64])] = &[
        ("addi", &[3, 0, 0]),
        ("addi", &[4, 0, 3000]),
        ("mtspr", &[9, 4]),
        ("addi", &[3, 3, 5]),
        ("stw", &[3, 0, 6]),
        ("bc", &[16, 0, -8]),
        ("b", &[0]),
    ];
    let budget = 3 + 3 * 3000 + 1;
    for le in [false, true] {
        let (mut a, mut mem_a) = setup(le, prog);
        let (mut b, mut mem_b) = setup(le, prog);
        a.state.gpr[6] = CODE + 0x1000;
        b.state.gpr[6] = CODE + 0x1000;
        let mut jit = Jit::new();
        let sa = jit.run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), budget);
        let sb = Interp::new().run(&mut b, &mut mem_b, &mut VirtualEnv::new(0), budget);
        assert_eq!(sa, sb);
        assert_eq!((a.icount, &a.state), (b.icount, &b.state));
        assert_eq!(mem_a.digest(), mem_b.digest());
        assert_eq!(a.state.gpr[3], 15000);
        // Cold runs stop at the first control transfer: the start-up code
        // with the loop's first iteration (6), then the first entry of the
        // loop head (3). Its second entry stages its translation (HOT = 1),
        // and the loop keeps running interpreted until STAGE_COLD
        // instructions have passed since; the rest runs translated.
        assert_eq!(HOT, 1);
        let mut expect = 9;
        while expect - 9 < STAGE_COLD {
            expect += 3;
        }
        assert_eq!(jit.cold(), expect);
        let (mut c, mut mem_c) = setup(le, prog);
        c.state.gpr[6] = CODE + 0x1000;
        let mut eager = Jit::eager();
        eager.run(&mut c, &mut mem_c, &mut VirtualEnv::new(0), budget);
        assert_eq!(c.state, b.state);
        assert_eq!(eager.cold(), 0);
    }
}

#[test]
fn register_copies_and_nops_between_a_compare_and_its_branch_match_the_interpreter() {
    // ori/oris/xori with 0 (nop, mr), or/and/nor/nand with RS = RB (with
    // and without Rc), andi. with 0 (still sets CR0), between a compare and
    // the branch that tests it.
    let prog: &[(&str, &[i64])] = &[
        ("addi", &[4, 0, -7]),
        ("addi", &[6, 0, 9]),
        ("cmpi", &[7, 1, 4, 0]),
        ("ori", &[0, 0, 0]),
        ("ori", &[5, 6, 0]),
        ("oris", &[8, 4, 0]),
        ("xori", &[9, 9, 0]),
        ("bc", &[12, 28, 8]),
        ("addi", &[10, 0, 1]),
        ("or", &[11, 4, 4]),
        ("or.", &[12, 0, 0]),
        ("and", &[13, 6, 6]),
        ("nor", &[14, 4, 4]),
        ("nand.", &[15, 6, 6]),
        ("andi.", &[16, 4, 0]),
        ("xori", &[17, 4, 0x8001]),
        ("oris", &[18, 4, 0x8000]),
        ("b", &[0]),
    ];
    same_as_interpreter(prog, &[3, 5, 8, 9, 12, 20, 40], |_| {});
}

/// `prog` on a fresh eager JIT and on the interpreter, both byte orders, at
/// each budget: the same stop, count, state and memory.
fn same_as_interpreter(prog: &[(&str, &[i64])], budgets: &[u64], init: fn(&mut Cpu)) {
    for le in [false, true] {
        for &budget in budgets {
            let (mut a, mut mem_a) = setup(le, prog);
            let (mut b, mut mem_b) = setup(le, prog);
            init(&mut a);
            init(&mut b);
            let sa = Jit::eager().run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), budget);
            let sb = Interp::new().run(&mut b, &mut mem_b, &mut VirtualEnv::new(0), budget);
            assert_eq!(sa, sb, "budget {budget}");
            assert_eq!(
                (a.icount, &a.state),
                (b.icount, &b.state),
                "le={le} budget={budget}"
            );
            assert_eq!(mem_a.digest(), mem_b.digest(), "le={le} budget={budget}");
        }
    }
}

#[test]
fn cr_written_by_interpreted_instructions_is_seen_by_translated_code() {
    // cmpeqb and mcrxrx run the interpreter's semantics (fallback) and write
    // CR; the translated code around them keeps a copy of CR in a host
    // register, which must follow: a native compare merges into the CR the
    // fallback left, a branch tests a field the fallback wrote, mfcr reads
    // all of it.
    let prog: &[(&str, &[i64])] = &[
        ("addi", &[4, 0, 0x41]),
        ("addis", &[5, 0, 0x6141]),
        ("cmpeqb", &[3, 4, 5]),
        ("cmpi", &[1, 1, 4, 0x41]),
        ("bc", &[12, 13, 8]),
        ("addi", &[6, 0, 1]),
        ("mcrxrx", &[5]),
        ("cmpi", &[7, 1, 4, 0]),
        ("mfcr", &[7]),
        ("cmpeqb", &[0, 4, 6]),
        ("bc", &[4, 2, 8]),
        ("addi", &[8, 0, 1]),
        ("mfcr", &[9]),
        ("b", &[0]),
    ];
    same_as_interpreter(prog, &[2, 3, 4, 5, 7, 9, 10, 12, 13, 20], |c| {
        c.state.xer_ca = 1
    });
}

#[test]
fn commutative_operations_on_the_previous_result_match_the_interpreter() {
    // Each instruction's second operand is the previous result (still in a
    // host register): add and the commutative logical operations use it in
    // place of reloading, andc/orc/subf must not commute.
    let prog: &[(&str, &[i64])] = &[
        ("addi", &[5, 0, 7]),
        ("add", &[6, 4, 5]),
        ("xor", &[7, 3, 6]),
        ("and.", &[8, 2, 7]),
        ("nor", &[9, 1, 8]),
        ("eqv", &[10, 4, 9]),
        ("add.", &[11, 12, 10]),
        ("andc", &[13, 3, 11]),
        ("or", &[14, 2, 13]),
        ("orc", &[15, 4, 14]),
        ("nand", &[16, 3, 15]),
        ("subf", &[17, 2, 16]),
        ("b", &[0]),
    ];
    same_as_interpreter(prog, &[2, 4, 7, 10, 13, 20], |c| {
        c.state.gpr[1] = 0x0123_4567_89ab_cdef;
        c.state.gpr[2] = 0xfedc_ba98_7654_3210;
        c.state.gpr[3] = 0x5555_aaaa_0f0f_f0f0;
        c.state.gpr[4] = 0x8000_0000_0000_0001;
        c.state.gpr[12] = 0x7fff_ffff_ffff_fff0;
    });
}

#[test]
fn cached_registers_stay_exact_across_interpreted_instructions_and_slow_accesses() {
    // A self-loop whose most-read GPRs (r6, r7, r9) live in host registers:
    // r7 is rewritten by an instruction the interpreter runs (maddhd) in the
    // middle of the block, r6 and r9 by update-form accesses whose first
    // touch of each page takes the slow path (a helper call).
    let prog: &[(&str, &[i64])] = &[
        ("addi", &[8, 0, 30]),
        ("mtspr", &[9, 8]),
        ("lwzu", &[5, 4, 6]),
        ("add", &[7, 7, 6]),
        ("maddhd", &[7, 7, 6, 7]),
        ("add", &[7, 7, 5]),
        ("stwu", &[7, 4, 9]),
        ("add", &[7, 7, 9]),
        ("bc", &[16, 0, -24]),
        ("b", &[0]),
    ];
    let budgets: Vec<u64> = (1..260).step_by(7).collect();
    same_as_interpreter(prog, &budgets, |cpu| {
        cpu.state.gpr[6] = CODE + 0x1000 - 8;
        cpu.state.gpr[7] = 0x1234_5678_9abc_def0;
        cpu.state.gpr[9] = CODE + 0x1800;
    });
}

#[test]
fn a_store_whose_page_became_read_only_faults_although_its_access_cache_was_warm() {
    // The loop's store fills its per-access TLB cache; between two runs the
    // page loses write permission (as an mprotect would): the next store
    // must fault exactly as in the interpreter, and a load keeps working.
    let prog: &[(&str, &[i64])] = &[
        ("lwz", &[4, 0, 6]),
        ("stw", &[3, 0, 6]),
        ("addi", &[3, 3, 1]),
        ("b", &[-12]),
    ];
    for le in [false, true] {
        let (mut a, mut mem_a) = setup(le, prog);
        let (mut b, mut mem_b) = setup(le, prog);
        a.state.gpr[6] = CODE + 0x1000;
        b.state.gpr[6] = CODE + 0x1000;
        let mut jit = Jit::eager();
        let mut interp = Interp::new();
        let sa = jit.run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), 400);
        let sb = interp.run(&mut b, &mut mem_b, &mut VirtualEnv::new(0), 400);
        assert_eq!((sa, a.icount), (sb, b.icount));
        mem_a.protect(CODE + 0x1000, 0x1000, perm::R).unwrap();
        mem_b.protect(CODE + 0x1000, 0x1000, perm::R).unwrap();
        let sa = jit.run(&mut a, &mut mem_a, &mut VirtualEnv::new(0), 800);
        let sb = interp.run(&mut b, &mut mem_b, &mut VirtualEnv::new(0), 800);
        assert!(matches!(sa, Stop::Fault(_)), "{sa:?}");
        assert_eq!(sa, sb);
        assert_eq!((a.icount, &a.state), (b.icount, &b.state));
        assert_eq!(mem_a.digest(), mem_b.digest());
    }
}
