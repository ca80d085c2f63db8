//! The migration matrix as a golden snapshot, its headline asserted, and
//! sharding: shards merged equal the unsharded matrix.
//!
//! The snapshot covers every model pair, the default machine types and compat
//! values and all four policies over a slice of the corpus chosen to exercise
//! every ISA level: each C benchmark `sort` and `fpmath` built for power7 …
//! power10 (LE), the static glibc programs (ifuncs chosen from HWCAP) and the
//! per-level assembly programs. `ppcreplay matrix` runs the whole corpus (its
//! wall time is in the README).

use ppcreplay::exec::interp::Interp;
use ppcreplay::exec::Engine;
use ppcreplay::migration::harness::Guest;
use ppcreplay::migration::matrix::{in_shard, merge, run_matrix, MatrixReport, MatrixSpec};
use std::path::Path;

fn guests(filter: &[&str]) -> Vec<Guest> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    ppcreplay::corpus::load(&dir)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind != "loop" && filter.iter().any(|f| e.elf.contains(f)))
        .map(|e| {
            let bytes = std::fs::read(dir.join(&e.elf)).unwrap();
            Guest::elf(&e.elf, bytes, &e.args, 0)
        })
        .collect()
}

fn interp() -> Box<dyn Engine> {
    Box::new(Interp::new())
}

fn run(spec: &MatrixSpec, g: &[Guest], shard: Option<(u32, u32)>) -> MatrixReport {
    run_matrix(spec, g, shard, &interp, &|| {}).unwrap()
}

#[test]
fn the_matrix_over_the_corpus_slice_matches_its_snapshot_and_shows_the_headline() {
    let g = guests(&[
        "sort.le-",
        "fpmath.le-",
        "glibc-strings.le-",
        "glibc-printf.le-",
        "asm-isa",
    ]);
    assert!(g.len() >= 19, "corpus slice: {} guests", g.len());
    let rep = run(&MatrixSpec::default_spec(), &g, None);
    let s = |p: &str| rep.summary.iter().find(|x| x.policy == p).unwrap().clone();
    // The headline: the current policy is sound, the historical ones are not.
    assert_eq!(
        s("pvr-match-or-compat").false_accepts,
        0,
        "{:?}",
        rep.summary
    );
    assert!(s("ignore-pvr").false_accepts > 0, "{:?}", rep.summary);
    assert!(s("exact-pvr").false_rejects > 0, "{:?}", rep.summary);
    // POWER9-built code moved to a POWER8 under ignore-pvr diverges.
    let c = rep
        .cells
        .iter()
        .find(|c| {
            c.policy == "ignore-pvr"
                && c.machine == "pseries-2.9"
                && c.compat == "unset"
                && c.src == "power9_v2.2"
                && c.dst == "power8_v2.0"
        })
        .unwrap();
    assert!(c.accepted);
    assert!(c
        .diverged
        .iter()
        .any(|d| d.guest == "bin/sort.le-power9.elf" && d.class == "illegal-on-destination"));
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("migration_matrix", ppcreplay::report::matrix_markdown(&rep));
    });
}

#[test]
fn shards_merged_equal_the_unsharded_matrix() {
    let g = guests(&[
        "sort.le-power9",
        "sort.le-power8",
        "asm-isa300.le",
        "asm-isa207.le",
    ]);
    let mut spec = MatrixSpec::default_spec();
    spec.models
        .retain(|m| ["power8_v2.0", "power9_v2.2", "power10_v2.0"].contains(&m.name));
    spec.machines.truncate(2);
    let whole = run(&spec, &g, None);
    let mut parts = Vec::new();
    for i in 1..=3 {
        let mine: Vec<Guest> = g
            .iter()
            .enumerate()
            .filter(|(k, _)| in_shard(*k, Some((i, 3))))
            .map(|(_, x)| x.clone())
            .collect();
        let part = run(&spec, &mine, Some((i, 3)));
        // Parts go through their JSON form, as `matrix merge` reads them.
        let text = serde_json::to_string(&part).unwrap();
        parts.push(serde_json::from_str::<MatrixReport>(&text).unwrap());
    }
    // A missing shard is refused, not merged into an incomplete matrix.
    assert!(merge(parts[..2].to_vec()).is_err());
    let merged = merge(parts).unwrap();
    let mut a = whole.clone();
    let mut b = merged.clone();
    for r in [&mut a, &mut b] {
        r.guests.sort();
        r.shards.clear();
        r.source_runs = 0;
        r.destination_runs = 0;
        r.timing = Default::default();
    }
    assert_eq!(a, b);
    assert_eq!(merged.shards, vec![(1, 3), (2, 3), (3, 3)]);
    // The same guest twice is refused.
    assert!(merge(vec![whole.clone(), whole]).is_err());
}

#[test]
fn a_second_matrix_run_reuses_the_cached_runs_and_gives_the_same_result() {
    let g = guests(&["sort.le-power9", "asm-isa310.le"]);
    let dir = std::env::temp_dir().join(format!("ppcreplay-matrix-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut spec = MatrixSpec::default_spec();
    spec.models
        .retain(|m| ["power9_v2.2", "power10_v2.0"].contains(&m.name));
    spec.machines.truncate(1);
    spec.cache = Some((dir.clone(), [7; 32]));
    let first = run(&spec, &g, None);
    assert!(first.destination_runs > 0 && first.source_runs > 0);
    let second = run(&spec, &g, None);
    assert_eq!(
        second.destination_runs, 0,
        "every destination run came from the cache"
    );
    assert_eq!(
        second.source_runs, 0,
        "every source run came from the cache"
    );
    assert_eq!(first.cells, second.cells);
    // Another salt (a rebuilt engine) does not reuse them.
    spec.cache = Some((dir.clone(), [8; 32]));
    assert!(run(&spec, &g, None).destination_runs > 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(target_arch = "x86_64")]
#[test]
fn the_matrix_is_the_same_on_the_jit_as_on_the_interpreter() {
    let g = guests(&["sort.le-power9", "glibc-strings.le-power8", "asm-isa300.le"]);
    let mut spec = MatrixSpec::default_spec();
    spec.models
        .retain(|m| ["power8_v2.0", "power9_v2.2", "power10_v2.0"].contains(&m.name));
    let jit = || -> Box<dyn Engine> { Box::new(ppcreplay::exec::jit::Jit::new()) };
    let a = run(&spec, &g, None);
    let b = run_matrix(&spec, &g, None, &jit, &|| {}).unwrap();
    assert_eq!(a.cells, b.cells);
    assert!(
        a.cells.iter().any(|c| !c.diverged.is_empty()),
        "the slice has divergences"
    );
}
