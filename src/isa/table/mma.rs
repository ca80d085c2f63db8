//! Matrix-Multiply Assist (MMA) rows: the accumulator moves and the rank-k
//! update ("GER") instructions with their prefixed masked forms (Power ISA 3.1
//! Book I ch. 8 "VSX Matrix-Multiply Assist"; encodings checked against GNU as
//! 2.40 and QEMU 7.2 target/ppc/insn32.decode / insn64.decode).
//!
//! Bits the ISA marks reserved in these forms (XX3 bits 9-10 and 31, the X-form
//! fields other than AS and the sub-opcode, the unused MMIRR prefix bits) are
//! ignored, as QEMU's decode patterns ignore them (`--`); only the even-pair
//! bit of XAp (bit 15 of the f64 forms) is fixed, as QEMU fixes it (`....0`).

use crate::isa::form::*;

/// XX3-form GER: PO 59, AT in bits 6-8, XO in bits 21-28.
const fn ger(xo: u32) -> OpMask {
    xx3(59, xo)
}
/// The f64 GERs read an even-odd VSR pair XAp: bit 15 is 0.
const fn ger64(xo: u32) -> OpMask {
    with(xx3(59, xo), 15, 15, 0)
}
/// MMIRR prefix (type 3, bits 8-11 = 0b1001) of the pmxv* forms.
const MMIRR: OpMask = with(prefix(3, 1), 9, 11, 1);
/// X-form accumulator move: PO 31, XO 177, sub-opcode in bits 11-15.
const fn acc(sub: u32) -> OpMask {
    with(x(31, 177), 11, 15, sub)
}

