//! Rendering results for people: fault reports, statistics, tables.
//!
//! Knows nothing about engines; it formats values the library computed.

use crate::exec::{Fault, FaultKind};
use crate::isa::{decode_at, disasm::disasm};
use crate::machine::elf::ElfImage;

/// A short multi-line report of a guest killed by a fault: signal, pc (with the
/// symbol), the instruction and its disassembly, and — for an instruction newer
/// than the CPU — the ISA level it needs against the model's.
pub fn fault_report(
    f: &Fault,
    image: &ElfImage,
    cpu_desc: &str,
    level: crate::isa::IsaLevel,
) -> String {
    let mut s = String::new();
    let sig = f.kind.signal();
    let loc = match image.symbolize(f.pc) {
        Some((name, off)) => format!(" ({name}+{off:#x})"),
        None => String::new(),
    };
    s.push_str(&format!(
        "guest killed by {} (signal {}) at pc {:#x}{}\n",
        sig.name(),
        sig.number(),
        f.pc,
        loc
    ));
    let insn_line = |word: u32, prefix: u32| {
        let i = if prefix >> 26 == 1 {
            decode_at(prefix, Some(word))
        } else {
            decode_at(word, None)
        };
        let hex = if prefix >> 26 == 1 {
            format!("{prefix:08x} {word:08x}")
        } else {
            format!("{word:08x}")
        };
        format!("  instruction: {hex}  {}\n", disasm(&i, f.pc))
    };
    match f.kind {
        FaultKind::Illegal {
            word,
            prefix,
            needs,
        } => {
            s.push_str(&insn_line(word, prefix));
            match needs {
                Some(l) => s.push_str(&format!(
                    "  needs {} but the CPU ({}) implements {}\n",
                    l, cpu_desc, level
                )),
                None => s.push_str("  reserved or unknown encoding on every modelled CPU\n"),
            }
        }
        FaultKind::Privileged { word } => {
            s.push_str(&insn_line(word, 0));
            s.push_str("  privileged instruction or SPR in problem state\n");
        }
        FaultKind::Unimplemented { word, prefix } => {
            s.push_str(&insn_line(word, prefix));
            s.push_str(
                "  instruction is valid but not implemented by ppcreplay (a ppcreplay gap)\n",
            );
        }
        FaultKind::Memory(m) => {
            s.push_str(&format!(
                "  {:?} access to {:#x}: {}\n",
                m.access,
                m.addr,
                if m.unmapped {
                    "address not mapped (SEGV_MAPERR)"
                } else {
                    "permission denied (SEGV_ACCERR)"
                }
            ));
        }
        FaultKind::Alignment { addr } => s.push_str(&format!(
            "  alignment interrupt, effective address {addr:#x}\n"
        )),
        FaultKind::Trap => s.push_str("  trap instruction condition met\n"),
        FaultKind::FpEnabled => s.push_str("  enabled floating-point exception\n"),
    }
    s
}

// ---------------------------------------------------------------------------
// migrate
// ---------------------------------------------------------------------------

use crate::migration::harness::{MigrationRun, Outcome, PolicyOutcome};
use crate::migration::policy::{migrate_json, MigrateJson, Setup, Verdict, VerdictJson};

/// One policy's outcome at one checkpoint, machine-readable.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PolicyOutcomeJson {
    /// Verdict.
    #[serde(flatten)]
    pub verdict: VerdictJson,
    /// The destination CPU that ran.
    pub destination: String,
    /// "safe", "unsafe" (accepted, diverged), "over-strict" (rejected, would
    /// have run identically) or "justified" (rejected, would have diverged).
    pub assessment: &'static str,
    /// What happened.
    pub outcome: Outcome,
}

/// One checkpoint, machine-readable.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PointJson {
    /// As requested (`40%`, `1000000`).
    pub at_spec: String,
    /// Instruction count.
    pub at: u64,
    /// Encoded stream size in bytes.
    pub stream_bytes: usize,
    /// blake3 of the stream.
    pub stream_blake3: String,
    /// Whether `cpu/compat` was sent.
    pub sent_compat: bool,
    /// Per policy.
    pub outcomes: Vec<PolicyOutcomeJson>,
}

