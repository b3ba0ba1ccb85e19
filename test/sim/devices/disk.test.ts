// The DMA block device: registers, DMA in both directions, errors that move no byte, state.
import { describe, expect, it } from 'vitest';
import {
  Disk, DISK_MAGIC, DISK_REG_CAPACITY, DISK_REG_COMMAND, DISK_REG_COUNT, DISK_REG_DMA, DISK_REG_DONE,
  DISK_REG_ERROR, DISK_REG_MAGIC, DISK_REG_SECTOR, DISK_REG_SECTOR_SIZE, DISK_REG_STATUS, DiskCommand,
  DiskError, SECTOR_SIZE,
} from '../../../src/sim/devices/disk.ts';
import { PhysicalMemory, RAM_BASE } from '../../../src/sim/memory.ts';

function setup(sectors = 8): { mem: PhysicalMemory; disk: Disk; image: Uint8Array } {
  const mem = new PhysicalMemory(1024 * 1024);
  const image = new Uint8Array(sectors * SECTOR_SIZE);
  for (let i = 0; i < image.length; i++) image[i] = (i * 7 + (i >> 9)) & 0xff;
  return { mem, disk: new Disk(mem, image), image };
}

function command(disk: Disk, cmd: number, sector: number, count: number, dma: number): number {
  disk.write(DISK_REG_SECTOR, 4, sector);
  disk.write(DISK_REG_COUNT, 4, count);
  disk.write(DISK_REG_DMA, 4, dma);
  disk.write(DISK_REG_COMMAND, 4, cmd);
  return disk.read(DISK_REG_ERROR, 4);
}

