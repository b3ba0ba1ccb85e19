// Shared set-up for browser tests and the render benchmark: Debian's Chromium driven by
// playwright-core (never a downloaded browser), headless with WebGL through SwiftShader.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { buildSite, startStaticServer, type StaticServer } from '../../src/cli/serve.ts';

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

/** The built site served on 127.0.0.1 with one page open on it in Chromium (1280x800). */
export interface OpenSite {
  readonly server: StaticServer;
  readonly ctx: BrowserContext;
  readonly page: Page;
  /** Every uncaught page error of `page`, in order. */
  readonly errors: string[];
  /** Closes Chromium and the server and removes the built site. */
  close(): Promise<void>;
}

/**
 * Builds the site into a fresh temp dir (named from `tmpPrefix`), serves it, opens `page` at
 * `query` and waits (30 s at most) until `ready` holds in the page. What was started is torn down
 * again if a step fails.
 */
export async function openSite(tmpPrefix: string, query: string, ready: () => boolean): Promise<OpenSite> {
  const out = mkdtempSync(join(tmpdir(), tmpPrefix));
  let server: StaticServer | undefined;
  let ctx: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await ctx?.close();
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  };
  try {
    await buildSite(out);
    server = await startStaticServer({ root: out, port: 0 });
    ctx = await launchChromium(1280, 800);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url + query);
    await page.waitForFunction(ready, null, { timeout: 30_000 });
    return { server, ctx, page, errors, close };
  } catch (err) {
    await close().catch(() => undefined); // the start-up error is the one worth reporting
    throw err;
  }
}

/**
 * Pastes `text` into the focused element as the browser delivers a paste (a paste event carrying
 * the text): how a player puts a whole block into a code field, without the editor's auto-indent
 * re-indenting typed lines.
 */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Replaces a code field's text as a player would: click in it, select all, paste. */
export async function replaceCode(page: Page, content: Locator, text: string): Promise<void> {
  await content.click();
  await page.keyboard.press('Control+A');
  await pasteText(page, text);
}

export type { Browser, BrowserContext };
