// Zoom and pan of the memory map: which canvas pixel shows which cell. World units are cells;
// `scale` is CSS pixels per cell and (x, y) is where the map's top-left corner lands on the canvas.
import type { MapLayout } from './map-layout.ts';

const MAX_CELL_PX = 160;

export class MapCamera {
  scale = 1;
  x = 0;
  y = 0;
  /** Canvas size in CSS pixels. */
  width = 1;
  height = 1;
  private readonly _layout: MapLayout;
  private _fitScale = 1;

  constructor(layout: MapLayout) {
    this._layout = layout;
  }

  /**
   * Shows the whole map centred, as large as the canvas allows (cells stay square), leaving
   * `gutter` pixels on the left (for row labels).
   */
  fit(width: number, height: number, margin = 12, gutter = 0): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
    const { cols, rows } = this._layout;
    const s = Math.min((this.width - 2 * margin - gutter) / cols, (this.height - 2 * margin) / rows);
    // Whole pixels per cell when cells are big, so every cell has the same size on screen.
    this._fitScale = s >= 2 ? Math.floor(s) : Math.max(s, 0.05);
    this.scale = this._fitScale;
    this.x = gutter + Math.round((this.width - gutter - cols * this.scale) / 2);
    this.y = Math.round((this.height - rows * this.scale) / 2);
  }

  /** Zooms by `factor` keeping the point under canvas pixel (px, py) fixed. */
  zoomAt(px: number, py: number, factor: number): void {
    const next = Math.min(MAX_CELL_PX, Math.max(this._fitScale * 0.5, this.scale * factor));
    const k = next / this.scale;
    this.x = px - (px - this.x) * k;
    this.y = py - (py - this.y) * k;
    this.scale = next;
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
  }

  /** The page frame under canvas pixel (px, py), or -1 off the map. */
  pageAt(px: number, py: number): number {
    const col = Math.floor((px - this.x) / this.scale);
    const row = Math.floor((py - this.y) / this.scale);
    const { cols, rows, pageCount } = this._layout;
    if (col < 0 || row < 0 || col >= cols || row >= rows) return -1;
    const pfn = row * cols + col;
    return pfn < pageCount ? pfn : -1;
  }

  /** Canvas position (CSS pixels) of the centre of page `pfn`'s cell. */
  cellCentre(pfn: number): { x: number; y: number } {
    const { colShift, cols } = this._layout;
    return {
      x: this.x + ((pfn & (cols - 1)) + 0.5) * this.scale,
      y: this.y + ((pfn >>> colShift) + 0.5) * this.scale,
    };
  }
}
