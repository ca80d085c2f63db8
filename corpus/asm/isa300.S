/* isa300.S - self-checking test of instructions new in Power ISA 3.0
 * (POWER9): modsd/modud/modsw/moduw, maddld/maddhd/maddhdu, cnttzd/cnttzw,
 * cmpeqb, cmprb, setb, extswsli, addpcis, darn, mcrxrx (with OV32/CA32),
 * addex, lxv/stxv/lxvx/stxvx, lxsd/stxsd/lxssp, lxvwsx, xxspltib,
 * mtvsrdd/mfvsrld/mtvsrws, vctzd, vnegd, vextractuw, vmsumudm, xxbrd/xxbrw,
 * xscvhpdp, xsmaxcdp and quad-precision xsaddqp.
 * darn's value is random: it is only checked to differ from the all-ones
 * failure value and never printed.
 * Prints "isa300 ok" and exits 0; on a mismatch exits with the test id. */
#include "asm.h"

	START
	/* ---- modulo ---- */
	li r3, -7
	li r4, 3
	modsd r5, r3, r4
	EXPECT r5, -1, 1
	li r3, -1
	li r4, 10
	modud r5, r3, r4
	EXPECT r5, 5, 2
	li r3, -7
	li r4, 2
	modsw r5, r3, r4
	EXPECT r5, -1, 3
	LI64 r3, 0x1FFFFFFFF
	li r4, 7
	moduw r5, r3, r4
	EXPECT r5, 3, 4

	/* ---- multiply-add ---- */
	LI64 r3, 0xFFFFFFFFFFFFFFFD
	LI64 r4, 0x7000000000000005
	li r5, 0x1234
	maddld r6, r3, r4, r5
	EXPECT r6, 0xB000000000001225, 5
	maddhd r6, r3, r4, r5
	EXPECT r6, 0xFFFFFFFFFFFFFFFE, 6
	maddhdu r6, r3, r4, r5
	EXPECT r6, 0x7000000000000003, 7

	/* ---- count trailing zeros ---- */
	LI64 r3, 0x8000000000000000
	cnttzd r4, r3
	EXPECT r4, 63, 8
	li r3, 0
	cnttzd r4, r3
	EXPECT r4, 64, 9
	li r3, 0x100
	cnttzw r4, r3
	EXPECT r4, 8, 10
	LI64 r3, 0xFFFFFFFF00000000
	cnttzw r4, r3
	EXPECT r4, 32, 11

	/* ---- byte compares ---- */
	li r3, 0x41                         /* 'A' */
	LI64 r4, 0x4142434445464748
	cmpeqb cr1, r3, r4
	EXPECT_CR 1, 4, 12
	li r3, 0x5A
	cmpeqb cr1, r3, r4
	EXPECT_CR 1, 0, 13
	li r4, 0x7A61                       /* range 'a'..'z' */
	li r3, 0x6D                         /* 'm' */
	cmprb cr2, 0, r3, r4
	EXPECT_CR 2, 4, 14
	li r3, 0x4D                         /* 'M' */
	cmprb cr2, 0, r3, r4
	EXPECT_CR 2, 0, 15
	LI64 r4, 0x5A417A61                 /* ranges 'a'..'z' and 'A'..'Z' */
	cmprb cr2, 1, r3, r4
	EXPECT_CR 2, 4, 16

	/* ---- setb ---- */
	li r3, 1
	li r4, 2
	cmpd cr3, r3, r4
	setb r5, cr3
	EXPECT r5, -1, 17
	cmpd cr3, r4, r3
	setb r5, cr3
	EXPECT r5, 1, 18
	cmpd cr3, r4, r4
	setb r5, cr3
	EXPECT r5, 0, 19

	/* ---- extswsli ---- */
	LI64 r3, 0x80000000
	extswsli r4, r3, 4
	EXPECT r4, 0xFFFFFFF800000000, 20
	li r3, 0x7F
	extswsli r4, r3, 60
	EXPECT r4, 0xF000000000000000, 21

	/* ---- addpcis ---- */
	bcl 20, 31, 1f
