// The RISC-V assembler's public face: GNU-as-compatible RV32IM+Zicsr+Zifencei source to an ELF and a flat binary.

import { Assembler } from './assembler.ts';
import { AsmError, type AsmDiagnostic, type SourceLoc } from './diagnostics.ts';
import { makeDirectives } from './directives.ts';
import { flatBinary, writeElf } from './elf-writer.ts';
import { assembleInstruction } from './instructions.ts';
import { link } from './link.ts';
import { Preprocessor } from './preprocess.ts';

export { AsmError, type AsmDiagnostic };
export { BASE_ADDRESS } from './link.ts';

export interface AsmOptions {
  /** Name used in diagnostics and as the base for relative include paths (default `<input>`). */
  fileName?: string;
  /**
   * Reads a file for `.include`, `#include` and `.incbin`. It receives the path already resolved
   * against the directory of the including file (POSIX-style join; absolute paths pass unchanged).
   * Return undefined when the file does not exist. Without it, includes are errors.
   */
  readFile?: (path: string) => Uint8Array | undefined;
}

export interface AsmOutput {
  /** ELF32 RISC-V ET_EXEC image. */
  elf: Uint8Array;
  /** Flat image from the lowest loaded address (0x80000000) as `objcopy -O binary` gives it. */
  bin: Uint8Array;
  entry: number;
  /** Every named symbol (labels and .equ/.set values; not .L* or numeric local labels). */
  symbols: Map<string, number>;
  sections: Array<{ name: string; address: number; size: number }>;
}

/** Joins a relative include path onto the including file's directory. */
export function resolveIncludePath(from: string, path: string): string {
  if (path.startsWith('/')) return normalize(path);
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  return normalize(dir + path);
}

function normalize(p: string): string {
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (s !== '..' || !abs) parts.push(s);
  }
  return (abs ? '/' : '') + parts.join('/');
}

/**
 * Assembles one source file laid out as test/gnu/link.ld (base 0x80000000).
 * Throws AsmError listing every error of the run.
 * @example const { bin, entry } = assemble('_start: li a0, 1\n ecall\n', { fileName: 'x.S' });
 */
export function assemble(source: string, options: AsmOptions = {}): AsmOutput {
  const fileName = options.fileName ?? '<input>';
  const asm = new Assembler(makeDirectives(), assembleInstruction);
  const read = (path: string, from: SourceLoc): { file: string; bytes: Uint8Array } | undefined => {
    const file = resolveIncludePath(from.file, path);
    const bytes = options.readFile?.(file);
    return bytes ? { file, bytes } : undefined;
  };
  const loadText = (path: string, from: SourceLoc): { file: string; text: string } | undefined => {
    const got = read(path, from);
    return got ? { file: got.file, text: new TextDecoder().decode(got.bytes) } : undefined;
  };
  const pre = new Preprocessor(asm.diags, loadText);
  asm.loadText = loadText;
  asm.loadBinary = (path, from) => read(path, from)?.bytes;
  asm.preprocess = (file, text) => pre.run(file, text);
  asm.run(pre.run(fileName, source));
  // Link even after statement errors so one run also reports undefined symbols and ranges.
  const linked = link(asm);
  if (asm.diags.count > 0) throw new AsmError(sorted(asm.diags.list));
  return {
    elf: writeElf(linked),
    bin: flatBinary(linked),
    entry: linked.entry,
    symbols: new Map(linked.symbols.map((s) => [s.name, s.value])),
    sections: linked.sections.map((s) => ({ name: s.name, address: s.address, size: s.size })),
  };
}

/** Source order (file as first seen, then line, then column), without duplicates. */
function sorted(list: AsmDiagnostic[]): AsmDiagnostic[] {
  const files = [...new Set(list.map((d) => d.file))];
  const seen = new Set<string>();
  return [...list]
    .sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column)
    .filter((d) => {
      const key = `${d.file}:${d.line}:${d.column}:${d.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}
