//! Memory for translated code: one fixed mapping, filled block by block.
//!
//! Owns the host pages that hold translated code and their protection; knows
//! nothing about guests or blocks. Why not dynasmrt's own `Assembler` buffer:
//! it remaps the *whole* buffer (two `mprotect`s over every page) on every
//! commit and every patch, and moves it when it grows. With one commit per
//! translated block the cost grew with the square of the code size (20% of a
//! glibc-heavy run was the kernel walking page tables, and under rayon each
//! remap is a TLB shootdown on every core). Here:
//!
//! - the mapping is reserved once (`PROT_NONE`, `MAP_NORESERVE`: only pages
//!   that hold code cost memory) and never moves, so a `rel32` between any two
//!   blocks always fits and entry addresses stay valid until the next flush;
//! - a commit or a patch changes the protection of the pages it writes only:
//!   read-write while the bytes are copied, then read-execute. No page is ever
//!   writable and executable at once (W^X), and only the engine's own thread
//!   runs this code, so nothing executes a page while it is writable.
//! - behind the code, a data area of fixed size that is read-write and never
//!   executable: the translated code addresses it `rip`-relative (it is within
//!   2 GiB of every block), for the per-access TLB caches.

use std::io;

/// A code mapping of fixed capacity.
pub(super) struct CodeMem {
    base: *mut u8,
    cap: usize,
    len: usize,
    /// Bytes of the data area at `base + cap`.
    data: usize,
}

const PAGE: usize = 4096;

impl CodeMem {
    /// Reserves `cap` bytes of code followed by `data` bytes of read-write
    /// data (both rounded up to pages) of address space.
    pub(super) fn with_data(cap: usize, data: usize) -> io::Result<CodeMem> {
        let cap = cap.div_ceil(PAGE) * PAGE;
        let data = data.div_ceil(PAGE) * PAGE;
        // SAFETY: an anonymous private mapping with no address hint touches
        // no existing memory.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                cap + data,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let m = CodeMem {
            base: p.cast(),
            cap,
            len: 0,
            data,
        };
        if data > 0 {
            m.protect(cap, data, libc::PROT_READ | libc::PROT_WRITE)?;
        }
        Ok(m)
    }

    /// Host address of the data area (zero-filled when reserved).
    pub(super) fn data_addr(&self) -> usize {
        self.base as usize + self.cap
    }

    /// Bytes of the data area.
    pub(super) fn data_len(&self) -> usize {
        self.data
    }

    /// Address of byte `off` of the mapping.
    pub(super) fn addr(&self, off: usize) -> usize {
        self.base as usize + off
    }

    /// Bytes in use (the offset the next [`CodeMem::append`] writes at).
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Bytes still free.
    pub(super) fn room(&self) -> usize {
        self.cap - self.len
    }

    /// Copies `code` to the end of the used part (returns its offset) and
    /// writes the 4-byte `fields` (jump displacements, in old or new code),
    /// with one remap of the pages that cover all of it. The caller assembled
    /// `code` for address `addr(len())` and checked `room()`.
    pub(super) fn commit(&mut self, code: &[u8], fields: &[(usize, [u8; 4])]) -> io::Result<usize> {
        let off = self.len;
        if code.len() > self.room() {
            return Err(io::Error::new(
                io::ErrorKind::OutOfMemory,
                "JIT code memory full",
            ));
        }
        let end = off + code.len();
        let lo = fields.iter().map(|f| f.0).min().unwrap_or(off).min(off);
        let hi = fields.iter().map(|f| f.0 + 4).max().unwrap_or(end).max(end);
        if hi == lo {
            return Ok(off);
        }
        assert!(hi <= end, "a field outside the code");
        let first = lo / PAGE * PAGE;
        let last = hi.div_ceil(PAGE) * PAGE;
        self.protect(first, last - first, libc::PROT_READ | libc::PROT_WRITE)?;
        // SAFETY: both ranges lie inside the part just made writable; nothing
        // executes it meanwhile (see the module docs).
        unsafe {
            std::ptr::copy_nonoverlapping(code.as_ptr(), self.base.add(off), code.len());
            for (at, b) in fields {
                std::ptr::copy_nonoverlapping(b.as_ptr(), self.base.add(*at), 4);
            }
        }
        // x86-64 keeps instruction fetch coherent with stores made by the
        // same thread; no cache maintenance is needed.
        self.protect(first, last - first, libc::PROT_READ | libc::PROT_EXEC)?;
        self.len = end;
        Ok(off)
    }

    fn protect(&self, off: usize, len: usize, prot: libc::c_int) -> io::Result<()> {
        // SAFETY: page-aligned range inside our own mapping.
        let r = unsafe { libc::mprotect(self.base.add(off).cast(), len, prot) };
        if r != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

impl Drop for CodeMem {
    fn drop(&mut self) {
        // SAFETY: the mapping was created by `new` and nothing refers to it
        // once its owner is dropped.
        unsafe {
            libc::munmap(self.base.cast(), self.cap + self.data);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_code_lands_back_to_back_and_fields_are_patched() {
        let mut m = CodeMem::with_data(3 * PAGE, 0).unwrap();
        let a = m.commit(&[0xc3; 10], &[]).unwrap();
        let b = m.commit(&[0x90; PAGE], &[(2, [7; 4])]).unwrap();
        assert_eq!((a, b, m.len()), (0, 10, PAGE + 10));
        // A field inside the code being committed, one in older code.
        m.commit(&[0xcc; 6], &[(PAGE + 11, [9; 4]), (5, [1; 4])])
            .unwrap();
        // SAFETY: readable (RX) bytes inside the mapping.
        let got = unsafe { std::slice::from_raw_parts(m.addr(0) as *const u8, PAGE + 16) };
        assert_eq!(&got[..10], &[0xc3, 0xc3, 7, 7, 7, 1, 1, 1, 1, 0xc3]);
        assert_eq!(got[PAGE + 9], 0x90);
        assert_eq!(&got[PAGE + 10..], &[0xcc, 9, 9, 9, 9, 0xcc]);
    }

    #[test]
    fn code_that_does_not_fit_is_refused_without_writing() {
        let mut m = CodeMem::with_data(PAGE, 0).unwrap();
        m.commit(&[0; 4000], &[]).unwrap();
        assert!(m.commit(&[0; 200], &[]).is_err());
        assert_eq!(m.len(), 4000);
    }
}
