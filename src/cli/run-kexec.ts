// KEXEC for `jumpback run` in sbi mode: at every boot (and again after a reset) a fresh KEXEC
// extension on the board with the image as its first OS, "A" (kexec-contract.md §2), and, with
// `--trace kexec`, its events as readable lines.
import type { Flavour } from '../kexec/abi.ts';
import { attachKexec, bootOsMemory } from '../kexec/board.ts';
import { relocateCode } from '../kexec/node.ts';
import { traceKexec } from '../kexec/trace.ts';
import type { ElfImage } from '../os/elf.ts';
import type { Board } from '../sim/board.ts';

export interface RunKexecOptions {
  /** null: Kexec's default (merged, as levels). */
  flavour: Flavour | null;
  /** Where trace lines go (one call per line, no newline), or null for no trace. */
  trace: ((line: string) => void) | null;
}

/**
 * Returns what to call after each bootImage of `image` on `board`: it registers a fresh Kexec
 * (power-on or reset: no kernel from before survives) and adds the booted image as kernel A,
 * usable = all RAM, in use = its PT_LOAD ranges. Kernels entered later through loaded images get
 * the next letters (B, C, ...) in the order they are first entered.
 */
export function kexecOnBoot(board: Board, image: ElfImage, options: RunKexecOptions): () => void {
  const relocate = relocateCode();
  return () => {
    const kexec = attachKexec(board, { relocate, flavour: options.flavour ?? undefined });
    if (options.trace) traceKexec(kexec, options.trace);
    kexec.addKernel({ name: 'A', ...bootOsMemory(image, board.machine.memory.size) });
  };
}
