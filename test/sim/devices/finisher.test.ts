// SiFive test finisher: pass, fail with code, reset; other values and offsets are ignored.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/sim/machine.ts';

const BASE = 0x10_0000;

describe('test finisher', () => {
  it.each([
    [0x5555, { kind: 'pass', code: 0 }],
    [(42 << 16) | 0x3333, { kind: 'fail', code: 42 }],
    [0x7777, { kind: 'reset', code: 0 }],
  ])('writing 0x%s halts the machine', (value, reason) => {
    const m = new Machine({ ramSize: 1024 * 1024 });
    m.boot('bare');
    m.bus.store(BASE, 4, value);
    expect(m.halted).toEqual(reason);
    expect(m.run(10)).toEqual({ reason: 'halted', executed: 0 });
  });

  it('ignores other values and offsets; the first halt wins', () => {
    const m = new Machine({ ramSize: 1024 * 1024 });
    m.boot('bare');
    m.bus.store(BASE, 4, 0x1234);
    m.bus.store(BASE + 4, 4, 0x5555);
    expect(m.halted).toBeNull();
    m.bus.store(BASE, 4, 0x13333);
    m.bus.store(BASE, 4, 0x5555);
    expect(m.halted).toEqual({ kind: 'fail', code: 1 });
  });
});
