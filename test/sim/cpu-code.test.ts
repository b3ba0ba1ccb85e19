// Decoded-code cache and counters: self-modifying code, host writes behind the CPU's back, page
// generations, garbage as code, exact budgets and instret, and snapshot save/restore continuing exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/sim/machine.ts';
import { build, PASS, runBare } from './build.ts';
import { enc } from './encode.ts';
import { machineWith, RAM } from './machine-builder.ts';

describe('code cache', () => {
  it('a store over the next instruction of the same block takes effect at once', () => {
    const program = [
      ...enc.li(5, RAM + 20), ...enc.li(6, enc.iop('addi', 10, 0, 42)), enc.store(2, 6, 5, 0),
      enc.iop('addi', 10, 0, 1), enc.iop('addi', 11, 10, 0),
    ];
    const m = machineWith(program);
    expect(m.run(program.length).executed).toBe(program.length);
    expect(m.cpu.x[11]).toBe(42);
  });

  it('a host write to a code page between runs is noticed through the page generation', () => {
    const m = machineWith([enc.iop('addi', 10, 10, 1), enc.jal(0, -4)]);
    m.run(100);
    expect(m.cpu.x[10]).toBe(50);
    m.memory.write32(RAM, enc.iop('addi', 10, 10, 2));
    m.run(100);
    expect(m.cpu.x[10]).toBe(150);
  });

  it('CPU stores bump the page generation; data stores beside code do not recompile it', () => {
    // loop: sw a0, 64(zero-based t0); addi a0, a0, 1; j loop — the data word shares the code page.
    const m = machineWith([...enc.li(5, RAM), enc.store(2, 10, 5, 64), enc.iop('addi', 10, 10, 1), enc.jal(0, -8)]);
    const before = m.memory.generation[0];
    m.run(2 + 3 * 1000);
    expect(m.memory.generation[0] - before).toBeGreaterThanOrEqual(999);
    expect(m.memory.read32(RAM + 64)).toBe(m.cpu.x[10] - 1);
    expect(m.cpu.cache.compiled).toBeLessThan(6);
    expect(m.cpu.cache.invalidated).toBe(0);
  });

  it('fence.i retires and keeps running', () => {
    const m = machineWith([enc.fencei(), enc.iop('addi', 10, 0, 3)]);
    expect(m.run(2).executed).toBe(2);
    expect(m.cpu.x[10]).toBe(3);
  });

  it('garbage words as code only ever trap, never crash the host', () => {
    const m = new Machine({ ramSize: 1024 * 1024 });
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { minLength: 64, maxLength: 64 }), (ws) => {
      // Handler at RAM: mepc += 4; mret. Garbage at RAM + 0x1000. Registers point into RAM or devices.
      const handler = [0x34102573, 0x00450513, 0x34151073, 0x30200073]; // csrr a0,mepc; addi; csrw; mret
      m.memory.fill(RAM, 0x3000, 0);
      handler.forEach((w, k) => m.memory.write32(RAM + 4 * k, w));
      ws.forEach((w, k) => m.memory.write32(RAM + 0x1000 + 4 * k, w));
      m.boot('bare', RAM + 0x1000);
      for (let r = 1; r < 32; r++) m.cpu.x[r] = r % 3 === 0 ? RAM + 0x800 : r % 3 === 1 ? 0x200_0000 : r * 0x1111;
      const r = m.run(5000);
      expect(['limit', 'stopped', 'halted']).toContain(r.reason);
    }), { numRuns: 200 });
  });
});

