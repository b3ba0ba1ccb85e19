// Where RAM starts on the machines Jumpback's OSes are built for: the bottom layer's one copy of
// the number, which the simulator (src/sim/memory.ts) re-exports.

/** The physical address of the first RAM byte (QEMU virt's DRAM base). */
export const RAM_BASE = 0x8000_0000;
