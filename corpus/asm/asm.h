/* asm.h - common macros for the ppcreplay ISA test programs (.S files are
 * run through the C preprocessor).  Works for ELFv2 little-endian and
 * ELFv1 big-endian static executables.
 *
 *   START           entry point (_start; on ELFv1 also its .opd descriptor)
 *   LI64 r, v       load a 64-bit constant (5 instructions)
 *   LA r, sym       load the absolute address of sym (static, non-PIE)
 *   EXPECT r, v, id compare r with constant v; on mismatch exit with code id
 *   EXPECT_CR f, v, id   compare CR field f with the 4-bit value v
 *   FINISH(ok, fail)  end of the tests: write ok and exit 0; the .Lfail
 *                   path writes fail and exits with the failing test id
 *   SETV vs, hi, lo      (POWER8+) vs = {hi, lo}
 *   EXPECTV vs, hi, lo, id  (POWER8+) check both doublewords (ids id, id+1)
 * r28-r31 and vs62/vs63 are scratch for these macros.
 * Assemble with -Wa,-mregnames. */


	.macro LI64 r, v
	lis \r, ((\v) >> 48) & 0xffff
	ori \r, \r, ((\v) >> 32) & 0xffff
	sldi \r, \r, 32
	oris \r, \r, ((\v) >> 16) & 0xffff
	ori \r, \r, (\v) & 0xffff
	.endm

	.macro LA r, sym
	lis \r, \sym@highest
	ori \r, \r, \sym@higher
	sldi \r, \r, 32
	oris \r, \r, \sym@h
	ori \r, \r, \sym@l
	.endm

	.macro EXPECT r, v, id
	LI64 30, \v
	li 31, \id
	cmpd \r, 30
	bne- .Lfail
	.endm

	/* expect a CR field (0..7) to hold value v (4 bits) */
	.macro EXPECT_CR field, v, id
	mfcr 29
	rlwinm 29, 29, (4 * (\field + 1)) & 31, 28, 31
	li 31, \id
	cmpdi 29, \v
	bne- .Lfail
	.endm

	/* POWER8+: build / split a VSR from two doublewords (element 0 = hi).
	 * vs62/vs63 are scratch; the element numbering is the architected
	 * (big-endian) one in both byte orders. */
	.macro SETV vs, hi, lo
	LI64 29, \hi
	mtvsrd 62, 29
	LI64 29, \lo
	mtvsrd 63, 29
	xxpermdi \vs, 62, 63, 0
	.endm

	.macro EXPECTV vs, hi, lo, id
	mfvsrd 28, \vs
	EXPECT 28, \hi, \id
	xxswapd 62, \vs
	mfvsrd 28, 62
	EXPECT 28, \lo, \id + 1
	.endm

#if defined(_CALL_ELF) && _CALL_ELF == 2
#define START \
	.file __FILE__; \
	.abiversion 2; \
	.text; \
	.globl _start; \
	.type _start,@function; \
	.p2align 4; \
_start:
#else
#define START \
	.file __FILE__; \
	.section ".opd","aw"; \
	.align 3; \
	.globl _start; \
_start: \
	.quad .L._start, .TOC.@tocbase, 0; \
	.previous; \
	.type _start,@function; \
	.p2align 4; \
.L._start:
#endif

/* write(1, msg, len); exit_group(0).  On failure: write failmsg, exit(r31). */
#define FINISH(okmsg, failmsg) \
	li 0, 4; li 3, 1; LA 4, .Lokmsg; li 5, .Lokend - .Lokmsg; sc; \
	li 0, 234; li 3, 0; sc; \
.Lfail: \
	li 0, 4; li 3, 1; LA 4, .Lfailmsg; li 5, .Lfailend - .Lfailmsg; sc; \
	li 0, 234; mr 3, 31; sc; \
	trap; \
	.section .rodata; \
.Lokmsg: .ascii okmsg; \
.Lokend: \
.Lfailmsg: .ascii failmsg; \
.Lfailend: \
	.previous; \
	.section .note.GNU-stack,"",@progbits
