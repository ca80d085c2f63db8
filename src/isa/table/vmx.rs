//! Vector (VMX / Altivec) facility rows: integer arithmetic, logical, permute,
//! shift/rotate, compare, pack/unpack, multiply-sum, crypto, VMX single-precision
//! float, and the VR loads/stores (Power ISA 3.1 Book I ch. 6).
//!
//! Encodings were checked against GNU as 2.40 (the words of the assembled
//! vectors in `tests/vectors/vmx.jsonl`, objdump in `tests/golden/disasm.txt`)
//! and QEMU 7.2 `target/ppc/insn32.decode`. VMX instructions that
//! predate ISA 2.05 are given level V2_05 (every 64-bit server model we emulate has
//! VMX). Reserved fields are fixed to 0 so that reserved encodings are illegal.

use crate::isa::form::*;
use crate::isa::RC21;

/// VX form with the VRA field (bits 11-15) reserved: one-source ops.
const fn vx_b(xo: u32) -> OpMask {
    with(vx(4, xo), 11, 15, 0)
}
/// VX form with a sub-opcode in the VRA field (VX XO 1538 / 1602 groups).
const fn vx_sub(xo: u32, sub: u32) -> OpMask {
    with(vx(4, xo), 11, 15, sub)
}
/// VX form whose UIM lives in bits 12-15 (bit 11 reserved).
const fn vx_u4(xo: u32) -> OpMask {
    with(vx(4, xo), 11, 11, 0)
}
/// X form on primary opcode 31 with bit 31 reserved (VR loads/stores).
const fn x0(xo: u32) -> OpMask {
    with(x(31, xo), 31, 31, 0)
}
/// VX form with the VRB field (bits 16-20) reserved: VRT, VRA only.
const fn vx_a(xo: u32) -> OpMask {
    with(vx(4, xo), 16, 20, 0)
}
/// BCD VX forms (ISA 3.1 Book I §5.3): bit 21 is always 1 (record form), bit 22
/// is PS, XO in bits 23-31.
const fn bcd(xo: u32) -> OpMask {
    with(with(po(4), 23, 31, xo), 21, 21, 1)
}
/// BCD form without PS (bit 22 reserved).
const fn bcd_nops(xo: u32) -> OpMask {
    with(bcd(xo), 22, 22, 0)
}
/// The BCD conversion group (XO 385) with its sub-opcode in the VRA field.
const fn bcd_sub(sub: u32) -> OpMask {
    with(bcd(385), 11, 15, sub)
}

