// (c) A scenario stepped kexec event by kexec event: the sequence of A's first JUMP, B's first
// visit and the way back; the same run as an RxJS event stream; and a snapshot to rewind to.
import { filter, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { boot, loadLevel, openLevel, type KexecEvent, type Session, type SimEvent } from 'jumpback';
import { buildPair } from './pair.ts';

/** A kexec event in a few words: 'A step freeze_processes', 'A jump -> B', ... */
function short(e: KexecEvent): string {
  switch (e.type) {
    case 'step': return `${e.kernel} step ${e.step}`;
    case 'device': return `${e.kernel} ${e.action} ${e.device}`;
    case 'jump': return `${e.from} ${e.kind} -> ${e.to}`;
    case 'return': return `${e.kernel} back from ${e.from}`;
    default: return `${'kernel' in e ? e.kernel : ''} ${e.type}`;
  }
}

/** The next `n` kexec events, in a few words each. */
function next(s: Session, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = s.nextKexecEvent();
    if (!e) throw new Error(`the run ended after ${out.length} of ${n} events: ${out.join(', ')}`);
    out.push(short(e));
  }
  return out;
}

const SUSPEND = (k: string): string[] => [
  `${k} step pm_prepare_console`, `${k} step freeze_processes`, `${k} step console_suspend`,
  `${k} freeze disk`, `${k} freeze uart`, `${k} step dpm_suspend_start`, `${k} step dpm_suspend_end`,
  `${k} step disable_secondary_cpus`, `${k} step irq_disable`, `${k} step syscore_suspend`,
  `${k} step kmsg_dump`, `${k} step machine_kexec`,
];
const RESUME = (k: string): string[] => [
  `${k} step syscore_resume`, `${k} step irq_enable`, `${k} step enable_secondary_cpus`,
  `${k} step dpm_resume_start`, `${k} restore uart`, `${k} restore disk`, `${k} step dpm_resume_end`,
  `${k} step console_resume`, `${k} step thaw_processes`, `${k} step pm_restore_console`,
];

describe('stepping a scenario kexec event by kexec event', () => {
  const { a } = buildPair(2);

  it('A boots, loads B, suspends, jumps; B reserves, loads its way back, jumps; A resumes', () => {
    // #region steps
    const s = boot(a);
    expect(next(s, 2)).toEqual(['A kernel', 'A load']);
    expect(next(s, 14)).toEqual([...SUSPEND('A'), 'B kernel', 'A jump -> B']);
    expect(next(s, 2)).toEqual(['B reserve', 'B load']);
    expect(next(s, 13)).toEqual([...SUSPEND('B'), 'B jump -> A']);
    expect(next(s, 11)).toEqual([...RESUME('A'), 'A back from B']);
    expect(s.console()).toBe('A: boot\nA: loaded B\nA: jump to B, round 1\nB: visit 1\n');
    // #endregion steps
  });

  it('the same run as an RxJS stream on virtual time: one swap batch out and one back per jump', async () => {
    // #region stream
    const s = boot(a);
    const swaps = s.events$.pipe(
      filter((e): e is Extract<SimEvent, { type: 'swap' }> => e.type === 'swap'),
      toArray(),
    );
    const collected = new Promise((resolve) => swaps.subscribe(resolve));
    s.play();
    expect(await collected).toEqual([
      expect.objectContaining({ kernel: 'A', direction: 'out', pairs: 32 }),
      expect.objectContaining({ kernel: 'B', direction: 'out', pairs: 0 }),
      expect.objectContaining({ kernel: 'A', direction: 'back', pairs: 32 }),
      expect.objectContaining({ kernel: 'A', direction: 'out', pairs: 32 }),
      expect.objectContaining({ kernel: 'B', direction: 'back', pairs: 0 }),
      expect.objectContaining({ kernel: 'B', direction: 'out', pairs: 0 }),
      expect.objectContaining({ kernel: 'A', direction: 'back', pairs: 32 }),
    ]);
    // #endregion stream
  });

  it('a snapshot at A\'s first jump: rewinding there replays the same events to the same hash', () => {
    // #region snapshot
    const s = boot(a);
    while (s.nextKexecEvent()?.type !== 'jump');
    const atJump = s.snapshot();
    const after = next(s, 5);
    const hash = s.play().hash();

    s.restore(atJump);
    expect(s.instructions).toBe(atJump.instructions);
    expect(next(s, 5)).toEqual(after);
    expect(s.play().hash()).toBe(hash);
    // #endregion snapshot
  });

  it('a level steps the same way: 01-first-jump reaches its jump to B', () => {
    // #region level-steps
    const { level, solution } = loadLevel('01-first-jump');
    const s = openLevel(level, { solution });
    let e = s.nextKexecEvent();
    while (e && e.type !== 'jump') e = s.nextKexecEvent();
    expect(e).toMatchObject({ type: 'jump', from: 'A', to: 'B', kind: 'reboot' });
    expect(s.goals().map((g) => g.met)).toEqual([false]);
    expect(s.play().result().passed).toBe(true);
    // #endregion level-steps
  });
});
