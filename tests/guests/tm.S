# A guest that uses transactional memory the way lock-elision code does:
# tbegin. with a fallback path taken when the transaction fails. It counts
# 2 per failed transaction (fallback) and 1 per committed one, 30000 times,
# and exits with the low byte of the count. Under QEMU's user mode and
# ppcreplay on POWER8/POWER9, tbegin. always fails (exit 60000 & 0xff = 96);
# on POWER10 (no TM) tbegin. is an illegal instruction (SIGILL), so a
# POWER9 -> POWER10 migration diverges with class facility-missing.
# (It does not check AT_HWCAP2 PPC_FEATURE2_HTM first, as real code should:
# qemu-user does not advertise HTM.)
# Build: powerpc64le-linux-gnu-gcc -nostdlib -static -o tm.le.elf tm.S
    .abiversion 2
    .machine power8
    .text
    .globl _start
_start:
    li      31, 0
    li      30, 0
1:  tbegin.
    beq-    2f              # transaction failed: fallback path
    addi    30, 30, 1       # transactional path
    tend.
    b       3f
2:  addi    30, 30, 2
3:  addi    31, 31, 1
    cmpwi   31, 30000
    blt     1b
    clrldi  3, 30, 56
    li      0, 1            # exit
    sc
