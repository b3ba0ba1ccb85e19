// What the map adds during kexec: the page pair relocate.S is swapping, its image's swap page and
// control page pulse while it walks the entry list (found once per frame from the source pages'
// generations, never per instruction), and the destination range changing owner in one sweep
// after a jump or return. `focus` tells the map's labels which pages these are.
import { Graphics } from 'pixi.js';
import { walkEntries } from '../../kexec/kimage.ts';
import type { LevelWorld } from '../../level/world.ts';
import type { PhysicalMemory } from '../../sim/memory.ts';
import type { MapLayout } from '../map-layout.ts';
import { lookOf } from '../page-code.ts';

/** Frames the pair highlight lingers after relocate.S last touched it. */
const LINGER_FRAMES = 24;
/** Wall time of an owner sweep over a destination range. */
export const SWEEP_MS = 700;

/** Colours of the outlines (the map's labels use the same). */
export const FOCUS_COLOURS = { control: 0xff8ad8, swap: 0xffffff, source: 0x7fe3ff, dest: 0xffe066 } as const;

/** The pages of one image relocate.S works with: what the map labels. Page frame numbers, -1 if none. */
export interface SwapFocus {
  /** Kexec kernel whose image this is (the one that loaded it). */
  kernel: string;
  control: number;
  swap: number;
  /** The pair being swapped now (or the image's first pair when none is). */
  source: number;
  dest: number;
  /** True while relocate.S is swapping that pair (it lingers a few frames). */
  active: boolean;
}

interface ImagePages {
  kernel: string;
  control: number;
  swap: number;
  /** Index of the image's first pair in the pair list (-1: no pairs). */
  firstPair: number;
}

interface Sweep {
  /** Destination frames in address order, and the code each showed before the jump. */
  pfns: Int32Array;
  oldCodes: Uint8Array;
  start: number;
  /** How far the sweep is (0..1) when it follows a paced jump; null: SWEEP_MS of wall time. */
  progress: (() => number) | null;
}

export class SwapOverlay {
  readonly view = new Graphics();
  /** [dest pfn, source pfn] pairs of every loaded image. */
  private _pairs = new Int32Array(0);
  /** Index into `_images` of each pair's image. */
  private _pairImage = new Int32Array(0);
  private _images: ImagePages[] = [];
  private _swapPages = new Int32Array(0);
  private _seenSrc = new Uint32Array(0);
  private _seenSwap = new Uint32Array(0);
  private _active = -1;
  private _activeAge = LINGER_FRAMES;
  private _activeSwap = -1;
  private _sweep: Sweep | null = null;
  private _drawnIdle = false;
  private _memory: PhysicalMemory | null = null;
  /** Pairs swapped since the last refresh (tests read it). */
  swapsSeen = 0;

  constructor(private readonly _layout: MapLayout) {}

  /** Whether an owner sweep is still being drawn (tests wait for it to end). */
  get sweeping(): boolean {
    return this._sweep !== null;
  }

