//! Fixed-point load/store rows: D/DS/DQ/X forms with update and indexed variants,
//! byte-reversed, multiple, string, quadword, load-and-reserve /
//! store-conditional, and the ISA 3.1 prefixed GPR loads/stores (Power ISA 3.1
//! Book I §3.3.2-3.3.6, Book II §4.6).
//!
//! Reserved bit 31 of the X forms is fixed to 0 (QEMU inval 0x00000001), except
//! for the load-and-reserve rows where it is the EH hint and the
//! store-conditional rows where it is 1 (part of the mnemonic). Prefixed rows use
//! the 8LS (type 0) or MLS (type 2) prefix with bits 6-8 fixed, as QEMU's
//! insn64.decode does (bits 9-10 and 12-13 are ignored).

use crate::isa::form::*;

/// X form on PO 31 with bit 31 reserved.
const fn x0(xo: u32) -> OpMask {
    with(x(31, xo), 31, 31, 0)
}
/// Store-conditional: X form with bit 31 = 1.
const fn stcx(xo: u32) -> OpMask {
    with(x(31, xo), 31, 31, 1)
}
/// 8LS prefix (type 0).
const P8LS: OpMask = prefix(0, 0);
/// MLS prefix (type 2).
const PMLS: OpMask = prefix(2, 0);