describe('Disk', () => {
  it('identifies itself', () => {
    const { disk } = setup(8);
    expect(disk.read(DISK_REG_MAGIC, 4)).toBe(DISK_MAGIC);
    expect(disk.read(DISK_REG_MAGIC, 1)).toBe(0x4a); // 'J'
    expect(disk.read(DISK_REG_CAPACITY, 4)).toBe(8);
    expect(disk.read(DISK_REG_SECTOR_SIZE, 4)).toBe(512);
  });

  it('reads sectors into RAM and bumps page generations', () => {
    const { mem, disk, image } = setup();
    const pa = RAM_BASE + 0x1e00; // straddles pages 1 and 2
    const before = [mem.generation[1], mem.generation[2]];
    expect(command(disk, DiskCommand.Read, 2, 3, pa)).toBe(DiskError.None);
    expect(mem.readBytes(pa, 3 * SECTOR_SIZE)).toEqual(image.slice(2 * SECTOR_SIZE, 5 * SECTOR_SIZE));
    expect(mem.generation[1]).toBeGreaterThan(before[0]);
    expect(mem.generation[2]).toBeGreaterThan(before[1]);
    expect(disk.read(DISK_REG_STATUS, 4)).toBe(0);
    expect(disk.read(DISK_REG_DONE, 4)).toBe(1);
  });

  it('writes RAM to sectors', () => {
    const { mem, disk } = setup();
    mem.fill(RAM_BASE + 0x4000, 1024, 0xab);
    expect(command(disk, DiskCommand.Write, 6, 2, RAM_BASE + 0x4000)).toBe(DiskError.None);
    expect(disk.image.subarray(6 * 512, 8 * 512).every((b) => b === 0xab)).toBe(true);
    expect(command(disk, DiskCommand.Flush, 0, 0, 0)).toBe(DiskError.None);
  });

  it('rejects transfers past the end or outside RAM without moving a byte', () => {
    const { mem, disk } = setup();
    const snapshot = disk.image.slice();
    expect(command(disk, DiskCommand.Read, 7, 2, RAM_BASE)).toBe(DiskError.OutOfRange);
    expect(disk.read(DISK_REG_STATUS, 4)).toBe(2);
    expect(mem.read32(RAM_BASE)).toBe(0);
    expect(command(disk, DiskCommand.Read, 0, 2, RAM_BASE + mem.size - 512)).toBe(DiskError.DmaFault);
    expect(command(disk, DiskCommand.Write, 0, 1, 0x1000_0000)).toBe(DiskError.DmaFault);
    expect(command(disk, 9, 0, 1, RAM_BASE)).toBe(DiskError.BadCommand);
    expect(disk.image).toEqual(snapshot);
    expect(disk.read(DISK_REG_DONE, 4)).toBe(0);
    // A later good command clears the error.
    expect(command(disk, DiskCommand.Read, 0, 1, RAM_BASE)).toBe(DiskError.None);
    expect(disk.read(DISK_REG_STATUS, 4)).toBe(0);
  });

  it('merges narrow register writes', () => {
    const { disk } = setup();
    disk.write(DISK_REG_DMA, 4, 0x8000_0000);
    disk.write(DISK_REG_DMA + 1, 1, 0x12);
    expect(disk.read(DISK_REG_DMA, 4)).toBe(0x8000_1200);
  });

  it('rejects images that are not whole sectors', () => {
    expect(() => new Disk(new PhysicalMemory(1024 * 1024), new Uint8Array(100))).toThrow(/512-byte sectors/);
  });

  it('save/restore are the controller: registers only, the medium is left as it is', () => {
    const { mem, disk } = setup(16);
    command(disk, DiskCommand.Read, 99, 1, RAM_BASE); // out of range: ERROR, STATUS and COMMAND set
    disk.write(DISK_REG_SECTOR, 4, 3);
    disk.write(DISK_REG_DMA, 4, RAM_BASE + 0x200);
    const state = JSON.parse(JSON.stringify(disk.save()));
    expect(Object.keys(state).sort()).toEqual(['command', 'count', 'dma', 'done', 'error', 'sector', 'status']);
    // A peer writes the medium and reprograms the controller; resume puts back only the registers.
    mem.fill(RAM_BASE, 512, 0xa5);
    expect(command(disk, DiskCommand.Write, 5, 1, RAM_BASE)).toBe(0);
    const written = disk.image.slice();
    disk.restore(state);
    expect(disk.image).toEqual(written);
    expect(disk.image[5 * 512]).toBe(0xa5);
    expect(disk.save()).toEqual(state);
    expect(disk.read(DISK_REG_ERROR, 4)).toBe(2);
    expect(disk.read(DISK_REG_SECTOR, 4)).toBe(3);
    expect(() => disk.restore({ ...state, dma: -1 })).toThrow(/'dma'/);
    // Handing it a medium (or an old combined state) is refused rather than half applied.
    expect(() => disk.restore({ ...state, capacity: 16, sectors: [] })).toThrow(/medium/);
    expect(disk.save()).toEqual(state);
  });

  it('the medium saves non-zero sectors and restores the image exactly; reset keeps it', () => {
    const { mem, disk } = setup(16);
    disk.image.fill(0, 8 * 512);
    command(disk, DiskCommand.Read, 1, 1, RAM_BASE);
    const medium = JSON.parse(JSON.stringify(disk.medium.save()));
    expect(medium.capacity).toBe(16);
    expect((medium.sectors as unknown[]).length).toBe(8); // zero sectors are not stored
    const other = new Disk(mem, new Uint8Array(0));
    other.medium.restore(medium);
    expect(other.image).toEqual(disk.image);
    expect(other.read(DISK_REG_CAPACITY, 4)).toBe(16);
    expect(other.medium.save()).toEqual(disk.medium.save());
    expect(other.read(DISK_REG_DONE, 4)).toBe(0); // the controller is not part of the medium
    other.reset();
    expect(other.image).toEqual(disk.image); // the medium survives a reset
    expect(() => other.medium.restore({ ...medium, sectors: [[99, '']] })).toThrow(/outside/);
    expect(() => other.medium.restore({ ...medium, sectors: [[0, 'AAAA']] })).toThrow(/512 bytes/);
    expect(other.image).toEqual(disk.image);
  });

  it('the medium finds the same sectors whether the image is word-aligned or not', () => {
    const mem = new PhysicalMemory(1024 * 1024);
    const backing = new Uint8Array(1 + 6 * 512);
    const odd = backing.subarray(1); // byteOffset 1: the byte-wise scan
    odd[2 * 512 + 511] = 7; // last byte of sector 2
    odd[4 * 512] = 9; // first byte of sector 4
    const aligned = odd.slice();
    const a = new Disk(mem, aligned).medium.save();
    const b = new Disk(mem, odd).medium.save();
    expect(a).toEqual(b);
    expect((a.sectors as [number, string][]).map(([i]) => i)).toEqual([2, 4]);
  });
});
