#!/usr/bin/env python3
"""Regenerates tests/golden/disasm.txt: objdump's disassembly of encodings made by
our encoder for every row of the instruction table.

Usage (from the repository root):
    python3 tools/disasm-golden/gen.py              # runs the example, writes the golden file
    python3 tools/disasm-golden/gen.py --from FILE  # use a saved dump_encodings output

Steps:
 1. `cargo run --example dump_encodings` prints `ROW<TAB>MNEMONIC<TAB>WORDS` lines.
 2. Each encoding goes into its own section of an assembler file as `.long` words
    (prefix first for 8-byte instructions), so every instruction sits at offset 0
    of its section; objdump's `--adjust-vma=0x10000000` then places all of them at
    the same address PC = 0x10000000 (the test disassembles at that pc).
 3. `powerpc64le-linux-gnu-objdump -d -M power10` (little-endian) and
    `powerpc64-linux-gnu-objdump -d -M power10` (big-endian) disassemble them; the two
    must agree (they do: the text does not depend on byte order), any difference is
    reported on stderr and the little-endian text is kept.
 4. tests/golden/disasm.txt gets one line per encoding: `WORDS<TAB>TEXT`, where TEXT
    is objdump's text with the whitespace kept exactly (mnemonic padded to 8
    columns; for pc-relative prefixed instructions objdump appends `<TAB># target`,
    which is kept verbatim). A prefix whose suffix objdump rejects prints as
    `.long 0x<prefix>` (objdump then disassembles the suffix on its own; only the
    first line is recorded).

Requires binutils-powerpc64le-linux-gnu and binutils-powerpc64-linux-gnu (Debian).
`cargo test` itself needs no binutils: the golden file is committed.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "tests", "golden", "disasm.txt")
PC = 0x10000000
CHUNK = 4000  # sections per object file

TOOLS = {
    "le": ("powerpc64le-linux-gnu-as", "powerpc64le-linux-gnu-objdump"),
    "be": ("powerpc64-linux-gnu-as", "powerpc64-linux-gnu-objdump"),
}


def dump_encodings():
    cmd = ["cargo", "run", "-q", "--example", "dump_encodings"]
    return subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout


def parse_dump(text):
    """[(row, mnemonic, [words])] in row order, duplicates dropped."""
    out, seen = [], set()
    for line in text.splitlines():
        if not line.strip():
            continue
        row, mn, words = line.split("\t")
        key = words.strip()
        if key in seen:
            continue
        seen.add(key)
        out.append((int(row), mn, [int(w, 16) for w in key.split()]))
    return out


SECTION_RE = re.compile(r"^Disassembly of section \.t(\d+):$")
INSN_RE = re.compile(r"^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} ){4}\t?(.*)$")


def objdump(encs, endian, tmp):
    """Text of the first instruction of every encoding, by index."""
    as_, od = TOOLS[endian]
    texts = {}
    for start in range(0, len(encs), CHUNK):
        src = []
        for i in range(start, min(start + CHUNK, len(encs))):
            words = encs[i][2]
            src.append(f'.section .t{i},"ax",@progbits\n')
            for w in words:
                src.append(f".long 0x{w:08x}\n")
        s_path = os.path.join(tmp, f"g{endian}{start}.s")
        o_path = os.path.join(tmp, f"g{endian}{start}.o")
        with open(s_path, "w") as f:
            f.writelines(src)
        subprocess.run([as_, "-a64", s_path, "-o", o_path], check=True)
        res = subprocess.run(
            [od, "-d", "-M", "power10", f"--adjust-vma=0x{PC:x}", o_path],
            check=True, capture_output=True, text=True,
        )
        cur = None
        for line in res.stdout.splitlines():
            m = SECTION_RE.match(line)
            if m:
                cur = int(m.group(1))
                continue
            m = INSN_RE.match(line)
            if m and cur is not None and cur not in texts:
                if int(m.group(1), 16) != PC:
                    sys.exit(f"unexpected address in {line!r}")
                texts[cur] = m.group(2).rstrip(" ")
    missing = [i for i in range(len(encs)) if i not in texts]
    if missing:
        sys.exit(f"objdump ({endian}) printed nothing for {len(missing)} encodings, "
                 f"e.g. {encs[missing[0]]}")
    return texts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="src", help="saved dump_encodings output")
    ap.add_argument("--out", default=GOLDEN)
    args = ap.parse_args()
    text = open(args.src).read() if args.src else dump_encodings()
    encs = parse_dump(text)
    with tempfile.TemporaryDirectory() as tmp:
        le = objdump(encs, "le", tmp)
        be = objdump(encs, "be", tmp)
    ndiff = 0
    for i, e in enumerate(encs):
        if le[i] != be[i]:
            ndiff += 1
            if ndiff <= 20:
                print(f"LE/BE differ for {e[1]} {e[2]}: {le[i]!r} vs {be[i]!r}", file=sys.stderr)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(f"# Generated by tools/disasm-golden/gen.py: objdump -d -M power10 at pc 0x{PC:x}.\n")
        f.write("# WORDS<TAB>TEXT (prefix first for 8-byte instructions). Do not edit.\n")
        for i, (_row, _mn, words) in enumerate(encs):
            f.write(" ".join(f"{w:08x}" for w in words) + "\t" + le[i] + "\n")
    rows = len({e[0] for e in encs})
    print(f"wrote {len(encs)} encodings of {rows} rows to {os.path.relpath(args.out, ROOT)}"
          f" ({ndiff} LE/BE differences)", file=sys.stderr)


if __name__ == "__main__":
    main()
