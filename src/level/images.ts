// OS images of a level: assembled from sources (with the player's assembly blocks served as
// `player/NAME.S`) or read as ELF files, optionally rebased, plus the size the player wrote.
import { AsmError, assemble, Budget, DEFAULT_LIMITS, sandboxIncludes, type AsmLimits, type AsmOutput, type IncludeFiles } from '../os/asm/index.ts';
import { formatDiagnostic } from '../os/asm/diagnostics.ts';
import { isElf, parseElf, type ElfImage } from '../os/elf.ts';
import { confinedPath, FileAccessError, MAX_FILE_BYTES, missing, tooLarge, type FileStore } from '../os/files.ts';
import { OsImages } from '../os/images.ts';
import { RAM_BASE } from '../sim/memory.ts';
import { MAX_IMAGE_FILE_BYTES, MAX_SOURCE_FILE_BYTES } from './limits.ts';
import type { LevelOs } from './schema.ts';

/**
 * How the engine reads level files (node: fs from the repo root; the browser: bundled text).
 * Undefined for a missing file; it throws FileAccessError for a file the level may not read
 * (outside its folders, not a regular file, over `maxBytes`).
 */
export interface LevelFiles {
  read(path: string, maxBytes?: number): Uint8Array | undefined;
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
 * Budgets for a level's sources and a solution's blocks, tighter than the assembler's defaults
 * (made for the user's own files): the shipped levels use about a thousand statements and a few
 * KiB of image, and a shared level must not freeze the page before its error. A macro bomb of
 * 100000 statements takes about half a second; 250000 took 1.3 s in Node.
 */
export const LEVEL_ASM_LIMITS: Partial<AsmLimits> = {
  maxStatements: 100_000,
  maxSourceChars: 4 * 1024 * 1024,
  maxImageBytes: 16 * 1024 * 1024,
};

/**
 * One budget for all the images of a level: each OS spending a whole budget of its own let a
 * shared level of 16 OSes, each with a macro bomb in its block, take 17 s to refuse.
 */
export function levelAsmBudget(): Budget {
  return new Budget({ ...DEFAULT_LIMITS, ...LEVEL_ASM_LIMITS }, "a level's limit for all its images together");
}

const INCLUDE_RULE = "a level's sources include only include/NAME (the toy OS headers of assets/os/include) and player/NAME.S (its blocks)";

/**
 * What a level's assembly source and the solution's blocks may include, whichever file the include
 * is in: `include/NAME` from the toy OS include tree and `player/NAME.S`, the blocks (each wrapped
 * in its start and end labels). Names are relative to the source's folder, without `..`; nothing
 * else is read (an absolute path or `../../etc/passwd` is refused before any read).
 */
export function levelIncludes(sourcePath: string, blocks: Readonly<Record<string, string>>, files: LevelFiles): IncludeFiles {
  const enc = new TextEncoder();
  const blockStore: FileStore = {
    read(name, maxBytes = MAX_FILE_BYTES) {
      const m = /^([A-Za-z][A-Za-z0-9_-]*)\.S$/.exec(name);
      const text = m && Object.hasOwn(blocks, m[1]!) ? blocks[m[1]!] : undefined;
      if (text === undefined) throw missing(name);
      const bytes = enc.encode(`__player_${m![1]}_start:\n${text}\n__player_${m![1]}_end:\n`);
      if (bytes.length > maxBytes) throw tooLarge(name, maxBytes, bytes.length);
      return bytes;
    },
  };
  const toyIncludes: FileStore = {
    read(name, maxBytes = MAX_FILE_BYTES) {
      const bytes = files.read(`assets/os/include/${name}`);
      if (!bytes) throw missing(name);
      if (bytes.length > maxBytes) throw tooLarge(name, maxBytes, bytes.length);
      return bytes;
    },
  };
  const root = sourcePath.replace(/[^/]*$/, '');
  return sandboxIncludes(root, [{ dir: 'include/', store: toyIncludes }, { dir: 'player/', store: blockStore }], INCLUDE_RULE);
}

/** A level's `image.asm`: a relative `.S` path from the repository root without `..`, else an ImageError. */
function levelSourcePath(os: string, path: string): string {
  const refuse = (why: string): never => {
    throw new ImageError(os, `image.asm "${path}": not allowed: ${why} (an assembly image is a .S file named from the repository root, without '..')`);
  };
  const c = confinedPath(path);
  if ('refused' in c) return refuse(c.refused);
  if (!c.path.endsWith('.S')) return refuse('not a .S file');
  return c.path;
}

/** A level file's bytes; a missing, refused or non-regular file is an ImageError naming why. */
function readLevelFile(os: string, files: LevelFiles, path: string, maxBytes = MAX_SOURCE_FILE_BYTES): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = files.read(path, maxBytes);
  } catch (e) {
    if (e instanceof FileAccessError) throw new ImageError(os, `cannot read ${path}: ${e.reason}`);
    throw e;
  }
  if (!bytes) throw new ImageError(os, `cannot read ${path}: no such file`);
  return bytes;
}

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

/**
 * Assembles a level's `.S` at `asmPath` (for OS `os`, which errors name) with `blocks` served as
 * `player/NAME.S`, against `budget`: the output and the bytes each block assembled to. A bad path,
 * unreadable file or assembly error is an ImageError (block positions counted from the block's line 1).
 */
export function assembleLevelSource(os: string, asmPath: string, blocks: Readonly<Record<string, string>>, files: LevelFiles, budget: Budget): { out: AsmOutput; blockSizes: Map<string, number> } {
  const path = levelSourcePath(os, asmPath);
  const src = readLevelFile(os, files, path);
  try {
    const out = assemble(new TextDecoder().decode(src), { fileName: path, files: levelIncludes(path, blocks, files), budget });
    const blockSizes = new Map<string, number>();
    for (const name of Object.keys(blocks)) {
      const s = out.symbols.get(`__player_${name}_start`);
      const e = out.symbols.get(`__player_${name}_end`);
      if (s !== undefined && e !== undefined) blockSizes.set(name, e - s);
    }
    return { out, blockSizes };
  } catch (e) {
    if (e instanceof AsmError) throw new ImageError(os, blockRelative(e, blocks));
    throw e;
  }
}

/**
 * Builds one OS's image with `blocks` (defaults already overridden by the solution); its assembly
 * counts against `budget` (pass the level's one to every OS).
 */
export function buildImage(os: LevelOs, blocks: Readonly<Record<string, string>>, files: LevelFiles, budget = levelAsmBudget()): BuiltImage {
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
    const built = assembleLevelSource(os.id, os.image.asm, blocks, files, budget);
    elf = built.out.elf;
    for (const [name, size] of built.blockSizes) blockSizes.set(name, size);
  } else {
    const bytes = readLevelFile(os.id, files, os.image.elf, MAX_IMAGE_FILE_BYTES);
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
