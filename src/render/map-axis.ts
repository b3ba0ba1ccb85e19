// Row labels beside the memory map: the physical address where each labelled row starts, spaced
// so labels never crowd (every 2^k rows), moving with zoom and pan.
import type { MapCamera } from './map-camera.ts';
import type { MapLayout } from './map-layout.ts';
import { RAM_BASE, PAGE_SHIFT } from '../sim/memory.ts';

const MIN_GAP_PX = 22;
/** Room the labels need left of the map; the camera leaves this gutter when fitting. */
export const AXIS_GUTTER_PX = 68;

function address(pa: number): string {
  const h = (pa >>> 0).toString(16).padStart(8, '0');
  return `${h.slice(0, 4)}_${h.slice(4)}`;
}

export class MapAxis {
  private readonly _root: HTMLElement;
  private readonly _layout: MapLayout;
  private readonly _pool: HTMLElement[] = [];
  private _key = '';

  constructor(host: HTMLElement, layout: MapLayout) {
    this._root = document.createElement('div');
    this._root.className = 'map-axis';
    host.append(this._root);
    this._layout = layout;
  }

  update(camera: MapCamera): void {
    const key = `${camera.scale}/${camera.x}/${camera.y}/${camera.height}`;
    if (key === this._key) return;
    this._key = key;
    const { rows, cols } = this._layout;
    let step = 1;
    while (step * camera.scale < MIN_GAP_PX) step *= 2;
    const first = Math.max(0, Math.ceil(-camera.y / camera.scale / step) * step);
    let used = 0;
    for (let row = first; row < rows; row += step) {
      const y = camera.y + row * camera.scale;
      if (y > camera.height) break;
      let label = this._pool[used];
      if (!label) {
        label = document.createElement('div');
        label.className = 'map-axis-label';
        this._root.append(label);
        this._pool.push(label);
      }
      label.hidden = false;
      label.textContent = address(RAM_BASE + ((row * cols) << PAGE_SHIFT));
      // Pinned to the panel's left edge when the map is panned under it.
      label.style.transform = `translate(${Math.max(4, camera.x - AXIS_GUTTER_PX + 4)}px, ${y - 7}px)`;
      used++;
    }
    for (let i = used; i < this._pool.length; i++) this._pool[i].hidden = true;
  }

  /** Removes the labels from the page. */
  destroy(): void {
    this._root.remove();
  }
}
