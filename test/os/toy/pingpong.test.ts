// Two counters share the machine with kexec jump: A's user space loads B (kexec-tools, purgatory),
// B's loads the jump-back helper from its kexec_jump_back_entry, and they ping-pong through the
// real KEXEC JUMP ecalls from their own main loops (kexec-linux.md §4).
import { describe, expect, it } from 'vitest';
import { Action, Report, bootToy, hex, images, type Script, type Toy } from './rig.ts';

const B_BASE = 0x80200000;
const B_WINDOW = ['--mem-min=' + hex(B_BASE), '--mem-max=' + hex(B_BASE + 0x40000 - 1)];

function pingPong(trips: number, whileB?: (toy: Toy, n: number) => void) {
  const files = { 'counter-b.elf': images.get('counter', B_BASE).elf };
  const a: Script = ({ kernel, n, toy }) => {
    if (n === 0) {
      const r = toy.kexecTool(kernel, ['--load-preserve-context', 'counter-b.elf', ...B_WINDOW, '--append=name=B tick=3000'], files);
      expect(r.stderr).toBe('');
    }
    return n < trips ? { action: Action.JUMP, a2: 0, a3: 0xa0 + n } : { action: Action.POWEROFF };
  };
  const b: Script = ({ kernel, n, toy }) => {
    whileB?.(toy, n);
    if (n === 0) {
      const entry = toy.reports('B', Report.JUMP_BACK_ENTRY)[0];
      const r = toy.kexecTool(kernel, ['--load-jump-back-helper', '--entry=' + hex(entry)], {});
      expect(r.stderr).toBe('');
    }
    return { action: Action.JUMP, a2: 0, a3: 0xb0 + n };
  };
  const t = bootToy({ os: 'counter', cmdline: 'name=A', scripts: { A: a, B: b } });
  const res = t.run(100_000_000);
  return { t, res };
}

describe('counter A ⇄ counter B', () => {
  it('ping-pongs 5 times with correct counts on both sides', () => {
    const { t, res } = pingPong(5);
    expect(res.reason).toBe('halted');
    expect(t.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
    const [A] = t.kexec.kernels;
    expect(t.reports('B', Report.JUMP_BACK_ENTRY)).toEqual([t.kexec.reentryOf(A)]);
    expect(t.lines('A')).toEqual([
      'up: counter',
      ...[1, 2, 3, 4, 5].flatMap((i) => [`round ${i}`, `back ${i}, value ${hex(0xb0 + i - 1)}`]),
      'round 6', 'power off',
    ]);
    expect(t.lines('B')).toEqual([
      `up: counter, jump-back entry ${hex(t.kexec.reentryOf(A))}`,
      'round 1',
      ...[1, 2, 3, 4].flatMap((i) => [`back ${i}, value ${hex(0xa0 + i)}`, `round ${i + 1}`]),
    ]);
    expect(t.reports('A', Report.ERROR)).toEqual([]);
    expect(t.reports('B', Report.ERROR)).toEqual([]);
    // every jump's kexec -e ended with 0 and the peer's value (DONE a0, a1)
    const done = t.jbus.log.filter((e) => e.fn === 'done');
    expect(done.filter((e) => e.kernel === 'A').map((e) => [e.a0, e.a1])).toEqual([0, 1, 2, 3, 4].map((i) => [0, 0xb0 + i]));
    expect(t.kexec.jumps).toBe(10);
  });

  it('A notices when its memory changed while B ran (REPORT ERROR once, then carries on)', () => {
    let kind = 0;
    const { t } = pingPong(3, (toy, n) => {
      // B's second round: something outside B's window writes into A's protected data.
      kind = toy.image.symbols.get('os_kind')!;
      if (n === 1) toy.board.machine.memory.write8(kind, 'K'.charCodeAt(0));
    });
    const errors = t.lines('A').filter((l) => l.startsWith('ERROR'));
    expect(errors).toHaveLength(1);
    expect(t.lines('A').indexOf(errors[0])).toBe(t.lines('A').indexOf('round 2') + 1);
    expect(t.reports('A', Report.ERROR)).toHaveLength(1);
    expect(errors[0]).toBe(`ERROR: my memory changed while I was away, checksum now ${hex(t.reports('A', Report.ERROR)[0])}`);
    expect(t.board.machine.memory.read8(kind)).toBe('K'.charCodeAt(0));
    expect(t.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
  });
});
