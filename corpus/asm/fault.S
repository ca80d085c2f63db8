/* fault.S - error-path test: stores to address 0, which is not mapped, so
 * the process dies with SIGSEGV (qemu-user reports exit status 139).
 * Nothing is written to stdout.  Built little-endian only. */
#include "asm.h"

	START
	li r3, 0x55
	li r4, 0
	std r3, 0(r4)           /* SIGSEGV here */
	li r0, 234              /* not reached: exit_group(0) */
	li r3, 0
	sc
	.section .note.GNU-stack,"",@progbits
