// Jumpback's simple DMA block device at 0x1000_1000: 512-byte sectors backed by a Uint8Array image.
// A command completes synchronously inside the register write; the README documents the registers.
// save()/restore() are the controller's registers (what suspend/resume keeps); the image is the
// medium (`medium.save()/restore()`), which only machine snapshots touch.
import type { Device, DeviceMedium, DeviceState } from '../device.ts';
import type { PhysicalMemory } from '../memory.ts';

const DISK_BASE = 0x1000_1000;
const DISK_SIZE = 0x100;
export const SECTOR_SIZE = 512;
/** "JBDK" in memory order. */
export const DISK_MAGIC = 0x4b44424a;
const DISK_VERSION = 1;

// Register offsets (32-bit registers).
export const DISK_REG_MAGIC = 0x00;
const DISK_REG_VERSION = 0x04;
export const DISK_REG_CAPACITY = 0x08;
export const DISK_REG_SECTOR_SIZE = 0x0c;
export const DISK_REG_SECTOR = 0x10;
export const DISK_REG_COUNT = 0x14;
export const DISK_REG_DMA = 0x18;
export const DISK_REG_COMMAND = 0x1c;
export const DISK_REG_STATUS = 0x20;
export const DISK_REG_ERROR = 0x24;
export const DISK_REG_DONE = 0x28;

export const enum DiskCommand {
  Read = 1,
  Write = 2,
  Flush = 3,
}

/** STATUS bits. BUSY (0x1) never reads 1 (commands finish inside the write) but drivers may poll it. */
const DISK_STATUS_ERROR = 0x2;

/** ERROR register values. */
export const enum DiskError {
  None = 0,
  BadCommand = 1,
  /** SECTOR + COUNT goes past the last sector. */
  OutOfRange = 2,
  /** [DMA, DMA + COUNT * 512) is not entirely RAM. */
  DmaFault = 3,
}

export class Disk implements Device {
  readonly name = 'disk';
  readonly base: number;
  readonly size = DISK_SIZE;
  /** Called after a DMA write into RAM (e.g. to drop decoded instructions of those pages). */
  onDmaWrite: ((pa: number, length: number) => void) | null = null;

  private readonly _memory: PhysicalMemory;
  private _image: Uint8Array;
  private _sector = 0;
  private _count = 0;
  private _dma = 0;
  private _command = 0;
  private _status = 0;
  private _error: number = DiskError.None;
  /** Commands completed without error since reset (lets a driver see progress). */
  private _done = 0;

  /** `image` is used in place (not copied); its length must be a multiple of 512. */
  constructor(memory: PhysicalMemory, image: Uint8Array = new Uint8Array(0), base: number = DISK_BASE) {
    checkImage(image);
    this._memory = memory;
    this._image = image;
    this.base = base;
  }

  /** The backing image (live: writes by the program show here). */
  get image(): Uint8Array {
    return this._image;
  }

  get sectorCount(): number {
    return this._image.length / SECTOR_SIZE;
  }

  read(offset: number, width: 1 | 2 | 4): number {
    const word = this._readRegister(offset & ~3);
    const shift = (offset & 3) * 8;
    return width === 4 ? word >>> 0 : (word >>> shift) & (width === 1 ? 0xff : 0xffff);
  }

  write(offset: number, width: 1 | 2 | 4, value: number): void {
    const reg = offset & ~3;
    let v = value >>> 0;
    if (width !== 4) {
      // A narrow write updates only its bytes of the register.
      const shift = (offset & 3) * 8;
      const mask = (width === 1 ? 0xff : 0xffff) << shift;
      v = ((this._readRegister(reg) & ~mask) | ((v << shift) & mask)) >>> 0;
    }
    switch (reg) {
      case DISK_REG_SECTOR:
        this._sector = v;
        return;
      case DISK_REG_COUNT:
        this._count = v;
        return;
      case DISK_REG_DMA:
        this._dma = v;
        return;
      case DISK_REG_COMMAND:
        this._execute(v);
        return;
      default:
        return; // read-only or reserved
    }
  }

  /** Registers return to power-on values; the image (the medium) keeps its contents. */
  reset(): void {
    this._sector = 0;
    this._count = 0;
    this._dma = 0;
    this._command = 0;
    this._status = 0;
    this._error = DiskError.None;
    this._done = 0;
  }

  /** The controller's registers (suspend/resume state); the sectors are the medium's. */
  save(): DeviceState {
    return {
      sector: this._sector, count: this._count, dma: this._dma, command: this._command,
      status: this._status, error: this._error, done: this._done,
    };
  }

  restore(state: DeviceState): void {
    if ('sectors' in state || 'capacity' in state) {
      // A state from before the split (or a medium state) given as controller state: refusing
      // it beats silently leaving the sectors as they are while the caller expects them back.
      throw new TypeError("disk state: sectors and capacity belong to the medium (disk.medium.restore), not the controller");
    }
    const regs = {
      sector: u32(state, 'sector'), count: u32(state, 'count'), dma: u32(state, 'dma'), command: u32(state, 'command'),
      status: u32(state, 'status'), error: u32(state, 'error'), done: u32(state, 'done'),
    };
    this._sector = regs.sector;
    this._count = regs.count;
    this._dma = regs.dma;
    this._command = regs.command;
    this._status = regs.status;
    this._error = regs.error;
    this._done = regs.done;
  }

