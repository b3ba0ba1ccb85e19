// Every level of levels/: its reference solution passes, each wrong solution is valid and fails,
// each alternative passes, playing twice gives the same event-log hash, and the shipped par scores
// and reference histograms are the ones real plays give (run `npx tsx levels/update-par.ts` when
// this fails after a deliberate change).
import { describe, expect, it } from 'vitest';
import { campaignFiles, loadLevelFile, playLevelFile, solutionFiles } from '../../../src/sim/level/campaign.ts';
import { parOf } from '../../../src/sim/level/par.ts';
import type { Score } from '../../../src/sim/level/world.ts';

const files = campaignFiles();

describe('campaign', () => {
  it('has at least 12 levels in campaign order with unique ids: the tutorial (order 0), then 1, 2, ...', () => {
    const levels = files.map((f) => loadLevelFile(f).level);
    expect(levels.length).toBeGreaterThanOrEqual(12);
    expect(new Set(levels.map((l) => l.id)).size).toBe(levels.length);
    expect(levels[0].order).toBe(0);
    expect(levels[0].tutorial?.length).toBeGreaterThan(0);
    expect(levels.map((l) => l.order)).toEqual(levels.map((_, i) => i));
  });

  for (const path of files) {
    const lf = loadLevelFile(path);
    const { reference, wrong, alt } = solutionFiles(lf);
    describe(lf.name, () => {
      const scores: Score[] = [];
      it('ships a reference solution and at least one wrong one', () => {
        expect(reference).not.toBeNull();
        expect(wrong.length).toBeGreaterThanOrEqual(1);
      });
      it('reference solution passes, twice with the same hash', () => {
        const a = playLevelFile(lf, reference);
        expect(a.goals.filter((g) => !g.met)).toEqual([]);
        expect(a.passed).toBe(true);
        scores.unshift(a.score);
        expect(playLevelFile(lf, reference).hash).toBe(a.hash);
      });
      for (const p of alt) {
        it(`${p.split('/').pop()} passes`, () => {
          const r = playLevelFile(lf, p);
          expect(r.passed).toBe(true);
          scores.push(r.score);
        });
      }
      it('par and histograms are the reference plays\' real scores', () => {
        expect(scores.length).toBe(1 + alt.length);
        const { par, histogram } = parOf(scores[0], scores);
        expect(lf.level.par).toEqual(par);
        expect(lf.level.histogram).toEqual(histogram);
      });
      for (const w of wrong) {
        it(`${w.split('/').pop()} fails`, () => {
          const r = playLevelFile(lf, w);
          expect(r.passed).toBe(false);
          if (lf.level.goals.length > 0) expect(r.goals.some((g) => !g.met)).toBe(true);
          else expect(r.end).not.toBe('limit');
        });
      }
    });
  }
});
