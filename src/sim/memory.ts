// Physical RAM of the simulated machine: one ArrayBuffer in 4 KiB pages, with per-page metadata
// (owner, role, generation) kept beside it for the memory map, the kexec subsystem and goals.
// The bytes are the truth; the metadata only describes them.

import { RAM_BASE } from '../os/layout.ts';

/** Physical address of the first byte of RAM (QEMU "virt"); defined by the OS layer below. */
export { RAM_BASE };
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const MIN_RAM_SIZE = 1024 * 1024;
/** 2 GiB is the most RAM the 0x8000_0000..0xFFFF_FFFF window can hold. */
export const MAX_RAM_SIZE = 0x8000_0000;
export const DEFAULT_RAM_SIZE = 16 * 1024 * 1024;

/** What a page is used for. Stored as one byte per page in {@link PhysicalMemory.role}. */
export const enum PageRole {
  Free = 0,
  Kernel = 1,
  Source = 2,
  Indirection = 3,
  Control = 4,
  Swap = 5,
  Destination = 6,
  DeviceBuffer = 7,
  Framebuffer = 8,
  Reserved = 9,
}

export const PAGE_ROLE_NAMES: readonly string[] = [
  'free', 'kernel', 'source', 'indirection', 'control', 'swap', 'destination', 'device buffer',
  'framebuffer', 'reserved',
];

export class PhysicalMemory {
  readonly size: number;
  readonly pageCount: number;
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  /** Little-endian word view (the host is little-endian, as is RISC-V). Index = offset >> 2. */
  readonly i32: Int32Array;
  readonly view: DataView;
  /** Per page: owning OS id (0 = none). */
  readonly owner: Uint8Array;
  /** Per page: a {@link PageRole}. */
  readonly role: Uint8Array;
  /**
   * Per page: bumped on every write to the page (by the CPU, devices, kexec or a snapshot restore)
   * and on every owner/role change, so the renderer redraws only pages whose generation moved.
   */
  readonly generation: Uint32Array;
  /**
   * Per page: the generation as owner/role changes alone have moved it; equal to `generation`
   * while nothing has written the page since the RAM was created (its bytes are still what RAM
   * was filled with then, zeros or a level's noise), apart for good once anything writes it.
   * 16 bits (2 bytes a page, sim.bytes.per.page): it only moves while equal to the generation, so
   * at 65536 metadata changes it wraps, stays apart, and the page counts as written: a slower
   * intact check for that page, never a wrong one.
   */
  readonly metaGeneration: Uint16Array;

  constructor(size: number = DEFAULT_RAM_SIZE) {
    if (!Number.isInteger(size) || size < MIN_RAM_SIZE || size > MAX_RAM_SIZE || size % PAGE_SIZE !== 0) {
      throw new RangeError(
        `RAM size ${size} is invalid: it must be a multiple of 4 KiB between 1 MiB and 2 GiB`,
      );
    }
    this.size = size;
    this.pageCount = size >>> PAGE_SHIFT;
    this.buffer = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.owner = new Uint8Array(this.pageCount);
    this.role = new Uint8Array(this.pageCount);
    this.generation = new Uint32Array(this.pageCount);
    this.metaGeneration = new Uint16Array(this.pageCount);
  }

  /** Byte offset into RAM of physical address `pa`, or -1 when `pa` is not RAM. */
  offsetOf(pa: number): number {
    const off = (pa >>> 0) - RAM_BASE;
    return off >= 0 && off < this.size ? off : -1;
  }

  /** True when [pa, pa + length) lies entirely in RAM. */
  contains(pa: number, length: number): boolean {
    const off = (pa >>> 0) - RAM_BASE;
    return off >= 0 && length >= 0 && off + length <= this.size;
  }

  /** Page frame number of physical address `pa` (which must be in RAM). */
  pfnOf(pa: number): number {
    return ((pa >>> 0) - RAM_BASE) >>> PAGE_SHIFT;
  }

  /** Physical address of the first byte of page frame `pfn`. */
  addressOf(pfn: number): number {
    return RAM_BASE + pfn * PAGE_SIZE;
  }

  /** Marks every page overlapping [offset, offset + length) as changed. */
  touch(offset: number, length: number): void {
    if (length <= 0) return;
    const last = (offset + length - 1) >>> PAGE_SHIFT;
    for (let pfn = offset >>> PAGE_SHIFT; pfn <= last; pfn++) this.generation[pfn]++;
  }

  read8(pa: number): number {
    return this.u8[this.checked(pa, 1)];
  }

  read32(pa: number): number {
    return this.view.getUint32(this.checked(pa, 4), true);
  }

  write8(pa: number, value: number): void {
    const off = this.checked(pa, 1);
    this.u8[off] = value;
    this.generation[off >>> PAGE_SHIFT]++;
  }

  write32(pa: number, value: number): void {
    const off = this.checked(pa, 4);
    this.view.setUint32(off, value >>> 0, true);
    this.generation[off >>> PAGE_SHIFT]++;
  }

  /** A copy of `length` bytes at physical address `pa`. */
  readBytes(pa: number, length: number): Uint8Array {
    const off = this.checked(pa, length);
    return this.u8.slice(off, off + length);
  }

  writeBytes(pa: number, bytes: Uint8Array): void {
    const off = this.checked(pa, bytes.length);
    this.u8.set(bytes, off);
    this.touch(off, bytes.length);
  }

  fill(pa: number, length: number, value = 0): void {
    const off = this.checked(pa, length);
    this.u8.fill(value, off, off + length);
    this.touch(off, length);
  }

  /** A live view (no copy) of page frame `pfn`. Writers must call {@link touch}. */
  page(pfn: number): Uint8Array {
    return this.u8.subarray(pfn << PAGE_SHIFT, (pfn + 1) << PAGE_SHIFT);
  }

  setPageInfo(pfn: number, owner: number, role: PageRole): void {
    if (this.owner[pfn] !== owner || this.role[pfn] !== role) {
      this.owner[pfn] = owner;
      this.role[pfn] = role;
      if (this.metaGeneration[pfn] === this.generation[pfn]) this.metaGeneration[pfn]++;
      this.generation[pfn]++;
    }
  }

  /** FNV-1a over the page's bytes: a cheap content checksum for hover and goals. */
  checksum(pfn: number): number {
    let h = 0x811c9dc5;
    const words = this.i32;
    const start = (pfn << PAGE_SHIFT) >>> 2;
    for (let i = start; i < start + (PAGE_SIZE >>> 2); i++) h = Math.imul(h ^ words[i], 0x01000193);
    return h >>> 0;
  }

  private checked(pa: number, length: number): number {
    const off = (pa >>> 0) - RAM_BASE;
    if (off < 0 || length < 0 || off + length > this.size) {
      throw new RangeError(
        `physical range 0x${(pa >>> 0).toString(16)}+${length} is outside RAM ` +
          `[0x${RAM_BASE.toString(16)}, 0x${(RAM_BASE + this.size).toString(16)})`,
      );
    }
    return off;
  }
}