/// The source side of a run, machine-readable.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SourceRunJson {
    /// The CPU after CAS.
    pub cpu: String,
    /// Negotiated compat mode ("raw" for none).
    pub compat: &'static str,
    /// PCR.
    pub pcr: String,
    /// Instructions of the whole run.
    pub insns: u64,
    /// Exit code of the whole run (128+N for signals).
    pub exit_code: i32,
}

/// The `migrate --json` object for a run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MigrateRunJson {
    /// The verdict part (outcome overwritten).
    #[serde(flatten)]
    pub base: MigrateJson,
    /// Guest path.
    pub guest: String,
    /// The source run.
    pub source: SourceRunJson,
    /// Per checkpoint.
    pub checkpoints: Vec<PointJson>,
}

/// safe / unsafe / over-strict / justified.
pub fn assessment(o: &PolicyOutcome) -> &'static str {
    match (o.verdict.accepted, o.outcome.is_safe()) {
        (true, true) => "safe",
        (true, false) => "unsafe",
        (false, true) => "over-strict",
        (false, false) => "justified",
    }
}

/// The assessment in words.
pub fn assessment_text(o: &PolicyOutcome) -> &'static str {
    match assessment(o) {
        "safe" => "SAFE",
        "unsafe" => "UNSAFE (accepted, but the guest diverges)",
        "over-strict" => "OVER-STRICT (rejected, but the guest would have run identically)",
        _ => "justified reject",
    }
}

