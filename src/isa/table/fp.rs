//! Classic floating-point rows (FPR instructions): arithmetic, multiply-add,
//! rounding and conversion, compare, select, moves, FPSCR moves, and the FPR
//! loads and stores including the ISA 3.1 prefixed forms (Power ISA 3.1 Book I
//! §4.6).
//!
//! Reserved operand fields are fixed to 0 in the masks (QEMU's translate tables
//! reject the same encodings as invalid: e.g. `fadd` with a nonzero FRC field,
//! `fsqrt` with a nonzero FRA). Encodings checked against GNU as 2.40
//! (`isa-facts.md` §1.1 "Classic FP").

use crate::isa::form::*;
use crate::isa::RC;

/// A-form with FRC (bits 21-25) reserved: fadd, fsub, fdiv.
const fn a_ab(p: u32, xo: u32) -> OpMask {
    with(a(p, xo), 21, 25, 0)
}
/// A-form with FRB (bits 16-20) reserved: fmul.
const fn a_ac(p: u32, xo: u32) -> OpMask {
    with(a(p, xo), 16, 20, 0)
}
/// A-form with FRA and FRC reserved: fsqrt, fre, frsqrte.
const fn a_b(p: u32, xo: u32) -> OpMask {
    with(with(a(p, xo), 11, 15, 0), 21, 25, 0)
}
/// X-form FRT,FRB with FRA (bits 11-15) reserved.
const fn x_tb(p: u32, xo: u32) -> OpMask {
    with(x(p, xo), 11, 15, 0)
}
/// X-form compare BF,FRA,FRB: bits 9-10 and 31 reserved.
const fn x_cmp(xo: u32) -> OpMask {
    with(with(x(63, xo), 9, 10, 0), 31, 31, 0)
}
/// X-form on PO 31 with bit 31 reserved (indexed loads/stores).
const fn x31(xo: u32) -> OpMask {
    with(x(31, xo), 31, 31, 0)
}
/// The mffs family: XO 583 with a sub-opcode in bits 11-15.
const fn mffs(sub: u32) -> OpMask {
    with(x(63, 583), 11, 15, sub)
}
/// MLS prefix (type 2) of plfs/plfd/pstfs/pstfd.
const PMLS: OpMask = prefix(2, 0);

