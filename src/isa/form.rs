//! Opcode/mask constructors, one per instruction form.
//!
//! Every table row states its opcode as `form(primary, extended)`; these `const fn`s
//! place the extended opcode where the form keeps it (Power ISA 3.1, Book I §1.6,
//! "Instruction Formats") and return `(opcode, mask)`. Bit numbers in comments are
//! the ISA's big-endian numbering: bit 0 is the most significant bit of the word.

/// Mask of the primary opcode (bits 0-5).
pub const PO_MASK: u32 = 0xfc00_0000;

/// An (opcode, mask) pair: a word `w` matches when `w & mask == opcode`.
pub type OpMask = (u32, u32);

/// The value of an ISA bit field `[first, last]` placed in a word.
pub const fn field(first: u32, last: u32, value: u32) -> u32 {
    let width = last - first + 1;
    let shift = 31 - last;
    (value & ((1u32 << width) - 1)) << shift
}

/// The mask of an ISA bit field `[first, last]`.
pub const fn field_mask(first: u32, last: u32) -> u32 {
    field(first, last, u32::MAX)
}

/// Primary opcode only (D, I, B, SC, M forms).
pub const fn po(p: u32) -> OpMask {
    (p << 26, PO_MASK)
}

const fn ext(p: u32, first: u32, last: u32, xo: u32) -> OpMask {
    (
        (p << 26) | field(first, last, xo),
        PO_MASK | field_mask(first, last),
    )
}

/// X, XL, XFX, XFL, XX1 forms: XO in bits 21-30.
pub const fn x(p: u32, xo: u32) -> OpMask {
    ext(p, 21, 30, xo)
}
/// XO form: XO in bits 22-30 (OE bit 21 and Rc bit 31 are flags).
pub const fn xo(p: u32, xo: u32) -> OpMask {
    ext(p, 22, 30, xo)
}
/// A form: XO in bits 26-30.
pub const fn a(p: u32, xo: u32) -> OpMask {
    ext(p, 26, 30, xo)
}
/// MD form: XO in bits 27-29.
pub const fn md(p: u32, xo: u32) -> OpMask {
    ext(p, 27, 29, xo)
}
/// MDS form: XO in bits 27-30.
pub const fn mds(p: u32, xo: u32) -> OpMask {
    ext(p, 27, 30, xo)
}
/// XS form: XO in bits 21-29.
pub const fn xs(p: u32, xo: u32) -> OpMask {
    ext(p, 21, 29, xo)
}
/// DS form: XO in bits 30-31.
pub const fn ds(p: u32, xo: u32) -> OpMask {
    ext(p, 30, 31, xo)
}
/// DQ form (PO 61 lxv/stxv): XO in bits 29-31.
pub const fn dq3(p: u32, xo: u32) -> OpMask {
    ext(p, 29, 31, xo)
}
/// DQ form (PO 6 lxvp/stxvp): XO in bits 28-31.
pub const fn dq4(p: u32, xo: u32) -> OpMask {
    ext(p, 28, 31, xo)
}
/// VX form: XO in bits 21-31.
pub const fn vx(p: u32, xo: u32) -> OpMask {
    ext(p, 21, 31, xo)
}
/// VA form: XO in bits 26-31.
pub const fn va(p: u32, xo: u32) -> OpMask {
    ext(p, 26, 31, xo)
}
/// VC form: XO in bits 22-31 (Rc in bit 21).
pub const fn vc(p: u32, xo: u32) -> OpMask {
    ext(p, 22, 31, xo)
}
/// VN form: XO in bits 26-31 (same place as VA).
pub const fn vn(p: u32, xo: u32) -> OpMask {
    ext(p, 26, 31, xo)
}
/// XX2 form: XO in bits 21-29.
pub const fn xx2(p: u32, xo: u32) -> OpMask {
    ext(p, 21, 29, xo)
}
/// XX3 form: XO in bits 21-28.
pub const fn xx3(p: u32, xo: u32) -> OpMask {
    ext(p, 21, 28, xo)
}
/// XX3 form with the DM/SHW field (bits 22-23) as operand: XO bits 24-28 plus bit 21.
pub const fn xx3dm(p: u32, xo: u32) -> OpMask {
    let (o, m) = ext(p, 24, 28, xo);
    (o, m | field_mask(21, 21))
}
/// XX4 form: XO in bits 26-27.
pub const fn xx4(p: u32, xo: u32) -> OpMask {
    ext(p, 26, 27, xo)
}
/// Z23 form: XO in bits 23-30.
pub const fn z23(p: u32, xo: u32) -> OpMask {
    ext(p, 23, 30, xo)
}
/// DX form: XO in bits 26-30.
pub const fn dx(p: u32, xo: u32) -> OpMask {
    ext(p, 26, 30, xo)
}

/// Adds a fixed field value (a sub-opcode in an operand field, or a reserved
/// field that must be zero) to an (opcode, mask) pair.
pub const fn with(om: OpMask, first: u32, last: u32, value: u32) -> OpMask {
    (
        om.0 | field(first, last, value),
        om.1 | field_mask(first, last),
    )
}

/// Prefix word of an 8-byte instruction: PO 1, type in bits 6-7 (0 = 8LS, 1 = 8RR,
/// 2 = MLS, 3 = MRR). The ST bit 8 is part of the opcode.
pub const fn prefix(ty: u32, st: u32) -> OpMask {
    (
        (1 << 26) | field(6, 7, ty) | field(8, 8, st),
        PO_MASK | field_mask(6, 8),
    )
}
