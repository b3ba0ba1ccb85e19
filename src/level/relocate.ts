// A level's own kexec relocate code (the level's `relocate` field): its .S assembled with one OS's
// blocks, so a player can write the patch for a part of relocate.S; used instead of the stock code.
import { relocateCodeFrom, type RelocateCode } from '../kexec/code.ts';
import type { Budget } from '../os/asm/index.ts';
import { assembleLevelSource, ImageError, type LevelFiles } from './images.ts';
import type { Level } from './schema.ts';

export interface BuiltRelocate {
  code: RelocateCode;
  /** Bytes assembled from each player block (by block name). */
  blockSizes: Map<string, number>;
}

/**
 * Assembles `relocate` (the same sandbox and budget as the level's OS sources) with `blocks`, the
 * blocks of OS `relocate.os`. Whatever keeps it from being relocate code (an assembly error, no
 * `kexec_reentry`, more than the control page's 0x800 bytes) is an ImageError of that OS.
 */
export function buildRelocate(relocate: NonNullable<Level['relocate']>, blocks: Readonly<Record<string, string>>, files: LevelFiles, budget: Budget): BuiltRelocate {
  const { out, blockSizes } = assembleLevelSource(relocate.os, relocate.asm, blocks, files, budget);
  const base = out.sections.find((s) => s.name === '.text')?.address ?? out.entry;
  try {
    return { code: relocateCodeFrom(out.bin, out.symbols, base), blockSizes };
  } catch (e) {
    // Name the blocks in it: too big is most likely the player's block (and the field gets the problem).
    const blocksIn = [...blockSizes].filter(([, n]) => n > 0).map(([name, n]) => `player/${name}.S assembles to ${n} bytes`);
    throw new ImageError(relocate.os, `${relocate.asm}: ${(e as Error).message}${blocksIn.length > 0 ? ` (${blocksIn.join(', ')})` : ''}`);
  }
}
