// The game page's assembly editor in Chromium, on a level where the player writes code (12 write-
// the-firmware): a block typed with a mistake shows the assembler's error inline at the block's own
// LINE:COL (clicking it puts the caret on the offending word), Run refuses it; the fixed block runs
// to the end with every goal met and the size metric = the bytes the player wrote.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLevelFile, playLevelFile } from '../../src/sim/level/campaign.ts';
import { browserSkipReason, openSite, type OpenSite } from './browser.ts';
import type { Page } from 'playwright-core';

const skip = browserSkipReason();
if (skip) console.log(`asm-editor: ${skip}`);
const ROOT = new URL('../..', import.meta.url).pathname;
const LEVEL = '12-write-the-firmware';
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** The reference block, and the same block with a typo on its third line ("mull" at column 5). */
const REF_PATH = join(ROOT, `levels/solutions/${LEVEL}.json`);
const GOOD = (JSON.parse(readFileSync(REF_PATH, 'utf8')) as { values: { code: string } }).values.code;
const BAD = GOOD.replace('    mul     a0, a0, a0', '    mull    a0, a0, a0');

describe.skipIf(skip !== null)('assembly editor in Chromium', () => {
  let site: OpenSite;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    site = await openSite('jumpback-asm-', '?paused', () => window.__jumpback?.game !== undefined);
    page = site.page;
  });

  afterAll(async () => {
    await site?.close();
  });

  it('shows a typed block\'s error at its own LINE:COL, then runs the fixed block to every goal', async () => {
    expect(BAD.split('\n')[2]).toBe('    mull    a0, a0, a0'); // the typo is on the block's line 3, column 5
    await page.evaluate((n) => window.__jumpback!.game!.open(n), LEVEL);
    expect(await page.textContent('#level-title')).toContain('Write the firmware');
    const area = page.locator('#field-code');
    expect(await area.evaluate((t) => t.tagName)).toBe('TEXTAREA');

    // Type the block as a player would: select the default text, type over it.
    await area.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(BAD);
    expect(await area.inputValue()).toBe(BAD);
    const errorsBox = page.locator('[data-field="code"] .field-errors');
    await expect.poll(() => errorsBox.textContent(), { timeout: 10_000 }).toBe("3:5: unknown instruction 'mull'");
    expect(await area.getAttribute('class')).toContain('invalid');
    await page.screenshot({ path: join(ARTIFACTS, 'game-asm-error.png') });

    // Clicking the message puts the caret at line 3, column 5: on the word the assembler refused.
    await page.locator('[data-field="code"] .field-error.jump').click();
    const caret = await area.evaluate((t) => {
      const a = t as HTMLTextAreaElement;
      return { at: a.selectionStart, focused: document.activeElement === a };
    });
    expect(caret.focused).toBe(true);
    expect(BAD.slice(caret.at, caret.at + 4)).toBe('mull');
    expect(BAD.slice(0, caret.at).split('\n').length).toBe(3);

    // Run refuses it.
    await page.click('#btn-run');
    expect(await page.textContent('#editor-notice')).toContain('Fix 1 problem');

    // Back to the error (Run took the focus), fix the word there (delete "mull", type "mul "),
    // then Ctrl+Enter runs it.
    await page.locator('[data-field="code"] .field-error.jump').click();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Delete');
    await page.keyboard.type('mul ');
    expect(await area.inputValue()).toBe(GOOD);
    await expect.poll(() => page.locator('[data-field="code"] .field-error').count()).toBe(0);
    await page.keyboard.press('Control+Enter');
    await page.evaluate(() => {
      const speed = document.querySelector<HTMLInputElement>('#speed')!;
      speed.value = speed.max;
      speed.dispatchEvent(new Event('input'));
    });
    await page.click('#btn-play'); // the page was opened ?paused
    await page.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 60_000 });
    const got = await page.evaluate(() => {
      const g = window.__jumpback!.game!;
      return { hash: g.session.sim.hash(), passed: g.session.world.goals.passed, score: g.session.world.score() };
    });
    const headless = playLevelFile(loadLevelFile(join(ROOT, `levels/${LEVEL}.json`)), REF_PATH);
    expect(got.passed).toBe(true);
    expect(got.hash).toBe(headless.hash);
    expect(got.score).toEqual(headless.score);
    expect(got.score.size).toBe(40);
    const goals = await page.locator('#goals .goal').count();
    expect(goals).toBe(4);
    await expect.poll(() => page.locator('#goals .goal.met').count()).toBe(goals);
    expect(await page.textContent('#console-A')).toContain('A: call returned 0x00000046');
    await page.screenshot({ path: join(ARTIFACTS, 'game-asm-solved.png') });
    expect(site.errors).toEqual([]);
  });
});
