// An RGBA pixel buffer and the memory map drawn into it on the CPU: the same cells, colours, mark
// patterns and grid gaps as the PixiJS map's palette shader (page-code.ts, legend.ts markAt), so a
// replay looks like the game without a browser or a GPU.
import { markAt } from '../legend.ts';
import type { MapLayout } from '../map-layout.ts';
import { lookOf, MAP_BACKGROUND } from '../page-code.ts';

/** Width x height pixels, 4 bytes each (R, G, B, A), rows top to bottom. */
export class Raster {
  readonly pixels: Uint8Array;

  constructor(readonly width: number, readonly height: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`bad raster size ${width}x${height}`);
    }
    this.pixels = new Uint8Array(width * height * 4);
  }

  /** Fills a rectangle with 0xRRGGBB (opaque); the part outside the raster is clipped. */
  fill(x: number, y: number, w: number, h: number, rgb: number): void {
    const x0 = Math.max(0, x);
    const y0 = Math.max(0, y);
    const x1 = Math.min(this.width, x + w);
    const y1 = Math.min(this.height, y + h);
    const px = this.pixels;
    const r = (rgb >>> 16) & 255;
    const g = (rgb >>> 8) & 255;
    const b = rgb & 255;
    for (let yy = y0; yy < y1; yy++) {
      for (let i = (yy * this.width + x0) * 4, end = (yy * this.width + x1) * 4; i < end; i += 4) {
        px[i] = r;
        px[i + 1] = g;
        px[i + 2] = b;
        px[i + 3] = 255;
      }
    }
  }

  /** The 0xRRGGBB at (x, y). */
  rgbAt(x: number, y: number): number {
    const i = (y * this.width + x) * 4;
    return (this.pixels[i] << 16) | (this.pixels[i + 1] << 8) | this.pixels[i + 2];
  }
}

/** Pixels per cell side for a map of `layout` about `targetWidth` pixels wide (at least 1). */
export function cellSizeFor(layout: MapLayout, targetWidth: number): number {
  return Math.max(1, Math.floor(targetWidth / layout.cols));
}

/**
 * One cell's pixels for every page code, cell x cell as 0xRRGGBB: the shader's rule (mark
 * pattern from 6 pixels a cell, one pixel of background gap from 5) evaluated once per code.
 */
export class CellPainter {
  private readonly _tiles = new Map<number, Uint32Array>();

  constructor(readonly cell: number) {}

  tile(code: number): Uint32Array {
    let tile = this._tiles.get(code);
    if (tile) return tile;
    const n = this.cell;
    const { base, mark, pattern } = lookOf(code);
    tile = new Uint32Array(n * n);
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const fx = (x + 0.5) / n;
        const fy = (y + 0.5) / n;
        let rgb = n >= 6 && markAt(pattern, fx, fy) ? mark : base;
        if (n >= 5 && (x === 0 || y === 0)) rgb = MAP_BACKGROUND;
        tile[y * n + x] = rgb;
      }
    }
    this._tiles.set(code, tile);
    return tile;
  }
}

/** Draws the map's cells (one page code each, layout order) with the top-left corner at (x0, y0). */
export function drawMap(raster: Raster, codes: Uint8Array, layout: MapLayout, painter: CellPainter, x0: number, y0: number): void {
  const n = painter.cell;
  const px = raster.pixels;
  for (let i = 0; i < layout.cols * layout.rows; i++) {
    const tile = painter.tile(codes[i]);
    const cx = x0 + (i & (layout.cols - 1)) * n;
    const cy = y0 + (i >>> layout.colShift) * n;
    for (let y = 0; y < n; y++) {
      let o = ((cy + y) * raster.width + cx) * 4;
      for (let x = 0; x < n; x++, o += 4) {
        const rgb = tile[y * n + x];
        px[o] = (rgb >>> 16) & 255;
        px[o + 1] = (rgb >>> 8) & 255;
        px[o + 2] = rgb & 255;
        px[o + 3] = 255;
      }
    }
  }
}
