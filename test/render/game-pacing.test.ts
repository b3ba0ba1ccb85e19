// Pacing in Chromium: at the default speed every kexec jump of ping-pong plays over about a second
// (frames and wall time per jump measured in the page), labelled on the map, a whole 10-trip level
// in at most 30 s; Enter skips the rest of a jump; the presets replace the slider (custom reveals
// it); and the event-log hash is the same at watch, at instant and headless.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { campaignFiles, loadLevelFile, playLevelFile } from '../../src/level/campaign.ts';
import { encodeSolution, type SolutionJson } from '../../src/render/game/share.ts';
import { PageRole } from '../../src/sim/memory.ts';
import { browserSkipReason, openSite, type OpenSite } from './browser.ts';

const skip = browserSkipReason();
if (skip) console.log(`game-pacing: ${skip}`);
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const LEVEL = '03-ping-pong';
const solutionPath = join(ROOT, `levels/solutions/${LEVEL}.json`);
const reference = JSON.parse(readFileSync(solutionPath, 'utf8')) as SolutionJson;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), await page.screenshot());
}

/** Records, every animation frame: time, the paced jump's start (or -1) and the instructions retired. */
async function recordFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: Array<[number, number, number]> = [];
    (window as unknown as { __paceLog: typeof log }).__paceLog = log;
    const tick = (now: number): void => {
      const g = window.__jumpback!.game!;
      log.push([now, g.pacer.jump ? g.pacer.jump.startAt : -1, g.session.world.machine.cpu.instret]);
      if (!g.session.world.ended) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Frames and wall time of each paced jump seen by {@link recordFrames}. */
async function jumpsRecorded(page: Page): Promise<Array<{ startAt: number; frames: number; ms: number }>> {
  const log = await page.evaluate(() => (window as unknown as { __paceLog: Array<[number, number, number]> }).__paceLog);
  const jumps = new Map<number, { first: number; last: number; frames: number }>();
  for (const [t, start] of log) {
    if (start < 0) continue;
    const j = jumps.get(start) ?? { first: t, last: t, frames: 0 };
    j.last = t;
    j.frames++;
    jumps.set(start, j);
  }
  return [...jumps].map(([startAt, j]) => ({ startAt, frames: j.frames, ms: j.last - j.first }));
}

/** In the page: a paced jump is in progress, at least `done` (0..1) through. */
function midJump(done: number): boolean {
  const g = window.__jumpback!.game!;
  return g.pacer.jump !== null && g.pacer.progress(g.session.world.machine.cpu.instret) > done;
}

const ended = (page: Page, timeout = 90_000) => page.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout });
const hashOf = (page: Page) => page.evaluate(() => window.__jumpback!.game!.session.sim.hash());

