// Builds small machines for CPU tests: load instruction words at RAM base, boot bare, run.
import { Machine } from '../../src/sim/machine.ts';
import { words } from './encode.ts';

export const RAM = 0x8000_0000;

/** A 1 MiB bare machine with `program` at RAM base (cheap enough to build per test case). */
export function machineWith(program: number[], ramSize = 1024 * 1024): Machine {
  const m = new Machine({ ramSize });
  m.memory.writeBytes(RAM, words(program));
  m.boot('bare');
  return m;
}

/** Reloads `program` into an existing machine and reboots it (reuses RAM between property runs). */
export function reload(m: Machine, program: number[]): void {
  m.memory.writeBytes(RAM, words(program));
  m.boot('bare');
}
