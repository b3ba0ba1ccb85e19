// Levels from outside the campaign in Chromium: a level file and its reference solution picked in
// "Open level…" play on the same engine as the CLI (goals met, the CLI's event-log hash for the
// same files), as does the same level carried whole in a link and one dropped on the page; an
// unscored level says so in the score panel; a level naming a file the page lacks is refused
// with a message saying so, and the level being played stays.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLevel } from '../../src/render/game/custom-level.ts';
import { encodeSolution, type SolutionJson } from '../../src/render/game/share.ts';
import { REPO_ROOT } from '../../src/level/files.ts';
import { browserSkipReason, openSite, type OpenSite } from './browser.ts';

const skip = browserSkipReason();
if (skip) console.log(`custom-level-page: ${skip}`);

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const FIXTURE = join(REPO_ROOT, 'test/fixtures/authoring');
const LEVEL = join(FIXTURE, 'my-level.json');
const REFERENCE = join(FIXTURE, 'solutions/my-level.json');
const levelText = readFileSync(LEVEL, 'utf8');
const refText = readFileSync(REFERENCE, 'utf8');

/** What `jumpback level LEVEL --solution REF --json` says for the fixture files. */
function cliRun(): { passed: boolean; hash: string; score: { cycles: number; pages: number; size: number } } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/jumpback.mjs'), 'level', LEVEL, '--solution', REFERENCE, '--json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Plays the current level at top speed to its end; returns what the page's engine says. */
async function playToEnd(page: Page): Promise<{ hash: string; passed: boolean; score: unknown }> {
  await page.evaluate(() => {
    const speed = document.querySelector<HTMLInputElement>('#speed')!;
    speed.value = speed.max;
    speed.dispatchEvent(new Event('input'));
  });
  await page.click('#btn-play');
  await page.waitForFunction(() => window.__jumpback!.game!.session.world.ended, null, { timeout: 60_000 });
  await page.evaluate(() => window.__jumpback!.frames(2));
  return page.evaluate(() => {
    const g = window.__jumpback!.game!;
    return { hash: g.session.sim.hash(), passed: g.session.world.goals.passed, score: g.session.world.score() };
  });
}

const currentSource = (page: Page) => page.evaluate(() => window.__jumpback!.game!.current.custom?.source ?? null);

describe.skipIf(skip !== null)('levels opened from outside the campaign, in Chromium', () => {
  let site: OpenSite;
  let page: Page;
  let cli: ReturnType<typeof cliRun>;

  beforeAll(async () => {
    cli = cliRun();
    site = await openSite('jumpback-custom-', '?paused', () => window.__jumpback?.game !== undefined);
    page = site.page;
  });

  afterAll(async () => {
    await site?.close();
  });

  it('"Open level…" with the level file and its reference: goals met, the same hash and score as the CLI', async () => {
    expect(cli.passed).toBe(true);
    await page.setInputFiles('#level-file', [LEVEL, REFERENCE]);
    await expect.poll(() => currentSource(page)).toBe('my-level.json');
    expect(await page.textContent('#level-title')).toBe('My level (opened from my-level.json)');
    expect(await page.textContent('#editor-notice')).toContain('Opened my-level.json.');
    const ref = JSON.parse(refText) as SolutionJson;
    expect(await page.evaluate(() => window.__jumpback!.game!.editor.draft())).toEqual({ schema: 1, level: 'my-level', values: ref.values });
    const got = await playToEnd(page);
    expect(got.hash).toBe(cli.hash);
    expect(got.passed).toBe(true);
    expect(got.score).toEqual(cli.score);
    const goals = await page.locator('#goals .goal').count();
    expect(goals).toBe(4);
    expect(await page.locator('#goals .goal.met').count()).toBe(goals);
    expect(await page.textContent('#score')).toContain('Level solved');
    expect(await page.textContent('#score')).toContain('par 2,354,444 ✓');
    // Share carries the whole level: the link opens it again.
    expect(await page.evaluate(() => location.hash)).toMatch(/^#levelData=[A-Za-z0-9_-]+$/);
  });

  it('a link carrying the level and the solution plays to the same hash', async () => {
    const hash = `#levelData=${await encodeLevel(levelText)}&s=${encodeSolution(JSON.parse(refText) as SolutionJson)}`;
    await page.goto('about:blank'); // a fresh page load: the link is read at start-up, not by hashchange
    await page.goto(site.server.url + '?paused' + hash);
    await page.waitForFunction(() => window.__jumpback?.game?.current.custom?.source === 'a link');
    expect(await page.evaluate(() => window.__jumpback!.game!.editor.draft().values)).toEqual((JSON.parse(refText) as SolutionJson).values);
    const got = await playToEnd(page);
    expect(got.hash).toBe(cli.hash);
    expect(got.passed).toBe(true);
  });

  it('a campaign link with a solution, opened fresh, loads that solution (read before the first level shows)', async () => {
    const ref = JSON.parse(readFileSync(join(REPO_ROOT, 'levels/solutions/02-jump-and-back.json'), 'utf8')) as SolutionJson;
    await page.goto('about:blank');
    await page.goto(`${site.server.url}?paused#level=02-jump-and-back&s=${encodeSolution(ref)}`);
    await page.waitForFunction(() => window.__jumpback?.game?.current.name === '02-jump-and-back');
    expect(await page.evaluate(() => window.__jumpback!.game!.editor.draft().values)).toEqual(ref.values);
    expect(await page.locator('#levels .level-button.current').getAttribute('data-level')).toBe('02-jump-and-back');
  });

  it('an unscored level dropped on the page plays and says it has no par yet', async () => {
    const unscored = JSON.parse(levelText) as Record<string, unknown>;
    delete unscored.par;
    delete unscored.histogram;
    await page.evaluate(([level, ref]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([level], 'unscored.json', { type: 'application/json' }));
      dt.items.add(new File([ref], 'ref.json', { type: 'application/json' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [JSON.stringify(unscored, null, 2), refText] as const);
    await expect.poll(() => currentSource(page)).toBe('unscored.json');
    expect(await page.textContent('#editor-notice')).toContain('It is unscored (no par yet).');
    expect(await page.locator('#levels .level-button.current').count()).toBe(0);
    const got = await playToEnd(page);
    expect(got.hash).toBe(cli.hash);
    const score = await page.textContent('#score');
    expect(score).toContain('Level solved');
    expect(score).toContain('Unscored: this level has no par yet (jumpback par LEVEL.json --write).');
    expect(score).not.toContain('par 2,354,444');
    expect(await page.locator('#score .metric').count()).toBe(3);
    expect(await page.locator('#score .histogram').count()).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'game-custom-unscored.png') });
  });

  it('refuses a level naming a file the page does not have, says so, keeps the current level', async () => {
    const foreign = JSON.parse(levelText) as { oses: Array<{ image: unknown }> };
    foreign.oses[1].image = { asm: 'my-os/b.S' };
    await page.setInputFiles('#level-file', { name: 'foreign.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(foreign)) });
    await expect.poll(() => page.textContent('#editor-notice')).toContain('foreign.json was not opened: oses[1].image: cannot read my-os/b.S: no such file: the page has only');
    expect(await currentSource(page)).toBe('unscored.json');
    await page.setInputFiles('#level-file', { name: 'junk.json', mimeType: 'application/json', buffer: Buffer.from('{ nope') });
    await expect.poll(() => page.textContent('#editor-notice')).toMatch(/Nothing was opened \(junk\.json: not valid JSON/);
    expect(await currentSource(page)).toBe('unscored.json');
    expect(site.errors).toEqual([]);
  });
});
