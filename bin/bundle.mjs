// The prebuilt `jumpback` CLI: src/cli/main.ts bundled by esbuild into build/cli/ (plain JavaScript,
// one chunk per verb so `run` never loads serve's or level's code), the freshness check
// bin/jumpback.mjs does before using it, and stack traces mapped back to src/*.ts. `node
// bin/bundle.mjs` builds it (npm's prepare and build).
//
// Plain JavaScript on purpose: this runs before any bundle exists, and on every start, where
// loading tsx or esbuild would cost the time the bundle saves (esbuild is imported only to build).
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUT_DIR = join(ROOT, 'build', 'cli');
const ENTRY = join(ROOT, 'src', 'cli', 'main.ts');
const MAIN = join(OUT_DIR, 'main.mjs');
/** Repo-relative path -> mtimeMs of every file the bundle was built from (this file included). */
const MANIFEST = join(OUT_DIR, 'inputs.json');
const SELF = fileURLToPath(import.meta.url);
/** Older files of earlier builds are removed; younger ones may still be loading in another process. */
const STALE_FILE_MS = 60_000;

/** The bundle's entry URL when it was built from exactly the sources on disk now, else null. */
export function freshBundle() {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    statSync(MAIN);
  } catch {
    return null;
  }
  // Equal, not older: a checkout or `git stash pop` may give a file an older mtime than the build.
  for (const [path, mtime] of Object.entries(inputs)) {
    if (statSync(join(ROOT, path), { throwIfNoEntry: false })?.mtimeMs !== mtime) return null;
  }
  return pathToFileURL(MAIN).href;
}

/**
 * Makes stack traces name the src/*.ts line of each frame in the bundle. A chunk's source map is read
 * only when a stack through it is formatted (a crash), unlike --enable-source-maps, which reads the
 * map of every module as it loads: about 8 ms of a 70 ms start. Node < 20.16 (no
 * process.getBuiltinModule to load the SourceMap class from inside a stack formatter) gets Node's own.
 */
export function mapBundleStacks() {
  if (typeof process.getBuiltinModule !== 'function') {
    process.setSourceMapsEnabled(true);
    return;
  }
  const prefix = pathToFileURL(OUT_DIR).href + '/';
  const maps = new Map(); // chunk file URL -> SourceMap, or null when it has none
  const sourceMap = (url) => {
    if (!maps.has(url)) {
      let map = null;
      try {
        const { SourceMap } = process.getBuiltinModule('node:module');
        map = new SourceMap(JSON.parse(readFileSync(fileURLToPath(url) + '.map', 'utf8')));
      } catch {
        // no map (or unreadable): the frame keeps its bundle position
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  /** "fn (file:///…/build/cli/run-X.mjs:12:5)" -> "fn (/…/src/cli/run.ts:40:7)". */
  const mapFrame = (frame) => {
    const text = String(frame);
    const url = frame.getFileName();
    if (typeof url !== 'string' || !url.startsWith(prefix)) return text;
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    const entry = sourceMap(url)?.findEntry(line - 1, column - 1);
    if (!entry?.originalSource) return text;
    const source = fileURLToPath(new URL(entry.originalSource, url)); // the map's sources are relative to it
    return text.replace(`${url}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  };
  Error.prepareStackTrace = (error, frames) => {
    let head;
    try {
      head = Error.prototype.toString.call(error);
    } catch {
      head = 'Error';
    }
    return head + frames.map((f) => `\n    at ${mapFrame(f)}`).join('');
  };
}

/**
 * Builds build/cli/ and returns its entry URL. Safe while other processes run the old bundle or
 * build the same one: files are written under a temporary name and renamed into place, chunks
 * (content-hashed names) before main.mjs, the manifest last.
 */
export async function buildBundle() {
  const esbuild = await import('esbuild');
  const mtimes = new Map(); // taken before reading: an edit during the build shows as stale next time
  const result = await esbuild.build({
    absWorkingDir: ROOT, // the metafile's input paths are relative to it
    entryPoints: { main: ENTRY },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external', // zod, rxjs, esbuild load from node_modules as they would under tsx
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    sourcesContent: false, // the map points at src/*.ts, which stay in the repo
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [sourceLocationPlugin(mtimes)],
  });
  const inputs = { [relative(ROOT, SELF).split(sep).join('/')]: statSync(SELF).mtimeMs };
  for (const path of Object.keys(result.metafile.inputs)) {
    inputs[path] = mtimes.get(join(ROOT, path)) ?? statSync(join(ROOT, path)).mtimeMs; // non-.ts inputs
  }

  mkdirSync(OUT_DIR, { recursive: true });
  const files = [...result.outputFiles].sort((a, b) => rank(a.path) - rank(b.path));
  for (const f of files) writeAtomically(f.path, f.contents);
  writeAtomically(MANIFEST, JSON.stringify(inputs, null, 1) + '\n');
  removeOldFiles(new Set([...files.map((f) => f.path), MANIFEST]));
  return pathToFileURL(MAIN).href;
}

/** main.mjs after every chunk and map: a process that sees it finds everything it imports. */
function rank(path) {
  return path === MAIN ? 1 : 0;
}

function writeAtomically(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

function removeOldFiles(keep) {
  const now = Date.now();
  for (const name of readdirSync(OUT_DIR)) {
    const path = join(OUT_DIR, name);
    if (keep.has(path)) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_FILE_MS) unlinkSync(path);
    } catch {
      // another build removed it first
    }
  }
}

/**
 * Records each source's mtime, and keeps `import.meta.url` meaning the source file's URL (files.ts,
 * kexec/node.ts and serve.ts find the repo and the .S files from it): it becomes that file's path
 * relative to the bundle, resolved against the bundle's own URL, so the repo can still move.
 */
function sourceLocationPlugin(mtimes) {
  return {
    name: 'source-location',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        mtimes.set(args.path, statSync(args.path).mtimeMs);
        const text = readFileSync(args.path, 'utf8');
        const here = relative(OUT_DIR, args.path).split(sep).join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(here)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildBundle();
    process.stdout.write(`built the jumpback CLI in ${relative(process.cwd(), OUT_DIR) || '.'}${sep}\n`);
  } catch (e) {
    // esbuild's failure lists each error with file:line:col; print them, not a stack.
    const errors = e?.errors ?? [];
    const lines = errors.length
      ? errors.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text))
      : [e?.message ?? String(e)];
    process.stderr.write(`bundle: cannot build the jumpback CLI:\n${lines.join('\n')}\n`);
    process.exitCode = 1;
  }
}
