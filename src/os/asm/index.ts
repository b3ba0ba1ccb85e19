// The RISC-V assembler's public face: GNU-as-compatible RV32IM+Zicsr+Zifencei source to an ELF and a flat binary.

import { Assembler } from './assembler.ts';
import { AsmError, LimitError, type AsmDiagnostic, type SourceLoc } from './diagnostics.ts';
import { cachedReader, callbackIncludes, type IncludeFiles } from './includes.ts';
import { DEFAULT_LIMITS, type AsmLimits, type Budget } from './limits.ts';
import { makeDirectives } from './directives.ts';
import { flatBinary, writeElf } from './elf-writer.ts';
import { assembleInstruction } from './instructions.ts';
import { link } from './link.ts';
import { Preprocessor } from './preprocess.ts';

export { AsmError, type AsmDiagnostic };
export { BASE_ADDRESS } from './link.ts';
export { Budget, DEFAULT_LIMITS, type AsmLimits } from './limits.ts';
export { callbackIncludes, relativeIncludes, resolveIncludePath, sandboxIncludes, type IncludeFiles, type Mount } from './includes.ts';

export interface AsmOptions {
  /** Name used in diagnostics and as the base for relative include paths (default `<input>`). */
  fileName?: string;
  /**
   * What `.include`, `#include` and `.incbin` may read (see includes.ts): `relativeIncludes(store)`
   * for the user's own files, `sandboxIncludes(...)` for shared content. Without it (and without
   * `readFile`) every include is an error.
   */
  files?: IncludeFiles;
  /**
   * Shorthand for in-memory files (tests, in-page tools): `callbackIncludes(readFile)`. It receives
   * the path already resolved against the directory of the including file (POSIX-style join;
   * absolute paths pass unchanged) and returns undefined when the file does not exist.
   */
  readFile?: (path: string) => Uint8Array | undefined;
  /** Budgets for this run (defaults: DEFAULT_LIMITS); documented in docs/assembler.md. */
  limits?: Partial<AsmLimits>;
  /**
   * Counters shared with other runs (a level's images use one for all of them): this run stops
   * where their statements and text together go over the budget's limits, which then replace `limits`.
   */
  budget?: Budget;
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

/**
 * Assembles one source file laid out as test/gnu/link.ld (base 0x80000000).
 * Throws AsmError listing every error of the run (and nothing else, whatever the source or files
 * hold: budgets in limits.ts stop bombs with a located error).
 * @example const { bin, entry } = assemble('_start: li a0, 1\n ecall\n', { fileName: 'x.S' });
 */
export function assemble(source: string, options: AsmOptions = {}): AsmOutput {
  const fileName = options.fileName ?? '<input>';
  const limits: Readonly<AsmLimits> = options.budget?.limits ?? { ...DEFAULT_LIMITS, ...options.limits };
  const asm = new Assembler(makeDirectives(), assembleInstruction, limits, options.budget);
  const files = options.files ?? (options.readFile ? callbackIncludes(options.readFile) : undefined);
  const read = cachedReader(files, limits.maxFileBytes);
  const decoded = new Map<string, string>();
  const loadText = (path: string, from: SourceLoc, what: string): { file: string; text: string } => {
    const got = read(path, from, what);
    let text = decoded.get(got.file);
    if (text === undefined) decoded.set(got.file, (text = new TextDecoder().decode(got.bytes)));
    return { file: got.file, text };
  };
  const pre = new Preprocessor(asm.diags, loadText, asm.budget);
  asm.loadText = loadText;
  asm.loadBinary = (path, from, what) => {
    const { bytes } = read(path, from, what);
    asm.budget.spend(0, bytes.length, from);
    return bytes;
  };
  asm.preprocess = (file, text) => pre.run(file, text, asm.currentLoc());
  let linked: ReturnType<typeof link>;
  try {
    asm.run(pre.run(fileName, source));
    // Link even after statement errors so one run also reports undefined symbols and ranges.
    linked = link(asm);
  } catch (e) {
    if (!(e instanceof LimitError)) throw e;
    asm.diags.list.push({ file: e.loc.file, line: e.loc.line, column: e.loc.column, message: e.message });
    throw new AsmError(sorted(asm.diags.list));
  }
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
