//! Floating-point arithmetic with exact FPSCR semantics (shared by the classic FP,
//! VSX scalar and VSX vector instruction families).
