//! The disassembler against GNU objdump (`-d -M power10`, binutils 2.40).
//!
//! `tests/golden/disasm.txt` holds objdump's text for encodings of every table
//! row (made by `examples/dump_encodings.rs`, disassembled by
//! `tools/disasm-golden/gen.py`; every instruction at pc 0x10000000). This test
//! needs no binutils: it decodes each line's words, disassembles them at that pc
//! and compares; and it checks that every row of the table has golden lines, so a
//! row added without regenerating the file fails here with the command to run.

use ppcreplay::isa::decode::decode_at;
use ppcreplay::isa::disasm::disasm;
use ppcreplay::isa::table::all;
use std::collections::{BTreeMap, BTreeSet};

const GOLDEN: &str = include_str!("golden/disasm.txt");
const PC: u64 = 0x1000_0000;
const REGEN: &str = "python3 tools/disasm-golden/gen.py";

struct Line {
    words: Vec<u32>,
    text: &'static str,
}

fn golden() -> Vec<Line> {
    GOLDEN
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (w, text) = l.split_once('\t').expect("WORDS<TAB>TEXT");
            let words = w
                .split(' ')
                .map(|x| u32::from_str_radix(x, 16).expect("hex word"))
                .collect();
            Line { words, text }
        })
        .collect()
}

#[test]
fn disassembly_matches_objdump_for_every_golden_encoding() {
    let lines = golden();
    assert!(lines.len() > 100, "golden file looks empty; run `{REGEN}`");
    let mut bad: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut nbad = 0;
    for l in &lines {
        let insn = decode_at(l.words[0], l.words.get(1).copied());
        let ours = disasm(&insn, PC);
        if ours != l.text {
            nbad += 1;
            let row = insn.def().map_or("(illegal)", |d| d.mnemonic);
            let words: Vec<String> = l.words.iter().map(|w| format!("{w:08x}")).collect();
            bad.entry(row).or_default().push(format!(
                "{}: objdump `{}` ours `{}`",
                words.join(" "),
                l.text.escape_default(),
                ours.escape_default()
            ));
        }
    }
    if nbad > 0 {
        let mut msg = format!(
            "{nbad} of {} golden lines differ, in {} rows (if a row's encoding or \
             operands changed, regenerate the golden file first: {REGEN}):\n",
            lines.len(),
            bad.len()
        );
        for (row, v) in &bad {
            msg.push_str(&format!("  {row} ({} lines)\n", v.len()));
            for s in v.iter().take(4) {
                msg.push_str(&format!("    {s}\n"));
            }
        }
        panic!("{msg}");
    }
}

#[test]
fn every_table_row_has_golden_lines() {
    let mut covered = BTreeSet::new();
    for l in golden() {
        let insn = decode_at(l.words[0], l.words.get(1).copied());
        if let Some(d) = insn.def() {
            covered.insert(d.mnemonic);
        }
    }
    let missing: Vec<&str> = all()
        .iter()
        .map(|d| d.mnemonic)
        .filter(|m| !covered.contains(m))
        .collect();
    assert!(
        missing.is_empty(),
        "{} table rows have no line in tests/golden/disasm.txt: {}\n\
         regenerate it (needs binutils-powerpc64le-linux-gnu and binutils-powerpc64-linux-gnu): {REGEN}",
        missing.len(),
        missing.join(" ")
    );
}
