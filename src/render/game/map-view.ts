// The memory map mounted in the page's map panel: PixiJS app, map, row axis, zoom/pan/hover input
// and the hover tip, re-pointed (or rebuilt when the page count changes) when a level restarts on a
// fresh machine.
import type { Application, Container } from 'pixi.js';
import type { PhysicalMemory } from '../../sim/memory.ts';
import { hex32, setText } from '../dom.ts';
import { AXIS_GUTTER_PX, MapAxis } from '../map-axis.ts';
import { panelSize, startMapApp } from '../map-app.ts';
import { attachMapInput } from '../map-input.ts';
import { MemoryMap, type MapRoute } from '../memory-map.ts';
import { roleName } from '../page-code.ts';

export class MapView {
  map!: MemoryMap;
  private _axis!: MapAxis;
  private _detach: () => void = () => {};
  private _fitted = true;
  private _memory!: PhysicalMemory;
  private readonly _layers: Container[] = [];

  private constructor(
    readonly pixi: Application,
    private readonly _host: HTMLElement,
    private readonly _tip: HTMLElement,
    private readonly _route: MapRoute,
    /** Owner names by id (kept current by the game). */
    private readonly _owners: readonly string[],
  ) {}

  static async create(host: HTMLElement, tip: HTMLElement, memory: PhysicalMemory, route: MapRoute, owners: readonly string[]): Promise<MapView> {
    const pixi = await startMapApp(host, panelSize(host));
    const view = new MapView(pixi, host, tip, route, owners);
    view._mount(memory);
    new ResizeObserver(() => view.resize()).observe(host);
    pixi.canvas.addEventListener('dblclick', () => {
      view._fitted = true;
      view.resize();
    });
    return view;
  }

  get memory(): PhysicalMemory {
    return this._memory;
  }

  /** Draws `memory` from now on (a restarted or rewound level). */
  show(memory: PhysicalMemory): void {
    if (memory === this._memory) return;
    if (memory.pageCount === this.map.layout.pageCount) {
      this._memory = memory;
      this.map.setSource(memory);
      return;
    }
    const { hovered, selected } = this.map;
    this._detach();
    this._axis.destroy();
    this.pixi.stage.removeChild(this.map.view);
    for (const l of this._layers) l.parent?.removeChild(l);
    this.map.destroy();
    this._fitted = true;
    this._mount(memory);
    if (hovered < memory.pageCount) this.map.setHovered(-1);
    if (selected >= memory.pageCount) this.map.setSelected(-1);
  }

  /** Adds a layer in map coordinates (kept across rebuilds). */
  addLayer(layer: Container): void {
    this._layers.push(layer);
    this.map.addLayer(layer);
  }

  resize(): void {
    const w = Math.max(1, this._host.clientWidth);
    const h = Math.max(1, this._host.clientHeight);
    this.pixi.renderer.resize(w, h);
    if (this._fitted) this.map.fit(w, h, AXIS_GUTTER_PX);
  }

  private _mount(memory: PhysicalMemory): void {
    this._memory = memory;
    const map = new MemoryMap(memory, this.pixi.renderer, { route: this._route });
    this.map = map;
    this.pixi.stage.addChild(map.view);
    for (const l of this._layers) map.addLayer(l);
    this._axis = new MapAxis(this._host, map.layout);
    map.onCameraChange = () => this._axis.update(map.camera);
    const tip = this._tip;
    this._detach = attachMapInput(this.pixi.canvas, map, {
      hover: (pfn, clientX, clientY) => {
        map.setHovered(pfn);
        if (pfn < 0) {
          tip.hidden = true;
          return;
        }
        const r = this._host.getBoundingClientRect();
        const m = this._memory;
        tip.hidden = false;
        setText(tip, `${hex32(m.addressOf(pfn))}  frame ${pfn}  ${this._owners[m.owner[pfn]] ?? m.owner[pfn]} · ${roleName(m.role[pfn])}`);
        tip.style.left = `${Math.min(clientX - r.left + 14, r.width - tip.offsetWidth - 6)}px`;
        tip.style.top = `${Math.max(4, clientY - r.top - 30)}px`;
      },
      select: (pfn) => map.setSelected(pfn),
      moved: () => {
        this._fitted = false;
      },
    });
    this.resize();
  }
}
