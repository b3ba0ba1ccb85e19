// The event-log hash: 64-bit FNV-1a over a canonical serialization of the events (sorted keys,
// UTF-8), in pure JS so node and the browser compute the same hex string. Console events of one OS
// that follow each other are merged first, so the hash does not depend on how runs were sliced.
import type { SimEvent } from './events.ts';

/** JSON with object keys sorted at every level: one spelling per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

/** Incremental FNV-1a 64 (offset 0xcbf29ce484222325, prime 2^40 + 0x1b3) on two 32-bit halves. */
export class Fnv64 {
  private _hi = 0xcbf29ce4;
  private _lo = 0x84222325;
  private readonly _enc = new TextEncoder();

  update(text: string): this {
    // ASCII text is its own UTF-8: hash the char codes without encoding (same bytes, no copy).
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    return ascii ? this._bytes(text, null) : this._bytes(null, this._enc.encode(text));
  }

  private _bytes(text: string | null, bytes: Uint8Array | null): this {
    const length = text !== null ? text.length : bytes!.length;
    let hi = this._hi;
    let lo = this._lo;
    for (let i = 0; i < length; i++) {
      lo = (lo ^ (text !== null ? text.charCodeAt(i) : bytes![i])) >>> 0;
      // (hi:lo) * (2^40 + 0x1b3) mod 2^64; lo * 0x1b3 < 2^41 is exact in a double.
      const t = lo * 0x1b3;
      const carry = Math.floor(t / 0x1_0000_0000);
      hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
      lo = t >>> 0;
    }
    this._hi = hi;
    this._lo = lo;
    return this;
  }

  /** An independent copy of the state so far. */
  clone(): Fnv64 {
    const c = new Fnv64();
    c._hi = this._hi;
    c._lo = this._lo;
    return c;
  }

  hex(): string {
    return this._hi.toString(16).padStart(8, '0') + this._lo.toString(16).padStart(8, '0');
  }
}

/** Folds events into the hash as they come; console text is held until the next other event. */
export class EventLogHasher {
  private readonly _fnv = new Fnv64();
  private _console: { os: string; at: number; text: string } | null = null;
  private _count = 0;

  add(e: SimEvent): void {
    if (e.type === 'console') {
      if (this._console && this._console.os === e.os) this._console.text += e.text;
      else {
        this._flush();
        this._console = { os: e.os, at: e.at, text: e.text };
      }
      return;
    }
    this._flush();
    this._put(e);
  }

  /**
   * The hash of everything added so far (pending console text included). Reading it changes
   * nothing: a console run still pending here may go on growing (the browser shows the hash live).
   */
  hex(): string {
    const c = this._console;
    if (!c) return this._fnv.hex();
    return this._fnv.clone().update(canonicalJson({ type: 'console', at: c.at, os: c.os, text: c.text })).update('\n').hex();
  }

  /** Events folded in (merged console runs count once). */
  get count(): number {
    return this._count;
  }

  private _flush(): void {
    if (!this._console) return;
    const c = this._console;
    this._console = null;
    this._put({ type: 'console', at: c.at, os: c.os, text: c.text });
  }

  private _put(e: SimEvent): void {
    this._fnv.update(canonicalJson(e)).update('\n');
    this._count++;
  }
}

/** The hash of a whole log. */
export function hashEvents(events: Iterable<SimEvent>): string {
  const h = new EventLogHasher();
  for (const e of events) h.add(e);
  return h.hex();
}
