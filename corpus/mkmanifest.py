#!/usr/bin/env python3
"""Run every ELF in corpus/bin under qemu-user (the oracle) and write
corpus/manifest.json and corpus/mnemonics.txt.

For each ELF the manifest records the exact stdout bytes and exit status of
the default run, and for freestanding and assembly programs the exact number
of guest instructions qemu retires (TCG plugin from
/work/shared/tools/qemu-insncount, built into a temporary directory), using
the -cpu model matching the build.  glibc programs are run on -cpu power10
(see README.md: qemu 7.2 wrongly rejects mffscrni on POWER7/8 models) and,
where qemu can, cross-checked on the matching model.

Consistency checks (the script exits non-zero if one fails):
  * every variant of a program prints the same bytes and exits the same way;
  * programs exit 0, asm-fault with 139 (128 + SIGSEGV);
  * every default run takes well under a second.

Environment:
  INSNCOUNT_SRC  plugin source (default /work/shared/tools/qemu-insncount/insncount.c)
  INSNCOUNT_SO   use an already built plugin instead
  QEMU_TIMEOUT   seconds per run (default 20)

Python 3 standard library only.
"""
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "bin")
TIMEOUT = float(os.environ.get("QEMU_TIMEOUT", "20"))

ISA_OF_MCPU = {"power7": "2.06", "power8": "2.07", "power9": "3.0", "power10": "3.1"}
ASM_MCPU = {"isa206": "power7", "isa207": "power8", "isa300": "power9", "isa310": "power10",
            "fault": "power7", "loop": "power7"}

# Arguments for a ~0.2-1 s run of each benchmark program under qemu-user 7.2
# (measured on the project's 2-core x86-64 machine; see README.md).
BENCH_ARGS = {
    "alloc": ["400000"],
    "bits": ["500000"],
    "fpmath": ["30000"],
    "hash": ["12000"],
    "int128": ["100000"],
    "intmath": ["120000"],
    "lz": ["1500"],
    "mandel": ["2000"],
    "matmul": ["100"],
    "memops": ["1000"],
    "nbody": ["60000"],
    "queens": ["13"],
    "sieve": ["8000000"],
    "sort": ["400000"],
    "strings": ["300000"],
    "vm": ["4000"],
    "glibc-math": ["25000"],
    "glibc-printf": ["20000"],
    "glibc-strings": ["15000"],
}


def no_core():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def qemu_for(endian):
    return "qemu-ppc64le" if endian == "le" else "qemu-ppc64"


def run(elf, endian, cpu, args, plugin=None, plugin_out=None):
    cmd = [qemu_for(endian), "-cpu", cpu]
    if plugin:
        cmd += ["-plugin", "%s,out=%s" % (plugin, plugin_out)]
    cmd += [elf] + list(args)
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT,
                       preexec_fn=no_core, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    dt = time.monotonic() - t0
    rc = p.returncode if p.returncode >= 0 else 128 - p.returncode
    return p.stdout, rc, dt


def kind_of_source(path):
    with open(path, encoding="utf-8") as f:
        head = f.read(2000)
    m = re.search(r"kind:\s*(int|fp)", head)
    if not m:
        sys.exit("no 'kind: int|fp' in the header comment of %s" % path)
    return m.group(1)


def describe(fname):
    """Metadata derived from the file name (and the source's header comment)."""
    m = re.fullmatch(r"asm-(\w+)\.(le|be)\.elf", fname)
    if m:
        prog, endian = m.groups()
        mcpu = ASM_MCPU[prog]
        kind = {"fault": "fault", "loop": "loop"}.get(prog, "asm")
        return dict(name="asm-" + prog, endian=endian, libc="none", mcpu=mcpu,
                    isa=ISA_OF_MCPU[mcpu], kind=kind)
    m = re.fullmatch(r"glibc-(\w+)\.(le|be)-(power\d+)\.elf", fname)
    if m:
        prog, endian, mcpu = m.groups()
        return dict(name="glibc-" + prog, endian=endian, libc="glibc", mcpu=mcpu,
                    isa=ISA_OF_MCPU[mcpu],
                    kind=kind_of_source(os.path.join(HERE, "src", "glibc", prog + ".c")))
    m = re.fullmatch(r"(\w+)\.(le|be)-(power\d+)\.elf", fname)
    if m:
        prog, endian, mcpu = m.groups()
        return dict(name=prog, endian=endian, libc="none", mcpu=mcpu, isa=ISA_OF_MCPU[mcpu],
                    kind=kind_of_source(os.path.join(HERE, "src", prog + ".c")))
    sys.exit("unexpected file in bin/: " + fname)


def build_plugin(tmp):
    so = os.environ.get("INSNCOUNT_SO")
    if so:
        return so
    src = os.environ.get("INSNCOUNT_SRC", "/work/shared/tools/qemu-insncount/insncount.c")
    so = os.path.join(tmp, "libinsncount.so")
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-fvisibility=hidden", "-o", so, src], check=True)
    return so


