//! The encoder (assembler API), derived from the table. Tests and property tests
//! build guest code with it: `asm("addo.", &[3, 4, 5])`.

use super::operand::RangeError;
use super::table::all;
use super::{InsnDef, OE, RC, RC21};

/// An encoded instruction: one word, or a prefix and a suffix word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encoded {
    /// Prefix word of an 8-byte instruction.
    pub prefix: Option<u32>,
    /// The (suffix) word.
    pub word: u32,
}

impl Encoded {
    /// The words in memory order (prefix first).
    pub fn words(&self) -> Vec<u32> {
        match self.prefix {
            Some(p) => vec![p, self.word],
            None => vec![self.word],
        }
    }
    /// The bytes as stored in memory with the given endianness.
    pub fn bytes(&self, little_endian: bool) -> Vec<u8> {
        self.words()
            .into_iter()
            .flat_map(|w| {
                if little_endian {
                    w.to_le_bytes()
                } else {
                    w.to_be_bytes()
                }
            })
            .collect()
    }
}

/// Why an instruction could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// No row has this mnemonic.
    #[error("unknown mnemonic `{0}`")]
    UnknownMnemonic(String),
    /// Wrong number of operands.
    #[error("`{mnemonic}` takes {expected} operands, got {got}")]
    OperandCount {
        /// Mnemonic.
        mnemonic: &'static str,
        /// Operands the row has.
        expected: usize,
        /// Operands given.
        got: usize,
    },
    /// An operand does not fit its field.
    #[error("`{mnemonic}`: {source}")]
    Range {
        /// Mnemonic.
        mnemonic: &'static str,
        /// Detail.
        source: RangeError,
    },
    /// An operand value sets bits the row fixes (a sub-opcode or a reserved field
    /// that must hold a specific value, e.g. `addex` with CY != 0).
    #[error("`{mnemonic}`: operand {operand:?} value {value} sets bits the encoding fixes")]
    FixedBits {
        /// Mnemonic.
        mnemonic: &'static str,
        /// The operand.
        operand: super::Operand,
        /// The value given.
        value: i64,
    },
    /// `.` or `o` given for a row without that bit.
    #[error("`{0}` has no record/overflow form")]
    NoSuchForm(String),
}

/// Encodes a row with operand values (in assembler order) and the Rc/OE bits.
pub fn encode_def(
    def: &'static InsnDef,
    operands: &[i64],
    rc: bool,
    oe: bool,
) -> Result<Encoded, EncodeError> {
    if operands.len() != def.operands.len() {
        return Err(EncodeError::OperandCount {
            mnemonic: def.mnemonic,
            expected: def.operands.len(),
            got: operands.len(),
        });
    }
    let mut word = def.opcode;
    let mut prefix = def.prefix.map(|p| p.0);
    for (o, &v) in def.operands.iter().zip(operands) {
        let (p, w) = o.put(v).map_err(|source| EncodeError::Range {
            mnemonic: def.mnemonic,
            source,
        })?;
        word |= w;
        if let Some(pf) = prefix.as_mut() {
            *pf |= p;
        }
    }
    if rc {
        if def.flags & RC != 0 {
            word |= 1;
        } else if def.flags & RC21 != 0 {
            word |= 1 << 10;
        } else {
            return Err(EncodeError::NoSuchForm(format!("{}.", def.mnemonic)));
        }
    }
    if oe {
        if def.flags & OE == 0 {
            return Err(EncodeError::NoSuchForm(format!("{}o", def.mnemonic)));
        }
        word |= 1 << 10;
    }
    // Operand bits inside the fixed mask must agree with the opcode, and every
    // operand must read back: otherwise the word would not carry the values given
    // (and may decode as another row, or as illegal).
    let clash_w = (word ^ def.opcode) & def.match_mask();
    let clash_p = match (prefix, def.prefix) {
        (Some(p), Some((po, pm))) => (p ^ po) & pm,
        _ => 0,
    };
    for (o, &v) in def.operands.iter().zip(operands) {
        let (p, w) = o.put(v).unwrap_or((0, 0));
        if w & clash_w != 0 || p & clash_p != 0 || o.get(prefix.unwrap_or(0), word) != v {
            return Err(EncodeError::FixedBits {
                mnemonic: def.mnemonic,
                operand: *o,
                value: v,
            });
        }
    }
    Ok(Encoded { prefix, word })
}

/// Encodes by mnemonic, accepting the `o` and `.` suffixes of rows that have them
/// (`addo.`), e.g. `asm("rldicl", &[3, 4, 0, 32])`.
pub fn asm(mnemonic: &str, operands: &[i64]) -> Result<Encoded, EncodeError> {
    if let Some(def) = all().iter().find(|d| d.mnemonic == mnemonic) {
        return encode_def(def, operands, false, false);
    }
    let (base, rc) = match mnemonic.strip_suffix('.') {
        Some(b) => (b, true),
        None => (mnemonic, false),
    };
    if let Some(def) = all().iter().find(|d| d.mnemonic == base) {
        return encode_def(def, operands, rc, false);
    }
    if let Some(b) = base.strip_suffix('o') {
        if let Some(def) = all().iter().find(|d| d.mnemonic == b && d.flags & OE != 0) {
            return encode_def(def, operands, rc, true);
        }
    }
    Err(EncodeError::UnknownMnemonic(mnemonic.to_string()))
}
