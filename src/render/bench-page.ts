// Browser entry of the render benchmark (bench/render.ts): a memory map in the demo's map panel
// over N synthetic pages, timed while every page changes every frame and while nothing changes.
import { byId } from './dom.ts';
import { startMapApp } from './map-app.ts';
import { MemoryMap, type MapRoute } from './memory-map.ts';
import type { PageSource } from './page-tracker.ts';

/** N pages whose metadata the benchmark rewrites wholesale each frame. */
class ChurningPages implements PageSource {
  readonly owner: Uint8Array;
  readonly role: Uint8Array;
  readonly generation: Uint32Array;
  constructor(readonly pageCount: number) {
    this.owner = new Uint8Array(pageCount);
    this.role = new Uint8Array(pageCount);
    this.generation = new Uint32Array(pageCount);
  }

  /** Every page gets a new role (so a new code) and a new generation. */
  churn(frame: number): void {
    const { owner, role, generation } = this;
    for (let pfn = 0; pfn < this.pageCount; pfn++) {
      role[pfn] = (pfn + frame) % 10;
      owner[pfn] = (pfn >>> 12) & 3;
      generation[pfn]++;
    }
  }
}

export interface BenchResult {
  pages: number;
  route: MapRoute;
  canvas: [number, number];
  staticFps: number;
  dynamicFps: number;
  workMsMean: number;
  workMsMedian: number;
  workMsP95: number;
  frames: number;
}

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

async function measure(pageCount: number, seconds: number, route: MapRoute): Promise<BenchResult> {
  const host = byId('map');
  // The panel's own size at density 1, so the figures count the same pixels on every screen.
  const pixi = await startMapApp(host, { width: host.clientWidth, height: host.clientHeight, resolution: 1 });
  const pages = new ChurningPages(pageCount);
  const map = new MemoryMap(pages, pixi.renderer, { route });
  pixi.stage.addChild(map.view);
  map.fit(host.clientWidth, host.clientHeight);

  const work: number[] = [];
  let frame = 0;
  /** Runs frames for `ms`; returns frames per second. */
  const phase = async (ms: number, churn: boolean, record: boolean): Promise<number> => {
    const start = await nextFrame();
    let now = start;
    let count = 0;
    while (now - start < ms) {
      if (churn) pages.churn(++frame);
      map.update();
      if (record && churn) work.push(map.lastWorkMs);
      pixi.render();
      now = await nextFrame();
      count++;
    }
    return (count * 1000) / (now - start);
  };

  await phase(500, true, false); // warm-up: shader compile, texture allocation, JIT
  const half = (seconds * 1000) / 4;
  // Interleaved so drift in the machine's load hits both the same.
  const s1 = await phase(half, false, false);
  const d1 = await phase(half, true, true);
  const s2 = await phase(half, false, false);
  const d2 = await phase(half, true, true);
  const sorted = [...work].sort((a, b) => a - b);
  const result: BenchResult = {
    pages: pageCount,
    route: map.route,
    canvas: [pixi.canvas.width, pixi.canvas.height],
    staticFps: (s1 + s2) / 2,
    dynamicFps: (d1 + d2) / 2,
    workMsMean: work.reduce((a, b) => a + b, 0) / work.length,
    workMsMedian: sorted[Math.floor(sorted.length / 2)],
    workMsP95: sorted[Math.floor(sorted.length * 0.95)],
    frames: work.length,
  };
  map.destroy();
  pixi.destroy(true);
  return result;
}

declare global {
  interface Window {
    __bench?: { measure: typeof measure };
  }
}

window.__bench = { measure };
