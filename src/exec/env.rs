//! [`Env`]: the only door through which nondeterminism (time, entropy, input)
//! enters a guest, and [`VirtualEnv`], the deterministic default.
//!
//! Every request carries the retired-instruction count at which it happens, so a
//! recorder can key the value by it and a replayer can detect a request that comes
//! out of step.

/// Timebase frequency reported to guests (Hz). POWER8/9/10 and QEMU use 512 MHz.
pub const TB_FREQ: u64 = 512_000_000;

/// Start of virtual wall-clock time: 2024-01-01T00:00:00Z (seconds since epoch).
pub const VIRTUAL_EPOCH: i64 = 1_704_067_200;

/// Why the guest asked for entropy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum EntropyUse {
    /// AT_RANDOM bytes on the initial stack.
    AtRandom,
    /// getrandom(2).
    Getrandom,
    /// The darn instruction.
    Darn,
}

/// Source of every nondeterministic value.
pub trait Env {
    /// Timebase register value (mftb) at instruction count `icount`.
    fn timebase(&mut self, icount: u64) -> u64;
    /// Clock value (seconds, nanoseconds) for `clock_id` (Linux clock ids:
    /// 0 REALTIME, 1 MONOTONIC, …) at `icount`.
    fn clock(&mut self, icount: u64, clock_id: u32) -> (i64, i64);
    /// Fills `buf` with random bytes.
    fn entropy(&mut self, icount: u64, purpose: EntropyUse, buf: &mut [u8]);
    /// Reads guest input for file descriptor `fd` into `buf`; returns the number of
    /// bytes (0 = end of input).
    fn input(&mut self, icount: u64, fd: i32, buf: &mut [u8]) -> usize;
}

/// Deterministic environment: time derived from the instruction count (one
/// instruction = one nanosecond), entropy from a seeded generator, no input.
#[derive(Clone, Debug)]
pub struct VirtualEnv {
    rng: blake3::OutputReader,
}

impl VirtualEnv {
    /// An environment whose entropy stream is derived from `seed`.
    pub fn new(seed: u64) -> Self {
        let mut h = blake3::Hasher::new_derive_key("ppcreplay virtual entropy v1");
        h.update(&seed.to_le_bytes());
        VirtualEnv {
            rng: h.finalize_xof(),
        }
    }

    /// Nanoseconds of virtual time at `icount`.
    pub fn nanos(icount: u64) -> u64 {
        icount
    }
}

impl Env for VirtualEnv {
    fn timebase(&mut self, icount: u64) -> u64 {
        // 1 ns per instruction at 512 MHz: 0.512 ticks per instruction.
        ((icount as u128 * TB_FREQ as u128) / 1_000_000_000) as u64
    }

    fn clock(&mut self, icount: u64, clock_id: u32) -> (i64, i64) {
        let ns = Self::nanos(icount) as i64;
        let base = if clock_id == 0 || clock_id == 5 || clock_id == 8 || clock_id == 11 {
            VIRTUAL_EPOCH // REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI
        } else {
            0
        };
        (base + ns / 1_000_000_000, ns % 1_000_000_000)
    }

    fn entropy(&mut self, _icount: u64, _purpose: EntropyUse, buf: &mut [u8]) {
        self.rng.fill(buf);
    }

    fn input(&mut self, _icount: u64, _fd: i32, _buf: &mut [u8]) -> usize {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_entropy_is_a_function_of_the_seed() {
        let (mut a, mut b, mut c) = (VirtualEnv::new(1), VirtualEnv::new(1), VirtualEnv::new(2));
        let (mut x, mut y, mut z) = ([0u8; 16], [0u8; 16], [0u8; 16]);
        a.entropy(0, EntropyUse::Getrandom, &mut x);
        b.entropy(0, EntropyUse::Getrandom, &mut y);
        c.entropy(0, EntropyUse::Getrandom, &mut z);
        assert_eq!(x, y);
        assert_ne!(x, z);
    }

    #[test]
    fn virtual_time_advances_with_instructions_only() {
        let mut e = VirtualEnv::new(0);
        assert_eq!(e.timebase(1_000_000_000), TB_FREQ);
        assert_eq!(e.clock(1_500_000_000, 1), (1, 500_000_000));
        assert_eq!(e.clock(0, 0), (VIRTUAL_EPOCH, 0));
    }
}
