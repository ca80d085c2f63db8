//! The instruction set: one table of instruction definitions, and everything
//! derived from it — the decoder, the encoder (assembler API) and the disassembler.
//!
//! Each row (an [`InsnDef`]) states mnemonic, form, opcode/mask, the ISA level that
//! introduced it, its facility and privilege, and its operand fields. The rows live
//! in `table/<facility>.rs`, one file per facility, each file declaring its own
//! family enum (e.g. [`table::Fixed`]) through the [`isa_family!`] macro. [`Op`]
//! names a row across families; the interpreter dispatches on it.
//!
//! This module knows nothing about execution or machines.

pub mod decode;
pub mod disasm;
pub mod encode;
pub mod form;
pub mod operand;
pub mod table;

pub use decode::{decode, decode_at, Insn};
pub use operand::Operand;
pub use table::Op;

use std::fmt;

/// Power ISA version that introduced an instruction (or that a CPU implements).
/// Ordered: a CPU at level L executes every instruction with level <= L.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IsaLevel {
    /// ISA 2.05 and everything older that a POWER6-class 64-bit server has.
    V2_05,
    /// ISA 2.06 (POWER7).
    V2_06,
    /// ISA 2.07 (POWER8).
    V2_07,
    /// ISA 3.0 / 3.0B (POWER9).
    V3_0,
    /// ISA 3.1 (POWER10, POWER11).
    V3_1,
}

impl IsaLevel {
    /// All levels, oldest first.
    pub const ALL: [IsaLevel; 5] = [
        IsaLevel::V2_05,
        IsaLevel::V2_06,
        IsaLevel::V2_07,
        IsaLevel::V3_0,
        IsaLevel::V3_1,
    ];
    /// "2.06", "3.0", ...
    pub const fn as_str(self) -> &'static str {
        match self {
            IsaLevel::V2_05 => "2.05",
            IsaLevel::V2_06 => "2.06",
            IsaLevel::V2_07 => "2.07",
            IsaLevel::V3_0 => "3.0",
            IsaLevel::V3_1 => "3.1",
        }
    }
    /// The first CPU generation implementing the level.
    pub const fn cpu_name(self) -> &'static str {
        match self {
            IsaLevel::V2_05 => "POWER6",
            IsaLevel::V2_06 => "POWER7",
            IsaLevel::V2_07 => "POWER8",
            IsaLevel::V3_0 => "POWER9",
            IsaLevel::V3_1 => "POWER10",
        }
    }
    /// Parses "2.06", "3.0", "3.00", "3.1", "3.10".
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "2.05" => IsaLevel::V2_05,
            "2.06" => IsaLevel::V2_06,
            "2.07" => IsaLevel::V2_07,
            "3.0" | "3.00" | "3.0B" => IsaLevel::V3_0,
            "3.1" | "3.10" => IsaLevel::V3_1,
            _ => return None,
        })
    }
}

impl fmt::Display for IsaLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ISA {} ({})", self.as_str(), self.cpu_name())
    }
}

/// The facility an instruction belongs to (controls MSR/FSCR enable bits and PCR
/// disable bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Facility {
    /// Fixed-point, branch, storage: always available.
    Base,
    /// Floating point (MSR[FP]).
    Fp,
    /// Vector (VMX/Altivec, MSR[VEC]).
    Vmx,
    /// Vector-scalar (MSR[VSX]).
    Vsx,
    /// Transactional memory.
    Tm,
    /// Decimal floating point.
    Dfp,
    /// Matrix-multiply assist (POWER10).
    Mma,
}

/// Privilege needed to execute an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Privilege {
    /// Problem state (user mode).
    User,
    /// Supervisor (privileged).
    Super,
    /// Hypervisor.
    Hyper,
}