crate::isa_family! { Fp, FP;
    // --- arithmetic, double (PO 63) and single (PO 59), A form ---
    Fadd = "fadd", A, a_ab(63, 21), V2_05, Fp, User, RC, [Frt, Fra, Frb];
    Fadds = "fadds", A, a_ab(59, 21), V2_05, Fp, User, RC, [Frt, Fra, Frb];
    Fsub = "fsub", A, a_ab(63, 20), V2_05, Fp, User, RC, [Frt, Fra, Frb];
    Fsubs = "fsubs", A, a_ab(59, 20), V2_05, Fp, User, RC, [Frt, Fra, Frb];
    Fmul = "fmul", A, a_ac(63, 25), V2_05, Fp, User, RC, [Frt, Fra, Frc];
    Fmuls = "fmuls", A, a_ac(59, 25), V2_05, Fp, User, RC, [Frt, Fra, Frc];
    Fdiv = "fdiv", A, a_ab(63, 18), V2_05, Fp, User, RC, [Frt, Fra, Frb];
    Fdivs = "fdivs", A, a_ab(59, 18), V2_05, Fp, User, RC, [Frt, Fra, Frb];
    Fsqrt = "fsqrt", A, a_b(63, 22), V2_05, Fp, User, RC, [Frt, Frb];
    Fsqrts = "fsqrts", A, a_b(59, 22), V2_05, Fp, User, RC, [Frt, Frb];
    Fre = "fre", A, a_b(63, 24), V2_05, Fp, User, RC, [Frt, Frb];
    Fres = "fres", A, a_b(59, 24), V2_05, Fp, User, RC, [Frt, Frb];
    Frsqrte = "frsqrte", A, a_b(63, 26), V2_05, Fp, User, RC, [Frt, Frb];
    Frsqrtes = "frsqrtes", A, a_b(59, 26), V2_05, Fp, User, RC, [Frt, Frb];
    Fsel = "fsel", A, a(63, 23), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    // --- multiply-add ---
    Fmadd = "fmadd", A, a(63, 29), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    Fmadds = "fmadds", A, a(59, 29), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    Fmsub = "fmsub", A, a(63, 28), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    Fmsubs = "fmsubs", A, a(59, 28), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    Fnmadd = "fnmadd", A, a(63, 31), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    Fnmadds = "fnmadds", A, a(59, 31), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    Fnmsub = "fnmsub", A, a(63, 30), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    Fnmsubs = "fnmsubs", A, a(59, 30), V2_05, Fp, User, RC, [Frt, Fra, Frc, Frb];
    // --- rounding and conversion, X form ---
    Frsp = "frsp", X, x_tb(63, 12), V2_05, Fp, User, RC, [Frt, Frb];
    Fctiw = "fctiw", X, x_tb(63, 14), V2_05, Fp, User, RC, [Frt, Frb];
    Fctiwz = "fctiwz", X, x_tb(63, 15), V2_05, Fp, User, RC, [Frt, Frb];
    Fctiwu = "fctiwu", X, x_tb(63, 142), V2_06, Fp, User, RC, [Frt, Frb];
    Fctiwuz = "fctiwuz", X, x_tb(63, 143), V2_06, Fp, User, RC, [Frt, Frb];
    Fctid = "fctid", X, x_tb(63, 814), V2_05, Fp, User, RC, [Frt, Frb];
    Fctidz = "fctidz", X, x_tb(63, 815), V2_05, Fp, User, RC, [Frt, Frb];
    Fctidu = "fctidu", X, x_tb(63, 942), V2_06, Fp, User, RC, [Frt, Frb];
    Fctiduz = "fctiduz", X, x_tb(63, 943), V2_06, Fp, User, RC, [Frt, Frb];
    Fcfid = "fcfid", X, x_tb(63, 846), V2_05, Fp, User, RC, [Frt, Frb];
    Fcfids = "fcfids", X, x_tb(59, 846), V2_06, Fp, User, RC, [Frt, Frb];
    Fcfidu = "fcfidu", X, x_tb(63, 974), V2_06, Fp, User, RC, [Frt, Frb];
    Fcfidus = "fcfidus", X, x_tb(59, 974), V2_06, Fp, User, RC, [Frt, Frb];
    Frin = "frin", X, x_tb(63, 392), V2_05, Fp, User, RC, [Frt, Frb];
    Friz = "friz", X, x_tb(63, 424), V2_05, Fp, User, RC, [Frt, Frb];
    Frip = "frip", X, x_tb(63, 456), V2_05, Fp, User, RC, [Frt, Frb];
    Frim = "frim", X, x_tb(63, 488), V2_05, Fp, User, RC, [Frt, Frb];
    // --- compare and test ---
    Fcmpu = "fcmpu", X, x_cmp(0), V2_05, Fp, User, 0, [Bf, Fra, Frb];
    Fcmpo = "fcmpo", X, x_cmp(32), V2_05, Fp, User, 0, [Bf, Fra, Frb];
    Ftdiv = "ftdiv", X, x_cmp(128), V2_06, Fp, User, 0, [Bf, Fra, Frb];
    Ftsqrt = "ftsqrt", X, with(x_cmp(160), 11, 15, 0), V2_06, Fp, User, 0, [Bf, Frb];
    // --- moves ---
    Fmr = "fmr", X, x_tb(63, 72), V2_05, Fp, User, RC, [Frt, Frb];
    Fneg = "fneg", X, x_tb(63, 40), V2_05, Fp, User, RC, [Frt, Frb];
    Fabs = "fabs", X, x_tb(63, 264), V2_05, Fp, User, RC, [Frt, Frb];
    Fnabs = "fnabs", X, x_tb(63, 136), V2_05, Fp, User, RC, [Frt, Frb];
    Fcpsgn = "fcpsgn", X, x(63, 8), V2_05, Fp, User, RC, [Frt, Fra, Frb];
    Fmrgew = "fmrgew", X, with(x(63, 966), 31, 31, 0), V2_07, Fp, User, 0, [Frt, Fra, Frb];
    Fmrgow = "fmrgow", X, with(x(63, 838), 31, 31, 0), V2_07, Fp, User, 0, [Frt, Fra, Frb];
    // --- FPSCR moves ---
    Mffs = "mffs", X, with(mffs(0), 16, 20, 0), V2_05, Fp, User, RC, [Frt];
    Mffsce = "mffsce", X, with(with(mffs(1), 16, 20, 0), 31, 31, 0), V3_0, Fp, User, 0, [Frt];
    Mffscdrn = "mffscdrn", X, with(mffs(20), 31, 31, 0), V3_0, Fp, User, 0, [Frt, Frb];
    Mffscdrni = "mffscdrni", X, with(with(mffs(21), 16, 17, 0), 31, 31, 0), V3_0, Fp, User, 0, [Frt, Drm];
    Mffscrn = "mffscrn", X, with(mffs(22), 31, 31, 0), V3_0, Fp, User, 0, [Frt, Frb];
    Mffscrni = "mffscrni", X, with(with(mffs(23), 16, 18, 0), 31, 31, 0), V3_0, Fp, User, 0, [Frt, Rm];
    Mffsl = "mffsl", X, with(with(mffs(24), 16, 20, 0), 31, 31, 0), V3_0, Fp, User, 0, [Frt];
    Mtfsf = "mtfsf", Xfl, x(63, 711), V2_05, Fp, User, RC, [Flm, Frb, LFsf, W];
    Mtfsfi = "mtfsfi", X, with(with(x(63, 134), 9, 14, 0), 20, 20, 0), V2_05, Fp, User, RC, [Bf, U, W];
    Mtfsb0 = "mtfsb0", X, with(x(63, 70), 11, 20, 0), V2_05, Fp, User, RC, [FpscrBit];
    Mtfsb1 = "mtfsb1", X, with(x(63, 38), 11, 20, 0), V2_05, Fp, User, RC, [FpscrBit];
    Mcrfs = "mcrfs", X, with(with(with(x(63, 64), 9, 10, 0), 14, 20, 0), 31, 31, 0), V2_05, Fp, User, 0, [Bf, Bfa];
    // --- loads, D form ---
    Lfs = "lfs", D, po(48), V2_05, Fp, User, 0, [Frt, D, Ra0];
    Lfsu = "lfsu", D, po(49), V2_05, Fp, User, 0, [Frt, D, Ra];
    Lfd = "lfd", D, po(50), V2_05, Fp, User, 0, [Frt, D, Ra0];
    Lfdu = "lfdu", D, po(51), V2_05, Fp, User, 0, [Frt, D, Ra];
    Lfdp = "lfdp", Ds, ds(57, 0), V2_05, Fp, User, 0, [Frt, Ds, Ra0];
    // --- loads, X form ---
    Lfsx = "lfsx", X, x31(535), V2_05, Fp, User, 0, [Frt, Ra0, Rb];
    Lfsux = "lfsux", X, x31(567), V2_05, Fp, User, 0, [Frt, Ra, Rb];
    Lfdx = "lfdx", X, x31(599), V2_05, Fp, User, 0, [Frt, Ra0, Rb];
    Lfdux = "lfdux", X, x31(631), V2_05, Fp, User, 0, [Frt, Ra, Rb];
    Lfdpx = "lfdpx", X, x31(791), V2_05, Fp, User, 0, [Frt, Ra0, Rb];
    Lfiwax = "lfiwax", X, x31(855), V2_05, Fp, User, 0, [Frt, Ra0, Rb];
    Lfiwzx = "lfiwzx", X, x31(887), V2_06, Fp, User, 0, [Frt, Ra0, Rb];
    // --- stores, D form ---
    Stfs = "stfs", D, po(52), V2_05, Fp, User, 0, [Frs, D, Ra0];
    Stfsu = "stfsu", D, po(53), V2_05, Fp, User, 0, [Frs, D, Ra];
    Stfd = "stfd", D, po(54), V2_05, Fp, User, 0, [Frs, D, Ra0];
    Stfdu = "stfdu", D, po(55), V2_05, Fp, User, 0, [Frs, D, Ra];
    Stfdp = "stfdp", Ds, ds(61, 0), V2_05, Fp, User, 0, [Frs, Ds, Ra0];
    // --- stores, X form ---
    Stfsx = "stfsx", X, x31(663), V2_05, Fp, User, 0, [Frs, Ra0, Rb];
    Stfsux = "stfsux", X, x31(695), V2_05, Fp, User, 0, [Frs, Ra, Rb];
    Stfdx = "stfdx", X, x31(727), V2_05, Fp, User, 0, [Frs, Ra0, Rb];
    Stfdux = "stfdux", X, x31(759), V2_05, Fp, User, 0, [Frs, Ra, Rb];
    Stfdpx = "stfdpx", X, x31(919), V2_05, Fp, User, 0, [Frs, Ra0, Rb];
    Stfiwx = "stfiwx", X, x31(983), V2_05, Fp, User, 0, [Frs, Ra0, Rb];
    // --- prefixed (ISA 3.1, MLS:D; R = PC-relative) ---
    Plfs = "plfs", Pmls, po(48), V3_1, Fp, User, 0, [Frt, D34, Ra0, R], prefix = PMLS;
    Plfd = "plfd", Pmls, po(50), V3_1, Fp, User, 0, [Frt, D34, Ra0, R], prefix = PMLS;
    Pstfs = "pstfs", Pmls, po(52), V3_1, Fp, User, 0, [Frs, D34, Ra0, R], prefix = PMLS;
    Pstfd = "pstfd", Pmls, po(54), V3_1, Fp, User, 0, [Frs, D34, Ra0, R], prefix = PMLS;
}