crate::isa_family! { LoadStore, LOAD_STORE;
    // --- loads, D form ---
    Lbz = "lbz", D, po(34), V2_05, Base, User, 0, [Rt, D, Ra0];
    Lbzu = "lbzu", D, po(35), V2_05, Base, User, 0, [Rt, D, Ra];
    Lhz = "lhz", D, po(40), V2_05, Base, User, 0, [Rt, D, Ra0];
    Lhzu = "lhzu", D, po(41), V2_05, Base, User, 0, [Rt, D, Ra];
    Lha = "lha", D, po(42), V2_05, Base, User, 0, [Rt, D, Ra0];
    Lhau = "lhau", D, po(43), V2_05, Base, User, 0, [Rt, D, Ra];
    Lwz = "lwz", D, po(32), V2_05, Base, User, 0, [Rt, D, Ra0];
    Lwzu = "lwzu", D, po(33), V2_05, Base, User, 0, [Rt, D, Ra];
    // --- loads, DS form ---
    Ld = "ld", Ds, ds(58, 0), V2_05, Base, User, 0, [Rt, Ds, Ra0];
    Ldu = "ldu", Ds, ds(58, 1), V2_05, Base, User, 0, [Rt, Ds, Ra];
    Lwa = "lwa", Ds, ds(58, 2), V2_05, Base, User, 0, [Rt, Ds, Ra0];
    // --- loads, X form ---
    Lbzx = "lbzx", X, x0(87), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Lbzux = "lbzux", X, x0(119), V2_05, Base, User, 0, [Rt, Ra, Rb];
    Lhzx = "lhzx", X, x0(279), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Lhzux = "lhzux", X, x0(311), V2_05, Base, User, 0, [Rt, Ra, Rb];
    Lhax = "lhax", X, x0(343), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Lhaux = "lhaux", X, x0(375), V2_05, Base, User, 0, [Rt, Ra, Rb];
    Lwzx = "lwzx", X, x0(23), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Lwzux = "lwzux", X, x0(55), V2_05, Base, User, 0, [Rt, Ra, Rb];
    Lwax = "lwax", X, x0(341), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Lwaux = "lwaux", X, x0(373), V2_05, Base, User, 0, [Rt, Ra, Rb];
    Ldx = "ldx", X, x0(21), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Ldux = "ldux", X, x0(53), V2_05, Base, User, 0, [Rt, Ra, Rb];
    // --- stores ---
    Stb = "stb", D, po(38), V2_05, Base, User, 0, [Rs, D, Ra0];
    Stbu = "stbu", D, po(39), V2_05, Base, User, 0, [Rs, D, Ra];
    Sth = "sth", D, po(44), V2_05, Base, User, 0, [Rs, D, Ra0];
    Sthu = "sthu", D, po(45), V2_05, Base, User, 0, [Rs, D, Ra];
    Stw = "stw", D, po(36), V2_05, Base, User, 0, [Rs, D, Ra0];
    Stwu = "stwu", D, po(37), V2_05, Base, User, 0, [Rs, D, Ra];
    Std = "std", Ds, ds(62, 0), V2_05, Base, User, 0, [Rs, Ds, Ra0];
    Stdu = "stdu", Ds, ds(62, 1), V2_05, Base, User, 0, [Rs, Ds, Ra];
    Stbx = "stbx", X, x0(215), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    Stbux = "stbux", X, x0(247), V2_05, Base, User, 0, [Rs, Ra, Rb];
    Sthx = "sthx", X, x0(407), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    Sthux = "sthux", X, x0(439), V2_05, Base, User, 0, [Rs, Ra, Rb];
    Stwx = "stwx", X, x0(151), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    Stwux = "stwux", X, x0(183), V2_05, Base, User, 0, [Rs, Ra, Rb];
    Stdx = "stdx", X, x0(149), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    Stdux = "stdux", X, x0(181), V2_05, Base, User, 0, [Rs, Ra, Rb];
    // --- byte-reversed ---
    Lhbrx = "lhbrx", X, x0(790), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Lwbrx = "lwbrx", X, x0(534), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Ldbrx = "ldbrx", X, x0(532), V2_06, Base, User, 0, [Rt, Ra0, Rb];
    Sthbrx = "sthbrx", X, x0(918), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    Stwbrx = "stwbrx", X, x0(662), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    Stdbrx = "stdbrx", X, x0(660), V2_06, Base, User, 0, [Rs, Ra0, Rb];
    // --- multiple / string (big-endian only) ---
    Lmw = "lmw", D, po(46), V2_05, Base, User, 0, [Rt, D, Ra0];
    Stmw = "stmw", D, po(47), V2_05, Base, User, 0, [Rs, D, Ra0];
    Lswi = "lswi", X, x0(597), V2_05, Base, User, 0, [Rt, Ra0, Nb];
    Lswx = "lswx", X, x0(533), V2_05, Base, User, 0, [Rt, Ra0, Rb];
    Stswi = "stswi", X, x0(725), V2_05, Base, User, 0, [Rs, Ra0, Nb];
    Stswx = "stswx", X, x0(661), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    // --- quadword (lq/stq user-mode from 2.07: checked in the semantics) ---
    Lq = "lq", Dq, with(po(56), 28, 31, 0), V2_05, Base, User, 0, [Rt, Dq, Ra0];
    Stq = "stq", Ds, ds(62, 2), V2_05, Base, User, 0, [Rs, Ds, Ra0];
    // --- load and reserve (bit 31 = EH hint) / store conditional ---
    // lbarx/lharx/stbcx./sthcx.: POWER8 per binutils and LLVM (isa-facts §1.2).
    Lbarx = "lbarx", X, x(31, 52), V2_07, Base, User, 0, [Rt, Ra0, Rb, Eh];
    Lharx = "lharx", X, x(31, 116), V2_07, Base, User, 0, [Rt, Ra0, Rb, Eh];
    Lwarx = "lwarx", X, x(31, 20), V2_05, Base, User, 0, [Rt, Ra0, Rb, Eh];
    Ldarx = "ldarx", X, x(31, 84), V2_05, Base, User, 0, [Rt, Ra0, Rb, Eh];
    Lqarx = "lqarx", X, x(31, 276), V2_07, Base, User, 0, [Rt, Ra0, Rb, Eh];
    Stbcx = "stbcx.", X, stcx(694), V2_07, Base, User, 0, [Rs, Ra0, Rb];
    Sthcx = "sthcx.", X, stcx(726), V2_07, Base, User, 0, [Rs, Ra0, Rb];
    Stwcx = "stwcx.", X, stcx(150), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    Stdcx = "stdcx.", X, stcx(214), V2_05, Base, User, 0, [Rs, Ra0, Rb];
    Stqcx = "stqcx.", X, stcx(182), V2_07, Base, User, 0, [Rs, Ra0, Rb];
    // --- atomic memory operations (ISA 3.0): EA = (RA|0), FC in bits 16-20 ---
    Lwat = "lwat", X, x0(582), V3_0, Base, User, 0, [Rt, Ra0, Nb];
    Ldat = "ldat", X, x0(614), V3_0, Base, User, 0, [Rt, Ra0, Nb];
    Stwat = "stwat", X, x0(710), V3_0, Base, User, 0, [Rs, Ra0, Nb];
    Stdat = "stdat", X, x0(742), V3_0, Base, User, 0, [Rs, Ra0, Nb];
    // --- prefixed (ISA 3.1): suffix opcode/mask, prefix type 0 (8LS) or 2 (MLS) ---
    Plbz = "plbz", Pmls, po(34), V3_1, Base, User, 0, [Rt, D34, Ra0, R], prefix = PMLS;
    Plhz = "plhz", Pmls, po(40), V3_1, Base, User, 0, [Rt, D34, Ra0, R], prefix = PMLS;
    Plha = "plha", Pmls, po(42), V3_1, Base, User, 0, [Rt, D34, Ra0, R], prefix = PMLS;
    Plwz = "plwz", Pmls, po(32), V3_1, Base, User, 0, [Rt, D34, Ra0, R], prefix = PMLS;
    Plwa = "plwa", P8ls, po(41), V3_1, Base, User, 0, [Rt, D34, Ra0, R], prefix = P8LS;
    Pld = "pld", P8ls, po(57), V3_1, Base, User, 0, [Rt, D34, Ra0, R], prefix = P8LS;
    Plq = "plq", P8ls, po(56), V3_1, Base, User, 0, [Rt, D34, Ra0, R], prefix = P8LS;
    Pstb = "pstb", Pmls, po(38), V3_1, Base, User, 0, [Rs, D34, Ra0, R], prefix = PMLS;
    Psth = "psth", Pmls, po(44), V3_1, Base, User, 0, [Rs, D34, Ra0, R], prefix = PMLS;
    Pstw = "pstw", Pmls, po(36), V3_1, Base, User, 0, [Rs, D34, Ra0, R], prefix = PMLS;
    Pstd = "pstd", P8ls, po(61), V3_1, Base, User, 0, [Rs, D34, Ra0, R], prefix = P8LS;
    Pstq = "pstq", P8ls, po(60), V3_1, Base, User, 0, [Rs, D34, Ra0, R], prefix = P8LS;
}
