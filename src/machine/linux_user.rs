//! The `linux_user` personality: a ppc64 Linux process without a kernel — the
//! initial stack and auxiliary vector, and the system calls static programs make.
//!
//! Facts: `../shared/reference/toolchain-facts.md` (entry state, auxv as qemu-user
//! gives it, the syscall list and numbers; error convention CR0.SO + positive
//! errno). Every value that could differ between runs (time, entropy, input) is
//! asked of [`Env`]; the personality itself is deterministic: fixed addresses,
//! fixed uname, no host file system.

use crate::cpu::models::{hwcap2_for, hwcap_for};
use crate::exec::env::EntropyUse;
use crate::exec::{Cpu, Env};
use crate::isa::IsaLevel;
use crate::mem::{perm, Memory, PAGE_SIZE};
use std::io::Write;

/// Top of the initial stack (exclusive).
pub const STACK_TOP: u64 = 0x0000_7fff_f000_0000;
/// Size of the stack mapping.
pub const STACK_SIZE: u64 = 8 << 20;
/// Highest address of the mmap area (allocations go downwards from here).
pub const MMAP_TOP: u64 = 0x0000_7fff_a000_0000;
/// Lowest address the mmap area may reach.
pub const MMAP_BOTTOM: u64 = 0x0000_2000_0000_0000;
/// Maximum program break growth.
const BRK_MAX: u64 = 1 << 32;

const ENOENT: i64 = 2;
const EBADF: i64 = 9;
const ENOMEM: i64 = 12;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const ENOTTY: i64 = 25;
const ENOSYS: i64 = 38;

/// Where guest output goes.
#[derive(Debug)]
pub enum OutputMode {
    /// Write to the host's stdout/stderr as the guest writes.
    Passthrough,
    /// Keep in memory only.
    Capture,
}

/// How the process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcessExit {
    /// exit/exit_group with a status.
    Exited(i32),
    /// Killed by a signal (tgkill to itself, abort).
    Signaled(i32),
}

/// Kernel-side state of the process.
#[derive(Debug)]
pub struct LinuxUser {
    /// Current program break.
    pub brk: u64,
    /// Initial program break.
    pub brk_start: u64,
    /// Next mmap address (top-down).
    pub mmap_next: u64,
    /// Thread id (= pid).
    pub tid: u64,
    /// clear_child_tid address from set_tid_address.
    pub clear_tid: u64,
    /// Path reported for /proc/self/exe and AT_EXECFN.
    pub exe_path: String,
    /// Output mode.
    pub output_mode: OutputMode,
    /// Everything written to fd 1.
    pub stdout: Vec<u8>,
    /// Everything written to fd 2.
    pub stderr: Vec<u8>,
    /// Running digest of (fd, bytes) output, in order.
    pub output_hash: blake3::Hasher,
    /// Set when the process has ended.
    pub exit: Option<ProcessExit>,
    /// Number of system calls serviced.
    pub syscalls: u64,
    /// Unknown system call numbers seen (for reports), in first-seen order.
    pub unknown_syscalls: Vec<u64>,
    /// Whether the guest is little-endian.
    pub little_endian: bool,
    /// Effective ISA level (drives HWCAP/HWCAP2).
    pub level: IsaLevel,
    /// (fd, length) of every write, in order: with `stdout`/`stderr` it rebuilds
    /// `output_hash` after a checkpoint is restored (a blake3 hasher's running
    /// state cannot be serialised).
    pub write_log: Vec<(i32, u64)>,
    /// `mfspr rD,PVR` instructions the kernel emulated (a statistic: not part
    /// of the kernel state a checkpoint carries).
    pub pvr_reads: u64,
}

/// Initial process layout computed by [`LinuxUser::setup_stack`].
#[derive(Clone, Copy, Debug)]
pub struct StackInfo {
    /// Initial r1.
    pub sp: u64,
    /// Address of the AT_RANDOM bytes.
    pub at_random: u64,
}

/// Values of the auxiliary vector that depend on the executable.
#[derive(Clone, Copy, Debug)]
pub struct AuxInfo {
    /// AT_PHDR.
    pub phdr: u64,
    /// AT_PHNUM.
    pub phnum: u64,
    /// AT_ENTRY (e_entry as in the file).
    pub entry: u64,
}

