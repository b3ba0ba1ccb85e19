// A new player's first levels, end to end in Chromium on a fresh profile and the plain URL: the
// tutorial's tour clicked through with Next, then levels 1, 2 and 3 solved by typing the reference
// solution's command into the editor as a player would (nothing read but the briefing), Run, the
// speed slider pushed up, and "Next level →" on each success banner. Prints the wall time of each
// level and of the whole (not asserted tightly: the machine is shared).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { joinWords } from '../../src/render/game/editor.ts';
import type { SolutionJson } from '../../src/render/game/share.ts';
import { browserSkipReason, openSite, pasteText, type OpenSite } from './browser.ts';

const skip = browserSkipReason();
if (skip) console.log(`new-player: ${skip}`);
const ROOT = new URL('../..', import.meta.url).pathname;
const LEVELS = ['01-first-jump', '02-jump-and-back', '03-ping-pong'];
const reference = (name: string): SolutionJson => JSON.parse(readFileSync(join(ROOT, `levels/solutions/${name}.json`), 'utf8')) as SolutionJson;

/** Types (or pastes, for code) each value of a solution into its field, as a player would. */
async function enterSolution(page: Page, solution: SolutionJson): Promise<void> {
  for (const [id, value] of Object.entries(solution.values)) {
    const kind = await page.evaluate((f) => window.__jumpback!.game!.current.level.editable.find((e) => e.id === f)!.kind, id);
    if (kind === 'args' || kind === 'number') {
      const input = page.locator(`#field-${id}`);
      await input.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(Array.isArray(value) ? joinWords(value as string[]) : String(value));
    } else if (kind === 'asm' || kind === 'script') {
      await page.locator(`#field-${id} .cm-content`).click();
      await page.keyboard.press('Control+A');
      await pasteText(page, Array.isArray(value) ? (value as string[]).join('\n') : String(value));
    } else throw new Error(`field kind ${kind} is not typed by this test`);
  }
}

describe.skipIf(skip !== null)('a new player in Chromium', () => {
  let site: OpenSite;
  let page: Page;

  beforeAll(async () => {
    site = await openSite('jumpback-new-player-', '', () => window.__jumpback?.game !== undefined);
    page = site.page;
  });

  afterAll(async () => {
    await site?.close();
  });

  it('plays the tutorial and levels 1-3 through the page alone', async () => {
    const times: string[] = [];
    const start = Date.now();
    let lap = start;
    const split = (what: string) => {
      const now = Date.now();
      times.push(`${what} ${((now - lap) / 1000).toFixed(1)} s`);
      lap = now;
    };
    const banner = page.locator('#success');

    // The tutorial: read each callout, press Next until the level is solved.
    expect(await page.textContent('#level-title')).toMatch(/^Tutorial: /);
    let nexts = 0;
    while (!(await banner.isVisible())) {
      const next = page.locator('.tutorial-next');
      await Promise.race([
        next.waitFor({ state: 'visible', timeout: 90_000 }),
        banner.waitFor({ state: 'visible', timeout: 90_000 }),
      ]);
      if (await next.isVisible()) {
        await next.click();
        nexts++;
      }
    }
    expect(nexts).toBe(await page.evaluate(() => window.__jumpback!.game!.current.level.tutorial!.length));
    split('tutorial');

    for (const name of LEVELS) {
      await page.click('#success .success-next');
      expect(await page.evaluate(() => window.__jumpback!.game!.current.name)).toBe(name);
      await enterSolution(page, reference(name));
      await page.keyboard.press('Control+Enter');
      expect(await page.textContent('#editor-notice')).toContain('Running your solution');
      // Impatient after the tutorial: the speed slider all the way up.
      await page.evaluate(() => {
        const speed = document.querySelector<HTMLInputElement>('#speed')!;
        speed.value = speed.max;
        speed.dispatchEvent(new Event('input'));
      });
      await banner.waitFor({ state: 'visible', timeout: 120_000 });
      expect(await page.evaluate(() => window.__jumpback!.game!.session.world.goals.passed)).toBe(true);
      split(`level ${name.slice(0, 2)}`);
    }
    expect(await page.textContent('#campaign')).toMatch(/^4 \/ \d+ solved$/);
    expect(await page.getAttribute('#levels [data-level="04-out-of-memory"]', 'class')).not.toContain('locked');
    expect(await page.getAttribute('#levels [data-level="05-forgetful-device"]', 'class')).toContain('locked');
    console.log(`new player: ${times.join(', ')}; total ${((Date.now() - start) / 1000).toFixed(1)} s wall`);
    expect(site.errors).toEqual([]);
  }, 300_000);
});
