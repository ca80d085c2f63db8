//! Fixed-point facility rows: arithmetic, compare, logical, rotate/shift, count,
//! bit-permute, isel, trap (Power ISA 3.1 Book I ch. 3.3).
//!
//! Encodings and levels: `../shared/reference/isa-facts.md` §1 [ASM]. Reserved
//! fields are fixed to 0 where QEMU's decoder (target/ppc/translate.c opcode
//! table `inval` masks, insn32.decode) rejects them, so that such encodings are
//! illegal here too.

use crate::isa::form::*;
use crate::isa::{OE, RC};

/// X form on PO 31 with bit 31 reserved.
const fn x0(xo: u32) -> OpMask {
    with(x(31, xo), 31, 31, 0)
}
/// X form on PO 31, one source (RB field bits 16-20 reserved), Rc is a flag.
const fn x1(xo: u32) -> OpMask {
    with(x(31, xo), 16, 20, 0)
}
/// X form on PO 31, one source, bit 31 reserved as well.
const fn x10(xo: u32) -> OpMask {
    with(x0(xo), 16, 20, 0)
}
/// MLS prefix (type 2), ST bit 0.
const MLS: OpMask = prefix(2, 0);

crate::isa_family! { Fixed, FIXED;
    // --- add/subtract (XO form: OE bit 21, Rc bit 31) ---
    Add = "add", Xo, xo(31, 266), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Addc = "addc", Xo, xo(31, 10), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Adde = "adde", Xo, xo(31, 138), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Addme = "addme", Xo, with(xo(31, 234), 16, 20, 0), V2_05, Base, User, RC | OE, [Rt, Ra];
    Addze = "addze", Xo, with(xo(31, 202), 16, 20, 0), V2_05, Base, User, RC | OE, [Rt, Ra];
    Subf = "subf", Xo, xo(31, 40), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Subfc = "subfc", Xo, xo(31, 8), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Subfe = "subfe", Xo, xo(31, 136), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Subfme = "subfme", Xo, with(xo(31, 232), 16, 20, 0), V2_05, Base, User, RC | OE, [Rt, Ra];
    Subfze = "subfze", Xo, with(xo(31, 200), 16, 20, 0), V2_05, Base, User, RC | OE, [Rt, Ra];
    Neg = "neg", Xo, with(xo(31, 104), 16, 20, 0), V2_05, Base, User, RC | OE, [Rt, Ra];
    Addi = "addi", D, po(14), V2_05, Base, User, 0, [Rt, Ra0, Si];
    Addis = "addis", D, po(15), V2_05, Base, User, 0, [Rt, Ra0, Si];
    Addic = "addic", D, po(12), V2_05, Base, User, 0, [Rt, Ra, Si];
    AddicRc = "addic.", D, po(13), V2_05, Base, User, 0, [Rt, Ra, Si];
    Subfic = "subfic", D, po(8), V2_05, Base, User, 0, [Rt, Ra, Si];
    // addex: CY (bits 21-22) must be 0 in ISA 3.0/3.1 (QEMU opc3 0x05 fixes it).
    Addex = "addex", Z23, with(with(z23(31, 170), 31, 31, 0), 21, 22, 0), V3_0, Base, User, 0, [Rt, Ra, Rb, Cy];
    Addpcis = "addpcis", Dx, dx(19, 2), V3_0, Base, User, 0, [Rt, Dx];
    Paddi = "paddi", Pmls, po(14), V3_1, Base, User, 0, [Rt, Ra0, Si34, R], prefix = MLS;
    // --- multiply/divide ---
    Mulli = "mulli", D, po(7), V2_05, Base, User, 0, [Rt, Ra, Si];
    Mulld = "mulld", Xo, xo(31, 233), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Mullw = "mullw", Xo, xo(31, 235), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Mulhd = "mulhd", Xo, with(xo(31, 73), 21, 21, 0), V2_05, Base, User, RC, [Rt, Ra, Rb];
    Mulhdu = "mulhdu", Xo, with(xo(31, 9), 21, 21, 0), V2_05, Base, User, RC, [Rt, Ra, Rb];
    Mulhw = "mulhw", Xo, with(xo(31, 75), 21, 21, 0), V2_05, Base, User, RC, [Rt, Ra, Rb];
    Mulhwu = "mulhwu", Xo, with(xo(31, 11), 21, 21, 0), V2_05, Base, User, RC, [Rt, Ra, Rb];
    Divd = "divd", Xo, xo(31, 489), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Divdu = "divdu", Xo, xo(31, 457), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Divw = "divw", Xo, xo(31, 491), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Divwu = "divwu", Xo, xo(31, 459), V2_05, Base, User, RC | OE, [Rt, Ra, Rb];
    Divde = "divde", Xo, xo(31, 425), V2_06, Base, User, RC | OE, [Rt, Ra, Rb];
    Divdeu = "divdeu", Xo, xo(31, 393), V2_06, Base, User, RC | OE, [Rt, Ra, Rb];
    Divwe = "divwe", Xo, xo(31, 427), V2_06, Base, User, RC | OE, [Rt, Ra, Rb];
    Divweu = "divweu", Xo, xo(31, 395), V2_06, Base, User, RC | OE, [Rt, Ra, Rb];
    Modsd = "modsd", X, x0(777), V3_0, Base, User, 0, [Rt, Ra, Rb];
    Modud = "modud", X, x0(265), V3_0, Base, User, 0, [Rt, Ra, Rb];
    Modsw = "modsw", X, x0(779), V3_0, Base, User, 0, [Rt, Ra, Rb];
    Moduw = "moduw", X, x0(267), V3_0, Base, User, 0, [Rt, Ra, Rb];
    Maddld = "maddld", Va, va(4, 51), V3_0, Base, User, 0, [Rt, Ra, Rb, Rc];
    Maddhd = "maddhd", Va, va(4, 48), V3_0, Base, User, 0, [Rt, Ra, Rb, Rc];
    Maddhdu = "maddhdu", Va, va(4, 49), V3_0, Base, User, 0, [Rt, Ra, Rb, Rc];
    // --- compare (bit 9 reserved; L in bit 10) ---
    Cmp = "cmp", X, with(x0(0), 9, 9, 0), V2_05, Base, User, 0, [Bf, L10, Ra, Rb];
    Cmpl = "cmpl", X, with(x0(32), 9, 9, 0), V2_05, Base, User, 0, [Bf, L10, Ra, Rb];
    Cmpi = "cmpi", D, with(po(11), 9, 9, 0), V2_05, Base, User, 0, [Bf, L10, Ra, Si];
    Cmpli = "cmpli", D, with(po(10), 9, 9, 0), V2_05, Base, User, 0, [Bf, L10, Ra, Ui];
    Cmpb = "cmpb", X, x0(508), V2_05, Base, User, 0, [Ra, Rs, Rb];
    Cmprb = "cmprb", X, with(x0(192), 9, 9, 0), V3_0, Base, User, 0, [Bf, L10, Ra, Rb];
    Cmpeqb = "cmpeqb", X, with(x0(224), 9, 10, 0), V3_0, Base, User, 0, [Bf, Ra, Rb];
    Setb = "setb", X, with(x0(128), 14, 20, 0), V3_0, Base, User, 0, [Rt, Bfa];
    Setbc = "setbc", X, x10(384), V3_1, Base, User, 0, [Rt, BiCr];
    Setbcr = "setbcr", X, x10(416), V3_1, Base, User, 0, [Rt, BiCr];
    Setnbc = "setnbc", X, x10(448), V3_1, Base, User, 0, [Rt, BiCr];
    Setnbcr = "setnbcr", X, x10(480), V3_1, Base, User, 0, [Rt, BiCr];
    // --- logical ---
    And = "and", X, x(31, 28), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Or = "or", X, x(31, 444), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Xor = "xor", X, x(31, 316), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Nand = "nand", X, x(31, 476), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Nor = "nor", X, x(31, 124), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Eqv = "eqv", X, x(31, 284), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Andc = "andc", X, x(31, 60), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Orc = "orc", X, x(31, 412), V2_05, Base, User, RC, [Ra, Rs, Rb];
    AndiRc = "andi.", D, po(28), V2_05, Base, User, 0, [Ra, Rs, Ui];
    AndisRc = "andis.", D, po(29), V2_05, Base, User, 0, [Ra, Rs, Ui];
    Ori = "ori", D, po(24), V2_05, Base, User, 0, [Ra, Rs, Ui];
    Oris = "oris", D, po(25), V2_05, Base, User, 0, [Ra, Rs, Ui];
    Xori = "xori", D, po(26), V2_05, Base, User, 0, [Ra, Rs, Ui];
    Xoris = "xoris", D, po(27), V2_05, Base, User, 0, [Ra, Rs, Ui];
    Extsb = "extsb", X, x1(954), V2_05, Base, User, RC, [Ra, Rs];
    Extsh = "extsh", X, x1(922), V2_05, Base, User, RC, [Ra, Rs];
    Extsw = "extsw", X, x1(986), V2_05, Base, User, RC, [Ra, Rs];
    // --- count / parity / permute ---
    Cntlzw = "cntlzw", X, x1(26), V2_05, Base, User, RC, [Ra, Rs];
    Cntlzd = "cntlzd", X, x1(58), V2_05, Base, User, RC, [Ra, Rs];
    Cnttzw = "cnttzw", X, x1(538), V3_0, Base, User, RC, [Ra, Rs];
    Cnttzd = "cnttzd", X, x1(570), V3_0, Base, User, RC, [Ra, Rs];
    Popcntb = "popcntb", X, x10(122), V2_05, Base, User, 0, [Ra, Rs];
    Popcntw = "popcntw", X, x10(378), V2_06, Base, User, 0, [Ra, Rs];
    Popcntd = "popcntd", X, x10(506), V2_06, Base, User, 0, [Ra, Rs];
    Prtyw = "prtyw", X, x10(154), V2_05, Base, User, 0, [Ra, Rs];
    Prtyd = "prtyd", X, x10(186), V2_05, Base, User, 0, [Ra, Rs];
    Bpermd = "bpermd", X, x0(252), V2_06, Base, User, 0, [Ra, Rs, Rb];
    Isel = "isel", A, with(a(31, 15), 31, 31, 0), V2_06, Base, User, 0, [Rt, Ra0, Rb, BcCr];
    Brh = "brh", X, x10(219), V3_1, Base, User, 0, [Ra, Rs];
    Brw = "brw", X, x10(155), V3_1, Base, User, 0, [Ra, Rs];
    Brd = "brd", X, x10(187), V3_1, Base, User, 0, [Ra, Rs];
    Pdepd = "pdepd", X, x0(156), V3_1, Base, User, 0, [Ra, Rs, Rb];
    Pextd = "pextd", X, x0(188), V3_1, Base, User, 0, [Ra, Rs, Rb];
    Cfuged = "cfuged", X, x0(220), V3_1, Base, User, 0, [Ra, Rs, Rb];
    Cntlzdm = "cntlzdm", X, x0(59), V3_1, Base, User, 0, [Ra, Rs, Rb];
    Cnttzdm = "cnttzdm", X, x0(571), V3_1, Base, User, 0, [Ra, Rs, Rb];
    // --- rotate / shift ---
    Rlwinm = "rlwinm", M, po(21), V2_05, Base, User, RC, [Ra, Rs, Sh, Mb, Me];
    Rlwimi = "rlwimi", M, po(20), V2_05, Base, User, RC, [Ra, Rs, Sh, Mb, Me];
    Rlwnm = "rlwnm", M, po(23), V2_05, Base, User, RC, [Ra, Rs, Rb, Mb, Me];
    Rldicl = "rldicl", Md, md(30, 0), V2_05, Base, User, RC, [Ra, Rs, Sh6, Mb6];
    Rldicr = "rldicr", Md, md(30, 1), V2_05, Base, User, RC, [Ra, Rs, Sh6, Me6];
    Rldic = "rldic", Md, md(30, 2), V2_05, Base, User, RC, [Ra, Rs, Sh6, Mb6];
    Rldimi = "rldimi", Md, md(30, 3), V2_05, Base, User, RC, [Ra, Rs, Sh6, Mb6];
    Rldcl = "rldcl", Mds, mds(30, 8), V2_05, Base, User, RC, [Ra, Rs, Rb, Mb6];
    Rldcr = "rldcr", Mds, mds(30, 9), V2_05, Base, User, RC, [Ra, Rs, Rb, Me6];
    Slw = "slw", X, x(31, 24), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Srw = "srw", X, x(31, 536), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Sraw = "sraw", X, x(31, 792), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Srawi = "srawi", X, x(31, 824), V2_05, Base, User, RC, [Ra, Rs, Sh];
    Sld = "sld", X, x(31, 27), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Srd = "srd", X, x(31, 539), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Srad = "srad", X, x(31, 794), V2_05, Base, User, RC, [Ra, Rs, Rb];
    Sradi = "sradi", Xs, xs(31, 413), V2_05, Base, User, RC, [Ra, Rs, Sh6];
    Extswsli = "extswsli", Xs, xs(31, 445), V3_0, Base, User, RC, [Ra, Rs, Sh6];
    // --- ISA 3.0 misc ---
    // darn: bits 11-13 and 16-20 reserved (QEMU inval 0x001CF801).
    Darn = "darn", X, with(with(x0(755), 11, 13, 0), 16, 20, 0), V3_0, Base, User, 0, [Rt, L14];
    Mcrxrx = "mcrxrx", X, with(x0(576), 9, 20, 0), V3_0, Base, User, 0, [Bf];
    // --- trap ---
    Tw = "tw", X, x0(4), V2_05, Base, User, 0, [To, Ra, Rb];
    Td = "td", X, x0(68), V2_05, Base, User, 0, [To, Ra, Rb];
    Twi = "twi", D, po(3), V2_05, Base, User, 0, [To, Ra, Si];
    Tdi = "tdi", D, po(2), V2_05, Base, User, 0, [To, Ra, Si];
}