crate::isa_family! { Vmx, VMX;
    // --- loads and stores (X form, PO 31) ---
    Lvsl = "lvsl", X, x0(6), V2_05, Vmx, User, 0, [Vrt, Ra0, Rb];
    Lvsr = "lvsr", X, x0(38), V2_05, Vmx, User, 0, [Vrt, Ra0, Rb];
    Lvebx = "lvebx", X, x0(7), V2_05, Vmx, User, 0, [Vrt, Ra0, Rb];
    Lvehx = "lvehx", X, x0(39), V2_05, Vmx, User, 0, [Vrt, Ra0, Rb];
    Lvewx = "lvewx", X, x0(71), V2_05, Vmx, User, 0, [Vrt, Ra0, Rb];
    Lvx = "lvx", X, x0(103), V2_05, Vmx, User, 0, [Vrt, Ra0, Rb];
    Lvxl = "lvxl", X, x0(359), V2_05, Vmx, User, 0, [Vrt, Ra0, Rb];
    Stvebx = "stvebx", X, x0(135), V2_05, Vmx, User, 0, [Vrs, Ra0, Rb];
    Stvehx = "stvehx", X, x0(167), V2_05, Vmx, User, 0, [Vrs, Ra0, Rb];
    Stvewx = "stvewx", X, x0(199), V2_05, Vmx, User, 0, [Vrs, Ra0, Rb];
    Stvx = "stvx", X, x0(231), V2_05, Vmx, User, 0, [Vrs, Ra0, Rb];
    Stvxl = "stvxl", X, x0(487), V2_05, Vmx, User, 0, [Vrs, Ra0, Rb];
    // --- VSCR ---
    Mfvscr = "mfvscr", Vx, with(vx(4, 1540), 11, 20, 0), V2_05, Vmx, User, 0, [Vrt];
    Mtvscr = "mtvscr", Vx, with(vx(4, 1604), 6, 15, 0), V2_05, Vmx, User, 0, [Vrb];
    // --- modular add/subtract ---
    Vaddubm = "vaddubm", Vx, vx(4, 0), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vadduhm = "vadduhm", Vx, vx(4, 64), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vadduwm = "vadduwm", Vx, vx(4, 128), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vaddudm = "vaddudm", Vx, vx(4, 192), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vadduqm = "vadduqm", Vx, vx(4, 256), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vaddcuq = "vaddcuq", Vx, vx(4, 320), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vaddcuw = "vaddcuw", Vx, vx(4, 384), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vaddeuqm = "vaddeuqm", Va, va(4, 60), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vaddecuq = "vaddecuq", Va, va(4, 61), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vsububm = "vsububm", Vx, vx(4, 1024), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubuhm = "vsubuhm", Vx, vx(4, 1088), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubuwm = "vsubuwm", Vx, vx(4, 1152), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubudm = "vsubudm", Vx, vx(4, 1216), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubuqm = "vsubuqm", Vx, vx(4, 1280), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubcuq = "vsubcuq", Vx, vx(4, 1344), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubcuw = "vsubcuw", Vx, vx(4, 1408), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubeuqm = "vsubeuqm", Va, va(4, 62), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vsubecuq = "vsubecuq", Va, va(4, 63), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    // --- saturating add/subtract (set VSCR[SAT]) ---
    Vaddubs = "vaddubs", Vx, vx(4, 512), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vadduhs = "vadduhs", Vx, vx(4, 576), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vadduws = "vadduws", Vx, vx(4, 640), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vaddsbs = "vaddsbs", Vx, vx(4, 768), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vaddshs = "vaddshs", Vx, vx(4, 832), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vaddsws = "vaddsws", Vx, vx(4, 896), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsububs = "vsububs", Vx, vx(4, 1536), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubuhs = "vsubuhs", Vx, vx(4, 1600), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubuws = "vsubuws", Vx, vx(4, 1664), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubsbs = "vsubsbs", Vx, vx(4, 1792), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubshs = "vsubshs", Vx, vx(4, 1856), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubsws = "vsubsws", Vx, vx(4, 1920), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- max / min / average / absolute difference ---
    Vmaxub = "vmaxub", Vx, vx(4, 2), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmaxuh = "vmaxuh", Vx, vx(4, 66), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmaxuw = "vmaxuw", Vx, vx(4, 130), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmaxud = "vmaxud", Vx, vx(4, 194), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmaxsb = "vmaxsb", Vx, vx(4, 258), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmaxsh = "vmaxsh", Vx, vx(4, 322), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmaxsw = "vmaxsw", Vx, vx(4, 386), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmaxsd = "vmaxsd", Vx, vx(4, 450), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminub = "vminub", Vx, vx(4, 514), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminuh = "vminuh", Vx, vx(4, 578), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminuw = "vminuw", Vx, vx(4, 642), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminud = "vminud", Vx, vx(4, 706), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminsb = "vminsb", Vx, vx(4, 770), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminsh = "vminsh", Vx, vx(4, 834), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminsw = "vminsw", Vx, vx(4, 898), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminsd = "vminsd", Vx, vx(4, 962), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vavgub = "vavgub", Vx, vx(4, 1026), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vavguh = "vavguh", Vx, vx(4, 1090), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vavguw = "vavguw", Vx, vx(4, 1154), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vavgsb = "vavgsb", Vx, vx(4, 1282), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vavgsh = "vavgsh", Vx, vx(4, 1346), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vavgsw = "vavgsw", Vx, vx(4, 1410), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    // isa-facts: binutils accepts vabsdu* at power8, QEMU gates them ISA300.
    Vabsdub = "vabsdub", Vx, vx(4, 1027), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vabsduh = "vabsduh", Vx, vx(4, 1091), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vabsduw = "vabsduw", Vx, vx(4, 1155), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- logical ---
    Vand = "vand", Vx, vx(4, 1028), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vandc = "vandc", Vx, vx(4, 1092), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vor = "vor", Vx, vx(4, 1156), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vxor = "vxor", Vx, vx(4, 1220), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vnor = "vnor", Vx, vx(4, 1284), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vorc = "vorc", Vx, vx(4, 1348), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vnand = "vnand", Vx, vx(4, 1412), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Veqv = "veqv", Vx, vx(4, 1668), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsel = "vsel", Va, va(4, 42), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    // --- permute ---
    Vperm = "vperm", Va, va(4, 43), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vpermr = "vpermr", Va, va(4, 59), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vpermxor = "vpermxor", Va, va(4, 45), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vsldoi = "vsldoi", Va, with(va(4, 44), 21, 21, 0), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Shb];
    Vsldbi = "vsldbi", Vn, with(vn(4, 22), 21, 22, 0), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Sh3];
    Vsrdbi = "vsrdbi", Vn, with(vn(4, 22), 21, 22, 1), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Sh3];
    Vmrghb = "vmrghb", Vx, vx(4, 12), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmrghh = "vmrghh", Vx, vx(4, 76), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmrghw = "vmrghw", Vx, vx(4, 140), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmrglb = "vmrglb", Vx, vx(4, 268), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmrglh = "vmrglh", Vx, vx(4, 332), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmrglw = "vmrglw", Vx, vx(4, 396), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmrgew = "vmrgew", Vx, vx(4, 1932), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmrgow = "vmrgow", Vx, vx(4, 1676), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    // QEMU ignores the bits above UIM in the splat forms; we do the same.
    Vspltb = "vspltb", Vx, vx(4, 524), V2_05, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vsplth = "vsplth", Vx, vx(4, 588), V2_05, Vmx, User, 0, [Vrt, Vrb, Uim3];
    Vspltw = "vspltw", Vx, vx(4, 652), V2_05, Vmx, User, 0, [Vrt, Vrb, Uim2];
    Vspltisb = "vspltisb", Vx, with(vx(4, 780), 16, 20, 0), V2_05, Vmx, User, 0, [Vrt, Sim5];
    Vspltish = "vspltish", Vx, with(vx(4, 844), 16, 20, 0), V2_05, Vmx, User, 0, [Vrt, Sim5];
    Vspltisw = "vspltisw", Vx, with(vx(4, 908), 16, 20, 0), V2_05, Vmx, User, 0, [Vrt, Sim5];
    // --- shift / rotate ---
    Vrlb = "vrlb", Vx, vx(4, 4), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrlh = "vrlh", Vx, vx(4, 68), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrlw = "vrlw", Vx, vx(4, 132), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrld = "vrld", Vx, vx(4, 196), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vslb = "vslb", Vx, vx(4, 260), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vslh = "vslh", Vx, vx(4, 324), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vslw = "vslw", Vx, vx(4, 388), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsld = "vsld", Vx, vx(4, 1476), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrb = "vsrb", Vx, vx(4, 516), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrh = "vsrh", Vx, vx(4, 580), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrw = "vsrw", Vx, vx(4, 644), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrd = "vsrd", Vx, vx(4, 1732), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrab = "vsrab", Vx, vx(4, 772), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrah = "vsrah", Vx, vx(4, 836), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsraw = "vsraw", Vx, vx(4, 900), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrad = "vsrad", Vx, vx(4, 964), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsl = "vsl", Vx, vx(4, 452), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsr = "vsr", Vx, vx(4, 708), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vslo = "vslo", Vx, vx(4, 1036), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsro = "vsro", Vx, vx(4, 1100), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vslv = "vslv", Vx, vx(4, 1860), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrv = "vsrv", Vx, vx(4, 1796), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrlwmi = "vrlwmi", Vx, vx(4, 133), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrldmi = "vrldmi", Vx, vx(4, 197), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrlwnm = "vrlwnm", Vx, vx(4, 389), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrldnm = "vrldnm", Vx, vx(4, 453), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- compare (VC form, Rc in bit 21 sets CR6) ---
    Vcmpequb = "vcmpequb", Vc, vc(4, 6), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpequh = "vcmpequh", Vc, vc(4, 70), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpequw = "vcmpequw", Vc, vc(4, 134), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpequd = "vcmpequd", Vc, vc(4, 199), V2_07, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtub = "vcmpgtub", Vc, vc(4, 518), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtuh = "vcmpgtuh", Vc, vc(4, 582), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtuw = "vcmpgtuw", Vc, vc(4, 646), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtud = "vcmpgtud", Vc, vc(4, 711), V2_07, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtsb = "vcmpgtsb", Vc, vc(4, 774), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtsh = "vcmpgtsh", Vc, vc(4, 838), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtsw = "vcmpgtsw", Vc, vc(4, 902), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtsd = "vcmpgtsd", Vc, vc(4, 967), V2_07, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpneb = "vcmpneb", Vc, vc(4, 7), V3_0, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpneh = "vcmpneh", Vc, vc(4, 71), V3_0, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpnew = "vcmpnew", Vc, vc(4, 135), V3_0, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpnezb = "vcmpnezb", Vc, vc(4, 263), V3_0, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpnezh = "vcmpnezh", Vc, vc(4, 327), V3_0, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpnezw = "vcmpnezw", Vc, vc(4, 391), V3_0, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpequq = "vcmpequq", Vc, vc(4, 455), V3_1, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtuq = "vcmpgtuq", Vc, vc(4, 647), V3_1, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtsq = "vcmpgtsq", Vc, vc(4, 903), V3_1, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpeqfp = "vcmpeqfp", Vc, vc(4, 198), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgefp = "vcmpgefp", Vc, vc(4, 454), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpgtfp = "vcmpgtfp", Vc, vc(4, 710), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    Vcmpbfp = "vcmpbfp", Vc, vc(4, 966), V2_05, Vmx, User, RC21, [Vrt, Vra, Vrb];
    // --- multiply ---
    Vmuloub = "vmuloub", Vx, vx(4, 8), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulouh = "vmulouh", Vx, vx(4, 72), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulouw = "vmulouw", Vx, vx(4, 136), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmuloud = "vmuloud", Vx, vx(4, 200), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulosb = "vmulosb", Vx, vx(4, 264), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulosh = "vmulosh", Vx, vx(4, 328), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulosw = "vmulosw", Vx, vx(4, 392), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulosd = "vmulosd", Vx, vx(4, 456), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmuleub = "vmuleub", Vx, vx(4, 520), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmuleuh = "vmuleuh", Vx, vx(4, 584), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmuleuw = "vmuleuw", Vx, vx(4, 648), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmuleud = "vmuleud", Vx, vx(4, 712), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulesb = "vmulesb", Vx, vx(4, 776), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulesh = "vmulesh", Vx, vx(4, 840), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulesw = "vmulesw", Vx, vx(4, 904), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulesd = "vmulesd", Vx, vx(4, 968), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmuluwm = "vmuluwm", Vx, vx(4, 137), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulld = "vmulld", Vx, vx(4, 457), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulhuw = "vmulhuw", Vx, vx(4, 649), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulhsw = "vmulhsw", Vx, vx(4, 905), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulhud = "vmulhud", Vx, vx(4, 713), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmulhsd = "vmulhsd", Vx, vx(4, 969), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- divide / modulo (ISA 3.1) ---
    Vdivuw = "vdivuw", Vx, vx(4, 139), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdivsw = "vdivsw", Vx, vx(4, 395), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdivud = "vdivud", Vx, vx(4, 203), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdivsd = "vdivsd", Vx, vx(4, 459), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmoduw = "vmoduw", Vx, vx(4, 1675), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmodsw = "vmodsw", Vx, vx(4, 1931), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmodud = "vmodud", Vx, vx(4, 1739), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmodsd = "vmodsd", Vx, vx(4, 1995), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdivuq = "vdivuq", Vx, vx(4, 11), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdivsq = "vdivsq", Vx, vx(4, 267), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmoduq = "vmoduq", Vx, vx(4, 1547), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmodsq = "vmodsq", Vx, vx(4, 1803), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- quadword shift / rotate, bit deposit / extract (ISA 3.1) ---
    Vslq = "vslq", Vx, vx(4, 261), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsrq = "vsrq", Vx, vx(4, 517), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsraq = "vsraq", Vx, vx(4, 773), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrlq = "vrlq", Vx, vx(4, 5), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpdepd = "vpdepd", Vx, vx(4, 1485), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpextd = "vpextd", Vx, vx(4, 1421), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vcfuged = "vcfuged", Vx, vx(4, 1357), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vclzdm = "vclzdm", Vx, vx(4, 1924), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vctzdm = "vctzdm", Vx, vx(4, 1988), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- mask expansion / GPR to mask (ISA 3.1, VX XO 1602 sub-opcodes) ---
    Vexpandbm = "vexpandbm", Vx, vx_sub(1602, 0), V3_1, Vmx, User, 0, [Vrt, Vrb];
    Vexpandhm = "vexpandhm", Vx, vx_sub(1602, 1), V3_1, Vmx, User, 0, [Vrt, Vrb];
    Vexpandwm = "vexpandwm", Vx, vx_sub(1602, 2), V3_1, Vmx, User, 0, [Vrt, Vrb];
    Vexpanddm = "vexpanddm", Vx, vx_sub(1602, 3), V3_1, Vmx, User, 0, [Vrt, Vrb];
    Vexpandqm = "vexpandqm", Vx, vx_sub(1602, 4), V3_1, Vmx, User, 0, [Vrt, Vrb];
    Mtvsrbm = "mtvsrbm", Vx, vx_sub(1602, 16), V3_1, Vmx, User, 0, [Vrt, Rb];
    Mtvsrhm = "mtvsrhm", Vx, vx_sub(1602, 17), V3_1, Vmx, User, 0, [Vrt, Rb];
    Mtvsrwm = "mtvsrwm", Vx, vx_sub(1602, 18), V3_1, Vmx, User, 0, [Vrt, Rb];
    Mtvsrdm = "mtvsrdm", Vx, vx_sub(1602, 19), V3_1, Vmx, User, 0, [Vrt, Rb];
    Mtvsrqm = "mtvsrqm", Vx, vx_sub(1602, 20), V3_1, Vmx, User, 0, [Vrt, Rb];
    // --- multiply-add / multiply-sum / sum across (VA and VX forms) ---
    Vmhaddshs = "vmhaddshs", Va, va(4, 32), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmhraddshs = "vmhraddshs", Va, va(4, 33), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmladduhm = "vmladduhm", Va, va(4, 34), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmsumudm = "vmsumudm", Va, va(4, 35), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmsumubm = "vmsumubm", Va, va(4, 36), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmsummbm = "vmsummbm", Va, va(4, 37), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmsumuhm = "vmsumuhm", Va, va(4, 38), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmsumuhs = "vmsumuhs", Va, va(4, 39), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmsumshm = "vmsumshm", Va, va(4, 40), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vmsumshs = "vmsumshs", Va, va(4, 41), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    Vsumsws = "vsumsws", Vx, vx(4, 1928), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsum2sws = "vsum2sws", Vx, vx(4, 1672), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsum4sbs = "vsum4sbs", Vx, vx(4, 1800), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsum4ubs = "vsum4ubs", Vx, vx(4, 1544), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsum4shs = "vsum4shs", Vx, vx(4, 1608), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- pack / unpack ---
    Vpkuhum = "vpkuhum", Vx, vx(4, 14), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkuwum = "vpkuwum", Vx, vx(4, 78), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkudum = "vpkudum", Vx, vx(4, 1102), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkuhus = "vpkuhus", Vx, vx(4, 142), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkuwus = "vpkuwus", Vx, vx(4, 206), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkudus = "vpkudus", Vx, vx(4, 1230), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkshus = "vpkshus", Vx, vx(4, 270), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkswus = "vpkswus", Vx, vx(4, 334), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpksdus = "vpksdus", Vx, vx(4, 1358), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkshss = "vpkshss", Vx, vx(4, 398), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkswss = "vpkswss", Vx, vx(4, 462), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpksdss = "vpksdss", Vx, vx(4, 1486), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpkpx = "vpkpx", Vx, vx(4, 782), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vupkhsb = "vupkhsb", Vx, vx_b(526), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vupkhsh = "vupkhsh", Vx, vx_b(590), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vupkhsw = "vupkhsw", Vx, vx_b(1614), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vupklsb = "vupklsb", Vx, vx_b(654), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vupklsh = "vupklsh", Vx, vx_b(718), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vupklsw = "vupklsw", Vx, vx_b(1742), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vupkhpx = "vupkhpx", Vx, vx_b(846), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vupklpx = "vupklpx", Vx, vx_b(974), V2_05, Vmx, User, 0, [Vrt, Vrb];
    // --- count / negate / extend (VX XO 1538 sub-opcodes in VRA) ---
    Vclzb = "vclzb", Vx, vx_b(1794), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vclzh = "vclzh", Vx, vx_b(1858), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vclzw = "vclzw", Vx, vx_b(1922), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vclzd = "vclzd", Vx, vx_b(1986), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vpopcntb = "vpopcntb", Vx, vx_b(1795), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vpopcnth = "vpopcnth", Vx, vx_b(1859), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vpopcntw = "vpopcntw", Vx, vx_b(1923), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vpopcntd = "vpopcntd", Vx, vx_b(1987), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vclzlsbb = "vclzlsbb", Vx, vx_sub(1538, 0), V3_0, Vmx, User, 0, [Rt, Vrb];
    Vctzlsbb = "vctzlsbb", Vx, vx_sub(1538, 1), V3_0, Vmx, User, 0, [Rt, Vrb];
    Vnegw = "vnegw", Vx, vx_sub(1538, 6), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vnegd = "vnegd", Vx, vx_sub(1538, 7), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vprtybw = "vprtybw", Vx, vx_sub(1538, 8), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vprtybd = "vprtybd", Vx, vx_sub(1538, 9), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vprtybq = "vprtybq", Vx, vx_sub(1538, 10), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vextsb2w = "vextsb2w", Vx, vx_sub(1538, 16), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vextsh2w = "vextsh2w", Vx, vx_sub(1538, 17), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vextsb2d = "vextsb2d", Vx, vx_sub(1538, 24), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vextsh2d = "vextsh2d", Vx, vx_sub(1538, 25), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vextsw2d = "vextsw2d", Vx, vx_sub(1538, 26), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vextsd2q = "vextsd2q", Vx, vx_sub(1538, 27), V3_1, Vmx, User, 0, [Vrt, Vrb];
    Vctzb = "vctzb", Vx, vx_sub(1538, 28), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vctzh = "vctzh", Vx, vx_sub(1538, 29), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vctzw = "vctzw", Vx, vx_sub(1538, 30), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Vctzd = "vctzd", Vx, vx_sub(1538, 31), V3_0, Vmx, User, 0, [Vrt, Vrb];
    // --- mask extraction (ISA 3.1, VX XO 1602 sub-opcodes) ---
    Vextractbm = "vextractbm", Vx, vx_sub(1602, 8), V3_1, Vmx, User, 0, [Rt, Vrb];
    Vextracthm = "vextracthm", Vx, vx_sub(1602, 9), V3_1, Vmx, User, 0, [Rt, Vrb];
    Vextractwm = "vextractwm", Vx, vx_sub(1602, 10), V3_1, Vmx, User, 0, [Rt, Vrb];
    Vextractdm = "vextractdm", Vx, vx_sub(1602, 11), V3_1, Vmx, User, 0, [Rt, Vrb];
    Vextractqm = "vextractqm", Vx, vx_sub(1602, 12), V3_1, Vmx, User, 0, [Rt, Vrb];
    // --- bit gather / permute, polynomial multiply ---
    Vgbbd = "vgbbd", Vx, vx_b(1292), V2_07, Vmx, User, 0, [Vrt, Vrb];
    Vbpermq = "vbpermq", Vx, vx(4, 1356), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vbpermd = "vbpermd", Vx, vx(4, 1484), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpmsumb = "vpmsumb", Vx, vx(4, 1032), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpmsumh = "vpmsumh", Vx, vx(4, 1096), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpmsumw = "vpmsumw", Vx, vx(4, 1160), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vpmsumd = "vpmsumd", Vx, vx(4, 1224), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- AES (FIPS-197) ---
    Vcipher = "vcipher", Vx, vx(4, 1288), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vcipherlast = "vcipherlast", Vx, vx(4, 1289), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vncipher = "vncipher", Vx, vx(4, 1352), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vncipherlast = "vncipherlast", Vx, vx(4, 1353), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsbox = "vsbox", Vx, with(vx(4, 1480), 16, 20, 0), V2_07, Vmx, User, 0, [Vrt, Vra];
    // --- element extract / insert (ISA 3.0) ---
    Vextractub = "vextractub", Vx, vx_u4(525), V3_0, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vextractuh = "vextractuh", Vx, vx_u4(589), V3_0, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vextractuw = "vextractuw", Vx, vx_u4(653), V3_0, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vextractd = "vextractd", Vx, vx_u4(717), V3_0, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vinsertb = "vinsertb", Vx, vx_u4(781), V3_0, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vinserth = "vinserth", Vx, vx_u4(845), V3_0, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vinsertw = "vinsertw", Vx, vx_u4(909), V3_0, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vinsertd = "vinsertd", Vx, vx_u4(973), V3_0, Vmx, User, 0, [Vrt, Vrb, Uim4];
    Vextublx = "vextublx", Vx, vx(4, 1549), V3_0, Vmx, User, 0, [Rt, Ra, Vrb];
    Vextuhlx = "vextuhlx", Vx, vx(4, 1613), V3_0, Vmx, User, 0, [Rt, Ra, Vrb];
    Vextuwlx = "vextuwlx", Vx, vx(4, 1677), V3_0, Vmx, User, 0, [Rt, Ra, Vrb];
    Vextubrx = "vextubrx", Vx, vx(4, 1805), V3_0, Vmx, User, 0, [Rt, Ra, Vrb];
    Vextuhrx = "vextuhrx", Vx, vx(4, 1869), V3_0, Vmx, User, 0, [Rt, Ra, Vrb];
    Vextuwrx = "vextuwrx", Vx, vx(4, 1933), V3_0, Vmx, User, 0, [Rt, Ra, Vrb];
    // --- single-precision float (VSCR[NJ], no FPSCR) ---
    Vaddfp = "vaddfp", Vx, vx(4, 10), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vsubfp = "vsubfp", Vx, vx(4, 74), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmaddfp = "vmaddfp", Va, va(4, 46), V2_05, Vmx, User, 0, [Vrt, Vra, Vrc, Vrb];
    Vnmsubfp = "vnmsubfp", Va, va(4, 47), V2_05, Vmx, User, 0, [Vrt, Vra, Vrc, Vrb];
    Vmaxfp = "vmaxfp", Vx, vx(4, 1034), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vminfp = "vminfp", Vx, vx(4, 1098), V2_05, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrefp = "vrefp", Vx, vx_b(266), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vrsqrtefp = "vrsqrtefp", Vx, vx_b(330), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vexptefp = "vexptefp", Vx, vx_b(394), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vlogefp = "vlogefp", Vx, vx_b(458), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vrfin = "vrfin", Vx, vx_b(522), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vrfiz = "vrfiz", Vx, vx_b(586), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vrfip = "vrfip", Vx, vx_b(650), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vrfim = "vrfim", Vx, vx_b(714), V2_05, Vmx, User, 0, [Vrt, Vrb];
    Vcfux = "vcfux", Vx, vx(4, 778), V2_05, Vmx, User, 0, [Vrt, Vrb, Uim5];
    Vcfsx = "vcfsx", Vx, vx(4, 842), V2_05, Vmx, User, 0, [Vrt, Vrb, Uim5];
    Vctuxs = "vctuxs", Vx, vx(4, 906), V2_05, Vmx, User, 0, [Vrt, Vrb, Uim5];
    Vctsxs = "vctsxs", Vx, vx(4, 970), V2_05, Vmx, User, 0, [Vrt, Vrb, Uim5];
    // --- extended divide (ISA 3.1 §6.9.1): the dividend is VRA shifted left ---
    Vdivesw = "vdivesw", Vx, vx(4, 907), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdiveuw = "vdiveuw", Vx, vx(4, 651), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdivesd = "vdivesd", Vx, vx(4, 971), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdiveud = "vdiveud", Vx, vx(4, 715), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdivesq = "vdivesq", Vx, vx(4, 779), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vdiveuq = "vdiveuq", Vx, vx(4, 523), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    // --- multiply by 10 (ISA 3.0 decimal integer support) ---
    Vmul10uq = "vmul10uq", Vx, vx_a(513), V3_0, Vmx, User, 0, [Vrt, Vra];
    Vmul10cuq = "vmul10cuq", Vx, vx_a(1), V3_0, Vmx, User, 0, [Vrt, Vra];
    Vmul10euq = "vmul10euq", Vx, vx(4, 577), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmul10ecuq = "vmul10ecuq", Vx, vx(4, 65), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vmsumcud = "vmsumcud", Va, va(4, 23), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Vrc];
    // --- quadword rotate under mask, compare (ISA 3.1) ---
    Vrlqmi = "vrlqmi", Vx, vx(4, 69), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vrlqnm = "vrlqnm", Vx, vx(4, 325), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb];
    Vcmpuq = "vcmpuq", Vx, with(vx(4, 257), 9, 10, 0), V3_1, Vmx, User, 0, [Bf, Vra, Vrb];
    Vcmpsq = "vcmpsq", Vx, with(vx(4, 321), 9, 10, 0), V3_1, Vmx, User, 0, [Bf, Vra, Vrb];
    // --- string operations (ISA 3.1 §6.9.4) ---
    Vclrlb = "vclrlb", Vx, vx(4, 397), V3_1, Vmx, User, 0, [Vrt, Vra, Rb];
    Vclrrb = "vclrrb", Vx, vx(4, 461), V3_1, Vmx, User, 0, [Vrt, Vra, Rb];
    Vstribl = "vstribl", Vc, with(vc(4, 13), 11, 15, 0), V3_1, Vmx, User, RC21, [Vrt, Vrb];
    Vstribr = "vstribr", Vc, with(vc(4, 13), 11, 15, 1), V3_1, Vmx, User, RC21, [Vrt, Vrb];
    Vstrihl = "vstrihl", Vc, with(vc(4, 13), 11, 15, 2), V3_1, Vmx, User, RC21, [Vrt, Vrb];
    Vstrihr = "vstrihr", Vc, with(vc(4, 13), 11, 15, 3), V3_1, Vmx, User, RC21, [Vrt, Vrb];
    // --- mask count, gather every N-th bit (ISA 3.1) ---
    Vcntmbb = "vcntmbb", Vx, with(vx(4, 1602), 11, 14, 0b1100), V3_1, Vmx, User, 0, [Rt, Vrb, Mp];
    Vcntmbh = "vcntmbh", Vx, with(vx(4, 1602), 11, 14, 0b1101), V3_1, Vmx, User, 0, [Rt, Vrb, Mp];
    Vcntmbw = "vcntmbw", Vx, with(vx(4, 1602), 11, 14, 0b1110), V3_1, Vmx, User, 0, [Rt, Vrb, Mp];
    Vcntmbd = "vcntmbd", Vx, with(vx(4, 1602), 11, 14, 0b1111), V3_1, Vmx, User, 0, [Rt, Vrb, Mp];
    Vgnb = "vgnb", Vx, with(vx(4, 1228), 11, 12, 0), V3_1, Vmx, User, 0, [Rt, Vrb, Uim3];
    // --- insert element from GPR / VR at a variable index (ISA 3.1 §6.9.2) ---
    Vinsblx = "vinsblx", Vx, vx(4, 527), V3_1, Vmx, User, 0, [Vrt, Ra, Rb];
    Vinshlx = "vinshlx", Vx, vx(4, 591), V3_1, Vmx, User, 0, [Vrt, Ra, Rb];
    Vinswlx = "vinswlx", Vx, vx(4, 655), V3_1, Vmx, User, 0, [Vrt, Ra, Rb];
    Vinsdlx = "vinsdlx", Vx, vx(4, 719), V3_1, Vmx, User, 0, [Vrt, Ra, Rb];
    Vinsbrx = "vinsbrx", Vx, vx(4, 783), V3_1, Vmx, User, 0, [Vrt, Ra, Rb];
    Vinshrx = "vinshrx", Vx, vx(4, 847), V3_1, Vmx, User, 0, [Vrt, Ra, Rb];
    Vinswrx = "vinswrx", Vx, vx(4, 911), V3_1, Vmx, User, 0, [Vrt, Ra, Rb];
    Vinsdrx = "vinsdrx", Vx, vx(4, 975), V3_1, Vmx, User, 0, [Vrt, Ra, Rb];
    Vinsbvlx = "vinsbvlx", Vx, vx(4, 15), V3_1, Vmx, User, 0, [Vrt, Ra, Vrb];
    Vinshvlx = "vinshvlx", Vx, vx(4, 79), V3_1, Vmx, User, 0, [Vrt, Ra, Vrb];
    Vinswvlx = "vinswvlx", Vx, vx(4, 143), V3_1, Vmx, User, 0, [Vrt, Ra, Vrb];
    Vinsbvrx = "vinsbvrx", Vx, vx(4, 271), V3_1, Vmx, User, 0, [Vrt, Ra, Vrb];
    Vinshvrx = "vinshvrx", Vx, vx(4, 335), V3_1, Vmx, User, 0, [Vrt, Ra, Vrb];
    Vinswvrx = "vinswvrx", Vx, vx(4, 399), V3_1, Vmx, User, 0, [Vrt, Ra, Vrb];
    Vinsw = "vinsw", Vx, vx_u4(207), V3_1, Vmx, User, 0, [Vrt, Rb, Uim4];
    Vinsd = "vinsd", Vx, vx_u4(463), V3_1, Vmx, User, 0, [Vrt, Rb, Uim4];
    // --- extract element of VRA || VRB at a GPR index (ISA 3.1, VA form) ---
    Vextdubvlx = "vextdubvlx", Va, va(4, 24), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Rc];
    Vextdubvrx = "vextdubvrx", Va, va(4, 25), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Rc];
    Vextduhvlx = "vextduhvlx", Va, va(4, 26), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Rc];
    Vextduhvrx = "vextduhvrx", Va, va(4, 27), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Rc];
    Vextduwvlx = "vextduwvlx", Va, va(4, 28), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Rc];
    Vextduwvrx = "vextduwvrx", Va, va(4, 29), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Rc];
    Vextddvlx = "vextddvlx", Va, va(4, 30), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Rc];
    Vextddvrx = "vextddvrx", Va, va(4, 31), V3_1, Vmx, User, 0, [Vrt, Vra, Vrb, Rc];
    // --- SHA-256 / SHA-512 sigma functions (ISA 2.07 §6.11) ---
    Vshasigmaw = "vshasigmaw", Vx, vx(4, 1666), V2_07, Vmx, User, 0, [Vrt, Vra, St, Six];
    Vshasigmad = "vshasigmad", Vx, vx(4, 1730), V2_07, Vmx, User, 0, [Vrt, Vra, St, Six];
    // --- decimal integer (BCD) arithmetic, always record form: CR6 (ISA 3.1 §5.3) ---
    Bcdadd = "bcdadd.", Vx, bcd(1), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb, Ps];
    Bcdsub = "bcdsub.", Vx, bcd(65), V2_07, Vmx, User, 0, [Vrt, Vra, Vrb, Ps];
    Bcdus = "bcdus.", Vx, bcd_nops(129), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Bcds = "bcds.", Vx, bcd(193), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb, Ps];
    Bcdtrunc = "bcdtrunc.", Vx, bcd(257), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb, Ps];
    Bcdutrunc = "bcdutrunc.", Vx, bcd_nops(321), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Bcdsr = "bcdsr.", Vx, bcd(449), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb, Ps];
    Bcdcpsgn = "bcdcpsgn.", Vx, vx(4, 833), V3_0, Vmx, User, 0, [Vrt, Vra, Vrb];
    Bcdctsq = "bcdctsq.", Vx, with(bcd_sub(0), 22, 22, 0), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Bcdcfsq = "bcdcfsq.", Vx, bcd_sub(2), V3_0, Vmx, User, 0, [Vrt, Vrb, Ps];
    Bcdctz = "bcdctz.", Vx, bcd_sub(4), V3_0, Vmx, User, 0, [Vrt, Vrb, Ps];
    Bcdctn = "bcdctn.", Vx, with(bcd_sub(5), 22, 22, 0), V3_0, Vmx, User, 0, [Vrt, Vrb];
    Bcdcfz = "bcdcfz.", Vx, bcd_sub(6), V3_0, Vmx, User, 0, [Vrt, Vrb, Ps];
    Bcdcfn = "bcdcfn.", Vx, bcd_sub(7), V3_0, Vmx, User, 0, [Vrt, Vrb, Ps];
    Bcdsetsgn = "bcdsetsgn.", Vx, bcd_sub(31), V3_0, Vmx, User, 0, [Vrt, Vrb, Ps];
}
