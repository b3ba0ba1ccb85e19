// Physical address routing: RAM (the CPU's fast paths bypass this), device windows, and access faults.
import type { Device } from './device.ts';
import { PAGE_SHIFT, type PhysicalMemory } from './memory.ts';

/**
 * The slow path of every physical access. The CPU reads and writes aligned RAM words straight from
 * the typed arrays; it comes here for devices, misaligned accesses (emulated, as QEMU 7 does for
 * plain loads and stores) and addresses where nothing answers (the caller raises an access fault).
 */
export class Bus {
  readonly memory: PhysicalMemory;
  /** Devices in the order they were mapped. */
  readonly devices: Device[] = [];
  /** Set by {@link load}/{@link store} when nothing answers at the address. */
  fault = false;
  /** Set when the last access went to a device (the CPU ends its block so device effects are seen). */
  mmio = false;
  /** Called after a RAM write through the bus, so the CPU can drop decoded code it overwrote. */
  onRamWrite: ((offset: number, length: number) => void) | null = null;

  constructor(memory: PhysicalMemory) {
    this.memory = memory;
  }

  /** Maps a device; windows must not overlap RAM or each other. */
  addDevice(device: Device): void {
    const end = device.base + device.size;
    if (this.memory.offsetOf(device.base) >= 0 || this.memory.offsetOf(end - 1) >= 0) {
      throw new RangeError(`device ${device.name} overlaps RAM`);
    }
    for (const d of this.devices) {
      if (device.base < d.base + d.size && d.base < end) {
        throw new RangeError(`device ${device.name} overlaps ${d.name}`);
      }
    }
    this.devices.push(device);
  }

  /** The device whose window holds [pa, pa + width), if any. */
  deviceAt(pa: number, width = 1): Device | undefined {
    const a = pa >>> 0;
    for (const d of this.devices) {
      if (a >= d.base && a + width <= d.base + d.size) return d;
    }
    return undefined;
  }

  /** Reads `width` bytes little-endian, zero-extended; sets {@link fault} when nothing is there. */
  load(pa: number, width: 1 | 2 | 4): number {
    this.fault = false;
    this.mmio = false;
    const mem = this.memory;
    const off = (pa >>> 0) - 0x8000_0000;
    if (off >= 0 && off + width <= mem.size) {
      const u8 = mem.u8;
      let v = 0;
      for (let i = width - 1; i >= 0; i--) v = (v << 8) | u8[off + i];
      return width === 4 ? v >>> 0 : v;
    }
    const d = this.deviceAt(pa, width);
    if (d === undefined) {
      this.fault = true;
      return 0;
    }
    this.mmio = true;
    return d.read((pa >>> 0) - d.base, width) >>> 0;
  }

  /** Writes `width` bytes little-endian; sets {@link fault} when nothing is there. */
  store(pa: number, width: 1 | 2 | 4, value: number): void {
    this.fault = false;
    this.mmio = false;
    const mem = this.memory;
    const off = (pa >>> 0) - 0x8000_0000;
    if (off >= 0 && off + width <= mem.size) {
      const u8 = mem.u8;
      for (let i = 0; i < width; i++) u8[off + i] = value >>> (8 * i);
      mem.generation[off >>> PAGE_SHIFT]++;
      const last = (off + width - 1) >>> PAGE_SHIFT;
      if (last !== off >>> PAGE_SHIFT) mem.generation[last]++;
      if (this.onRamWrite !== null) this.onRamWrite(off, width);
      return;
    }
    const d = this.deviceAt(pa, width);
    if (d === undefined) {
      this.fault = true;
      return;
    }
    this.mmio = true;
    d.write((pa >>> 0) - d.base, width, width === 4 ? value >>> 0 : value & ((1 << (8 * width)) - 1));
  }
}
