// A failing run ends as soon as no goal can be met and names its first failure (progress.ts,
// why.ts): kexec-tools' message with the OS and step, kexec_load's errno and reason, a refused
// ecall, too few jump steps left, an OS replaced by a plain reboot; the end is deterministic
// (the same event and hash whatever the slice size) and only a failing run's end carries a why.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { z } from 'zod';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { parseLevel, parseSolution, playPrepared, prepareRun } from '../../src/level/play.ts';
import type { levelSchema } from '../../src/level/schema.ts';
import { stepEffects } from '../../src/level/progress.ts';
import { parseScript } from '../../src/level/script.ts';
import { whyLine } from '../../src/level/why.ts';

type LevelJson = z.input<typeof levelSchema>;
const levelJson = (name: string): LevelJson => readJsonFile(join(REPO_ROOT, 'levels', name)) as LevelJson;

function play(level: LevelJson, values: Record<string, unknown> | null, slice?: number) {
  const l = parseLevel(level);
  const s = values ? parseSolution({ schema: 1, level: l.id, values }, l) : null;
  return playPrepared(prepareRun(l, s, nodeLevelFiles(), nodeLevelAssets(), 0), { sliceInstructions: slice });
}

const NO_MEM_MAX = { load: ['--load-preserve-context', 'B', '--mem-min=0x80200000', '--append=name=B'] };

