// kexec benchmarks: one A→B jump with a 16 MiB image (4096 pairs swapped by relocate.S on the
// simulated CPU) and that swap's cost over three host copyWithin per page.
import { assemble } from '../src/os/asm/index.ts';
import { Kexec } from '../src/kexec/extension.ts';
import { walkEntries } from '../src/kexec/kimage.ts';
import { relocateCode } from '../src/kexec/node.ts';
import { Machine } from '../src/sim/machine.ts';
import { createSbiFirmware } from '../src/sim/firmware/index.ts';
import { PAGE_SIZE, RAM_BASE } from '../src/sim/memory.ts';
import type { BenchFigures } from './index.ts';

const REGION = 0x8200_0000;
const IMAGE = 16 * 1024 * 1024;
const SEGS = 0x8000_8000;
const B_BUF = 0x8000_9000;

const A_SOURCE = `
_start:
    li sp, 0x80010000
    li a7, 0x0A004B4A
    li a6, 0
    li a0, ${REGION}
    li a1, ${SEGS}
    li a2, 2
    li a3, 2
    ecall
    li a7, 0x0A004B4A
    li a6, 1
    li a0, 0
    li a1, 0
    ecall
1:  j 1b
`;
const B_SOURCE = `
_start:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
`;

/** Runs one jump; returns [jump ms, copyWithin ms for the same pairs]. */
function once(): [number, number] {
  const machine = new Machine({ ramSize: 64 * 1024 * 1024 });
  const mem = machine.memory;
  const fw = createSbiFirmware({
    console: { putByte: () => {}, getByte: () => -1 }, memory: mem, timer: { setTimer: () => {} },
    onReset: () => machine.halt({ kind: 'pass', code: 0 }),
  });
  const kexec = new Kexec(mem, { relocate: relocateCode(), devices: [] });
  fw.register(kexec);
  const a = assemble(A_SOURCE).bin;
  const b = assemble(B_SOURCE).bin;
  mem.writeBytes(RAM_BASE, a);
  mem.writeBytes(B_BUF, b);
  const segs = [B_BUF, b.length, REGION, PAGE_SIZE, 0, 0, REGION + PAGE_SIZE, IMAGE - PAGE_SIZE];
  segs.forEach((v, i) => mem.write32(SEGS + 4 * i, v));
  kexec.addKernel({ name: 'A', usable: [[RAM_BASE, mem.size]], inUse: [[RAM_BASE, 0x10000]] });
  let t0 = 0;
  machine.setEcallHandler((hart) => {
    if (hart.x[16] === 1) t0 = performance.now();
    fw.handle(hart);
  });
  machine.boot('sbi', RAM_BASE, 0);
  machine.run(200_000_000);
  const jumpMs = performance.now() - t0;
  if (machine.halted?.kind !== 'pass') throw new Error('the jump did not reach B');
  const pairs: Array<[number, number]> = [];
  walkEntries(mem, kexec.kernels[0].image!.head, (d, s) => pairs.push([mem.offsetOf(d), mem.offsetOf(s)]));
  if (pairs.length !== IMAGE / PAGE_SIZE) throw new Error(`${pairs.length} pairs`);
  const swap = mem.offsetOf(kexec.kernels[0].image!.swapPage);
  const u8 = mem.u8;
  const c0 = performance.now();
  for (const [d, s] of pairs) {
    u8.copyWithin(swap, s, s + PAGE_SIZE);
    u8.copyWithin(s, d, d + PAGE_SIZE);
    u8.copyWithin(d, swap, swap + PAGE_SIZE);
  }
  return [jumpMs, performance.now() - c0];
}

export async function run(): Promise<BenchFigures> {
  once(); // warm-up: JIT of the relocate loop and of the host
  const runs = [once(), once(), once()];
  runs.sort((x, y) => x[0] - y[0]);
  const [jump, copy] = runs[1];
  return [
    ['kexec.jump16m.ms', jump],
    ['kexec.swap.ratio', jump / copy],
  ];
}
