// The game page's assembly editor (CodeMirror) in Chromium, on a level where the player writes code
// (12 write-the-firmware): line numbers and highlighted tokens; a block pasted with a mistake shows
// the assembler's error under the field and as an inline mark at the block's own LINE:COL (clicking
// the message puts the caret on the offending word), Run refuses it; undo brings back what was
// typed; the fixed block runs to the end with every goal met and the size metric = the bytes the
// player wrote; the draft survives a reload.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLevelFile, playLevelFile } from '../../src/level/campaign.ts';
import { browserSkipReason, openSite, pasteText, type OpenSite } from './browser.ts';
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
    const content = area.locator('.cm-content');
    const text = () => page.evaluate(() => window.__jumpback!.game!.editor.text('code'));
    // A code editor: line numbers in a gutter, the default block's mnemonics highlighted.
    expect(await area.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^1$/ }).count()).toBe(1);
    expect(await area.locator('.tok-keyword').count()).toBeGreaterThan(0);

    // Paste the block as a player would: select the default text, paste over it.
    await content.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await pasteText(page, BAD);
    expect(await text()).toBe(BAD);
    const errorsBox = page.locator('[data-field="code"] .field-errors');
    await expect.poll(() => errorsBox.textContent(), { timeout: 10_000 }).toBe("3:5: unknown instruction 'mull'");
    expect(await area.getAttribute('class')).toContain('invalid');
    // The same error inline: the word at line 3, column 5 is marked, and only it.
    const marks = area.locator('.cm-lintRange-error');
    await expect.poll(() => marks.count()).toBe(1);
    expect(await marks.textContent()).toBe('mull');
    expect(await marks.evaluate((m) => {
      const line = m.closest('.cm-line')!;
      return Array.from(line.parentElement!.children).indexOf(line) + 1;
    })).toBe(3);
    // Its tokens are highlighted: line 2's mnemonic as a keyword, a0 as a register.
    const line2 = area.locator('.cm-line').nth(1);
    expect(await line2.locator('.tok-keyword').first().textContent()).toBe(GOOD.split('\n')[1].trim().split(/\s+/)[0]);
    expect(await area.locator('.tok-variableName2', { hasText: /^a0$/ }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'game-asm-error.png') });

    // Clicking the message puts the caret at line 3, column 5: on the word the assembler refused.
    await page.locator('[data-field="code"] .field-error.jump').click();
    const caret = (await page.evaluate(() => window.__jumpback!.game!.editor.caret('code')))!;
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
    expect(await text()).toBe(GOOD);
    await expect.poll(() => page.locator('[data-field="code"] .field-error').count()).toBe(0);
    await expect.poll(() => marks.count()).toBe(0);
    // Undo takes the fix back step by step to the pasted block (the broken word returns), redo
    // restores the fix.
    let undos = 0;
    while ((await text()) !== BAD && undos < 10) {
      await page.keyboard.press('Control+z');
      undos++;
    }
    expect(await text()).toBe(BAD);
    expect(undos).toBeGreaterThan(0);
    for (let i = 0; i < undos; i++) await page.keyboard.press('Control+y');
    expect(await text()).toBe(GOOD);
    await expect.poll(() => page.locator('[data-field="code"] .field-error').count()).toBe(0);
    await page.keyboard.press('Control+Enter');
    // Run plays the new attempt even on a page opened ?paused.
    expect(await page.evaluate(() => window.__jumpback!.game!.session.sim.state)).toBe('running');
    await page.evaluate(() => {
      const speed = document.querySelector<HTMLInputElement>('#speed')!;
      speed.value = speed.max;
      speed.dispatchEvent(new Event('input'));
    });
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

    // The draft was saved as typed: a reload shows the same text.
    await page.reload();
    await page.waitForFunction(() => window.__jumpback?.game !== undefined);
    await page.evaluate((n) => window.__jumpback!.game!.open(n), LEVEL);
    expect(await text()).toBe(GOOD);
    expect(site.errors).toEqual([]);
  });
});
