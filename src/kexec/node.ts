// Node-side loading of the kexec assembly sources (the CLI, tests and benches; the browser build
// imports the .S files as text and calls assemble.ts itself).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemblePurgatory, assembleRelocate, type PurgatoryCode } from './assemble.ts';
import type { RelocateCode } from './code.ts';

/** The text of `src/kexec/NAME`. */
export function kexecSource(name: 'relocate.S' | 'purgatory.S'): string {
  return readFileSync(fileURLToPath(new URL(`./${name}`, import.meta.url)), 'utf8');
}

/** relocate.S assembled by our assembler (cached). */
export function relocateCode(): RelocateCode {
  return assembleRelocate(kexecSource('relocate.S'));
}

/** purgatory.S assembled by our assembler (cached). */
export function purgatoryCode(): PurgatoryCode {
  return assemblePurgatory(kexecSource('purgatory.S'));
}
