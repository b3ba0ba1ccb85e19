// Toy OS sources for jump tests (GNU syntax): A loads B with PRESERVE_CONTEXT and jumps to it;
// B records its re-entry, loads a jump-back helper and ping-pongs with A.
export const EID = '0x0A004B4A';
export const REGION = 0x80100000;
export const REGION_SIZE = 0x40000;

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
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
fail:
    li t0, 0x100000
    li t1, 0x13333
    sw t1, 0(t0)
2:  j 2b
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