/// Instruction form (Book I §1.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Form {
    I,
    B,
    Sc,
    D,
    Ds,
    Dq,
    Dx,
    X,
    Xl,
    Xfx,
    Xfl,
    Xo,
    Xs,
    A,
    M,
    Md,
    Mds,
    Va,
    Vx,
    Vc,
    Vn,
    Xx1,
    Xx2,
    Xx3,
    Xx4,
    Z23,
    /// Prefixed: 8-byte load/store (type 0).
    P8ls,
    /// Prefixed: 8-byte register-to-register (type 1).
    P8rr,
    /// Prefixed: modified load/store (type 2).
    Pmls,
    /// Prefixed: modified register-to-register (type 3).
    Pmrr,
}

impl Form {
    /// Whether instructions of this form are 8 bytes long.
    pub const fn is_prefixed(self) -> bool {
        matches!(self, Form::P8ls | Form::P8rr | Form::Pmls | Form::Pmrr)
    }
}

/// Flag: the row has an Rc bit (bit 31); `.` is appended when it is set.
pub const RC: u8 = 1;
/// Flag: the row has an OE bit (bit 21); `o` is appended when it is set.
pub const OE: u8 = 2;
/// Flag: the row has an Rc bit at bit 21 (VC form vector compares).
pub const RC21: u8 = 4;

/// One instruction definition: the single source of truth for decode, encode,
/// disassembly and legality.
#[derive(Debug)]
pub struct InsnDef {
    /// Which instruction (names the row across families).
    pub op: Op,
    /// Base mnemonic (without `.`/`o` for rows with the RC/OE flags).
    pub mnemonic: &'static str,
    /// Instruction form.
    pub form: Form,
    /// Opcode bits of the (suffix) word.
    pub opcode: u32,
    /// Mask of the bits that `opcode` fixes (includes reserved-must-be-zero bits).
    pub mask: u32,
    /// For prefixed instructions: (opcode, mask) of the prefix word.
    pub prefix: Option<(u32, u32)>,
    /// [`RC`] / [`OE`] / [`RC21`] flags.
    pub flags: u8,
    /// ISA level that introduced it.
    pub level: IsaLevel,
    /// Facility.
    pub facility: Facility,
    /// Privilege.
    pub privilege: Privilege,
    /// Operands in assembler order.
    pub operands: &'static [Operand],
}

impl InsnDef {
    /// Length in bytes (4, or 8 for prefixed instructions).
    pub const fn byte_len(&self) -> u64 {
        if self.prefix.is_some() {
            8
        } else {
            4
        }
    }
    /// The mask actually compared when decoding (flag bits are free).
    pub const fn match_mask(&self) -> u32 {
        let mut m = self.mask;
        if self.flags & RC != 0 {
            m &= !1;
        }
        if self.flags & OE != 0 {
            m &= !(1 << 10);
        }
        if self.flags & RC21 != 0 {
            m &= !(1 << 10);
        }
        m
    }
}

/// Defines one facility's rows: declares the family enum and the row slice.
///
/// ```text
/// isa_family! { Fixed, FIXED;
///     Add = "add", Xo, form::xo(31, 266), V2_05, Base, User, RC|OE, [Rt, Ra, Rb];
/// }
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! isa_family {
    ($fam:ident, $rows:ident; $( $var:ident = $mn:literal, $form:ident, $om:expr, $lvl:ident, $fac:ident, $prv:ident, $flags:expr, [$($opd:ident),*] $(, prefix = $pfx:expr)? ;)* ) => {
        /// Instructions of this facility (one variant per table row).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum $fam { $($var),* }

        /// The rows of this facility.
        pub static $rows: &[$crate::isa::InsnDef] = &[
            $( $crate::isa::InsnDef {
                op: $crate::isa::Op::$fam($fam::$var),
                mnemonic: $mn,
                form: $crate::isa::Form::$form,
                opcode: $om.0,
                mask: $om.1,
                prefix: $crate::isa_family!(@pfx $($pfx)?),
                flags: $flags,
                level: $crate::isa::IsaLevel::$lvl,
                facility: $crate::isa::Facility::$fac,
                privilege: $crate::isa::Privilege::$prv,
                operands: &[$($crate::isa::Operand::$opd),*],
            } ),*
        ];
    };
    (@pfx) => { None };
    (@pfx $p:expr) => { Some($p) };
}
