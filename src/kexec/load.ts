// kexec_load: the checks in Linux's order with Linux's errnos (kexec-linux.md §1.2, §1.3), then
// building the kimage in real pages (§1.4–§1.7). A failed load leaves the old image installed.
import { PAGE_SIZE, PageRole, RAM_BASE, type PhysicalMemory } from '../sim/memory.ts';
import {
  CONTROL_CODE_MAX, CP_FLAGS, CP_HEAD, CP_PA_CONTROL_PAGE, CP_PA_SWAP_PAGE, Errno,
  IND_DESTINATION, IND_SOURCE, KEXEC_ARCH_MASK, KEXEC_ARCH_RISCV, KEXEC_SEGMENT_MAX, SEGMENT_SIZE,
  legalFlags, type Flavour,
} from './abi.ts';
import { KIMAGE_NO_DEST, allocControlPage, allocPage } from './allocator.ts';
import { KexecError } from './errno.ts';
import type { KexecKernel } from './kernel.ts';
import { Kimage, type Segment } from './kimage.ts';

const PAGE_MASK = PAGE_SIZE - 1;

/** §1.2 A.1 and A.4, A.5, B: permission, unknown flag bits, segment count, arch field. */
export function checkLoadArgs(kernel: KexecKernel, nr: number, flags: number): void {
  if (kernel.loadDisabled || kernel.loadLimit === 0) {
    throw new KexecError(Errno.EPERM, 'kexec_load is disabled for this kernel');
  }
  const low = flags & ~KEXEC_ARCH_MASK;
  if ((low & legalFlags(kernel.flavour)) !== low) {
    throw new KexecError(Errno.EINVAL, `unknown flags 0x${(low >>> 0).toString(16)}`);
  }
  if (nr >>> 0 > KEXEC_SEGMENT_MAX) throw new KexecError(Errno.EINVAL, `${nr >>> 0} segments (max 16)`);
  const arch = (flags & KEXEC_ARCH_MASK) >>> 0;
  if (arch !== 0 && arch !== KEXEC_ARCH_RISCV) {
    throw new KexecError(Errno.EINVAL, `arch 0x${arch.toString(16)} is not RISC-V`);
  }
}

/** memdup_array_user: the segment array from the caller's memory, or EFAULT. */
function readSegments(kernel: KexecKernel, mem: PhysicalMemory, pa: number, nr: number): Segment[] {
  const segs: Segment[] = [];
  if (nr === 0) return segs;
  if (!kernel.memory.isUsableRange(pa >>> 0, nr * SEGMENT_SIZE)) {
    throw new KexecError(Errno.EFAULT, `segment array at 0x${(pa >>> 0).toString(16)} is not readable`);
  }
  for (let i = 0; i < nr; i++) {
    const a = (pa >>> 0) + i * SEGMENT_SIZE;
    segs.push({ buf: mem.read32(a), bufsz: mem.read32(a + 4), mem: mem.read32(a + 8), memsz: mem.read32(a + 12) });
  }
  return segs;
}

/**
 * sanity_check_segment_list (§1.3, modern order). `ramEnd` is the exclusive end of RAM: a
 * destination must lie inside RAM (simulator: a segment may end exactly at the end of RAM);
 * `totalPages` is the caller's RAM for the half-of-RAM rule.
 */
