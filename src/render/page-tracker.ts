// Finds the pages that changed since the last frame (their generation moved) and turns them into
// page codes plus the row spans of the map texture that need uploading. Plain typed-array code:
// it runs every frame over every page, so it allocates nothing.
import { CODE_NO_PAGE, pageCode } from './page-code.ts';
import type { MapLayout } from './map-layout.ts';

/** What the map reads of memory: the per-page metadata arrays of `PhysicalMemory`. */
export interface PageSource {
  readonly pageCount: number;
  readonly owner: Uint8Array;
  readonly role: Uint8Array;
  readonly generation: Uint32Array;
}

/** Clean rows between two dirty spans below which the spans are uploaded as one. */
const MERGE_GAP_ROWS = 2;

export class PageTracker {
  readonly layout: MapLayout;
  /** One code per cell (cols x rows): exactly the bytes of the map texture. */
  readonly codes: Uint8Array;
  /** Frames a written page stays hot (flashes) after its last write. */
  hotFrames: number;
  /** Dirty row spans after {@link collect}: [start0, end0, start1, end1, ...], end exclusive. */
  readonly spans: Int32Array;
  spanCount = 0;
  /** Pages whose code changed in the last {@link collect}. */
  changed = 0;

  private _source: PageSource;
  private readonly _seen: Uint32Array;
  /** Frame number until which a page is hot; 0 = cold. */
  private readonly _hotUntil: Uint32Array;
  private readonly _rowDirty: Uint8Array;
  private _frame = 1;

  constructor(source: PageSource, layout: MapLayout, hotFrames = 12) {
    if (layout.pageCount !== source.pageCount) throw new RangeError('layout does not match memory');
    this._source = source;
    this.layout = layout;
    this.hotFrames = hotFrames;
    this.codes = new Uint8Array(layout.cols * layout.rows).fill(CODE_NO_PAGE);
    this._seen = new Uint32Array(source.pageCount);
    this._hotUntil = new Uint32Array(source.pageCount);
    this._rowDirty = new Uint8Array(layout.rows);
    this.spans = new Int32Array(2 * layout.rows);
    this.resync();
  }

  /** Follows another memory of the same page count (a level restarted or rewound): full resync. */
  setSource(source: PageSource): void {
    if (source.pageCount !== this.layout.pageCount) throw new RangeError('layout does not match memory');
    this._source = source;
    this.resync();
  }

  /** Recomputes every code from scratch (no page hot) and marks the whole map dirty. */
  resync(): void {
    const { owner, role, generation, pageCount } = this._source;
    for (let pfn = 0; pfn < pageCount; pfn++) {
      this._seen[pfn] = generation[pfn];
      this._hotUntil[pfn] = 0;
      this.codes[pfn] = pageCode(owner[pfn], role[pfn], false);
    }
    this._rowDirty.fill(1);
    this._collectSpans();
    this.changed = pageCount;
  }

  /**
   * Advances one frame: pages whose generation moved get their new code and turn hot; pages whose
   * heat ran out turn cold. Returns the number of pages whose code changed.
   */
  collect(): number {
    const frame = ++this._frame;
    const { owner, role, generation, pageCount } = this._source;
    const seen = this._seen;
    const hotUntil = this._hotUntil;
    const codes = this.codes;
    const rowDirty = this._rowDirty;
    const shift = this.layout.colShift;
    const heat = frame + this.hotFrames;
    let changed = 0;
    for (let pfn = 0; pfn < pageCount; pfn++) {
      const g = generation[pfn];
      let code: number;
      if (g !== seen[pfn]) {
        seen[pfn] = g;
        hotUntil[pfn] = heat;
        code = pageCode(owner[pfn], role[pfn], true);
      } else if (hotUntil[pfn] !== 0 && hotUntil[pfn] <= frame) {
        hotUntil[pfn] = 0;
        code = pageCode(owner[pfn], role[pfn], false);
      } else {
        continue;
      }
      if (codes[pfn] !== code) {
        codes[pfn] = code;
        rowDirty[pfn >>> shift] = 1;
        changed++;
      }
    }
    this.changed = changed;
    this._collectSpans();
    return changed;
  }

  /** Turns the dirty-row flags into merged spans and clears them. */
  private _collectSpans(): void {
    const rowDirty = this._rowDirty;
    const spans = this.spans;
    let count = 0;
    let row = 0;
    const rows = rowDirty.length;
    while (row < rows) {
      if (rowDirty[row] === 0) {
        row++;
        continue;
      }
      const start = row;
      let end = row + 1;
      let probe = end;
      // Extend over dirty rows, and over short clean gaps followed by more dirty rows.
      while (probe < rows && probe - end <= MERGE_GAP_ROWS) {
        if (rowDirty[probe] !== 0) end = probe + 1;
        probe++;
      }
      rowDirty.fill(0, start, end);
      spans[count++] = start;
      spans[count++] = end;
      row = end;
    }
    this.spanCount = count >>> 1;
  }
}
