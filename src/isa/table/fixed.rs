//! Fixed-point facility rows: arithmetic, compare, logical, rotate/shift, count,
//! bit-permute, isel, trap (Power ISA 3.1 Book I ch. 3.3).

use crate::isa::form::*;
use crate::isa::{OE, RC};

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
    Addex = "addex", Z23, with(z23(31, 170), 31, 31, 0), V3_0, Base, User, 0, [Rt, Ra, Rb, Cy];
    Addpcis = "addpcis", Dx, dx(19, 2), V3_0, Base, User, 0, [Rt, Si];
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
    Modsd = "modsd", X, with(x(31, 777), 31, 31, 0), V3_0, Base, User, 0, [Rt, Ra, Rb];
    Modud = "modud", X, with(x(31, 265), 31, 31, 0), V3_0, Base, User, 0, [Rt, Ra, Rb];
    Modsw = "modsw", X, with(x(31, 779), 31, 31, 0), V3_0, Base, User, 0, [Rt, Ra, Rb];
    Moduw = "moduw", X, with(x(31, 267), 31, 31, 0), V3_0, Base, User, 0, [Rt, Ra, Rb];
    Maddld = "maddld", Va, va(4, 51), V3_0, Base, User, 0, [Rt, Ra, Rb, Rc];
    Maddhd = "maddhd", Va, va(4, 48), V3_0, Base, User, 0, [Rt, Ra, Rb, Rc];
    Maddhdu = "maddhdu", Va, va(4, 49), V3_0, Base, User, 0, [Rt, Ra, Rb, Rc];
}
