// Replays recorded headless: a level's run as a GIF read back with omggif. The frame count follows
// the event log (one frame per timeline entry, one per 100k instructions between), the map's
// pixels show the pages whose owner or role changed, the bytes are the same on every run, the file
// is under 2 MB; the rasterizer and the font draw what the map shader and the glyph table say.
import { VirtualTimeScheduler } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { playPrepared, type PlayResult } from '../../src/level/play.ts';
import { LevelWorld, type LevelWorldInput } from '../../src/level/world.ts';
import { PageRole } from '../../src/sim/memory.ts';
import { Simulation } from '../../src/sim/simulation/simulation.ts';
import { OwnerBook } from '../../src/render/game/owner-book.ts';
import { Timeline } from '../../src/render/game/timeline.ts';
import { mapLayout } from '../../src/render/map-layout.ts';
import { lookOf, MAP_BACKGROUND, MarkPattern, pageCode } from '../../src/render/page-code.ts';
import { drawText, fitText, fontText, GLYPH_ADVANCE, textWidth } from '../../src/render/replay/font.ts';
import { encodeGif, type EncodedReplay } from '../../src/render/replay/gif.ts';
import { CellPainter, drawMap, Raster } from '../../src/render/replay/raster.ts';
import { DEFAULT_REPLAY, recordRun, thinFrames, type Recording, type ReplayFrame } from '../../src/render/replay/recorder.ts';
import { decodeGif, rgbAt, type GifPictures } from './gif-frames.ts';
import { referenceInput } from './replay-input.ts';

const LEVEL = '02-jump-and-back';

/** Owner and role of every page right after boot (a fresh world, not played) and at the end of a plain run. */
function pagesAtBootAndEnd(input: LevelWorldInput): { boot: [Uint8Array, Uint8Array]; end: [Uint8Array, Uint8Array]; log: PlayResult & { timeline: number } } {
  const fresh = new Simulation(() => new LevelWorld(input), { scheduler: new VirtualTimeScheduler() });
  const m0 = fresh.world.machine.memory;
  const { result, sim } = playPrepared(input);
  const m1 = sim.world.machine.memory;
  // The game's timeline folded from the plain run's log: one replay frame per entry.
  const owners = new OwnerBook();
  const timeline = new Timeline(owners, (k) => (sim.world as LevelWorld).imageOsOf(k));
  sim.log.forEach((e, i) => {
    owners.observe(e);
    timeline.add(e, 0, i);
  });
  return { boot: [m0.owner.slice(), m0.role.slice()], end: [m1.owner.slice(), m1.role.slice()], log: { ...result, timeline: timeline.entries.length } };
}

