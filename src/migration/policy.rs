//! QEMU CPU-migration acceptance policies (being written).