impl LinuxUser {
    /// A process whose program break starts after `image_end`.
    pub fn new(image_end: u64, exe_path: &str, little_endian: bool, level: IsaLevel) -> Self {
        let brk = (image_end + PAGE_SIZE - 1) & !(PAGE_SIZE - 1);
        LinuxUser {
            brk,
            brk_start: brk,
            mmap_next: MMAP_TOP,
            tid: 1000,
            clear_tid: 0,
            exe_path: exe_path.to_string(),
            output_mode: OutputMode::Capture,
            stdout: Vec::new(),
            stderr: Vec::new(),
            output_hash: blake3::Hasher::new(),
            exit: None,
            syscalls: 0,
            unknown_syscalls: Vec::new(),
            little_endian,
            level,
            write_log: Vec::new(),
            pvr_reads: 0,
        }
    }

    /// Linux's `emulate_instruction` (arch/powerpc/kernel/traps.c): a
    /// problem-state `mfspr rD,PVR` (word & 0xfc1ffffe == 0x7c1f42a6) raises a
    /// privileged-instruction interrupt and the kernel completes it with the
    /// PVR the CPU reports. qemu-user does not (it delivers SIGILL); a pseries
    /// guest runs under Linux, so we do. Returns whether `word` was emulated
    /// (the caller retires the instruction).
    pub fn emulate_mfpvr(&mut self, state: &mut crate::cpu::ArchState, word: u32) -> bool {
        if word & 0xfc1f_fffe != 0x7c1f_42a6 {
            return false;
        }
        let rd = ((word >> 21) & 31) as usize;
        state.gpr[rd] = u64::from(state.pvr);
        self.pvr_reads += 1;
        true
    }

    /// Maps the stack and writes argc, argv, envp and the auxiliary vector the
    /// way Linux (and qemu-user) lay them out.
    pub fn setup_stack(
        &mut self,
        mem: &mut Memory,
        env: &mut dyn Env,
        argv: &[String],
        envp: &[String],
        aux: AuxInfo,
    ) -> Result<StackInfo, crate::mem::MemError> {
        let le = self.little_endian;
        mem.map_zero(STACK_TOP - STACK_SIZE, STACK_SIZE, perm::RW)?;
        let mut sp = STACK_TOP;
        let mut push_bytes = |mem: &mut Memory, data: &[u8]| -> Result<u64, crate::mem::MemError> {
            sp -= data.len() as u64;
            mem.write_bytes(sp, data)?;
            Ok(sp)
        };
        let cstr = |s: &str| {
            let mut v = s.as_bytes().to_vec();
            v.push(0);
            v
        };
        let execfn = push_bytes(mem, &cstr(&self.exe_path))?;
        let mut env_ptrs = Vec::new();
        for e in envp.iter().rev() {
            env_ptrs.push(push_bytes(mem, &cstr(e))?);
        }
        env_ptrs.reverse();
        let mut arg_ptrs = Vec::new();
        for a in argv.iter().rev() {
            arg_ptrs.push(push_bytes(mem, &cstr(a))?);
        }
        arg_ptrs.reverse();
        let mut random = [0u8; 16];
        env.entropy(0, EntropyUse::AtRandom, &mut random);
        let at_random = push_bytes(mem, &random)?;

        let hwcap = hwcap_for(self.level) as u64;
        let hwcap2 = hwcap2_for(self.level) as u64;
        // Order as qemu-user 7.2 gives it (toolchain-facts.md "Auxiliary vector").
        let auxv: Vec<(u64, u64)> = vec![
            (22, 0), // AT_IGNOREPPC
            (22, 0),
            (19, 128), // AT_DCACHEBSIZE
            (20, 128), // AT_ICACHEBSIZE
            (21, 0),   // AT_UCACHEBSIZE
            (3, aux.phdr),
            (4, 56),
            (5, aux.phnum),
            (6, PAGE_SIZE),
            (7, 0),
            (8, 0),
            (9, aux.entry),
            (11, 0),
            (12, 0),
            (13, 0),
            (14, 0),
            (16, hwcap),
            (17, 100),
            (25, at_random),
            (23, 0),
            (31, execfn),
            (26, hwcap2),
            (0, 0),
        ];
        let words = 1 + arg_ptrs.len() + 1 + env_ptrs.len() + 1 + 2 * auxv.len();
        sp = (sp - 8 * words as u64) & !15;
        let mut w = sp;
        let mut put = |mem: &mut Memory, v: u64| -> Result<(), crate::mem::MemError> {
            let b = if le { v.to_le_bytes() } else { v.to_be_bytes() };
            mem.write_bytes(w, &b)?;
            w += 8;
            Ok(())
        };
        put(mem, argv.len() as u64)?;
        for p in &arg_ptrs {
            put(mem, *p)?;
        }
        put(mem, 0)?;
        for p in &env_ptrs {
            put(mem, *p)?;
        }
        put(mem, 0)?;
        for (k, v) in auxv {
            put(mem, k)?;
            put(mem, v)?;
        }
        Ok(StackInfo { sp, at_random })
    }

