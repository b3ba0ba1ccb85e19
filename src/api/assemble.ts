// assemble(): our RV32 assembler (src/os/asm) for library users, with includes served from their
// own files and, as in the toy OSes and levels, the package's `include/*.inc`.
import { assemble as assembleSource } from '../os/asm/index.ts';
import { readerFor, type SourceFiles } from './files.ts';

export interface AssembleOptions extends SourceFiles {
  /**
   * The source's path: named in error messages, and the folder relative `.include`/`.incbin`
   * paths start from (default `<input>`, no folder).
   */
  fileName?: string;
}

/** An assembled program, linked at 0x80000000 (RAM_BASE) as the toy OSes are. */
export interface Program {
  /** ELF32 RISC-V executable: what {@link boot} takes, or what another OS carries with `.incbin`. */
  readonly elf: Uint8Array;
  /** The flat image from 0x80000000 (`objcopy -O binary`), for a position-independent OS another loads. */
  readonly bin: Uint8Array;
  readonly entry: number;
  /** Every named label and `.equ` value. */
  readonly symbols: ReadonlyMap<string, number>;
}

/**
 * Assembles GNU-as-style RV32IM+Zicsr source. Includes are looked up in `readFile`, then `files`
 * (by the path resolved against `fileName`'s folder), then in the package's toy OS folder, so
 * `.include "include/sbi.inc"` gets the SBI/KEXEC numbers and the `sbi EID, FID` macro.
 * Throws AsmError listing every problem as `FILE:LINE:COL: message`.
 */
export function assemble(source: string, options: AssembleOptions = {}): Program {
  const fileName = options.fileName ?? '<input>';
  const dir = fileName.includes('/') ? fileName.slice(0, fileName.lastIndexOf('/') + 1) : '';
  const read = readerFor(options);
  const out = assembleSource(source, {
    fileName,
    readFile: (path) => read(path) ?? (path.startsWith(dir) ? read(`assets/os/${path.slice(dir.length)}`) : undefined),
  });
  return { elf: out.elf, bin: out.bin, entry: out.entry, symbols: out.symbols };
}
