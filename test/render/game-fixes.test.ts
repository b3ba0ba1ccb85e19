// Play-testing bugs of the game page, each pinned in Chromium: Run after a finished run, the layout
// at 1280x800 (goals in view on every level, readable consoles, no cut fields), the words the page
// uses (OS names in consoles, a CALL's callee, problem counts, field labels, a tie with the best,
// upload notices, the sandbox), no PixiJS warnings when levels change, the instruction count kept
// current, and a share link opened in a fresh browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { encodeSolution, type SolutionJson } from '../../src/render/game/share.ts';
import { browserSkipReason, launchChromium, openSite, type OpenSite } from './browser.ts';

const skip = browserSkipReason();
if (skip) console.log(`game-fixes: ${skip}`);
const ROOT = new URL('../..', import.meta.url).pathname;
const reference = (name: string): SolutionJson => JSON.parse(readFileSync(join(ROOT, `levels/solutions/${name}.json`), 'utf8')) as SolutionJson;

/** The expert slider at its top speed (the same control before and after the presets came). */
async function fullSpeed(page: Page): Promise<void> {
  await page.evaluate(() => {
    const speed = document.querySelector<HTMLInputElement>('#speed')!;
    speed.value = speed.max;
    speed.dispatchEvent(new Event('input'));
  });
}

const open = (page: Page, name: string, solution?: unknown) => page.evaluate(([n, s]) => window.__jumpback!.game!.open(n as string, s), [name, solution] as const);
const frames = (page: Page, n: number) => page.evaluate((k) => window.__jumpback!.frames(k), n);
const ended = (page: Page) => page.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 60_000 });
const upload = (page: Page, name: string, json: unknown) =>
  page.setInputFiles('#file-upload', { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });

