// The KEXEC firmware ABI as numbers: extension id, functions, flags, errnos, entry-list bits and
// the control-page layout (kexec-contract.md §1, §3, §4; kexec-linux.md §1.1, §1.4, §2.4).

/** SBI extension id of KEXEC (firmware-specific range): "\x0A\x00KJ". */
export const KEXEC_EID = 0x0a004b4a;

/** a6 of a KEXEC ecall. */
export const KexecFn = {
  LOAD: 0,
  JUMP: 1,
  CALL: 2,
  UNLOAD: 3,
  RESERVE: 4,
} as const;

/** SBI_ERR_FAILED: a0 of every failed KEXEC call (a1 then holds -errno). */
export const SBI_ERR_FAILED = -1;

/** asm-generic errno values (kexec-linux.md §1.1). */
export const Errno = {
  EPERM: 1,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EINVAL: 22,
  EADDRNOTAVAIL: 99,
} as const;

export const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: 'EPERM', 12: 'ENOMEM', 14: 'EFAULT', 16: 'EBUSY', 22: 'EINVAL', 99: 'EADDRNOTAVAIL',
};

// kexec_load flags (low 16 bits).
export const KEXEC_ON_CRASH = 0x1;
export const KEXEC_PRESERVE_CONTEXT = 0x2;
/** Seed flavour (2007 v7): names from the proposal, values Jumpback's own (kexec-contract.md §1). */
export const KEXEC_PRESERVE_CPU = 0x100;
export const KEXEC_PRESERVE_CPU_EXT = 0x200;
export const KEXEC_PRESERVE_DEVICE = 0x400;
export const KEXEC_ARCH_MASK = 0xffff0000;
/** EM_RISCV (243) << 16. */
export const KEXEC_ARCH_RISCV = 0x00f30000;

/**
 * Which kexec_load the kernel implements: `merged` is Linux 2.6.27+ (one PRESERVE_CONTEXT flag),
 * `seed` the 2007 v7 proposal (separate CPU / CPU_EXT / DEVICE preservation; PRESERVE_CONTEXT =
 * all three).
 */
export type Flavour = 'merged' | 'seed';

/** Legal non-arch flag bits per flavour (KEXEC_FLAGS). ON_CRASH is not: no crash images here. */
export function legalFlags(flavour: Flavour): number {
  return flavour === 'merged'
    ? KEXEC_PRESERVE_CONTEXT
    : KEXEC_PRESERVE_CONTEXT | KEXEC_PRESERVE_CPU | KEXEC_PRESERVE_CPU_EXT | KEXEC_PRESERVE_DEVICE;
}

/** What a load's flags preserve across the jump (merged PRESERVE_CONTEXT = everything). */
export interface Preservation {
  cpu: boolean;
  cpuExt: boolean;
  devices: boolean;
}

export function preservationOf(flags: number): Preservation {
  const all = (flags & KEXEC_PRESERVE_CONTEXT) !== 0;
  return {
    cpu: all || (flags & KEXEC_PRESERVE_CPU) !== 0,
    cpuExt: all || (flags & KEXEC_PRESERVE_CPU_EXT) !== 0,
    devices: all || (flags & KEXEC_PRESERVE_DEVICE) !== 0,
  };
}

export const KEXEC_SEGMENT_MAX = 16;
/** struct kexec_segment on RV32: buf, bufsz, mem, memsz, 4 bytes each. */
export const SEGMENT_SIZE = 16;

// Entry-list words (kexec-linux.md §1.4): a page-aligned physical address ORed with one bit.
export const IND_DESTINATION = 0x1;
export const IND_INDIRECTION = 0x2;
export const IND_DONE = 0x4;
export const IND_SOURCE = 0x8;
export const IND_FLAGS = 0xf;
/** 4-byte entries: 1024 per page, the last kept for the link or IND_DONE. */
export const ENTRIES_PER_PAGE = 1024;

// Control page (kexec-contract.md §4): the one TypeScript definition of its layout. relocate.S
// keeps the same offsets as `.equ`s relative to the data area, and test/kexec/layout.test.ts
// checks both (and the contract's table) agree.
export const CONTROL_CODE_MAX = 0x800;
/** The data area starts where the relocate code's room ends. */
export const CP_DATA = CONTROL_CODE_MAX;
export const CP_SAVED_SP = 0x800;
export const CP_SAVED_SATP = 0x804;
export const CP_SAVED_SSTATUS = 0x808;
export const CP_SAVED_STVEC = 0x80c;
export const CP_SAVED_SSCRATCH = 0x810;
export const CP_SAVED_SEPC = 0x814;
export const CP_SAVED_SIE = 0x818;
export const CP_PA_CONTROL_PAGE = 0x81c;
export const CP_PA_SWAP_PAGE = 0x820;
export const CP_HEAD = 0x824;
export const CP_FLAGS = 0x828;
// Internal data-area words between the firmware and relocate.S (not part of the contract).
/** The caller's resume pc (the JUMP/CALL ecall's pc + 4). */
export const CP_RESUME_PC = 0x82c;
/** The callee's value (a0 at re-entry), handed back in a1. */
export const CP_RETVAL = 0x830;
/** The injected-fault word (faults.ts FAULT_BITS), 0 normally. */
export const CP_FAULTS = 0x834;
/** F4: the page used as the swap page. */
export const CP_FAULT_PAGE = 0x838;
/** F9: the word a plain reboot leaves in the next-time slot. */
export const CP_FAULT_WORD = 0x83c;
export const KCALL_MAGIC_OFF = 0x900;
export const KCALL_ARGC = 0x904;
export const KCALL_ARGS = 0x908;
export const KCALL_ARGS_MAX = 8;
export const KCALL_ENTRY = 0xa00;
/** "KCAL": in KCALL_MAGIC while a call or jump is in progress. */
export const KCALL_MAGIC = 0x4c41434b;

/** LINUX_REBOOT_CMD_KEXEC ("EXEC"); JUMP's a0 may be 0 (default) or this. */
export const LINUX_REBOOT_CMD_KEXEC = 0x45584543;

/**
 * The seed's kexec jump command (v3 added a KJUMP reboot command; v7's "command" parameter could
 * override which non-CPU state is saved and restored around the jump). The value is Jumpback's own
 * (the seed's is unverified, kexec-linux.md §3): high 24 bits "KJM", low byte the overrides.
 * Seed flavour only: the merged code has no command argument.
 */
export const KJUMP_CMD = 0x4b4a4d00;
export const KJUMP_CMD_MASK = 0xffff_ff00;
/** Save and restore device state around this jump even if the image lacks PRESERVE_DEVICE. */
export const KJUMP_SAVE_DEVICES = 0x1;
/** Leave devices untouched for this jump even if the image has PRESERVE_DEVICE. */
export const KJUMP_SKIP_DEVICES = 0x2;

/**
 * Whether JUMP with `command` saves and restores devices, given the image's own choice; null when
 * the command is invalid for the flavour (EINVAL).
 */
export function devicesForCommand(command: number, imageDevices: boolean, flavour: Flavour): boolean | null {
  const cmd = command >>> 0;
  if (cmd === 0 || cmd === LINUX_REBOOT_CMD_KEXEC) return imageDevices;
  if (flavour !== 'seed' || ((cmd & KJUMP_CMD_MASK) >>> 0) !== KJUMP_CMD) return null;
  const overrides = cmd & 0xff;
  if (overrides === 0) return imageDevices;
  if (overrides === KJUMP_SAVE_DEVICES) return true;
  if (overrides === KJUMP_SKIP_DEVICES) return false;
  return null; // both, or an unknown bit
}
