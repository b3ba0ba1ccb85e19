// The page inspector: what is under the pointer (frame, address, owner, role, checksum) and a live
// hex view of the page last clicked, refreshed when its generation moves.
import { PAGE_SIZE, type PhysicalMemory } from '../sim/memory.ts';
import { hex32, setText } from './dom.ts';
import { roleName } from './page-code.ts';

const HEX_REFRESH_MS = 100;

export class PagePanel {
  private readonly _info: HTMLElement;
  private readonly _hexTitle: HTMLElement;
  private readonly _hex: HTMLElement;
  private readonly _memory: PhysicalMemory;
  private readonly _owners: readonly string[];
  private _hexPage = -1;
  private _hexGeneration = -1;
  private _hexAt = 0;
  private _infoPage = -2;
  private _infoGeneration = -1;

  constructor(info: HTMLElement, hexTitle: HTMLElement, hex: HTMLElement, memory: PhysicalMemory, owners: readonly string[]) {
    this._info = info;
    this._hexTitle = hexTitle;
    this._hex = hex;
    this._memory = memory;
    this._owners = owners;
  }

  /** Called every frame with the hovered and selected pages (-1 for none). */
  update(hovered: number, selected: number, now: number): void {
    const shown = hovered >= 0 ? hovered : selected;
    const m = this._memory;
    const generation = shown < 0 ? -1 : m.generation[shown];
    if (shown !== this._infoPage || generation !== this._infoGeneration) {
      this._infoPage = shown;
      this._infoGeneration = generation;
      setText(this._info, shown < 0 ? 'Point at a page to inspect it; click to open its bytes.' : this.describe(shown));
    }
    if (selected !== this._hexPage || (selected >= 0 && m.generation[selected] !== this._hexGeneration && now - this._hexAt >= HEX_REFRESH_MS)) {
      this._hexPage = selected;
      this._hexAt = now;
      this._hexGeneration = selected >= 0 ? m.generation[selected] : -1;
      setText(this._hexTitle, selected < 0 ? 'no page open' : `frame ${selected} at ${hex32(m.addressOf(selected))}, live`);
      setText(this._hex, selected < 0 ? '' : this.hexDump(selected));
    }
  }

  /** The inspector text for page `pfn`. */
  describe(pfn: number): string {
    const m = this._memory;
    const owner = m.owner[pfn];
    return [
      `frame     ${pfn} (0x${pfn.toString(16)})`,
      `address   ${hex32(m.addressOf(pfn))}`,
      `owner     ${this._owners[owner] ?? 'OS ' + owner} (${owner})`,
      `role      ${roleName(m.role[pfn])}`,
      `checksum  ${hex32(m.checksum(pfn))}`,
      `writes    ${m.generation[pfn]}`,
    ].join('\n');
  }

  /** 4-byte little-endian words, four per line, offset first. */
  hexDump(pfn: number): string {
    const words = this._memory.i32;
    const base = (pfn * PAGE_SIZE) >>> 2;
    const lines: string[] = [];
    for (let off = 0; off < PAGE_SIZE; off += 16) {
      let line = off.toString(16).padStart(3, '0') + ' ';
      for (let w = 0; w < 4; w++) line += ' ' + (words[base + (off >>> 2) + w] >>> 0).toString(16).padStart(8, '0');
      lines.push(line);
    }
    return lines.join('\n');
  }
}
