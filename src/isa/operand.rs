//! Operand fields: where each operand lives in the instruction word(s), how it is
//! extracted and inserted, and how the disassembler prints it.
//!
//! Field positions follow Power ISA 3.1 Book I §1.6.28 ("Instruction Fields").
//! This module knows nothing about semantics.

/// How an operand is printed (objdump style, `-M power10`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// General purpose register, printed `rN`.
    Gpr,
    /// `RA|0`: register, or the literal 0 when the field is 0 (printed `0`).
    Gpr0,
    /// Floating point register `fN`.
    Fpr,
    /// Vector register `vN`.
    Vr,
    /// VSX register `vsN` (0..63).
    Vsr,
    /// CR field `crN` (printed bare for cr0 where objdump omits it).
    CrField,
    /// CR bit `4*crN+eq` style.
    CrBit,
    /// Signed immediate, decimal.
    Simm,
    /// Unsigned immediate, decimal.
    Uimm,
    /// Displacement printed as `d(rA)` together with the following base register.
    Disp,
    /// Branch target relative to the instruction address.
    Rel,
    /// Absolute branch target (AA=1).
    Abs,
    /// MMA accumulator `aN`.
    Acc,
}

/// One operand field. Values are plain integers (signed where the field is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Operand {
    // GPRs
    Rt,
    Rs,
    Ra,
    Ra0,
    Rb,
    /// RC field (bits 21-25) holding a GPR (maddld, isel uses BC instead).
    Rc,
    // FPRs
    Frt,
    Frs,
    Fra,
    Frb,
    Frc,
    // VRs
    Vrt,
    Vrs,
    Vra,
    Vrb,
    Vrc,
    /// VRT field naming VSR 32+n (lxsd, stxsd, lxssp: printed as `vN`).
    VrtDs,
    // VSRs
    /// XT = TX (bit 31) || T (bits 6-10), XX1/XX2/XX3/XX4/X forms.
    Xt,
    /// XS = SX (bit 31) || S, stores.
    Xs,
    /// XT for DQ form lxv/stxv: TX at bit 28.
    XtDq,
    /// XTp for lxvp/stxvp (even pair, TX at bit 10).
    XtpDq,
    /// XT for 8RR/8LS prefixed forms: TX at bit 5 of the suffix (plxv), i.e. PO bit.
    XtPfx,
    /// XT for 8RR:D xxspltiw/xxspltidp: TX at bit 15.
    Xt8rr,
    Xa,
    Xb,
    Xc,
    // Immediates
    Si,
    Ui,
    D,
    Ds,
    Dq,
    /// 34-bit signed displacement of prefixed D-form instructions.
    D34,
    /// 34-bit signed immediate (paddi/pli).
    Si34,
    /// The R bit of a prefixed instruction (PC-relative).
    R,
    /// 32-bit immediate of xxspltiw/xxspltidp.
    Imm32,
    /// 8-bit immediate in the prefix (xxeval).
    Imm8Pfx,
    Li,
    Bd,
    Bo,
    Bi,
    /// BI field printed as a CR bit (isel BC operand, setbc).
    BiCr,
    /// BC field of isel (bits 21-25) as a CR bit.
    BcCr,
    Bt,
    Ba,
    Bb,
    Bh,
    Bf,
    Bfa,
    /// L field for compares (bit 10).
    L10,
    /// L field of darn (bits 14-15).
    L14,
    /// Rotate amount, bits 16-20.
    Sh,
    Mb,
    Me,
    /// 6-bit shift of MD/XS forms (bits 16-20 and bit 30).
    Sh6,
    /// 6-bit mask begin of MD/MDS forms (bits 21-26, high bit at 26).
    Mb6,
    /// 6-bit mask end of MD/MDS forms (same field as Mb6).
    Me6,
    Spr,
    Tbr,
    Fxm,
    /// FXM of mfocrf/mtocrf (one-hot, bits 12-19).
    Fxm1,
    To,
    /// Byte count of lswi/stswi.
    Nb,
    Flm,
    /// L bit of mtfsf (bit 6).
    LFsf,
    /// W bit of mtfsf/mtfsfi (bit 15).
    W,
    /// U field of mtfsfi (bits 16-19).
    U,
    Dm,
    Shw,
    /// UIM of xxspltw (bits 14-15).
    Uim2,
    /// 8-bit immediate of xxspltib (bits 13-20).
    Imm8,
    /// UIM of vsplt[bhw] / vextract (bits 11-15 unsigned; range depends on insn).
    Uim5,
    /// SIM of vspltis[bhw] (bits 11-15 signed).
    Sim5,
    /// SHB of vsldoi (bits 22-25).
    Shb,
    /// SH of vsldbi/vsrdbi (bits 23-25).
    Sh3,
    /// CY field of addex (bits 21-22).
    Cy,
    /// PS bit of bcd ops (bit 22).
    Ps,
    /// DCM/DCMX-style 7-bit data class mask (bits 9-15, xststdcdp uses other layout).
    Dcmx,
    /// RIC/PRS/R style small immediates for cache ops: TH field (bits 6-10).
    Th,
    /// L field of sync (bits 8-10) - printed only when nonzero by the alias rules.
    LSync,
    /// E field of wait (bits 9-10).
    Wc,
    /// MMA accumulator AS field (bits 6-8).
    As,
    /// LEV of sc (bits 20-26).
    Lev,
    /// CT field of icbt (bits 7-10).
    Ct,
    /// DRM/RM immediates of mffscrni (bits 19-20).
    Rm,
    /// UIM of vspltb / vextractub / xxextractuw / xxinsertw (bits 12-15).
    Uim4,
    /// UIM of vsplth (bits 13-15).
    Uim3,
    /// IX of xxsplti32dx (bit 14 of the 8RR suffix).
    Ix,
    /// UIM of xxpermx (prefix bits 29-31).
    Uim3Pfx,
    /// D of DX-form addpcis: d0 (bits 16-25) || d1 (bits 11-15) || d2 (bit 31), signed.
    Dx,
    /// LI of an absolute branch (ba/bla): same field as `Li`, printed as an address.
    LiAbs,
    /// BD of an absolute conditional branch (bca/bcla).
    BdAbs,
    /// EH hint bit of the load-and-reserve instructions (bit 31).
    Eh,
    /// FPSCR bit number of mtfsb0/mtfsb1 (bits 6-10), printed as a number.
    FpscrBit,
    /// DRM immediate of mffscdrni (bits 18-20).
    Drm,
    /// R bit of the Z23-form rounding instructions (xsrqpi: bit 15).
    R15,
    /// RMC rounding-mode control of the Z23 forms (bits 21-22).
    Rmc,
    /// DCMX of xvtstdc[ds]p: dc (bit 25) || dm (bit 29) || dx (bits 11-15).
    DcmxSplit,
    /// MP bit of vcntmb[bhwd] (bit 15).
    Mp,
    /// ST bit of vshasigma[wd] (bit 16).
    St,
    /// SIX field of vshasigma[wd] (bits 17-20).
    Six,
    /// MMIRR prefix XMSK (prefix bits 24-27).
    Xmsk,
    /// MMIRR prefix YMSK (prefix bits 28-31).
    Ymsk,
    /// MMIRR prefix YMSK of pmxvf64ger* (prefix bits 28-29).
    Ymsk2,
    /// MMIRR prefix PMSK of pmxvi4ger8* (prefix bits 16-23).
    Pmsk8,
    /// MMIRR prefix PMSK of pmxvi8ger4* (prefix bits 16-19).
    Pmsk4,
    /// MMIRR prefix PMSK of the rank-2 pmxv*ger2* forms (prefix bits 16-17).
    Pmsk2,
    /// A bit of tend. (bit 6).
    A6,
    /// 5-bit signed immediate in bits 16-20 (SI of tabortwci./tabortdci.).
    Sim5Rb,
}

