// (b) A level the package ships, played with its reference solution: every goal met, the score
// the level's par is made of, and the event-log hash `jumpback level` prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LevelInputError, levelNames, loadLevel, packageFile, playLevel } from 'jumpback';

const hashes = JSON.parse(readFileSync(new URL('./level-hashes.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('level 03-ping-pong from the package', () => {
  it('is shipped, with its reference solution', () => {
    expect(levelNames()).toContain('03-ping-pong');
  });

  it('passes with the reference solution, with the hash `jumpback level` prints', () => {
    // #region level
    const { level, solution } = loadLevel('03-ping-pong');
    const result = playLevel(level, { solution });
    expect(result.passed).toBe(true);
    expect(result.goals.filter((g) => !g.met)).toEqual([]);
    expect(result.hash).toBe(hashes['03-ping-pong']);
    // #endregion level
    // The shipped par is the reference solution's score.
    expect(result.score).toEqual((level as { par: unknown }).par);
    // Same level, solution and seed: same hash.
    expect(playLevel(level, { solution }).hash).toBe(result.hash);
  });

  it('fails with the shipped wrong solution (one page too small for B)', () => {
    const { level } = loadLevel('03-ping-pong');
    const wrong = JSON.parse(packageFile('levels/solutions/03-ping-pong.wrong-tight.json')!);
    const result = playLevel(level, { solution: wrong });
    expect(result.passed).toBe(false);
    expect(result.goals.find((g) => g.id === 'trips')?.met).toBe(false);
  });

  it('names what is wrong in a bad solution', () => {
    // #region bad-solution
    const { level } = loadLevel('03-ping-pong');
    const bad = { schema: 1, level: 'ping-pong', values: { load: 'not a list' } };
    expect(() => playLevel(level, { solution: bad })).toThrow(LevelInputError);
    try {
      playLevel(level, { solution: bad });
    } catch (e) {
      expect((e as LevelInputError).problems[0].path).toBe('values.load');
    }
    // #endregion bad-solution
  });
});
