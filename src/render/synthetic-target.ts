// A stand-in machine for the demo page when no real CPU is available: it performs the demo
// program's sweeps directly in TypeScript (same pages, same words, same console lines), so the
// map, the panels and the browser tests have something real to show.
import { PageRole, PhysicalMemory, RAM_BASE } from '../sim/memory.ts';
import type { DemoCpu, DemoTarget } from './demo-target.ts';
import { DEMO_BANNER, DEMO_RAM_SIZE, DEMO_RESERVED_PAGES } from './demo-program.ts';

const STRIDES = [1, 65, 63, 4095, 129, 17, 2049, 3];
/** Instructions the assembled program spends on one page (4 stores per 16 bytes plus loop). */
const COST_PER_PAGE = 1024 + 256 * 2 + 14;

class SyntheticCpu implements DemoCpu {
  readonly x = new Int32Array(32);
  pc = RAM_BASE;
  priv = 3;
  instret = 0;
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

export class SyntheticTarget implements DemoTarget {
  readonly title = 'synthetic sweeps (no CPU yet)';
  readonly memory = new PhysicalMemory(DEMO_RAM_SIZE);
  readonly cpu = new SyntheticCpu();
  readonly stopped: string | null = null;
  onConsole: ((text: string) => void) | null = null;
  private _pass = 0;
  private _i = 0;
  private _sum = 0;
  private _credit = 0;
  private _started = false;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.memory.fill(RAM_BASE, this.memory.size, 0);
    for (let pfn = 0; pfn < this.memory.pageCount; pfn++) {
      this.memory.setPageInfo(pfn, 1, pfn < DEMO_RESERVED_PAGES ? PageRole.Kernel : PageRole.Free);
    }
    this.cpu.x.fill(0);
    this.cpu.pc = RAM_BASE;
    this.cpu.instret = 0;
    this._pass = 0;
    this._i = 0;
    this._sum = 0;
    this._credit = 0;
    this._started = false;
  }

  run(n: number): number {
    if (!this._started) {
      this._started = true;
      this._say(`${DEMO_BANNER}\n`);
      this._startPass();
    }
    this._credit += n;
    const pages = this.memory.pageCount;
    while (this._credit >= COST_PER_PAGE) {
      const stride = STRIDES[this._pass & 7];
      const pfn = (this._i * stride) & (pages - 1);
      if (pfn >= DEMO_RESERVED_PAGES) {
        const word = ((this._pass << 24) | pfn) >>> 0;
        const base = (pfn << 12) >>> 2;
        this.memory.i32.fill(word | 0, base, base + 1024);
        this.memory.touch(pfn << 12, 4096);
        this._sum = (this._sum + word) >>> 0;
        this._credit -= COST_PER_PAGE;
      } else {
        this._credit -= 8;
      }
      this._i++;
      if (this._i === pages) {
        this._say(`  sum ${hex(this._sum)}\n`);
        this._pass++;
        this._i = 0;
        this._sum = 0;
        this._startPass();
      }
      this.cpu.x[8] = this._pass;
      this.cpu.x[9] = this._i;
      this.cpu.x[18] = pfn;
      this.cpu.x[19] = stride;
      this.cpu.x[20] = this._sum;
      this.cpu.pc = RAM_BASE + 0x60 + (this._i & 7) * 4;
    }
    this.cpu.instret += n;
    return n;
  }

  private _startPass(): void {
    this._say(`pass ${hex(this._pass)}  stride ${hex(STRIDES[this._pass & 7])}`);
  }

  private _say(text: string): void {
    this.onConsole?.(text);
  }
}
