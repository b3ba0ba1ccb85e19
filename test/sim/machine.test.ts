// Machine composition: devices on the bus, boot modes, halting from inside a run.
import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/sim/device.ts';
import { Machine, SBI_MEDELEG, SBI_MIDELEG } from '../../src/sim/machine.ts';
import { enc } from './encode.ts';
import { machineWith, RAM } from './machine-builder.ts';

function stubDevice(name: string, base: number, size: number): Device & { writes: number[] } {
  const writes: number[] = [];
  return {
    name, base, size, writes,
    read: (offset) => offset + 1,
    write: (_offset, _width, value) => void writes.push(value),
    reset: () => void (writes.length = 0),
    save: () => ({}),
    restore: () => {},
  };
}

describe('Machine', () => {
  it('maps the CLINT and finisher, then added devices, in bus order; overlaps are refused', () => {
    const m = new Machine({ ramSize: 1024 * 1024 });
    const dev = stubDevice('probe', 0x1000_0000, 0x100);
    m.addDevice(dev);
    expect(m.devices.map((d) => d.name)).toEqual(['clint', 'finisher', 'probe']);
    expect(() => m.addDevice(stubDevice('clash', 0x1000_0080, 0x100))).toThrow(/overlaps probe/);
    expect(() => m.addDevice(stubDevice('ram', 0x8000_0000, 0x100))).toThrow(/RAM/);
  });

  it('CPU loads and stores reach an added device', () => {
    const m = machineWith([...enc.li(5, 0x1000_0000), enc.load(4, 6, 5, 7), ...enc.li(7, 0xab), enc.store(0, 7, 5, 0)]);
    const dev = stubDevice('probe', 0x1000_0000, 0x100);
    m.addDevice(dev);
    m.boot('bare');
    m.run(6);
    expect(m.cpu.x[6]).toBe(8);
    expect(dev.writes).toEqual([0xab]);
  });

  it('bare boot: M-mode at the entry; sbi boot: S-mode, a0/a1, OpenSBI delegation', () => {
    const m = new Machine({ ramSize: 1024 * 1024 });
    m.boot('bare');
    expect([m.cpu.pc, m.cpu.priv]).toEqual([RAM, 3]);
    m.boot('sbi', RAM + 0x1000, 0x8008_0000);
    expect([m.cpu.pc, m.cpu.priv, m.cpu.x[10], m.cpu.x[11] >>> 0]).toEqual([RAM + 0x1000, 1, 0, 0x8008_0000]);
    expect(m.cpu.readCsr(0x302)).toBe(SBI_MEDELEG);
    expect(m.cpu.readCsr(0x303)).toBe(SBI_MIDELEG);
  });

  it('sbi: an exception OpenSBI would redirect reaches the S handler', () => {
    const m = machineWith([...enc.li(5, RAM + 0x100), enc.csrrw(0, 0x105, 5), 0xffff_ffff]);
    m.boot('sbi');
    m.run(4);
    expect(m.cpu.pc).toBe(RAM + 0x100);
    expect([m.cpu.priv, m.cpu.readCsr(0x142), m.cpu.readCsr(0x143)]).toEqual([1, 2, 0xffff_ffff]);
  });

  it('halt from an ecall handler stops the run at the boundary', () => {
    const m = machineWith([enc.ecall(), enc.iop('addi', 10, 0, 1)]);
    m.boot('sbi');
    m.setEcallHandler(() => m.halt({ kind: 'pass', code: 0 }));
    expect(m.run(100)).toEqual({ reason: 'halted', executed: 1 });
    expect(m.cpu.x[10]).toBe(0);
  });
});