/// Extracts bits `[first, last]` (ISA numbering) of `w`.
#[inline(always)]
pub const fn bits(w: u32, first: u32, last: u32) -> u32 {
    (w >> (31 - last)) & ((1u32 << (last - first + 1)) - 1)
}

#[inline(always)]
const fn place(first: u32, last: u32, v: u32) -> u32 {
    super::form::field(first, last, v)
}

const fn sext(v: u64, width: u32) -> i64 {
    ((v << (64 - width)) as i64) >> (64 - width)
}

/// Error inserting an operand value that does not fit its field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("operand {operand:?} value {value} out of range {min}..={max}{align}")]
pub struct RangeError {
    /// Which operand.
    pub operand: Operand,
    /// The value given.
    pub value: i64,
    /// Smallest allowed.
    pub min: i64,
    /// Largest allowed.
    pub max: i64,
    /// Alignment requirement text, if any.
    pub align: &'static str,
}

impl Operand {
    /// How the disassembler prints it.
    pub const fn kind(self) -> Kind {
        use Operand::*;
        match self {
            Rt | Rs | Ra | Rb | Rc => Kind::Gpr,
            Ra0 => Kind::Gpr0,
            Frt | Frs | Fra | Frb | Frc => Kind::Fpr,
            Vrt | Vrs | Vra | Vrb | Vrc | VrtDs => Kind::Vr,
            Xt | Xs | XtDq | XtpDq | XtPfx | Xt8rr | Xa | Xb | Xc => Kind::Vsr,
            Bf | Bfa => Kind::CrField,
            Bt | Ba | Bb | BiCr | BcCr => Kind::CrBit,
            Si | Si34 | Sim5 | Sim5Rb => Kind::Simm,
            D | Ds | Dq | D34 => Kind::Disp,
            Li | Bd => Kind::Rel,
            LiAbs | BdAbs => Kind::Abs,
            Dx => Kind::Simm,
            As => Kind::Acc,
            _ => Kind::Uimm,
        }
    }

