// A tiny 5x7 bitmap font for replay captions, drawn straight into an RGBA buffer so a replay
// renders the same pixels in node and in the browser (no canvas, no system font, no anti-aliasing).
// Upper case only: lower-case letters are drawn as capitals; anything else unknown as '?'.
import type { Raster } from './raster.ts';

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Horizontal distance from one character to the next (one column of spacing). */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

// Rows top to bottom, '#' = ink. Written out so a glyph can be checked by eye.
const GLYPH_ROWS: Record<string, string> = {
  ' ': '...../...../...../...../...../...../.....',
  A: '.###./#...#/#...#/#####/#...#/#...#/#...#',
  B: '####./#...#/#...#/####./#...#/#...#/####.',
  C: '.###./#...#/#..../#..../#..../#...#/.###.',
  D: '####./#...#/#...#/#...#/#...#/#...#/####.',
  E: '#####/#..../#..../####./#..../#..../#####',
  F: '#####/#..../#..../####./#..../#..../#....',
  G: '.###./#...#/#..../#.###/#...#/#...#/.####',
  H: '#...#/#...#/#...#/#####/#...#/#...#/#...#',
  I: '.###./..#../..#../..#../..#../..#../.###.',
  J: '..###/...#./...#./...#./...#./#..#./.##..',
  K: '#...#/#..#./#.#../##.../#.#../#..#./#...#',
  L: '#..../#..../#..../#..../#..../#..../#####',
  M: '#...#/##.##/#.#.#/#.#.#/#...#/#...#/#...#',
  N: '#...#/#...#/##..#/#.#.#/#..##/#...#/#...#',
  O: '.###./#...#/#...#/#...#/#...#/#...#/.###.',
  P: '####./#...#/#...#/####./#..../#..../#....',
  Q: '.###./#...#/#...#/#...#/#.#.#/#..#./.##.#',
  R: '####./#...#/#...#/####./#.#../#..#./#...#',
  S: '.####/#..../#..../.###./....#/....#/####.',
  T: '#####/..#../..#../..#../..#../..#../..#..',
  U: '#...#/#...#/#...#/#...#/#...#/#...#/.###.',
  V: '#...#/#...#/#...#/#...#/#...#/.#.#./..#..',
  W: '#...#/#...#/#...#/#.#.#/#.#.#/#.#.#/.#.#.',
  X: '#...#/#...#/.#.#./..#../.#.#./#...#/#...#',
  Y: '#...#/#...#/.#.#./..#../..#../..#../..#..',
  Z: '#####/....#/...#./..#../.#.../#..../#####',
  '0': '.###./#...#/#..##/#.#.#/##..#/#...#/.###.',
  '1': '..#../.##../..#../..#../..#../..#../.###.',
  '2': '.###./#...#/....#/...#./..#../.#.../#####',
  '3': '#####/...#./..#../...#./....#/#...#/.###.',
  '4': '...#./..##./.#.#./#..#./#####/...#./...#.',
  '5': '#####/#..../####./....#/....#/#...#/.###.',
  '6': '..##./.#.../#..../####./#...#/#...#/.###.',
  '7': '#####/....#/...#./..#../.#.../.#.../.#...',
  '8': '.###./#...#/#...#/.###./#...#/#...#/.###.',
  '9': '.###./#...#/#...#/.####/....#/...#./.##..',
  '.': '...../...../...../...../...../.##../.##..',
  ',': '...../...../...../...../.##../..#../.#...',
  ':': '...../.##../.##../...../.##../.##../.....',
  ';': '...../.##../.##../...../.##../..#../.#...',
  '-': '...../...../...../#####/...../...../.....',
  '+': '...../..#../..#../#####/..#../..#../.....',
  '=': '...../...../#####/...../#####/...../.....',
  '>': '.#.../..#../...#./....#/...#./..#../.#...',
  '<': '...#./..#../.#.../#..../.#.../..#../...#.',
  '/': '...../....#/...#./..#../.#.../#..../.....',
  '(': '...#./..#../.#.../.#.../.#.../..#../...#.',
  ')': '.#.../..#../...#./...#./...#./..#../.#...',
  '[': '.###./.#.../.#.../.#.../.#.../.#.../.###.',
  ']': '.###./...#./...#./...#./...#./...#./.###.',
  '#': '.#.#./.#.#./#####/.#.#./#####/.#.#./.#.#.',
  '%': '##.../##..#/...#./..#../.#.../#..##/...##',
  "'": '.##../..#../.#.../...../...../...../.....',
  '"': '.#.#./.#.#./...../...../...../...../.....',
  '!': '..#../..#../..#../..#../..#../...../..#..',
  '?': '.###./#...#/....#/...#./..#../...../..#..',
  '_': '...../...../...../...../...../...../#####',
  '|': '..#../..#../..#../..#../..#../..#../..#..',
  '*': '...../..#../#.#.#/.###./#.#.#/..#../.....',
  '@': '.###./#...#/#.###/#.#.#/#.###/#..../.###.',
  '&': '.##../#..#./#.#../.#.../#.#.#/#..#./.##.#',
};

/** Each glyph as 7 row masks (bit 4 = leftmost column). */
const GLYPHS = new Map<string, Uint8Array>(
  Object.entries(GLYPH_ROWS).map(([ch, rows]) => [
    ch,
    Uint8Array.from(rows.split('/'), (row) => [...row].reduce((mask, c) => (mask << 1) | (c === '#' ? 1 : 0), 0)),
  ]),
);

/** Characters outside the font spelled with ones it has (the timeline's arrows and dots). */
const SPELLED: Record<string, string> = { '→': '->', '←': '<-', '·': '|', '…': '...', '—': '-', '–': '-' };

/** `text` as the font draws it: capitals, arrows spelled out, unknown characters as '?'. */
export function fontText(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = SPELLED[ch] ?? ch.toUpperCase();
    for (const d of c) out += GLYPHS.has(d) ? d : '?';
  }
  return out;
}

/** Width in pixels of `text` at `scale` (without the trailing spacing column). */
export function textWidth(text: string, scale = 1): number {
  const n = fontText(text).length;
  return n === 0 ? 0 : (n * GLYPH_ADVANCE - 1) * scale;
}

/** `text` cut (with "...") to fit `width` pixels at `scale`. */
export function fitText(text: string, width: number, scale = 1): string {
  const t = fontText(text);
  const max = Math.floor((width / scale + 1) / GLYPH_ADVANCE);
  return t.length <= max ? t : max <= 3 ? t.slice(0, Math.max(0, max)) : `${t.slice(0, max - 3)}...`;
}

/** Draws `text` with its top-left corner at (x, y); pixels outside the raster are clipped. */
export function drawText(raster: Raster, x: number, y: number, text: string, rgb: number, scale = 1): void {
  let penX = x;
  for (const ch of fontText(text)) {
    const rows = GLYPHS.get(ch)!;
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      const mask = rows[row];
      if (mask === 0) continue;
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (mask & (1 << (GLYPH_WIDTH - 1 - col))) raster.fill(penX + col * scale, y + row * scale, scale, scale, rgb);
      }
    }
    penX += GLYPH_ADVANCE * scale;
  }
}
