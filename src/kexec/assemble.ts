// relocate.S and purgatory.S through our assembler (src/os/asm), assembled once per source text.
import { assemble } from '../os/asm/index.ts';
import { relocateCodeFrom, type RelocateCode } from './code.ts';

const cache = new Map<string, RelocateCode>();

/** Assembles relocate.S (position independent: the assembler's base address is subtracted). */
export function assembleRelocate(source: string): RelocateCode {
  let code = cache.get(source);
  if (!code) {
    const out = assemble(source, { fileName: 'relocate.S' });
    const base = out.sections.find((s) => s.name === '.text')?.address ?? out.entry;
    code = relocateCodeFrom(out.bin, out.symbols, base);
    cache.set(source, code);
  }
  return code;
}