describe('budgets and counters', () => {
  it('run(k) retires exactly k instructions, even inside a block; cycle = instret without WFI', () => {
    const body = Array.from({ length: 40 }, (_, k) => enc.iop('addi', 10, 10, k));
    const m = machineWith([...body, enc.jal(0, -160)]);
    let total = 0;
    for (const k of [1, 3, 17, 40, 41, 100, 5]) {
      expect(m.run(k).executed).toBe(k);
      total += k;
      expect(m.cpu.instret).toBe(total);
      expect(m.cpu.cycle).toBe(total);
    }
  });

  it('minstret/mcycle are writable (64-bit, halves) and keep counting', () => {
    const m = machineWith([
      ...enc.li(5, 0xffff_fff0), enc.csrrw(0, 0xb02, 5), enc.csrrw(0, 0xb82, 0), enc.iop('addi', 0, 0, 0),
      enc.csrrs(6, 0xb02, 0), enc.csrrs(7, 0xb82, 0), enc.csrrs(8, 0xc00, 0),
    ]);
    m.run(8);
    // The write replaces the writing instruction's own increment: the next instruction reads it.
    expect(m.cpu.x[6] >>> 0).toBe(0xffff_fff1);
    expect(m.cpu.x[7]).toBe(0);
    expect(m.cpu.x[8]).toBe(7);
    expect(m.cpu.readCsr(0xb02)).toBe(0xffff_fff4);
    m.cpu.writeCsr(0xb00, 5);
    expect(m.cpu.readCsr(0xb00)).toBe(5);
  });
});

describe('snapshots', () => {
  it('save at any point, restore into a fresh machine: the run continues bit-exactly', () => {
    const b = build(`
      la t0, mtrap
      csrw mtvec, t0
      li t1, 0x2004000
      li a0, 3000
      sw a0, 0(t1)
      sw zero, 4(t1)
      li t0, 0x80
      csrs mie, t0
      csrsi mstatus, 8
      la s1, buf
loop: lw t2, 0(s1)
      addi t2, t2, 3
      sw t2, 0(s1)
      mul s5, t2, t2
      j loop
      .balign 4
mtrap:
      csrr s7, mcycle
      rdtime s8
      addi s9, s9, 1
      li t3, 3
      beq s9, t3, done
      li t1, 0x2004000
      lw a0, 0(t1)
      addi a0, a0, 777
      sw a0, 0(t1)
      mret
done: ${PASS}
      .data
buf:  .word 5`);
    const fresh = (): Machine => {
      const m = new Machine({ ramSize: 1024 * 1024 });
      m.memory.writeBytes(RAM, b.bin);
      m.boot('bare');
      return m;
    };
    const whole = fresh();
    whole.run(1_000_000);
    expect(whole.halted?.kind).toBe('pass');
    for (const at of [1, 2345, 10_000, 23_456]) {
      const a = fresh();
      a.run(at);
      const cpu = a.cpu.saveState();
      const devices = a.devices.map((d) => d.save());
      const ram = a.memory.readBytes(RAM, a.memory.size);
      const json = JSON.parse(JSON.stringify({ cpu, devices }));
      const c = new Machine({ ramSize: 1024 * 1024 });
      c.memory.writeBytes(RAM, ram);
      c.boot('bare');
      c.cpu.restoreState(json.cpu);
      c.devices.forEach((d, k) => d.restore(json.devices[k]));
      c.run(1_000_000);
      expect(c.halted).toEqual(whole.halted);
      expect(c.cpu.saveState()).toEqual(whole.cpu.saveState());
      expect(c.memory.readBytes(RAM, 0x2000)).toEqual(whole.memory.readBytes(RAM, 0x2000));
    }
  });
});

describe('time', () => {
  it('rdtime reads the CLINT mtime: one tick per 10 cycles', () => {
    const t = runBare(`
      li t0, 0
1:    addi t0, t0, 1
      li t1, 500
      bne t0, t1, 1b
      rdtime s2
      rdcycle s3
      li t1, 0x200bff8
      lw s4, 0(t1)
      ${PASS}`);
    const x = t.m.cpu.x;
    expect(x[18]).toBe(Math.floor(x[19] / 10));
    expect(x[20]).toBe(Math.floor((x[19] + 3) / 10));
  });
});
