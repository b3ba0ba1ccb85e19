// A readable one-line-per-event trace of a Kexec (what `jumpback run --trace kexec` prints): loads
// with the image's pages, kernel_kexec's steps and device actions, each jump with the page pairs
// relocate.S swaps (read from the real entry list), returns, refusals. Browser-safe, no node:.
import { PAGE_SIZE } from '../sim/memory.ts';
import {
  ERRNO_NAMES, KEXEC_ARCH_MASK, KEXEC_ON_CRASH, KEXEC_PRESERVE_CONTEXT, KEXEC_PRESERVE_CPU,
  KEXEC_PRESERVE_CPU_EXT, KEXEC_PRESERVE_DEVICE,
} from './abi.ts';
import type { KexecEvent } from './events.ts';
import type { Kexec } from './extension.ts';
import { walkEntries, type Kimage } from './kimage.ts';

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const errnoText = (errno: number): string => `-${ERRNO_NAMES[errno] ?? `errno ${errno}`} (${-errno})`;
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

const FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [KEXEC_ON_CRASH, 'on-crash'], [KEXEC_PRESERVE_CONTEXT, 'preserve-context'], [KEXEC_PRESERVE_CPU, 'preserve-cpu'],
  [KEXEC_PRESERVE_CPU_EXT, 'preserve-cpu-ext'], [KEXEC_PRESERVE_DEVICE, 'preserve-device'],
];

/** kexec_load flags as `0x2 preserve-context` (arch field and unknown bits shown as numbers). */
export function flagsText(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
  const arch = (flags & KEXEC_ARCH_MASK) >>> 16;
  if (arch !== 0) names.push(`arch 0x${arch.toString(16)}`);
  return [`0x${(flags >>> 0).toString(16)}`, ...names].join(' ');
}

/** A run of consecutive destination pages and the consecutive source pages they swap with. */
export interface SwapRun {
  dest: number;
  src: number;
  pages: number;
}

/** The (destination, source) pairs of an image's entry list as it is in memory, coalesced into runs. */
export function swapRuns(img: Kimage): SwapRun[] {
  const runs: SwapRun[] = [];
  walkEntries(img.mem, img.head, (dest, src) => {
    const last = runs[runs.length - 1];
    if (last && last.dest + last.pages * PAGE_SIZE === dest && last.src + last.pages * PAGE_SIZE === src) last.pages++;
    else runs.push({ dest, src, pages: 1 });
  });
  return runs;
}

/** The destination ranges of an image's segments (memsz > 0), adjacent ones merged: `0x..-0x..`. */
function imageRanges(img: Kimage): string {
  const ranges: Array<[number, number]> = [];
  for (const s of [...img.segments].filter((s) => s.memsz > 0).sort((a, b) => a.mem - b.mem)) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === s.mem) last[1] = s.mem + s.memsz;
    else ranges.push([s.mem, s.mem + s.memsz]);
  }
  return ranges.length === 0 ? 'no destination pages' : `image ${ranges.map(([a, b]) => `${hex(a)}..${hex(b)}`).join(' ')}`;
}

/**
 * Writes one line per event of `kexec` through `write` (no newline) until the returned function
 * is called. At each machine_kexec step it reads the jumping kernel's entry list (still intact in
 * memory) so the jump line can say which pages relocate.S swaps or copies and through which page.
 */
export function traceKexec(kexec: Kexec, write: (line: string) => void): () => void {
  let runs: SwapRun[] = [];
  let via = '';
  const out = (text: string): void => write(`kexec: ${text}`);
  const onEvent = (e: KexecEvent): void => {
    switch (e.type) {
      case 'kernel':
        return out(`kernel ${e.kernel} (id ${e.id}): ${plural(e.usablePages, 'usable page')}, ${e.inUsePages} in use`);
      case 'load': {
        const head = `${e.kernel} load ${plural(e.segments, 'segment')}, flags ${flagsText(e.flags)}, entry ${hex(e.entry)}`;
        if (e.errno !== 0) return out(`${head}: ${errnoText(e.errno)}, previous image unchanged`);
        const img = kexec.kernels.find((k) => k.name === e.kernel)?.image;
        if (!img) return out(`${head}: ok`);
        return out(`${head} -> ${imageRanges(img)}; ${plural(e.frames, 'frame')} held ` +
          `(control page ${hex(img.controlPage)}, swap page ${hex(img.swapPage)})`);
      }
      case 'unload':
        return out(`${e.kernel} unload${e.errno === 0 ? '' : `: ${errnoText(e.errno)}`}`);
      case 'reserve':
        return out(`${e.kernel} reserve ${hex(e.address)}..${hex(e.address + e.size)}${e.errno === 0 ? '' : `: ${errnoText(e.errno)}`}`);
      case 'step': {
        if (e.step === 'machine_kexec') {
          // The jumper's image, read now: after the jump its pages are someone else's.
          const img = kexec.current?.image;
          runs = img ? swapRuns(img) : [];
          via = img ? `swap page ${hex(img.swapPage)}, control page ${hex(img.controlPage)}` : '';
        }
        return out(`${e.kernel} step ${e.step}${e.errno === 0 ? '' : ` failed: ${errnoText(e.errno)}`}`);
      }
      case 'device':
        return out(`${e.kernel} device ${e.device}: ${e.action}`);
      case 'jump': {
        const pairs = e.pairs;
        const what = e.kind === 'reboot'
          ? `copy ${plural(pairs, 'page')} (${e.from} is gone)`
          : `swap ${plural(pairs, 'pair')} via ${via}`;
        // A CALL enters code, not a kernel: the caller stays current (kexec-contract.md §7.4).
        const to = e.kind === 'call' ? 'code' : e.to;
        out(`${e.from} ${e.kind} -> ${to} at ${hex(e.target)} (jump ${e.jump}): ${what}`);
        for (const r of runs) {
          const span = (a: number): string => `${hex(a)}..${hex(a + r.pages * PAGE_SIZE)}`;
          out(`  ${e.kind === 'reboot' ? 'copy' : 'swap'} ${span(r.dest)} ${e.kind === 'reboot' ? '<-' : '<->'} ${span(r.src)} (${plural(r.pages, 'page')})`);
        }
        runs = [];
        return;
      }
      case 'return': {
        const img = kexec.kernels.find((k) => k.name === e.kernel)?.image;
        const back = img ? `, swapped back ${plural(swapRuns(img).reduce((n, r) => n + r.pages, 0), 'pair')}` : '';
        // `from` is the last kernel to jump: the kernel itself after a CALL or a callee's plain `ret`.
        const how = e.from === e.kernel ? 'by a plain return' : `from ${e.from}`;
        return out(`${e.kernel} back ${how} (jump ${e.jump}): value ${e.value | 0} (${hex(e.value)}), next entry ${hex(e.start)}${back}`);
      }
      case 'lost':
        return out(`kernel ${e.kernel} lost: its memory lived only in the image ${e.by} freed`);
      case 'refused':
        return out(`${e.kernel} ${e.fn} refused: ${errnoText(e.errno)} (${e.reason})`);
    }
  };
  return kexec.events.listen(onEvent);
}
