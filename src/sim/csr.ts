// CSR numbers, mstatus/mip bit masks and trap causes of the RV32 privileged spec (the subset we implement).

export const CSR = {
  // Unprivileged counters (read-only shadows).
  cycle: 0xc00, time: 0xc01, instret: 0xc02, cycleh: 0xc80, timeh: 0xc81, instreth: 0xc82,
  // Supervisor.
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, sscratch: 0x140, sepc: 0x141,
  scause: 0x142, stval: 0x143, sip: 0x144, satp: 0x180,
  // Machine.
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
  mcounteren: 0x306, mstatush: 0x310, mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343,
  mip: 0x344, pmpcfg0: 0x3a0, pmpaddr0: 0x3b0, mcycle: 0xb00, minstret: 0xb02, mcycleh: 0xb80,
  minstreth: 0xb82,
  // Debug trigger module (Sdtrig): present, but with no trigger behind it (see TINFO_NO_TRIGGER).
  tselect: 0x7a0, tdata1: 0x7a1, tdata2: 0x7a2, tdata3: 0x7a3, tinfo: 0x7a4,
} as const;

/**
 * What the trigger CSRs read on this hart, which has no triggers: tselect 0 (the only index it can
 * hold; writes of others are WARL-ignored), tdata1..3 0 (tdata1.type 0 = "no trigger at this
 * tselect"), tinfo 1 ("this trigger doesn't exist"), every write ignored. Debug-aware code probing
 * with the debug spec's enumeration (write tselect, read it back, read tinfo or tdata1.type) finds
 * no triggers without taking an illegal-instruction trap.
 */
export const TINFO_NO_TRIGGER = 1;

/** mstatus fields (RV32). */
export const MSTATUS = {
  SIE: 1 << 1, MIE: 1 << 3, SPIE: 1 << 5, MPIE: 1 << 7, SPP: 1 << 8, MPP: 3 << 11, MPP_SHIFT: 11,
  MPRV: 1 << 17, SUM: 1 << 18, MXR: 1 << 19, TVM: 1 << 20, TW: 1 << 21, TSR: 1 << 22,
} as const;

/** Bits software may change in mstatus (no F/V/H: FS, VS, XS, SD, UBE/SBE/MBE read as zero). */
export const MSTATUS_WRITABLE =
  MSTATUS.SIE | MSTATUS.MIE | MSTATUS.SPIE | MSTATUS.MPIE | MSTATUS.SPP | MSTATUS.MPP |
  MSTATUS.MPRV | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR;
/** The S-mode view of mstatus. */
export const SSTATUS_MASK = MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SUM | MSTATUS.MXR;

/** Interrupt numbers = bit positions in mip/mie and the low bits of an interrupt mcause. */
export const IRQ = { SSI: 1, MSI: 3, STI: 5, MTI: 7, SEI: 9, MEI: 11 } as const;
export const MIP = {
  SSIP: 1 << IRQ.SSI, MSIP: 1 << IRQ.MSI, STIP: 1 << IRQ.STI, MTIP: 1 << IRQ.MTI,
  SEIP: 1 << IRQ.SEI, MEIP: 1 << IRQ.MEI,
} as const;
/** Interrupts that exist (mie writable bits). */
export const MIE_WRITABLE = MIP.SSIP | MIP.MSIP | MIP.STIP | MIP.MTIP | MIP.SEIP | MIP.MEIP;
/** mip bits M-mode software may write; MTIP/MSIP/MEIP come from devices. */
export const MIP_WRITABLE = MIP.SSIP | MIP.STIP | MIP.SEIP;
/** Interrupts that can be delegated to S-mode (mideleg writable bits), as in QEMU. */
export const MIDELEG_WRITABLE = MIP.SSIP | MIP.STIP | MIP.SEIP;
/** Taken order when several are pending: MEI > MSI > MTI > SEI > SSI > STI (privileged spec 3.1.9). */
export const IRQ_PRIORITY: readonly number[] = [IRQ.MEI, IRQ.MSI, IRQ.MTI, IRQ.SEI, IRQ.SSI, IRQ.STI];

/** Synchronous exception causes. */
export const CAUSE = {
  FETCH_MISALIGNED: 0, FETCH_ACCESS: 1, ILLEGAL: 2, BREAKPOINT: 3, LOAD_MISALIGNED: 4,
  LOAD_ACCESS: 5, STORE_MISALIGNED: 6, STORE_ACCESS: 7, ECALL_U: 8, ECALL_S: 9, ECALL_M: 11,
  FETCH_PAGE: 12, LOAD_PAGE: 13, STORE_PAGE: 15,
} as const;
/** Exceptions medeleg can delegate (QEMU's DELEGABLE_EXCPS without the hypervisor ones). */
export const MEDELEG_WRITABLE = 0xb3ff & ~(1 << 10);
export const INTERRUPT_BIT = 0x8000_0000 | 0;

/** misa for RV32 with I, M, S, U (MXL = 1): what we implement. */
export const MISA = (1 << 30) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

/** satp.MODE (bit 31) selects Sv32; only Bare (0) is implemented, so such writes are ignored (WARL). */
export const SATP_MODE = 0x8000_0000 | 0;