    /// (min, max, alignment) of the operand's value.
    pub const fn range(self) -> (i64, i64, i64) {
        use Operand::*;
        match self {
            Rt | Rs | Ra | Ra0 | Rb | Rc | Frt | Frs | Fra | Frb | Frc | Vrt | Vrs | Vra | Vrb
            | Vrc | VrtDs | Bo | Bi | BiCr | BcCr | Bt | Ba | Bb | Sh | Mb | Me | To | Nb
            | Uim5 | Th => (0, 31, 1),
            Xt | Xs | XtDq | XtPfx | Xt8rr | Xa | Xb | Xc => (0, 63, 1),
            XtpDq => (0, 62, 2),
            Si | D => (-32768, 32767, 1),
            Ui => (0, 65535, 1),
            Ds => (-32768, 32764, 4),
            Dq => (-32768, 32752, 16),
            D34 | Si34 => (-(1 << 33), (1 << 33) - 1, 1),
            R | L10 | LFsf | W | Ps => (0, 1, 1),
            Imm32 => (0, u32::MAX as i64, 1),
            Imm8Pfx | Imm8 | Fxm | Fxm1 | Flm => (0, 255, 1),
            Li => (-(1 << 25), (1 << 25) - 4, 4),
            Bd => (-(1 << 15), (1 << 15) - 4, 4),
            Bh | Dm | Shw | Uim2 | Cy | L14 | Wc | Rm => (0, 3, 1),
            Uim4 => (0, 15, 1),
            Uim3 | Uim3Pfx => (0, 7, 1),
            Dx => (-32768, 32767, 1),
            LiAbs => (-(1 << 25), (1 << 25) - 4, 4),
            BdAbs => (-(1 << 15), (1 << 15) - 4, 4),
            Eh => (0, 1, 1),
            Ix => (0, 1, 1),
            Bf | Bfa | Sh3 | LSync | As => (0, 7, 1),
            Sh6 | Mb6 | Me6 => (0, 63, 1),
            Spr | Tbr => (0, 1023, 1),
            U | Shb | Ct => (0, 15, 1),
            Sim5 | Sim5Rb => (-16, 15, 1),
            Dcmx => (0, 127, 1),
            Lev => (0, 127, 1),
            FpscrBit => (0, 31, 1),
            Drm => (0, 7, 1),
            R15 => (0, 1, 1),
            Rmc => (0, 3, 1),
            DcmxSplit => (0, 127, 1),
            Mp | St | A6 => (0, 1, 1),
            Six | Xmsk | Ymsk | Pmsk4 => (0, 15, 1),
            Ymsk2 | Pmsk2 => (0, 3, 1),
            Pmsk8 => (0, 255, 1),
        }
    }