function sanityCheckSegments(segs: readonly Segment[], ramEnd: number, totalPages: number): void {
  for (const s of segs) {
    const mstart = s.mem >>> 0;
    const mend = (s.mem + s.memsz) >>> 0;
    if (mstart > mend) throw new KexecError(Errno.EADDRNOTAVAIL, `segment at 0x${hex(mstart)} wraps`);
    if ((mstart & PAGE_MASK) !== 0 || (mend & PAGE_MASK) !== 0) {
      throw new KexecError(Errno.EADDRNOTAVAIL, `segment 0x${hex(mstart)}-0x${hex(mend)} is not page aligned`);
    }
    if (mend > ramEnd || (s.memsz !== 0 && mstart < RAM_BASE)) {
      throw new KexecError(Errno.EADDRNOTAVAIL, `segment 0x${hex(mstart)}-0x${hex(mend)} is outside RAM`);
    }
  }
  // kexec-contract.md §1: a segment with memsz = 0 covers no page, so it overlaps nothing (Linux's
  // half-open test would reject one strictly inside another segment; the contract does not).
  for (let i = 0; i < segs.length; i++) {
    if (segs[i].memsz >>> 0 === 0) continue;
    const mstart = segs[i].mem >>> 0;
    const mend = mstart + (segs[i].memsz >>> 0);
    for (let j = 0; j < i; j++) {
      if (segs[j].memsz >>> 0 === 0) continue;
      const pstart = segs[j].mem >>> 0;
      const pend = pstart + (segs[j].memsz >>> 0);
      if (mend > pstart && mstart < pend) throw new KexecError(Errno.EINVAL, `segments ${j} and ${i} overlap`);
    }
  }
  for (const s of segs) {
    if (s.bufsz >>> 0 > s.memsz >>> 0) throw new KexecError(Errno.EINVAL, `bufsz 0x${hex(s.bufsz)} > memsz`);
  }
  const half = Math.floor(totalPages / 2);
  let total = 0;
  for (const s of segs) {
    const pages = Math.ceil((s.memsz >>> 0) / PAGE_SIZE);
    if (pages > half) throw new KexecError(Errno.EINVAL, `segment of ${pages} pages is over half of RAM`);
    total += pages;
  }
  if (total > half) throw new KexecError(Errno.EINVAL, `segments total ${total} pages, over half of RAM`);
}

/**
 * The LOAD firmware call: kexec_load(entry, nr_segments, segments, flags) with the segment array
 * at physical address `segmentsPa` in the caller's memory. Throws KexecError.
 */
export function kexecLoad(
  kernel: KexecKernel, ctx: LoadContext, entry: number, segmentsPa: number, nr: number, flags: number,
): void {
  checkLoadArgs(kernel, nr, flags);
  loadImage(kernel, ctx, entry, readSegments(kernel, ctx.mem, segmentsPa, nr >>> 0), flags);
}

/** Where the load writes the relocate code and the data-area constants. */
export interface LoadContext {
  mem: PhysicalMemory;
  /** The assembled relocate.S (at most 0x800 bytes), copied into each control page. */
  relocateCode: Uint8Array;
}

/**
 * The whole of kexec_load after the segment array was read: EBUSY, unload, sanity checks,
 * allocation, segment copies; installs the new image only if everything succeeded.
 */
export function loadImage(
  kernel: KexecKernel, ctx: LoadContext, entry: number, segs: Segment[], flags: number,
  /** Host-side buffers per segment (kexec-tools in TypeScript), instead of reading `buf`. */
  data?: ReadonlyArray<Uint8Array | null>,
): void {
  if (kernel.locked) throw new KexecError(Errno.EBUSY, 'kexec_lock is held');
  if (segs.length === 0) {
    unloadImage(kernel);
    return;
  }
  const { mem } = ctx;
  sanityCheckSegments(segs, RAM_BASE + mem.size, kernel.memory.usableCount());
  // Read the callers' buffers now (as memdup would), so pages handed out below cannot alias them.
  const bufs = segs.map((s, i): Buffer => {
    const d = data?.[i];
    return d ? { bytes: d, readable: d.length } : snapshotBuffer(kernel, mem, s);
  });
  const img = new Kimage(mem, kernel.memory, kernel.id, entry, segs.map((s) => ({ ...s })), flags);
  try {
    img.controlPage = allocControlPage(img, PageRole.Control);
    if (img.controlPage < 0) throw new KexecError(Errno.ENOMEM, 'no page for the control page');
    img.swapPage = allocControlPage(img, PageRole.Swap);
    if (img.swapPage < 0) throw new KexecError(Errno.ENOMEM, 'no page for the swap page');
    prepareControlPage(img, ctx.relocateCode);
    for (let i = 0; i < segs.length; i++) loadSegment(img, segs[i], bufs[i]);
    img.terminate();
    mem.write32(img.controlPage + CP_HEAD, img.head);
  } catch (err) {
    img.free();
    throw err;
  }
  if (kernel.loadLimit > 0) kernel.loadLimit--;
  kernel.image?.free();
  kernel.image = img;
}

