// Solutions outside the page: the URL hash (#level=NAME&s=BASE64URL(JSON), or #levelData=...&s=...
// for a level opened from a file, custom-level.ts), downloaded and uploaded files, and what the page
// keeps in localStorage (drafts, campaign progress, settings; every key is spelled here). Decoding
// never throws: a bad hash or file comes back as an error message and the caller keeps what it had.

export interface SolutionJson {
  schema: 1;
  level: string;
  note?: string;
  /** Field id -> value: words, a number, text, script lines or segment rows. */
  values: Record<string, unknown>;
}

/** A solution that sets nothing: every field at the level's default. */
export function emptySolution(levelId: string): SolutionJson {
  return { schema: 1, level: levelId, values: {} };
}

/** UTF-8 JSON -> base64url (no padding), so it survives in a URL fragment. */
export function encodeSolution(solution: SolutionJson): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(solution)));
}

/** Bytes -> base64url without padding (URL-fragment safe). */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) -> bytes; throws on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export type Decoded = { ok: true; json: unknown } | { ok: false; error: string };

export function decodeSolution(text: string): Decoded {
  try {
    return parseJsonText(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(text)));
  } catch (e) {
    return { ok: false, error: `the shared solution is not readable (${(e as Error).message})` };
  }
}

export function parseJsonText(text: string): Decoded {
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
}

/**
 * The level name, a whole level carried in the link (levelData, custom-level.ts) and the encoded
 * solution of a location hash ("#level=01-first-jump&s=...", "#levelData=...&s=...").
 */
export function readHash(hash: string): { level: string | null; levelData: string | null; solution: string | null } {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  return { level: p.get('level'), levelData: p.get('levelData'), solution: p.get('s') };
}

/** A link to a campaign level by name, or to a level carried whole (`{ data }`, see encodeLevel). */
export function writeHash(level: string | { data: string }, solution: SolutionJson | null): string {
  const p = new URLSearchParams(typeof level === 'string' ? { level } : { levelData: level.data });
  if (solution) p.set('s', encodeSolution(solution));
  return '#' + p.toString();
}

/**
 * Every localStorage key the page uses, in one place (a draft's key is the level's storage key:
 * its id, or "custom:ID" for a level opened from outside).
 */
export const STORAGE_KEYS = {
  /** Written once at start-up to learn whether storage works at all. */
  probe: 'jumpback.probe',
  progress: 'jumpback.progress',
  /** The speed preset chosen (speed-presets.ts). */
  speed: 'jumpback.speed',
  /** The "open all levels" setting (level-select.ts). */
  openAll: 'jumpback.openAll',
  draft: (level: string): string => `jumpback.solution.${level}`,
  /** The draft an incoming solution or "Defaults" replaced (what Restore brings back). */
  previousDraft: (level: string): string => `jumpback.solution.${level}.previous`,
} as const;

/** localStorage, or a stand-in when storage is unavailable (private mode, file://). */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function browserStorage(): KeyValue {
  try {
    const s = window.localStorage;
    s.setItem(STORAGE_KEYS.probe, '1');
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
  }
}

export interface Best {
  cycles: number;
  pages: number;
  size: number;
}

/** Campaign progress: levels solved and the best value of each metric. */
export class Progress {
  private readonly _data: Record<string, Best>;

  constructor(private readonly _store: KeyValue) {
    let data: Record<string, Best> = {};
    try {
      const raw = JSON.parse(_store.getItem(STORAGE_KEYS.progress) ?? '{}') as unknown;
      if (raw && typeof raw === 'object') data = raw as Record<string, Best>;
    } catch {
      // A corrupt entry starts the campaign afresh rather than breaking the page.
    }
    this._data = data;
  }

  solved(level: string): Best | undefined {
    return this._data[level];
  }

  /** Records a passing run; keeps the best of each metric. */
  record(level: string, score: Best): void {
    const old = this._data[level];
    this._data[level] = old
      ? { cycles: Math.min(old.cycles, score.cycles), pages: Math.min(old.pages, score.pages), size: Math.min(old.size, score.size) }
      : { ...score };
    this._store.setItem(STORAGE_KEYS.progress, JSON.stringify(this._data));
  }

  count(): number {
    return Object.keys(this._data).length;
  }
}

/** The player's draft solution of a level (saved on every edit, valid or not). */
export function loadDraft(store: KeyValue, level: string): SolutionJson | null {
  try {
    const raw = store.getItem(STORAGE_KEYS.draft(level));
    if (!raw) return null;
    const json = JSON.parse(raw) as SolutionJson;
    return json && typeof json === 'object' && json.values && typeof json.values === 'object' ? json : null;
  } catch {
    return null;
  }
}

export function saveDraft(store: KeyValue, level: string, solution: SolutionJson): void {
  store.setItem(STORAGE_KEYS.draft(level), JSON.stringify(solution));
}

/** Keeps the saved draft of `level` as its previous one (for Restore); false when there was none. */
export function keepPreviousDraft(store: KeyValue, level: string): boolean {
  const previous = loadDraft(store, level);
  if (previous) store.setItem(STORAGE_KEYS.previousDraft(level), JSON.stringify(previous));
  return previous !== null;
}

/** The text of the draft keepPreviousDraft kept for `level`, or null. */
export function loadPreviousDraft(store: KeyValue, level: string): string | null {
  return store.getItem(STORAGE_KEYS.previousDraft(level));
}
