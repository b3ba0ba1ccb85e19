// Read-only views of a running machine for library users: a page (owner, role, bytes) and the
// kexec state (kernels, each one's loaded image, its entry list and control page), all plain data
// copied out at the moment of the call, so a test can compare "before" with "after".
import {
  CP_FLAGS, CP_HEAD, CP_PA_CONTROL_PAGE, CP_PA_SWAP_PAGE, CP_SAVED_SP, KCALL_ARGC, KCALL_ARGS, KCALL_ARGS_MAX,
  KCALL_ENTRY, KCALL_MAGIC, KCALL_MAGIC_OFF, type Flavour,
} from '../kexec/abi.ts';
import type { Kexec } from '../kexec/extension.ts';
import type { KexecKernel } from '../kexec/kernel.ts';
import { walkEntries, type Kimage } from '../kexec/kimage.ts';
import { PAGE_ROLE_NAMES, RAM_BASE, type PhysicalMemory } from '../sim/memory.ts';

/** What a page is used for (the memory map's colours). */
export type PageRole =
  | 'free' | 'kernel' | 'source' | 'indirection' | 'control' | 'swap' | 'destination' | 'device buffer'
  | 'framebuffer' | 'reserved';

/** One 4 KiB page of RAM as it is now. */
export interface PageInfo {
  /** Physical address of its first byte. */
  readonly address: number;
  /** The kernel whose page it is (kexec's bookkeeping), or null for nobody. */
  readonly owner: string | null;
  readonly role: PageRole;
  /** A copy of its 4096 bytes. */
  readonly bytes: Uint8Array;
}

/** Which pages {@link Session.pages} lists: every condition given must hold. */
export interface PageFilter {
  owner?: string | null;
  role?: PageRole;
}

/** One (destination, source) pair of an entry list: relocate.S swaps these two pages on a jump. */
export interface SwapPair {
  readonly destination: number;
  readonly source: number;
}

/**
 * The data area of a control page as it is in memory (kexec-contract.md §4). The fields are written at
 * each JUMP/CALL: before the first one they read 0 (or whatever the page held).
 */
export interface ControlPageInfo {
  readonly address: number;
  /** KCALL_MAGIC is set: a jump or call through this page is in progress (its kernel waits in it). */
  readonly inProgress: boolean;
  /** The entry list's head word the jump used. */
  readonly head: number;
  readonly flags: number;
  /** Where the jump entered (image->start at jump time; the jump-back entry after a return). */
  readonly entry: number;
  /** The arguments handed to the peer: a JUMP passes one (its a1), a CALL up to eight. */
  readonly args: readonly number[];
  /** The stack pointer relocate.S saved for the jumping kernel. */
  readonly savedSp: number;
  /** The control page's own address as the data area records it (equals `address` when intact). */
  readonly self: number;
  /** The swap page relocate.S uses, as the data area records it. */
  readonly swapPage: number;
}

/** A loaded kexec image (kexec_load's result), read from the kernel's records and its pages. */
export interface KexecImageInfo {
  /** image->start: where the next jump enters. */
  readonly entry: number;
  /** The kexec_load flags (0x2 = KEXEC_PRESERVE_CONTEXT). */
  readonly flags: number;
  /** The segments as loaded: buffer, its size, destination and memory size. */
  readonly segments: ReadonlyArray<{ readonly buf: number; readonly bufsz: number; readonly mem: number; readonly memsz: number }>;
  readonly controlPage: number;
  readonly swapPage: number;
  /** Addresses of the pages holding the entry list. */
  readonly indirectionPages: readonly number[];
  /** The entry list as it is in memory now, in order. */
  readonly entries: readonly SwapPair[];
  /** Every page the image holds (control, swap, indirection, sources, parked): what it costs its kernel. */
  readonly heldPages: readonly number[];
  readonly control: ControlPageInfo;
}

/** One kernel the KEXEC extension knows. */
export interface KernelInfo {
  readonly name: string;
  /** Its owner id in the page metadata. */
  readonly id: number;
  /** Its code runs now. */
  readonly running: boolean;
  /** It waits inside machine_kexec for a jump back (or a CALL's return). */
  readonly suspended: boolean;
  readonly usablePages: number;
  readonly inUsePages: number;
  /** Its loaded image, or null when nothing is loaded. */
  readonly image: KexecImageInfo | null;
}