1:	addpcis r3, 0                       /* lnia: 1b + 4 */
	addpcis r5, 1                       /* 1b + 8 + 0x10000 */
	addpcis r6, -1                      /* 1b + 12 - 0x10000 */
	mflr r4
	subf r3, r4, r3
	EXPECT r3, 4, 22
	subf r5, r4, r5
	EXPECT r5, 0x10008, 23
	subf r6, r4, r6
	EXPECT r6, 12 - 0x10000, 24

	/* ---- darn: retry while it reports failure (all ones) ---- */
	li r7, 16
	mtctr r7
2:	darn r3, 1
	cmpdi r3, -1
	bne+ 3f
	bdnz 2b
	li r31, 25
	b .Lfail
3:

	/* ---- XER OV32 / CA32 via mcrxrx ---- */
	li r3, 0
	mtxer r3
	LI64 r5, 0x7FFFFFFF
	li r7, 1
	addo r6, r5, r7                     /* 32-bit overflow only */
	mcrxrx cr3
	EXPECT_CR 3, 4, 26                  /* OV=0 OV32=1 CA=0 CA32=0 */
	li r3, 0
	mtxer r3
	li r3, -1
	addic r3, r3, 1                     /* carries out of bit 0 and bit 32 */
	mcrxrx cr4
	EXPECT_CR 4, 3, 27
	li r3, 0
	mtxer r3
	LI64 r5, 0x7FFFFFFFFFFFFFFF
	addo r6, r5, r7                     /* 64-bit overflow only */
	mcrxrx cr5
	EXPECT_CR 5, 8, 28
	mfxer r8
	srdi r8, r8, 31                     /* SO is sticky */
	andi. r8, r8, 1
	EXPECT r8, 1, 29

	/* ---- addex: OV used as carry in and out ---- */
	LI64 r7, 0x40000000                 /* XER.OV */
	mtxer r7
	li r4, -1
	li r5, 0
	addex r3, r4, r5, 0
	EXPECT r3, 0, 30
	mfxer r8
	srdi r8, r8, 30
	andi. r8, r8, 1
	EXPECT r8, 1, 31
	li r3, 0
	mtxer r3
	li r4, 5
	li r5, 6
	addex r3, r4, r5, 0
	EXPECT r3, 11, 32

	/* ---- new VSX loads/stores ---- */
	LA r9, qdata
	LA r10, scratch
	lxv vs34, 0(r9)
#ifdef __LITTLE_ENDIAN__
	EXPECTV vs34, 0x2222222222222222, 0x1111111111111111, 40
#else
	EXPECTV vs34, 0x1111111111111111, 0x2222222222222222, 40
#endif
	stxv vs34, 16(r10)
	ld r4, 16(r10)
	EXPECT r4, 0x1111111111111111, 42
	ld r4, 24(r10)
	EXPECT r4, 0x2222222222222222, 43
	li r11, 16
	lxvx vs3, r9, r11                   /* bytes 00 11 22 .. FF */
	stxvx vs3, r10, r11
	ld r4, 16(r10)
	mfvsrld r5, vs3
#ifdef __LITTLE_ENDIAN__
	EXPECT r4, 0x7766554433221100, 44   /* the bytes went back unchanged */
	EXPECT r5, 0x7766554433221100, 45   /* LE: byte 0 of memory is byte 15 of the VSR */
#else
	EXPECT r4, 0x0011223344556677, 44
	EXPECT r5, 0x8899AABBCCDDEEFF, 45
