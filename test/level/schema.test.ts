// Level and solution checks: errors carry the JSON path and say what is wrong.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { LevelInputError, parseLevel, parseSolution, prepareRun } from '../../src/level/play.ts';

const good = readJsonFile(join(REPO_ROOT, 'levels/02-jump-and-back.json')) as Record<string, unknown>;
const clone = (): Record<string, any> => JSON.parse(JSON.stringify(good));

function problems(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (e) {
    if (e instanceof LevelInputError) return e.problems;
    throw e;
  }
  throw new Error('expected a LevelInputError');
}

describe('level schema', () => {
  it('accepts the shipped level', () => {
    expect(parseLevel(good).id).toBe('jump-and-back');
  });

  it('takes a level without par and histogram (unscored); refuses one without the other', () => {
    const l = clone();
    delete l.par;
    delete l.histogram;
    const unscored = parseLevel(l);
    expect(unscored.par).toBeUndefined();
    expect(unscored.histogram).toBeUndefined();
    const half = clone();
    delete half.histogram;
    expect(problems(() => parseLevel(half))).toContainEqual({
      path: 'histogram', message: '"par" and "histogram" go together: add "histogram" or remove both (jumpback par LEVEL.json --write writes them)',
    });
  });

  it('takes an optional tutorial: callouts at run moments, anchored on a page role (and OS)', () => {
    const l = clone();
    l.tutorial = [{ when: 'load', page: { role: 'control', os: 'A' }, title: 'Control', text: 'the control page' }, { when: 'end', text: 'done' }];
    expect(parseLevel(l).tutorial).toEqual(l.tutorial);
    l.tutorial = [{ when: 'later', page: { role: 'controll', os: 'Z' }, text: '' }];
    const got = problems(() => parseLevel(l)).map((p) => p.path);
    expect(got).toEqual(expect.arrayContaining(['tutorial[0].when', 'tutorial[0].page.role', 'tutorial[0].text']));
    l.tutorial = [{ when: 'start', page: { role: 'kernel', os: 'Z' }, text: 'who?' }];
    expect(problems(() => parseLevel(l))).toContainEqual({ path: 'tutorial[0].page.os', message: "no OS 'Z' in this level" });
  });

  it('names the JSON path of each problem', () => {
    const l = clone();
    l.oses[1].script[1] = 'reboot now';
    l.goals[0].type = 'teleport';
    l.limits.maxInstructions = -5;
    delete l.title;
    l.extra = 1;
    const p = problems(() => parseLevel(l));
    const paths = p.map((x) => x.path);
    expect(paths).toContain('oses[1].script[1]');
    expect(paths).toContain('goals[0].type');
    expect(paths).toContain('limits.maxInstructions');
    expect(paths).toContain('title');
    expect(p.find((x) => x.path === '$')?.message).toMatch(/extra/);
  });

  it("an OS's boot-time `faults` take only fault names a level may inject", () => {
    const l = clone();
    l.oses[0].faults = ['preserve-lost', 'teleport'];
    const p = problems(() => parseLevel(l));
    expect(p.map((x) => x.path)).toEqual(['oses[0].faults[1]']);
    l.oses[0].faults = ['preserve-lost', 'wrong-swap-page'];
    expect(parseLevel(l).oses[0].faults).toEqual(['preserve-lost', 'wrong-swap-page']);
  });

  it('checks cross references: boot OS, goal OSes, ${fields}', () => {
    const l = clone();
    l.oses[1].boot = true;
    l.goals[0].os = 'Z';
    l.oses[0].script[1] = 'kexec ${nope}';
    const p = problems(() => parseLevel(l));
    expect(p).toContainEqual({ path: 'oses', message: 'exactly one OS must have "boot": true' });
    expect(p).toContainEqual({ path: 'goals[0].os', message: "no OS 'Z' in this level" });
    expect(p).toContainEqual({ path: 'oses[0].script[1]', message: '${nope} is not an editable field' });
  });

  it('accepts hex strings for addresses and refuses malformed ones', () => {
    const l = clone();
    l.oses[1].base = '0x8020000G';
    expect(problems(() => parseLevel(l))[0].path).toBe('oses[1].base');
  });
});

describe('solutions', () => {
  const level = parseLevel(good);
  const sol = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ schema: 1, level: 'jump-and-back', values, ...extra });

  it('only editable fields, with allowed options and words', () => {
    expect(problems(() => parseSolution(sol({ flags: 2 }), level))).toEqual([{ path: 'values.flags', message: "'flags' is not editable in this level" }]);
    const p = problems(() => parseSolution(sol({ load: ['--load-jump-back-helper', 'C', '--mem-min=lots'] }), level));
    expect(p.map((x) => x.path)).toEqual(['values.load', 'values.load', 'values.load']);
    expect(p.map((x) => x.message).join('\n')).toMatch(/'--load-jump-back-helper' is not allowed[\s\S]*'C' is not allowed[\s\S]*needs a number/);
  });

  it('refuses a solution for another level, and malformed files at their path', () => {
    expect(problems(() => parseSolution(sol({}, { level: 'other' }), level))[0]).toEqual({ path: 'level', message: "solution is for level 'other', not 'jump-and-back'" });
    expect(problems(() => parseSolution({ schema: 1, level: 'jump-and-back', values: { load: [1] } }, level))[0].path).toMatch(/^values\.load/);
  });

  it('a score in the file is ignored: runs recompute it', () => {
    const s = parseSolution(sol({ load: ['-l', 'B'] }, { score: { cycles: 1, pages: 0, size: 0 } }), level);
    const input = prepareRun(level, s, nodeLevelFiles(), nodeLevelAssets(), 0);
    expect(input.size).toBe(0);
  });
});
