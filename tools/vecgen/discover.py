"""Enumerate the mnemonics binutils' disassembler knows in an opcode space.

Used to make sure every VMX/VSX/FP/quad mnemonic QEMU can run is covered:
all words PO|fields with bits 21-31 and 11-15 swept are disassembled with
objdump -M power10 and one example per mnemonic is kept.
"""
import os
import re
import struct
import subprocess
import tempfile


def sweep(po, t=2, b=4, extra_fields=()):
    words = []
    for xo in range(2048):
        for a in range(32):
            words.append((po << 26) | (t << 21) | (a << 16) | (b << 11) | xo)
    return words


def disasm(words):
    d = tempfile.mkdtemp()
    fn = os.path.join(d, "w.bin")
    with open(fn, "wb") as f:
        f.write(b"".join(struct.pack(">I", w) for w in words))
    p = subprocess.run(["powerpc64-linux-gnu-objdump", "-D", "-b", "binary",
                        "-m", "powerpc:common64", "-M", "power10", "-EB",
                        fn], capture_output=True, text=True, check=True)
    res = {}
    for line in p.stdout.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} ){4}\s*(\S+)\s*(.*)$",
                     line)
        if not m:
            continue
        off = int(m.group(1), 16)
        mn, ops = m.group(2), m.group(3).strip()
        if mn.startswith(".long") or mn.startswith("."):
            continue
        res.setdefault(mn, []).append((words[off // 4], ops))
    return res


if __name__ == "__main__":
    import sys
    po = int(sys.argv[1])
    r = disasm(sweep(po))
    for mn in sorted(r):
        print(mn, len(r[mn]), r[mn][0][1], "|", r[mn][-1][1])
