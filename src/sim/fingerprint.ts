// A machine's fingerprint: a 64-bit digest of everything a snapshot holds (RAM, page metadata,
// CPU, devices and their media, halt state, boot mode) without building the snapshot. A rewind
// checkpoint keeps only this: replay must reach the same fingerprint. RAM is digested page by page
// and only pages written since the last fingerprint are read again, so a checkpoint costs about a
// millisecond where a full snapshot of 16 MiB (two copies and a byte-wise CRC) costs tens to
// hundreds, each kexec event, in the middle of a frame.
import type { Machine } from './machine.ts';

/** What the fingerprint reads: Machine satisfies it (the same parts saveSnapshot saves). */
export type FingerprintMachine = Pick<Machine, 'memory' | 'cpu' | 'devices' | 'halted' | 'bootMode'>;

/** Two independent 32-bit lanes over 32-bit words (multiplicative mixing, as in murmur/FNV). */
class Digest {
  private _a = 0x811c9dc5;
  private _b = 0x9747b28c;

  words(w: Int32Array | Uint32Array): this {
    let a = this._a;
    let b = this._b;
    for (let i = 0; i < w.length; i++) {
      const x = w[i];
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul((b + x) ^ (b >>> 15), 0x5bd1e995);
    }
    this._a = a ^ w.length;
    this._b = b;
    return this;
  }

  bytes(u: Uint8Array): this {
    const whole = u.length >>> 2;
    const aligned = u.byteOffset % 4 === 0 ? u : u.slice(); // a copy starts at offset 0
    this.words(new Int32Array(aligned.buffer, aligned.byteOffset, whole));
    let tail = 0;
    for (let i = whole * 4; i < u.length; i++) tail = (tail << 8) | u[i];
    return this.words(Int32Array.of(tail, u.length));
  }

  text(s: string): this {
    return this.bytes(new TextEncoder().encode(s));
  }

  hex(): string {
    return (this._a >>> 0).toString(16).padStart(8, '0') + (this._b >>> 0).toString(16).padStart(8, '0');
  }
}

type Memory = FingerprintMachine['memory'];

/** Per memory: each page's digest and the generation it was taken at. */
interface PageDigests {
  generation: Uint32Array;
  digest: Int32Array;
  /** Pages digested at least once (generation 0 is a real generation: a page never written). */
  known: Uint8Array;
}

const cache = new WeakMap<Memory, PageDigests>();
const PAGE_WORDS = 1024;

/**
 * One 32-bit digest per page, redone only for pages whose generation moved since the last call:
 * every write to a page bumps its generation (PhysicalMemory.generation), so an unchanged
 * generation means unchanged bytes. Between two kexec events most pages stay put.
 */
function pageDigests(mem: Memory): Int32Array {
  let c = cache.get(mem);
  if (!c) {
    c = { generation: new Uint32Array(mem.pageCount), digest: new Int32Array(mem.pageCount), known: new Uint8Array(mem.pageCount) };
    cache.set(mem, c);
  }
  const { generation, digest, known } = c;
  const words = mem.i32;
  for (let p = 0; p < mem.pageCount; p++) {
    const g = mem.generation[p];
    if (known[p] === 1 && generation[p] === g) continue;
    let h = 0x811c9dc5 ^ p;
    for (let i = p * PAGE_WORDS, end = i + PAGE_WORDS; i < end; i++) h = Math.imul(h ^ words[i], 0x01000193) ^ (h >>> 13);
    digest[p] = h;
    generation[p] = g;
    known[p] = 1;
  }
  return digest;
}

/** The machine's fingerprint (16 hex digits). Call between runs, as saveSnapshot. */
export function machineFingerprint(machine: FingerprintMachine): string {
  const mem = machine.memory;
  const devices = machine.devices.map((d) => [d.name, d.save(), d.medium ? d.medium.save() : null]);
  return new Digest()
    .words(pageDigests(mem))
    .bytes(mem.owner)
    .bytes(mem.role)
    .words(mem.generation)
    .text(JSON.stringify([machine.bootMode, machine.halted, machine.cpu.saveState(), devices]))
    .hex();
}
