// CLINT registers from the bus: msip, 64-bit mtimecmp and writable mtime, in virtual time.
import { describe, expect, it } from 'vitest';
import { CYCLES_PER_TICK } from '../../../src/sim/devices/clint.ts';
import { Machine } from '../../../src/sim/machine.ts';

const BASE = 0x200_0000;

function machine(): Machine {
  const m = new Machine({ ramSize: 1024 * 1024 });
  m.boot('bare');
  return m;
}

describe('CLINT', () => {
  it('mtime follows the cycle count and can be written (both halves)', () => {
    const m = machine();
    m.cpu._cycle = 12_345;
    expect(m.bus.load(BASE + 0xbff8, 4)).toBe(Math.floor(12_345 / CYCLES_PER_TICK));
    m.bus.store(BASE + 0xbffc, 4, 2);
    m.bus.store(BASE + 0xbff8, 4, 0xffff_fff0);
    expect(m.clint.mtime()).toBe(2 * 2 ** 32 + 0xffff_fff0);
    m.cpu._cycle += 20 * CYCLES_PER_TICK;
    expect(m.bus.load(BASE + 0xbff8, 4)).toBe(4);
    expect(m.bus.load(BASE + 0xbffc, 4)).toBe(3);
  });

  it('mtimecmp sets MTIP when mtime reaches it and clears it when moved away', () => {
    const m = machine();
    expect(m.bus.load(BASE + 0x4000, 4)).toBe(0xffff_ffff);
    m.bus.store(BASE + 0x4004, 4, 0);
    m.bus.store(BASE + 0x4000, 4, 10);
    expect(m.clint.deadline()).toBe(100);
    m.cpu._cycle = 99;
    m.clint.update();
    expect(m.cpu.mip & 0x80).toBe(0);
    m.cpu._cycle = 100;
    m.clint.update();
    expect(m.cpu.mip & 0x80).toBe(0x80);
    expect(m.clint.deadline()).toBe(Infinity);
    m.bus.store(BASE + 0x4000, 4, 1000);
    expect(m.cpu.mip & 0x80).toBe(0);
    expect(m.bus.load(BASE + 0x4002, 2)).toBe(0);
    expect(m.bus.load(BASE + 0x4000, 2)).toBe(1000);
  });

  it('msip bit 0 drives MSIP; save/restore round-trips', () => {
    const m = machine();
    m.bus.store(BASE, 4, 0xffff_ffff);
    expect(m.bus.load(BASE, 4)).toBe(1);
    expect(m.cpu.mip & 0x8).toBe(0x8);
    m.clint.setTimecmp(777);
    const saved = JSON.parse(JSON.stringify(m.clint.save()));
    m.clint.reset();
    expect(m.cpu.mip & 0x8).toBe(0);
    m.clint.restore(saved);
    expect(m.clint.mtimecmp()).toBe(777);
    expect(m.cpu.mip & 0x8).toBe(0x8);
  });
});

describe('Clint.setTimecmp', () => {
  it('treats 2^64 - 1 (rounded to 2^64 in a JS number) as never, not as 0', () => {
    const m = new Machine();
    m.clint.setTimecmp(2 ** 64 - 1);
    expect(m.clint.read(0x4004, 4)).toBe(0xffff_ffff);
    expect(m.clint.read(0x4000, 4)).toBe(0xffff_ffff);
    expect(m.clint.deadline()).toBe(Infinity);
  });
});
