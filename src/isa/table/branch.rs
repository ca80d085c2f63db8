//! Branch facility rows: unconditional and conditional branches (AA/LK variants
//! are separate rows so that every mnemonic is one row), branches to LR/CTR/TAR,
//! CR logical operations, `mcrf`, and the system-call instructions (Power ISA 3.1
//! Book I ch. 2).
//!
//! Reserved-bit masks follow QEMU's opcode table (target/ppc/translate.c):
//! `bclr`/`bcctr` do not check bits 16-18 (inval 0), `bctar` does (0x0000E000),
//! `sc` checks bits 6-19, 27-29 (0x03FFF01D), `scv` bits 6-19, 27-30.

use crate::isa::form::*;

/// I form with AA (bit 30) and LK (bit 31) fixed.
const fn i_form(aa_lk: u32) -> OpMask {
    with(po(18), 30, 31, aa_lk)
}
/// B form with AA and LK fixed.
const fn b_form(aa_lk: u32) -> OpMask {
    with(po(16), 30, 31, aa_lk)
}
/// XL form on PO 19 with LK (bit 31) fixed.
const fn xl_lk(xo: u32, lk: u32) -> OpMask {
    with(x(19, xo), 31, 31, lk)
}
/// XL form CR logical op (bit 31 reserved).
const fn crop(xo: u32) -> OpMask {
    with(x(19, xo), 31, 31, 0)
}
/// SC form: bits 6-19 and 27-29 reserved, bits 30-31 select sc (10) / scv (01).
const fn sc_form(b30_31: u32) -> OpMask {
    with(with(with(po(17), 6, 19, 0), 27, 29, 0), 30, 31, b30_31)
}

crate::isa_family! { Branch, BRANCH;
    B = "b", I, i_form(0), V2_05, Base, User, 0, [Li];
    Ba = "ba", I, i_form(2), V2_05, Base, User, 0, [LiAbs];
    Bl = "bl", I, i_form(1), V2_05, Base, User, 0, [Li];
    Bla = "bla", I, i_form(3), V2_05, Base, User, 0, [LiAbs];
    Bc = "bc", B, b_form(0), V2_05, Base, User, 0, [Bo, Bi, Bd];
    Bca = "bca", B, b_form(2), V2_05, Base, User, 0, [Bo, Bi, BdAbs];
    Bcl = "bcl", B, b_form(1), V2_05, Base, User, 0, [Bo, Bi, Bd];
    Bcla = "bcla", B, b_form(3), V2_05, Base, User, 0, [Bo, Bi, BdAbs];
    Bclr = "bclr", Xl, xl_lk(16, 0), V2_05, Base, User, 0, [Bo, Bi, Bh];
    Bclrl = "bclrl", Xl, xl_lk(16, 1), V2_05, Base, User, 0, [Bo, Bi, Bh];
    Bcctr = "bcctr", Xl, xl_lk(528, 0), V2_05, Base, User, 0, [Bo, Bi, Bh];
    Bcctrl = "bcctrl", Xl, xl_lk(528, 1), V2_05, Base, User, 0, [Bo, Bi, Bh];
    Bctar = "bctar", Xl, with(xl_lk(560, 0), 16, 18, 0), V2_07, Base, User, 0, [Bo, Bi, Bh];
    Bctarl = "bctarl", Xl, with(xl_lk(560, 1), 16, 18, 0), V2_07, Base, User, 0, [Bo, Bi, Bh];
    // --- CR logical ---
    Crand = "crand", Xl, crop(257), V2_05, Base, User, 0, [Bt, Ba, Bb];
    Cror = "cror", Xl, crop(449), V2_05, Base, User, 0, [Bt, Ba, Bb];
    Crxor = "crxor", Xl, crop(193), V2_05, Base, User, 0, [Bt, Ba, Bb];
    Crnand = "crnand", Xl, crop(225), V2_05, Base, User, 0, [Bt, Ba, Bb];
    Crnor = "crnor", Xl, crop(33), V2_05, Base, User, 0, [Bt, Ba, Bb];
    Creqv = "creqv", Xl, crop(289), V2_05, Base, User, 0, [Bt, Ba, Bb];
    Crandc = "crandc", Xl, crop(129), V2_05, Base, User, 0, [Bt, Ba, Bb];
    Crorc = "crorc", Xl, crop(417), V2_05, Base, User, 0, [Bt, Ba, Bb];
    // mcrf: QEMU checks only bit 31 (inval 0x00000001).
    Mcrf = "mcrf", Xl, crop(0), V2_05, Base, User, 0, [Bf, Bfa];
    // --- system call ---
    Sc = "sc", Sc, sc_form(2), V2_05, Base, User, 0, [Lev];
    Scv = "scv", Sc, sc_form(1), V3_0, Base, User, 0, [Lev];
}