    fn emit(&mut self, fd: i32, data: &[u8]) {
        self.write_log.push((fd, data.len() as u64));
        self.output_hash.update(&fd.to_le_bytes());
        self.output_hash.update(&(data.len() as u64).to_le_bytes());
        self.output_hash.update(data);
        let (buf, passthrough) = match fd {
            1 => (
                &mut self.stdout,
                matches!(self.output_mode, OutputMode::Passthrough),
            ),
            _ => (
                &mut self.stderr,
                matches!(self.output_mode, OutputMode::Passthrough),
            ),
        };
        buf.extend_from_slice(data);
        if passthrough {
            // Host write errors (closed pipe) do not change what the guest sees.
            if fd == 1 {
                let mut o = std::io::stdout().lock();
                let _ = o.write_all(data);
                let _ = o.flush();
            } else {
                let mut o = std::io::stderr().lock();
                let _ = o.write_all(data);
            }
        }
    }

    fn put_u64(&self, mem: &mut Memory, addr: u64, v: u64) -> Result<(), i64> {
        mem.store::<8>(addr, v, self.little_endian)
            .map_err(|_| EFAULT)
    }
    fn put_u32(&self, mem: &mut Memory, addr: u64, v: u32) -> Result<(), i64> {
        mem.store::<4>(addr, v as u64, self.little_endian)
            .map_err(|_| EFAULT)
    }
    fn get_u64(&self, mem: &mut Memory, addr: u64) -> Result<u64, i64> {
        mem.load::<8>(addr, self.little_endian).map_err(|_| EFAULT)
    }

    /// Services the system call in r0 with arguments r3-r8, writing the result
    /// with the `sc` convention (r3, CR0.SO).
    pub fn syscall(&mut self, cpu: &mut Cpu, mem: &mut Memory, env: &mut dyn Env) {
        self.syscalls += 1;
        let s = &cpu.state;
        let nr = s.gpr[0];
        let a = [s.gpr[3], s.gpr[4], s.gpr[5], s.gpr[6], s.gpr[7], s.gpr[8]];
        let r = self.dispatch(nr, a, cpu, mem, env);
        tracing::trace!(nr, ?a, ?r, icount = cpu.icount, "syscall");
        let s = &mut cpu.state;
        match r {
            Ok(v) => {
                s.gpr[3] = v;
                s.cr &= !(1 << 28);
            }
            Err(e) => {
                s.gpr[3] = e as u64;
                s.cr |= 1 << 28;
            }
        }
    }

