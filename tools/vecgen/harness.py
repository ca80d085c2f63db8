"""Freestanding ppc64 test harness (generated assembly) for the vector generator.

The harness is a single static binary per endianness.  It reads fixed-size case
records from stdin, and for every record:

  1. writes the case's instruction word(s) into a fixed code slot (INSN_ADDR),
     followed by "landing pad" branches;
  2. loads the complete architected user state from the record (all 32 GPRs,
     CR, XER, LR, CTR, FPSCR, VSCR, VRSAVE, TAR, all 64 VSRs, a 256-byte memory
     buffer at MEM_ADDR) and jumps to INSN_ADDR;
  3. the instruction runs; wherever execution goes next (fall-through or branch
     target within +-2 KiB of INSN_ADDR) a landing pad records the offset
     (nia_off) and dumps the complete state again to stdout.

All harness bookkeeping uses absolute addressing relative to r0=0 (D-form
"disp(0)") into a low data area at 0x4000-0x7fff, so **no register is reserved
or clobbered**: every GPR (r1 included) can be an operand with any value.

Faults (SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE) raised by the instruction are
caught by a handler running on an alternate stack; the kernel frame restores
the registers and the handler redirects to a landing pad that records the
signal number and the faulting address offset.
"""

import os
import struct
import subprocess

# ---- fixed addresses (documented in tests/vectors/README.md) ----
HDR = 0x4000          # case header (words, nwords, flags)
S_IN = 0x4020         # input state
S_OUT = 0x5000        # output state
MISC = 0x6000         # harness scratch
MEM_ADDR = 0x10030000  # 128-byte data buffer the instructions may access
MEM_SIZE = 128
SLOT_BASE = 0x10040000
INSN_ADDR = 0x10040800
PAD_LO = -512         # pads cover INSN_ADDR + 4*k for k in [PAD_LO, PAD_HI)
PAD_HI = 512
MAX_WORDS = 4

# ---- state layout (byte offsets inside a state block) ----
OFF_GPR = 0x000
OFF_CR = 0x100
OFF_XER = 0x108
OFF_LR = 0x110
OFF_CTR = 0x118
OFF_FPSCR = 0x120
OFF_VSCR = 0x128
OFF_VRSAVE = 0x130
OFF_TAR = 0x138
OFF_DSCR = 0x140
OFF_PPR = 0x148
OFF_NIA = 0x150
OFF_SIGNO = 0x158
OFF_SIGNIP = 0x160
OFF_TEXASR = 0x168
OFF_TFIAR = 0x170
OFF_TFHAR = 0x178
OFF_VSR = 0x180
OFF_MEM = 0x580
STATE_SIZE = 0x680
HDR_SIZE = 0x20
REC_SIZE = HDR_SIZE + STATE_SIZE

SPR_SLOTS = [  # name, offset, spr number
    ("vrsave", OFF_VRSAVE, 256),
    ("tar", OFF_TAR, 815),
    ("ppr", OFF_PPR, 896),
    # transactional-memory SPRs (POWER8+ in QEMU, POWER10 included): the
    # harness state carries them so TM vectors can set and observe them
    ("texasr", OFF_TEXASR, 130),
    ("tfiar", OFF_TFIAR, 129),
    ("tfhar", OFF_TFHAR, 128),
]

M_PADSAVE = MISC + 0x00   # 16 bytes: original pad words at INSN_ADDR..+16
M_SIGNO = MISC + 0x10
M_SIGNIP = MISC + 0x18
M_SCRATCH = MISC + 0x20   # 16 bytes, aligned (reservation killer)
M_VT = MISC + 0x40        # 16 bytes, aligned (mfvscr temp)
M_ALTSTK = MISC + 0x60    # stack_t
M_SIGACT = MISC + 0x80    # struct sigaction (32 bytes)
M_DESC = MISC + 0xa0      # ELFv1 descriptor of the signal handler

SIGNALS = [4, 5, 7, 8, 11]  # SIGILL SIGTRAP SIGBUS SIGFPE SIGSEGV


