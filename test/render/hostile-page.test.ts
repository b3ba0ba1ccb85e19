// A hostile shared solution in Chromium (issue 13): a share link whose code only takes traps ends
// the run with its reason, shown next to the editor, while the page keeps drawing frames; a hart
// that traps between instructions never holds a frame for long either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { encodeSolution, type SolutionJson } from '../../src/render/game/share.ts';
import { browserSkipReason, openSite, type OpenSite } from './browser.ts';

const skip = browserSkipReason();
if (skip) console.log(`hostile-page: ${skip}`);

const level12 = (code: string): SolutionJson => ({ schema: 1, level: 'write-the-firmware', values: { code } });
const TRAP_LOOP = level12('    csrw stvec, zero\n    ebreak\n');
/** One nop, one ebreak, again: as many traps as instructions, up to the trap limit. */
const TRAP_STORM = level12('    la t0, 2f\n    csrw stvec, t0\n    .balign 4\n2:  nop\n    ebreak\n');

/** Records the longest gap between animation frames from now on (a frozen tab has none). */
const watchFrames = (page: Page) => page.evaluate(() => {
  const w = window as unknown as { __gap: number };
  w.__gap = 0;
  let last = performance.now();
  const tick = (now: number): void => {
    w.__gap = Math.max(w.__gap, now - last);
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
const longestGap = (page: Page) => page.evaluate(() => (window as unknown as { __gap: number }).__gap);

async function playShared(page: Page, solution: SolutionJson): Promise<{ end: string; detail: string }> {
  await page.evaluate((s) => {
    location.hash = `#level=12-write-the-firmware&s=${s}`;
  }, encodeSolution(solution));
  await expect.poll(() => page.evaluate(() => window.__jumpback!.game!.editor.draft().values.code)).toBe(solution.values.code);
  await page.evaluate(() => {
    const speed = document.querySelector<HTMLInputElement>('#speed')!;
    speed.value = speed.max; // a million instructions a frame: the most a hostile link could ask for
    speed.dispatchEvent(new Event('input'));
  });
  await watchFrames(page);
  if (!(await page.evaluate(() => window.__jumpback!.game!.running))) await page.click('#btn-play');
  await page.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 60_000 });
  return page.evaluate(() => {
    const end = [...window.__jumpback!.game!.session.sim.log].reverse().find((e) => e.type === 'end');
    return end?.type === 'end' ? { end: end.reason, detail: end.detail ?? '' } : { end: 'none', detail: '' };
  });
}

describe.skipIf(skip !== null)('hostile shared solutions in Chromium', () => {
  let site: OpenSite;
  let page: Page;

  beforeAll(async () => {
    site = await openSite('jumpback-hostile-', '?paused', () => window.__jumpback?.game !== undefined);
    page = site.page;
  });

  afterAll(async () => {
    await site?.close();
  });

  it('a trap-loop link for level 12 ends with the reason in the editor and the timeline; the page stays responsive', async () => {
    const r = await playShared(page, TRAP_LOOP);
    expect(r.end).toBe('trap-loop');
    expect(r.detail).toBe('the hart took 65536 traps in a row without retiring an instruction (trap loop at pc 0x0, last scause 0x1)');
    await expect.poll(() => page.textContent('#editor-notice')).toContain('The run ended (trap-loop): the hart took 65536 traps in a row without retiring an instruction');
    expect(await page.getAttribute('#editor-notice', 'class')).toContain('error');
    expect(await page.textContent('#timeline')).toContain('end: trap-loop');
    // Still drawing: frames keep coming and the page answers.
    const before = await page.evaluate(() => window.__jumpback!.game!.frames);
    await page.evaluate(() => window.__jumpback!.frames(5));
    expect(await page.evaluate(() => window.__jumpback!.game!.frames)).toBeGreaterThanOrEqual(before + 5);
    console.log(`longest frame gap: ${(await longestGap(page)).toFixed(0)} ms`);
    expect(await longestGap(page)).toBeLessThan(3000);
    expect(site.errors).toEqual([]);
  });

  it('a trap storm (one instruction per trap) ends at the trap limit without holding any frame for long', async () => {
    const r = await playShared(page, TRAP_STORM);
    expect(r.end).toBe('trap-limit');
    await expect.poll(() => page.textContent('#editor-notice')).toContain('The run ended (trap-limit): the hart took');
    console.log(`longest frame gap: ${(await longestGap(page)).toFixed(0)} ms`);
    expect(await longestGap(page)).toBeLessThan(3000);
    expect(site.errors).toEqual([]);
  });
});
