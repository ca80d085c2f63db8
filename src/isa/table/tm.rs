//! Transactional-memory rows (Power ISA 2.07 Book II ch. 5 "Transactional
//! Memory Facility"; POWER8 and POWER9 — ISA 3.1 makes the facility optional
//! and POWER10 does not implement it, see [`crate::cpu::CpuModel::has_tm`]).
//!
//! Encodings: X form on PO 31 (ISA 2.07 §5.5; binutils 2.40 `tbegin.` =
//! 7c00051d, `tend.` 7c00055d, `tabort. 3` 7c03071d, `tcheck 7` 7f80059c,
//! `tsr. 1` (= `tresume.`) 7c2005dd, `tsr. 0` (= `tsuspend.`) 7c0005dd).
//!
//! Reserved bits: measured under qemu-ppc64le 7.2 `-cpu power9` (an encoding
//! with the bit set raises SIGILL or runs), which matches QEMU's reserved-bit
//! masks in target/ppc/translate.c: `tbegin.` bits 7-9 and 11-20 (bit 6 is
//! ignored), `tend.` bits 7-20 (bit 6 is A), `tabort.` bits 6-10 and 16-20,
//! `tcheck` bits 9-20, `tsr.` bits 6-9 and 11-20; the `tabort*c[i].` forms have
//! none. One deliberate difference: QEMU ignores the Rc bit (bit 31) of every
//! TM instruction (measured: 7c00051c runs as `tbegin.`, 7f80059d as
//! `tcheck`), while the ISA defines only the Rc=1 forms (and Rc=0 for
//! `tcheck`); here the other value of bit 31 is an illegal encoding, as gas
//! and objdump treat it.

use crate::isa::form::*;

/// X form on PO 31 with the Rc bit (31) fixed to `rc`.
const fn xr(xo: u32, rc: u32) -> OpMask {
    with(x(31, xo), 31, 31, rc)
}

crate::isa_family! { Tm, TM;
    Tbegin = "tbegin.", X, with(with(xr(654, 1), 7, 9, 0), 11, 20, 0), V2_07, Tm, User, 0, [L10];
    Tend = "tend.", X, with(xr(686, 1), 7, 20, 0), V2_07, Tm, User, 0, [A6];
    Tabort = "tabort.", X, with(with(xr(910, 1), 6, 10, 0), 16, 20, 0), V2_07, Tm, User, 0, [Ra];
    Tabortwc = "tabortwc.", X, xr(782, 1), V2_07, Tm, User, 0, [To, Ra, Rb];
    Tabortdc = "tabortdc.", X, xr(814, 1), V2_07, Tm, User, 0, [To, Ra, Rb];
    Tabortwci = "tabortwci.", X, xr(846, 1), V2_07, Tm, User, 0, [To, Ra, Sim5Rb];
    Tabortdci = "tabortdci.", X, xr(878, 1), V2_07, Tm, User, 0, [To, Ra, Sim5Rb];
    Tcheck = "tcheck", X, with(xr(718, 0), 9, 20, 0), V2_07, Tm, User, 0, [Bf];
    // tresume. / tsuspend. are `tsr. 1` / `tsr. 0` (extended mnemonics).
    Tsr = "tsr.", X, with(with(xr(750, 1), 6, 9, 0), 11, 20, 0), V2_07, Tm, User, 0, [L10];
    // Privileged (ISA 2.07 §5.5, Book III): SIGILL in problem state.
    Treclaim = "treclaim.", X, with(with(xr(942, 1), 6, 10, 0), 16, 20, 0), V2_07, Tm, Super, 0, [Ra];
    Trechkpt = "trechkpt.", X, with(xr(1006, 1), 6, 20, 0), V2_07, Tm, Super, 0, [];
}
