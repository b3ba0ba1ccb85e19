// counter.S: boots in sbi mode, parses its command line, ticks, counts rounds, yields to JBUS.
import { describe, expect, it } from 'vitest';
import { Report, bootToy } from './rig.ts';

describe('counter OS', () => {
  it('prints its rounds, reports them, and powers off after count=N', () => {
    const t = bootToy({ os: 'counter', cmdline: 'name=A count=3 tick=5000' });
    const r = t.run();
    expect(r.reason).toBe('halted');
    expect(t.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(t.lines('A')).toEqual(['up: counter', 'round 1', 'round 2', 'round 3', 'count reached, power off']);
    expect(t.reports('A', Report.JUMP_BACK_ENTRY)).toEqual([0]);
    expect(t.reports('A', Report.CHECK)).toEqual([1, 2, 3]);
  });
});
