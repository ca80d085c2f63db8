//! System rows: SPR and CR moves, MSR access, storage barriers, cache-management
//! hints and `wait` (Power ISA 3.1 Book I §3.3.17, Book II ch. 4-5, Book III).
//!
//! Reserved-bit masks follow QEMU's opcode table (target/ppc/translate.c
//! `inval` masks): e.g. `sync` 0x039FF801 (L in bits 9-10, bit 8 reserved),
//! `eieio` 0x01FFF801, `isync` 0x03FFF801, `dcbz`/`dcbf` 0x03C00001,
//! `dcbst`/`icbi` 0x03E00001, `mfcr`/`mtcrf` 0x00000801 (bit 11 selects the
//! one-field `mfocrf`/`mtocrf` forms).

use crate::isa::form::*;

/// X form on PO 31 with bit 31 reserved.
const fn x0(xo: u32) -> OpMask {
    with(x(31, xo), 31, 31, 0)
}

crate::isa_family! { System, SYSTEM;
    // --- SPR / TB / CR moves ---
    Mfspr = "mfspr", Xfx, x0(339), V2_05, Base, User, 0, [Rt, Spr];
    Mtspr = "mtspr", Xfx, x0(467), V2_05, Base, User, 0, [Spr, Rs];
    Mftb = "mftb", Xfx, x0(371), V2_05, Base, User, 0, [Rt, Tbr];
    Mfcr = "mfcr", Xfx, with(with(x0(19), 11, 11, 0), 20, 20, 0), V2_05, Base, User, 0, [Rt];
    Mfocrf = "mfocrf", Xfx, with(with(x0(19), 11, 11, 1), 20, 20, 0), V2_05, Base, User, 0, [Rt, Fxm1];
    Mtcrf = "mtcrf", Xfx, with(with(x0(144), 11, 11, 0), 20, 20, 0), V2_05, Base, User, 0, [Fxm, Rs];
    Mtocrf = "mtocrf", Xfx, with(with(x0(144), 11, 11, 1), 20, 20, 0), V2_05, Base, User, 0, [Fxm1, Rs];
    // --- MSR (privileged) ---
    Mfmsr = "mfmsr", X, with(x0(83), 11, 20, 0), V2_05, Base, Super, 0, [Rt];
    Mtmsr = "mtmsr", X, with(with(x0(146), 11, 14, 0), 16, 20, 0), V2_05, Base, Super, 0, [Rs, W];
    Mtmsrd = "mtmsrd", X, with(with(x0(178), 11, 14, 0), 16, 20, 0), V2_05, Base, Super, 0, [Rs, W];
    // --- barriers ---
    Sync = "sync", X, with(with(x0(598), 6, 8, 0), 11, 20, 0), V2_05, Base, User, 0, [LSync];
    Eieio = "eieio", X, with(x0(854), 7, 20, 0), V2_05, Base, User, 0, [];
    Isync = "isync", Xl, with(with(x(19, 150), 6, 20, 0), 31, 31, 0), V2_05, Base, User, 0, [];
    // --- cache management (no architected effect in user mode except dcbz) ---
    Dcbt = "dcbt", X, x0(278), V2_05, Base, User, 0, [Ra0, Rb, Th];
    Dcbtst = "dcbtst", X, x0(246), V2_05, Base, User, 0, [Ra0, Rb, Th];
    Dcbf = "dcbf", X, with(x0(86), 6, 9, 0), V2_05, Base, User, 0, [Ra0, Rb];
    Dcbst = "dcbst", X, with(x0(54), 6, 10, 0), V2_05, Base, User, 0, [Ra0, Rb];
    Dcbz = "dcbz", X, with(x0(1014), 6, 9, 0), V2_05, Base, User, 0, [Ra0, Rb];
    Icbi = "icbi", X, with(x0(982), 6, 10, 0), V2_05, Base, User, 0, [Ra0, Rb];
    // cp_abort (ISA 3.0 copy-paste facility): QEMU implements it as a no-op
    // (copy/paste. are illegal there, as here).
    Cpabort = "cpabort", X, with(x0(838), 6, 20, 0), V3_0, Base, User, 0, [];
    // --- wait (ISA 3.0 XO 30; WC in bits 9-10, PL in bits 14-15 from 3.1) ---
    Wait = "wait", X, with(with(with(x0(30), 6, 8, 0), 11, 13, 0), 16, 20, 0), V3_0, Base, User, 0, [Wc];
}
