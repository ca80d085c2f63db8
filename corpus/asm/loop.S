/* loop.S - error-path test: never terminates (a counting loop that branches
 * back forever), for timeout / instruction-limit handling.  Do not run it
 * without a limit.  Built little-endian only. */
#include "asm.h"

	START
	li r3, 0
1:	addi r3, r3, 1
	b 1b
	.section .note.GNU-stack,"",@progbits