describe.skipIf(skip !== null)('game page fixes in Chromium', () => {
  let site: OpenSite;
  let page: Page;
  const consoleMessages: string[] = [];

  beforeAll(async () => {
    site = await openSite('jumpback-fixes-', '?paused', () => window.__jumpback?.game !== undefined);
    page = site.page;
    page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
    await fullSpeed(page);
  });

  afterAll(async () => {
    await site?.close();
  });

  it('runs again when Run is pressed after a finished run', async () => {
    await open(page, '11-firmware-call', reference('11-firmware-call'));
    await page.click('#btn-play');
    await ended(page);
    await page.click('[data-tab="editor"]');
    await page.click('#btn-run');
    expect(await page.textContent('#editor-notice')).toContain('Running your solution');
    // The restarted run gets going (it used to stay paused at 0 instructions).
    await page.waitForFunction(() => window.__jumpback!.game!.session.world.machine.cpu.instret > 0, null, { timeout: 10_000 });
    await ended(page);
    expect(await page.evaluate(() => window.__jumpback!.game!.session.world.goals.passed)).toBe(true);
  });

  it('keeps every goal in view and every console readable at 1280x800, on every level', async () => {
    const names = await page.evaluate(() => window.__jumpback!.game!.levels.map((l) => l.name));
    const hidden: string[] = [];
    const cramped: string[] = [];
    for (const name of names) {
      await open(page, name);
      await frames(page, 2);
      const r = await page.evaluate(() => {
        // A goal is in view when the point at its middle is the goal itself (not clipped, not scrolled away).
        const goals = Array.from(document.querySelectorAll<HTMLElement>('#goals .goal')).filter((g) => {
          const b = g.getBoundingClientRect();
          const inside = b.top >= 0 && b.bottom <= innerHeight && b.left >= 0 && b.right <= innerWidth;
          const hit = document.elementFromPoint(b.left + Math.min(20, b.width / 2), b.top + b.height / 2);
          return !(inside && hit !== null && g.contains(hit));
        }).map((g) => g.dataset.goal);
        const lines = (c: HTMLElement) => c.clientHeight / parseFloat(getComputedStyle(c).lineHeight);
        const consoles: Array<[string, number]> = [];
        const tabs = Array.from(document.querySelectorAll<HTMLElement>('#consoles .console-tab'));
        for (const pane of Array.from(document.querySelectorAll<HTMLElement>('#consoles .os-console'))) {
          const os = pane.dataset.os!;
          tabs.find((t) => t.dataset.os === os)?.click(); // a tab shows its pane
          const body = pane.querySelector<HTMLElement>('.console')!;
          consoles.push([os, body.offsetParent === null ? 0 : lines(body)]);
        }
        return { goals, consoles };
      });
      if (r.goals.length > 0) hidden.push(`${name}: ${r.goals.join(', ')}`);
      for (const [os, n] of r.consoles) if (n < 4) cramped.push(`${name} ${os}: ${n.toFixed(1)} lines`);
    }
    expect(hidden, 'goals out of view').toEqual([]);
    expect(cramped, 'consoles under 4 lines').toEqual([]);
    await open(page, '15-sandbox'); // the level with the most OSes: a console each
    await frames(page, 2);
    expect(await page.locator('#consoles .os-console').count()).toBe(5);
  });

  it('cuts no field: the kexec command, segment cells, the status bar with its hash', async () => {
    const cut = () => page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-field] .field-input:not(.asm), .seg-row input, #stats, #stats *'))
        .filter((e) => e.offsetParent !== null && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
        .map((e) => `${e.id || e.className}: ${(e as HTMLInputElement).value ?? e.textContent}`));
    const statsInBar = () => page.evaluate(() => {
      const s = document.getElementById('stats')!.getBoundingClientRect();
      const bar = document.querySelector('.controls')!.getBoundingClientRect();
      return s.left >= bar.left && s.right <= bar.right && s.top >= bar.top && s.bottom <= bar.bottom;
    });
    await open(page, '03-ping-pong'); // the default command is the longest of the campaign
    await page.click('[data-tab="editor"]');
    await page.fill('#field-load', '--load-preserve-context B --mem-min=0x80200000 --mem-max=0x803fffff --append="name=B heap=top"');
    await page.click('#btn-play');
    await page.waitForFunction(() => window.__jumpback!.game!.session.world.machine.cpu.instret > 1_000_000, null, { timeout: 30_000 });
    await page.click('#btn-play');
    await frames(page, 2);
    expect(await cut()).toEqual([]);
    expect(await statsInBar()).toBe(true);
    const hash = await page.evaluate(() => window.__jumpback!.game!.session.sim.hash());
    expect(await page.textContent('#stats')).toContain(hash);
    expect(await page.textContent('#stats')).toContain((await page.evaluate(() => window.__jumpback!.game!.session.world.machine.cpu.instret)).toLocaleString('en-US'));
    await open(page, '08-legacy-reentry'); // a segment table
    await page.click('[data-tab="editor"]');
    expect(await page.locator('.seg-row input').count()).toBeGreaterThanOrEqual(8);
    expect(await cut()).toEqual([]);
    // With the expert slider shown as well.
    await page.click('#speed-presets [data-speed="custom"]');
    await frames(page, 2);
    expect(await cut()).toEqual([]);
    expect(await statsInBar()).toBe(true);
  });

  it('shows console lines under the level\'s OS id when the OS was not given its name', async () => {
    await open(page, '01-first-jump', { schema: 1, level: 'first-jump', values: { load: ['-l', 'B'] } });
    await page.click('#btn-play');
    await ended(page);
    await frames(page, 2);
    const raw = await page.evaluate(() => window.__jumpback!.game!.consoles.text('B'));
    expect(raw).toContain('C: round 3'); // what B really printed: the counter's default name
    const shown = await page.textContent('#console-B');
    expect(shown).toContain('B: round 3');
    expect(shown).not.toContain('C: ');
    expect(await page.textContent('[data-os="B"] .os-note')).toContain('prints as C');
    expect(await page.getAttribute('[data-os="B"] .os-note', 'title')).toContain('name=B');
  });

  it('names the callee of a CALL in the timeline', async () => {
    await open(page, '11-firmware-call', reference('11-firmware-call'));
    await page.click('#btn-play');
    await ended(page);
    const titles = await page.evaluate(() => window.__jumpback!.game!.timeline.entries.map((e) => e.title));
    expect(titles).toContain('call A → F');
    expect(titles).toContain('return F → A');
    expect(await page.textContent('#timeline')).toContain('call A → F');
  });

  it('counts the problems it lists and names fields by their label', async () => {
    await open(page, '12-write-the-firmware');
    await page.click('[data-tab="editor"]');
    await upload(page, 'broken.json', { schema: 1, level: 'write-the-firmware', values: { code: 'bogus1 a0\nadd a0, a1\nbogus2 a1\nret\n' } });
    await expect.poll(() => page.locator('[data-field="code"] .field-error').count()).toBe(3);
    await page.click('#btn-run');
    expect(await page.textContent('#editor-notice')).toContain('Fix 3 problems in the solution');
    // One problem, one line: singular.
    await open(page, '02-jump-and-back');
    await page.fill('#field-load', '-l B --bogus');
    await expect.poll(() => page.textContent('[data-field="load"] .field-errors')).toMatch(/^kexec \(A loads B\): option '--bogus' is not allowed here/);
    await page.click('#btn-run');
    expect(await page.textContent('#editor-notice')).toContain('Fix 1 problem in the solution');
    // A segment cell: the field's label, the segment and the column, never the JSON path.
    await open(page, '08-legacy-reentry');
    await page.locator('.seg-row input[name="mem"]').first().fill('zz');
    await expect.poll(() => page.textContent('[data-field="table"] .field-errors')).toContain("F's kexec segments, segment 1 mem: ");
    expect(await page.textContent('#editor')).not.toContain('values.');
    await page.click('#btn-defaults');
  });

  it('says "as good as the best" for a score tied with the best reference solutions', async () => {
    await open(page, '03-ping-pong', reference('03-ping-pong'));
    await page.click('#btn-play');
    await ended(page);
    await page.click('[data-tab="score"]');
    const score = await page.textContent('#score');
    expect(score).toContain('Level solved');
    expect(score).not.toContain('better than 0%');
    expect(await page.textContent('[data-metric="size"]')).toContain('as good as the best reference solutions');
  });

  it('says where an uploaded solution came from', async () => {
    await open(page, '02-jump-and-back');
    await page.click('[data-tab="editor"]');
    await upload(page, 'my-try.json', reference('02-jump-and-back'));
    await expect.poll(() => page.textContent('#editor-notice')).toContain('Loaded solution from my-try.json');
    expect(await page.textContent('#editor-notice')).not.toContain('shared');
  });

  it('never counts the sandbox as solved', async () => {
    await open(page, '15-sandbox', reference('15-sandbox'));
    await page.click('#btn-play');
    await ended(page);
    await frames(page, 2);
    expect(await page.textContent('#score')).toContain('Free play');
    expect(await page.textContent('#score')).not.toContain('Level solved');
    expect(await page.getAttribute('#levels [data-level="15-sandbox"]', 'class')).not.toContain('solved');
    expect(await page.textContent('#levels [data-level="15-sandbox"]')).not.toContain('✓');
    const levels = await page.evaluate(() => window.__jumpback!.game!.levels.length);
    expect(await page.textContent('#campaign')).toMatch(new RegExp(` / ${levels - 1} solved$`));
    expect(await page.textContent('#goals')).toContain('free play');
  });

  it('keeps the status bar\'s instruction count current frame by frame', async () => {
    await open(page, '13-jump-back-path');
    if (await page.evaluate(() => window.__jumpback!.game!.running)) await page.click('#btn-play');
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('n');
      await frames(page, 1);
      const instret = await page.evaluate(() => window.__jumpback!.game!.session.world.machine.cpu.instret);
      expect(instret).toBeGreaterThan(0);
      expect(await page.textContent('#stats')).toContain(`${instret.toLocaleString('en-US')} instr`);
    }
  });

  it('switches levels (and map sizes) without PixiJS warnings', async () => {
    consoleMessages.length = 0;
    for (const name of ['03-ping-pong', '10-hibernate', '02-jump-and-back', '10-hibernate', '01-first-jump']) {
      await open(page, name);
      await frames(page, 3);
    }
    expect(consoleMessages.filter((m) => /pixi/i.test(m))).toEqual([]);
    expect(site.errors).toEqual([]);
  });

  it('opens a share link in a fresh browser with exactly its solution, and Run solves the level', async () => {
    const sol = reference('12-write-the-firmware');
    const ctx = await launchChromium(1280, 800);
    try {
      const fresh = await ctx.newPage();
      const errors: string[] = [];
      fresh.on('pageerror', (e) => errors.push(String(e)));
      await fresh.goto(`${site.server.url}#level=12-write-the-firmware&s=${encodeSolution(sol)}`);
      await fresh.waitForFunction(() => window.__jumpback?.game !== undefined, null, { timeout: 30_000 });
      expect(await fresh.evaluate(() => window.__jumpback!.game!.current.name)).toBe('12-write-the-firmware');
      expect(await fresh.evaluate(() => window.__jumpback!.game!.editor.draft())).toEqual({ schema: 1, level: sol.level, values: sol.values });
      expect(await fresh.textContent('#editor-notice')).toContain('Loaded the shared solution');
      await fullSpeed(fresh);
      // Let the run the link started end first: its end shows the Score tab, which would otherwise
      // hide the Run button between the two clicks below.
      await fresh.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 60_000 });
      await fresh.click('[data-tab="editor"]');
      await fresh.click('#btn-run');
      await fresh.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 60_000 });
      expect(await fresh.evaluate(() => window.__jumpback!.game!.session.world.goals.passed)).toBe(true);
      expect(await fresh.locator('#goals .goal.met').count()).toBe(await fresh.locator('#goals .goal').count());
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }
  }, 120_000); // a second Chromium starting on a loaded machine
});