    fn dispatch(
        &mut self,
        nr: u64,
        a: [u64; 6],
        cpu: &mut Cpu,
        mem: &mut Memory,
        env: &mut dyn Env,
    ) -> Result<u64, i64> {
        let icount = cpu.icount;
        match nr {
            1 | 234 => {
                // exit, exit_group
                self.exit = Some(ProcessExit::Exited(a[0] as i32 & 0xff));
                Ok(0)
            }
            3 => {
                // read
                let fd = a[0] as i32;
                if fd != 0 {
                    return Err(EBADF);
                }
                let n = (a[2] as usize).min(1 << 20);
                let mut buf = vec![0u8; n];
                let got = env.input(icount, fd, &mut buf).min(n);
                mem.store_bytes(a[1], &buf[..got]).map_err(|_| EFAULT)?;
                Ok(got as u64)
            }
            4 => {
                // write
                let fd = a[0] as i32;
                if fd != 1 && fd != 2 {
                    return Err(EBADF);
                }
                let n = a[2].min(1 << 24) as usize;
                let mut buf = vec![0u8; n];
                mem.load_bytes(a[1], &mut buf).map_err(|_| EFAULT)?;
                self.emit(fd, &buf);
                Ok(n as u64)
            }
            146 => {
                // writev
                let fd = a[0] as i32;
                if fd != 1 && fd != 2 {
                    return Err(EBADF);
                }
                let cnt = a[2].min(1024);
                let mut total = 0u64;
                let mut data = Vec::new();
                for k in 0..cnt {
                    let base = self.get_u64(mem, a[1] + 16 * k)?;
                    let len = self.get_u64(mem, a[1] + 16 * k + 8)?.min(1 << 24);
                    let mut buf = vec![0u8; len as usize];
                    mem.load_bytes(base, &mut buf).map_err(|_| EFAULT)?;
                    data.extend_from_slice(&buf);
                    total += len;
                }
                self.emit(fd, &data);
                Ok(total)
            }
            5 | 286 => Err(ENOENT), // open, openat: no host file system
            6 => {
                // close
                if a[0] <= 2 {
                    Ok(0)
                } else {
                    Err(EBADF)
                }
            }
            45 => Ok(self.do_brk(a[0], mem)),
            54 => Err(ENOTTY), // ioctl (TCGETS on stdout: not a tty)
            90 => self.do_mmap(a, mem),
            91 => {
                // munmap
                if a[0] & (PAGE_SIZE - 1) != 0 || a[1] == 0 {
                    return Err(EINVAL);
                }
                mem.unmap(a[0], a[1]).map_err(|_| EINVAL)?;
                Ok(0)
            }
            125 => {
                // mprotect
                if a[0] & (PAGE_SIZE - 1) != 0 {
                    return Err(EINVAL);
                }
                mem.protect(a[0], a[1], prot_to_perm(a[2]))
                    .map_err(|_| ENOMEM)?;
                Ok(0)
            }
            108 => self.do_fstat(a[0] as i32, a[1], mem), // fstat
            291 => {
                // newfstatat(dirfd, path, buf, flags): only fds with AT_EMPTY_PATH
                let path = mem.read_cstr(a[1], 4096).map_err(|_| EFAULT)?;
                if path.is_empty() && a[3] & 0x1000 != 0 {
                    self.do_fstat(a[0] as i32, a[2], mem)
                } else {
                    Err(ENOENT)
                }
            }
            122 => self.do_uname(a[0], mem),
            116 => {
                // sysinfo: a fixed 1 GiB machine with virtual uptime (determinism).
                let (up, _) = env.clock(icount, 1);
                let mut b = [0u8; 112];
                let le = self.little_endian;
                let mut put = |off: usize, v: u64, n: usize| {
                    for i in 0..n {
                        let sh = if le { 8 * i } else { 8 * (n - 1 - i) };
                        b[off + i] = (v >> sh) as u8;
                    }
                };
                put(0, up as u64, 8); // uptime
                put(32, 1 << 30, 8); // totalram
                put(40, 1 << 29, 8); // freeram
                put(80, 1, 2); // procs
                put(104, 1, 4); // mem_unit
                mem.store_bytes(a[0], &b).map_err(|_| EFAULT)?;
                Ok(0)
            }
            13 => {
                // time
                let (sec, _) = env.clock(icount, 0);
                if a[0] != 0 {
                    self.put_u64(mem, a[0], sec as u64)?;
                }
                Ok(sec as u64)
            }
            78 => {
                // gettimeofday
                let (sec, ns) = env.clock(icount, 0);
                if a[0] != 0 {
                    self.put_u64(mem, a[0], sec as u64)?;
                    self.put_u64(mem, a[0] + 8, (ns / 1000) as u64)?;
                }
                Ok(0)
            }
            246 => {
                // clock_gettime
                let (sec, ns) = env.clock(icount, a[0] as u32);
                self.put_u64(mem, a[1], sec as u64)?;
                self.put_u64(mem, a[1] + 8, ns as u64)?;
                Ok(0)
            }
            247 => {
                // clock_getres: 1 ns
                if a[1] != 0 {
                    self.put_u64(mem, a[1], 0)?;
                    self.put_u64(mem, a[1] + 8, 1)?;
                }
                Ok(0)
            }
            359 => {
                // getrandom
                let n = a[1].min(1 << 20) as usize;
                let mut buf = vec![0u8; n];
                env.entropy(icount, EntropyUse::Getrandom, &mut buf);
                mem.store_bytes(a[0], &buf).map_err(|_| EFAULT)?;
                Ok(n as u64)
            }
            85 | 296 => {
                // readlink / readlinkat("/proc/self/exe")
                let (path_addr, buf, len) = if nr == 85 {
                    (a[0], a[1], a[2])
                } else {
                    (a[1], a[2], a[3])
                };
                let path = mem.read_cstr(path_addr, 4096).map_err(|_| EFAULT)?;
                if path != b"/proc/self/exe" {
                    return Err(ENOENT);
                }
                // An absolute path is required (glibc's _dl_get_origin asserts it);
                // a fixed directory keeps runs identical on every host.
                let base = self.exe_path.rsplit('/').next().unwrap_or("guest");
                let full = format!("/guest/{base}");
                let p = full.as_bytes();
                let n = p.len().min(len as usize);
                mem.store_bytes(buf, &p[..n]).map_err(|_| EFAULT)?;
                Ok(n as u64)
            }
            232 => {
                // set_tid_address
                self.clear_tid = a[0];
                Ok(self.tid)
            }
            20 | 207 => Ok(self.tid),       // getpid, gettid
            24 | 47 | 49 | 50 => Ok(0),     // getuid, getgid, geteuid, getegid
            173 | 174 | 185 | 205 => Ok(0), // rt_sigaction, rt_sigprocmask, sigaltstack, madvise
            221 => Ok(0),                   // futex: single thread, nothing ever waits
            325 => {
                // prlimit64(pid, resource, new, old)
                if a[3] != 0 {
                    let (cur, max) = match a[1] {
                        3 => (STACK_SIZE, u64::MAX), // RLIMIT_STACK
                        7 => (1024, 4096),           // RLIMIT_NOFILE
                        _ => (u64::MAX, u64::MAX),
                    };
                    self.put_u64(mem, a[3], cur)?;
                    self.put_u64(mem, a[3] + 8, max)?;
                }
                Ok(0)
            }
            250 | 238 | 37 => {
                // tgkill, tkill, kill: a signal to ourselves ends the process
                // (no handlers are run; SIGABRT from abort() is the usual case).
                let sig = if nr == 250 { a[2] } else { a[1] } as i32;
                if sig == 0 {
                    return Ok(0);
                }
                self.exit = Some(ProcessExit::Signaled(sig));
                Ok(0)
            }
            300 | 387 | 383 | 435 | 120 => Err(ENOSYS), // set_robust_list, rseq, statx, clone3, clone
            _ => {
                if !self.unknown_syscalls.contains(&nr) {
                    self.unknown_syscalls.push(nr);
                    tracing::warn!(
                        syscall = nr,
                        pc = format_args!("{:#x}", cpu.state.pc),
                        "unknown system call: returning -ENOSYS"
                    );
                }
                Err(ENOSYS)
            }
        }
    }