/** The KEXEC extension's state. */
export interface KexecState {
  readonly flavour: Flavour;
  /** JUMPs and CALLs that reached machine_kexec so far. */
  readonly jumps: number;
  /** The running kernel's name (null before the first OS). */
  readonly current: string | null;
  readonly kernels: readonly KernelInfo[];
}

/** Page metadata's owner ids -> kernel names, learned from `kernel` events (kernels that left keep theirs). */
export type OwnerNames = ReadonlyMap<number, string>;

/** The page holding physical address `address`; RangeError outside RAM. */
export function pageAt(mem: PhysicalMemory, names: OwnerNames, address: number): PageInfo {
  if (!mem.contains(address, 1)) {
    throw new RangeError(`address 0x${(address >>> 0).toString(16)} is not in RAM [0x${RAM_BASE.toString(16)}, 0x${(RAM_BASE + mem.size).toString(16)})`);
  }
  return pageOf(mem, names, mem.pfnOf(address));
}

function pageOf(mem: PhysicalMemory, names: OwnerNames, pfn: number): PageInfo {
  const id = mem.owner[pfn];
  return {
    address: mem.addressOf(pfn),
    owner: id === 0 ? null : (names.get(id) ?? `#${id}`),
    role: PAGE_ROLE_NAMES[mem.role[pfn]] as PageRole,
    bytes: mem.page(pfn).slice(),
  };
}

/** Every page matching `filter`, lowest address first. */
export function pagesWhere(mem: PhysicalMemory, names: OwnerNames, filter: PageFilter): PageInfo[] {
  const out: PageInfo[] = [];
  for (let pfn = 0; pfn < mem.pageCount; pfn++) {
    const id = mem.owner[pfn];
    if (filter.owner !== undefined && (id === 0 ? null : (names.get(id) ?? `#${id}`)) !== filter.owner) continue;
    if (filter.role !== undefined && PAGE_ROLE_NAMES[mem.role[pfn]] !== filter.role) continue;
    out.push(pageOf(mem, names, pfn));
  }
  return out;
}

/** The KEXEC extension's state, copied out. */
export function kexecState(kexec: Kexec): KexecState {
  const suspended = new Set(kexec.suspendedKernels());
  return {
    flavour: kexec.flavour,
    jumps: kexec.jumps,
    current: kexec.current?.name ?? null,
    kernels: kexec.kernels.map((k) => kernelInfo(kexec.mem, k, k === kexec.current, suspended.has(k))),
  };
}

function kernelInfo(mem: PhysicalMemory, k: KexecKernel, running: boolean, suspended: boolean): KernelInfo {
  let inUse = 0;
  for (let p = 0; p < k.memory.pageCount; p++) inUse += k.memory.usable[p] & k.memory.inUse[p];
  return {
    name: k.name, id: k.id, running, suspended, usablePages: k.memory.usableCount(), inUsePages: inUse,
    image: k.image ? imageInfo(mem, k.image) : null,
  };
}

function imageInfo(mem: PhysicalMemory, img: Kimage): KexecImageInfo {
  const entries: SwapPair[] = [];
  walkEntries(mem, img.head, (destination, source) => entries.push({ destination, source }));
  return {
    entry: img.start,
    flags: img.flags,
    segments: img.segments.map((s) => ({ buf: s.buf, bufsz: s.bufsz, mem: s.mem, memsz: s.memsz })),
    controlPage: img.controlPage,
    swapPage: img.swapPage,
    indirectionPages: img.indirectionPages.map((pfn) => mem.addressOf(pfn)),
    entries,
    heldPages: img.heldFrames().map((pfn) => mem.addressOf(pfn)),
    control: controlPage(mem, img.controlPage),
  };
}

function controlPage(mem: PhysicalMemory, cp: number): ControlPageInfo {
  const word = (off: number): number => mem.read32(cp + off);
  const argc = Math.min(word(KCALL_ARGC), KCALL_ARGS_MAX);
  return {
    address: cp,
    inProgress: word(KCALL_MAGIC_OFF) === KCALL_MAGIC,
    head: word(CP_HEAD),
    flags: word(CP_FLAGS),
    entry: word(KCALL_ENTRY),
    args: Array.from({ length: argc }, (_, i) => word(KCALL_ARGS + 4 * i) | 0),
    savedSp: word(CP_SAVED_SP),
    self: word(CP_PA_CONTROL_PAGE),
    swapPage: word(CP_PA_SWAP_PAGE),
  };
}
