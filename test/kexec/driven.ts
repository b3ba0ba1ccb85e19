// An OS the test drives, for multi-kernel tests: every kernel runs the same position-independent
// loop that asks the test's SBI extension (its "user space") for a command, does it, reports back.
import { assemble } from '../../src/os/asm/index.ts';
import { KEXEC_PRESERVE_CONTEXT, KexecFn } from '../../src/kexec/abi.ts';
import type { KexecKernel } from '../../src/kexec/kernel.ts';
import type { SbiReturn } from '../../src/sim/firmware/sbi.ts';
import { PAGE_SIZE, RAM_BASE, type PhysicalMemory } from '../../src/sim/memory.ts';
import { rig, scribble, type Rig } from './harness.ts';
import { EID, PASS } from './programs.ts';

/** The driver's extension: fid 0 asks for the next command, fid 1 reports a KEXEC call's a0, a1. */
export const DRIVER_EID = 0x54455354;

/** The OS's frames (code, then stack up to the top); a child's segment array sits at +0xc00. */
const OS_SIZE = 0x2000;

const OS = assemble(`
_start:
    auipc s0, 0
    srli s0, s0, 12
    slli s0, s0, 12
    lui t0, 2
    add sp, s0, t0
loop:
    li a7, ${DRIVER_EID}
    li a6, 0
    ecall
    beqz a0, done
    li t0, 2
    beq a0, t0, write
    mv a6, a1
    mv a0, a2
    mv a1, a3
    mv a2, a4
    mv a3, a5
    li a7, ${EID}
    ecall
    li a7, ${DRIVER_EID}
    li a6, 1
    ecall
    j loop
write:
    sw a2, 0(a1)
    j loop
done:
${PASS}
`).bin;

/** An 8 MiB machine whose first kernel runs the OS; every other word of RAM is distinct. */
export function drivenRig(): Rig {
  const image = new Uint8Array(OS_SIZE);
  image.set(OS);
  const r = rig(image, { ramMiB: 8, inUse: OS_SIZE });
  scribble(r.machine.memory, OS_SIZE);
  return r;
}

/** Where kernel `k`'s OS runs: A's is RAM_BASE, a child's is its window's first frame. */
export function osBase(k: KexecKernel): number {
  for (let pfn = 0; pfn < k.memory.pageCount; pfn++) if (k.memory.usable[pfn]) return RAM_BASE + pfn * PAGE_SIZE;
  return -1;
}

// The commands (answers to fid 0). The OS gets the command in a0, its first word in a1, the rest in a2-a5.

/** Halt with pass. */
export const done = (): SbiReturn => ({ error: 0, value: 0 });

/** Store `value` at `pa`. */
export function write(x: Int32Array, pa: number, value: number): SbiReturn {
  x[12] = value | 0;
  return { error: 2, value: pa | 0 };
}

/** KEXEC function `fn` with a0..a3. */
export function kexecCall(x: Int32Array, fn: number, a0: number, a1: number, a2: number, a3: number): SbiReturn {
  [a0, a1, a2, a3].forEach((v, j) => { x[12 + j] = v | 0; });
  return { error: 1, value: fn | 0 };
}

/** JUMP, handing `value` to the kernel that resumes (its a1). */
export const jump = (x: Int32Array, value: number): SbiReturn => kexecCall(x, KexecFn.JUMP, 0, value, 0, 0);

/** LOAD with PRESERVE_CONTEXT of a copy of the OS at `base` into the window [at, at + size). */
export function loadChild(x: Int32Array, mem: PhysicalMemory, base: number, at: number, size: number): SbiReturn {
  const arr = base + 0xc00;
  [base, OS_SIZE, at, OS_SIZE, 0, 0, at + OS_SIZE, size - OS_SIZE].forEach((v, j) => mem.write32(arr + 4 * j, v));
  return kexecCall(x, KexecFn.LOAD, at, arr, 2, KEXEC_PRESERVE_CONTEXT);
}

/** LOAD with PRESERVE_CONTEXT of a jump-back helper to `entry` (a kernel's re-entry address). */
export function loadHelper(x: Int32Array, mem: PhysicalMemory, base: number, entry: number): SbiReturn {
  const arr = base + 0xc00;
  [0, 0, 0, 0].forEach((v, j) => mem.write32(arr + 4 * j, v));
  return kexecCall(x, KexecFn.LOAD, entry, arr, 1, KEXEC_PRESERVE_CONTEXT);
}
