// `window.__jumpback`: a small handle for browser tests and benchmarks to reach the running demo
// (where a page's cell is on screen, which colour it should have, the machine itself).
import type { Demo } from './app.ts';
import { lookOf } from './page-code.ts';

export interface TestHook {
  readonly demo: Demo;
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

export function installTestHook(demo: Demo): void {
  const canvas = demo.pixi.canvas;
  window.__jumpback = {
    demo,
    pageToClient(pfn) {
      const r = canvas.getBoundingClientRect();
      const c = demo.map.camera.cellCentre(pfn);
      return { x: r.left + c.x, y: r.top + c.y };
    },
    cellSize: () => demo.map.camera.scale,
    look(pfn) {
      const code = demo.map.tracker.codes[pfn];
      return { code, ...lookOf(code) };
    },
    frames(n) {
      const target = demo.frames + n;
      return new Promise((resolve) => {
        const wait = () => (demo.frames >= target ? resolve() : requestAnimationFrame(wait));
        requestAnimationFrame(wait);
      });
    },
  };
}