    /// Extracts the operand from the (prefix, suffix) words. `pfx` is 0 for
    /// word instructions.
    #[inline]
    pub const fn get(self, pfx: u32, w: u32) -> i64 {
        use Operand::*;
        let v: u32 = match self {
            Rt | Rs | Frt | Frs | Vrt | Vrs | Bo | Bt | To | Th => bits(w, 6, 10),
            Ra | Ra0 | Fra | Vra | Bi | BiCr | Ba | Uim5 => bits(w, 11, 15),
            Rb | Frb | Vrb | Bb | Sh | Nb => bits(w, 16, 20),
            Rc | Frc | Vrc | Mb | BcCr => bits(w, 21, 25),
            Me => bits(w, 26, 30),
            VrtDs => bits(w, 6, 10),
            Xt | Xs => bits(w, 6, 10) | (bits(w, 31, 31) << 5),
            XtDq => bits(w, 6, 10) | (bits(w, 28, 28) << 5),
            XtpDq => (bits(w, 6, 9) << 1) | (bits(w, 10, 10) << 5),
            XtPfx => bits(w, 6, 10) | (bits(w, 5, 5) << 5),
            Xt8rr => bits(w, 6, 10) | (bits(w, 15, 15) << 5),
            Xa => bits(w, 11, 15) | (bits(w, 29, 29) << 5),
            Xb => bits(w, 16, 20) | (bits(w, 30, 30) << 5),
            Xc => bits(w, 21, 25) | (bits(w, 28, 28) << 5),
            Si | D => return sext(bits(w, 16, 31) as u64, 16),
            Ui => bits(w, 16, 31),
            Ds => return sext((bits(w, 16, 29) << 2) as u64, 16),
            Dq => return sext((bits(w, 16, 27) << 4) as u64, 16),
            D34 | Si34 => {
                return sext(
                    ((bits(pfx, 14, 31) as u64) << 16) | bits(w, 16, 31) as u64,
                    34,
                )
            }
            R => bits(pfx, 11, 11),
            Imm32 => (bits(pfx, 16, 31) << 16) | bits(w, 16, 31),
            Imm8Pfx => bits(pfx, 24, 31),
            Li => return sext((bits(w, 6, 29) << 2) as u64, 26),
            Bd => return sext((bits(w, 16, 29) << 2) as u64, 16),
            Bh => bits(w, 19, 20),
            Bf => bits(w, 6, 8),
            Bfa => bits(w, 11, 13),
            L10 => bits(w, 10, 10),
            L14 => bits(w, 14, 15),
            Sh6 => bits(w, 16, 20) | (bits(w, 30, 30) << 5),
            Mb6 | Me6 => {
                let f = bits(w, 21, 26);
                ((f & 1) << 5) | (f >> 1)
            }
            Spr | Tbr => bits(w, 11, 15) | (bits(w, 16, 20) << 5),
            Fxm | Fxm1 => bits(w, 12, 19),
            Flm => bits(w, 7, 14),
            LFsf => bits(w, 6, 6),
            W => bits(w, 15, 15),
            U => bits(w, 16, 19),
            Dm | Shw => bits(w, 22, 23),
            Uim2 => bits(w, 14, 15),
            Imm8 => bits(w, 13, 20),
            Sim5 => return sext(bits(w, 11, 15) as u64, 5),
            Shb => bits(w, 22, 25),
            Sh3 => bits(w, 23, 25),
            Cy => bits(w, 21, 22),
            Ps => bits(w, 22, 22),
            Dcmx => bits(w, 9, 15),
            LSync => bits(w, 8, 10),
            Wc => bits(w, 9, 10),
            As => bits(w, 6, 8),
            Lev => bits(w, 20, 26),
            Ct => bits(w, 7, 10),
            Rm => bits(w, 19, 20),
            FpscrBit => bits(w, 6, 10),
            Drm => bits(w, 18, 20),
            Uim4 => bits(w, 12, 15),
            Uim3 => bits(w, 13, 15),
            Ix => bits(w, 14, 14),
            Uim3Pfx => bits(pfx, 29, 31),
            Dx => {
                return sext(
                    ((bits(w, 16, 25) << 6) | (bits(w, 11, 15) << 1) | bits(w, 31, 31)) as u64,
                    16,
                )
            }
            LiAbs => return sext((bits(w, 6, 29) << 2) as u64, 26),
            BdAbs => return sext((bits(w, 16, 29) << 2) as u64, 16),
            Eh => bits(w, 31, 31),
            R15 => bits(w, 15, 15),
            Rmc => bits(w, 21, 22),
            DcmxSplit => (bits(w, 25, 25) << 6) | (bits(w, 29, 29) << 5) | bits(w, 11, 15),
            Mp => bits(w, 15, 15),
            St => bits(w, 16, 16),
            Six => bits(w, 17, 20),
            Xmsk => bits(pfx, 24, 27),
            Ymsk => bits(pfx, 28, 31),
            Ymsk2 => bits(pfx, 28, 29),
            Pmsk8 => bits(pfx, 16, 23),
            Pmsk4 => bits(pfx, 16, 19),
            Pmsk2 => bits(pfx, 16, 17),
            A6 => bits(w, 6, 6),
            Sim5Rb => return sext(bits(w, 16, 20) as u64, 5),
        };
        v as i64
    }

