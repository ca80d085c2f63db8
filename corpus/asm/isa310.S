/* isa310.S - self-checking test of instructions new in Power ISA 3.1
 * (POWER10): prefixed instructions (pli, pla, paddi, pld/pstd, plwz, plwa,
 * plbz, plhz, plha, pstw/psth/pstb, plfd/pstfd, plxv/pstxv, plq, pnop,
 * PC-relative pla/pld), setbc/setbcr/setnbc/setnbcr, brh/brw/brd,
 * pdepd/pextd/cfuged/cntlzdm/cnttzdm, xxspltidp/xxspltiw/xxsplti32dx,
 * lxvp/stxvp, lxvrdx, xxeval, xxblendvd, vmulld, vdivsd/vdivud, vmodsd,
 * vpdepd/vpextd, vsldbi, vextractbm and an MMA outer product
 * (xxsetaccz, xvf32gerpp, xxmfacc).
 * Prints "isa310 ok" and exits 0; on a mismatch exits with the test id. */
#include "asm.h"

	START
	/* ---- prefixed immediates ---- */
	pli r3, -8589934592                 /* -2^33, the most negative 34-bit value */
	EXPECT r3, 0xFFFFFFFE00000000, 1
	pli r4, 8589934591
	EXPECT r4, 0x00000001FFFFFFFF, 2
	paddi r5, r4, -8589934591
	EXPECT r5, 0, 3
	pnop
	LA r9, qdata
	pla r6, qdata@pcrel                 /* PC-relative address */
	cmpd r6, r9
	li r31, 4
	bne- .Lfail
	pld r7, qdata@pcrel
	EXPECT r7, 0x1111111111111111, 5

	/* ---- prefixed loads/stores with large displacements ---- */
	LI64 r10, 0x123450
	subf r11, r10, r9                   /* r11 = qdata - 0x123450 */
	pld r3, 0x123458(r11)
	EXPECT r3, 0x2222222222222222, 6
	plwz r3, 0x123450+64(r11)           /* word 0x80000001 */
	EXPECT r3, 0x80000001, 7
	plwa r3, 0x123450+64(r11)
	EXPECT r3, 0xFFFFFFFF80000001, 8
	plhz r3, 0x123450+68(r11)           /* half 0x8001 */
	EXPECT r3, 0x8001, 9
	plha r3, 0x123450+68(r11)
	EXPECT r3, 0xFFFFFFFFFFFF8001, 10
	plbz r3, 0x123450+70(r11)           /* byte 0xFE */
	EXPECT r3, 0xFE, 11
	LA r12, scratch
	subf r13, r10, r12                  /* r13 = scratch - 0x123450 */
	LI64 r3, 0x0102030405060708
	pstd r3, 0x123450(r13)
	pstw r3, 0x123458(r13)
	psth r3, 0x12345C(r13)
	pstb r3, 0x12345E(r13)
	ld r4, 0(r12)
	EXPECT r4, 0x0102030405060708, 12
	lwz r4, 8(r12)
	EXPECT r4, 0x05060708, 13
	lhz r4, 12(r12)
	EXPECT r4, 0x0708, 14
	lbz r4, 14(r12)
	EXPECT r4, 0x08, 15
	plfd f1, 0x123450+72(r11)           /* 2.5 */
	fadd f2, f1, f1
	pstfd f2, 0x123460(r13)
	ld r4, 16(r12)
	EXPECT r4, 0x4014000000000000, 16
	pstd r3, scratch+24@pcrel
	ld r4, 24(r12)
	EXPECT r4, 0x0102030405060708, 17
	/* plq: unlike lq/lqarx, in LE mode too RTp gets the doubleword at
	 * the lower address (qemu: "le_mode && prefixed") */
	plq r4, 0x123450(r11)
	EXPECT r4, 0x1111111111111111, 18
	EXPECT r5, 0x2222222222222222, 19
	plxv vs34, 0x123450+16(r11)
	pstxv vs34, 0x123450+32(r13)
	ld r4, 32(r12)
	EXPECT r4, 0x0123456789ABCDEF, 20
	ld r4, 40(r12)
	EXPECT r4, 0xFEDCBA9876543210, 21

	/* ---- set boolean from CR bit ---- */
	li r3, 5
	cmpdi r3, 5                         /* cr0: eq */
	setbc r4, 2
	EXPECT r4, 1, 22
	setbcr r4, 2
	EXPECT r4, 0, 23
	setnbc r4, 2
	EXPECT r4, -1, 24
	setnbcr r4, 2
	EXPECT r4, 0, 25
	cmpdi cr5, r3, 5
	setbcr r4, 4*5+0                    /* cr5.lt clear -> 1 */
	EXPECT r4, 1, 26
	setnbcr r4, 4*5+1                   /* cr5.gt clear -> -1 */
	EXPECT r4, -1, 27

	/* ---- byte reverse ---- */
	LI64 r3, 0x0102030405060708
	brd r4, r3
	EXPECT r4, 0x0807060504030201, 28
	brw r4, r3
	EXPECT r4, 0x0403020108070605, 29
	brh r4, r3
	EXPECT r4, 0x0201040306050807, 30

	/* ---- bit deposit / extract / centrifuge / masked counts ---- */
	li r3, 0xB5
	LI64 r4, 0xF0F0F0F0F0F0F0F0
	pdepd r5, r3, r4
	EXPECT r5, 0xB050, 31
	LI64 r3, 0x123456789ABCDEF0
	LI64 r4, 0x00FF00FF00FF00FF
	pextd r5, r3, r4
	EXPECT r5, 0x3478BCF0, 32
	cfuged r5, r3, r4
	EXPECT r5, 0x12569ADE3478BCF0, 33
	LI64 r3, 0x0000100000000000
	LI64 r4, 0xFF00FF00FF00FF00
	cntlzdm r5, r3, r4
	EXPECT r5, 11, 34
	cnttzdm r5, r3, r4
	EXPECT r5, 20, 35
	li r3, 0
	li r4, -1
	cntlzdm r5, r3, r4
	EXPECT r5, 64, 36

	/* ---- VSX splat immediates ---- */
	xxspltidp vs34, 0x3FC00000          /* 1.5f -> 1.5 */
	EXPECTV vs34, 0x3FF8000000000000, 0x3FF8000000000000, 40
	xxspltiw vs35, 0x12345678
	EXPECTV vs35, 0x1234567812345678, 0x1234567812345678, 42
	xxlxor vs36, vs36, vs36
	xxsplti32dx vs36, 0, 0xAABBCCDD
	EXPECTV vs36, 0xAABBCCDD00000000, 0xAABBCCDD00000000, 44
	xxsplti32dx vs36, 1, 0x11223344
	EXPECTV vs36, 0xAABBCCDD11223344, 0xAABBCCDD11223344, 46

	/* ---- paired vector load/store ---- */
	addi r10, r9, 16
	lxvp vs34, 16(r10)                  /* quads A B C D at qdata+32 */