  /** The image: { capacity, sectors: [index, base64] for every non-zero sector }. Snapshots only. */
  readonly medium: DeviceMedium = {
    save: (): DeviceState => {
      const sectors: [number, string][] = [];
      const img = this._image;
      // Word-wise zero test when the image is 4-aligned (a disk is mostly zeros: this scan is the cost).
      const words = img.byteOffset % 4 === 0 ? new Int32Array(img.buffer, img.byteOffset, img.length >>> 2) : null;
      const perSector = SECTOR_SIZE >>> 2;
      for (let s = 0; s < this.sectorCount; s++) {
        const bytes = img.subarray(s * SECTOR_SIZE, (s + 1) * SECTOR_SIZE);
        let used = false;
        if (words) {
          for (let w = s * perSector, end = w + perSector; w < end && !used; w++) used = words[w] !== 0;
        } else {
          used = bytes.some((b) => b !== 0);
        }
        if (used) sectors.push([s, toBase64(bytes)]);
      }
      return { capacity: this.sectorCount, sectors };
    },
    restore: (state: DeviceState): void => {
      const capacity = u32(state, 'capacity', 'disk medium');
      const sectors = state.sectors;
      if (!Array.isArray(sectors)) throw new TypeError("disk medium: 'sectors' must be an array");
      const image = new Uint8Array(capacity * SECTOR_SIZE);
      for (const entry of sectors) {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'number' || typeof entry[1] !== 'string') {
          throw new TypeError("disk medium: each 'sectors' entry must be [index, base64]");
        }
        const [index, text] = entry as [number, string];
        if (!Number.isInteger(index) || index < 0 || index >= capacity) {
          throw new TypeError(`disk medium: sector ${index} is outside the ${capacity}-sector image`);
        }
        const bytes = fromBase64(text);
        if (bytes.length !== SECTOR_SIZE) throw new TypeError(`disk medium: sector ${index} is not 512 bytes`);
        image.set(bytes, index * SECTOR_SIZE);
      }
      // Everything validated: now commit. Keep the caller's buffer when the size matches.
      if (image.length === this._image.length) this._image.set(image);
      else this._image = image;
    },
  };

  private _readRegister(reg: number): number {
    switch (reg) {
      case DISK_REG_MAGIC: return DISK_MAGIC;
      case DISK_REG_VERSION: return DISK_VERSION;
      case DISK_REG_CAPACITY: return this.sectorCount;
      case DISK_REG_SECTOR_SIZE: return SECTOR_SIZE;
      case DISK_REG_SECTOR: return this._sector;
      case DISK_REG_COUNT: return this._count;
      case DISK_REG_DMA: return this._dma;
      case DISK_REG_COMMAND: return this._command;
      case DISK_REG_STATUS: return this._status;
      case DISK_REG_ERROR: return this._error;
      case DISK_REG_DONE: return this._done;
      default: return 0;
    }
  }

  private _execute(command: number): void {
    this._command = command;
    const error = this._check(command);
    this._error = error;
    this._status = error === DiskError.None ? 0 : DISK_STATUS_ERROR;
    if (error !== DiskError.None) return;
    const length = this._count * SECTOR_SIZE;
    const start = this._sector * SECTOR_SIZE;
    if (command === DiskCommand.Read && length > 0) {
      this._memory.writeBytes(this._dma, this._image.subarray(start, start + length));
      this.onDmaWrite?.(this._dma, length);
    } else if (command === DiskCommand.Write && length > 0) {
      const off = this._memory.offsetOf(this._dma);
      this._image.set(this._memory.u8.subarray(off, off + length), start);
    }
    this._done = (this._done + 1) >>> 0;
  }

  /** Validates the whole transfer before any byte moves, so a failed command changes nothing. */
  private _check(command: number): DiskError {
    if (command !== DiskCommand.Read && command !== DiskCommand.Write && command !== DiskCommand.Flush) {
      return DiskError.BadCommand;
    }
    if (command === DiskCommand.Flush) return DiskError.None;
    if (this._sector + this._count > this.sectorCount) return DiskError.OutOfRange;
    if (this._count > 0 && !this._memory.contains(this._dma, this._count * SECTOR_SIZE)) return DiskError.DmaFault;
    return DiskError.None;
  }
}

function checkImage(image: Uint8Array): void {
  if (image.length % SECTOR_SIZE !== 0) {
    throw new RangeError(`disk image is ${image.length} bytes: it must be a whole number of 512-byte sectors`);
  }
}

function u32(state: DeviceState, key: string, what = 'disk state'): number {
  const v = state[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new TypeError(`${what}: '${key}' must be a 32-bit unsigned integer`);
  }
  return v;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  let s: string;
  try {
    s = atob(text);
  } catch {
    throw new TypeError('disk medium: a sector is not valid base64');
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
