// The demo page in Chromium: the built static site is served on 127.0.0.1, and the pixels of the
// memory map are read back from screenshots at pages whose owner and role are known.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageRole, RAM_BASE } from '../../src/sim/memory.ts';
import { DEMO_BANNER, DEMO_RESERVED_PAGES } from '../../src/render/demo-program.ts';
import { lookOf, MarkPattern, pageCode } from '../../src/render/page-code.ts';
import { browserSkipReason, openSite, type OpenSite } from './browser.ts';
import { colourDistance, decodePng, pixel, type Image } from './png.ts';
import type { Page } from 'playwright-core';

const skip = browserSkipReason();
if (skip) console.log(`demo-page: ${skip}`);
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

async function screenshot(page: Page, name?: string): Promise<Image> {
  const png = await page.screenshot();
  if (name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, name), png);
  }
  return decodePng(png);
}

async function cellCentre(page: Page, pfn: number): Promise<{ x: number; y: number }> {
  return page.evaluate((p) => window.__jumpback!.pageToClient(p), pfn);
}

async function frames(page: Page, n: number): Promise<void> {
  await page.evaluate((k) => window.__jumpback!.frames(k), n);
}

/** Colour drawn at the centre of page `pfn`'s cell. */
async function drawnColour(page: Page, img: Image, pfn: number): Promise<number> {
  const c = await cellCentre(page, pfn);
  return pixel(img, c.x, c.y);
}

const hex = (c: number) => '#' + c.toString(16).padStart(6, '0');

