// The invariant checker: kexec-linux.md §7's invariants (3, 4, 8, 9, 10) and kexec-contract.md §4's
// saved state, checked on the live machine so that an injected fault (faults.ts) or any other
// corruption shows up as violations with frame numbers. Opt-in: it hashes every frame of a
// jumping kernel, which costs a pass over its memory per jump. Only tests attach it today; it stays
// in src because it checks the product's own machine (a level or `jumpback run` could attach it
// to explain a fault) and depends on nothing under test/.
import type { Hart } from '../sim/hart.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../sim/memory.ts';
import { CP_SAVED_SP, IND_DESTINATION, IND_DONE, IND_INDIRECTION, IND_SOURCE, preservationOf } from './abi.ts';
import type { Kexec, KexecMonitor } from './extension.ts';
import { walkEntries } from './kimage.ts';
import type { KexecKernel } from './kernel.ts';

export interface Violation {
  /**
   * kexec-linux.md §7 number, 'cpu-state' (a CSR not restored), 'control-data' (kexec-contract.md §4) or
   * 'control-code' (the control page does not hold the relocate code, F7).
   */
  invariant: number | 'cpu-state' | 'control-data' | 'control-code';
  kernel: string;
  /** Frame number (pfn, from RAM_BASE) where it shows, when there is one. */
  frame?: number;
  detail: string;
}

/** relocate.S pushes this many bytes below the jumper's sp. */
const FRAME = 128;
const CSRS: ReadonlyArray<[string, number]> = [['satp', 0x180], ['stvec', 0x105], ['sscratch', 0x140], ['sie', 0x104]];
const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** What a kernel's memory and CPU looked like at its last jump. */
interface JumpRecord {
  sp: number;
  start: number;
  /** pfn -> hash of every usable frame outside K(k). */
  frames: Map<number, number>;
  csrs: number[];
  /**
   * Source pfn -> [hash it must hold after the return swap, destination pa, offset of the
   * jumper's register frame in that page (0: none)].
   */
  sources: Map<number, [number, number, number]>;
}

/** Hashes one frame (FNV-1a over words), skipping the words of [holeLo, holeHi). */
export function hashFrame(mem: PhysicalMemory, pfn: number, holeLo = 0, holeHi = 0): number {
  const w0 = pfn << 10;
  const base = mem.addressOf(pfn);
  let h = 0x811c9dc5;
  const i32 = mem.i32;
  for (let i = 0; i < 1024; i++) {
    const pa = base + 4 * i;
    if (pa >= holeLo && pa < holeHi) continue;
    h = Math.imul(h ^ i32[w0 + i], 16777619);
  }
  return h >>> 0;
}

/** Attaches to a Kexec (as its monitor) and records each jump; `check()` reports what broke. */
export class InvariantMonitor implements KexecMonitor {
  readonly violations: Violation[] = [];
  private readonly _records = new Map<KexecKernel, JumpRecord>();

  constructor(readonly kexec: Kexec) {
    kexec.monitor = this;
  }

  beforeJump(k: KexecKernel, hart: Hart, target: KexecKernel | null): void {
    const mem = this.kexec.mem;
    const img = k.image!;
    const sp = hart.x[2] >>> 0;
    const held = new Set(img.heldFrames());
    const frames = new Map<number, number>();
    for (let pfn = 0; pfn < mem.pageCount; pfn++) {
      if (k.memory.usable[pfn] && !held.has(pfn)) frames.set(pfn, hashFrame(mem, pfn, sp - FRAME, sp));
    }
    const prev = this._records.get(k);
    this._records.set(k, { sp, start: img.start, frames, csrs: CSRS.map(([, n]) => hart.readCsr(n) >>> 0), sources: prev?.sources ?? new Map() });
    // Invariant 9 for the kernel this jump resumes: after its return swap, each of its source
    // pages holds what its destination holds once this jump's own swap is done.
    if (!target?.image || !preservationOf(target.image.flags).cpu) return;
    const now = new Map<number, number>();
    const get = (pfn: number): number => now.get(pfn) ?? hashFrame(mem, pfn);
    if (preservationOf(img.flags).cpu) {
      walkEntries(mem, img.head, (d, s) => {
        const [dp, spf] = [mem.pfnOf(d), mem.pfnOf(s)];
        const [hd, hs] = [get(dp), get(spf)];
        now.set(dp, hs);
        now.set(spf, hd);
      });
    }
    // Skipped: the jumper's own kexec frames (its relocate.S writes its data area and swap page
    // after this point); the register frame it pushes below sp is left out of both hashes.
    const sources = new Map<number, [number, number, number]>();
    walkEntries(mem, target.image.head, (d, s) => {
      if (s === d || held.has(mem.pfnOf(d))) return;
      const hole = sp - FRAME < d + PAGE_SIZE && sp > d ? sp - FRAME - d : 0;
      sources.set(mem.pfnOf(s), [hole ? hashFrame(mem, mem.pfnOf(d), sp - FRAME, sp) : get(mem.pfnOf(d)), d, hole]);
    });
    const rec = this._records.get(target);
    if (rec) rec.sources = sources;
  }

