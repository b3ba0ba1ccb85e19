// counter.S: boots in sbi mode, parses its command line, ticks, counts rounds, yields to JBUS.
import { describe, expect, it } from 'vitest';
import { Action, JBUS_EID, Report, bootToy } from './rig.ts';

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

  it('runs standalone when the firmware has no JBUS (YIELD is not supported: keep working)', () => {
    const t = bootToy({ os: 'counter', cmdline: 'name=Z count=2 tick=100' });
    t.board.firmware.unregister(JBUS_EID);
    t.run();
    expect(t.output()).toBe('Z: up: counter\nZ: round 1\nZ: round 2\nZ: count reached, power off\n');
  });

  it('reports a refused kexec -e (nothing loaded: EINVAL) through DONE and carries on', () => {
    const t = bootToy({
      os: 'counter', cmdline: 'name=A',
      scripts: { A: ({ n }) => (n === 0 ? { action: Action.JUMP } : { action: Action.HALT_FAIL }) },
    });
    t.run();
    expect(t.lines('A')).toEqual(['up: counter', 'round 1', 'kexec failed, errno 22', 'round 2', 'halt (failure)']);
    expect(t.jbus.log.filter((e) => e.fn === 'done').map((e) => [e.a0 | 0, e.a1 | 0])).toEqual([[-1, -22]]);
    expect(t.board.machine.halted).toEqual({ kind: 'pass', code: 1 });
  });

  it('without boot params it uses its defaults (name C, no jump-back entry)', () => {
    const t = bootToy({ os: 'counter', scripts: { A: () => ({ action: Action.POWEROFF }) } });
    t.run();
    expect(t.output()).toBe('C: up: counter\nC: round 1\nC: power off\n');
    expect(t.reports('A', Report.JUMP_BACK_ENTRY)).toEqual([0]);
  });
});
