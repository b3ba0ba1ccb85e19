// Builds the library the package ships (docs/api.md): build/lib/index.js, src/index.ts bundled by
// esbuild with the package's run-time files embedded (so the installed package reads no file),
// and build/lib/index.d.ts, its declarations in one file (dts-bundle-generator). `npm pack` runs
// it (prepack). `--update-api` also rewrites the committed API snapshot api/jumpback.api.d.ts.
import { build, type Plugin } from 'esbuild';
import { generateDtsBundle } from 'dts-bundle-generator';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_FILE_DIRS, packageFiles } from '../src/api/embedded.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const LIB_DIR = join(ROOT, 'build/lib');
export const ENTRY = join(ROOT, 'src/index.ts');
/** The committed declarations of the public API: a change to them must be deliberate. */
export const API_SNAPSHOT = join(ROOT, 'api/jumpback.api.d.ts');
/** Packages the bundle imports instead of containing (the package's `dependencies`). */
export const EXTERNAL = ['rxjs'];

/**
 * src/api/embedded.ts, replaced by the same exports over the files as they are now: the bundle
 * carries levels, toy OS sources and the kexec .S files as text.
 */
function embedPackageFiles(): Plugin {
  return {
    name: 'embed-package-files',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]api[\\/]embedded\.ts$/ }, () => ({
        loader: 'js',
        contents: [
          '// The package files, embedded at build time (scripts/build-lib.ts).',
          `export const PACKAGE_FILE_DIRS = ${JSON.stringify(PACKAGE_FILE_DIRS)};`,
          `const FILES = Object.freeze(${JSON.stringify(packageFiles())});`,
          'export function packageFiles() { return FILES; }',
        ].join('\n'),
      }));
    },
  };
}

/** Bundles src/index.ts to `outdir`/index.js (ESM, Node 20+); returns its size in bytes. */
export async function bundleLibrary(outdir = LIB_DIR): Promise<number> {
  const r = await build({
    entryPoints: { index: ENTRY },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [embedPackageFiles()],
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  return Object.values(r.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
}

/** The public API's declarations as one .d.ts (what the package ships and the snapshot holds). */
export function declarations(): string {
  const [text] = generateDtsBundle(
    [{ filePath: ENTRY, output: { noBanner: true, exportReferencedTypes: false }, libraries: { importedLibraries: EXTERNAL } }],
    { preferredConfigPath: join(ROOT, 'tsconfig.json') },
  );
  return `// The public API of the jumpback package (generated from src/index.ts by scripts/build-lib.ts).\n${text}`;
}

async function main(): Promise<void> {
  mkdirSync(LIB_DIR, { recursive: true });
  const bytes = await bundleLibrary();
  const dts = declarations();
  writeFileSync(join(LIB_DIR, 'index.d.ts'), dts);
  if (process.argv.includes('--update-api')) {
    mkdirSync(join(ROOT, 'api'), { recursive: true });
    writeFileSync(API_SNAPSHOT, dts);
    process.stdout.write(`updated ${API_SNAPSHOT}\n`);
  }
  process.stdout.write(`build/lib: index.js ${(bytes / 1024).toFixed(0)} KiB, index.d.ts ${(dts.length / 1024).toFixed(0)} KiB\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
