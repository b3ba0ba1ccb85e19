// What the demo page drives: a machine with memory, a CPU to show, slices of execution and a
// console. The real machine and a synthetic stand-in both fit it.
import type { PhysicalMemory } from '../sim/memory.ts';

/** The CPU as the registers panel shows it. */
export interface DemoCpu {
  readonly x: Int32Array;
  readonly pc: number;
  readonly priv: number;
  readonly instret: number;
}

export interface DemoTarget {
  /** A short name for the header ("bare image demo.S", "synthetic"). */
  readonly title: string;
  readonly memory: PhysicalMemory;
  readonly cpu: DemoCpu;
  /** Runs up to `n` instructions; returns how many retired. */
  run(n: number): number;
  /** Back to the power-on state with the image loaded. */
  reset(): void;
  /** Why the machine stopped for good (power off, fault), or null while it can run. */
  readonly stopped: string | null;
  /** Console output (UART bytes decoded), called as it happens. */
  onConsole: ((text: string) => void) | null;
}
