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
  it('has at least 12 levels in campaign order with unique ids', () => {
    const levels = files.map((f) => loadLevelFile(f).level);
    expect(levels.length).toBeGreaterThanOrEqual(12);
    expect(new Set(levels.map((l) => l.id)).size).toBe(levels.length);
    expect(levels.map((l) => l.order)).toEqual(levels.map((_, i) => i + 1));
  });

  for (const path of files) {
    const lf = loadLevelFile(path);
    const { reference, wrong, alt } = solutionFiles(lf);
    describe(lf.name, () => {
      // Each play once, whichever test asks first: every test can run alone, filtered or shuffled.
      const plays = new Map<string | null, ReturnType<typeof playLevelFile>>();
      const play = (solution: string | null): ReturnType<typeof playLevelFile> => {
        let r = plays.get(solution);
        if (!r) { r = playLevelFile(lf, solution); plays.set(solution, r); }
        return r;
      };
      it('ships a reference solution and at least one wrong one', () => {
        expect(reference).not.toBeNull();
        expect(wrong.length).toBeGreaterThanOrEqual(1);
      });
      it('reference solution passes, twice with the same hash', () => {
        const a = play(reference);
        expect(a.goals.filter((g) => !g.met)).toEqual([]);
        expect(a.passed).toBe(true);
        expect(playLevelFile(lf, reference).hash).toBe(a.hash);
      });
      for (const p of alt) {
        it(`${p.split('/').pop()} passes`, () => {
          expect(play(p).passed).toBe(true);
        });
      }
      it('par and histograms are the reference plays\' real scores', () => {
        const scores: Score[] = [reference, ...alt].map((p) => play(p).score);
        const { par, histogram } = parOf(scores[0]!, scores);
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