#ifdef __LITTLE_ENDIAN__
	EXPECTV vs34, 0xDDDDDDDDDDDDDDDD, 0xCCCCCCCCCCCCCCCC, 48
	EXPECTV vs35, 0xBBBBBBBBBBBBBBBB, 0xAAAAAAAAAAAAAAAA, 50
#else
	EXPECTV vs34, 0xAAAAAAAAAAAAAAAA, 0xBBBBBBBBBBBBBBBB, 48
	EXPECTV vs35, 0xCCCCCCCCCCCCCCCC, 0xDDDDDDDDDDDDDDDD, 50
#endif
	stxvp vs34, 0(r12)
	ld r4, 0(r12)
	EXPECT r4, 0xAAAAAAAAAAAAAAAA, 52
	ld r4, 24(r12)
	EXPECT r4, 0xDDDDDDDDDDDDDDDD, 53
	li r11, 8
	lxvrdx vs36, r9, r11                /* doubleword into element 1, rest zero */
	EXPECTV vs36, 0, 0x2222222222222222, 54

	/* ---- ternary logic / blend ---- */
	SETV vs10, 0xFFFF0000FFFF0000, 0x0F0F0F0F0F0F0F0F
	SETV vs11, 0xFF00FF00FF00FF00, 0x3333333333333333
	SETV vs12, 0xF0F0F0F0F0F0F0F0, 0x5555555555555555
	xxeval vs13, vs10, vs11, vs12, 1    /* a & b & c */
	EXPECTV vs13, 0xF0000000F0000000, 0x0101010101010101, 56
	xxeval vs13, vs10, vs11, vs12, 0x69 /* a ^ b ^ c */
	EXPECTV vs13, 0xFFFF0000FFFF0000 ^ 0xFF00FF00FF00FF00 ^ 0xF0F0F0F0F0F0F0F0, 0x0F0F0F0F0F0F0F0F ^ 0x3333333333333333 ^ 0x5555555555555555, 58
	SETV vs14, 0x8000000000000000, 0x7FFFFFFFFFFFFFFF
	xxblendvd vs13, vs10, vs11, vs14    /* sign of C selects B */
	EXPECTV vs13, 0xFF00FF00FF00FF00, 0x0F0F0F0F0F0F0F0F, 60

	/* ---- ISA 3.1 VMX integer ---- */
	SETV vs36, 0x0000000123456789, 0xFFFFFFFFFFFFFFF9
	SETV vs37, 0x0000000987654321, 0x0000000000000003
	vmulld v6, v4, v5
	EXPECTV vs38, 0xD77D742CCE1833A9, 0xFFFFFFFFFFFFFFEB, 62
	SETV vs36, -100, 7
	SETV vs37, 7, -2
	vdivsd v6, v4, v5
	EXPECTV vs38, 0xFFFFFFFFFFFFFFF2, 0xFFFFFFFFFFFFFFFD, 64
	vmodsd v6, v4, v5
	EXPECTV vs38, 0xFFFFFFFFFFFFFFFE, 1, 66
	vdivud v6, v4, v5                   /* {(2^64-100)/7, 7/(2^64-2)} */
	EXPECTV vs38, 0x2492492492492484, 0, 68
	SETV vs36, 0xB5, 0x123456789ABCDEF0
	SETV vs37, 0xF0F0F0F0F0F0F0F0, 0x00FF00FF00FF00FF
	vpdepd v6, v4, v5
	EXPECTV vs38, 0xB050, 0x009A00BC00DE00F0, 70
	vpextd v6, v4, v5
	EXPECTV vs38, 0xB, 0x3478BCF0, 72
	SETV vs36, 0x0123456789ABCDEF, 0xFEDCBA9876543210
	SETV vs37, 0x1111111111111111, 0x2222222222222222
	vsldbi v6, v4, v5, 5
	EXPECTV vs38, 0x2468ACF13579BDFF, 0xDB97530ECA864202, 74
	SETV vs36, 0x80FF7F0001808000, 0xC0000000000000FF
	vextractbm r3, v4
	EXPECT r3, 0xC681, 76

	/* ---- MMA: rank-1 update of a 4x4 float accumulator ---- */
	xxspltiw vs32, 0x3F800000           /* A = {1, 1, 1, 1} */
	LI64 r3, 0x3F80000040000000
	LI64 r4, 0x4040000040800000
	mtvsrdd vs33, r3, r4                /* B = {1, 2, 3, 4} */
	xxsetaccz a0
	xvf32gerpp a0, vs32, vs33
	xvf32gerpp a0, vs32, vs33           /* twice: rows = {2, 4, 6, 8} */
	xxmfacc a0
	EXPECTV vs0, 0x4000000040800000, 0x40C0000041000000, 78
	EXPECTV vs3, 0x4000000040800000, 0x40C0000041000000, 80

	FINISH("isa310 ok\n", "isa310 FAIL\n")

	.data
	.p2align 4
qdata:	.quad 0x1111111111111111, 0x2222222222222222
	.quad 0x0123456789ABCDEF, 0xFEDCBA9876543210
	.quad 0xAAAAAAAAAAAAAAAA, 0xBBBBBBBBBBBBBBBB
	.quad 0xCCCCCCCCCCCCCCCC, 0xDDDDDDDDDDDDDDDD
	.long 0x80000001
	.short 0x8001
	.byte 0xFE, 0
	.double 2.5
	.bss
	.p2align 4
scratch: .space 64
