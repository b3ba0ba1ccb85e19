// Game benchmark: the browser as fast as node. A long level (07-clobbered with its reference
// solution) played at the fastest preset ('instant') in the game page in headless Chromium
// (1280x800, map and panels live), its MIPS (instructions retired over wall time from Reset to the
// frame showing the end) over the MIPS of the same level played headless (playPrepared) in this
// process: `game.mips.ratio`. Both sides play it RUNS times after one warm-up run. Also printed:
// the browser's frame rate and longest frame while it ran (the page must stay responsive).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { campaignFiles, loadLevelFile } from '../src/level/campaign.ts';
import { nodeLevelAssets, nodeLevelFiles } from '../src/level/files.ts';
import { parseSolution, playPrepared, prepareRun } from '../src/level/play.ts';
import { encodeSolution, type SolutionJson } from '../src/render/game/share.ts';
import type { Page } from 'playwright-core';
import { browserSkipReason, openSite } from '../test/render/browser.ts';
import type { BenchFigures } from './index.ts';

const LEVEL = '07-clobbered';
const RUNS = Number(process.env.JUMPBACK_GAME_RUNS ?? 5);
const solutionPath = fileURLToPath(new URL(`../levels/solutions/${LEVEL}.json`, import.meta.url));

/** One run of the level as the page timed it. */
interface PageRun {
  instret: number;
  ms: number;
  frames: number;
  longestFrameMs: number;
}

/**
 * Headless MIPS: the level played on virtual time after two warm-up plays, RUNS times and for at
 * least as long as the browser played it (one play is short: a longer sample evens out the noise).
 */
function headlessMips(solution: SolutionJson, atLeastMs: number): number {
  const lf = loadLevelFile(campaignFiles().find((f) => f.endsWith(`${LEVEL}.json`))!);
  const input = prepareRun(lf.level, parseSolution(solution, lf.level, solutionPath), nodeLevelFiles(), nodeLevelAssets(), 0, solutionPath);
  playPrepared(input);
  playPrepared(input);
  let instret = 0;
  let runs = 0;
  const t0 = performance.now();
  while (runs < RUNS || performance.now() - t0 < atLeastMs) {
    instret += playPrepared(input).result.instructions;
    runs++;
  }
  return instret / ((performance.now() - t0) * 1000);
}

/** In the page: Reset, then time frames until the one that shows the end of the run. */
function timedRun(): Promise<PageRun> {
  const game = window.__jumpback!.game!;
  return new Promise((resolve) => {
    game.reset();
    game.running = true;
    const t0 = performance.now();
    let last = t0;
    let frames = 0;
    let longest = 0;
    const tick = (now: number): void => {
      frames++;
      longest = Math.max(longest, now - last);
      last = now;
      if (game.session.world.ended) {
        resolve({ instret: game.session.world.machine.cpu.instret, ms: performance.now() - t0, frames, longestFrameMs: longest });
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

export async function run(): Promise<BenchFigures> {
  const skip = browserSkipReason();
  if (skip) {
    process.stderr.write(`# game: ${skip}\n`);
    return [];
  }
  const solution = JSON.parse(readFileSync(solutionPath, 'utf8')) as SolutionJson;
  const site = await openSite('jumpback-bench-game-', `?paused#level=${LEVEL}&s=${encodeSolution(solution)}`,
    () => window.__jumpback?.game !== undefined);
  let runs: PageRun[];
  try {
    runs = await timedRuns(site.page);
    if (site.errors.length > 0) throw new Error(`the game page failed: ${site.errors.join('; ')}`);
  } finally {
    await site.close(); // before the headless side: a live page would take CPU from it
  }
  const instret = runs.reduce((s, r) => s + r.instret, 0);
  const ms = runs.reduce((s, r) => s + r.ms, 0);
  const frames = runs.reduce((s, r) => s + r.frames, 0);
  const longest = Math.max(...runs.map((r) => r.longestFrameMs));
  const browser = instret / (ms * 1000);
  const headless = headlessMips(solution, ms);
  process.stderr.write(`# game ${LEVEL} at instant, ${RUNS} runs: browser ${browser.toFixed(1)} MIPS ` +
    `(${(ms / RUNS).toFixed(0)} ms a run, ${((frames * 1000) / ms).toFixed(1)} fps, longest frame ${longest.toFixed(0)} ms), ` +
    `headless ${headless.toFixed(1)} MIPS\n`);
  return [['game.mips', browser], ['game.mips.ratio', browser / headless], ['game.frame.max.ms', longest]];
}

/** The page at 'instant': one warm-up run (JIT, shader, textures), then RUNS timed runs. */
async function timedRuns(page: Page): Promise<PageRun[]> {
  // tsx compiles with keepNames: functions handed to the page call esbuild's __name helper.
  await page.evaluate('globalThis.__name = (f) => f');
  await page.click('#speed-presets [data-speed="instant"]');
  await page.evaluate(timedRun);
  // JUMPBACK_GAME_PROFILE=file.cpuprofile: Chromium's CPU profile of the timed runs (DevTools opens it).
  const profile = process.env.JUMPBACK_GAME_PROFILE;
  const cdp = profile ? await page.context().newCDPSession(page) : null;
  await cdp?.send('Profiler.enable');
  await cdp?.send('Profiler.start');
  const runs: PageRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await page.evaluate(timedRun));
  if (cdp && profile) writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  return runs;
}
