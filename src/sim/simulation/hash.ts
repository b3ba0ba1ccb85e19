// The event-log hash: 64-bit FNV-1a over a canonical serialization of the events (sorted keys,
// UTF-8), in pure JS so node and the browser compute the same hex string. Events a world's merge
// rule joins (the level's console text of one OS) are merged first, so the hash does not depend on
// how runs were sliced.

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

/**
 * Which events are held back and joined before hashing: a held event takes in the events that
 * `merge` joins to it and is folded in at the first one it does not join (or read by hex()).
 */
export interface MergeRule<E> {
  holds(e: E): boolean;
  /** `held` and `next` as one event, or null when they stay two. */
  merge(held: E, next: E): E | null;
}

/** Folds events into the hash as they come; an event the rule holds waits for the next one. */
export class EventLogHasher<E> {
  private readonly _fnv = new Fnv64();
  private _held: E | null = null;
  private _count = 0;

  constructor(private readonly _rule?: MergeRule<E>) {}

  add(e: E): void {
    if (this._held !== null) {
      const merged = this._rule!.merge(this._held, e);
      if (merged !== null) {
        this._held = merged;
        return;
      }
      this._flush();
    }
    if (this._rule?.holds(e)) this._held = e;
    else this._put(e);
  }

  /**
   * The hash of everything added so far (a held event included). Reading it changes nothing: an
   * event held here may go on growing (the browser shows the hash live).
   */
  hex(): string {
    if (this._held === null) return this._fnv.hex();
    return this._fnv.clone().update(canonicalJson(this._held)).update('\n').hex();
  }

  /** Events folded in (merged ones count once). */
  get count(): number {
    return this._count;
  }

  private _flush(): void {
    const held = this._held;
    this._held = null;
    if (held !== null) this._put(held);
  }

  private _put(e: E): void {
    this._fnv.update(canonicalJson(e)).update('\n');
    this._count++;
  }
}

/** The hash of a whole log. */
export function hashEvents<E>(events: Iterable<E>, rule?: MergeRule<E>): string {
  const h = new EventLogHasher(rule);
  for (const e of events) h.add(e);
  return h.hex();
}
