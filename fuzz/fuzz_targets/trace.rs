//! The trace decoder on arbitrary bytes: must return a typed error or a trace,
//! never panic or allocate unboundedly. Inputs that start with a valid prefix
//! are re-sealed half of the time so the fuzzer reaches the record decoder.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ppcreplay::replay::trace::decode("fuzz", data);
    if data.len() > 14 && data[0] & 1 == 1 {
        let mut v = b"PPCRTRACE\n".to_vec();
        v.extend_from_slice(&1u32.to_le_bytes());
        v.extend_from_slice(&data[1..]);
        let seal = blake3::hash(&v);
        v.extend_from_slice(b"SEAL");
        v.extend_from_slice(seal.as_bytes());
        let _ = ppcreplay::replay::trace::decode("fuzz", &v);
    }
});
