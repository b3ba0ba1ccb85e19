// The seed flavour's separate preservation flags as a kexec-tools option of Jumpback's own:
// `--preserve=cpu,cpu-ext,device` (any subset) with --load-preserve-context loads the image with
// exactly those flags instead of PRESERVE_CONTEXT (= all three). The 2007 proposal passed
// KEXEC_PRESERVE_CPU / _CPU_EXT / _DEVICE to kexec_load; tools.ts only knows the merged flag.
import { KEXEC_PRESERVE_CONTEXT, KEXEC_PRESERVE_CPU, KEXEC_PRESERVE_CPU_EXT, KEXEC_PRESERVE_DEVICE } from '../kexec/abi.ts';

const BITS: Readonly<Record<string, number>> = {
  cpu: KEXEC_PRESERVE_CPU,
  'cpu-ext': KEXEC_PRESERVE_CPU_EXT,
  device: KEXEC_PRESERVE_DEVICE,
};

export interface SeedPreserve {
  /** The arguments without --preserve. */
  args: string[];
  /** The seed flags asked for, or null when --preserve was not given. */
  bits: number | null;
  /** A problem with the option's value, as kexec-tools would print it. */
  error: string | null;
}

/** Takes `--preserve=LIST` (or `--preserve LIST`) out of `args`. */
export function seedPreserveOption(args: readonly string[]): SeedPreserve {
  const out: string[] = [];
  let bits: number | null = null;
  let error: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== '--preserve' && !a.startsWith('--preserve=')) {
      out.push(a);
      continue;
    }
    const list = a === '--preserve' ? (args[++i] ?? '') : a.slice('--preserve='.length);
    bits = 0;
    for (const name of list.split(',').filter((x) => x !== '')) {
      if (BITS[name] === undefined) error = `Unknown preserve flag '${name}' (cpu, cpu-ext, device)`;
      else bits |= BITS[name];
    }
  }
  return { args: out, bits, error };
}

/** The load flags with PRESERVE_CONTEXT replaced by the seed bits (unchanged when bits is null). */
export function applySeedPreserve(flags: number, bits: number | null): number {
  if (bits === null || (flags & KEXEC_PRESERVE_CONTEXT) === 0) return flags;
  return ((flags & ~KEXEC_PRESERVE_CONTEXT) | bits) >>> 0;
}