def count_insns(plugin, tmp, elf, endian, cpu, args):
    out = os.path.join(tmp, "count.txt")
    if os.path.exists(out):
        os.unlink(out)
    stdout, rc, dt = run(elf, endian, cpu, args, plugin, out)
    with open(out) as f:
        m = re.search(r"^insns (\d+)$", f.read(), re.M)
    return int(m.group(1)), stdout, rc


def mnemonics(paths):
    """Static mnemonic counts over objdump -d -M power10 of every ELF.  Note: words
    of data inside .text (jump tables, traceback tables, padding) are
    disassembled too; objdump prints unknown words as '.long'."""
    counts = Counter()
    line_re = re.compile(r"^\s*[0-9a-f]+:\t(?:[0-9a-f]{2} )+\s*\t(\S+)")
    for path, endian in paths:
        tool = "powerpc64le-linux-gnu-objdump" if endian == "le" else "powerpc64-linux-gnu-objdump"
        out = subprocess.run([tool, "-d", "-M", "power10", path], stdout=subprocess.PIPE,
                             check=True, text=True).stdout
        for line in out.splitlines():
            m = line_re.match(line)
            if m:
                counts[m.group(1)] += 1
    return counts


def main():
    files = sorted(f for f in os.listdir(BIN) if f.endswith(".elf"))
    if not files:
        sys.exit("bin/ is empty: run build.sh first")
    tmp = tempfile.mkdtemp(prefix="ppcreplay-corpus-")
    problems = []
    notes = []
    try:
        plugin = build_plugin(tmp)
        entries = []
        for fname in files:
            meta = describe(fname)
            rel = "bin/" + fname
            elf = os.path.join(BIN, fname)
            args = []
            e = dict(name=meta["name"], elf=rel, endian=meta["endian"], libc=meta["libc"],
                     mcpu=meta["mcpu"], isa=meta["isa"], kind=meta["kind"], args=args)
            if meta["kind"] == "loop":
                e.update(stdout="", exit_code=None, qemu_insns=None, bench_args=[])
                entries.append(e)
                print("%-34s (not run)" % rel, flush=True)
                continue
            if meta["libc"] == "glibc":
                stdout, rc, dt = run(elf, meta["endian"], "power10", args)
                insns = None
                # cross-check on the matching model where qemu 7.2 can run it
                s2, rc2, _ = run(elf, meta["endian"], meta["mcpu"], args)
                if (s2, rc2) != (stdout, rc):
                    notes.append("%s: on -cpu %s qemu gives exit %d (stdout %d bytes) instead of %d"
                                 % (rel, meta["mcpu"], rc2, len(s2), rc))
            else:
                stdout, rc, dt = run(elf, meta["endian"], meta["mcpu"], args)
                if meta["kind"] == "fault":
                    # qemu dies with the guest's SIGSEGV before the plugin's
                    # atexit report (and a TB-granular count would include the
                    # instructions after the faulting store anyway)
                    insns = None
                else:
                    insns, s2, rc2 = count_insns(plugin, tmp, elf, meta["endian"], meta["mcpu"], args)
                    if (s2, rc2) != (stdout, rc):
                        problems.append("%s: run with the plugin differs" % rel)
            want = 139 if meta["kind"] == "fault" else 0
            if rc != want:
                problems.append("%s: exit status %d, expected %d" % (rel, rc, want))
            if dt > 1.0:
                problems.append("%s: default run took %.2f s" % (rel, dt))
            try:
                text = stdout.decode("utf-8")
            except UnicodeDecodeError:
                problems.append("%s: stdout is not UTF-8" % rel)
                text = stdout.decode("latin-1")
            e.update(stdout=text, exit_code=rc, qemu_insns=insns,
                     bench_args=list(BENCH_ARGS.get(meta["name"], [])) if meta["kind"] in ("int", "fp") else [])
            entries.append(e)
            print("%-34s exit %3d  %6.3f s  insns %s" % (rel, rc, dt, insns), flush=True)

        # the same program must print the same thing in every variant
        by_name = defaultdict(list)
        for e in entries:
            by_name[e["name"]].append(e)
        for name, es in sorted(by_name.items()):
            outs = {(e["stdout"], e["exit_code"]) for e in es}
            if len(outs) != 1:
                problems.append("%s: variants disagree: %s" % (name, ", ".join(e["elf"] for e in es)))
            missing = [e["name"] for e in es if e["kind"] in ("int", "fp") and not e["bench_args"]]
            if missing:
                problems.append("%s: no bench_args" % name)

        entries.sort(key=lambda e: e["elf"])
        with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(entries, f, indent=1, ensure_ascii=False)
            f.write("\n")

        counts = mnemonics([(os.path.join(HERE, e["elf"]), e["endian"]) for e in entries])
        with open(os.path.join(HERE, "mnemonics.txt"), "w", encoding="utf-8") as f:
            for mn in sorted(counts):
                f.write("%s %d\n" % (mn, counts[mn]))

        ins = [e["qemu_insns"] for e in entries if e["qemu_insns"] is not None]
        print("%d ELFs, %d distinct mnemonics, qemu_insns %d..%d"
              % (len(entries), len(counts), min(ins), max(ins)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for n in notes:
        print("note: " + n)
    for p in problems:
        print("PROBLEM: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
