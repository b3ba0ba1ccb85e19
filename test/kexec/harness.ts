// A booted machine with the SBI firmware and the KEXEC extension, for jump tests.
import { Machine } from '../../src/sim/machine.ts';
import { Uart } from '../../src/sim/devices/uart.ts';
import { createSbiFirmware, type SbiFirmware } from '../../src/sim/firmware/index.ts';
import { RAM_BASE, type PhysicalMemory } from '../../src/sim/memory.ts';
import { Kexec } from '../../src/kexec/extension.ts';
import type { RelocateCode } from '../../src/kexec/code.ts';
import { relocateCode } from '../../src/kexec/node.ts';
import type { Hart } from '../../src/sim/hart.ts';
import type { KexecEvent } from '../../src/kexec/events.ts';

export interface Rig {
  machine: Machine;
  fw: SbiFirmware;
  uart: Uart;
  kexec: Kexec;
  events: KexecEvent[];
  output: () => string;
  /** Called before the firmware serves each ecall (to snapshot memory at a chosen moment). */
  onEcall: ((hart: Hart) => void) | null;
}

/** A machine with `image` at RAM_BASE, booted in sbi mode; the first kernel uses all RAM. */
export function rig(image: Uint8Array, opts: { ramMiB?: number; inUse?: number; usable?: number; relocate?: RelocateCode; flavour?: 'merged' | 'seed' } = {}): Rig {
  const machine = new Machine({ ramSize: (opts.ramMiB ?? 4) * 1024 * 1024 });
  const uart = new Uart();
  machine.addDevice(uart);
  let out = '';
  uart.onTransmit = (b) => { out += String.fromCharCode(b); };
  const fw = createSbiFirmware({
    console: { putByte: (b) => { out += String.fromCharCode(b); }, getByte: () => -1 },
    memory: machine.memory,
    timer: { setTimer: () => {} },
    onReset: () => machine.halt({ kind: 'pass', code: 0 }),
  });
  const kexec = new Kexec(machine.memory, { relocate: opts.relocate ?? relocateCode(), devices: [uart], flavour: opts.flavour });
  fw.register(kexec);
  const events: KexecEvent[] = [];
  kexec.events.listen((e) => events.push(e));
  machine.memory.writeBytes(RAM_BASE, image);
  kexec.addKernel({ name: 'A', usable: [[RAM_BASE, opts.usable ?? machine.memory.size]], inUse: [[RAM_BASE, opts.inUse ?? image.length]] });
  const rig: Rig = { machine, fw, uart, kexec, events, output: () => out, onEcall: null };
  machine.setEcallHandler((hart) => {
    rig.onEcall?.(hart);
    fw.handle(hart);
  });
  machine.boot('sbi', RAM_BASE, 0);
  return rig;
}

/** Gives every word of RAM from offset `from` on its own value (xor `salt`), so a misplaced page shows. */
export function scribble(mem: PhysicalMemory, from: number, salt = 0): void {
  for (let i = from; i < mem.size; i += 4) mem.i32[i >> 2] = Math.imul(i, 0x9e3779b1) ^ salt;
}
