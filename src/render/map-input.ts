// Mouse input on the memory map canvas: wheel zooms about the pointer, drag pans, hover reports
// the page under the pointer, a click (press and release without dragging) selects it.
import type { MemoryMap } from './memory-map.ts';

export interface MapInputHandlers {
  hover(pfn: number, clientX: number, clientY: number): void;
  select(pfn: number): void;
  /** The user zoomed or panned. */
  moved(): void;
}

const CLICK_SLOP_PX = 4;

/** Wires the canvas to the map; returns a function that removes the listeners. */
export function attachMapInput(canvas: HTMLCanvasElement, map: MemoryMap, on: MapInputHandlers): () => void {
  let dragging = false;
  let moved = 0;
  let lastX = 0;
  let lastY = 0;

  const local = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const wheel = (e: WheelEvent) => {
    e.preventDefault();
    const p = local(e);
    // Trackpads send many small deltas, wheels a few large ones: scale by the delta itself.
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    map.camera.zoomAt(p.x, p.y, Math.exp(-delta * 0.0015));
    map.applyCamera();
    on.moved();
    on.hover(map.camera.pageAt(p.x, p.y), e.clientX, e.clientY);
  };

  const down = (e: PointerEvent) => {
    if (e.button !== 0) return;
    dragging = true;
    moved = 0;
    lastX = e.clientX;
    lastY = e.clientY;
    canvas.setPointerCapture(e.pointerId);
    canvas.style.cursor = 'grabbing';
  };

  const move = (e: PointerEvent) => {
    if (dragging) {
      const dx = e.clientX - lastX;
      const dy = e.clientY - lastY;
      moved += Math.abs(dx) + Math.abs(dy);
      lastX = e.clientX;
      lastY = e.clientY;
      if (moved > CLICK_SLOP_PX) {
        map.camera.panBy(dx, dy);
        map.applyCamera();
        on.moved();
      }
    }
    const p = local(e);
    on.hover(map.camera.pageAt(p.x, p.y), e.clientX, e.clientY);
  };

  const up = (e: PointerEvent) => {
    if (!dragging) return;
    dragging = false;
    canvas.releasePointerCapture(e.pointerId);
    canvas.style.cursor = '';
    if (moved <= CLICK_SLOP_PX) {
      const p = local(e);
      on.select(map.camera.pageAt(p.x, p.y));
    }
  };

  const leave = () => {
    if (!dragging) on.hover(-1, 0, 0);
  };

  canvas.addEventListener('wheel', wheel, { passive: false });
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointerleave', leave);
  return () => {
    canvas.removeEventListener('wheel', wheel);
    canvas.removeEventListener('pointerdown', down);
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.removeEventListener('pointerleave', leave);
  };
}
