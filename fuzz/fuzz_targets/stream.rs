//! The migration-stream decoder on arbitrary bytes: must return a typed error or
//! a stream, never panic or allocate unboundedly. Half of the inputs are put
//! behind a valid magic, version and seal so the fuzzer reaches the section
//! decoder; a decoded stream must re-encode to a stream that decodes equal.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ppcreplay::migration::stream::{decode, to_bytes, MAGIC, VERSION};

fuzz_target!(|data: &[u8]| {
    let check = |bytes: &[u8]| {
        if let Ok(s) = decode(bytes) {
            assert_eq!(decode(&to_bytes(&s)).ok(), Some(s));
        }
    };
    check(data);
    if data.len() > 1 && data[0] & 1 == 1 {
        let mut v = MAGIC.to_vec();
        v.extend_from_slice(&VERSION.to_le_bytes());
        v.extend_from_slice(&data[1..]);
        ppcreplay::sealed::seal(&mut v);
        check(&v);
    }
});
