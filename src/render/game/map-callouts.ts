// Text labels on the memory map ("control page", "swap page", "A's backup (source)",
// "destination"): HTML pills over the canvas beside the cells they name, pushed apart when they
// would overlap, each tied to its cell by a thin leader line. Positions follow the map's camera.
import type { MapCamera } from '../map-camera.ts';
import { el } from '../dom.ts';

export interface Callout {
  pfn: number;
  text: string;
  /** CSS colour of the pill's edge and leader (the outline colour of that cell on the map). */
  colour: string;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Gap between a cell and its label, and between stacked labels. */
const GAP = 8;
const SVG_NS = 'http://www.w3.org/2000/svg';

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Where each label goes: beside its cell (right, else left when it would leave the map), moved
 * down (then up) in steps until it overlaps neither an earlier label nor one of the named cells,
 * and kept inside `width` x `height`. `cells` are the cells' boxes, `sizes` the labels' sizes.
 */
export function placeCallouts(cells: readonly Box[], sizes: ReadonlyArray<{ w: number; h: number }>, width: number, height: number): Box[] {
  const placed: Box[] = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    const { w, h } = sizes[i];
    const right = c.x + c.w + GAP;
    const x = right + w <= width ? right : Math.max(0, c.x - GAP - w);
    const y0 = c.y + c.h / 2 - h / 2;
    const clampY = (y: number): number => Math.min(Math.max(0, height - h), Math.max(0, y));
    const free = (b: Box): boolean => !placed.some((p) => overlaps(p, b)) && !cells.some((o) => overlaps(o, b));
    let best: Box | null = null;
    for (let step = 0; step < 13 && !best; step++) {
      const k = Math.ceil(step / 2) * (step % 2 === 1 ? 1 : -1); // 0, +1, -1, +2, -2 ...
      const b = { x, y: clampY(y0 + k * (h + 2)), w, h };
      if (free(b)) best = b;
    }
    placed.push(best ?? { x, y: clampY(y0), w, h });
  }
  return placed;
}

export class MapCallouts {
  private readonly _root = el('div', 'map-callouts');
  private readonly _svg = document.createElementNS(SVG_NS, 'svg');
  private readonly _pills: HTMLElement[] = [];
  private readonly _lines: SVGLineElement[] = [];
  private _key = '';

  constructor(host: HTMLElement) {
    this._svg.classList.add('map-leaders');
    this._root.append(this._svg);
    this._root.hidden = true;
    host.append(this._root);
  }

  /** The labels shown now (tests read them). */
  get texts(): string[] {
    return this._root.hidden ? [] : this._pills.filter((p) => !p.hidden).map((p) => p.textContent ?? '');
  }

  /** Shows `callouts` at their cells (cheap when nothing moved). */
  show(callouts: readonly Callout[], camera: MapCamera, width: number, height: number): void {
    const key = `${callouts.map((c) => `${c.pfn}:${c.text}`).join('|')}@${camera.x},${camera.y},${camera.scale},${width},${height}`;
    if (key === this._key) return;
    this._key = key;
    if (callouts.length === 0) {
      this._root.hidden = true;
      return;
    }
    this._root.hidden = false;
    while (this._pills.length < callouts.length) {
      const pill = el('div', 'map-callout');
      this._root.append(pill);
      this._pills.push(pill);
      const line = document.createElementNS(SVG_NS, 'line');
      this._svg.append(line);
      this._lines.push(line);
    }
    const cells: Box[] = [];
    const sizes: Array<{ w: number; h: number }> = [];
    callouts.forEach((c, i) => {
      const pill = this._pills[i];
      pill.hidden = false;
      if (pill.textContent !== c.text) pill.textContent = c.text;
      pill.style.borderColor = c.colour;
      const centre = camera.cellCentre(c.pfn);
      const s = Math.max(2, camera.scale);
      cells.push({ x: centre.x - s / 2, y: centre.y - s / 2, w: s, h: s });
      sizes.push({ w: pill.offsetWidth, h: pill.offsetHeight });
    });
    const boxes = placeCallouts(cells, sizes, width, height);
    boxes.forEach((b, i) => {
      const pill = this._pills[i];
      pill.style.transform = `translate(${Math.round(b.x)}px, ${Math.round(b.y)}px)`;
      const c = cells[i];
      const line = this._lines[i];
      // From the cell's edge (its centre stays uncovered) to the label's near side.
      const toLeft = b.x + b.w / 2 < c.x;
      line.setAttribute('x1', String(toLeft ? c.x - 1 : c.x + c.w + 1));
      line.setAttribute('y1', String(c.y + c.h / 2));
      line.setAttribute('x2', String(toLeft ? b.x + b.w : b.x));
      line.setAttribute('y2', String(b.y + b.h / 2));
      line.setAttribute('stroke', callouts[i].colour);
      line.style.display = '';
    });
    for (let i = callouts.length; i < this._pills.length; i++) {
      this._pills[i].hidden = true;
      this._lines[i].style.display = 'none';
    }
  }

  hide(): void {
    if (this._root.hidden) return;
    this._root.hidden = true;
    this._key = '';
  }
}
