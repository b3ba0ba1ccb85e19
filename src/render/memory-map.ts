// The memory map: every physical page is one texel of a single texture, drawn as a grid of cells.
// Each frame only the pages whose generation moved are recoded, and only the texture rows that
// hold them are uploaded. Default route: an r8 code texture coloured by a palette shader; the
// fallback route (non-WebGL renderers) expands codes to an RGBA buffer on the CPU.
import {
  BufferImageSource,
  Container,
  Graphics,
  Mesh,
  MeshGeometry,
  RendererType,
  Sprite,
  Texture,
  type Renderer,
} from 'pixi.js';
import { MapCamera } from './map-camera.ts';
import { createMapShader, type MapShader } from './map-shader.ts';
import { mapLayout, type MapLayout } from './map-layout.ts';
import { MAP_BACKGROUND, paletteTexels, paletteWords } from './page-code.ts';
import { PageTracker, type PageSource } from './page-tracker.ts';

export type MapRoute = 'shader' | 'rgba';

export interface MemoryMapOptions {
  /** 'shader' (default): r8 codes + palette shader; 'rgba': codes expanded to colours on the CPU. */
  route?: MapRoute;
  /** Frames a written page flashes. */
  hotFrames?: number;
}

export class MemoryMap {
  /** Add this to the stage. */
  readonly view = new Container();
  readonly layout: MapLayout;
  readonly camera: MapCamera;
  readonly tracker: PageTracker;
  readonly route: MapRoute;
  /** Milliseconds of the last {@link update}: collecting changed pages and uploading rows. */
  lastWorkMs = 0;
  hovered = -1;
  selected = -1;
  /** Called after every camera change (zoom, pan, fit). */
  onCameraChange: (() => void) | null = null;

  private readonly _renderer: Renderer;
  private readonly _world = new Container();
  private readonly _overlay = new Graphics();
  private readonly _source: BufferImageSource;
  private readonly _palette: BufferImageSource | null = null;
  private readonly _shader: MapShader | null = null;
  private readonly _rgba: Uint32Array | null = null;
  private readonly _paletteWords: Uint32Array | null = null;
  /** Hovered, selected and scale the overlay was last drawn for. */
  private readonly _overlayDrawn = new Float64Array([NaN, NaN, NaN]);