  /** Re-reads the entry lists of every kernel's image (after load, jump, return, unload). */
  refresh(world: LevelWorld): void {
    const mem = world.machine.memory;
    // Swaps since the last frame still count (a slice may swap and reload before any frame).
    if (this._memory === mem) this._scan(mem);
    this._memory = mem;
    const pairs: number[] = [];
    const owners: number[] = [];
    const swaps: number[] = [];
    const images: ImagePages[] = [];
    const pfn = (a: number): number => (a >= 0 && mem.contains(a, 1) ? mem.pfnOf(a) : -1);
    for (const k of world.kexec.kernels) {
      const img = k.image;
      if (!img) continue;
      if (img.swapPage >= 0 && mem.contains(img.swapPage, 1)) swaps.push(mem.pfnOf(img.swapPage));
      const at = images.length;
      const first = owners.length;
      walkEntries(mem, img.head, (d, s) => {
        if (mem.contains(d, 1) && mem.contains(s, 1)) {
          pairs.push(mem.pfnOf(d), mem.pfnOf(s));
          owners.push(at);
        }
      });
      images.push({ kernel: k.name, control: pfn(img.controlPage), swap: pfn(img.swapPage), firstPair: owners.length > first ? first : -1 });
    }
    // The pair lit now keeps its light if the new lists still hold it (its index may move).
    const was = this._active >= 0 && this._active < this._pairs.length >>> 1 ? [this._pairs[2 * this._active], this._pairs[2 * this._active + 1]] : null;
    this._pairs = Int32Array.from(pairs);
    this._active = -1;
    if (was) for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === was[0] && pairs[i + 1] === was[1]) this._active = i >>> 1;
    this._pairImage = Int32Array.from(owners);
    this._images = images;
    this._swapPages = Int32Array.from(swaps);
    this._seenSrc = new Uint32Array(pairs.length >>> 1);
    for (let i = 0; i < this._seenSrc.length; i++) this._seenSrc[i] = mem.generation[this._pairs[2 * i + 1]];
    this._seenSwap = Uint32Array.from(swaps, (p) => mem.generation[p]);
  }

  /**
   * Starts the owner sweep over the destination frames of `kernel`'s image. `codes` is what the
   * map shows now (the old owner): the sweep reveals the new owner cell by cell, over SWEEP_MS or
   * as `progress` (0..1) moves (a paced jump: the sweep keeps step with relocate.S).
   */
  sweep(world: LevelWorld, kernel: string, codes: Uint8Array, now: number, progress: (() => number) | null = null): void {
    const img = world.kexec.kernels.find((k) => k.name === kernel)?.image;
    if (!img) return;
    const mem = world.machine.memory;
    const dests: number[] = [];
    walkEntries(mem, img.head, (d) => {
      if (mem.contains(d, 1)) dests.push(mem.pfnOf(d));
    });
    if (dests.length === 0) return;
    dests.sort((a, b) => a - b);
    const pfns = Int32Array.from(dests);
    this._sweep = { pfns, oldCodes: Uint8Array.from(pfns, (p) => codes[p]), start: now, progress };
  }

  /**
   * The pages to label: the pair being swapped (and its image's control and swap page) while
   * relocate.S works, else `kernel`'s image with its first pair, else null.
   */
  focus(kernel?: string): SwapFocus | null {
    const a = this._active;
    const lingering = this._activeAge < LINGER_FRAMES;
    // The last pair swapped stays the focus of its kernel's jump (paused mid-jump, it keeps its labels).
    if (a >= 0 && a < this._pairImage.length && (lingering || this._images[this._pairImage[a]].kernel === kernel)) {
      const img = this._images[this._pairImage[a]];
      return { kernel: img.kernel, control: img.control, swap: img.swap, dest: this._pairs[2 * a], source: this._pairs[2 * a + 1], active: lingering };
    }
    const img = kernel === undefined ? undefined : this._images.find((i) => i.kernel === kernel);
    if (!img) return null;
    const p = img.firstPair;
    return { kernel: img.kernel, control: img.control, swap: img.swap, dest: p >= 0 ? this._pairs[2 * p] : -1, source: p >= 0 ? this._pairs[2 * p + 1] : -1, active: false };
  }

  clear(): void {
    this._pairs = new Int32Array(0);
    this._pairImage = new Int32Array(0);
    this._images = [];
    this._swapPages = new Int32Array(0);
    this._active = -1;
    this._activeAge = LINGER_FRAMES;
    this._sweep = null;
    this.swapsSeen = 0;
    this.view.clear();
  }

  /** Once per frame, after the machine ran: finds the pair being swapped and redraws. */
  update(now: number): void {
    const mem = this._memory;
    if (mem) this._scan(mem);
    const g = this.view;
    const sweep = this._sweep;
    const busy = this._activeAge < LINGER_FRAMES || sweep !== null;
    if (!busy) {
      if (!this._drawnIdle) g.clear();
      this._drawnIdle = true;
      return;
    }
    this._drawnIdle = false;
    g.clear();
    if (sweep) this._drawSweep(g, sweep, now);
    if (this._activeAge < LINGER_FRAMES && this._active >= 0) {
      const fade = 1 - this._activeAge / LINGER_FRAMES;
      const pulse = 0.55 + 0.45 * Math.sin(now / 70);
      const d = this._pairs[2 * this._active];
      const s = this._pairs[2 * this._active + 1];
      const img = this._images[this._pairImage[this._active]];
      const swapPage = img && img.swap >= 0 ? img.swap : this._activeSwap;
      const a = fade * pulse;
      if (swapPage >= 0) {
        this._link(g, d, swapPage, a * 0.6);
        this._link(g, swapPage, s, a * 0.6);
        this._cell(g, swapPage, FOCUS_COLOURS.swap, a);
      } else this._link(g, d, s, a * 0.6);
      if (img && img.control >= 0) this._cell(g, img.control, FOCUS_COLOURS.control, fade);
      this._cell(g, d, FOCUS_COLOURS.dest, a);
      this._cell(g, s, FOCUS_COLOURS.source, a);
    }
    this._activeAge++;
  }

  /** The pair whose source page was written since the last frame (the last one in list order). */
  private _scan(mem: PhysicalMemory): void {
    const gen = mem.generation;
    const pairs = this._pairs;
    const seen = this._seenSrc;
    for (let i = 0; i < seen.length; i++) {
      const g = gen[pairs[2 * i + 1]];
      if (g !== seen[i]) {
        seen[i] = g;
        this._active = i;
        this._activeAge = 0;
        this.swapsSeen++;
      }
    }
    for (let i = 0; i < this._seenSwap.length; i++) {
      const p = this._swapPages[i];
      if (gen[p] !== this._seenSwap[i]) {
        this._seenSwap[i] = gen[p];
        this._activeSwap = p;
      }
    }
  }

  private _xy(pfn: number): [number, number] {
    return [pfn & (this._layout.cols - 1), pfn >>> this._layout.colShift];
  }

  private _cell(g: Graphics, pfn: number, colour: number, alpha: number): void {
    const [x, y] = this._xy(pfn);
    g.rect(x - 0.15, y - 0.15, 1.3, 1.3).stroke({ color: colour, width: 0.3, alpha, alignment: 0.5 });
  }

  private _link(g: Graphics, a: number, b: number, alpha: number): void {
    const [ax, ay] = this._xy(a);
    const [bx, by] = this._xy(b);
    g.moveTo(ax + 0.5, ay + 0.5).lineTo(bx + 0.5, by + 0.5).stroke({ color: 0xffffff, width: 0.12, alpha });
  }

  /** Cells not reached yet keep their old colour; a bright front marks where the sweep is. */
  private _drawSweep(g: Graphics, s: Sweep, now: number): void {
    const t = s.progress ? s.progress() : (now - s.start) / SWEEP_MS;
    if (t >= 1) {
      this._sweep = null;
      return;
    }
    const n = s.pfns.length;
    const reached = Math.floor(t * n);
    const cols = this._layout.cols;
    // Runs of consecutive cells in one row with the same old code become one rectangle.
    let i = reached;
    while (i < n) {
      const start = s.pfns[i];
      const code = s.oldCodes[i];
      let j = i + 1;
      while (j < n && s.pfns[j] === s.pfns[j - 1] + 1 && s.oldCodes[j] === code && (s.pfns[j] & (cols - 1)) !== 0) j++;
      const [x, y] = this._xy(start);
      g.rect(x, y, j - i, 1).fill({ color: lookOf(code).base, alpha: 1 });
      i = j;
    }
    const front = s.pfns[Math.min(n - 1, reached)];
    const [fx, fy] = this._xy(front);
    g.rect(fx, fy, 1, 1).fill({ color: 0xffffff, alpha: 0.85 });
  }
}
