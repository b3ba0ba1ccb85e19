// The package's own text files (levels and their solutions, the toy OS sources and includes, the
// kexec .S files) by repository-relative path. In the source tree they are read once from the
// repository; the library build (scripts/build-lib.ts) replaces this module with one that holds
// the same files as text, so the installed package reads no file at run time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders whose files the engine reads at run time, and the kinds of file it reads there. */
export const PACKAGE_FILE_DIRS: readonly string[] = ['levels', 'assets/os', 'src/kexec'];
const PACKAGE_FILE_EXT = /\.(json|S|inc|h)$/;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let files: Readonly<Record<string, string>> | null = null;

/** Every package file: repository-relative path (with '/') -> text, read once. */
export function packageFiles(): Readonly<Record<string, string>> {
  if (files) return files;
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(ROOT, rel)).sort()) {
      const path = `${rel}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (PACKAGE_FILE_EXT.test(name)) out[path] = readFileSync(join(ROOT, path), 'utf8');
    }
  };
  for (const dir of PACKAGE_FILE_DIRS) walk(dir);
  files = out;
  return out;
}