describe.skipIf(skip !== null)('game pacing in Chromium', () => {
  let site: OpenSite;
  let page: Page;
  const consoleMessages: string[] = [];
  const headless = playLevelFile(loadLevelFile(campaignFiles().find((f) => f.endsWith(`${LEVEL}.json`))!), solutionPath);

  beforeAll(async () => {
    site = await openSite('jumpback-pacing-', `?paused#level=${LEVEL}&s=${encodeSolution(reference)}`, () => window.__jumpback?.game !== undefined);
    page = site.page;
    page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
  });

  afterAll(async () => {
    await site?.close();
  });

  it('offers the presets first, watch by default; custom reveals the slider and a slider move picks custom', async () => {
    expect(await page.locator('#speed-presets .preset').allTextContents()).toEqual(['watch', 'fast', 'instant', 'custom']);
    expect(await page.getAttribute('#speed-presets [data-speed="watch"]', 'aria-checked')).toBe('true');
    expect(await page.isVisible('#speed')).toBe(false);
    await page.click('#speed-presets [data-speed="custom"]');
    expect(await page.isVisible('#speed')).toBe(true);
    expect(await page.evaluate(() => window.__jumpback!.game!.pacer.preset)).toBeNull();
    await page.keyboard.press(']'); // custom: the slider takes [ and ]
    expect(await page.textContent('#speed-label')).toBe('20k instr/frame');
    await page.click('#speed-presets [data-speed="fast"]');
    await page.keyboard.press('['); // a preset: [ goes to the slower one
    expect(await page.evaluate(() => window.__jumpback!.game!.pacer.preset?.id)).toBe('watch');
    expect(await page.isVisible('#speed')).toBe(false);
    await page.evaluate(() => {
      const speed = document.querySelector<HTMLInputElement>('#speed')!;
      speed.value = '3';
      speed.dispatchEvent(new Event('input'));
    });
    expect(await page.getAttribute('#speed-presets [data-speed="custom"]', 'aria-checked')).toBe('true');
    expect(await page.evaluate(() => window.__jumpback!.game!.pacer.custom)).toBe(1_000);
    await page.click('#speed-presets [data-speed="watch"]');
  });

  it('plays ping-pong at the default speed in at most 30 s, each jump over about a second', async () => {
    expect(await page.inputValue('#field-load')).toContain('--mem-max=0x80206fff'); // the link's solution
    await recordFrames(page);
    const t0 = Date.now();
    await page.click('#btn-play');
    await ended(page);
    const wall = Date.now() - t0;
    const jumps = await jumpsRecorded(page);
    const frames = await page.evaluate(() => (window as unknown as { __paceLog: unknown[] }).__paceLog.length);
    console.log(`game-pacing: ${LEVEL} at 'watch' took ${(wall / 1000).toFixed(1)} s wall, ${frames} frames; per jump ${jumps.map((j) => `${j.frames}f/${Math.round(j.ms)}ms`).join(' ')}`);
    expect(await page.evaluate(() => window.__jumpback!.game!.session.world.goals.passed)).toBe(true);
    expect(jumps.length).toBe(20);
    // About a second each at any frame rate the page reaches; a starved page (frames over 100 ms)
    // stretches a jump to its 12-frame floor, so single jumps get some slack and the median none.
    for (const j of jumps) {
      expect(j.frames, `jump at ${j.startAt}`).toBeGreaterThanOrEqual(12);
      expect(j.ms, `jump at ${j.startAt}`).toBeGreaterThan(600);
      expect(j.ms, `jump at ${j.startAt}`).toBeLessThan(4_000);
    }
    const ms = jumps.map((j) => j.ms).sort((a, b) => a - b);
    expect(ms[ms.length >> 1]).toBeLessThan(1_600);
    expect(wall).toBeLessThanOrEqual(30_000);
    expect(await hashOf(page)).toBe(headless.hash);
  }, 120_000);

  it('labels the control page, swap page, backup and destination beside their cells in the middle of a jump', async () => {
    await page.click('[data-tab="editor"]');
    await page.click('#btn-run');
    // Paused in the middle of the first jump: the strip names it, the four pages are labelled next to their cells.
    await page.waitForFunction(midJump, 0.35, { timeout: 30_000, polling: 'raf' });
    await page.keyboard.press(' ');
    for (const [w, h] of [[1280, 800], [1920, 1080]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.evaluate(() => window.__jumpback!.frames(3));
      await shot(page, `game-jump-${w}x${h}.png`);
      const mid = await page.evaluate(() => {
        const g = window.__jumpback!.game!;
        const w = g.session.world;
        const mem = w.machine.memory;
        const img = w.kexec.kernels.find((k) => k.name === 'A')!.image!;
        const focus = g.swap.focus('A')!;
        const host = document.getElementById('map')!.getBoundingClientRect();
        const pills = Array.from(document.querySelectorAll<HTMLElement>('.map-callout')).filter((p) => !p.hidden).map((p) => {
          const r = p.getBoundingClientRect();
          return { text: p.textContent, x: r.left, y: r.top, r: r.right, b: r.bottom };
        });
        const cell = (pfn: number) => window.__jumpback!.pageToClient(pfn);
        return {
          strip: document.querySelector('.map-status-title')!.textContent, skip: document.querySelector<HTMLElement>('.map-status-skip')!.offsetParent !== null,
          labels: g.jumpView.callouts.texts, focus, control: mem.pfnOf(img.controlPage), swapPage: mem.pfnOf(img.swapPage),
          sourceRole: mem.role[focus.source], destOwner: mem.owner[focus.dest], host: { x: host.left, y: host.top, r: host.right, b: host.bottom }, pills,
          cells: { control: cell(focus.control), swap: cell(focus.swap), source: cell(focus.source), dest: cell(focus.dest) },
        };
      });
      expect(mid.strip).toBe('jump A → B · swapping 7 page pairs');
      expect(mid.skip).toBe(true);
      expect(mid.labels).toEqual(['control page', 'swap page', "A's backup (source)", 'destination']);
      expect(mid.focus.control).toBe(mid.control);
      expect(mid.focus.swap).toBe(mid.swapPage);
      expect(mid.sourceRole).toBe(PageRole.Source);
      const near: Record<string, { x: number; y: number }> = {
        'control page': mid.cells.control, 'swap page': mid.cells.swap, "A's backup (source)": mid.cells.source, destination: mid.cells.dest,
      };
      expect(mid.pills.length).toBe(4);
      for (const p of mid.pills) {
        expect(p.x, p.text!).toBeGreaterThanOrEqual(mid.host.x);
        expect(p.r, p.text!).toBeLessThanOrEqual(mid.host.r);
        expect(p.b, p.text!).toBeLessThanOrEqual(mid.host.b);
        const c = near[p.text!];
        const dx = Math.max(p.x - c.x, 0, c.x - p.r);
        const dy = Math.max(p.y - c.y, 0, c.y - p.b);
        expect(Math.hypot(dx, dy), `${p.text} beside its cell`).toBeLessThan(120);
        for (const q of mid.pills) {
          if (q !== p) expect(p.x < q.r && q.x < p.r && p.y < q.b && q.y < p.b, `${p.text} overlaps ${q.text}`).toBe(false);
        }
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    // The rest at instant: changing speed mid-run changes nothing but the pace.
    await page.click('#speed-presets [data-speed="instant"]');
    await page.keyboard.press(' ');
    await ended(page);
    expect(await hashOf(page)).toBe(headless.hash);
  }, 120_000);

  it('gives the same event-log hash at instant as at watch and headless', async () => {
    await page.click('#speed-presets [data-speed="instant"]');
    await page.click('[data-tab="editor"]');
    const before = await page.evaluate(() => window.__jumpback!.game!.frames);
    await page.click('#btn-run');
    await ended(page, 30_000);
    expect(await page.evaluate(() => window.__jumpback!.game!.timeline.entries.filter((e) => e.kind === 'jump').length)).toBe(20);
    expect(await hashOf(page)).toBe(headless.hash);
    expect(await page.evaluate(() => window.__jumpback!.game!.session.world.goals.passed)).toBe(true);
    expect(await page.evaluate((f) => window.__jumpback!.game!.frames - f, before)).toBeLessThan(200);
  });

  it('skips the rest of a jump with Enter', async () => {
    await page.click('#speed-presets [data-speed="watch"]');
    await page.click('[data-tab="editor"]');
    // The default window: 512 pairs a jump.
    await page.fill('#field-load', '--load-preserve-context B --mem-min=0x80200000 --mem-max=0x803fffff --append=name=B');
    await page.click('#btn-run');
    await page.waitForFunction(midJump, 0.1, { timeout: 30_000, polling: 'raf' });
    // The jump in progress, kept in the page: a skipped jump runs out within a frame or two, and on a
    // loaded machine the next one may have started before this test looks again.
    const before = await page.evaluate(() => {
      const jump = window.__jumpback!.game!.pacer.jump!;
      (window as unknown as { skipTarget: { skipped: boolean } }).skipTarget = jump;
      return jump.startAt;
    });
    await page.focus('#btn-play'); // where focus is after clicking Play
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (window as unknown as { skipTarget: { skipped: boolean } }).skipTarget.skipped)).toBe(true);
    await page.waitForFunction((s) => window.__jumpback!.game!.pacer.jump?.startAt !== s, before, { timeout: 5_000, polling: 'raf' });
    expect(await page.evaluate(() => window.__jumpback!.game!.running)).toBe(true); // Enter did not pause
    expect(site.errors).toEqual([]);
    expect(consoleMessages.filter((m) => /PixiJS|error/i.test(m))).toEqual([]);
  });
});
