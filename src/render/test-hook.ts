// `window.__jumpback`: a small handle for browser tests and benchmarks to reach the running page
// (the bare demo or the game): where a page's cell is on screen, which colour it should have, the
// machine itself.
import type { Demo } from './app.ts';
import type { Game } from './game/game-app.ts';
import type { MemoryMap } from './memory-map.ts';
import { lookOf } from './page-code.ts';

export interface TestHook {
  /** The bare demo (`?demo`), when that is the page. */
  readonly demo?: Demo;
  /** The game (the default page). */
  readonly game?: Game;
  readonly map: MemoryMap;
  /** Viewport (client) coordinates of the centre of page `pfn`'s cell. */
  pageToClient(pfn: number): { x: number; y: number };
  /** Cell size on screen in CSS pixels. */
  cellSize(): number;
  /** The code the map holds for page `pfn` and its base / mark colours (0xRRGGBB). */
  look(pfn: number): { code: number; base: number; mark: number; pattern: number };
  /** Resolves after `n` more frames have been drawn. */
  frames(n: number): Promise<void>;
}

declare global {
  interface Window {
    __jumpback?: TestHook;
  }
}

function install(canvas: HTMLCanvasElement, map: () => MemoryMap, frames: () => number, extra: { demo?: Demo; game?: Game }): void {
  window.__jumpback = {
    ...extra,
    get map() {
      return map();
    },
    pageToClient(pfn) {
      const r = canvas.getBoundingClientRect();
      const c = map().camera.cellCentre(pfn);
      return { x: r.left + c.x, y: r.top + c.y };
    },
    cellSize: () => map().camera.scale,
    look(pfn) {
      const code = map().tracker.codes[pfn];
      return { code, ...lookOf(code) };
    },
    frames(n) {
      const target = frames() + n;
      return new Promise((resolve) => {
        const wait = () => (frames() >= target ? resolve() : requestAnimationFrame(wait));
        requestAnimationFrame(wait);
      });
    },
  };
}

export function installTestHook(demo: Demo): void {
  install(demo.pixi.canvas, () => demo.map, () => demo.frames, { demo });
}

export function installGameHook(game: Game): void {
  install(game.view.pixi.canvas, () => game.view.map, () => game.frames, { game });
}
