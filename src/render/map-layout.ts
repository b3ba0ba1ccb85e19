// Where each page sits on the memory map: a grid of cells, one per page frame, row-major from
// RAM_BASE, with a power-of-two column count so a row is a round span of physical memory.

export interface MapLayout {
  readonly pageCount: number;
  readonly cols: number;
  readonly rows: number;
  /** log2(cols): row = pfn >> colShift. */
  readonly colShift: number;
}

/** Columns = the power of two at or above sqrt(pages): 4096 pages -> 64 x 64, 512 Ki -> 1024 x 512. */
export function mapLayout(pageCount: number): MapLayout {
  if (!Number.isInteger(pageCount) || pageCount < 1) throw new RangeError(`bad page count ${pageCount}`);
  const colShift = Math.max(0, Math.ceil(Math.log2(Math.sqrt(pageCount))));
  const cols = 1 << colShift;
  return { pageCount, cols, rows: Math.ceil(pageCount / cols), colShift };
}
