//! The corpus manifest (`corpus/manifest.json`): what each bundled guest is, what
//! it must print and how it must exit (captured from qemu-user when the corpus was
//! built by `corpus/build.sh`).

use std::path::Path;

/// One corpus ELF.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct Entry {
    /// Program name.
    pub name: String,
    /// Path relative to `corpus/`.
    pub elf: String,
    /// "le" or "be".
    pub endian: String,
    /// "none" (freestanding) or "glibc".
    pub libc: String,
    /// The -mcpu it was built for ("power7" … "power10").
    pub mcpu: String,
    /// Minimum ISA level ("2.06" … "3.1").
    pub isa: String,
    /// "int", "fp", "asm", "fault", "loop".
    pub kind: String,
    /// Arguments of the default run.
    pub args: Vec<String>,
    /// Expected stdout of the default run.
    pub stdout: String,
    /// Expected exit code (`None` for programs that never exit).
    pub exit_code: Option<i32>,
    /// Instructions qemu retires for the default run (qemu-insncount).
    pub qemu_insns: Option<u64>,
    /// Arguments for a benchmark-length run.
    #[serde(default)]
    pub bench_args: Vec<String>,
}

impl Entry {
    /// Our CPU model for the build's -mcpu.
    pub fn model_name(&self) -> &'static str {
        match self.mcpu.as_str() {
            "power7" => "power7",
            "power8" => "power8",
            "power9" => "power9",
            _ => "power10",
        }
    }
    /// qemu's -cpu for the build.
    pub fn qemu_cpu(&self) -> &'static str {
        self.model_name()
    }
}

/// Error reading the manifest.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// I/O.
    #[error("reading {path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// JSON.
    #[error("parsing {path}: {source}")]
    Json {
        /// File.
        path: String,
        /// Cause.
        source: serde_json::Error,
    },
}

/// Reads `corpus_dir/manifest.json`.
pub fn load(corpus_dir: &Path) -> Result<Vec<Entry>, ManifestError> {
    let p = corpus_dir.join("manifest.json");
    let path = p.display().to_string();
    let s = std::fs::read_to_string(&p).map_err(|source| ManifestError::Io {
        path: path.clone(),
        source,
    })?;
    serde_json::from_str(&s).map_err(|source| ManifestError::Json { path, source })
}
