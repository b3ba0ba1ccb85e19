# QEMU cross-check: the NS16550A's registers as a bare program sees them. Values are recorded
# into a buffer while the registers are in odd states, then printed (one hex word each).
    .equ UART, 0x10000000
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   s0, buf
    li   s1, UART
    # Reset values: LSR IIR IER LCR MCR MSR SCR, and an empty RBR.
    lbu  a0, 5(s1)
    call rec
    lbu  a0, 2(s1)
    call rec
    lbu  a0, 1(s1)
    call rec
    lbu  a0, 3(s1)
    call rec
    lbu  a0, 4(s1)
    call rec
    lbu  a0, 6(s1)
    call rec
    lbu  a0, 7(s1)
    call rec
    lbu  a0, 0(s1)
    call rec
    # The divisor latch behind LCR.DLAB.
    li   t0, 0x80
    sb   t0, 3(s1)
    lbu  a0, 0(s1)
    call rec
    lbu  a0, 1(s1)
    call rec
    li   t0, 3
    sb   t0, 0(s1)
    sb   zero, 1(s1)
    lbu  a0, 0(s1)
    call rec
    li   t0, 3
    sb   t0, 3(s1)
    lbu  a0, 3(s1)
    call rec
    lbu  a0, 1(s1)
    call rec
    # Scratch register.
    li   t0, 0x5a
    sb   t0, 7(s1)
    lbu  a0, 7(s1)
    call rec
    # FIFO enable shows in IIR.
    li   t0, 7
    sb   t0, 2(s1)
    lbu  a0, 2(s1)
    call rec
    lbu  a0, 5(s1)
    call rec
    # THRI: enabling it with THR empty raises it; reading IIR clears it.
    li   t0, 2
    sb   t0, 1(s1)
    lbu  a0, 2(s1)
    call rec
    lbu  a0, 2(s1)
    call rec
    lbu  a0, 1(s1)
    call rec
    sb   zero, 1(s1)
    # Loopback: MSR mirrors MCR, THR comes back in RBR, RDI shows in IIR.
    li   t0, 0x1f
    sb   t0, 4(s1)
    lbu  a0, 6(s1)
    call rec
    li   t0, 1
    sb   t0, 1(s1)
    li   t0, 0x41
    sb   t0, 0(s1)
    lbu  a0, 2(s1)
    call rec
    lbu  a0, 5(s1)
    call rec
    lbu  a0, 0(s1)
    call rec
    lbu  a0, 5(s1)
    call rec
    lbu  a0, 2(s1)
    call rec
    sb   zero, 1(s1)
    li   t0, 0x08
    sb   t0, 4(s1)
    lbu  a0, 4(s1)
    call rec
    # FIFO off again.
    sb   zero, 2(s1)
    lbu  a0, 2(s1)
    call rec
    # Word and halfword accesses reach the one byte register at their offset.
    li   t0, 0x00000108
    sw   t0, 4(s1)
    lw   a0, 4(s1)
    call rec
    lhu  a0, 6(s1)
    call rec

    # Print what was recorded.
    la   s2, buf
print_loop:
    bgeu s2, s0, printed
    lbu  a0, 0(s2)
    call print_hex
    call newline
    addi s2, s2, 1
    j    print_loop
printed:
    # A word store to THR sends its low byte only.
    li   t0, 0x00000a43
    sw   t0, 0(s1)
    call newline
    j    pass

# rec: append a0's low byte to the buffer at s0.
rec:
    sb   a0, 0(s0)
    addi s0, s0, 1
    ret

#include "console.inc"

    .data
buf:
    .space 64
