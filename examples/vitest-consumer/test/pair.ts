// Our two OSes (os/a.S, os/b.S): B assembled to a flat binary first, then A carrying it. The
// sources include our own os/lib.inc and the package's include/sbi.inc.
// #region assemble
import { readFileSync } from 'node:fs';
import { assemble, type Program } from 'jumpback';

const OS_DIR = new URL('../os/', import.meta.url);

/** Our files, by the path the assembler resolved (relative to os/); undefined when missing. */
function readFile(path: string): Uint8Array | undefined {
  try {
    return readFileSync(new URL(path, OS_DIR));
  } catch {
    return undefined;
  }
}

/** B as a flat binary, then A with `rounds` round trips and b.bin inside it. */
export function buildPair(rounds = 3): { a: Program; b: Program } {
  const b = assemble(readFileSync(new URL('b.S', OS_DIR), 'utf8'), { fileName: 'b.S', readFile });
  const a = assemble(`.equ ROUNDS, ${rounds}\n${readFileSync(new URL('a.S', OS_DIR), 'utf8')}`, {
    fileName: 'a.S',
    readFile,
    files: { 'b.bin': b.bin },
  });
  return { a, b };
}
// #endregion assemble

/** Where A loads B (a.S's REGION), B's 32 pages, and the word A keeps in B's last page. */
export const REGION = 0x8010_0000;
export const REGION_PAGES = 32;
export const A_WORD = REGION + REGION_PAGES * 4096 - 4;