/** kexec_load with nr_segments = 0 (and UNLOAD): frees the slot's image, if any. */
export function unloadImage(kernel: KexecKernel): void {
  if (kernel.locked) throw new KexecError(Errno.EBUSY, 'kexec_lock is held');
  kernel.image?.free();
  kernel.image = null;
}

/** machine_kexec_prepare: relocate code into [0, 0x800) and the constant data-area words. */
function prepareControlPage(img: Kimage, code: Uint8Array): void {
  if (code.length > CONTROL_CODE_MAX) throw new Error(`relocate code is ${code.length} bytes (max 0x800)`);
  const { mem } = img;
  mem.fill(img.controlPage, PAGE_SIZE, 0);
  mem.writeBytes(img.controlPage, code);
  mem.write32(img.controlPage + CP_PA_CONTROL_PAGE, img.controlPage);
  mem.write32(img.controlPage + CP_PA_SWAP_PAGE, img.swapPage);
  mem.write32(img.controlPage + CP_FLAGS, img.flags);
}

/** The caller's bytes of one segment, and how many of them could be read before a fault. */
interface Buffer {
  bytes: Uint8Array;
  readable: number;
}

function snapshotBuffer(kernel: KexecKernel, mem: PhysicalMemory, s: Segment): Buffer {
  const bufsz = s.bufsz >>> 0;
  const readable = kernel.memory.firstUnusable(s.buf >>> 0, bufsz);
  return { bytes: readable > 0 ? mem.readBytes(s.buf >>> 0, readable) : new Uint8Array(0), readable };
}

/** kimage_load_normal_segment (§1.7): one zeroed source page per destination page, then buf. */
function loadSegment(img: Kimage, s: Segment, buf: Buffer): void {
  const { mem } = img;
  const noPage = (): never => {
    throw new KexecError(Errno.ENOMEM, 'no free page for the image');
  };
  const allocInd = (): number => allocPage(img, KIMAGE_NO_DEST, PageRole.Indirection);
  let maddr = s.mem >>> 0;
  if (!img.addEntry(maddr | IND_DESTINATION, allocInd)) noPage();
  let mbytes = s.memsz >>> 0;
  let ubytes = s.bufsz >>> 0;
  let off = 0;
  while (mbytes > 0) {
    const pfn = allocPage(img, maddr, PageRole.Source);
    if (pfn < 0) noPage();
    const page = mem.addressOf(pfn);
    if (!img.addEntry(page | IND_SOURCE, allocInd)) {
      img.release(pfn);
      noPage();
    }
    mem.fill(page, PAGE_SIZE, 0);
    const mchunk = Math.min(mbytes, PAGE_SIZE);
    const uchunk = Math.min(ubytes, mchunk);
    if (uchunk > 0) {
      if (off + uchunk > buf.readable) {
        throw new KexecError(Errno.EFAULT, `buf 0x${hex(s.buf + off)} is outside the caller's memory`);
      }
      mem.writeBytes(page, buf.bytes.subarray(off, off + uchunk));
    }
    ubytes -= uchunk;
    mbytes -= mchunk;
    off += mchunk;
    maddr += mchunk;
  }
}

function hex(n: number): string {
  return (n >>> 0).toString(16);
}

export type { Flavour };