crate::isa_family! { Mma, MMA;
    // --- accumulator moves (ISA 3.1 §8.5) ---
    Xxmfacc = "xxmfacc", X, acc(0), V3_1, Mma, User, 0, [As];
    Xxmtacc = "xxmtacc", X, acc(1), V3_1, Mma, User, 0, [As];
    Xxsetaccz = "xxsetaccz", X, acc(3), V3_1, Mma, User, 0, [As];
    // --- integer GERs ---
    Xvi4ger8 = "xvi4ger8", Xx3, ger(35), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvi4ger8pp = "xvi4ger8pp", Xx3, ger(34), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvi8ger4 = "xvi8ger4", Xx3, ger(3), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvi8ger4pp = "xvi8ger4pp", Xx3, ger(2), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvi8ger4spp = "xvi8ger4spp", Xx3, ger(99), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvi16ger2 = "xvi16ger2", Xx3, ger(75), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvi16ger2pp = "xvi16ger2pp", Xx3, ger(107), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvi16ger2s = "xvi16ger2s", Xx3, ger(43), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvi16ger2spp = "xvi16ger2spp", Xx3, ger(42), V3_1, Mma, User, 0, [As, Xa, Xb];
    // --- floating-point GERs ---
    Xvbf16ger2 = "xvbf16ger2", Xx3, ger(51), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvbf16ger2pp = "xvbf16ger2pp", Xx3, ger(50), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvbf16ger2pn = "xvbf16ger2pn", Xx3, ger(178), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvbf16ger2np = "xvbf16ger2np", Xx3, ger(114), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvbf16ger2nn = "xvbf16ger2nn", Xx3, ger(242), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf16ger2 = "xvf16ger2", Xx3, ger(19), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf16ger2pp = "xvf16ger2pp", Xx3, ger(18), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf16ger2pn = "xvf16ger2pn", Xx3, ger(146), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf16ger2np = "xvf16ger2np", Xx3, ger(82), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf16ger2nn = "xvf16ger2nn", Xx3, ger(210), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf32ger = "xvf32ger", Xx3, ger(27), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf32gerpp = "xvf32gerpp", Xx3, ger(26), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf32gerpn = "xvf32gerpn", Xx3, ger(154), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf32gernp = "xvf32gernp", Xx3, ger(90), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf32gernn = "xvf32gernn", Xx3, ger(218), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf64ger = "xvf64ger", Xx3, ger64(59), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf64gerpp = "xvf64gerpp", Xx3, ger64(58), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf64gerpn = "xvf64gerpn", Xx3, ger64(186), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf64gernp = "xvf64gernp", Xx3, ger64(122), V3_1, Mma, User, 0, [As, Xa, Xb];
    Xvf64gernn = "xvf64gernn", Xx3, ger64(250), V3_1, Mma, User, 0, [As, Xa, Xb];
    // --- prefixed masked GERs (MMIRR:XX3): XMSK, YMSK, PMSK in the prefix ---
    Pmxvi4ger8 = "pmxvi4ger8", Pmrr, ger(35), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk8], prefix = MMIRR;
    Pmxvi4ger8pp = "pmxvi4ger8pp", Pmrr, ger(34), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk8], prefix = MMIRR;
    Pmxvi8ger4 = "pmxvi8ger4", Pmrr, ger(3), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk4], prefix = MMIRR;
    Pmxvi8ger4pp = "pmxvi8ger4pp", Pmrr, ger(2), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk4], prefix = MMIRR;
    Pmxvi8ger4spp = "pmxvi8ger4spp", Pmrr, ger(99), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk4], prefix = MMIRR;
    Pmxvi16ger2 = "pmxvi16ger2", Pmrr, ger(75), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvi16ger2pp = "pmxvi16ger2pp", Pmrr, ger(107), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvi16ger2s = "pmxvi16ger2s", Pmrr, ger(43), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvi16ger2spp = "pmxvi16ger2spp", Pmrr, ger(42), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvbf16ger2 = "pmxvbf16ger2", Pmrr, ger(51), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvbf16ger2pp = "pmxvbf16ger2pp", Pmrr, ger(50), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvbf16ger2pn = "pmxvbf16ger2pn", Pmrr, ger(178), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvbf16ger2np = "pmxvbf16ger2np", Pmrr, ger(114), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvbf16ger2nn = "pmxvbf16ger2nn", Pmrr, ger(242), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvf16ger2 = "pmxvf16ger2", Pmrr, ger(19), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvf16ger2pp = "pmxvf16ger2pp", Pmrr, ger(18), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvf16ger2pn = "pmxvf16ger2pn", Pmrr, ger(146), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvf16ger2np = "pmxvf16ger2np", Pmrr, ger(82), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvf16ger2nn = "pmxvf16ger2nn", Pmrr, ger(210), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk, Pmsk2], prefix = MMIRR;
    Pmxvf32ger = "pmxvf32ger", Pmrr, ger(27), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk], prefix = MMIRR;
    Pmxvf32gerpp = "pmxvf32gerpp", Pmrr, ger(26), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk], prefix = MMIRR;
    Pmxvf32gerpn = "pmxvf32gerpn", Pmrr, ger(154), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk], prefix = MMIRR;
    Pmxvf32gernp = "pmxvf32gernp", Pmrr, ger(90), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk], prefix = MMIRR;
    Pmxvf32gernn = "pmxvf32gernn", Pmrr, ger(218), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk], prefix = MMIRR;
    Pmxvf64ger = "pmxvf64ger", Pmrr, ger64(59), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk2], prefix = MMIRR;
    Pmxvf64gerpp = "pmxvf64gerpp", Pmrr, ger64(58), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk2], prefix = MMIRR;
    Pmxvf64gerpn = "pmxvf64gerpn", Pmrr, ger64(186), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk2], prefix = MMIRR;
    Pmxvf64gernp = "pmxvf64gernp", Pmrr, ger64(122), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk2], prefix = MMIRR;
    Pmxvf64gernn = "pmxvf64gernn", Pmrr, ger64(250), V3_1, Mma, User, 0, [As, Xa, Xb, Xmsk, Ymsk2], prefix = MMIRR;
}
