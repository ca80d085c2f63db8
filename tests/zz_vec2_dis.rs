use ppcreplay::isa::decode::decode_at;
use ppcreplay::isa::disasm::disasm;
#[test]
fn zz() {
    for (p, w) in [(None, 0xee0338d2u32), (None, 0x7c830162), (None, 0x7d800162), (Some(0x079000c5u32), 0xee8a58d4), (Some(0x079000b8), 0xec9289de), (Some(0x079009e5), 0xed05d11e), (None, 0xed9609da)] {
        let i = decode_at(p.unwrap_or(w), p.map(|_| w));
        println!("{:08x?} {:08x} => {}", p, w, disasm(&i, 0x1000_0000));
    }
}
