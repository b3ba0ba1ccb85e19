// The game page in Chromium: levels played in the browser on the same engine as the CLI. Map pixels
// are read back from screenshots at pages whose owner and role the engine set, a kexec jump is
// stepped through, levels are played to the end (goals ticked, event-log hash equal to the
// headless run's), and the editor shows errors inline and never loses the player's draft.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageRole } from '../../src/sim/memory.ts';
import { campaignFiles, loadLevelFile, playLevelFile, solutionFiles } from '../../src/level/campaign.ts';
import { lookOf, pageCode } from '../../src/render/page-code.ts';
import { encodeSolution, type SolutionJson } from '../../src/render/game/share.ts';
import { joinWords } from '../../src/render/game/editor.ts';
import { browserSkipReason, openSite, replaceCode, type OpenSite } from './browser.ts';
import { colourDistance, decodePng, pixel, type Image } from './png.ts';
import type { Page } from 'playwright-core';

const skip = browserSkipReason();
if (skip) console.log(`game-page: ${skip}`);
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const reference = (name: string): SolutionJson => JSON.parse(readFileSync(join(ROOT, `levels/solutions/${name}.json`), 'utf8')) as SolutionJson;
const hex = (c: number) => '#' + c.toString(16).padStart(6, '0');

async function screenshot(page: Page, name?: string): Promise<Image> {
  const png = await page.screenshot();
  if (name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, name), png);
  }
  return decodePng(png);
}

const frames = (page: Page, n: number) => page.evaluate((k) => window.__jumpback!.frames(k), n);

/** Asserts the colour drawn at the centre of each page's cell (a fresh screenshot). */
async function expectCells(page: Page, cells: Array<[pfn: number, owner: number, role: PageRole]>, shot?: string): Promise<void> {
  const img = await screenshot(page, shot);
  for (const [pfn, owner, role] of cells) {
    const c = await page.evaluate((p) => window.__jumpback!.pageToClient(p), pfn);
    const want = lookOf(pageCode(owner, role, false)).base;
    const got = pixel(img, c.x, c.y);
    expect(colourDistance(got, want), `page ${pfn}: drew ${hex(got)}, expected ${hex(want)} (owner ${owner}, role ${role})`).toBeLessThanOrEqual(2);
  }
}

/** Page metadata of the running world: pfns with a role (and their owner). */
async function pagesWithRole(page: Page, role: PageRole): Promise<Array<[number, number]>> {
  return page.evaluate((r) => {
    const m = window.__jumpback!.game!.session.world.machine.memory;
    const out: Array<[number, number]> = [];
    for (let p = 0; p < m.pageCount; p++) if (m.role[p] === r) out.push([p, m.owner[p]]);
    return out;
  }, role);
}

