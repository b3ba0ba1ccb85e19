// Toy programs for kexec tests (GNU syntax): the test finisher's exits; A loads B with
// PRESERVE_CONTEXT and jumps to it, B records its re-entry, loads a jump-back helper and
// ping-pongs with A; a caller that CALLs its loaded image once.
import { assemble } from '../../src/os/asm/index.ts';
import { RAM_BASE } from '../../src/sim/memory.ts';

export const EID = '0x0A004B4A';
export const REGION = 0x80100000;
export const REGION_SIZE = 0x40000;

/** Ends the program through the test finisher (0x100000): pass. */
export const PASS = `    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b`;

/** PASS, then a `fail:` label that fails with exit code 1. */
export const PASS_OR_FAIL = `${PASS}
fail:
    li t0, 0x100000
    li t1, 0x13333
    sw t1, 0(t0)
2:  j 2b`;

/** PASS, then a `fail:` label that fails with a1 (the errno of a failed KEXEC call) as exit code. */
export const PASS_OR_FAIL_A1 = `${PASS}
fail:
    li t0, 0x100000
    slli a1, a1, 16
    li t1, 0x3333
    or t1, t1, a1
    sw t1, 0(t0)
2:  j 2b`;

/** GNU source of a B that stores a0/a1 (hart id, boot params) at `seen` and passes; `tail` goes after
 *  `seen` (e.g. a `.space` for a .bss-like tail). Linked wherever the test loads it (REGION). */
export function seenBSource(tail = ''): string {
  return `
    .globl _start
_start:
    la t0, seen
    sw a0, 0(t0)
    sw a1, 4(t0)
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
    .align 4
seen: .word 0, 0
${tail}`;
}

/** GNU source of an A (at RAM_BASE) that makes one KEXEC JUMP (a6 = 1, a0 = a1 = 0) with whatever
 *  kexec-tools loaded for it, then fails: the loaded B should have passed. */
export const JUMP_ONCE_A = `
    .globl _start
_start:
    li sp, ${RAM_BASE + 0x8000}
    li a7, ${EID}
    li a6, 1
    li a0, 0
    li a1, 0
    ecall
    li t0, 0x100000
    li t1, 0x13333
    sw t1, 0(t0)
1:  j 1b
`;

const putc = (ch: string): string => `    li a7, 1\n    li a0, ${ch.charCodeAt(0)}\n    ecall\n`;

/** B: linked at REGION. Prints B, loads the helper back to `ra`, then jumps back forever. */
export const B_SOURCE = bSource(REGION);

export function bSource(region: number): string {
  return `
    .text
    .globl _start
_start:
    mv s0, ra
    mv s1, a0
    li sp, ${region + 0x8000}
${putc('B')}
    li a7, ${EID}
    li a6, 0
    mv a0, s0
    la a1, helper_seg
    li a2, 1
    li a3, 2
    ecall
    bnez a0, fail
loop:
    la t0, counter
    lw t1, 0(t0)
    addi t1, t1, 1
    sw t1, 0(t0)
    la t0, got
    sw s1, 0(t0)
    li a7, ${EID}
    li a6, 1
    li a0, 0
    addi a1, t1, 0x100
    ecall
    bnez a0, fail
    mv s1, a1
${putc('b')}
    j loop
fail:
    li t0, 0x100000
    li t1, 0x23333
    sw t1, 0(t0)
1:  j 1b
    .align 4
helper_seg: .word 0, 0, 0, 0
counter: .word 0
got: .word 0
`;
}

/** A: linked at RAM_BASE, `b` is B's flat binary file. Does `trips` round trips, then passes. */
export function aSource(bPath: string, trips: number, flags = 2, region = REGION, regionSize = REGION_SIZE, kernelSize = 0x2000): string {
  return `
    .text
    .globl _start
_start:
    la sp, stack_top
${putc('A')}
    li a7, ${EID}
    li a6, 0
    li a0, ${region}
    la a1, segs
    li a2, 2
    li a3, ${flags}
    ecall
    bnez a0, fail
    li s2, ${trips}
    la s3, results
loop:
    li a7, ${EID}
    li a6, 1
    li a0, 0
    li a1, 0x42
    ecall
    bnez a0, fail
    sw a1, 0(s3)
    addi s3, s3, 4
${putc('a')}
    addi s2, s2, -1
    bnez s2, loop
${PASS_OR_FAIL}
    .align 4
segs:
    .word b_bin, b_end - b_bin, ${region}, ${kernelSize}
    .word 0, 0, ${region + kernelSize}, ${regionSize - kernelSize}
results: .space 64
    .space 4096
stack_top:
b_bin: .incbin "${bPath}"
b_end:
    .align 12
`;
}

/** A's frames for CALLER: code and stack; sp starts at the top. */
export const CALLER_SIZE = 0x4000;

/** A at RAM_BASE: CALLs the loaded image once with no arguments, passes if the CALL succeeded. */
export const CALLER = assemble(`
_start:
    li sp, ${RAM_BASE + CALLER_SIZE}
    li a7, ${EID}
    li a6, 2
    li a0, 0
    li a1, 0
    ecall
    bnez a0, fail
${PASS_OR_FAIL}
`).bin;

/** The called code: one firmware call (so the test can look at RAM mid-call), then ret. */
export const CALLED = assemble(`
_start:
    li a7, 1
    li a0, 70
    ecall
    ret
`).bin;
