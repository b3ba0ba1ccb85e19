// A level built on a real kernel bug (its `bug` field) in Chromium: the briefing never names the
// fixing commit; once a run solves the level the success banner tells the bug, its commit and title.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/level/files.ts';
import { browserSkipReason, openSite, type OpenSite } from './browser.ts';

const skip = browserSkipReason();
if (skip) console.log(`bug-reveal-page: ${skip}`);

const FIXTURE = join(REPO_ROOT, 'test/fixtures/authoring');
const BUG = { row: 'F3', commit: '4d5f1da98f5e', title: 'Ensure preserve_context flag is set on return to kernel' };
const level = { ...JSON.parse(readFileSync(join(FIXTURE, 'my-level.json'), 'utf8')), bug: BUG };
const reference = readFileSync(join(FIXTURE, 'solutions/my-level.json'));

describe.skipIf(skip !== null)("a level's real bug, told only after it is solved, in Chromium", () => {
  let site: OpenSite;

  beforeAll(async () => {
    site = await openSite('jumpback-bug-', '?paused', () => window.__jumpback?.game !== undefined);
  });

  afterAll(async () => {
    await site?.close();
  });

  it('the briefing does not name the commit; the success banner does after the run passes', async () => {
    const { page } = site;
    await page.setInputFiles('#level-file', [
      { name: 'bug-level.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(level)) },
      { name: 'ref.json', mimeType: 'application/json', buffer: reference },
    ]);
    await page.waitForFunction(() => window.__jumpback?.game?.current.custom?.source === 'bug-level.json');
    const before = await page.textContent('body');
    expect(before).not.toContain(BUG.commit);
    expect(before).not.toContain(BUG.title);
    await page.evaluate(() => {
      const speed = document.querySelector<HTMLInputElement>('#speed')!;
      speed.value = speed.max;
      speed.dispatchEvent(new Event('input'));
    });
    await page.click('#btn-play');
    await page.waitForSelector('#success', { state: 'visible', timeout: 60_000 });
    expect(await page.textContent('#success .success-bug')).toBe(`The real bug: F3, ${BUG.commit} "${BUG.title}"`);
    expect(site.errors).toEqual([]);
  });
});
