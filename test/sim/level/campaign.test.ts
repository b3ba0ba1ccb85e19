// Every level of levels/: its reference solution passes, each wrong solution is valid and fails,
// and playing twice gives the same event-log hash.
import { describe, expect, it } from 'vitest';
import { campaignFiles, loadLevelFile, playLevelFile, solutionFiles } from '../../../src/sim/level/campaign.ts';

const files = campaignFiles();

describe('campaign', () => {
  it('has levels in campaign order with unique ids', () => {
    const levels = files.map((f) => loadLevelFile(f).level);
    expect(levels.length).toBeGreaterThanOrEqual(3);
    expect(new Set(levels.map((l) => l.id)).size).toBe(levels.length);
    expect(levels.map((l) => l.order)).toEqual(levels.map((_, i) => i + 1));
  });

  for (const path of files) {
    const lf = loadLevelFile(path);
    const { reference, wrong } = solutionFiles(lf);
    describe(lf.name, () => {
      it('ships a reference solution and at least one wrong one', () => {
        expect(reference).not.toBeNull();
        expect(wrong.length).toBeGreaterThanOrEqual(1);
      });
      it('reference solution passes, twice with the same hash', () => {
        const a = playLevelFile(lf, reference);
        expect(a.goals.filter((g) => !g.met)).toEqual([]);
        expect(a.passed).toBe(true);
        expect(playLevelFile(lf, reference).hash).toBe(a.hash);
      });
      for (const w of wrong) {
        it(`${w.split('/').pop()} fails`, () => {
          const r = playLevelFile(lf, w);
          expect(r.passed).toBe(false);
          expect(r.goals.some((g) => !g.met)).toBe(true);
        });
      }
    });
  }
});