    /// Inserts a value, returning the (prefix, suffix) bits to OR in.
    pub fn put(self, v: i64) -> Result<(u32, u32), RangeError> {
        use Operand::*;
        let (min, max, align) = self.range();
        if v < min || v > max || v % align != 0 {
            return Err(RangeError {
                operand: self,
                value: v,
                min,
                max,
                align: match align {
                    2 => " (even)",
                    4 => " (multiple of 4)",
                    16 => " (multiple of 16)",
                    _ => "",
                },
            });
        }
        let u = v as u32;
        let w = match self {
            Rt | Rs | Frt | Frs | Vrt | Vrs | Bo | Bt | To | Th | VrtDs => place(6, 10, u),
            Ra | Ra0 | Fra | Vra | Bi | BiCr | Ba | Uim5 => place(11, 15, u),
            Rb | Frb | Vrb | Bb | Sh | Nb => place(16, 20, u),
            Rc | Frc | Vrc | Mb | BcCr => place(21, 25, u),
            Me => place(26, 30, u),
            Xt | Xs => place(6, 10, u) | place(31, 31, u >> 5),
            XtDq => place(6, 10, u) | place(28, 28, u >> 5),
            XtpDq => place(6, 9, (u & 31) >> 1) | place(10, 10, u >> 5),
            XtPfx => place(6, 10, u) | place(5, 5, u >> 5),
            Xt8rr => place(6, 10, u) | place(15, 15, u >> 5),
            Xa => place(11, 15, u) | place(29, 29, u >> 5),
            Xb => place(16, 20, u) | place(30, 30, u >> 5),
            Xc => place(21, 25, u) | place(28, 28, u >> 5),
            Si | D | Ui => place(16, 31, u),
            Ds => place(16, 29, u >> 2),
            Dq => place(16, 27, u >> 4),
            D34 | Si34 => {
                let x = v as u64;
                return Ok((
                    place(14, 31, ((x >> 16) & 0x3ffff) as u32),
                    place(16, 31, x as u32),
                ));
            }
            R => return Ok((place(11, 11, u), 0)),
            Imm32 => return Ok((place(16, 31, u >> 16), place(16, 31, u))),
            Imm8Pfx => return Ok((place(24, 31, u), 0)),
            Li => place(6, 29, u >> 2),
            Bd => place(16, 29, u >> 2),
            Bh => place(19, 20, u),
            Bf => place(6, 8, u),
            Bfa => place(11, 13, u),
            L10 => place(10, 10, u),
            L14 => place(14, 15, u),
            Sh6 => place(16, 20, u) | place(30, 30, u >> 5),
            Mb6 | Me6 => place(21, 26, ((u & 31) << 1) | (u >> 5)),
            Spr | Tbr => place(11, 15, u & 31) | place(16, 20, u >> 5),
            Fxm | Fxm1 => place(12, 19, u),
            Flm => place(7, 14, u),
            LFsf => place(6, 6, u),
            W => place(15, 15, u),
            U => place(16, 19, u),
            Dm | Shw => place(22, 23, u),
            Uim2 => place(14, 15, u),
            Imm8 => place(13, 20, u),
            Sim5 => place(11, 15, u),
            Shb => place(22, 25, u),
            Sh3 => place(23, 25, u),
            Cy => place(21, 22, u),
            Ps => place(22, 22, u),
            Dcmx => place(9, 15, u),
            LSync => place(8, 10, u),
            Wc => place(9, 10, u),
            As => place(6, 8, u),
            Lev => place(20, 26, u),
            Ct => place(7, 10, u),
            Rm => place(19, 20, u),
            FpscrBit => place(6, 10, u),
            Drm => place(18, 20, u),
            Uim4 => place(12, 15, u),
            Uim3 => place(13, 15, u),
            Ix => place(14, 14, u),
            Uim3Pfx => return Ok((place(29, 31, u), 0)),
            Dx => place(16, 25, u >> 6) | place(11, 15, u >> 1) | place(31, 31, u),
            LiAbs => place(6, 29, u >> 2),
            BdAbs => place(16, 29, u >> 2),
            Eh => place(31, 31, u),
            R15 => place(15, 15, u),
            Rmc => place(21, 22, u),
            DcmxSplit => place(25, 25, u >> 6) | place(29, 29, u >> 5) | place(11, 15, u),
            Mp => place(15, 15, u),
            St => place(16, 16, u),
            Six => place(17, 20, u),
            Xmsk => return Ok((place(24, 27, u), 0)),
            Ymsk => return Ok((place(28, 31, u), 0)),
            Ymsk2 => return Ok((place(28, 29, u), 0)),
            Pmsk8 => return Ok((place(16, 23, u), 0)),
            Pmsk4 => return Ok((place(16, 19, u), 0)),
            Pmsk2 => return Ok((place(16, 17, u), 0)),
            A6 => place(6, 6, u),
            Sim5Rb => place(16, 20, u),
        };
        Ok((0, w))
    }

    /// Whether the operand lives (partly) in the prefix word.
    pub const fn in_prefix(self) -> bool {
        matches!(
            self,
            Operand::D34
                | Operand::Si34
                | Operand::R
                | Operand::Imm32
                | Operand::Imm8Pfx
                | Operand::Uim3Pfx
                | Operand::Xmsk
                | Operand::Ymsk
                | Operand::Ymsk2
                | Operand::Pmsk8
                | Operand::Pmsk4
                | Operand::Pmsk2
        )
    }
}