    fn do_brk(&mut self, want: u64, mem: &mut Memory) -> u64 {
        if want < self.brk_start || want > self.brk_start + BRK_MAX {
            return self.brk;
        }
        let old_top = (self.brk + PAGE_SIZE - 1) & !(PAGE_SIZE - 1);
        let new_top = (want + PAGE_SIZE - 1) & !(PAGE_SIZE - 1);
        if new_top > old_top {
            if mem
                .map_missing(old_top, new_top - old_top, perm::RW)
                .is_err()
            {
                return self.brk;
            }
        } else if new_top < old_top {
            let _ = mem.unmap(new_top, old_top - new_top);
        }
        self.brk = want;
        want
    }

    fn do_mmap(&mut self, a: [u64; 6], mem: &mut Memory) -> Result<u64, i64> {
        const MAP_FIXED: u64 = 0x10;
        const MAP_ANONYMOUS: u64 = 0x20;
        let (addr, len, prot, flags) = (a[0], a[1], a[2], a[3]);
        if len == 0 || len > (1 << 36) {
            return Err(EINVAL);
        }
        if flags & MAP_ANONYMOUS == 0 {
            return Err(EBADF); // no host files
        }
        let len = (len + PAGE_SIZE - 1) & !(PAGE_SIZE - 1);
        let at = if flags & MAP_FIXED != 0 {
            if addr & (PAGE_SIZE - 1) != 0 {
                return Err(EINVAL);
            }
            addr
        } else {
            let at = self.mmap_next.checked_sub(len).ok_or(ENOMEM)?;
            if at < MMAP_BOTTOM {
                return Err(ENOMEM);
            }
            self.mmap_next = at;
            at
        };
        mem.map_zero(at, len, prot_to_perm(prot))
            .map_err(|_| ENOMEM)?;
        Ok(at)
    }

