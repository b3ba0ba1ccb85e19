// The levels where the player writes assembly (12 write-the-firmware, 13 jump-back-path): each
// wrong solution fails for the reason its note gives (seen in the kexec events, not just "a goal
// is unmet"), and assembler errors in a player block are reported at the block's own LINE:COL
// (the engine's label lines around the block are not counted), as GNU as numbers the same text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KexecEvent } from '../../src/kexec/events.ts';
import { loadLevelFile } from '../../src/level/campaign.ts';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { LevelInputError, parseSolution, playPrepared, prepareRun } from '../../src/level/play.ts';
import type { SimEvent } from '../../src/level/events.ts';
import { AS, needTools } from '../gnu/tools.ts';

const FW = loadLevelFile(join(REPO_ROOT, 'levels/12-write-the-firmware.json'));
const PEER = loadLevelFile(join(REPO_ROOT, 'levels/13-jump-back-path.json'));
const BASE = 0x8030_0000;

function play(lf: typeof FW, file: string): { log: readonly SimEvent[]; passed: boolean; end: string; size: number } {
  const path = join(REPO_ROOT, 'levels/solutions', file);
  const input = prepareRun(lf.level, parseSolution(readJsonFile(path), lf.level, path), nodeLevelFiles(), nodeLevelAssets(), 0);
  const { result, sim } = playPrepared(input);
  return { log: sim.log, passed: result.passed, end: result.end, size: input.size };
}

function kexecEvents<T extends KexecEvent['type']>(log: readonly SimEvent[], type: T): Array<Extract<KexecEvent, { type: T }>> {
  return log.flatMap((e) => (e.type === 'kexec' && e.event.type === type ? [e.event as Extract<KexecEvent, { type: T }>] : []));
}

const consoleOf = (log: readonly SimEvent[], os: string): string => log.map((e) => (e.type === 'console' && e.os === os ? e.text : '')).join('');

