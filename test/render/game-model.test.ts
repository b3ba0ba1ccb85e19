// The game page's DOM-free parts: histogram buckets, share links and drafts, the kexec timeline
// folded from a real level run's events, assembler messages mapped to the player's block lines.
import { describe, expect, it } from 'vitest';
import { loadLevelFile, solutionFiles } from '../../src/level/campaign.ts';
import { nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { parseSolution, playPrepared, prepareRun } from '../../src/level/play.ts';
import { bars, betterThan, bucketOf, standing } from '../../src/render/game/histogram.ts';
import { decodeSolution, encodeSolution, loadDraft, Progress, readHash, saveDraft, writeHash, type KeyValue } from '../../src/render/game/share.ts';
import { OwnerBook } from '../../src/render/game/owner-book.ts';
import { Timeline } from '../../src/render/game/timeline.ts';
import { blockMessages, cellValue, joinWords, splitWords } from '../../src/render/game/editor.ts';
import { campaignFromFiles } from '../../src/render/game/campaign.ts';
import { gameFiles } from '../../src/cli/serve.ts';
import { parseLevel } from '../../src/level/play.ts';

const memoryStore = (): KeyValue => {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
};

describe('histogram', () => {
  const h: Array<[number, number]> = [[1000, 2], [500, 5], [2000, 1]];
  it('puts a value in the first bucket whose bound holds it, the last one past the end', () => {
    expect(bucketOf(h, 10)).toBe(1);
    expect(bucketOf(h, 500)).toBe(1);
    expect(bucketOf(h, 501)).toBe(0);
    expect(bucketOf(h, 99999)).toBe(2);
    expect(bucketOf([], 5)).toBe(-1);
  });
  it('draws bars in bound order with the player bucket marked', () => {
    const b = bars(h, 700);
    expect(b.map((x) => x.upTo)).toEqual([500, 1000, 2000]);
    expect(b.map((x) => x.mine)).toEqual([false, true, false]);
    expect(b[0].height).toBe(1);
    expect(betterThan(h, 400)).toBeCloseTo(3 / 8);
    expect(betterThan([], 400)).toBeNull();
  });
  it('says a tie with the best is as good as the best, never "better than 0%"', () => {
    expect(standing(h, 400)).toBe('as good as the best reference solutions (better than 38% of all)');
    expect(standing([[1000, 1], [2000, 0]], 1000)).toBe('as good as the reference solution');
    expect(standing([[1000, 2], [2000, 0]], 900)).toBe('as good as the best reference solutions');
    expect(standing([[100, 0], [200, 3]], 50)).toBe('better than every reference solution');
    expect(standing(h, 700)).toBe('better than 13% of reference solutions');
    expect(standing(h, 5000)).toBe('not better than any reference solution yet');
    expect(standing([], 1)).toBeNull();
  });
});

describe('share and drafts', () => {
  it('round-trips a solution through the URL hash, unicode included', () => {
    const sol = { schema: 1 as const, level: 'jump-and-back', note: 'ünïcode → ok', values: { load: ['-l', 'B'], n: 3 } };
    const hash = writeHash('02-jump-and-back', sol);
    const h = readHash(hash);
    expect(h.level).toBe('02-jump-and-back');
    const d = decodeSolution(h.solution!);
    expect(d).toEqual({ ok: true, json: sol });
    expect(encodeSolution(sol)).not.toMatch(/[+/=]/);
  });
  it('reports unreadable links instead of throwing', () => {
    expect(decodeSolution('%%%').ok).toBe(false);
    expect(decodeSolution(btoa('{nope')).ok).toBe(false);
  });
  it('keeps drafts and the best score of each metric', () => {
    const s = memoryStore();
    expect(loadDraft(s, 'x')).toBeNull();
    saveDraft(s, 'x', { schema: 1, level: 'x', values: { a: 1 } });
    expect(loadDraft(s, 'x')?.values).toEqual({ a: 1 });
    s.setItem('jumpback.solution.y', '{broken');
    expect(loadDraft(s, 'y')).toBeNull();
    const p = new Progress(s);
    p.record('x', { cycles: 10, pages: 5, size: 3 });
    p.record('x', { cycles: 20, pages: 4, size: 3 });
    expect(new Progress(s).solved('x')).toEqual({ cycles: 10, pages: 4, size: 3 });
    s.setItem('jumpback.progress', 'not json');
    expect(new Progress(s).count()).toBe(0);
  });
});

describe('editor helpers', () => {
  it('picks the assembler messages of one player block (lines already block-relative)', () => {
    const msg = "player/jb.S:1:2: illegal operands for 'addi'\nplayer/other.S:5:1: nope\nplayer/jb.S:3:9: unknown instruction 'bogus'";
    expect(blockMessages(msg, 'jb')).toEqual([
      { line: 1, col: 2, message: "illegal operands for 'addi'" },
      { line: 3, col: 9, message: "unknown instruction 'bogus'" },
    ]);
    expect(splitWords('  -l  B\t--append=x ')).toEqual(['-l', 'B', '--append=x']);
    const words = ['-l', 'D', '--append=name=D dump_base=0x80000000', `say "hi"`, ''];
    expect(joinWords(words)).toBe(`-l D "--append=name=D dump_base=0x80000000" 'say "hi"' ""`);
    expect(splitWords(joinWords(words))).toEqual(words);
    expect(cellValue(' 0x80200000 ')).toBe('0x80200000');
    expect(cellValue('4096')).toBe(4096);
    expect(cellValue('zz')).toBe('zz');
  });
});

describe('campaign bundle and timeline', () => {
  it('bundles every level file with its reference solution, in campaign order', () => {
    const files = gameFiles();
    expect(Object.keys(files)).toContain('src/kexec/relocate.S');
    expect(Object.keys(files)).toContain('assets/os/include/kernel.inc');
    const levels = campaignFromFiles(files, (j, f) => parseLevel(j, f));
    expect(levels.length).toBeGreaterThanOrEqual(4);
    expect(levels.map((l) => l.level.order)).toEqual([...levels.map((l) => l.level.order)].sort((a, b) => a - b));
    expect(levels.every((l) => l.reference !== null)).toBe(true);
  });

  it('folds a real run of jump-and-back into load, freeze, jump, swap, thaw, return phases', () => {
    const lf = loadLevelFile(new URL('../../levels/02-jump-and-back.json', import.meta.url).pathname);
    const sol = parseSolution(readJsonFile(solutionFiles(lf).reference!), lf.level);
    const { sim } = playPrepared(prepareRun(lf.level, sol, nodeLevelFiles(), nodeLevelAssets(), 0));
    const owners = new OwnerBook();
    const t = new Timeline(owners);
    sim.log.forEach((e, i) => {
      owners.observe(e);
      t.add(e, e.at, i);
    });
    const titles = t.entries.map((e) => e.title);
    expect(titles[0]).toBe('boot A');
    const seq = ['load A', 'freeze A', 'jump A → B', 'swap out · 64 page pairs', 'jump B → A', 'thaw A', 'return B → A', 'swap back · 64 page pairs'];
    let at = 0;
    for (const s of seq) {
      const i = titles.findIndex((x, k) => k >= at && x.startsWith(s));
      expect(i, `${s} after ${titles[at]}`).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
    const freeze = t.entries.find((e) => e.kind === 'freeze')!;
    expect(freeze.detail).toContain('freeze_processes');
    expect(freeze.detail.some((d) => d.startsWith('uart:'))).toBe(true);
    expect(owners.names()).toEqual(['nobody', 'A', 'B']);
    expect(owners.ownerOfOs('B')).toBe(2);
  });
});

describe('event-log hash read mid-run', () => {
  it('does not change the final hash (the page shows it live while console runs are pending)', async () => {
    const { EventLogHasher } = await import('../../src/sim/simulation/hash.ts');
    const { SIM_EVENT_RULES } = await import('../../src/level/events.ts');
    const events = [
      { type: 'console' as const, at: 1, os: 'A', text: 'ab' },
      { type: 'console' as const, at: 2, os: 'A', text: 'cd\n' },
      { type: 'goal' as const, at: 3, id: 'g', met: true },
    ];
    const quiet = new EventLogHasher(SIM_EVENT_RULES.merge);
    const peeked = new EventLogHasher(SIM_EVENT_RULES.merge);
    for (const e of events) {
      quiet.add(e);
      peeked.add(e);
      peeked.hex();
    }
    expect(peeked.hex()).toBe(quiet.hex());
  });
});
