// Where the library's engine finds files: the caller's own (a map, a reader) first, then the
// files the package ships (levels, toy OS sources and includes, relocate.S and purgatory.S).
import { assemblePurgatory, assembleRelocate } from '../kexec/assemble.ts';
import type { LevelFiles } from '../level/images.ts';
import type { LevelAssets } from '../level/world.ts';
import { packageFiles } from './embedded.ts';

/**
 * Files of your own that assembly sources and levels may refer to, by path: `.include`/`.incbin`
 * targets (resolved against the including file's folder) and the `asm`/`elf` paths of a level.
 * `readFile` is asked first, then `files`; text is taken as UTF-8.
 */
export interface SourceFiles {
  /** Path -> contents (text or bytes). */
  files?: Readonly<Record<string, string | Uint8Array>>;
  /** Reads a file by path; undefined when it does not exist. */
  readFile?: (path: string) => string | Uint8Array | undefined;
}

const encoder = new TextEncoder();
const asBytes = (v: string | Uint8Array | undefined): Uint8Array | undefined => (typeof v === 'string' ? encoder.encode(v) : v);
const clean = (path: string): string => path.replace(/^(\.\/)+/, '');

/**
 * The text of a file the package ships, by its path in the repository ('levels/03-ping-pong.json',
 * 'levels/solutions/03-ping-pong.json', 'assets/os/include/sbi.inc'), or undefined.
 */
export function packageFile(path: string): string | undefined {
  const files = packageFiles();
  const p = clean(path);
  return Object.hasOwn(files, p) ? files[p] : undefined;
}

/** Every path {@link packageFile} knows, sorted. */
export function packageFilePaths(): string[] {
  return Object.keys(packageFiles()).sort();
}

/** A reader over the caller's files, then the package's (undefined when neither has `path`). */
export function readerFor(own: SourceFiles = {}): (path: string) => Uint8Array | undefined {
  return (path) => {
    const p = clean(path);
    return asBytes(own.readFile?.(p)) ?? asBytes(own.files?.[p]) ?? asBytes(packageFile(p));
  };
}

/** The engine's view of the same files, for levels. */
export function levelFilesFor(own: SourceFiles = {}): LevelFiles {
  return { read: readerFor(own) };
}

let assets: LevelAssets | null = null;

/** relocate.S and purgatory.S from the package, assembled by our assembler (once). */
export function engineAssets(): LevelAssets {
  if (!assets) {
    const source = (name: string): string => {
      const text = packageFile(`src/kexec/${name}`);
      if (text === undefined) throw new Error(`the package lacks src/kexec/${name}`);
      return text;
    };
    assets = { relocate: assembleRelocate(source('relocate.S')), purgatory: assemblePurgatory(source('purgatory.S')) };
  }
  return assets;
}