  afterReturn(k: KexecKernel, hart: Hart, peer: KexecKernel | null): void {
    const rec = this._records.get(k);
    const img = k.image;
    if (!rec || !img) return;
    const mem = this.kexec.mem;
    const v = (invariant: Violation['invariant'], detail: string, frame?: number): void => {
      this.violations.push({ invariant, kernel: k.name, frame, detail });
    };
    // 8: every frame outside K(k) is as it was at the jump.
    const held = new Set(img.heldFrames());
    for (const [pfn, h] of rec.frames) {
      if (held.has(pfn)) continue;
      if (hashFrame(mem, pfn, rec.sp - FRAME, rec.sp) !== h) v(8, `frame ${pfn} changed across the round trip`, pfn);
    }
    // 9: the source pages now hold the peer's memory as it left it.
    for (const [spf, [h, d, hole]] of rec.sources) {
      const pa = mem.addressOf(spf);
      if (hashFrame(mem, spf, hole ? pa + hole : 0, hole ? pa + hole + FRAME : 0) !== h) v(9, `source frame ${spf} does not hold the peer's page for ${hex(d)}`, spf);
    }
    rec.sources = new Map();
    // 10: image->start is the peer's re-entry, or (plain return) the next-time slot's target.
    const want = peer ? this.kexec.reentryOf(peer) : rec.start;
    if (img.start !== want) v(10, `image->start ${hex(img.start)}, expected ${hex(want)} (${peer ? `${peer.name}'s re-entry` : 'the next-time slot'})`);
    // The supervisor CSRs relocate.S must restore (kexec-contract.md §4).
    CSRS.forEach(([name, n], i) => {
      const now = hart.readCsr(n) >>> 0;
      if (now !== rec.csrs[i]) v('cpu-state', `${name} is ${hex(now)} after the return, was ${hex(rec.csrs[i])}`);
    });
  }

  /** Violations so far plus the ones visible now (see {@link checkInvariants}). */
  check(): Violation[] {
    const out = [...this.violations];
    const mem = this.kexec.mem;
    for (const k of this.kexec.suspendedKernels()) {
      const rec = this._records.get(k);
      const img = k.image;
      if (!rec || !img || swappedOut(this.kexec, k)) continue;
      // The saved state of a suspended kernel is in its data area (kexec-contract.md §4).
      const saved = mem.read32(img.controlPage + CP_SAVED_SP);
      if (saved !== ((rec.sp - FRAME) >>> 0)) {
        out.push({ invariant: 'control-data', kernel: k.name, frame: mem.pfnOf(img.controlPage), detail: `saved sp ${hex(saved)}, expected ${hex(rec.sp - FRAME)}` });
      }
      // 8, while suspended: nobody may touch its frames outside K(k) that no image swaps.
      const held = new Set(img.heldFrames());
      const swapped = (pa: number): boolean => this.kexec.kernels.some((o) => o.image?.isDestination(pa) ?? false);
      for (const [pfn, h] of rec.frames) {
        if (held.has(pfn) || swapped(mem.addressOf(pfn))) continue;
        if (hashFrame(mem, pfn, rec.sp - FRAME, rec.sp) !== h) {
          out.push({ invariant: 8, kernel: k.name, frame: pfn, detail: `frame ${pfn} changed while ${k.name} is suspended` });
        }
      }
    }
    return out.concat(staticViolations(this.kexec));
  }
}

/**
 * Every violated invariant visible now: the monitor's findings (when `kexec.monitor` is an
 * InvariantMonitor) and the shape and placement of every loaded image (invariants 3, 4).
 */
export function checkInvariants(kexec: Kexec): Violation[] {
  return kexec.monitor instanceof InvariantMonitor ? kexec.monitor.check() : staticViolations(kexec);
}

/** Invariants 3 (list shape) and 4 (placement) for every kernel's image. */
function staticViolations(kexec: Kexec): Violation[] {
  const out: Violation[] = [];
  const mem = kexec.mem;
  for (const k of kexec.kernels) {
    const img = k.image;
    if (!img || swappedOut(kexec, k)) continue;
    const v = (invariant: Violation['invariant'], detail: string, frame?: number): void => {
      out.push({ invariant, kernel: k.name, frame, detail });
    };
    // The control page starts with the relocate code, byte for byte (kexec-contract.md §4).
    const code = kexec.options.relocate.bytes;
    const at = img.controlPage - (mem.addressOf(0) >>> 0);
    for (let i = 0; i < code.length; i++) {
      if (mem.u8[at + i] === code[i]) continue;
      v('control-code', `the relocate code differs from byte 0x${i.toString(16)} on`, mem.pfnOf(img.controlPage));
      break;
    }
    if (img.head !== 0 && (img.head & 0xf) !== IND_INDIRECTION) v(3, `head ${hex(img.head)} is not an indirection entry`);
    // Walk by hand: entries per indirection page and the terminator.
    let ptr = 0;
    let e = img.head >>> 0;
    let perPage = 0;
    let page = -1;
    let sources = 0;
    let done = false;
    for (let n = 0; n < 1 << 20 && e !== 0; n++) {
      if (e & IND_INDIRECTION) {
        ptr = (e & ~0xfff) >>> 0;
        page = mem.pfnOf(ptr);
        perPage = 0;
      } else if (e & IND_DONE) {
        done = true;
        break;
      } else {
        if (e & IND_SOURCE) sources++;
        if (e & (IND_SOURCE | IND_DESTINATION) && ++perPage > 1023) v(3, `indirection frame ${page} holds more than 1023 entries`, page);
      }
      if (!mem.contains(ptr, 4)) break;
      e = mem.read32(ptr);
      ptr += 4;
    }
    if (img.head !== 0 && !done) v(3, 'the entry list does not end with IND_DONE');
    const want = img.segments.reduce((n, s) => n + s.memsz / PAGE_SIZE, 0);
    if (sources !== want) v(3, `${sources} SOURCE entries, Σ memsz/4096 = ${want}`);
    walkEntries(mem, img.head, (d, s) => {
      if (s !== d && img.isDestination(s)) v(4, `source frame ${mem.pfnOf(s)} of ${hex(d)} is another page's destination`, mem.pfnOf(s));
    });
    const fixed: Array<[string, number]> = [['control', img.controlPage], ['swap', img.swapPage], ...img.indirectionPages.map((p): [string, number] => ['indirection', mem.addressOf(p)])];
    for (const [role, pa] of fixed) if (pa >= 0 && img.isDestination(pa)) v(4, `${role} frame ${mem.pfnOf(pa)} lies in a destination`, mem.pfnOf(pa));
  }
  return out;
}

/**
 * Whether k's kexec frames lie in another kernel's destinations: then, depending on who runs,
 * they hold that kernel's data and k's true contents sit in a source page, so they are not
 * checked in place (kernels nested inside a peer's region are checked when they resume).
 */
function swappedOut(kexec: Kexec, k: KexecKernel): boolean {
  const img = k.image;
  if (!img) return false;
  return kexec.kernels.some((o) => o !== k && o.image !== null && o.image.isDestination(img.controlPage));
}
