// Shared set-up for browser tests and the render benchmark: Debian's Chromium driven by
// playwright-core (never a downloaded browser), headless with WebGL through SwiftShader.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Why browser tests must skip here, or null when they can run (never skips when CI=true). */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.env.CI === 'true') return null; // let the launch fail loudly
  return `${CHROMIUM} is missing (apt-get install -y chromium): skipping browser tests`;
}

/** Chromium with a fresh profile (removed on close) at the given viewport. Close the context to end it. */
export async function launchChromium(width = 1280, height = 800): Promise<BrowserContext> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'jumpback-chromium-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    deviceScaleFactor: 1,
  });
  const close = ctx.close.bind(ctx);
  // Chromium may still be writing its profile as 'close' fires: remove it once close resolves.
  ctx.close = async (options) => {
    await close(options);
    try {
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // A leftover profile in the temp dir is harmless.
    }
  };
  return ctx;
}

export type { Browser, BrowserContext };
