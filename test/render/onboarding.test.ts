// What teaches a new player, in Chromium on a fresh profile: the tutorial level's callouts appear in
// order at their moments (the run paused there), each ringed on a page of the right role and owner
// with the bubble beside, not over, it; the success banner shows the run's score and "Next level →"
// opens the next level; the glossary's tooltips on the legend, the timeline and briefing terms, and
// the Reference dialog; levels locked until the one before is solved, "open all levels", and a
// link that still opens a locked level.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PAGE_ROLE_NAMES } from '../../src/sim/memory.ts';
import type { TutorialStep } from '../../src/level/schema.ts';
import { GLOSSARY } from '../../src/render/game/glossary-terms.ts';
import { encodeSolution, type SolutionJson } from '../../src/render/game/share.ts';
import { browserSkipReason, openSite, type OpenSite } from './browser.ts';

const skip = browserSkipReason();
if (skip) console.log(`onboarding: ${skip}`);
const ROOT = new URL('../..', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test-artifacts');
const TUTORIAL = JSON.parse(readFileSync(join(ROOT, 'levels/00-tutorial.json'), 'utf8')) as { title: string; tutorial: TutorialStep[] };
const reference = (name: string): SolutionJson => JSON.parse(readFileSync(join(ROOT, `levels/solutions/${name}.json`), 'utf8')) as SolutionJson;
const short = (id: string): string => GLOSSARY.find((e) => e.id === id)!.short;

/** The tutorial as the page has it: step, shown, the anchor page's role and owner, ring and bubble boxes. */
function tutorialNow(page: Page) {
  return page.evaluate(() => {
    const g = window.__jumpback!.game!;
    const t = g.onboarding.tutorial;
    if (!t) return null;
    const m = g.session.world.machine.memory;
    const box = (s: string) => {
      const r = document.querySelector(`.tutorial ${s}`)!.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    return {
      step: t.step, visible: t.visible, anchor: t.anchor, pages: t.pages.length,
      role: t.anchor >= 0 ? m.role[t.anchor] : -1, owner: t.anchor >= 0 ? m.owner[t.anchor] : -1,
      state: g.session.sim.state, kinds: g.timeline.entries.map((e) => e.kind),
      ring: box('.tutorial-ring'), bubble: box('.tutorial-bubble'),
      at: t.anchor >= 0 ? window.__jumpback!.pageToClient(t.anchor) : { x: 0, y: 0 }, cell: window.__jumpback!.cellSize(),
    };
  });
}

const maxSpeed = (page: Page) => page.evaluate(() => {
  const speed = document.querySelector<HTMLInputElement>('#speed')!;
  speed.value = speed.max;
  speed.dispatchEvent(new Event('input'));
});

describe.skipIf(skip !== null)('onboarding in Chromium', () => {
  let site: OpenSite;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    site = await openSite('jumpback-onboarding-', '?paused', () => window.__jumpback?.game !== undefined);
    page = site.page;
  });

  afterAll(async () => {
    await site?.close();
  });

  it('walks through the tutorial: callouts in order, at their moments, ringed on the right pages', async () => {
    // A new player lands on the tutorial.
    expect(await page.textContent('#level-title')).toBe(`Tutorial: ${TUTORIAL.title}`);
    const owners = await page.evaluate(() => ({ A: window.__jumpback!.game!.owners.ownerOfOs('A') }));
    const seen: string[] = [];
    for (const [i, step] of TUTORIAL.tutorial.entries()) {
      await expect.poll(async () => {
        const t = await tutorialNow(page);
        return t?.visible && t.step === i;
      }, { timeout: 30_000 }).toBe(true);
      const t = (await tutorialNow(page))!;
      const label = `step ${i + 1} (${step.when}, ${step.page?.role})`;
      seen.push(`${await page.getAttribute('.tutorial', 'data-when')}:${await page.getAttribute('.tutorial', 'data-role')}`);
      expect(await page.textContent('.tutorial-title'), label).toBe(step.title);
      expect(await page.textContent('.tutorial-count'), label).toBe(`${i + 1} / ${TUTORIAL.tutorial.length}`);
      // The run waits at the moment: paused, and the timeline has reached it.
      expect(t.state, label).toBe('paused');
      if (step.when !== 'start') expect(t.kinds, label).toContain(step.when);
      // Ringed on a page of the role, owned by the step's OS; the ring is centred on its cell, the
      // bubble leaves it visible, and every page of the role is outlined.
      expect(t.anchor, label).toBeGreaterThanOrEqual(0);
      expect(PAGE_ROLE_NAMES[t.role], label).toBe(step.page!.role);
      expect(t.owner, label).toBe(owners[step.page!.os as 'A']);
      expect(Math.abs((t.ring.left + t.ring.right) / 2 - t.at.x), label).toBeLessThanOrEqual(1.5);
      expect(Math.abs((t.ring.top + t.ring.bottom) / 2 - t.at.y), label).toBeLessThanOrEqual(1.5);
      const inside = t.at.x >= t.bubble.left && t.at.x <= t.bubble.right && t.at.y >= t.bubble.top && t.at.y <= t.bubble.bottom;
      expect(inside, `${label}: the bubble covers its page`).toBe(false);
      expect(await page.locator('.tutorial-mark').count(), label).toBe(Math.min(t.pages, 512));
      if (step.page!.role === 'control') await page.screenshot({ path: join(ARTIFACTS, 'tutorial-control-page.png') });
      if (step.page!.role === 'swap') await page.screenshot({ path: join(ARTIFACTS, 'tutorial-swap-page.png') });
      await page.click('.tutorial-next');
    }
    expect(seen).toEqual(TUTORIAL.tutorial.map((s) => `${s.when}:${s.page?.role}`));

    // The run goes on to the end: the success banner with the run's own score.
    await page.waitForSelector('#success', { state: 'visible', timeout: 60_000 });
    const score = await page.evaluate(() => window.__jumpback!.game!.session.world.score());
    expect(await page.textContent('#success .success-title')).toBe(`Level solved: Tutorial: ${TUTORIAL.title}`);
    for (const key of ['cycles', 'pages', 'size'] as const) {
      expect(await page.textContent(`#success [data-metric="${key}"] .success-value`)).toBe(score[key].toLocaleString('en-US'));
    }
    await page.screenshot({ path: join(ARTIFACTS, 'success-banner.png') });
    const next = page.locator('#success .success-next');
    expect(await next.textContent()).toBe('Next level → 1. First jump');
    await next.click();
    expect(await page.evaluate(() => window.__jumpback!.game!.current.name)).toBe('01-first-jump');
    expect(await page.isVisible('#success')).toBe(false);
    expect(await page.locator('.tutorial').count()).toBe(0);
    expect(site.errors).toEqual([]);
  }, 120_000);

  it('explains the legend, the timeline and briefing terms on hover; the Reference has every entry', async () => {
    const tip = page.locator('#glossary-tip');
    await page.hover('#legend .legend-entry:has-text("control")');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain(short('control'));
    await page.hover('#legend .legend-entry:has-text("indirection")');
    await expect.poll(() => tip.textContent()).toContain(short('indirection'));
    await page.hover('#timeline .phase-kind:text-is("boot")');
    await expect.poll(() => tip.textContent()).toContain(short('boot'));
    const term = page.locator('#briefing .term').first();
    const id = (await term.getAttribute('data-term'))!;
    await term.hover();
    await expect.poll(() => tip.textContent()).toContain(short(id));
    await page.screenshot({ path: join(ARTIFACTS, 'glossary-tooltip.png') });
    // Off a term, the tip goes.
    await page.hover('#level-title');
    await expect.poll(() => tip.isVisible()).toBe(false);

    // A click on the term opens the Reference at its entry.
    await term.click();
    await expect.poll(() => page.isVisible('#reference')).toBe(true);
    expect(await page.getAttribute(`#ref-${id}`, 'class')).toContain('current');
    expect(await page.locator('#reference dt').count()).toBe(GLOSSARY.length);
    await page.screenshot({ path: join(ARTIFACTS, 'glossary-reference.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible('#reference')).toBe(false);
    await page.click('#btn-reference');
    await expect.poll(() => page.isVisible('#reference')).toBe(true);
    await page.click('#reference .reference-close');
    await expect.poll(() => page.isVisible('#reference')).toBe(false);
  });

  it('locks levels until the one before is solved; "open all levels" and links open them anyway', async () => {
    const level = (n: string) => page.locator(`#levels [data-level="${n}"]`);
    const current = () => page.evaluate(() => window.__jumpback!.game!.current.name);
    // The tutorial is solved, level 1 is open, level 2 is not.
    expect(await level('00-tutorial').getAttribute('class')).toContain('solved');
    expect(await level('01-first-jump').getAttribute('class')).not.toContain('locked');
    expect(await level('02-jump-and-back').getAttribute('class')).toContain('locked');
    await level('02-jump-and-back').click({ force: true }); // aria-disabled, yet a player can click it
    expect(await page.textContent('#editor-notice')).toContain('2. Jump and back is locked: solve 1. First jump first');
    expect(await current()).toBe('01-first-jump');

    // Solving level 1 unlocks level 2, and the banner says so.
    await page.evaluate((s) => {
      location.hash = `#level=01-first-jump&s=${s}`;
    }, encodeSolution(reference('01-first-jump')));
    await expect.poll(() => page.evaluate(() => window.__jumpback!.game!.editor.text('load'))).toContain('--append=name=B');
    await maxSpeed(page);
    await page.click('#btn-play');
    await page.waitForSelector('#success', { state: 'visible', timeout: 60_000 });
    expect(await page.textContent('#success .success-note')).toBe('Unlocked: 2. Jump and back.');
    expect(await level('02-jump-and-back').getAttribute('class')).not.toContain('locked');
    expect(await level('03-ping-pong').getAttribute('class')).toContain('locked');
    await level('02-jump-and-back').click();
    expect(await current()).toBe('02-jump-and-back');

    // A link to a locked level opens it (shared links never break).
    await page.evaluate(() => {
      location.hash = '#level=07-clobbered';
    });
    await expect.poll(current).toBe('07-clobbered');
    expect(await level('07-clobbered').getAttribute('class')).toContain('locked');

    // "open all levels" opens every one, and is remembered.
    await page.check('#open-all');
    expect(await page.locator('#levels .level-button.locked').count()).toBe(0);
    await level('09-snapshot').click();
    expect(await current()).toBe('09-snapshot');
    await page.reload();
    await page.waitForFunction(() => window.__jumpback?.game !== undefined);
    expect(await page.isChecked('#open-all')).toBe(true);
    await page.uncheck('#open-all');
    expect(await level('09-snapshot').getAttribute('class')).toContain('locked');
    expect(site.errors).toEqual([]);
  });
});
