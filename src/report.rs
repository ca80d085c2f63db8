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
