// `jumpback serve` and `jumpback build-site`: bundle the browser demo (src/render/main.ts) with
// esbuild and serve it on 127.0.0.1 (rebuilt on every change), or write it as a static site.
import { build, context, type BuildOptions, type Plugin } from 'esbuild';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'src/render/main.ts');
/** The page shell (index.html, CSS): copied as-is next to the bundle. */
export const WEB_ASSETS = join(ROOT, 'assets/web');
export const DEFAULT_PORT = 5173;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.S': 'text/plain; charset=utf-8',
};

/** Folders whose text files the game bundles (levels, toy OS sources, kexec's .S files). */
export const GAME_FILE_DIRS = ['levels', 'assets/os', 'src/kexec'];
const GAME_FILE_EXT = /\.(json|S|inc|h)$/;

/** Every bundled game file: repo-relative path (with '/') -> text. */
export function gameFiles(root = ROOT): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (GAME_FILE_EXT.test(name)) out[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  for (const d of GAME_FILE_DIRS) walk(join(root, d));
  return out;
}

/**
 * `import files from 'jumpback:game-files'`: the levels, solutions, toy OS sources and kexec .S
 * files as one generated module, so the browser plays with exactly what the CLI reads from disk.
 * The folders are watched: `serve` rebuilds when a level changes.
 */
function gameFilesPlugin(): Plugin {
  return {
    name: 'game-files',
    setup(b) {
      b.onResolve({ filter: /^jumpback:game-files$/ }, () => ({ path: 'game-files', namespace: 'jumpback' }));
      b.onLoad({ filter: /.*/, namespace: 'jumpback' }, () => ({
        contents: `export default ${JSON.stringify(gameFiles())};`,
        loader: 'js',
        watchDirs: GAME_FILE_DIRS.map((d) => join(ROOT, d)),
        watchFiles: Object.keys(gameFiles()).map((f) => join(ROOT, f)),
      }));
    },
  };
}

/** esbuild options for one browser entry point bundled to `outdir/<name>.js`. */
export function bundleOptions(entries: Record<string, string>, outdir: string): BuildOptions {
  return {
    plugins: [gameFilesPlugin()],
    entryPoints: entries,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    sourcemap: true,
    outdir,
    logLevel: 'warning',
    legalComments: 'none',
  };
}

/** Writes the static demo site (index.html, CSS, main.js + map) to `outDir`. */
export async function buildSite(outDir: string, entries: Record<string, string> = { main: ENTRY }): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await cp(WEB_ASSETS, outDir, { recursive: true });
  await build({ ...bundleOptions(entries, outDir), minify: true });
}

function parseFlag(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function buildSiteCommand(args: string[]): Promise<number> {
  const out = resolve(parseFlag(args, '--out') ?? 'dist');
  try {
    await buildSite(out);
  } catch (err) {
    process.stderr.write(`build-site: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`wrote the demo site to ${out}\n`);
  return 0;
}

export interface StaticServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** Directory served for paths not found in `files`. */
  root: string;
  /** In-memory files by URL path ("/main.js"); looked up first. */
  files?: ReadonlyMap<string, Uint8Array>;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

/** A small static file server on 127.0.0.1 (node's http module; no caching, no directory lists). */
export function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const host = options.host ?? '127.0.0.1';
  let realRoot: string | null = null;
  const server: Server = createServer(async (req, res) => {
    try {
      await answer(req.url ?? '/', res);
    } catch {
      // Whatever a request does, the server keeps serving the next one.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    }
  });
  const answer = async (url: string, res: ServerResponse): Promise<void> => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(url, 'http://x').pathname);
    } catch {
      // A malformed escape ("GET /%") or URL: the client's mistake, not a reason to stop serving.
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    if (path.includes('\0')) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const type = MIME[extname(path)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-store' };
    const memory = options.files?.get(path);
    if (memory) {
      res.writeHead(200, headers).end(memory);
      return;
    }
    // The URL parser drops "..", but a decoded "%2f" can bring one back: check the joined path,
    // and again after symbolic links, so no file outside the root is ever served.
    const file = normalize(join(root, path));
    realRoot ??= await realpath(root).catch(() => root);
    const real = await realpath(file).catch(() => null);
    const within = (dir: string, p: string): boolean => p === dir || p.startsWith(dir + sep);
    if (!within(root, file) || (real !== null && !within(realRoot, real))) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
      return;
    }
    try {
      if (real === null || !(await stat(real)).isFile()) throw new Error('not a file');
      res.writeHead(200, headers).end(await readFile(real));
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolvePromise({
        url: `http://${host}:${port}/`,
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Keeps the latest build's output files in memory, keyed by URL path. */
function memoryOutput(outdir: string, files: Map<string, Uint8Array>): Plugin {
  return {
    name: 'memory-output',
    setup(b) {
      b.onEnd((result) => {
        if (result.errors.length > 0) return;
        files.clear();
        for (const f of result.outputFiles ?? []) {
          files.set('/' + f.path.slice(outdir.length + 1).split(sep).join('/'), f.contents);
        }
        process.stdout.write(`built ${[...files.keys()].join(', ')} at ${new Date().toLocaleTimeString()}\n`);
      });
    },
  };
}

export async function serveCommand(args: string[]): Promise<number> {
  const portArg = parseFlag(args, '--port');
  const port = portArg === undefined ? DEFAULT_PORT : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`serve: --port needs a port number, got '${portArg}'\n`);
    return 2;
  }
  const outdir = join(ROOT, '.serve-out');
  const files = new Map<string, Uint8Array>();
  const ctx = await context({
    ...bundleOptions({ main: ENTRY }, outdir),
    write: false,
    plugins: [gameFilesPlugin(), memoryOutput(outdir, files)],
  });
  await ctx.rebuild().catch(() => undefined);
  await ctx.watch();
  let server: StaticServer;
  try {
    server = await startStaticServer({ root: WEB_ASSETS, files, port });
  } catch (err) {
    await ctx.dispose();
    process.stderr.write(`serve: cannot listen on 127.0.0.1:${port}: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`Jumpback demo at ${server.url} (rebuilds on change; Ctrl-C stops)\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  await ctx.dispose();
  return 0;
}
