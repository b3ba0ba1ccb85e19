// `jumpback serve` and `jumpback build-site`: the static site is complete, the server stays
// inside its root, and `serve` prints its URL and serves a fresh bundle until interrupted.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildSiteCommand, startStaticServer } from '../../src/cli/serve.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Status of a GET with the path sent verbatim (fetch would normalise dot segments away). */
function rawStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('build-site', () => {
  it('writes index.html, the CSS and the ES module bundle with its source map', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jumpback-site-'));
    expect(await buildSiteCommand(['--out', out])).toBe(0);
    for (const f of ['index.html', 'app.css', 'main.js', 'main.js.map']) expect(existsSync(join(out, f)), f).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    // Relative URLs, so the site works from any static server and any sub-path.
    expect(html).toContain('<script type="module" src="./main.js">');
    expect(html).toContain('href="./app.css"');
    const server = await startStaticServer({ root: out, port: 0 });
    try {
      const page = await fetch(server.url);
      expect(page.headers.get('content-type')).toContain('text/html');
      const js = await fetch(server.url + 'main.js');
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toContain('text/javascript');
      expect(await rawStatus(server.port, '/..%2f..%2f..%2fetc/passwd')).toBe(403);
      expect((await fetch(server.url + 'nope.js')).status).toBe(404);
    } finally {
      await server.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the static server under hostile requests', () => {
  it('answers 400 to a malformed escape and keeps serving; never serves a file outside its root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'jumpback-serve-root-'));
    writeFileSync(join(root, 'index.html'), '<p>home</p>');
    symlinkSync('/etc/passwd', join(root, 'passwd'));
    mkdirSync(join(root, 'sub'));
    const server = await startStaticServer({ root, port: 0 });
    try {
      // `GET /%` used to throw URIError out of the handler and end the process.
      expect(await rawStatus(server.port, '/%')).toBe(400);
      expect(await rawStatus(server.port, '/%E0%A4%A')).toBe(400);
      expect(await rawStatus(server.port, '/a%00b')).toBe(400);
      expect(await rawStatus(server.port, '/')).toBe(200);
      for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/sub/..%2f..%2fetc%2fpasswd', '/..%5c..%5cetc%5cpasswd']) {
        expect([403, 404], path).toContain(await rawStatus(server.port, path));
      }
      expect(await rawStatus(server.port, '/passwd')).toBe(403); // a symbolic link that leads out
      expect(await rawStatus(server.port, '/sub')).toBe(404); // a directory
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('serve', () => {
  it('prints its 127.0.0.1 URL, serves the page and the bundle, and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/jumpback.mjs'), 'serve', '--port', '0'], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const m = /Jumpback demo at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect((await (await fetch(url)).text())).toContain('id="map"');
    const js = await fetch(url + 'main.js');
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
  });

  it('rejects a bad port, saying which', async () => {
    const { serveCommand } = await import('../../src/cli/serve.ts');
    // Capture the message instead of letting it reach the test run's stderr.
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await serveCommand(['--port', 'http'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0]))).toEqual(["serve: --port needs a port number, got 'http'\n"]);
    } finally {
      err.mockRestore();
    }
  });
});