/// Builds the JSON object of a `migrate` run; `verdicts` are the primary
/// verdict first, then the others with `--policy all`.
pub fn migrate_run_json(
    s: &Setup,
    guest: &str,
    run: &MigrationRun,
    primary: &Verdict,
    all: Option<&[Verdict]>,
) -> MigrateRunJson {
    let mut base = migrate_json(s, primary, all);
    // The guest's TM enable after CAS (migrate_json assumes machine reset).
    base.cap_htm.guest_tm = run.source.kernel_tm;
    base.outcome = match run.primary_divergence() {
        None => "safe",
        Some(_) => "diverged",
    };
    MigrateRunJson {
        base,
        guest: guest.to_string(),
        source: SourceRunJson {
            cpu: run.source.describe(),
            compat: run.source.compat.name(),
            pcr: format!("{:#x}", run.source.compat.pcr),
            insns: run.source_end.icount,
            exit_code: run.source_end.exit.exit_code(),
        },
        checkpoints: run
            .points
            .iter()
            .map(|p| PointJson {
                at_spec: p.spec.to_string(),
                at: p.at,
                stream_bytes: p.stream_bytes,
                stream_blake3: p.stream_blake3.to_hex().to_string(),
                sent_compat: p.sent_compat,
                outcomes: p
                    .outcomes
                    .iter()
                    .map(|o| PolicyOutcomeJson {
                        verdict: (&o.verdict).into(),
                        destination: o.destination.describe(),
                        assessment: assessment(o),
                        outcome: o.outcome.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Readable lines for a `migrate` run (after the verdict lines).
pub fn migrate_run_text(run: &MigrationRun) -> String {
    let mut s = format!(
        "source:   {} after CAS; runs {} instructions, exit {}\n",
        run.source.describe(),
        run.source_end.icount,
        run.source_end.exit.exit_code()
    );
    for p in &run.points {
        s.push_str(&format!(
            "checkpoint: instruction {} ({}), stream {} bytes{}, blake3 {}\n",
            p.at,
            p.spec,
            p.stream_bytes,
            if p.sent_compat {
                " with cpu/compat"
            } else {
                ""
            },
            &p.stream_blake3.to_hex()[..16]
        ));
        for (i, o) in p.outcomes.iter().enumerate() {
            let lead = if i == 0 { "outcome:  " } else { "  also:   " };
            let policy = if p.outcomes.len() > 1 {
                format!(
                    "[{} {}] ",
                    o.verdict.policy,
                    if o.verdict.accepted {
                        "accept"
                    } else {
                        "reject"
                    }
                )
            } else {
                String::new()
            };
            match &o.outcome {
                Outcome::Safe { digests, insns } => s.push_str(&format!(
                    "{lead}{policy}{} — on {} the guest ran {} instructions identical to the source's continuation ({} state digests, output, exit status)\n",
                    assessment_text(o),
                    o.destination.describe(),
                    insns,
                    digests
                )),
                Outcome::Diverged(d) => {
                    s.push_str(&format!(
                        "{lead}{policy}{} — DIVERGED on {} at instruction {} (pc {:#x}{}): {}\n",
                        assessment_text(o),
                        o.destination.describe(),
                        d.icount,
                        d.pc,
                        d.function.as_deref().map_or(String::new(), |f| format!(", {f}")),
                        d.disasm
                    ));
                    s.push_str(&format!("          class: {} — {}\n", d.class.text(), d.detail));
                    if !d.registers.is_empty() {
                        let shown: Vec<&str> = d.registers.iter().take(6).map(|r| r.as_str()).collect();
                        s.push_str(&format!("          registers: {}\n", shown.join(", ")));
                    }
                    if !d.pages.is_empty() {
                        s.push_str(&format!("          pages differing: {}\n", d.pages.len()));
                    }
                }
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------
// matrix
// ---------------------------------------------------------------------------

use crate::migration::matrix::{Cell, MatrixReport};

/// Grid symbol of a cell.
fn symbol(c: &Cell) -> char {
    match c.assessment() {
        "safe" => 'S',
        "false-accept" => 'U',
        "false-reject" => 'o',
        "untested" => '?',
        _ => 'x',
    }
}

const LEGEND: &str = "S accepted, every guest identical · U FALSE ACCEPT (accepted, some guest diverged) · o false reject (rejected, every guest identical) · x justified reject · ? no guest runs on the source configuration · - QEMU refuses the configuration";

/// (machine, qemu, compat, policy) groups in enumeration order, each with its
/// models (rows = sources, columns = destinations).
/// (machine, qemu, compat, policy).
type GroupKey = (String, String, String, String);

fn groups(rep: &MatrixReport) -> Vec<(GroupKey, Vec<&Cell>)> {
    let mut out: Vec<(GroupKey, Vec<&Cell>)> = Vec::new();
    for c in &rep.cells {
        let k = (
            c.machine.clone(),
            c.qemu.clone(),
            c.compat.clone(),
            c.policy.clone(),
        );
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some((_, v)) => v.push(c),
            None => out.push((k, vec![c])),
        }
    }
    out
}

fn models_of(cells: &[&Cell]) -> Vec<String> {
    let mut m: Vec<String> = Vec::new();
    for c in cells {
        for n in [&c.src, &c.dst] {
            if !m.contains(n) {
                m.push(n.clone());
            }
        }
    }
    m
}

/// The summary table (Markdown, also readable as text).
pub fn matrix_summary(rep: &MatrixReport) -> String {
    let mut s = format!(
        "{} guests, checkpoint at {}, {} cells per policy\n\n",
        rep.guests.len(),
        rep.at,
        rep.summary.first().map_or(0, |p| p.cells),
    );
    s.push_str("| policy | cells | accepted | rejected | false accepts | false rejects |\n|---|---:|---:|---:|---:|---:|\n");
    for p in &rep.summary {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            p.policy, p.cells, p.accepted, p.rejected, p.false_accepts, p.false_rejects
        ));
    }
    s
}

/// The whole matrix as Markdown: summary, then one source×destination grid
/// per machine type, compat and policy. Deterministic (a golden snapshot).
pub fn matrix_markdown(rep: &MatrixReport) -> String {
    let mut s = String::from("# Migration matrix\n\n");
    s.push_str(&matrix_summary(rep));
    s.push_str(&format!("\nLegend: {LEGEND}\n"));
    for ((machine, qemu, compat, policy), cells) in groups(rep) {
        let models = models_of(&cells);
        s.push_str(&format!(
            "\n## {machine} (QEMU {qemu}), max-cpu-compat {compat}, {policy}\n\n```\n{:<14}",
            "src \\ dst"
        ));
        for (i, _) in models.iter().enumerate() {
            s.push_str(&format!(" {i}"));
        }
        s.push('\n');
        for (i, src) in models.iter().enumerate() {
            s.push_str(&format!("{:<11}{i:>2} ", short(src)));
            for dst in &models {
                let c = cells.iter().find(|c| &c.src == src && &c.dst == dst);
                s.push_str(&format!(" {}", c.map_or('-', |c| symbol(c))));
            }
            s.push('\n');
        }
        s.push_str("```\n");
        let bad: Vec<&&Cell> = cells
            .iter()
            .filter(|c| c.assessment() == "false-accept")
            .collect();
        for c in bad {
            let d = &c.diverged[0];
            s.push_str(&format!(
                "- FALSE ACCEPT {} → {} (source in {} mode, {}): {} of {} guests diverged; first: {} at instruction {} `{}` — {}\n",
                c.src, c.dst, c.src_mode, c.rule, c.diverged.len(), c.guests, d.guest, d.icount, d.disasm, d.class
            ));
        }
    }
    s
}

fn short(m: &str) -> String {
    m.chars().take(11).collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A self-contained HTML report: the summary, a coloured source×destination
/// grid per machine type, compat and policy, each cell linking to the list of
/// its divergences.
pub fn matrix_html(rep: &MatrixReport) -> String {
    let mut s = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>ppcreplay migration matrix</title><style>\
body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:3px 6px;text-align:center}\
.S{background:#8d8}.U{background:#e44;color:#fff;font-weight:bold}.o{background:#fd6}.x{background:#ccc}.n{background:#fff}\
td a{color:inherit;text-decoration:none;display:block}</style></head><body><h1>ppcreplay migration matrix</h1>",
    );
    s.push_str("<table><tr><th>policy</th><th>cells</th><th>accepted</th><th>rejected</th><th>false accepts</th><th>false rejects</th></tr>");
    for p in &rep.summary {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.policy),
            p.cells,
            p.accepted,
            p.rejected,
            p.false_accepts,
            p.false_rejects
        ));
    }
    s.push_str(&format!(
        "</table><p>{} guests, checkpoint at {}. {}</p>",
        rep.guests.len(),
        esc(&rep.at),
        esc(LEGEND)
    ));
    let mut details = String::from("<h2>Divergences</h2>");
    let mut id = 0usize;
    for ((machine, qemu, compat, policy), cells) in groups(rep) {
        let models = models_of(&cells);
        s.push_str(&format!(
            "<h2>{} (QEMU {}), max-cpu-compat {}, {}</h2><table><tr><th>src \\ dst</th>",
            esc(&machine),
            esc(&qemu),
            esc(&compat),
            esc(&policy)
        ));
        for m in &models {
            s.push_str(&format!("<th>{}</th>", esc(m)));
        }
        s.push_str("</tr>");
        for src in &models {
            s.push_str(&format!("<tr><th>{}</th>", esc(src)));
            for dst in &models {
                match cells.iter().find(|c| &c.src == src && &c.dst == dst) {
                    None => s.push_str("<td class=\"n\">-</td>"),
                    Some(c) => {
                        let sym = symbol(c);
                        let title = esc(&format!(
                            "{} ({}), source mode {}, {}/{} guests diverged",
                            c.assessment(),
                            c.rule,
                            c.src_mode,
                            c.diverged.len(),
                            c.guests
                        ));
                        if c.diverged.is_empty() {
                            s.push_str(&format!(
                                "<td class=\"{sym}\" title=\"{title}\">{sym}</td>"
                            ));
                        } else {
                            id += 1;
                            s.push_str(&format!(
                                "<td class=\"{sym}\" title=\"{title}\"><a href=\"#d{id}\">{sym}</a></td>"
                            ));
                            details.push_str(&format!(
                                "<h3 id=\"d{id}\">{} {} {} → {} ({}, {}, max-cpu-compat {})</h3><ul>",
                                esc(c.assessment()), esc(&c.policy), esc(&c.src), esc(&c.dst),
                                esc(&c.machine), esc(&c.rule), esc(&c.compat)
                            ));
                            for d in &c.diverged {
                                details.push_str(&format!(
                                    "<li>{}: instruction {} pc {:#x} <code>{}</code> — {}: {}</li>",
                                    esc(&d.guest),
                                    d.icount,
                                    d.pc,
                                    esc(&d.disasm),
                                    esc(&d.class),
                                    esc(&d.detail)
                                ));
                            }
                            details.push_str("</ul>");
                        }
                    }
                }
            }
            s.push_str("</tr>");
        }
        s.push_str("</table>");
    }
    s.push_str(&details);
    s.push_str("</body></html>\n");
    s
}

// ---------------------------------------------------------------------------
// inspect (streams)
// ---------------------------------------------------------------------------

/// A summary of a migration stream: header, CPU, subsections, RAM, kernel
/// and replay position — as JSON (`serde_json::Value`, stable key order).
pub fn stream_summary(st: &crate::migration::stream::Stream) -> serde_json::Value {
    let nonzero = st.ram.iter().filter(|p| p.data.is_some()).count();
    let mut subs = vec!["cpu"];
    for (present, name) in [
        (st.fpu.is_some(), "cpu/fpu"),
        (st.altivec.is_some(), "cpu/altivec"),
        (st.vsx.is_some(), "cpu/vsx"),
        (st.compat.is_some(), "cpu/compat"),
        (st.reservation.is_some(), "cpu/reservation"),
        (st.tm_sprs.is_some(), "cpu/tm-sprs"),
    ] {
        if present {
            subs.push(name);
        }
    }
    serde_json::json!({
        "format_version": st.header.format_version,
        "machine": st.header.machine,
        "source_model": st.header.source_model,
        "source_pvr": format!("{:#010x}", st.header.source_pvr),
        "qemu": st.header.qemu,
        "guest_blake3": st.header.guest_blake3,
        "sections": subs,
        "cpu": {
            "nip": format!("{:#x}", st.cpu.nip),
            "msr": format!("{:#x}", st.cpu.msr),
            "pvr": format!("{:#010x}", st.cpu.sprs.pvr),
            "pcr": format!("{:#x}", st.cpu.sprs.pcr),
            "sanity_fields": st.cpu.sanity.is_some(),
        },
        "compat_pvr": st.compat.map(|c| format!("{:#010x}", c.compat_pvr)),
        "timebase": {
            "tb_freq": st.timebase.tb_freq,
            "tb_offset": st.timebase.tb_offset,
            "guest_timebase": st.timebase.guest_timebase,
        },
        "ram": { "pages": st.ram.len(), "nonzero_pages": nonzero },
        "kernel": {
            "exe": st.kernel.exe_path,
            "brk": format!("{:#x}", st.kernel.brk),
            "stdout_bytes": st.kernel.stdout.len(),
            "syscalls": st.kernel.syscalls,
        },
        "replay": {
            "icount": st.replay.icount,
            "events_consumed": st.replay.events_consumed,
            "entropy_consumed": st.replay.entropy_consumed,
            "seed": st.replay.seed,
            "trace_blake3": st.replay.trace_blake3,
        },
    })
}

/// The stream summary as readable lines.
pub fn stream_text(st: &crate::migration::stream::Stream) -> String {
    let j = stream_summary(st);
    let mut s = String::from("migration stream\n");
    for (k, v) in j.as_object().into_iter().flatten() {
        let v = match v {
            serde_json::Value::String(x) => x.clone(),
            other => other.to_string(),
        };
        s.push_str(&format!("  {k:<15} {v}\n"));
    }
    s
}
