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

/** purgatory.S assembled: its bytes and where tools.ts patches the boot-params/entry words. */
export interface PurgatoryCode {
  bytes: Uint8Array;
  /** Offset of purgatory_start (the image's entry). */
  start: number;
  /** Offset of purgatory_params: [boot params PA, kernel entry]. */
  params: number;
  /** Offset of sha256_digest (32 bytes) and sha256_regions (16 x {start, len}). */
  digest: number;
  regions: number;
  /** Offset of purgatory_sha256_failed: where purgatory spins when the digest does not match. */
  failed: number;
}

const purgatoryCache = new Map<string, PurgatoryCode>();

export function assemblePurgatory(source: string): PurgatoryCode {
  let code = purgatoryCache.get(source);
  if (!code) {
    const out = assemble(source, { fileName: 'purgatory.S' });
    const base = out.sections.find((s) => s.name === '.text')?.address ?? out.entry;
    const at = (name: string): number => {
      const v = out.symbols.get(name);
      if (v === undefined) throw new Error(`purgatory.S defines no ${name}`);
      return v - base;
    };
    code = {
      bytes: out.bin, start: at('purgatory_start'), params: at('purgatory_params'),
      digest: at('sha256_digest'), regions: at('sha256_regions'), failed: at('purgatory_sha256_failed'),
    };
    purgatoryCache.set(source, code);
  }
  return code;
}
