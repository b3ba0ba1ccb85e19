// A level's own relocate code (src/level/relocate.ts): level 26's source is the stock relocate.S
// with one part cut out for the player's block; each of its solutions' blocks, run under the
// invariant checker, keeps or breaks the kexec invariants as the level's goals say; a block that
// cannot be relocate code is a problem at the player's field; levels without one keep the stock code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInvariants, InvariantMonitor } from '../../src/kexec/invariants.ts';
import { relocateCode } from '../../src/kexec/node.ts';
import { loadLevelFile, solutionFiles } from '../../src/level/campaign.ts';
import { nodeLevelAssets, nodeLevelFiles, readJsonFile, REPO_ROOT } from '../../src/level/files.ts';
import { levelAsmBudget } from '../../src/level/images.ts';
import { LevelInputError, parseLevel, parseSolution, prepareRun } from '../../src/level/play.ts';
import { buildRelocate } from '../../src/level/relocate.ts';
import type { Level } from '../../src/level/schema.ts';
import { rig } from '../kexec/harness.ts';
import { buildUserOs } from '../kexec/user-os.ts';

const LEVEL = loadLevelFile(join(REPO_ROOT, 'levels/26-lost-flag.json'));
const USER_OS = buildUserOs().bin;
const lines = (path: string): string[] => readFileSync(join(REPO_ROOT, path), 'utf8').split('\n');

/** The block a solution file (or, for null, the level's default) puts in player/swapback.S. */
function blockOf(solution: string | null): string {
  if (solution === null) return LEVEL.level.oses[0].blocks.swapback;
  const s = parseSolution(readJsonFile(solution), LEVEL.level, solution);
  return s.values.swapback as string;
}

/** user-os (a preserve-context round trip to a peer and back) with that block's relocate code. */
function runUserOs(block: string): { passed: boolean; invariants: Array<number | string> } {
  const code = buildRelocate(LEVEL.level.relocate!, { swapback: block }, nodeLevelFiles(), levelAsmBudget()).code;
  const r = rig(USER_OS, { ramMiB: 4, relocate: code });
  new InvariantMonitor(r.kexec);
  r.machine.run(15_000_000);
  return { passed: r.machine.halted?.kind === 'pass', invariants: checkInvariants(r.kexec).map((v) => v.invariant) };
}

function withRelocate(patch: Partial<Level>, block?: string): ReturnType<typeof prepareRun> {
  const level = { ...LEVEL.level, ...patch };
  const solution = block === undefined ? null : { schema: 1 as const, level: level.id, values: { swapback: block } };
  return prepareRun(level, solution, nodeLevelFiles(), nodeLevelAssets(), 0, 'solution.json', 'level.json');
}

function problemsOf(f: () => unknown): Array<{ path: string; message: string }> {
  try {
    f();
  } catch (e) {
    if (e instanceof LevelInputError) return e.problems;
    throw e;
  }
  return [];
}

describe("a level's own relocate code", () => {
  it("level 26's relocate source is src/kexec/relocate.S, line for line, but for the player's block", () => {
    const stock = lines('src/kexec/relocate.S');
    const own = lines(LEVEL.level.relocate!.asm);
    const body = own.slice(own.findIndex((l) => l.startsWith('    # Offsets from the data area')));
    const cutAt = stock.findIndex((l) => l.trim().startsWith('li      a2, 2'));
    const includeAt = body.findIndex((l) => l.trim() === '.include "player/swapback.S"');
    expect(cutAt).toBeGreaterThan(0);
    expect(includeAt).toBeGreaterThan(0);
    // Before the cut: the same lines (the level's two comment lines stand where the stock's cut part starts).
    expect(body.slice(0, includeAt - 2)).toEqual(stock.slice(stock.findIndex((l) => l.startsWith('    # Offsets from the data area')), cutAt));
    // After it: from the call of swap_pages to the end.
    expect(body.slice(includeAt + 1)).toEqual([stock[cutAt + 5].replace(/^1:  /, '    '), ...stock.slice(cutAt + 6)]);
  });

  it('under the invariant checker, the default block and the wrong one leave the peer unsaved (invariant 9); the fixes break nothing', () => {
    const { reference, alt, wrong } = solutionFiles(LEVEL);
    for (const s of [reference, ...alt]) expect(runUserOs(blockOf(s)), s!).toEqual({ passed: true, invariants: [] });
    for (const s of [null, ...wrong]) {
      const r = runUserOs(blockOf(s));
      expect(r.passed, String(s)).toBe(false);
      expect(r.invariants, String(s)).toContain(9);
    }
  });

  it("is used for the level's jumps, and its block's bytes are the asm field's size", () => {
    const stock = nodeLevelAssets().relocate;
    const fixed = withRelocate({}, '    li a2, 2\n');
    expect(fixed.assets.relocate).not.toBe(stock);
    expect(fixed.assets.relocate.bytes.length).toBeLessThanOrEqual(0x800);
    expect(fixed.size).toBe(4);
    expect(withRelocate({}, '    lw a2, 0x028(s0)\n    ori a2, a2, 2\n').size).toBe(8);
  });

  it('a level without one keeps the stock relocate code', () => {
    const plain = withRelocate({ relocate: undefined });
    expect(plain.assets.relocate).toBe(relocateCode());
  });

  it("a block that cannot be relocate code is a problem at the player's field, with the block's own line", () => {
    expect(problemsOf(() => withRelocate({}, '    nop\n    li a2\n'))).toEqual([
      expect.objectContaining({ path: 'values.swapback', message: expect.stringContaining('player/swapback.S:2') }),
    ]);
    expect(problemsOf(() => withRelocate({}, '    .space 0x800\n'))).toEqual([
      expect.objectContaining({ path: 'values.swapback', message: expect.stringMatching(/relocate-swapback\.S: relocate\.S is \d+ bytes; the control page has room for 0x800 \(player\/swapback\.S assembles to 2048 bytes\)/) }),
    ]);
  });

  it('a missing relocate source or one outside the level folders is a problem at relocate.asm', () => {
    expect(problemsOf(() => withRelocate({ relocate: { asm: 'levels/os/nope.S', os: 'A' } }))).toEqual([
      { path: 'relocate.asm', message: 'cannot read levels/os/nope.S: no such file' },
    ]);
    expect(problemsOf(() => withRelocate({ relocate: { asm: 'src/kexec/relocate.S', os: 'A' } }))[0]).toMatchObject({ path: 'relocate.asm', message: expect.stringContaining('outside the folders a level may read') });
  });

  it('the schema names an unknown OS and a source that is not .S', () => {
    const json = JSON.parse(readFileSync(LEVEL.path, 'utf8')) as Record<string, unknown>;
    expect(problemsOf(() => parseLevel({ ...json, relocate: { asm: 'levels/os/relocate-swapback.S', os: 'C' } }))).toContainEqual({ path: 'relocate.os', message: "no OS 'C' in this level" });
    expect(problemsOf(() => parseLevel({ ...json, relocate: { asm: 'levels/os/rom.txt', os: 'A' } }))).toContainEqual({ path: 'relocate.asm', message: 'the relocate code is assembled from a .S file' });
    expect(problemsOf(() => parseLevel({ ...json, relocate: { asm: '../etc/passwd.S', os: 'A' } }))[0]?.path).toBe('relocate.asm');
  });
});
