// A recording encoded as an animated GIF with gifenc: one global palette made from the colours the
// map and caption can use (quantized only if there were more than 255), and every frame after the
// first stored as the pixels that changed (the rest transparent over the frame before), which keeps
// a level's replay small. Pure integer work on the frames: the same recording gives the same bytes.
import * as gifencModule from 'gifenc';
import type { Colour } from 'gifenc';
import { lookOf, MAP_BACKGROUND } from '../page-code.ts';
import { CAPTION, FrameComposer } from './compose.ts';
import type { Recording } from './recorder.ts';
import { DEFAULT_REPLAY, type ReplaySettings } from './recorder.ts';

// gifenc ships CommonJS (Node's import sees its exports only under `default`) and an ES build
// (what bundlers pick, named exports): take whichever this runtime resolved.
const gifenc = typeof gifencModule.GIFEncoder === 'function' ? gifencModule : gifencModule.default;

/** Palette index 0 is kept for "unchanged since the last frame" (transparent); colours start at 1. */
const TRANSPARENT = 0;
const MAX_COLOURS = 255;

export interface EncodedReplay {
  bytes: Uint8Array;
  width: number;
  height: number;
  frames: number;
  /** Colours in the palette (at most 255, plus the transparent entry). */
  colours: number;
}

/** Every colour a frame of `rec` can contain: each page code's fill and mark, the gaps, the caption. */
function coloursOf(rec: Recording): number[] {
  const codes = new Set<number>();
  for (const f of rec.frames) for (const c of f.codes) codes.add(c);
  const colours = new Set<number>([MAP_BACKGROUND, ...Object.values(CAPTION)]);
  for (const code of [...codes].sort((a, b) => a - b)) {
    const look = lookOf(code);
    colours.add(look.base);
    colours.add(look.mark);
  }
  return [...colours];
}

const rgbOf = (c: number): [number, number, number] => [(c >>> 16) & 255, (c >>> 8) & 255, c & 255];

/** The GIF palette and a colour -> index table (colours beyond 255 share their nearest entry). */
function buildPalette(colours: readonly number[]): { palette: Colour[]; indexOf: Map<number, number> } {
  let entries: Colour[] = colours.map(rgbOf);
  if (entries.length > MAX_COLOURS) {
    const rgba = new Uint8Array(colours.length * 4);
    colours.forEach((c, i) => rgba.set([...rgbOf(c), 255], i * 4));
    entries = gifenc.quantize(rgba, MAX_COLOURS).map((e) => [e[0], e[1], e[2]]);
  }
  const indexOf = new Map<number, number>();
  for (const c of colours) indexOf.set(c, 1 + gifenc.nearestColorIndex(entries, rgbOf(c)));
  // Entry 0 (transparent) is never drawn opaque; black keeps it harmless in viewers that ignore transparency.
  return { palette: [[0, 0, 0], ...entries], indexOf };
}

/** Encodes `rec` as a looping GIF; frame delays from `settings`. */
export function encodeGif(rec: Recording, settings: Readonly<ReplaySettings> = DEFAULT_REPLAY): EncodedReplay {
  const composer = new FrameComposer(rec, settings.targetWidth);
  const colours = coloursOf(rec);
  const { palette, indexOf } = buildPalette(colours);
  const raster = composer.raster();
  const size = composer.width * composer.height;
  let previous = new Uint8Array(size);
  let current = new Uint8Array(size);
  const delta = new Uint8Array(size);
  const gif = gifenc.GIFEncoder();
  const last = rec.frames.length - 1;
  for (let i = 0; i <= last; i++) {
    composer.draw(i, raster);
    indexPixels(raster.pixels, indexOf, palette, current);
    const delay = i === last ? settings.lastMs : rec.frames[i].kind === 'event' ? settings.eventMs : settings.tickMs;
    if (i === 0) {
      gif.writeFrame(current, composer.width, composer.height, { palette, delay, repeat: 0, dispose: 1 });
    } else {
      for (let p = 0; p < size; p++) delta[p] = current[p] === previous[p] ? TRANSPARENT : current[p];
      gif.writeFrame(delta, composer.width, composer.height, { delay, transparent: true, transparentIndex: TRANSPARENT, dispose: 1 });
    }
    [previous, current] = [current, previous];
  }
  gif.finish();
  return { bytes: gif.bytes(), width: composer.width, height: composer.height, frames: rec.frames.length, colours: palette.length - 1 };
}

/** RGBA pixels -> palette indices (runs of one colour are common: the last lookup is remembered). */
function indexPixels(rgba: Uint8Array, indexOf: Map<number, number>, palette: Colour[], out: Uint8Array): void {
  let lastRgb = -1;
  let lastIndex = 0;
  for (let p = 0, o = 0; p < out.length; p++, o += 4) {
    const rgb = (rgba[o] << 16) | (rgba[o + 1] << 8) | rgba[o + 2];
    if (rgb !== lastRgb) {
      lastRgb = rgb;
      let index = indexOf.get(rgb);
      if (index === undefined) {
        // Not a colour the palette was built from (never expected): its nearest entry, remembered.
        index = 1 + gifenc.nearestColorIndex(palette.slice(1), rgbOf(rgb));
        indexOf.set(rgb, index);
      }
      lastIndex = index;
    }
    out[p] = lastIndex;
  }
}
