import { describe, expect, it } from 'vitest';
import { PageRole, PhysicalMemory, RAM_BASE } from '../../src/sim/memory.ts';
import { mapLayout } from '../../src/render/map-layout.ts';
import { CODE_HOT, CODE_NO_PAGE, pageCode } from '../../src/render/page-code.ts';
import { PageTracker } from '../../src/render/page-tracker.ts';

function spans(t: PageTracker): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < t.spanCount; i++) out.push([t.spans[2 * i], t.spans[2 * i + 1]]);
  return out;
}

describe('map layout', () => {
  it('uses power-of-two columns: 16 MiB is 64 x 64, 2 GiB is 1024 x 512, odd sizes round rows up', () => {
    expect(mapLayout(4096)).toMatchObject({ cols: 64, rows: 64, colShift: 6 });
    expect(mapLayout(524288)).toMatchObject({ cols: 1024, rows: 512 });
    expect(mapLayout(65536)).toMatchObject({ cols: 256, rows: 256 });
    expect(mapLayout(6144)).toMatchObject({ cols: 128, rows: 48 });
    expect(mapLayout(1)).toMatchObject({ cols: 1, rows: 1 });
  });
});

describe('page tracker', () => {
  it('starts with every page coded from owner and role, cells past the last page empty, all rows dirty', () => {
    const m = new PhysicalMemory(24 * 1024 * 1024); // 6144 pages: 128 x 48
    m.setPageInfo(5, 2, PageRole.Control);
    const t = new PageTracker(m, mapLayout(m.pageCount));
    expect(t.codes[5]).toBe(pageCode(2, PageRole.Control, false));
    expect(t.codes[6]).toBe(pageCode(0, PageRole.Free, false));
    expect(t.codes.length).toBe(128 * 48);
    expect(spans(t)).toEqual([[0, 48]]);
    const u = new PageTracker(new PhysicalMemory(3 * 1024 * 1024), mapLayout(768)); // 32 x 24, exact
    expect(u.codes.includes(CODE_NO_PAGE)).toBe(false);
  });

  it('marks only the rows of written pages dirty, and a written page hot until its heat runs out', () => {
    const m = new PhysicalMemory(16 * 1024 * 1024);
    const t = new PageTracker(m, mapLayout(m.pageCount), 3);
    expect(t.collect()).toBe(0);
    expect(t.spanCount).toBe(0);
    m.write32(RAM_BASE + 70 * 4096 + 8, 1); // row 1
    m.write8(RAM_BASE + 4000 * 4096, 1); // row 62
    expect(t.collect()).toBe(2);
    expect(spans(t)).toEqual([[1, 2], [62, 63]]);
    expect(t.codes[70] & CODE_HOT).toBe(CODE_HOT);
    t.collect();
    t.collect();
    expect(t.codes[70] & CODE_HOT).toBe(CODE_HOT);
    expect(t.collect()).toBe(2); // both cool down on the third frame after the write
    expect(t.codes[70]).toBe(pageCode(0, PageRole.Free, false));
    expect(spans(t)).toEqual([[1, 2], [62, 63]]);
    expect(t.collect()).toBe(0);
  });

  it('merges dirty rows separated by short clean gaps into one upload', () => {
    const m = new PhysicalMemory(16 * 1024 * 1024);
    const t = new PageTracker(m, mapLayout(m.pageCount));
    for (const row of [3, 5, 8, 20]) m.write8(RAM_BASE + row * 64 * 4096, 1);
    t.collect();
    expect(spans(t)).toEqual([[3, 9], [20, 21]]);
  });

  it('recodes a page whose owner or role changed', () => {
    const m = new PhysicalMemory(16 * 1024 * 1024);
    const t = new PageTracker(m, mapLayout(m.pageCount), 1);
    m.setPageInfo(100, 1, PageRole.Indirection);
    t.collect();
    expect(t.codes[100]).toBe(pageCode(1, PageRole.Indirection, true));
    t.collect();
    expect(t.codes[100]).toBe(pageCode(1, PageRole.Indirection, false));
  });

  it('recodes every page when every page changes each frame', () => {
    const m = new PhysicalMemory(64 * 1024 * 1024);
    const t = new PageTracker(m, mapLayout(m.pageCount), 0);
    for (let frame = 0; frame < 3; frame++) {
      for (let pfn = 0; pfn < m.pageCount; pfn++) m.setPageInfo(pfn, (frame & 3) + 1, (pfn + frame) % 10);
      expect(t.collect()).toBe(m.pageCount);
      expect(spans(t)).toEqual([[0, t.layout.rows]]);
    }
  });
});