#endif
	lxsd v5, 32(r9)                     /* scalar doubleword into VSR 37 dw0 */
	mfvsrd r4, vs37
	EXPECT r4, 0x400921FB54442D18, 46
	stxsd v5, 40(r10)
	ld r4, 40(r10)
	EXPECT r4, 0x400921FB54442D18, 47
	lxssp v6, 40(r9)                    /* 0.5f -> 0.5 */
	mfvsrd r4, vs38
	EXPECT r4, 0x3FE0000000000000, 48
	addi r11, r9, 44
	lxvwsx vs7, 0, r11
	EXPECTV vs7, 0xCAFEBABECAFEBABE, 0xCAFEBABECAFEBABE, 49

	/* ---- splats and moves ---- */
	xxspltib vs8, 0xAB
	EXPECTV vs8, 0xABABABABABABABAB, 0xABABABABABABABAB, 51
	LI64 r3, 0x0123456789ABCDEF
	LI64 r4, 0xFEDCBA9876543210
	mtvsrdd vs9, r3, r4
	mfvsrld r5, vs9
	EXPECT r5, 0xFEDCBA9876543210, 53
	mfvsrd r5, vs9
	EXPECT r5, 0x0123456789ABCDEF, 54
	mtvsrdd vs9, 0, r4
	EXPECTV vs9, 0, 0xFEDCBA9876543210, 55
	mtvsrws vs10, r3
	EXPECTV vs10, 0x89ABCDEF89ABCDEF, 0x89ABCDEF89ABCDEF, 57

	/* ---- VMX3 integer ops ---- */
	SETV vs34, 0x8000000000000000, 0
	vctzd v3, v2
	EXPECTV vs35, 63, 64, 60
	SETV vs34, 1, 0x8000000000000000
	vnegd v3, v2
	EXPECTV vs35, 0xFFFFFFFFFFFFFFFF, 0x8000000000000000, 62
	SETV vs34, 0x0011223344556677, 0x8899AABBCCDDEEFF
	vextractuw v3, v2, 4
	EXPECTV vs35, 0x0000000044556677, 0, 64
	SETV vs36, 0xFFFFFFFFFFFFFFFF, 2
	SETV vs37, 0xFFFFFFFFFFFFFFFF, 3
	SETV vs38, 1, 5
	vmsumudm v3, v4, v5, v6
	EXPECTV vs35, 0xFFFFFFFFFFFFFFFF, 0x000000000000000C, 66
	SETV vs11, 0x0102030405060708, 0x1112131415161718
	xxbrd vs12, vs11
	EXPECTV vs12, 0x0807060504030201, 0x1817161514131211, 68
	xxbrw vs12, vs11
	EXPECTV vs12, 0x0403020108070605, 0x1413121118171615, 70

	/* ---- FP: half precision, C-style max, quad precision ---- */
	li r3, 0
	ori r3, r3, 0xC500                  /* -5.0 half */
	mtvsrd vs13, r3
	xscvhpdp vs14, vs13
	mfvsrd r4, vs14
	EXPECT r4, 0xC014000000000000, 72
	LI64 r3, 0x3FF0000000000000
	mtvsrd vs15, r3
	LI64 r3, 0x4000000000000000
	mtvsrd vs16, r3
	xsmaxcdp vs17, vs15, vs16
	mfvsrd r4, vs17
	EXPECT r4, 0x4000000000000000, 73
	SETV vs35, 0x3FFF000000000000, 0    /* 1.0q */
	SETV vs36, 0x4000000000000000, 0    /* 2.0q */
	xsaddqp v2, v3, v4
	EXPECTV vs34, 0x4000800000000000, 0, 74
	xsmulqp v2, v4, v4                  /* 4.0q */
	EXPECTV vs34, 0x4001000000000000, 0, 76

	FINISH("isa300 ok\n", "isa300 FAIL\n")

	.data
	.p2align 4
qdata:	.quad 0x1111111111111111, 0x2222222222222222
	.byte 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77
	.byte 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF
	.double 3.141592653589793
	.float 0.5
	.long 0xCAFEBABE
	.bss
	.p2align 4
scratch: .space 64
