// boot(): one image on a fresh virt board, with the KEXEC extension in sbi mode, as a Session.
// The image is kernel A to kexec (all RAM usable, its PT_LOAD ranges in use: kexec-contract.md §2), as
// under `jumpback run --sbi`.
import type { Flavour } from '../kexec/abi.ts';
import { parseImage } from '../os/elf.ts';
import { DEFAULT_RAM_SIZE } from '../sim/memory.ts';
import { BoardWorld } from './board-world.ts';
import { engineAssets } from './files.ts';
import type { Program } from './assemble.ts';
import { SessionImpl, type Session } from './session.ts';

export interface BootOptions {
  /**
   * 'sbi' (default): S-mode at the entry with the firmware serving ecalls (a0 = 0, a1 =
   * `bootParams`); 'bare': M-mode at the entry, no firmware.
   */
  mode?: 'sbi' | 'bare';
  /** Bytes of RAM: a multiple of 4 KiB from 1 MiB to 2 GiB (default 16 MiB). */
  ramSize?: number;
  /** The disk's image (a multiple of 512 bytes; copied). Default: an empty disk. */
  diskImage?: Uint8Array;
  /**
   * The KEXEC extension (sbi mode only): true (default in sbi mode), false, or its flavour:
   * 'merged' (Linux 2.6.27+, default) or 'seed' (the 2007 proposal's separate flags).
   */
  kexec?: boolean | { flavour?: Flavour };
  /** The booted OS's kernel name in events and page owners (default 'A'). */
  name?: string;
  /** a1 at entry in sbi mode (default 0). */
  bootParams?: number;
  /** The run ends with reason 'limit' after this many instructions (default 100 000 000). */
  maxInstructions?: number;
}

/**
 * Boots `image` (an assembled {@link Program}, or ELF / flat-binary bytes) on a fresh board and
 * returns the session, paused at the first instruction. Throws for a bad image or option.
 */
export function boot(image: Program | Uint8Array, options: BootOptions = {}): Session {
  const mode = options.mode ?? 'sbi';
  const wantKexec = options.kexec ?? mode === 'sbi';
  if (wantKexec !== false && mode !== 'sbi') throw new Error("boot: KEXEC needs mode 'sbi' (the firmware serves it); pass kexec: false for bare mode");
  const maxInstructions = options.maxInstructions ?? 100_000_000;
  if (!Number.isSafeInteger(maxInstructions) || maxInstructions <= 0) throw new RangeError(`boot: maxInstructions must be a positive integer, got ${maxInstructions}`);
  const elf = parseImage(image instanceof Uint8Array ? image : image.elf);
  const kexec = wantKexec === false ? null : { flavour: wantKexec === true ? undefined : wantKexec.flavour, relocate: engineAssets().relocate };
  const input = {
    image: elf, mode, ramSize: options.ramSize ?? DEFAULT_RAM_SIZE, diskImage: options.diskImage, kexec,
    name: options.name ?? 'A', bootParams: options.bootParams ?? 0, maxInstructions,
  };
  return new SessionImpl(() => new BoardWorld(input));
}