describe.skipIf(skip !== null)('game page in Chromium', () => {
  let site: OpenSite;
  let page: Page;

  beforeAll(async () => {
    site = await openSite('jumpback-game-', '?paused', () => window.__jumpback?.game !== undefined);
    page = site.page;
    await frames(page, 2);
  });

  afterAll(async () => {
    await site?.close();
  });

  it('opens the first level: briefing, goals, one console per OS, the booted OS painted on the map', async () => {
    // A new player lands on the tutorial; level 1 is open too.
    expect(await page.textContent('#level-title')).toMatch(/^Tutorial: /);
    await page.click('#levels [data-level="01-first-jump"]');
    await frames(page, 2);
    expect(await page.textContent('#level-title')).toContain('1. First jump');
    expect(await page.textContent('#campaign')).toMatch(/^0 \/ \d+ solved$/);
    expect(await page.locator('#goals .goal').count()).toBeGreaterThan(0);
    expect(await page.locator('#goals .goal.met').count()).toBe(0);
    expect(await page.locator('#consoles .os-console').count()).toBe(2);
    const kernel = await pagesWithRole(page, PageRole.Kernel);
    const free = await pagesWithRole(page, PageRole.Free);
    expect(kernel.length).toBeGreaterThan(0);
    expect(kernel.every(([, o]) => o === 1)).toBe(true);
    await expectCells(page, [[kernel[0][0], 1, PageRole.Kernel], [free[0][0], 1, PageRole.Free], [free[free.length - 1][0], 1, PageRole.Free]]);
  });

  it('steps through a jump: the kexec pages take their colours, the swapped range changes owner', async () => {
    // At 'instant' the page neither holds after the load nor labels the pages (labels would cover cells read here).
    await page.click('#speed-presets [data-speed="instant"]');
    await page.evaluate((sol) => window.__jumpback!.game!.open('02-jump-and-back', sol), reference('02-jump-and-back'));
    expect(await page.textContent('#level-title')).toContain('2. Jump and back');
    // To the load: control, swap, indirection, source pages appear, owned by A.
    await page.click('#btn-next');
    expect(await page.evaluate(() => window.__jumpback!.game!.timeline.entries.map((e) => e.kind))).toContain('load');
    const control = await pagesWithRole(page, PageRole.Control);
    const swapPages = await pagesWithRole(page, PageRole.Swap);
    const sources = await pagesWithRole(page, PageRole.Source);
    const dests = await pagesWithRole(page, PageRole.Destination);
    expect(control.length).toBe(1);
    expect(swapPages.length).toBe(1);
    expect(sources.length).toBe(64);
    expect(dests.length).toBeGreaterThanOrEqual(64);
    await frames(page, 16); // the "just written" flash of the loaded pages fades
    const d = dests[10][0];
    await expectCells(page, [[control[0][0], 1, PageRole.Control], [swapPages[0][0], 1, PageRole.Swap], [sources[5][0], 1, PageRole.Source], [d, 1, PageRole.Destination]], 'game-after-load.png');
    // Through the jump (freeze, relocate.S swaps 64 pairs) until B's own kexec load.
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    const kinds = await page.evaluate(() => window.__jumpback!.game!.timeline.entries.map((e) => e.title));
    expect(kinds).toContain('jump A → B');
    expect(kinds).toContain('swap out · 64 page pairs');
    expect(await page.evaluate(() => window.__jumpback!.game!.swap.swapsSeen)).toBeGreaterThanOrEqual(64);
    const owner = await page.evaluate((p) => window.__jumpback!.game!.session.world.machine.memory.owner[p], d);
    expect(owner).toBe(2);
    // The owner sweep started when the jump event arrived (before the timeline showed it); it
    // ends on the first frame after SWEEP_MS.
    await page.waitForFunction(() => !window.__jumpback!.game!.swap.sweeping);
    await frames(page, 16);
    const role = await page.evaluate((p) => window.__jumpback!.game!.session.world.machine.memory.role[p], d);
    await expectCells(page, [[d, 2, role as PageRole], [sources[5][0], 1, PageRole.Source]], 'game-after-jump.png');
    expect(colourDistance(lookOf(pageCode(2, role, false)).base, lookOf(pageCode(1, PageRole.Destination, false)).base)).toBeGreaterThan(40);
    expect(await page.textContent('#console-B')).toContain('B: round');

    // Click the timeline's load phase: rewind there, the range is A's again.
    const at = await page.evaluate(() => {
      const g = window.__jumpback!.game!;
      return g.session.sim.checkpoints[g.session.checkpointFor(g.timeline.entries.find((e) => e.kind === 'load')!.index)].at;
    });
    await page.locator('#timeline .phase-load').first().click();
    expect(await page.evaluate(() => window.__jumpback!.game!.session.world.machine.cpu.instret)).toBe(at);
    // A rewind replays without sweeps (and clears one still running); the frames let any flash fade.
    await page.waitForFunction(() => !window.__jumpback!.game!.swap.sweeping);
    await frames(page, 16);
    await expectCells(page, [[d, 1, PageRole.Destination]]);
    expect(await page.locator('#timeline .phase-jump').count()).toBe(0);
  });

  it('plays every level with its reference solution to the end: goals met, same event-log hash as headless', async () => {
    for (const file of campaignFiles()) {
      const lf = loadLevelFile(file);
      const ref = solutionFiles(lf).reference;
      if (!ref) continue;
      const headless = playLevelFile(lf, ref);
      const sol = JSON.parse(readFileSync(ref, 'utf8')) as SolutionJson;
      // Through the URL hash, as a shared link would.
      await page.evaluate(([name, s]) => {
        location.hash = `#level=${name}&s=${s}`;
      }, [lf.name, encodeSolution(sol)] as const);
      await expect.poll(() => page.evaluate(() => window.__jumpback!.game!.current.name)).toBe(lf.name);
      // The tutorial's tour would stop the run at each callout: skip it here (onboarding.test.ts walks it).
      if (lf.level.tutorial) await page.click('.tutorial-skip');
      await page.evaluate(() => {
        const speed = document.querySelector<HTMLInputElement>('#speed')!;
        speed.value = speed.max;
        speed.dispatchEvent(new Event('input'));
      });
      await page.click('#btn-play');
      await page.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 60_000 });
      await frames(page, 2);
      const got = await page.evaluate(() => {
        const g = window.__jumpback!.game!;
        return { hash: g.session.sim.hash(), passed: g.session.world.goals.passed, score: g.session.world.score() };
      });
      expect(got.hash, lf.name).toBe(headless.hash);
      expect(got.passed).toBe(true);
      expect(got.score).toEqual(headless.score);
      const goals = await page.locator('#goals .goal').count();
      expect(await page.locator('#goals .goal.met').count()).toBe(goals);
      expect(await page.locator('#score .metric').count()).toBe(3);
      if (lf.level.goals.length === 0) {
        // The sandbox: nothing to solve, so never marked solved.
        expect(await page.textContent('#score')).toContain('Free play');
        expect(await page.getAttribute(`#levels [data-level="${lf.name}"]`, 'class')).not.toContain('solved');
        continue;
      }
      expect(await page.textContent('#score')).toContain('Level solved');
      expect(await page.getAttribute(`#levels [data-level="${lf.name}"]`, 'class')).toContain('solved');
      if (lf.name.startsWith('02')) await screenshot(page, 'game-solved.png');
    }
    expect(await page.textContent('#campaign')).toMatch(/^[1-9]\d* \/ \d+ solved$/);
    // Progress survives a reload (localStorage).
    await page.reload();
    await page.waitForFunction(() => window.__jumpback?.game !== undefined);
    expect(await page.textContent('#campaign')).not.toMatch(/^0 \//);
  }, 180_000); // 15 levels played in turn: a minute alone on a loaded 2-core machine, so more than the default 60 s

  it('a failed run says why within seconds: the result panel names the step, the timeline marks the refused load', async () => {
    const noMemMax = { schema: 1, level: 'jump-and-back', values: { load: ['--load-preserve-context', 'B', '--mem-min=0x80200000', '--append=name=B'] } };
    await page.evaluate((sol) => window.__jumpback!.game!.open('02-jump-and-back', sol), noMemMax);
    const t0 = Date.now();
    await page.click('#btn-play');
    await page.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 10_000 });
    await expect.poll(() => page.textContent('#score')).toContain('Not solved: a goal can no longer be met');
    const seconds = (Date.now() - t0) / 1000;
    expect(seconds, 'the why shows within a few seconds, not at the limit').toBeLessThan(5);
    expect(await page.getAttribute('#score .result', 'data-end')).toBe('impossible');
    expect(await page.textContent('#score .why-text')).toBe('A: `kexec --load-preserve-context B --mem-min=0x80200000 --append=name=B` failed: Please specify memory range used by kexeced kernel(s) with --mem-max (step 2)');
    expect(await page.textContent('#score .end-text')).toContain('A will never hand the machine over');
    expect(await page.evaluate(() => window.__jumpback!.game!.session.world.machine.cpu.instret)).toBeLessThan(50_000);
    expect(await page.locator('#timeline .phase-end.failed').count()).toBe(1);
    await screenshot(page, 'game-why.png');
    // The panel stays until the next run.
    await frames(page, 10);
    expect(await page.textContent('#score')).toContain('Please specify memory range');

    // A refused kexec_load has a timeline row: the why marks it (B's helper, ENOMEM).
    const tight = JSON.parse(readFileSync(join(ROOT, 'levels/solutions/03-ping-pong.wrong-tight.json'), 'utf8')) as SolutionJson;
    await page.evaluate((sol) => window.__jumpback!.game!.open('03-ping-pong', sol), tight);
    await page.evaluate(() => {
      const speed = document.querySelector<HTMLInputElement>('#speed')!;
      speed.value = speed.max;
      speed.dispatchEvent(new Event('input'));
    });
    await page.click('#btn-play');
    await page.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 30_000 });
    await expect.poll(() => page.textContent('#score .why-text')).toContain('kexec_load refused: -ENOMEM (no free page for the image)');
    await frames(page, 2);
    expect(await page.textContent('#timeline .phase.why')).toContain('load refused (ENOMEM)');
    expect(await page.getAttribute('#timeline .phase.why', 'title')).toContain('why the run failed: `kexec --load-jump-back-helper');
  });

  it('shows editor errors inline and keeps the draft through bad uploads and bad links', async () => {
    await page.evaluate(() => window.__jumpback!.game!.open('02-jump-and-back'));
    const input = page.locator('#field-load');
    await input.fill('-l B --bogus');
    await expect.poll(() => page.textContent('[data-field="load"] .field-errors')).toContain("kexec (A loads B): option '--bogus' is not allowed here");
    expect(await input.getAttribute('class')).toContain('invalid');
    await page.click('#btn-run');
    expect(await page.textContent('#editor-notice')).toContain('Fix 1 problem');
    await input.fill('-l B --append=name=B');
    await expect.poll(() => page.locator('[data-field="load"] .field-error').count()).toBe(0);

    // A script field: a bad step is reported at its JSON path under the field.
    const ring = await page.evaluate(() => window.__jumpback!.game!.levels.find((l) => l.level.editable.some((f) => f.kind === 'script'))?.name);
    if (ring) {
      await page.evaluate((n) => window.__jumpback!.game!.open(n), ring);
      const field = await page.evaluate(() => window.__jumpback!.game!.current.level.editable.find((f) => f.kind === 'script')!.id);
      const area = page.locator(`#field-${field} .cm-content`);
      const before = await page.evaluate((f) => window.__jumpback!.game!.editor.text(f), field);
      await replaceCode(page, area, `${before}\nbogus step`.trim());
      const label = await page.evaluate((id) => window.__jumpback!.game!.current.level.editable.find((f) => f.id === id)!.label, field);
      await expect.poll(() => page.textContent(`[data-field="${field}"] .field-errors`)).toMatch(new RegExp(`^${label.replace(/[()']/g, '.')}, line \\d+: a step starts with kexec`));
      // Marked inline too: the whole bad line (the last one).
      await expect.poll(() => page.locator(`#field-${field} .cm-lintRange-error`).textContent()).toBe('bogus step');
      await replaceCode(page, area, before);
      await expect.poll(() => page.locator(`[data-field="${field}"] .field-error`).count()).toBe(0);
      await page.evaluate(() => window.__jumpback!.game!.open('02-jump-and-back'));
    }

    // A file that is not JSON, then one for another level: an error, the draft unchanged.
    await page.setInputFiles('#file-upload', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{ nope') });
    await expect.poll(() => page.textContent('#editor-notice')).toContain('bad.json was not loaded');
    expect(await input.inputValue()).toBe('-l B --append=name=B');
    const other = { schema: 1, level: 'first-jump', values: {} };
    await page.setInputFiles('#file-upload', { name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(other)) });
    await expect.poll(() => page.textContent('#editor-notice')).toContain("solution is for level 'first-jump'");
    expect(await input.inputValue()).toBe('-l B --append=name=B');
    // A broken share link.
    await page.evaluate(() => {
      location.hash = '#level=02-jump-and-back&s=%%%';
    });
    await expect.poll(() => page.textContent('#editor-notice')).toContain('your solution is unchanged');
    expect(await input.inputValue()).toBe('-l B --append=name=B');
    // The draft survives a reload.
    await page.goto(site.server.url + '?paused#level=02-jump-and-back');
    await page.waitForFunction(() => window.__jumpback?.game !== undefined);
    expect(await page.locator('#field-load').inputValue()).toBe('-l B --append=name=B');
    // A good upload replaces it; the old one can be restored.
    const good = reference('02-jump-and-back');
    await page.setInputFiles('#file-upload', { name: 'ref.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await expect.poll(() => page.locator('#field-load').inputValue()).toBe(joinWords(good.values.load as string[]));
    await page.click('#btn-restore');
    await expect.poll(() => page.locator('#field-load').inputValue()).toBe('-l B --append=name=B');
  });

  it('lays out without overlap at 1280x800 and 1920x1080', async () => {
    for (const [w, h] of [[1280, 800], [1920, 1080]]) {
      await page.setViewportSize({ width: w, height: h });
      await frames(page, 3);
      await screenshot(page, `game-${w}x${h}.png`);
      const boxes = await page.evaluate(() =>
        ['.top', '.level-panel', '#left-tabs', '.centre', '.cpu-panel', '#timeline', '.consoles-panel', '.controls'].map((s) => {
          const r = document.querySelector(s)!.getBoundingClientRect();
          return { s, x: r.left, y: r.top, r: r.right, b: r.bottom };
        }),
      );
      for (const a of boxes) {
        expect(a.x, a.s).toBeGreaterThanOrEqual(0);
        expect(a.r, a.s).toBeLessThanOrEqual(w);
        expect(a.b, a.s).toBeLessThanOrEqual(h);
        for (const b of boxes) {
          if (a === b) continue;
          const overlap = a.x < b.r && b.x < a.r && a.y < b.b && b.y < a.b;
          expect(overlap, `${a.s} overlaps ${b.s} at ${w}x${h}`).toBe(false);
        }
      }
      const map = await page.evaluate(() => document.querySelector('#map canvas')!.getBoundingClientRect());
      expect(map.width).toBeGreaterThan(w * 0.4);
      // The controls and buttons fit their bar (no wrapped or clipped button).
      const clipped = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.controls button, .editor-actions button, .levels button'))
          .filter((b) => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1).map((b) => b.id || b.textContent),
      );
      expect(clipped).toEqual([]);
    }
    expect(site.errors).toEqual([]);
  });
});
