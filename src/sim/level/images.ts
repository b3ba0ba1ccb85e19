// OS images of a level: assembled from sources (with the player's assembly blocks served as
// `player/NAME.S`) or read as ELF files, optionally rebased, plus the size the player wrote.
import { AsmError, assemble } from '../../os/asm/index.ts';
import { formatDiagnostic } from '../../os/asm/diagnostics.ts';
import { isElf, parseElf, type ElfImage } from '../../os/elf.ts';
import { OsImages } from '../../os/images.ts';
import { RAM_BASE } from '../memory.ts';
import { MAX_IMAGE_FILE_BYTES, MAX_SOURCE_FILE_BYTES } from './limits.ts';
import type { LevelOs } from './schema.ts';

/**
 * How the engine reads level files (node: fs from the repo root; the browser: bundled text).
 * undefined: no such file; LevelFileError: a file the level may not read, or too big to.
 */
export interface LevelFiles {
  read(path: string, maxBytes?: number): Uint8Array | undefined;
}

/** A file a level names that it may not read: the path and why (outside its folders, too big, not a file). */
export class LevelFileError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}


export interface BuiltImage {
  elf: Uint8Array;
  image: ElfImage;
  /** Bytes assembled from each player block (by block name). */
  blockSizes: Map<string, number>;
}

export class ImageError extends Error {
  constructor(readonly os: string, message: string) {
    super(message);
  }
}

const toyOses = new WeakMap<LevelFiles, OsImages>();

/** The toy OS builder over `files` (assets/os/...), one per reader so images are built once. */
function toyOsImages(files: LevelFiles): OsImages {
  let images = toyOses.get(files);
  if (!images) {
    images = new OsImages((p) => files.read(`assets/os/${p.replace(/^\.\//, '')}`));
    toyOses.set(files, images);
  }
  return images;
}

/** An include path that is a player block: `player/NAME.S` (any folder before it). */
const PLAYER_FILE = /(?:^|\/)player\/([A-Za-z][A-Za-z0-9_-]*)\.S$/;

/**
 * The assembler's messages with every position inside a player block counted from the block's own
 * first line: the engine wraps each block in a start label line (before it) and an end label line
 * (after it), which the player never sees. So `player/NAME.S:LINE:COL` in the CLI, the editor and
 * the tests is the line of the text the player wrote (the end label's line maps to the last one).
 */
function blockRelative(e: AsmError, blocks: Readonly<Record<string, string>>): string {
  const shift = (file: string, line: number): number => {
    const name = PLAYER_FILE.exec(file)?.[1];
    const text = name === undefined ? undefined : blocks[name];
    return text === undefined ? line : Math.min(Math.max(1, line - 1), text.split('\n').length);
  };
  return e.diagnostics
    .map((d) => formatDiagnostic({ ...d, line: shift(d.file, d.line), message: d.message.replace(/(\S*player\/[A-Za-z][A-Za-z0-9_-]*\.S):(\d+)/g, (_, f: string, l: string) => `${f}:${shift(f, Number(l))}`) }))
    .join('\n');
}

/** A file an image is built from; a missing or refused file is an ImageError naming it and why. */
function readImageFile(os: string, files: LevelFiles, path: string, maxBytes: number): Uint8Array {
  try {
    const bytes = files.read(path, maxBytes);
    if (!bytes) throw new ImageError(os, `cannot read ${path}: no such file`);
    return bytes;
  } catch (e) {
    if (e instanceof LevelFileError) throw new ImageError(os, `cannot read ${e.path}: ${e.reason}`);
    throw e;
  }
}

/** An include the assembler asks for: a refused file reads as missing (the assembler names the include). */
function includeFile(files: LevelFiles, path: string): Uint8Array | undefined {
  try {
    return files.read(path, MAX_SOURCE_FILE_BYTES);
  } catch (e) {
    if (e instanceof LevelFileError) return undefined;
    throw e;
  }
}

/** Builds one OS's image with `blocks` (defaults already overridden by the solution). */
export function buildImage(os: LevelOs, blocks: Readonly<Record<string, string>>, files: LevelFiles): BuiltImage {
  let elf: Uint8Array;
  const blockSizes = new Map<string, number>();
  if ('os' in os.image) {
    try {
      elf = toyOsImages(files).get(os.image.os, os.base ?? RAM_BASE).elf;
    } catch (e) {
      throw new ImageError(os.id, e instanceof AsmError ? e.message : (e as Error).message);
    }
    try {
      return { elf, image: parseElf(elf), blockSizes };
    } catch (e) {
      // A `base` near the top of the address space: the segments wrap past 4 GiB.
      throw new ImageError(os.id, (e as Error).message);
    }
  } else if ('asm' in os.image) {
    const path = os.image.asm;
    const src = readImageFile(os.id, files, path, MAX_SOURCE_FILE_BYTES);
    const enc = new TextEncoder();
    try {
      const out = assemble(new TextDecoder().decode(src), {
        fileName: path,
        readFile: (p) => {
          const m = PLAYER_FILE.exec(p);
          if (m) {
            const text = blocks[m[1]];
            return text === undefined ? undefined : enc.encode(`__player_${m[1]}_start:\n${text}\n__player_${m[1]}_end:\n`);
          }
          // Level sources may use the toy OSes' includes ("include/kernel.inc") like assets/os does.
          const dir = path.replace(/[^/]*$/, '');
          return includeFile(files, p) ?? (p.startsWith(dir) ? includeFile(files, `assets/os/${p.slice(dir.length)}`) : undefined);
        },
      });
      elf = out.elf;
      for (const name of Object.keys(blocks)) {
        const s = out.symbols.get(`__player_${name}_start`);
        const e = out.symbols.get(`__player_${name}_end`);
        if (s !== undefined && e !== undefined) blockSizes.set(name, e - s);
      }
    } catch (e) {
      if (e instanceof AsmError) throw new ImageError(os.id, blockRelative(e, blocks));
      throw e;
    }
  } else {
    const bytes = readImageFile(os.id, files, os.image.elf, MAX_IMAGE_FILE_BYTES);
    if (!isElf(bytes)) throw new ImageError(os.id, `${os.image.elf} is not an ELF file`);
    elf = bytes;
  }
  if (os.base !== undefined && os.base !== RAM_BASE) elf = rebaseElf(elf, os.base - RAM_BASE);
  try {
    return { elf, image: parseElf(elf), blockSizes };
  } catch (e) {
    throw new ImageError(os.id, (e as Error).message);
  }
}

/**
 * Moves an ELF32 executable by `delta` bytes: entry and every program header's vaddr/paddr.
 * Only correct for position-independent code (pc-relative addressing, as `la`/`lla` give).
 */
export function rebaseElf(elf: Uint8Array, delta: number): Uint8Array {
  const out = elf.slice();
  const v = new DataView(out.buffer);
  v.setUint32(0x18, (v.getUint32(0x18, true) + delta) >>> 0, true);
  const phoff = v.getUint32(0x1c, true);
  const phentsize = v.getUint16(0x2a, true);
  const phnum = v.getUint16(0x2c, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    v.setUint32(at + 8, (v.getUint32(at + 8, true) + delta) >>> 0, true);
    v.setUint32(at + 12, (v.getUint32(at + 12, true) + delta) >>> 0, true);
  }
  return out;
}
