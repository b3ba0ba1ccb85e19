// The map legend: one swatch per owner and per role, painted with the same colours and mark
// patterns the shader uses (the JS twin of markAt in map-shader.ts).
import { PageRole } from '../sim/memory.ts';
import { cssColour, lookOf, MAP_BACKGROUND, MarkPattern, pageCode, roleName } from './page-code.ts';
import { el } from './dom.ts';

/** Same rule as the shader's markAt: is cell-local point (fx, fy) in [0,1)^2 part of the mark? */
export function markAt(pattern: MarkPattern, fx: number, fy: number): boolean {
  const dx = Math.abs(fx - 0.5);
  const dy = Math.abs(fy - 0.5);
  if (Math.max(dx, dy) < 0.2) return false;
  const fract = (v: number) => v - Math.floor(v);
  switch (pattern) {
    case MarkPattern.Stripes: return fract((fx + fy) * 2.5) < 0.3;
    case MarkPattern.Frame: return Math.max(dx, dy) > 0.3;
    case MarkPattern.Checker: return ((Math.floor(fx * 4) + Math.floor(fy * 4)) & 1) === 1;
    case MarkPattern.Corner: return fx + fy < 0.5;
    case MarkPattern.Bars: return fract(fx * 3) < 0.3;
    case MarkPattern.Hatch: return fract((fx - fy) * 3) < 0.25;
    case MarkPattern.Underline: return fy > 0.75;
    default: return false;
  }
}

function swatch(code: number, size = 18): HTMLCanvasElement {
  const canvas = el('canvas', 'swatch');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const { base, mark, pattern } = lookOf(code);
  const img = ctx.createImageData(size, size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const edge = x === 0 || y === 0;
      const rgb = edge ? MAP_BACKGROUND : markAt(pattern, (x + 0.5) / size, (y + 0.5) / size) ? mark : base;
      const i = (y * size + x) * 4;
      img.data[i] = (rgb >> 16) & 255;
      img.data[i + 1] = (rgb >> 8) & 255;
      img.data[i + 2] = rgb & 255;
      img.data[i + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

function entry(code: number, label: string): HTMLElement {
  const row = el('div', 'legend-entry');
  row.append(swatch(code), el('span', '', label));
  return row;
}

const ROLES_SHOWN: readonly PageRole[] = [
  PageRole.Kernel, PageRole.Free, PageRole.Source, PageRole.Indirection, PageRole.Control,
  PageRole.Swap, PageRole.Destination, PageRole.DeviceBuffer, PageRole.Reserved,
];

/** Fills `root` with the owners (by name) and roles (drawn for `sampleOwner`). */
export function renderLegend(root: HTMLElement, owners: readonly string[], sampleOwner = 1): void {
  root.replaceChildren();
  const ownerBox = el('div', 'legend-group');
  ownerBox.append(el('h3', '', 'owner'));
  owners.forEach((name, id) => ownerBox.append(entry(pageCode(id, PageRole.Kernel, false), name)));
  const roleBox = el('div', 'legend-group');
  roleBox.append(el('h3', '', 'role'));
  for (const role of ROLES_SHOWN) roleBox.append(entry(pageCode(sampleOwner, role, false), roleName(role)));
  roleBox.append(entry(pageCode(sampleOwner, PageRole.Free, true), 'just written'));
  root.append(ownerBox, roleBox);
  root.title = `colours: ${owners.map((o, i) => `${o} ${cssColour(lookOf(pageCode(i, PageRole.Kernel, false)).base)}`).join(', ')}`;
}
