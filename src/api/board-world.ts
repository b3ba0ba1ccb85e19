// A World (src/sim/simulation/world.ts) for one booted image on a virt board, with the KEXEC
// extension in sbi mode: what boot() runs. It reports boots, new kernels, console lines, kexec
// events and the page-swap batches the way a level does, and ends at a halt, the limit or a hang.
import type { Flavour } from '../kexec/abi.ts';
import { attachKexec, bootOsMemory } from '../kexec/board.ts';
import type { RelocateCode } from '../kexec/code.ts';
import type { KexecEvent } from '../kexec/events.ts';
import type { Kexec } from '../kexec/extension.ts';
import { walkEntries } from '../kexec/kimage.ts';
import type { ElfImage } from '../os/elf.ts';
import { bootImage, createBoard, type Board } from '../sim/board.ts';
import type { BootMode, Machine } from '../sim/machine.ts';
import { ConsoleLines } from '../level/console-lines.ts';
import { crashEnd, SIM_EVENT_RULES, type SimEvent } from '../level/events.ts';
import type { SimFrame, World } from '../sim/simulation/world.ts';

export interface BoardWorldInput {
  image: ElfImage;
  mode: BootMode;
  ramSize: number;
  diskImage?: Uint8Array;
  /** null: no KEXEC extension. */
  kexec: { flavour?: Flavour; relocate: RelocateCode } | null;
  /** The booted OS's kernel name (events, page owners). */
  name: string;
  bootParams: number;
  maxInstructions: number;
}

export class BoardWorld implements World<SimEvent> {
  readonly rules = SIM_EVENT_RULES;
  board!: Board;
  kexec: Kexec | null = null;
  private _emit: (e: SimEvent) => void = () => {};
  private _ended = false;
  /** Console bytes become one event per line and OS (a partial line goes out at the end of a run). */
  private readonly _console = new ConsoleLines((os, at, text) => this._put({ type: 'console', at, os, text }));

  constructor(private readonly input: BoardWorldInput) {}

  get machine(): Machine {
    return this.board.machine;
  }

  get ended(): boolean {
    return this._ended;
  }

  start(emit: (e: SimEvent) => void): void {
    this._emit = emit;
    const { input } = this;
    // A copy: the disk writes its image in place, and a replayed session must start from the same bytes.
    this.board = createBoard({ ramSize: input.ramSize, diskImage: input.diskImage?.slice() });
    this.board.uart.onTransmit = (b) => this._console.byte(b, this._currentOs(), () => this._at());
    bootImage(this.board, input.image, input.mode, input.bootParams);
    if (input.kexec) {
      this.kexec = attachKexec(this.board, { relocate: input.kexec.relocate, flavour: input.kexec.flavour });
      this.kexec.events.listen((e) => this._onKexec(e));
    }
    this._put({ type: 'boot', at: 0, os: input.name, entry: input.image.entry, bootParams: input.bootParams });
    this.kexec?.addKernel({ name: input.name, ...bootOsMemory(input.image, input.ramSize) });
  }

  run(n: number): number {
    if (this._ended) return 0;
    const m = this.machine;
    const left = this.input.maxInstructions - m.cpu.instret;
    if (left <= 0) {
      this._end('limit');
      return 0;
    }
    const r = m.run(Math.min(n, left));
    this._console.flush();
    if (m.halted) this._end('halted');
    else if (m.cpu.instret >= this.input.maxInstructions) this._end('limit');
    else if (r.reason === 'stopped' && m.cpu.waiting) this._end('stuck');
    return r.executed;
  }

  frame(): SimFrame {
    const cpu = this.machine.cpu;
    return { at: cpu.instret, cycle: cpu.cycle, pc: cpu.pc, priv: cpu.priv, os: this._currentOs(), ended: this._ended, goals: {} };
  }

  crash(message: string): void {
    if (this._ended) return;
    this._ended = true;
    this._emit(crashEnd(this.machine.cpu.instret, this.machine.halted, message));
  }

  private _at(): number {
    return this.machine.cpu.instretNow();
  }

  private _currentOs(): string {
    return this.kexec?.current?.name ?? this.input.name;
  }

  private _put(e: SimEvent): void {
    if (e.type !== 'console') this._console.flush();
    this._emit(e);
  }

  private _onKexec(e: KexecEvent): void {
    const at = this._at();
    if (e.type === 'kernel' && e.kernel !== this.input.name) this._put({ type: 'os', at, os: e.kernel, kernel: e.kernel });
    this._put({ type: 'kexec', at, event: e });
    if (e.type === 'jump') this._put({ type: 'swap', at, kernel: e.from, direction: 'out', pairs: e.pairs });
    if (e.type === 'return') {
      const img = this.kexec?.kernels.find((k) => k.name === e.kernel)?.image;
      let pairs = 0;
      if (img) walkEntries(this.machine.memory, img.head, () => pairs++);
      this._put({ type: 'swap', at, kernel: e.kernel, direction: 'back', pairs });
    }
  }

  private _end(reason: 'halted' | 'limit' | 'stuck'): void {
    if (this._ended) return;
    this._console.flush();
    this._put({ type: 'end', at: this.machine.cpu.instret, reason, halt: this.machine.halted });
    this._ended = true;
  }
}
