# A guest that keeps reading the PVR (mfspr r3,287: Linux emulates it for
# problem state) and exits with the low byte of the last value read, so a
# migration that changes the PVR the guest sees changes its result.
# Build: powerpc64le-linux-gnu-gcc -nostdlib -static -o readpvr.le.elf readpvr.S
    .abiversion 2
    .text
    .globl _start
_start:
    li      31, 0
1:  mfspr   3, 287
    addi    31, 31, 1
    cmpwi   31, 30000
    blt     1b
    clrldi  3, 3, 56
    li      0, 1            # exit
    sc