describe('a failed run says why', () => {
  it('level 2 without --mem-max: kexec-tools\' message, OS A, its step; ends there, not at the limit', () => {
    const { result, sim } = play(levelJson('02-jump-and-back.json'), NO_MEM_MAX);
    expect(result.passed).toBe(false);
    expect(result.end).toBe('impossible');
    expect(result.instructions).toBeLessThan(50_000);
    expect(result.why).toMatchObject({
      os: 'A', step: 1, stepText: 'kexec --load-preserve-context B --mem-min=0x80200000 --append=name=B',
      message: '`kexec --load-preserve-context B --mem-min=0x80200000 --append=name=B` failed: Please specify memory range used by kexeced kernel(s) with --mem-max',
    });
    expect(whyLine(result.why!)).toBe(`A: ${result.why!.message} (step 2)`);
    expect(result.endText).toBe('A will never hand the machine over (its script has finished), so B never runs again and "B runs" cannot be met');
    // The why points at the failing step's event, and the end event in the log carries it.
    expect(sim.log[result.why!.event]).toMatchObject({ type: 'script', os: 'A', status: 1 });
    expect(sim.log.at(-1)).toMatchObject({ type: 'end', reason: 'impossible', why: result.why, text: result.endText });
  });

  it('the end is the same event whatever the slice size (the browser slices finer)', () => {
    for (const [level, values] of [['02-jump-and-back.json', NO_MEM_MAX], ['03-ping-pong.json', null]] as const) {
      const a = play(levelJson(level), values, 200_000);
      const b = play(levelJson(level), values, 7_777);
      expect(b.result.hash).toBe(a.result.hash);
      expect(b.result.instructions).toBe(a.result.instructions);
      expect(b.sim.log.at(-1)).toEqual(a.sim.log.at(-1));
    }
  });

  it('a refused kexec_load names the errno and the kernel\'s reason', () => {
    const rows = [
      { offset: '0x1000', bufsz: '0x1000', mem: '0x80300000', memsz: '0x1000' },
      { offset: '0x0', bufsz: '0x1000', mem: '0x80300000', memsz: '0x1000' },
    ];
    const { result } = play(levelJson('08-legacy-reentry.json'), { table: rows });
    expect(result.why).toMatchObject({ os: 'A', step: 1, stepText: 'load F --preserve --segments=table' });
    expect(result.why!.message).toBe('`load F --preserve --segments=table` failed: kexec_load refused: -EINVAL (segments 0 and 1 overlap)');
    expect(result.end).toBe('impossible');
  });

  it('a refused ecall names the function, errno and reason', () => {
    const l = levelJson('11-firmware-call.json');
    l.oses[0].script = ['load F', 'call 1 2 3', 'wait 1', 'poweroff'];
    const { result, sim } = play(l, null);
    expect(result.why).toMatchObject({ os: 'A', stepText: 'call 1 2 3', message: 'KEXEC CALL refused: -EINVAL (kexec_call needs an image that preserves the CPU)' });
    expect(sim.log[result.why!.event]).toMatchObject({ type: 'kexec', event: { type: 'refused', fn: 'CALL' } });
  });

  it('too few jump steps left for the round trips a goal needs: judged before the first instruction', () => {
    const l = levelJson('03-ping-pong.json');
    l.oses[0].script = ['kexec ${load}', { repeat: 4, steps: ['kexec -e'] }, 'poweroff'];
    const { result } = play(l, null);
    expect(result.instructions).toBe(0);
    expect(result.end).toBe('impossible');
    expect(result.why!.message).toBe('"A comes back 10 times" needs 10 more round trip(s) of A, but A can come back at most 4 more time(s) (each return resumes one of its own jumps or calls)');
  });

  it('the pace verdict never cuts a run that fits: ping-pong solutions pass with the limit at their last instruction', () => {
    for (const name of ['03-ping-pong.json', '03-ping-pong.alt-wide.json', '03-ping-pong.alt-64k.json']) {
      const values = (readJsonFile(join(REPO_ROOT, 'levels/solutions', name)) as { values: Record<string, unknown> }).values;
      const free = play(levelJson('03-ping-pong.json'), values).result;
      const l = levelJson('03-ping-pong.json');
      l.limits.maxInstructions = free.instructions;
      const tight = play(l, values).result;
      expect(tight, name).toMatchObject({ passed: true, end: 'goals', hash: free.hash, why: null });
      // One trip's worth less and the same solution is judged too slow before the limit.
      l.limits.maxInstructions = Math.floor(free.instructions * 0.85);
      const short = play(l, values).result;
      expect(short.passed).toBe(false);
      expect(short.end, name).toBe('too-slow');
      expect(short.instructions).toBeLessThan(l.limits.maxInstructions);
    }
  });

  it('a plain kexec reboot replaces A for good: the run ends at the jump, naming A\'s kexec -e', () => {
    const { result, sim } = play(levelJson('02-jump-and-back.json'), { load: ['-l', 'B', '--append=name=B'] });
    const jump = [...sim.log].reverse().find((e) => e.type === 'kexec' && e.event.type === 'jump');
    expect(jump).toMatchObject({ event: { kind: 'reboot', from: 'A' } });
    expect(result.instructions).toBe(jump!.at + 1);
    expect(result.why).toMatchObject({ os: 'A', step: 2, stepText: 'kexec -e' });
    expect(result.why!.message).toMatch(/^A was replaced for good: .* so "A prints after B" cannot be met$/);
  });

  it('an empty $JUMP_BACK_ENTRY is explained where kexec-tools only says "Bad number"', () => {
    const l = levelJson('02-jump-and-back.json');
    // Only a console goal of B, the OS left running: what B prints by itself is not predicted, so
    // this run goes to the limit, and the why still names the step.
    l.goals = [{ id: 'b-back', type: 'console', os: 'B', contains: 'back 1' }];
    l.limits.maxInstructions = 3_000_000;
    const { result } = play(l, { load: ['-l', 'B', '--append=name=B'] });
    expect(result.why!.message).toBe('`kexec --load-jump-back-helper --entry=$JUMP_BACK_ENTRY` failed: Bad number: "" ($JUMP_BACK_ENTRY is empty: B was not given a jump-back entry, so it was not entered by a preserve-context jump)');
    expect(result.end).toBe('limit');
    expect(result.endText).toMatch(/^the instruction limit \(3,000,000\) was reached before every goal was met: B was still running \(pc 0x[0-9a-f]{8}/);
  });
});

describe('step effects', () => {
  const effects = (step: string) => stepEffects(parseScript([step], new Map())[0]);
  it('reads kexec-tools\' options as its parser does', () => {
    expect(effects('kexec --load-preserve-context B --mem-min 0x80200000 --append "name=B x"')).toMatchObject({ load: true, target: 'B', transfer: false });
    expect(effects('kexec -e --kjump-devices skip')).toMatchObject({ load: false, target: null, transfer: true });
    expect(effects('kexec -l B.elf -e')).toMatchObject({ load: true, target: 'B', transfer: true });
    expect(effects('kexec --load-jump-back-helper --entry=0x80003144')).toMatchObject({ load: true, target: null });
    expect(effects('load F --preserve')).toMatchObject({ load: true, target: 'F' });
    expect(effects('call 1 2')).toMatchObject({ transfer: true });
    expect(effects('poweroff')).toMatchObject({ poweroff: true, transfer: false });
  });
});