describe(`a replay of ${LEVEL} (reference solution, seed 0)`, () => {
  let input: LevelWorldInput;
  let recording: Recording;
  let result: PlayResult;
  let gif: EncodedReplay;
  let pictures: GifPictures;
  let plain: ReturnType<typeof pagesAtBootAndEnd>;

  beforeAll(() => {
    input = referenceInput(LEVEL);
    ({ recording, result } = recordRun(input));
    gif = encodeGif(recording);
    pictures = decodeGif(gif.bytes);
    plain = pagesAtBootAndEnd(input);
  });

  it('records the same run the level engine plays: same hash, same instructions', () => {
    expect(result.passed).toBe(true);
    expect(result.hash).toBe(plain.log.hash);
    expect(recording.instructions).toBe(plain.log.instructions);
  });

  it('has one frame per timeline entry and one per 100k instructions between, and the GIF holds them all', () => {
    const events = recording.frames.filter((f) => f.kind === 'event').length;
    const ticks = recording.frames.filter((f) => f.kind === 'tick').length;
    expect(events).toBe(plain.log.timeline);
    // Slices of `every` instructions; the one the run ends in is not a tick.
    expect(ticks).toBe(Math.ceil(plain.log.instructions / DEFAULT_REPLAY.every) - 1);
    expect(recording.frames.length).toBeLessThanOrEqual(DEFAULT_REPLAY.maxFrames);
    expect(pictures.pictures.length).toBe(events + ticks);
    expect(gif.frames).toBe(events + ticks);
    expect(pictures.loops).toBe(0);
    expect(pictures.delays.at(-1)).toBe(DEFAULT_REPLAY.lastMs);
    expect(pictures.delays.slice(0, -1)).toEqual(recording.frames.slice(0, -1).map((f) => (f.kind === 'event' ? DEFAULT_REPLAY.eventMs : DEFAULT_REPLAY.tickMs)));
    const ats = recording.frames.map((f) => f.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(recording.frames.at(-1)!.title).toMatch(/^end: /);
  });

  it('draws the first and last frames differently exactly where a page changed owner or role', () => {
    const layout = mapLayout(input.level.machine.ramMiB * 256);
    const cell = pictures.width / layout.cols;
    expect(Number.isInteger(cell)).toBe(true);
    const [owner0, role0] = plain.boot;
    const [owner1, role1] = plain.end;
    const changed: number[] = [];
    for (let pfn = 0; pfn < layout.pageCount; pfn++) if (owner0[pfn] !== owner1[pfn] || role0[pfn] !== role1[pfn]) changed.push(pfn);
    expect(changed.length).toBeGreaterThan(0);
    const centre = (pfn: number): [number, number] => [(pfn % layout.cols) * cell + (cell >> 1), Math.floor(pfn / layout.cols) * cell + (cell >> 1)];
    const last = pictures.pictures.length - 1;
    for (const pfn of changed) {
      const [x, y] = centre(pfn);
      const first = rgbAt(pictures, 0, x, y);
      const end = rgbAt(pictures, last, x, y);
      expect(first, `page ${pfn} at boot`).toBe(lookOf(pageCode(owner0[pfn], role0[pfn], false)).base);
      // The last frame may still show a page written just before the end as hot.
      expect([pageCode(owner1[pfn], role1[pfn], false), pageCode(owner1[pfn], role1[pfn], true)].map((c) => lookOf(c).base), `page ${pfn} at the end`).toContain(end);
      expect(end, `page ${pfn}`).not.toBe(first);
    }
  });

  it('gives byte-identical GIFs for the same level, solution and seed, and a different one for another seed', () => {
    const again = encodeGif(recordRun(referenceInput(LEVEL)).recording);
    expect(Buffer.from(again.bytes).equals(Buffer.from(gif.bytes))).toBe(true);
    // 04-out-of-memory has machine noise: the seed moves what the map shows.
    const a = encodeGif(recordRun(referenceInput('04-out-of-memory', 1)).recording);
    const b = encodeGif(recordRun(referenceInput('04-out-of-memory', 2)).recording);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(false);
  });

  it('stays under 2 MB', () => {
    expect(gif.bytes.length).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('frame cap', () => {
  const frame = (kind: ReplayFrame['kind'], at: number): ReplayFrame => ({ kind, at, codes: new Uint8Array(1), title: '', failed: false, os: '' });
  it('drops tick frames evenly first, keeping the first and last frames', () => {
    const frames = Array.from({ length: 20 }, (_, i) => frame(i % 4 === 0 ? 'event' : 'tick', i));
    const kept = thinFrames(frames, 8);
    expect(kept).toHaveLength(8);
    expect(kept[0]).toBe(frames[0]);
    expect(kept.at(-1)).toBe(frames[19]);
    expect(kept.filter((f) => f.kind === 'event')).toHaveLength(5);
  });
  it('then drops event frames when events alone are too many', () => {
    const frames = Array.from({ length: 30 }, (_, i) => frame('event', i));
    const kept = thinFrames(frames, 10);
    expect(kept).toHaveLength(10);
    expect(kept[0].at).toBe(0);
    expect(kept.at(-1)!.at).toBe(29);
  });
  it('caps a real recording and its GIF', () => {
    const { recording } = recordRun(referenceInput('01-first-jump'), { ...DEFAULT_REPLAY, maxFrames: 5 });
    expect(recording.frames).toHaveLength(5);
    expect(decodeGif(encodeGif(recording).bytes).pictures).toHaveLength(5);
  });
});

describe('rasterizer and font', () => {
  it('paints a cell as the map shader does: gap pixels, mark pattern, base fill', () => {
    const layout = mapLayout(4);
    const codes = new Uint8Array([pageCode(1, PageRole.Control, false), pageCode(2, PageRole.Kernel, false), pageCode(0, PageRole.Free, true), pageCode(3, PageRole.Swap, false)]);
    const raster = new Raster(16, 16);
    drawMap(raster, codes, layout, new CellPainter(8), 0, 0);
    const control = lookOf(codes[0]);
    expect(raster.rgbAt(0, 3)).toBe(MAP_BACKGROUND); // the one-pixel gap
    expect(raster.rgbAt(4, 4)).toBe(control.base); // centre: never marked
    expect(control.pattern).toBe(MarkPattern.Frame);
    expect(raster.rgbAt(1, 4)).toBe(control.mark); // the control page's frame mark along its edge
    expect(raster.rgbAt(12, 4)).toBe(lookOf(codes[1]).base);
    expect(raster.rgbAt(4, 12)).toBe(lookOf(codes[2]).base);
    expect(raster.rgbAt(4, 12)).not.toBe(lookOf(pageCode(0, PageRole.Free, false)).base); // hot differs from cold
  });

  it('draws text in the font: ink inside the text box only, capitals, spelled arrows, cut with "..."', () => {
    expect(fontText('jump A → B · ok')).toBe('JUMP A -> B | OK');
    expect(fontText('ü')).toBe('?');
    expect(textWidth('AB', 2)).toBe((2 * GLYPH_ADVANCE - 1) * 2);
    expect(fitText('a long title', 6 * GLYPH_ADVANCE)).toBe('A L...');
    const r = new Raster(40, 12);
    drawText(r, 2, 2, 'HI', 0xffffff);
    let ink = 0;
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 40; x++) {
        if (r.rgbAt(x, y) !== 0xffffff) continue;
        ink++;
        expect(x >= 2 && x < 2 + textWidth('HI') && y >= 2 && y < 9, `ink at ${x},${y}`).toBe(true);
      }
    }
    // H: 2 columns of 7 plus a bar of 3; I: 3 + 5 + 3.
    expect(ink).toBe(17 + 11);
  });
});
