// One replay frame as pixels: the memory map on top, the timeline caption under it (level, the
// latest timeline entry, instructions and OS, a bar showing where in the run this frame is).
import { MAP_BACKGROUND } from '../page-code.ts';
import { drawText, fitText, GLYPH_HEIGHT } from './font.ts';
import { CellPainter, cellSizeFor, drawMap, Raster } from './raster.ts';
import type { Recording, ReplayFrame } from './recorder.ts';

/** Caption colours (0xRRGGBB): the game page's text, dim text, failure and timeline bar. */
export const CAPTION = {
  strip: 0x161b22,
  text: 0xe6edf3,
  dim: 0x8b949e,
  failed: 0xff5c6c,
  track: 0x30363d,
  progress: 0x4c8dff,
  mark: 0xc9d1d9,
} as const;

const PAD = 6;
const GAP = 4;
const TITLE_SCALE = 2;
const BAR_HEIGHT = 4;
/** Strip height: small line, big title line, small line, bar, with padding between. */
export const CAPTION_HEIGHT = PAD + GLYPH_HEIGHT + GAP + GLYPH_HEIGHT * TITLE_SCALE + GAP + GLYPH_HEIGHT + GAP + BAR_HEIGHT + PAD;

/** "1,106,805". Written out (not toLocaleString) so every runtime prints the same digits. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Draws the frames of one recording; frame `i` always gives the same pixels. */
export class FrameComposer {
  readonly width: number;
  readonly height: number;
  readonly mapHeight: number;
  private readonly _painter: CellPainter;

  constructor(private readonly _recording: Recording, targetWidth: number) {
    const { layout } = _recording;
    const cell = cellSizeFor(layout, targetWidth);
    this._painter = new CellPainter(cell);
    this.width = layout.cols * cell;
    this.mapHeight = layout.rows * cell;
    this.height = this.mapHeight + CAPTION_HEIGHT;
  }

  /** Pixel size of one map cell. */
  get cell(): number {
    return this._painter.cell;
  }

  /** A fresh raster of this recording's size. */
  raster(): Raster {
    return new Raster(this.width, this.height);
  }

  /** Draws frame `i` into `raster` (every pixel is overwritten). */
  draw(i: number, raster: Raster): void {
    const rec = this._recording;
    const frame = rec.frames[i];
    drawMap(raster, frame.codes, rec.layout, this._painter, 0, 0);
    this._drawCaption(raster, frame, i);
  }

  private _drawCaption(raster: Raster, frame: ReplayFrame, i: number): void {
    const rec = this._recording;
    const w = this.width;
    const top = this.mapHeight;
    raster.fill(0, top, w, CAPTION_HEIGHT, CAPTION.strip);
    raster.fill(0, top, w, 1, MAP_BACKGROUND);
    const inner = w - 2 * PAD;
    let y = top + PAD;
    const counter = `${i + 1}/${rec.frames.length}`;
    drawText(raster, PAD, y, fitText(`${rec.level.title} | seed ${rec.seed}`, inner - (counter.length + 2) * 6), CAPTION.dim);
    drawText(raster, w - PAD - (counter.length * 6 - 1), y, counter, CAPTION.dim);
    y += GLYPH_HEIGHT + GAP;
    drawText(raster, PAD, y, fitText(frame.title || 'power on', inner, TITLE_SCALE), frame.failed ? CAPTION.failed : CAPTION.text, TITLE_SCALE);
    y += GLYPH_HEIGHT * TITLE_SCALE + GAP;
    drawText(raster, PAD, y, fitText(`${grouped(frame.at)} instructions${frame.os ? ` | os ${frame.os}` : ''}`, inner), CAPTION.dim);
    y += GLYPH_HEIGHT + GAP;
    this._drawBar(raster, frame, PAD, y, inner);
  }

  /** The run as a bar: event frames as ticks, the part played so far filled. */
  private _drawBar(raster: Raster, frame: ReplayFrame, x: number, y: number, width: number): void {
    const total = Math.max(1, this._recording.instructions);
    const xOf = (at: number): number => x + Math.min(width - 1, Math.floor((at / total) * (width - 1)));
    raster.fill(x, y, width, BAR_HEIGHT, CAPTION.track);
    raster.fill(x, y, xOf(frame.at) - x + 1, BAR_HEIGHT, CAPTION.progress);
    for (const f of this._recording.frames) if (f.kind === 'event') raster.fill(xOf(f.at), y, 1, BAR_HEIGHT, CAPTION.mark);
  }
}
