#!/usr/bin/env bash
# Build the ppcreplay guest-program corpus into corpus/bin/ and regenerate
# manifest.json + mnemonics.txt (via mkmanifest.py, which runs qemu).
#
#   corpus/build.sh              build everything, then run mkmanifest.py
#   corpus/build.sh --no-manifest   build only
#
# Needs: gcc-powerpc64le-linux-gnu, gcc-powerpc64-linux-gnu,
# libc6-dev-ppc64el-cross, libc6-dev-ppc64-cross (for the optional static
# glibc big-endian builds), qemu-user (7.2) and python3.
set -euo pipefail

cd "$(dirname "$0")"
export LC_ALL=C
export SOURCE_DATE_EPOCH=0

CC_LE=powerpc64le-linux-gnu-gcc
CC_BE=powerpc64-linux-gnu-gcc
MCPUS_FREE="power7 power8 power9 power10"
MCPUS_GLIBC_LE="power8 power9 power10"   # Debian's ppc64el glibc needs POWER8
MCPUS_GLIBC_BE="power7"                  # optional, if libc6-dev-ppc64-cross is installed

LDFLAGS_COMMON=(-Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=4096)
CFLAGS_FREE=(-O2 -fno-math-errno -fno-stack-protector -static -nostdlib -ffreestanding
             -Wall -Wextra -Irt)
CFLAGS_GLIBC=(-O2 -static -Wall)
ASFLAGS=(-nostdlib -static -Wa,-mregnames -Iasm)

run() { echo "+ $*" >&2; "$@"; }

mkdir -p bin
rm -f bin/*.elf

# ---- freestanding C programs: 4 CPU levels x 2 byte orders ----
mapfile -t FREE_SRCS < <(find src -maxdepth 1 -name '*.c' | sort)
for src in "${FREE_SRCS[@]}"; do
    name=$(basename "$src" .c)
    for mcpu in $MCPUS_FREE; do
        run $CC_LE "${CFLAGS_FREE[@]}" -mcpu="$mcpu" "$src" rt/rt.c -lgcc "${LDFLAGS_COMMON[@]}" \
            -o "bin/$name.le-$mcpu.elf"
        run $CC_BE "${CFLAGS_FREE[@]}" -mcpu="$mcpu" "$src" rt/rt.c -lgcc "${LDFLAGS_COMMON[@]}" \
            -o "bin/$name.be-$mcpu.elf"
    done
done

# ---- static glibc programs (stripped: ~0.9 MB each) ----
mapfile -t GLIBC_SRCS < <(find src/glibc -maxdepth 1 -name '*.c' | sort)
for src in "${GLIBC_SRCS[@]}"; do
    name=glibc-$(basename "$src" .c)
    for mcpu in $MCPUS_GLIBC_LE; do
        run $CC_LE "${CFLAGS_GLIBC[@]}" -mcpu="$mcpu" "$src" -lm -Wl,-s "${LDFLAGS_COMMON[@]}" \
            -o "bin/$name.le-$mcpu.elf"
    done
    if [ -e /usr/powerpc64-linux-gnu/lib/libc.a ]; then
        for mcpu in $MCPUS_GLIBC_BE; do
            run $CC_BE "${CFLAGS_GLIBC[@]}" -mcpu="$mcpu" "$src" -lm -Wl,-s "${LDFLAGS_COMMON[@]}" \
                -o "bin/$name.be-$mcpu.elf"
        done
    fi
done

# ---- hand-written assembly: one program per ISA level, LE and BE ----
declare -A ASM_MCPU=([isa206]=power7 [isa207]=power8 [isa300]=power9 [isa310]=power10)
for isa in isa206 isa207 isa300 isa310; do
    run $CC_LE "${ASFLAGS[@]}" -mcpu="${ASM_MCPU[$isa]}" "asm/$isa.S" "${LDFLAGS_COMMON[@]}" \
        -o "bin/asm-$isa.le.elf"
    run $CC_BE "${ASFLAGS[@]}" -mcpu="${ASM_MCPU[$isa]}" "asm/$isa.S" "${LDFLAGS_COMMON[@]}" \
        -o "bin/asm-$isa.be.elf"
done
# error-path programs, little-endian only
for t in fault loop; do
    run $CC_LE "${ASFLAGS[@]}" -mcpu=power7 "asm/$t.S" "${LDFLAGS_COMMON[@]}" -o "bin/asm-$t.le.elf"
done

echo "built $(find bin -name '*.elf' | wc -l) ELF files, $(du -cb bin/*.elf | tail -1 | cut -f1) bytes" >&2

if [ "${1:-}" != "--no-manifest" ]; then
    run python3 mkmanifest.py
fi