/** The problems prepareRun reports for a block in the firmware level. */
function blockProblems(code: string): string[] {
  try {
    prepareRun(FW.level, parseSolution({ schema: 1, level: FW.level.id, values: { code } }, FW.level), nodeLevelFiles(), nodeLevelAssets(), 0);
  } catch (e) {
    if (e instanceof LevelInputError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('write-the-firmware', () => {
  it('reference: three calls, each entered at F\'s start and returning the perimeter; size = the block\'s bytes', () => {
    const r = play(FW, '12-write-the-firmware.json');
    expect(r.passed).toBe(true);
    expect(kexecEvents(r.log, 'jump').map((j) => j.target)).toEqual([BASE, BASE, BASE]);
    expect(kexecEvents(r.log, 'return').map((x) => [x.value, x.start])).toEqual([[12, BASE], [30, BASE], [70, BASE]]);
    expect(r.size).toBe(9 * 4 + 4); // 8 instructions + call = auipc + jalr
  });

  it('wrong-lost-ra: call isqrt overwrote ra, so F never returns (the limit, no return event)', () => {
    const r = play(FW, '12-write-the-firmware.wrong-lost-ra.json');
    expect(r.passed).toBe(false);
    expect(r.end).toBe('limit');
    expect(kexecEvents(r.log, 'jump')).toHaveLength(1);
    expect(kexecEvents(r.log, 'return')).toHaveLength(0);
  });

  it('wrong-jr: ra pointed into F at the return, so the next call starts there and A panics', () => {
    const r = play(FW, '12-write-the-firmware.wrong-jr.json');
    const [first] = kexecEvents(r.log, 'return');
    expect(first.value).toBe(12);
    expect(first.start).toBeGreaterThan(BASE);
    expect(first.start).toBeLessThan(BASE + r.size);
    expect(kexecEvents(r.log, 'jump')[1].target).toBe(first.start);
    expect(consoleOf(r.log, 'A')).toContain('A: panic:');
  });

  it('wrong-slot: ra stored over the next-time slot, so the second call enters A\'s re-entry point and returns its argument', () => {
    const r = play(FW, '12-write-the-firmware.wrong-slot.json');
    const rets = kexecEvents(r.log, 'return');
    expect(rets.map((x) => x.value)).toEqual([12, 5, 20]);
    const second = kexecEvents(r.log, 'jump')[1].target;
    expect(second >= BASE && second < BASE + 0x1000).toBe(false);
    expect(second).toBe(rets[0].start);
  });

  it('wrong-no-pop: sp 16 bytes low at ret, so the slot read is a stale word (0) and the second call jumps to 0', () => {
    const r = play(FW, '12-write-the-firmware.wrong-no-pop.json');
    expect(kexecEvents(r.log, 'return')[0]).toMatchObject({ value: 12, start: 0 });
    expect(kexecEvents(r.log, 'jump')[1].target).toBe(0);
    expect(consoleOf(r.log, 'A')).toContain('A: panic: scause=0x00000001 sepc=0x00000000');
  });
});

describe('jump-back-path', () => {
  const values = (log: readonly SimEvent[]): number[] => kexecEvents(log, 'return').map((x) => x.value);

  it('reference and alternatives bring back 1, 4, 9, 16; the coroutine resumes after each jalr', () => {
    for (const f of ['13-jump-back-path.json', '13-jump-back-path.alt-slot.json']) {
      const r = play(PEER, f);
      expect(r.passed).toBe(true);
      expect(values(r.log)).toEqual([1, 4, 9, 16]);
    }
    const co = play(PEER, '13-jump-back-path.alt-resume.json');
    expect(values(co.log)).toEqual([1, 4, 9, 16]);
    // Each trip enters B right after the jalr of the previous one (li + jalr = 8 bytes a step).
    expect(kexecEvents(co.log, 'jump').map((j) => j.target - BASE)).toEqual([0, 8, 16, 24]);
  });

  it('wrong-stack: the count kept below sp is lost with the swap page: every trip brings back 1', () => {
    const r = play(PEER, '13-jump-back-path.wrong-stack.json');
    expect(r.passed).toBe(false);
    expect(values(r.log)).toEqual([1, 1, 1, 1]);
  });

  it('wrong-own-entry: jumping to the slot (B\'s own start) instead of ra loops in B; A never comes back', () => {
    const r = play(PEER, '13-jump-back-path.wrong-own-entry.json');
    expect(r.end).toBe('limit');
    expect(kexecEvents(r.log, 'return')).toHaveLength(0);
  });

  it('wrong-slot-offset: the resume address written above the slot is ignored: every trip starts over', () => {
    const r = play(PEER, '13-jump-back-path.wrong-slot-offset.json');
    expect(values(r.log)).toEqual([1, 1, 1, 1]);
    expect(kexecEvents(r.log, 'return').map((x) => x.start)).toEqual([BASE, BASE, BASE, BASE]);
  });
});

describe('assembler errors in a player block', () => {
  const block = '    mv      s1, ra\n    add     s0, a0, a1\n    mull    a0, a0, a0\n    ret\n';

  it('are reported at the block\'s own line and column (the engine\'s label lines are not counted)', () => {
    expect(blockProblems(block)).toEqual(["values.code: levels/os/player/perimeter.S:3:5: unknown instruction 'mull'"]);
    expect(blockProblems('addi a0, a0, 99999')).toEqual(['values.code: levels/os/player/perimeter.S:1:14: immediate out of range: 99999 (expected -2048..2047)']);
    // A reference inside the message moves too; a clash with the engine's end label stays in the block.
    expect(blockProblems('__player_perimeter_end:\n    ret')).toEqual([
      "values.code: levels/os/player/perimeter.S:2:1: symbol '__player_perimeter_end' is already defined (first defined at levels/os/player/perimeter.S:1)",
    ]);
  });

  it('at the line GNU as gives for the same block text', (ctx) => {
    if (!needTools('block errors against GNU as', [AS])) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'jb-block-'));
    writeFileSync(join(dir, 'perimeter.S'), block);
    let stderr = '';
    try {
      execFileSync(AS, ['-march=rv32im', '-mabi=ilp32', '-o', join(dir, 'x.o'), join(dir, 'perimeter.S')], { stdio: 'pipe' });
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    const gnuLine = /perimeter\.S:(\d+): Error/.exec(stderr)?.[1];
    expect(gnuLine).toBe('3');
    expect(blockProblems(block)[0]).toContain(`perimeter.S:${gnuLine}:`);
  });
});
