// Render benchmark: the memory map in headless Chromium (Debian's, via playwright-core) on a
// 1280x800 page, with every page changing every frame. Figures: our JS work per frame (collect
// changed pages + texture upload) at 64 Ki and 512 Ki pages, and the frame rate with 512 Ki pages
// changing over the frame rate of the same map with a static texture, measured in the same run.
// JUMPBACK_RENDER_ROUTE=rgba measures the CPU-palette fallback instead of the palette shader.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, startStaticServer } from '../src/cli/serve.ts';
import type { MapRoute } from '../src/render/memory-map.ts';
import type { BenchResult } from '../src/render/bench-page.ts';
import { browserSkipReason, launchChromium } from '../test/render/browser.ts';

const SECONDS = Number(process.env.JUMPBACK_RENDER_SECONDS ?? 4);

export async function run(): Promise<Array<[string, number]>> {
  const skip = browserSkipReason();
  if (skip) {
    process.stderr.write(`# render: ${skip}\n`);
    return [];
  }
  const route = (process.env.JUMPBACK_RENDER_ROUTE ?? 'shader') as MapRoute;
  const out = mkdtempSync(join(tmpdir(), 'jumpback-bench-'));
  await buildSite(out, { main: fileURLToPath(new URL('../src/render/bench-page.ts', import.meta.url)) });
  const server = await startStaticServer({ root: out, port: 0 });
  const ctx = await launchChromium(1280, 800);
  try {
    const results: BenchResult[] = [];
    for (const pages of [65536, 524288]) {
      const page = await ctx.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => window.__bench !== undefined);
      results.push(await page.evaluate(([n, s, r]) => window.__bench!.measure(n, s, r), [pages, SECONDS, route] as const));
      await page.close();
    }
    for (const r of results) {
      process.stderr.write(
        `# render ${r.route} ${r.pages} pages on ${r.canvas.join('x')}: work mean ${r.workMsMean.toFixed(2)} ` +
          `median ${r.workMsMedian.toFixed(2)} p95 ${r.workMsP95.toFixed(2)} ms over ${r.frames} frames; ` +
          `fps ${r.dynamicFps.toFixed(1)} changing / ${r.staticFps.toFixed(1)} static\n`,
      );
    }
    const [k64, k512] = results;
    return [
      ['render.work.ms.64k', k64.workMsMean],
      ['render.work.ms.512k', k512.workMsMean],
      ['render.fps.ratio.512k', k512.dynamicFps / k512.staticFps],
    ];
  } finally {
    await ctx.close();
    await server.close();
    rmSync(out, { recursive: true, force: true });
  }
}