    fn do_fstat(&mut self, fd: i32, buf: u64, mem: &mut Memory) -> Result<u64, i64> {
        if !(0..=2).contains(&fd) {
            return Err(EBADF);
        }
        // struct stat for 64-bit powerpc (arch/powerpc/include/uapi/asm/stat.h):
        // a character device, like a terminal, with fixed times (deterministic).
        mem.store_bytes(buf, &[0u8; 144]).map_err(|_| EFAULT)?;
        self.put_u64(mem, buf, 0x16)?; // st_dev
        self.put_u64(mem, buf + 8, 3 + fd as u64)?; // st_ino
        self.put_u64(mem, buf + 16, 1)?; // st_nlink
        self.put_u32(mem, buf + 24, 0o020620)?; // st_mode: S_IFCHR | 0620
        self.put_u64(mem, buf + 40, 0x8800)?; // st_rdev (pts 0)
        self.put_u64(mem, buf + 56, 1024)?; // st_blksize
        Ok(0)
    }

    fn do_uname(&mut self, buf: u64, mem: &mut Memory) -> Result<u64, i64> {
        let machine = if self.little_endian {
            "ppc64le"
        } else {
            "ppc64"
        };
        let fields = [
            "Linux",
            "ppcreplay",
            "6.1.0",
            "#1 SMP ppcreplay",
            machine,
            "(none)",
        ];
        let mut out = vec![0u8; 65 * 6];
        for (i, f) in fields.iter().enumerate() {
            out[65 * i..65 * i + f.len()].copy_from_slice(f.as_bytes());
        }
        mem.store_bytes(buf, &out).map_err(|_| EFAULT)?;
        Ok(0)
    }
}

/// The kernel-side state of a [`LinuxUser`] process as the migration stream's
/// `kernel` section carries it (everything but the output mode, which is a
/// host-side choice).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KernelState {
    /// Current program break.
    pub brk: u64,
    /// Initial program break.
    pub brk_start: u64,
    /// Next mmap address.
    pub mmap_next: u64,
    /// Thread id.
    pub tid: u64,
    /// clear_child_tid address.
    pub clear_tid: u64,
    /// Executable path.
    pub exe_path: String,
    /// Bytes written to fd 1 so far.
    #[serde(with = "serde_bytes_vec")]
    pub stdout: Vec<u8>,
    /// Bytes written to fd 2 so far.
    #[serde(with = "serde_bytes_vec")]
    pub stderr: Vec<u8>,
    /// (fd, length) of every write, in order.
    pub write_log: Vec<(i32, u64)>,
    /// Exit status: `Some((false, code))` exited, `Some((true, signal))` killed.
    pub exit: Option<(bool, i32)>,
    /// System calls serviced.
    pub syscalls: u64,
    /// Unknown system call numbers seen.
    pub unknown_syscalls: Vec<u64>,
    /// Guest byte order.
    pub little_endian: bool,
    /// Effective ISA level, as an index into [`IsaLevel::ALL`].
    pub level: u8,
}