def _li64(reg, val):
    """Load a 64-bit constant (only used for addresses < 2^31 here)."""
    assert 0 <= val < 0x80000000
    hi = (val >> 16) & 0xffff
    lo = val & 0xffff
    return [f"lis {reg},{hi:#x}", f"ori {reg},{reg},{lo:#x}"]


def gen_asm(endian):
    L = []
    a = L.append
    le = endian == "le"
    if le:
        a(".abiversion 2")
    a('.section .low,"aw",@nobits')
    a(".space 0x4000")
    a('.section .mem,"aw",@nobits')
    a(".space 0x1000")
    # ---- code slot with landing pads ----
    a('.section .slot,"awx",@progbits')
    a(".p2align 12")
    a("slot_base:")
    for k in range(PAD_LO, PAD_HI):
        a(f"  b pad_{k - PAD_LO}")
    if 4 * (PAD_HI - PAD_LO) < 0x1000:
        a(".space 0x1000 - 4*%d" % (PAD_HI - PAD_LO))
    # ---- alternate signal stack ----
    a(".bss")
    a(".p2align 12")
    a("altstack: .space 0x10000")
    # ---- entry ----
    if not le:
        a('.section .opd,"aw"')
        a(".p2align 3")
        a(".globl _start")
        a("_start: .quad ._start, 0, 0")
        a(".size _start, 24")
        a(".text")
        a("._start:")
    else:
        a(".text")
        a(".globl _start")
        a("_start:")
    # save the original pad words at INSN_ADDR .. +16
    for ins in _li64("4", INSN_ADDR):
        a("  " + ins)
    for i in range(MAX_WORDS):
        a(f"  lwz 5,{4*i}(4)")
        a(f"  stw 5,{M_PADSAVE + 4*i}(0)")
    # sigaltstack
    a("  lis 5,altstack@ha")
    a("  addi 5,5,altstack@l")
    a(f"  std 5,{M_ALTSTK}(0)")
    a("  li 5,0")
    a(f"  std 5,{M_ALTSTK + 8}(0)")
    a("  lis 5,1")   # 0x10000
    a(f"  std 5,{M_ALTSTK + 16}(0)")
    a("  li 0,185")
    a(f"  li 3,{M_ALTSTK}")
    a("  li 4,0")
    a("  sc")
    # sigaction struct
    a("  lis 5,sighandler@ha")
    a("  addi 5,5,sighandler@l")
    if not le:
        a(f"  std 5,{M_DESC}(0)")
        a("  li 5,0")
        a(f"  std 5,{M_DESC + 8}(0)")
        a(f"  std 5,{M_DESC + 16}(0)")
        a(f"  li 5,{M_DESC}")
    a(f"  std 5,{M_SIGACT}(0)")
    a("  lis 5,0x0800")
    a("  ori 5,5,4")          # SA_ONSTACK | SA_SIGINFO
    a(f"  std 5,{M_SIGACT + 8}(0)")
    a("  li 5,0")
    a(f"  std 5,{M_SIGACT + 16}(0)")
    a(f"  std 5,{M_SIGACT + 24}(0)")
    for sig in SIGNALS:
        a("  li 0,173")
        a(f"  li 3,{sig}")
        a(f"  li 4,{M_SIGACT}")
        a("  li 5,0")
        a("  li 6,8")
        a("  sc")
    # ---- main loop: read one record ----
    a("next_case:")
    a("  li 14,0")                      # bytes read so far
    a("1:")
    a("  li 0,3")
    a("  li 3,0")
    a(f"  addi 4,14,{HDR}")
    a(f"  subfic 5,14,{REC_SIZE}")
    a("  sc")
    a("  bso- do_exit_err")
    a("  cmpdi 3,0")
    a("  beq- do_exit_ok")
    a("  add 14,14,3")
    a(f"  cmpdi 14,{REC_SIZE}")
    a("  blt- 1b")
    # write words into slot
    for ins in _li64("4", INSN_ADDR):
        a("  " + ins)
    a(f"  lwz 6,{HDR + 16}(0)")          # nwords
    for i in range(MAX_WORDS):
        a(f"  lwz 5,{M_PADSAVE + 4*i}(0)")
        a(f"  cmpwi 6,{i + 1}")
        a(f"  blt 2f")
        a(f"  lwz 5,{HDR + 4*i}(0)")
        a("2:")
        a(f"  stw 5,{4*i}(4)")
    a("  dcbst 0,4")
    a("  sync")
    a("  icbi 0,4")
    a("  isync")
    a("  li 5,0")
    a(f"  std 5,{M_SIGNO}(0)")
    a(f"  std 5,{M_SIGNIP}(0)")
    # ---- restore state ----
    S = S_IN
    a(f"  lfd 0,{S + OFF_FPSCR}(0)")
    a("  mtfsf 0xff,0,1,0")
    a(f"  li 3,{S + OFF_FPSCR}")
    a("  lxvd2x 32,0,3")                 # vs32 = (fpscr, vscr)
    a("  mtvscr 0")
    spr_list = SPR_SLOTS
    for name, off, num in spr_list:
        a(f"  ld 3,{S + off}(0)")
        a(f"  mtspr {num},3")
    # memory buffer
    for ins in _li64("4", MEM_ADDR):
        a("  " + ins)
    for i in range(0, MEM_SIZE, 8):
        a(f"  ld 3,{S + OFF_MEM + i}(0)")
        a(f"  std 3,{i}(4)")
    # kill any reservation left by the previous case
    a(f"  li 4,{M_SCRATCH}")
    a("  stdcx. 3,0,4")
    a(f"  ld 3,{S + OFF_XER}(0)")
    a("  mtxer 3")
    for n in range(64):
        a(f"  li 3,{S + OFF_VSR + 16*n}")
        a(f"  lxvd2x {n},0,3")
    for n in range(32):
        if n != 30:
            a(f"  ld {n},{S + OFF_GPR + 8*n}(0)")
    a(f"  ld 30,{S + OFF_LR}(0)")
    a("  mtlr 30")
    a(f"  ld 30,{S + OFF_CTR}(0)")
    a("  mtctr 30")
    a(f"  ld 30,{S + OFF_CR}(0)")
    a("  mtcrf 0xff,30")
    a(f"  ld 30,{S + OFF_GPR + 8*30}(0)")
    a(f"  b slot_base+{INSN_ADDR - SLOT_BASE}")
    # ---- landing pads ----
    O = S_OUT
    for k in range(PAD_LO, PAD_HI):
        a(f"pad_{k - PAD_LO}:")
        a(f"  std 30,{O + OFF_GPR + 8*30}(0)")
        a(f"  li 30,{4*k}")
        a("  b post")
    a("sig_landing:")
    a(f"  std 30,{O + OFF_GPR + 8*30}(0)")
    a("  li 30,-1")
    a("  b post")
    # ---- dump state ----
    a("post:")
    a(f"  std 30,{O + OFF_NIA}(0)")
    for n in range(32):
        if n != 30:
            a(f"  std {n},{O + OFF_GPR + 8*n}(0)")
    a("  mflr 3")
    a(f"  std 3,{O + OFF_LR}(0)")
    a("  mfctr 3")
    a(f"  std 3,{O + OFF_CTR}(0)")
    a("  mfcr 3")
    a(f"  std 3,{O + OFF_CR}(0)")
    a("  mfxer 3")
    a(f"  std 3,{O + OFF_XER}(0)")
    for name, off, num in spr_list:
        a(f"  mfspr 3,{num}")
        a(f"  std 3,{O + off}(0)")
    for n in range(64):
        a(f"  li 3,{O + OFF_VSR + 16*n}")
        a(f"  stxvd2x {n},0,3")
    a("  mffs 0")
    a(f"  stfd 0,{O + OFF_FPSCR}(0)")
    a("  mfvscr 0")
    a(f"  li 3,{M_VT}")
    a("  stxvd2x 32,0,3")
    a(f"  ld 3,{M_VT + 8}(0)")
    a(f"  std 3,{O + OFF_VSCR}(0)")
    for ins in _li64("4", MEM_ADDR):
        a("  " + ins)
    for i in range(0, MEM_SIZE, 8):
        a(f"  ld 3,{i}(4)")
        a(f"  std 3,{O + OFF_MEM + i}(0)")
    a(f"  ld 3,{M_SIGNO}(0)")
    a(f"  std 3,{O + OFF_SIGNO}(0)")
    a(f"  ld 3,{M_SIGNIP}(0)")
    a(f"  std 3,{O + OFF_SIGNIP}(0)")
    # write(1, S_OUT, STATE_SIZE)
    a("  li 14,0")
    a("3:")
    a("  li 0,4")
    a("  li 3,1")
    a(f"  addi 4,14,{O}")
    a(f"  subfic 5,14,{STATE_SIZE}")
    a("  sc")
    a("  bso- do_exit_err")
    a("  add 14,14,3")
    a(f"  cmpdi 14,{STATE_SIZE}")
    a("  blt- 3b")
    a("  b next_case")
    a("do_exit_ok:")
    a("  li 0,234")
    a("  li 3,0")
    a("  sc")
    a("do_exit_err:")
    a("  li 0,234")
    a("  li 3,3")
    a("  sc")
    # ---- signal handler: r3 = signo, r5 = ucontext ----
    if not le:
        a(".globl sighandler_code")
    a("sighandler:")
    a(f"  std 3,{M_SIGNO}(0)")
    a("  ld 6,224(5)")           # uc_mcontext.regs -> pt_regs
    a("  ld 7,256(6)")           # pt_regs.nip
    for ins in _li64("8", SLOT_BASE):
        a("  " + ins)
    a("  subf 9,8,7")
    a("  cmpldi 9,0x1000")
    a("  bge- 4f")
    a(f"  addi 9,9,{SLOT_BASE - INSN_ADDR}")
    a(f"  std 9,{M_SIGNIP}(0)")
    a("  lis 10,sig_landing@ha")
    a("  addi 10,10,sig_landing@l")
    a("  std 10,256(6)")
    a("  blr")
    a("4:")
    a("  li 0,234")
    a("  addi 3,3,100")
    a("  sc")
    return "\n".join(L) + "\n"


