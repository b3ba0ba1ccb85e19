// The toy OS images (assets/os/*.S) built by our assembler and moved to the base a level loads
// them at, cached. Browser-safe: sources come through an injected reader (node: readFile; the
// browser: esbuild's text loader into a map, see `mapReader`).
import { assemble, BASE_ADDRESS } from './asm/index.ts';

/** The toy OSes, by file name without `.S` (docs/toy-os.md says what each does). */
export const OS_NAMES = ['counter', 'life', 'sieve', 'dump', 'restore', 'firmware'] as const;
export type OsName = (typeof OS_NAMES)[number];

/**
 * Reads a file of assets/os by its path relative to that folder ('counter.S',
 * 'include/kernel.inc'); undefined when it does not exist.
 */
export type OsSourceReader = (path: string) => string | Uint8Array | undefined;

export interface OsImage {
  name: OsName;
  /** Physical address of the first byte (= the entry, `_start` comes first). */
  base: number;
  entry: number;
  /** ELF32 ET_EXEC with one PT_LOAD at `base`: filesz = `bytes`, memsz = `size`. */
  elf: Uint8Array;
  /** Code and data from `base` (no .bss). */
  bytes: Uint8Array;
  /** Bytes of memory the image occupies from `base`, .bss (stack, framebuffers...) included. */
  size: number;
  /** Labels at their addresses for this base (constants from .equ keep their values). */
  symbols: Map<string, number>;
}

/** A reader over an in-memory map of files (the browser bundle imports them as text). */
export function mapReader(files: Readonly<Record<string, string>>): OsSourceReader {
  return (path) => files[path.replace(/^\.\//, '')];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Assembles toy OS images on demand; each (name, base) is built once. */
export class OsImages {
  private readonly _built = new Map<OsName, OsImage>();
  private readonly _moved = new Map<string, OsImage>();

  constructor(private readonly _read: OsSourceReader) {}

  /**
   * The image of `name` linked for `base` (page aligned; default RAM_BASE). The sources only
   * reach memory pc-relatively, so moving them is rewriting the addresses in the ELF headers.
   * Throws AsmError if a source does not assemble.
   */
  get(name: OsName, base: number = BASE_ADDRESS): OsImage {
    if ((base & 0xfff) !== 0) throw new Error(`${name}: base 0x${(base >>> 0).toString(16)} is not page aligned`);
    const key = `${name}@${base >>> 0}`;
    let image = this._moved.get(key);
    if (!image) {
      image = moveImage(this._build(name), base >>> 0);
      this._moved.set(key, image);
    }
    return image;
  }

  private _build(name: OsName): OsImage {
    let image = this._built.get(name);
    if (image) return image;
    const file = `${name}.S`;
    const text = this._read(file);
    if (text === undefined) throw new Error(`toy OS source ${file} not found`);
    const out = assemble(typeof text === 'string' ? text : decoder.decode(text), {
      fileName: file,
      readFile: (path) => {
        const t = this._read(path);
        return typeof t === 'string' ? encoder.encode(t) : t;
      },
    });
    const end = out.sections.reduce((m, s) => Math.max(m, s.address + s.size), BASE_ADDRESS);
    image = {
      name, base: BASE_ADDRESS, entry: out.entry, elf: out.elf, bytes: out.bin,
      size: end - BASE_ADDRESS, symbols: out.symbols,
    };
    this._built.set(name, image);
    return image;
  }
}

/** The same bytes at `base`: addresses inside the image shift, the ELF is rewritten. */
function moveImage(image: OsImage, base: number): OsImage {
  const delta = base - image.base;
  const inside = (v: number): boolean => v >= image.base && v <= image.base + image.size;
  const symbols = new Map<string, number>();
  for (const [k, v] of image.symbols) symbols.set(k, inside(v) ? (v + delta) >>> 0 : v);
  const entry = (image.entry + delta) >>> 0;
  return { ...image, base, entry, symbols, elf: singleSegmentElf(image.bytes, base, image.size, entry) };
}

const EHDR = 52;
const PHDR = 32;

/** A minimal ELF32 RISC-V executable: one RWX PT_LOAD of `bytes` at `base`, `memsz` long. */
export function singleSegmentElf(bytes: Uint8Array, base: number, memsz: number, entry: number): Uint8Array {
  const out = new Uint8Array(EHDR + PHDR + bytes.length);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]); // ELFCLASS32, little-endian, EV_CURRENT
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 243, true); // EM_RISCV
  v.setUint32(20, 1, true);
  v.setUint32(24, entry >>> 0, true);
  v.setUint32(28, EHDR, true); // e_phoff
  v.setUint16(40, EHDR, true); // e_ehsize
  v.setUint16(42, PHDR, true);
  v.setUint16(44, 1, true); // e_phnum
  v.setUint16(46, 40, true); // e_shentsize (no sections)
  const ph = EHDR;
  v.setUint32(ph, 1, true); // PT_LOAD
  v.setUint32(ph + 4, EHDR + PHDR, true); // p_offset
  v.setUint32(ph + 8, base >>> 0, true); // p_vaddr
  v.setUint32(ph + 12, base >>> 0, true); // p_paddr
  v.setUint32(ph + 16, bytes.length, true);
  v.setUint32(ph + 20, Math.max(memsz, bytes.length), true);
  v.setUint32(ph + 24, 7, true); // PF_R | PF_W | PF_X
  v.setUint32(ph + 28, 4, true); // p_align
  out.set(bytes, EHDR + PHDR);
  return out;
}
