//! Fuzz target `decode`: arbitrary bytes as a stream of instruction words (both
//! byte orders), each decoded with the following word available as a suffix and
//! disassembled. Decoding and disassembly must never panic on guest code.
//!
//! Run: `cargo fuzz run -s none decode -- -max_total_time=10` (stable toolchain);
//! seeds in `fuzz/seeds/decode/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ppcreplay::isa::decode::decode_at;
use ppcreplay::isa::disasm::disasm;

fuzz_target!(|data: &[u8]| {
    for le in [true, false] {
        let words: Vec<u32> = data
            .chunks_exact(4)
            .map(|c| {
                let b = [c[0], c[1], c[2], c[3]];
                if le {
                    u32::from_le_bytes(b)
                } else {
                    u32::from_be_bytes(b)
                }
            })
            .collect();
        let mut pc = 0x1000_0000u64;
        let mut i = 0;
        while i < words.len() {
            let insn = decode_at(words[i], words.get(i + 1).copied());
            let text = disasm(&insn, pc);
            assert!(!text.is_empty());
            // Advance like objdump: 8 bytes for a recognised prefixed instruction.
            let step = if insn.def().is_some() && insn.is_prefixed() { 2 } else { 1 };
            i += step;
            pc = pc.wrapping_add(4 * step as u64);
        }
    }
});