LDSCRIPT = """ENTRY(_start)
SECTIONS {
  . = 0x4000;
  .low (NOLOAD) : { *(.low) }
  . = 0x10000000;
  .text : { *(.text*) }
  .opd : { *(.opd) }
  . = 0x10030000;
  .mem (NOLOAD) : { *(.mem) }
  . = 0x10040000;
  .slot : { *(.slot) }
  .data : { *(.data*) }
  .bss : { *(.bss*) }
  /DISCARD/ : { *(.note*) *(.comment) *(.eh_frame*) }
}
"""

CROSS = {"le": "powerpc64le-linux-gnu-", "be": "powerpc64-linux-gnu-"}
QEMU = {"le": "qemu-ppc64le", "be": "qemu-ppc64"}


def build(endian, outdir):
    os.makedirs(outdir, exist_ok=True)
    src = os.path.join(outdir, f"harness_{endian}.s")
    lds = os.path.join(outdir, "harness.ld")
    exe = os.path.join(outdir, f"harness_{endian}")
    with open(src, "w") as f:
        f.write(gen_asm(endian))
    with open(lds, "w") as f:
        f.write(LDSCRIPT)
    cmd = [CROSS[endian] + "gcc", "-nostdlib", "-static", "-mcpu=power8",
           "-Wl,-z,max-page-size=4096", "-Wl,--build-id=none",
           "-Wl,--no-warn-rwx-segments", "-T", lds, src, "-o", exe]
    subprocess.run(cmd, check=True)
    return exe