  constructor(memory: PageSource, renderer: Renderer, options: MemoryMapOptions = {}) {
    this._renderer = renderer;
    this.layout = mapLayout(memory.pageCount);
    this.camera = new MapCamera(this.layout);
    this.tracker = new PageTracker(memory, this.layout, options.hotFrames);
    // The palette shader is GLSL only: any other renderer gets the RGBA route.
    this.route = renderer.type === RendererType.WEBGL ? (options.route ?? 'shader') : 'rgba';
    const { cols, rows } = this.layout;
    const common = {
      width: cols,
      height: rows,
      scaleMode: 'nearest' as const,
      alphaMode: 'no-premultiply-alpha' as const,
      autoGenerateMipmaps: false,
    };

    if (this.route === 'shader') {
      this._source = new BufferImageSource({ ...common, resource: this.tracker.codes, format: 'r8unorm' });
      this._palette = new BufferImageSource({
        ...common,
        width: 256,
        height: 2,
        resource: paletteTexels(),
        format: 'rgba8unorm',
      });
      this._shader = createMapShader(this._source, this._palette, MAP_BACKGROUND);
      const geometry = new MeshGeometry({
        positions: new Float32Array([0, 0, cols, 0, cols, rows, 0, rows]),
        uvs: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]),
        indices: new Uint32Array([0, 1, 2, 0, 2, 3]),
      });
      this._world.addChild(new Mesh({ geometry, shader: this._shader.shader }));
    } else {
      this._rgba = new Uint32Array(cols * rows);
      this._paletteWords = paletteWords();
      this._expandRows(0, rows);
      this._source = new BufferImageSource({
        ...common,
        resource: new Uint8Array(this._rgba.buffer),
        format: 'rgba8unorm',
      });
      const sprite = new Sprite(new Texture({ source: this._source }));
      sprite.width = cols;
      sprite.height = rows;
      this._world.addChild(sprite);
    }
    this._world.addChild(this._overlay);
    this.view.addChild(this._world);
  }

  /** Sizes the map to a canvas of width x height CSS pixels and shows all of it. */
  fit(width: number, height: number, gutter = 0): void {
    this.camera.fit(width, height, 12, gutter);
    this.applyCamera();
  }

  /** Pushes the camera into the scene (call after zooming or panning). */
  applyCamera(): void {
    const { camera } = this;
    this._world.position.set(camera.x, camera.y);
    this._world.scale.set(camera.scale);
    if (this._shader) this._shader.uniforms.uniforms.uMap[2] = camera.scale * this._renderer.resolution;
    this._drawOverlay();
    this.onCameraChange?.();
  }

  /** Draws another memory of the same page count from now on (the whole texture is re-sent). */
  setSource(memory: PageSource): void {
    this.tracker.setSource(memory);
    this._upload();
  }

  /** Adds a layer drawn over the cells in map coordinates (1 unit = 1 cell), under the hover outline. */
  addLayer(layer: Container): void {
    this._world.addChildAt(layer, this._world.getChildIndex(this._overlay));
  }

  /** Recodes pages that changed and uploads their rows. Returns the pages changed. */
  update(): number {
    const t0 = performance.now();
    const tracker = this.tracker;
    const changed = tracker.collect();
    this._upload();
    this._drawOverlay();
    this.lastWorkMs = performance.now() - t0;
    return changed;
  }

  /** Uploads the tracker's dirty row spans. */
  private _upload(): void {
    const { cols } = this.layout;
    const tracker = this.tracker;
    const spans = tracker.spans;
    for (let i = 0; i < tracker.spanCount; i++) {
      const start = spans[2 * i];
      const end = spans[2 * i + 1];
      if (this._rgba) this._expandRows(start, end);
      this._source.update(start * cols, end * cols);
    }
  }

  setHovered(pfn: number): void {
    this.hovered = pfn;
    this._drawOverlay();
  }

  setSelected(pfn: number): void {
    this.selected = pfn;
    this._drawOverlay();
  }

  destroy(): void {
    // The shader's bind group still holds the textures: release it first, or destroying them
    // warns "a 'textureSource' was destroyed while still bound to a shader".
    this._shader?.shader.destroy();
    this.view.destroy({ children: true, texture: this.route === 'rgba' });
    this._source.destroy();
    this._palette?.destroy();
  }

  private _expandRows(startRow: number, endRow: number): void {
    const rgba = this._rgba!;
    const words = this._paletteWords!;
    const codes = this.tracker.codes;
    const end = endRow * this.layout.cols;
    for (let i = startRow * this.layout.cols; i < end; i++) rgba[i] = words[codes[i]];
  }

  /** Outlines the hovered and selected cells (redrawn only when something moved). */
  private _drawOverlay(): void {
    const { scale } = this.camera;
    const drawn = this._overlayDrawn;
    if (drawn[0] === this.hovered && drawn[1] === this.selected && drawn[2] === scale) return;
    drawn[0] = this.hovered;
    drawn[1] = this.selected;
    drawn[2] = scale;
    const g = this._overlay;
    g.clear();
    const px = 1 / scale;
    const { cols, colShift } = this.layout;
    const outline = (pfn: number, colour: number, width: number) => {
      if (pfn < 0) return;
      const x = pfn & (cols - 1);
      const y = pfn >>> colShift;
      const w = width * px;
      g.rect(x - w / 2, y - w / 2, 1 + w, 1 + w).stroke({ color: colour, width: w, alignment: 0.5 });
    };
    outline(this.selected, 0xffffff, 2);
    outline(this.hovered, 0xffd54a, 2);
  }
}