/// Why a [`KernelState`] cannot be restored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KernelStateError {
    /// The write log does not add up to the output buffers.
    #[error("write log covers {logged} bytes of fd {fd} but {have} were captured")]
    WriteLog {
        /// Descriptor.
        fd: i32,
        /// Bytes the log accounts for.
        logged: u64,
        /// Bytes captured.
        have: u64,
    },
    /// Unknown ISA level index.
    #[error("unknown ISA level index {0}")]
    Level(u8),
}

impl LinuxUser {
    /// Snapshot of the kernel-side state.
    pub fn kernel_state(&self) -> KernelState {
        KernelState {
            brk: self.brk,
            brk_start: self.brk_start,
            mmap_next: self.mmap_next,
            tid: self.tid,
            clear_tid: self.clear_tid,
            exe_path: self.exe_path.clone(),
            stdout: self.stdout.clone(),
            stderr: self.stderr.clone(),
            write_log: self.write_log.clone(),
            exit: self.exit.map(|e| match e {
                ProcessExit::Exited(c) => (false, c),
                ProcessExit::Signaled(s) => (true, s),
            }),
            syscalls: self.syscalls,
            unknown_syscalls: self.unknown_syscalls.clone(),
            little_endian: self.little_endian,
            level: IsaLevel::ALL
                .iter()
                .position(|l| *l == self.level)
                .unwrap_or(0) as u8,
        }
    }

    /// Rebuilds a process from [`LinuxUser::kernel_state`], output hash included
    /// (replayed from the write log over the captured output). Output is captured.
    pub fn from_kernel_state(k: &KernelState) -> Result<LinuxUser, KernelStateError> {
        let level = *IsaLevel::ALL
            .get(k.level as usize)
            .ok_or(KernelStateError::Level(k.level))?;
        let mut hash = blake3::Hasher::new();
        let (mut out_pos, mut err_pos) = (0u64, 0u64);
        for &(fd, len) in &k.write_log {
            let (buf, pos) = if fd == 1 {
                (&k.stdout, &mut out_pos)
            } else {
                (&k.stderr, &mut err_pos)
            };
            let end = pos.checked_add(len).filter(|e| *e <= buf.len() as u64);
            let Some(end) = end else {
                return Err(KernelStateError::WriteLog {
                    fd,
                    logged: pos.saturating_add(len),
                    have: buf.len() as u64,
                });
            };
            hash.update(&fd.to_le_bytes());
            hash.update(&len.to_le_bytes());
            hash.update(&buf[*pos as usize..end as usize]);
            *pos = end;
        }
        for (fd, pos, buf) in [(1, out_pos, &k.stdout), (2, err_pos, &k.stderr)] {
            if pos != buf.len() as u64 {
                return Err(KernelStateError::WriteLog {
                    fd,
                    logged: pos,
                    have: buf.len() as u64,
                });
            }
        }
        Ok(LinuxUser {
            brk: k.brk,
            brk_start: k.brk_start,
            mmap_next: k.mmap_next,
            tid: k.tid,
            clear_tid: k.clear_tid,
            exe_path: k.exe_path.clone(),
            output_mode: OutputMode::Capture,
            stdout: k.stdout.clone(),
            stderr: k.stderr.clone(),
            output_hash: hash,
            exit: k.exit.map(|(sig, c)| {
                if sig {
                    ProcessExit::Signaled(c)
                } else {
                    ProcessExit::Exited(c)
                }
            }),
            syscalls: k.syscalls,
            unknown_syscalls: k.unknown_syscalls.clone(),
            little_endian: k.little_endian,
            level,
            write_log: k.write_log.clone(),
            pvr_reads: 0,
        })
    }
}

/// Byte vectors as CBOR byte strings.
mod serde_bytes_vec {
    pub use crate::sealed::bytes::{deserialize, serialize};
}

fn prot_to_perm(prot: u64) -> u8 {
    let mut p = 0;
    if prot & 1 != 0 {
        p |= perm::R;
    }
    if prot & 2 != 0 {
        p |= perm::W;
    }
    if prot & 4 != 0 {
        p |= perm::X;
    }
    p
}
