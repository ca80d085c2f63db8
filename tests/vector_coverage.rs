//! Every row of the instruction table has QEMU-measured vectors, or a reason why
//! not (issue 2: "Every instruction in the table has vectors").
//!
//! A row is covered when at least one vector in `tests/vectors/*.jsonl` decodes
//! (through the crate's own decoder, from the vector's `words`) to that row —
//! so extended mnemonics (`li`, `mr`, `blr`, …) count for their base row and
//! `addo.` counts for `add`. A row is excused when `tests/vectors/SKIPPED.md`
//! names it in the first cell of a table row that gives a reason (the tables
//! under "Forms deliberately not generated" name forms of rows that do have
//! vectors, so they excuse nothing). `dfp.jsonl` is not counted: DFP is not
//! implemented and `tests/vectors.rs` does not run that file, so a vector there
//! proves nothing about a row (and the table has no DFP rows today).

use ppcreplay::isa::decode_at;
use ppcreplay::isa::table::all;
use ppcreplay::isa::InsnDef;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Vector files that `tests/vectors.rs` does not run (see the module docs).
const NOT_RUN: &[&str] = &["dfp.jsonl"];

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Row index → number of vectors that exercise it, over the files that are run.
fn covered_rows() -> BTreeMap<usize, usize> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !NOT_RUN.contains(&name.as_ref())
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files in tests/vectors");
    let mut hits = BTreeMap::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for (ln, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", f.display(), ln + 1));
            let words: Vec<u32> = v["words"]
                .as_array()
                .unwrap_or_else(|| panic!("{}:{}: no `words`", f.display(), ln + 1))
                .iter()
                .map(|w| {
                    let s = w.as_str().expect("word is a hex string");
                    u32::from_str_radix(s.trim_start_matches("0x"), 16)
                        .unwrap_or_else(|e| panic!("{}:{}: word {s}: {e}", f.display(), ln + 1))
                })
                .collect();
            // `seq` vectors hold several instructions: decode each in turn.
            let mut i = 0;
            while i < words.len() {
                let insn = decode_at(words[i], words.get(i + 1).copied());
                if let Some(_def) = insn.def() {
                    *hits.entry(insn.row as usize).or_insert(0) += 1;
                }
                i += insn.len() as usize / 4;
            }
        }
    }
    hits
}

/// Names that SKIPPED.md excuses, with the reason given.
fn skipped_names() -> BTreeMap<String, String> {
    let p = vectors_dir().join("SKIPPED.md");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut out = BTreeMap::new();
    let mut forms_section = false;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix('#') {
            forms_section = h.trim_start_matches('#').trim().starts_with("Forms");
            continue;
        }
        if forms_section || !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let (Some(names), Some(reason)) = (cells.first(), cells.get(1)) else {
            continue;
        };
        if reason.is_empty() || reason.starts_with("---") {
            continue;
        }
        // Backticked tokens of the first cell; the mnemonic is the first word.
        for (k, tok) in names.split('`').enumerate() {
            if k % 2 == 1 {
                if let Some(mn) = tok.split_whitespace().next() {
                    out.entry(mn.to_string())
                        .or_insert_with(|| reason.to_string());
                }
            }
        }
    }
    out
}

/// The spellings under which SKIPPED.md may name a row: the base mnemonic and
/// its `.`/`o`/`o.` forms when the row has those flag bits.
fn spellings(d: &InsnDef) -> Vec<String> {
    let m = d.mnemonic;
    let mut v = vec![m.to_string()];
    if d.flags & (ppcreplay::isa::RC | ppcreplay::isa::RC21) != 0 {
        v.push(format!("{m}."));
    }
    if d.flags & ppcreplay::isa::OE != 0 {
        v.push(format!("{m}o"));
        v.push(format!("{m}o."));
    }
    v
}

#[test]
fn every_table_row_has_a_qemu_vector_or_a_documented_reason() {
    let rows = all();
    let hits = covered_rows();
    let skipped = skipped_names();
    let mut uncovered = Vec::new();
    let mut excused = Vec::new();
    for (i, d) in rows.iter().enumerate() {
        if hits.contains_key(&i) {
            continue;
        }
        match spellings(d).iter().find_map(|s| skipped.get(s)) {
            Some(reason) => excused.push(format!("{:<12} {reason}", d.mnemonic)),
            None => uncovered.push(format!(
                "{:<12} {:?} level {} {:?}",
                d.mnemonic,
                d.op,
                d.level.as_str(),
                d.privilege
            )),
        }
    }
    println!(
        "{} rows: {} with vectors, {} excused by SKIPPED.md:\n  {}",
        rows.len(),
        hits.len(),
        excused.len(),
        excused.join("\n  ")
    );
    assert!(
        uncovered.is_empty(),
        "{} of {} table rows have no vector in tests/vectors/*.jsonl and no reason in \
         tests/vectors/SKIPPED.md:\n  {}",
        uncovered.len(),
        rows.len(),
        uncovered.join("\n  ")
    );
}

#[test]
fn the_table_has_no_decimal_floating_point_rows() {
    // dfp.jsonl exists but DFP is not implemented, and its vectors are not run.
    // If DFP rows are added, they must be covered by running dfp.jsonl (remove
    // it from NOT_RUN and add it to tests/vectors.rs), not by this exemption.
    let dfp: Vec<&str> = all()
        .iter()
        .filter(|d| d.facility == ppcreplay::isa::Facility::Dfp)
        .map(|d| d.mnemonic)
        .collect();
    assert!(
        dfp.is_empty(),
        "DFP rows are in the table but dfp.jsonl is not run: {dfp:?}"
    );
}

#[test]
fn skipped_md_names_only_instructions_with_a_reason() {
    // Guards the parser above: SKIPPED.md must keep excusing the privileged
    // rows it names (a format change that silently excused nothing, or
    // everything, would show here).
    let s = skipped_names();
    for name in ["sc", "mfmsr", "darn", "treclaim.", "ba"] {
        assert!(s.contains_key(name), "SKIPPED.md no longer names `{name}`");
    }
    // `bca` is named only under "Forms deliberately not generated" (its taken
    // path); it has vectors and must not be excused.
    assert!(
        !s.contains_key("add") && !s.contains_key("bca"),
        "SKIPPED.md parsing excuses rows it does not list: {:?}",
        s.keys().collect::<BTreeSet<_>>()
    );
}
