// The CPU panel: pc, privilege mode, instructions retired and the 32 registers by ABI name,
// highlighting the ones that changed since the last frame.
import { el, hex32, setText } from './dom.ts';
import type { DemoCpu } from './demo-target.ts';

const ABI = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];
const PRIV = ['U', 'S', '?', 'M'];

export class CpuPanel {
  private readonly _pc: HTMLElement;
  private readonly _mode: HTMLElement;
  private readonly _instret: HTMLElement;
  private readonly _regs: HTMLElement[] = [];
  private readonly _last = new Int32Array(32);

  constructor(root: HTMLElement) {
    const head = el('div', 'cpu-head');
    this._pc = el('span', 'cpu-pc');
    this._mode = el('span', 'cpu-mode');
    this._instret = el('span', 'cpu-instret');
    head.append(this._pc, this._mode, this._instret);
    const grid = el('div', 'regs');
    for (let i = 0; i < 32; i++) {
      const cell = el('div', 'reg');
      const value = el('span', 'reg-value', '00000000');
      cell.append(el('span', 'reg-name', ABI[i]), value);
      grid.append(cell);
      this._regs.push(value);
    }
    root.replaceChildren(head, grid);
  }

  update(cpu: DemoCpu): void {
    setText(this._pc, `pc ${hex32(cpu.pc)}`);
    setText(this._mode, `mode ${PRIV[cpu.priv] ?? cpu.priv}`);
    setText(this._instret, `${cpu.instret.toLocaleString('en-US')} instr`);
    for (let i = 0; i < 32; i++) {
      const v = cpu.x[i];
      const changed = v !== this._last[i];
      this._last[i] = v;
      setText(this._regs[i], (v >>> 0).toString(16).padStart(8, '0'));
      this._regs[i].classList.toggle('changed', changed);
    }
  }
}
