// The game's "Export replay" button in Chromium: it downloads the current run as a GIF whose frames
// are the headless recording's (first and last pictures differ), byte for byte the file that
// `jumpback level --record` writes for the same level, solution and seed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { encodeGif } from '../../src/render/replay/gif.ts';
import { recordRun } from '../../src/render/replay/recorder.ts';
import { browserSkipReason, openSite, type OpenSite } from './browser.ts';
import { decodeGif } from './gif-frames.ts';
import { referenceInput } from './replay-input.ts';

const skip = browserSkipReason();
if (skip) console.log(`replay-page: ${skip}`);
const ROOT = new URL('../..', import.meta.url).pathname;
const LEVEL = '02-jump-and-back';

describe.skipIf(skip !== null)('Export replay in Chromium', () => {
  let site: OpenSite;
  let page: Page;

  beforeAll(async () => {
    site = await openSite('jumpback-replay-', '?paused', () => window.__jumpback?.game !== undefined);
    page = site.page;
  }, 60_000);

  afterAll(async () => {
    await site?.close();
  });

  it('downloads the run as a GIF: the headless frames, first and last different, the same bytes as the CLI', async () => {
    const solution: unknown = JSON.parse(readFileSync(`${ROOT}levels/solutions/${LEVEL}.json`, 'utf8'));
    await page.evaluate(([name, sol]) => window.__jumpback!.game!.open(name as string, sol), [LEVEL, solution] as const);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('#btn-replay')]);
    expect(download.suggestedFilename()).toBe('jump-and-back-seed0.gif');
    const bytes = readFileSync((await download.path())!);
    const gif = decodeGif(bytes);

    const { recording } = recordRun(referenceInput(LEVEL));
    expect(gif.pictures.length).toBe(recording.frames.length);
    expect(gif.pictures.length).toBeGreaterThan(10);
    expect(Buffer.from(gif.pictures[0]).equals(Buffer.from(gif.pictures.at(-1)!))).toBe(false);
    expect(bytes.equals(Buffer.from(encodeGif(recording).bytes))).toBe(true);

    await page.waitForFunction(() => document.querySelector('#editor-notice')?.textContent?.startsWith('Replay saved'));
    expect(await page.textContent('#editor-notice')).toBe(`Replay saved as jump-and-back-seed0.gif: ${gif.pictures.length} frames, ${Math.ceil(bytes.length / 1024)} KB.`);
    expect(await page.isEnabled('#btn-replay')).toBe(true);
    expect(site.errors).toEqual([]);
  }, 120_000);
});
