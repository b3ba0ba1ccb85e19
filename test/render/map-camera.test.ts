import { describe, expect, it } from 'vitest';
import { MapCamera } from '../../src/render/map-camera.ts';
import { mapLayout } from '../../src/render/map-layout.ts';

describe('map camera', () => {
  it('fits the whole map centred with whole-pixel cells and finds pages back from pixels', () => {
    const cam = new MapCamera(mapLayout(4096));
    cam.fit(700, 600);
    expect(cam.scale).toBe(9); // (600 - 24) / 64
    expect(cam.x).toBe((700 - 64 * 9) / 2);
    for (const pfn of [0, 63, 64, 1000, 4095]) {
      const c = cam.cellCentre(pfn);
      expect(cam.pageAt(c.x, c.y)).toBe(pfn);
    }
    expect(cam.pageAt(cam.x - 1, cam.y)).toBe(-1);
  });

  it('zooms about the pointer: the page under it stays under it', () => {
    const cam = new MapCamera(mapLayout(65536));
    cam.fit(800, 700);
    const c = cam.cellCentre(12345);
    cam.zoomAt(c.x, c.y, 7.5);
    expect(cam.pageAt(c.x, c.y)).toBe(12345);
    expect(cam.cellCentre(12345).x).toBeCloseTo(c.x, 6);
    cam.panBy(-cam.scale, 0);
    expect(cam.pageAt(c.x, c.y)).toBe(12346);
  });

  it('reports no page past the last one when rows are not full', () => {
    const cam = new MapCamera(mapLayout(100)); // 16 x 7, last row has 4 pages
    cam.fit(200, 200);
    const c = cam.cellCentre(99);
    expect(cam.pageAt(c.x, c.y)).toBe(99);
    expect(cam.pageAt(c.x + cam.scale, c.y)).toBe(-1);
  });
});