describe.skipIf(skip !== null)('demo page in Chromium', () => {
  let site: OpenSite;
  let page: Page;

  beforeAll(async () => {
    site = await openSite('jumpback-site-', '?demo&paused', () => window.__jumpback !== undefined);
    page = site.page;
    await frames(page, 2);
  });

  afterAll(async () => {
    await site?.close();
  });

  it('draws the WebGL palette-shader map with each known page in its owner/role colour', async () => {
    expect(await page.evaluate(() => window.__jumpback!.demo!.map.route)).toBe('shader');
    // The real machine, running the image our assembler built in the page.
    expect(await page.textContent('#subtitle')).toContain('assembled in the browser');
    expect(await page.evaluate(() => window.__jumpback!.demo!.target.cpu.pc)).toBe(RAM_BASE);
    const known: Array<[pfn: number, owner: number, role: PageRole]> = [
      [40, 1, PageRole.Control],
      [41, 2, PageRole.Indirection],
      [42, 3, PageRole.Swap],
      [43, 2, PageRole.Source],
      [44, 1, PageRole.Destination],
      [45, 0, PageRole.Reserved],
    ];
    await page.evaluate((list) => {
      const m = window.__jumpback!.demo!.target.memory;
      for (const [pfn, owner, role] of list) m.setPageInfo(pfn, owner, role);
    }, known);
    // Wait out the "just written" flash the role change causes.
    await frames(page, 16);
    const img = await screenshot(page);
    const expected: Array<[number, number]> = [
      [0, lookOf(pageCode(1, PageRole.Kernel, false)).base],
      [DEMO_RESERVED_PAGES - 1, lookOf(pageCode(1, PageRole.Kernel, false)).base],
      [DEMO_RESERVED_PAGES, lookOf(pageCode(1, PageRole.Free, false)).base],
      [4095, lookOf(pageCode(1, PageRole.Free, false)).base],
      ...known.map(([pfn, owner, role]): [number, number] => [pfn, lookOf(pageCode(owner, role, false)).base]),
    ];
    for (const [pfn, colour] of expected) {
      const got = await drawnColour(page, img, pfn);
      expect(colourDistance(got, colour), `page ${pfn}: drew ${hex(got)}, expected ${hex(colour)}`).toBeLessThanOrEqual(2);
    }
    // Distinct roles really look distinct.
    const kernel = lookOf(pageCode(1, PageRole.Kernel, false)).base;
    const control = lookOf(pageCode(1, PageRole.Control, false)).base;
    expect(colourDistance(kernel, control)).toBeGreaterThan(40);
  });

  it('marks control and indirection pages with their patterns once zoomed in', async () => {
    await page.evaluate(() => {
      const { pageToClient } = window.__jumpback!;
      const demo = window.__jumpback!.demo!;
      const c = pageToClient(40);
      const r = demo.pixi.canvas.getBoundingClientRect();
      demo.map.camera.zoomAt(c.x - r.left, c.y - r.top, 40 / demo.map.camera.scale);
      demo.map.applyCamera();
    });
    await frames(page, 2);
    const img = await screenshot(page, 'map-zoomed-marks.png');
    const scale = await page.evaluate(() => window.__jumpback!.cellSize());
    expect(scale).toBeGreaterThanOrEqual(30);
    const control = lookOf(pageCode(1, PageRole.Control, false));
    expect(control.pattern).toBe(MarkPattern.Frame);
    const c40 = await cellCentre(page, 40);
    expect(colourDistance(pixel(img, c40.x, c40.y), control.base)).toBeLessThanOrEqual(2);
    // The control page's frame: a ring inside the cell (f = 0.1 from the top edge).
    expect(colourDistance(pixel(img, c40.x, c40.y - 0.4 * scale), control.mark)).toBeLessThanOrEqual(2);
    // The indirection page's stripes: (f.x + f.y) * 2.5 has a fractional part below 0.3 at f = (0.1, 0.3).
    const ind = lookOf(pageCode(2, PageRole.Indirection, false));
    const c41 = await cellCentre(page, 41);
    expect(colourDistance(pixel(img, c41.x - 0.4 * scale, c41.y - 0.2 * scale), ind.mark)).toBeLessThanOrEqual(2);
    expect(colourDistance(pixel(img, c41.x, c41.y), ind.base)).toBeLessThanOrEqual(2);
    await page.dblclick('#map canvas', { position: { x: 2, y: 2 } });
    await frames(page, 2);
  });

  it('runs the machine: written pages flash, then settle, and the console shows its output', async () => {
    const free = lookOf(pageCode(1, PageRole.Free, false)).base;
    const hot = lookOf(pageCode(1, PageRole.Free, true)).base;
    const before = await screenshot(page);
    expect(colourDistance(await drawnColour(page, before, 100), free)).toBeLessThanOrEqual(2);
    // The first pass fills pages 16, 17, ... in order: 400k instructions reach well past page 100.
    await page.evaluate(() => window.__jumpback!.demo!.step(400_000));
    await frames(page, 1);
    const during = await screenshot(page, 'map-after-step.png');
    expect(colourDistance(await drawnColour(page, during, 100), hot)).toBeLessThanOrEqual(2);
    expect(colourDistance(await drawnColour(page, during, 4000), free)).toBeLessThanOrEqual(2);
    const word = await page.evaluate((pa) => window.__jumpback!.demo!.target.memory.read32(pa), RAM_BASE + 100 * 4096 + 64);
    expect(word).toBe(100);
    await frames(page, 16);
    const after = await screenshot(page);
    expect(colourDistance(await drawnColour(page, after, 100), free)).toBeLessThanOrEqual(2);
    await expect.poll(() => page.textContent('#console')).toContain(DEMO_BANNER);
  });

  it('hover shows the page, click opens its live bytes', async () => {
    const c = await cellCentre(page, 100);
    await page.mouse.move(c.x, c.y);
    await frames(page, 2);
    const info = (await page.textContent('#page-info')) ?? '';
    expect(info).toContain('frame     100 (0x64)');
    expect(info).toContain('address   0x80064000');
    expect(info).toContain('role      free');
    expect(info).toContain('owner     demo OS (1)');
    const checksum = await page.evaluate(() => window.__jumpback!.demo!.target.memory.checksum(100));
    expect(info).toContain('0x' + checksum.toString(16).padStart(8, '0'));
    await page.mouse.down();
    await page.mouse.up();
    await frames(page, 2);
    expect(await page.textContent('#hex-title')).toContain('frame 100 at 0x80064000');
    expect(await page.textContent('#hex')).toContain('000  00000064 00000064 00000064 00000064');
    await page.mouse.move(2, 2);
  });

  it('draws the same colours through the RGBA fallback route', async () => {
    const other = await site.ctx.newPage();
    try {
      await other.goto(site.server.url + '?demo&paused&route=rgba');
      await other.waitForFunction(() => window.__jumpback !== undefined, null, { timeout: 30_000 });
      expect(await other.evaluate(() => window.__jumpback!.demo!.map.route)).toBe('rgba');
      await other.evaluate(() => window.__jumpback!.demo!.target.memory.setPageInfo(40, 2, 4));
      await frames(other, 16);
      const img = decodePng(await other.screenshot());
      const expected: Array<[number, number]> = [
        [0, lookOf(pageCode(1, PageRole.Kernel, false)).base],
        [100, lookOf(pageCode(1, PageRole.Free, false)).base],
        [40, lookOf(pageCode(2, PageRole.Control, false)).base],
      ];
      for (const [pfn, colour] of expected) {
        const got = await drawnColour(other, img, pfn);
        expect(colourDistance(got, colour), `page ${pfn}: drew ${hex(got)}, expected ${hex(colour)}`).toBeLessThanOrEqual(2);
      }
    } finally {
      await other.close();
    }
  });

  it('plays and pauses from the controls, and lays out without overlap at 1280x800 and 1920x1080', async () => {
    const instret0 = await page.evaluate(() => window.__jumpback!.demo!.target.cpu.instret);
    await page.click('#btn-play');
    await frames(page, 10);
    await page.click('#btn-play');
    const instret1 = await page.evaluate(() => window.__jumpback!.demo!.target.cpu.instret);
    expect(instret1).toBeGreaterThan(instret0);
    await frames(page, 2);
    await screenshot(page, 'demo-1280x800.png');
    for (const [w, h] of [[1280, 800], [1920, 1080]]) {
      await page.setViewportSize({ width: w, height: h });
      await frames(page, 3);
      if (w === 1920) await screenshot(page, 'demo-1920x1080.png');
      const boxes = await page.evaluate(() =>
        ['.top', '.left', '.centre', '.right', '.controls'].map((s) => {
          const r = document.querySelector(s)!.getBoundingClientRect();
          return { s, x: r.left, y: r.top, r: r.right, b: r.bottom };
        }),
      );
      for (const a of boxes) {
        expect(a.x).toBeGreaterThanOrEqual(0);
        expect(a.r).toBeLessThanOrEqual(w);
        expect(a.b).toBeLessThanOrEqual(h);
        for (const b of boxes) {
          if (a === b) continue;
          const overlap = a.x < b.r && b.x < a.r && a.y < b.b && b.y < a.b;
          expect(overlap, `${a.s} overlaps ${b.s} at ${w}x${h}`).toBe(false);
        }
      }
      const map = await page.evaluate(() => document.querySelector('#map canvas')!.getBoundingClientRect().width);
      expect(map).toBeGreaterThan(w * 0.4);
    }
    expect(site.errors).toEqual([]);
  });
});
