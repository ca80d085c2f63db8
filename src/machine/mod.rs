//! Machines: the ELF loader, personalities and the run loop.
