/* isa206.S - self-checking test of instructions new in Power ISA 2.06
 * (POWER7): popcntd/popcntw, bpermd, divde[u]/divwe[u], ldbrx/stdbrx, isel,
 * fcfid[u][s], fctidu[z]/fctiwu[z], lfiwzx, ftdiv/ftsqrt and the VSX basics
 * (lxvd2x/stxvd2x/lxvw4x/lxvdsx, xxlxor/xxland/xxlor/xxlnor/xxlandc/xxsel,
 * xxpermdi, xxspltw, xxmrghw, xxsldwi, xvadddp/xvmuldp/xvmaddadp,
 * xsadddp/xssqrtdp/xsmaddadp, xscvdpsxds, xscvsxddp, xsmaxdp).
 * Vector data is moved with lxvd2x/lxvw4x/stxvd2x, whose element order does
 * not depend on the byte order, so LE and BE builds check the same values.
 * Prints "isa206 ok" and exits 0; on a mismatch exits with the test id. */
#include "asm.h"

	START
	/* ---- popcntd / popcntw ---- */
	LI64 r3, 0xF0F0000000000001
	popcntd r4, r3
	EXPECT r4, 9, 1
	LI64 r3, 0xFFFF00000000000F
	popcntw r4, r3
	EXPECT r4, 0x0000001000000004, 2

	/* ---- bpermd ---- */
	LI64 r3, 0x00083F3E01020304
	LI64 r5, 0xF080000000000001
	bpermd r4, r3, r5
	EXPECT r4, 0xee, 3

	/* ---- extended divides ---- */
	li r3, 1
	li r5, 3
	divde r4, r3, r5            /* (1 << 64) / 3 */
	EXPECT r4, 0x5555555555555555, 4
	li r5, 2
	divdeu r4, r3, r5           /* (1 << 64) / 2 */
	EXPECT r4, 0x8000000000000000, 5
	li r5, 3
	divwe r4, r3, r5            /* (1 << 32) / 3, low word */
	clrldi r4, r4, 32
	EXPECT r4, 0x55555555, 6
	li r5, 2
	divweu r4, r3, r5
	clrldi r4, r4, 32
	EXPECT r4, 0x80000000, 7
	li r3, -1
	li r5, 4
	divde r4, r3, r5            /* (-1 << 64) / 4 = -(1 << 62) */
	EXPECT r4, 0xC000000000000000, 8

	/* ---- ldbrx / stdbrx ---- */
	LA r9, data
	ld r3, 0(r9)
	EXPECT r3, 0x0102030405060708, 10
	ldbrx r4, 0, r9
	EXPECT r4, 0x0807060504030201, 11
	LA r10, scratch
	LI64 r3, 0x1122334455667788
	stdbrx r3, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x8877665544332211, 12
	li r11, 8
	ldbrx r5, r10, r11          /* indexed form: scratch+8 still zero */
	EXPECT r5, 0, 13

	/* ---- isel ---- */
	li r5, 0
	li r6, 111
	li r7, 222
	cmpdi cr1, r5, 0
	isel r4, r6, r7, 4*1+2      /* cr1.eq set -> r6 */
	EXPECT r4, 111, 14
	cmpdi cr1, r6, 0
	isel r4, r6, r7, 4*1+2      /* cr1.eq clear -> r7 */
	EXPECT r4, 222, 15
	cmpdi r6, 0
	isel r4, 0, r7, 1           /* cr0.gt set, RA=0 -> 0 */
	EXPECT r4, 0, 16

	/* ---- integer <-> float conversions ---- */
	LA r9, fdata
	lfd f1, 0(r9)               /* 0xFFFFFFFFFFFFF800 */
	fcfidu f2, f1
	stfd f2, 0(r10)
	ld r4, 0(r10)
	EXPECT r4, 0x43EFFFFFFFFFFFFF, 20
	fcfidus f2, f1
	stfd f2, 0(r10)
	ld r4, 0(r10)
	EXPECT r4, 0x43F0000000000000, 21
	lfd f1, 8(r9)               /* -1 */
	fcfid f2, f1
	stfd f2, 0(r10)
	ld r4, 0(r10)
	EXPECT r4, 0xBFF0000000000000, 22
	fcfids f2, f1
	stfd f2, 0(r10)
	ld r4, 0(r10)
	EXPECT r4, 0xBFF0000000000000, 23
	lfd f1, 16(r9)              /* 1e19 */
	fctiduz f2, f1
	stfd f2, 0(r10)
	ld r4, 0(r10)
	EXPECT r4, 0x8AC7230489E80000, 24
	lfd f1, 24(r9)              /* 3e9 + 0.75 */
	fctiwuz f2, f1
	stfd f2, 0(r10)
	ld r4, 0(r10)
	clrldi r4, r4, 32
	EXPECT r4, 3000000000, 25
	fctiwu f2, f1               /* round to nearest */
	stfd f2, 0(r10)
	ld r4, 0(r10)
	clrldi r4, r4, 32
	EXPECT r4, 3000000001, 26
	fctidu f2, f1
	stfd f2, 0(r10)
	ld r4, 0(r10)
	EXPECT r4, 3000000001, 27
	addi r11, r9, 32            /* word 0x80000000 */
	lfiwzx f3, 0, r11
	fcfid f4, f3
	stfd f4, 0(r10)
	ld r4, 0(r10)
	EXPECT r4, 0x41E0000000000000, 28   /* 2147483648.0 */

	/* ---- ftdiv / ftsqrt ---- */
	lfd f1, 40(r9)              /* 2.0 */
	lfd f2, 48(r9)              /* 0.5 */
	ftdiv cr2, f1, f2
	EXPECT_CR 2, 8, 30
	ftsqrt cr3, f1
	EXPECT_CR 3, 8, 31

	/* ---- VSX loads/stores and logical ops ---- */
	LA r9, vdata
	lxvd2x 0, 0, r9             /* vs0 = {A0, A1} */
	li r11, 16
	lxvd2x 1, r9, r11           /* vs1 = {B0, B1} */
	xxlxor 2, 0, 1
	stxvd2x 2, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0xFF00FF00F0F0F0F0 ^ 0x0F0F0F0F12345678, 40
	ld r4, 8(r10)
	EXPECT r4, 0x0123456789ABCDEF ^ 0xFFFFFFFF00000000, 41
	xxland 3, 0, 1
	xxlor 4, 0, 1
	xxlnor 5, 0, 1
	xxlandc 6, 0, 1
	stxvd2x 3, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0xFF00FF00F0F0F0F0 & 0x0F0F0F0F12345678, 42
	stxvd2x 4, 0, r10
	ld r4, 8(r10)
	EXPECT r4, 0x0123456789ABCDEF | 0xFFFFFFFF00000000, 43
	stxvd2x 5, 0, r10
	ld r4, 0(r10)
	EXPECT r4, ~(0xFF00FF00F0F0F0F0 | 0x0F0F0F0F12345678), 44
	stxvd2x 6, 0, r10
	ld r4, 8(r10)
	EXPECT r4, 0x0123456789ABCDEF & ~0xFFFFFFFF00000000, 45
	/* xxsel: bits from vs1 where mask (vs7) is 1, else from vs0 */
	li r11, 32
	lxvd2x 7, r9, r11           /* mask {0x00000000FFFFFFFF, 0xFF00000000000000} */
	xxsel 8, 0, 1, 7
	stxvd2x 8, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0xFF00FF0012345678, 46
	ld r4, 8(r10)
	EXPECT r4, 0xFF23456789ABCDEF, 47
	/* xxpermdi: {vs0.dw1, vs1.dw0} and swap */
	xxpermdi 9, 0, 1, 2
	stxvd2x 9, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x0123456789ABCDEF, 48
	ld r4, 8(r10)
	EXPECT r4, 0x0F0F0F0F12345678, 49
	xxswapd 10, 0
	stxvd2x 10, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x0123456789ABCDEF, 50
	/* word splat / merge / shift from lxvw4x data {W0, W1, W2, W3} */
	li r11, 48
	lxvw4x 11, r9, r11
	xxspltw 12, 11, 2
	stxvd2x 12, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0xCCCC3333CCCC3333, 51
	xxmrghw 13, 11, 0           /* {W0, A0.hi, W1, A0.lo} */
	stxvd2x 13, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0xAAAA1111FF00FF00, 52
	ld r4, 8(r10)
	EXPECT r4, 0xBBBB2222F0F0F0F0, 53
	xxsldwi 14, 11, 0, 1        /* {W1, W2, W3, A0.hi} */
	stxvd2x 14, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0xBBBB2222CCCC3333, 54
	ld r4, 8(r10)
	EXPECT r4, 0xDDDD4444FF00FF00, 55
	lxvdsx 15, 0, r9            /* splat A0 */
	stxvd2x 15, 0, r10
	ld r4, 8(r10)
	EXPECT r4, 0xFF00FF00F0F0F0F0, 56

	/* ---- VSX floating point ---- */
	LA r9, vfp
	lxvd2x 20, 0, r9            /* {1.5, 2.25} */
	li r11, 16
	lxvd2x 21, r9, r11          /* {0.25, -4.0} */
	xvadddp 22, 20, 21          /* {1.75, -1.75} */
	stxvd2x 22, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x3FFC000000000000, 60
	ld r4, 8(r10)
	EXPECT r4, 0xBFFC000000000000, 61
	xvmuldp 23, 20, 21          /* {0.375, -9.0} */
	stxvd2x 23, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x3FD8000000000000, 62
	ld r4, 8(r10)
	EXPECT r4, 0xC022000000000000, 63
	xxlor 24, 20, 20
	xvmaddadp 24, 20, 21        /* vs24 = vs20*vs21 + vs24 = {1.875, -6.75} */
	stxvd2x 24, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x3FFE000000000000, 64
	ld r4, 8(r10)
	EXPECT r4, 0xC01B000000000000, 65
	lxsdx 25, 0, r9             /* scalar 1.5 */
	li r11, 32
	lxsdx 26, r9, r11           /* 2.0 */
	xssqrtdp 27, 26
	stxsdx 27, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x3FF6A09E667F3BCD, 66
	xsadddp 28, 25, 26          /* 3.5 */
	xsmaddadp 28, 25, 26        /* 3.5 + 1.5*2 = 6.5 */
	stxsdx 28, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x401A000000000000, 67
	xsmaxdp 29, 25, 26
	stxsdx 29, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0x4000000000000000, 68
	li r11, 40
	lxsdx 30, r9, r11           /* -2.75 */
	xscvdpsxds 31, 30           /* truncate -> -2 */
	stxsdx 31, 0, r10
	ld r4, 0(r10)
	EXPECT r4, -2, 69
	xscvsxddp 31, 31
	stxsdx 31, 0, r10
	ld r4, 0(r10)
	EXPECT r4, 0xC000000000000000, 70

	FINISH("isa206 ok\n", "isa206 FAIL\n")

	.data
	.p2align 4
data:	.quad 0x0102030405060708
fdata:	.quad 0xFFFFFFFFFFFFF800
	.quad -1
	.double 1e19
	.double 3000000000.75
	.long 0x80000000, 0
	.double 2.0
	.double 0.5
	.p2align 4
vdata:	.quad 0xFF00FF00F0F0F0F0, 0x0123456789ABCDEF      /* A */
	.quad 0x0F0F0F0F12345678, 0xFFFFFFFF00000000      /* B */
	.quad 0x00000000FFFFFFFF, 0xFF00000000000000      /* mask */
	.long 0xAAAA1111, 0xBBBB2222, 0xCCCC3333, 0xDDDD4444 /* W */
vfp:	.double 1.5, 2.25
	.double 0.25, -4.0
	.double 2.0, -2.75
	.bss
	.p2align 4
scratch: .space 64
