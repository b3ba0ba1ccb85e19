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

# ---- console and exit helpers (the same in every cross-check program) ----

# putc: a0 = byte. Waits for LSR.THRE, then writes THR. Clobbers t0, t1.
putc:
    li   t0, 0x10000000
putc_wait:
    lbu  t1, 5(t0)
    andi t1, t1, 0x20
    beqz t1, putc_wait
    sb   a0, 0(t0)
    ret

# puts: a0 = address of a NUL-terminated string. Clobbers t0-t3, a0.
puts:
    mv   t2, a0
    mv   t3, ra
puts_loop:
    lbu  a0, 0(t2)
    beqz a0, puts_done
    call putc
    addi t2, t2, 1
    j    puts_loop
puts_done:
    mv   ra, t3
    ret

# print_hex: a0 = value, printed as 8 lowercase hex digits. Clobbers t0-t5, a0.
print_hex:
    mv   t4, a0
    mv   t5, ra
    li   t2, 28
print_hex_loop:
    srl  a0, t4, t2
    andi a0, a0, 15
    li   t1, 10
    blt  a0, t1, print_hex_digit
    addi a0, a0, 39
print_hex_digit:
    addi a0, a0, 48
    call putc
    addi t2, t2, -4
    bgez t2, print_hex_loop
    mv   ra, t5
    ret

# space / newline: print one character. Clobber t0, t1, a0.
space:
    li   a0, 32
    j    putc
newline:
    li   a0, 10
    j    putc

# pass: power off through the SiFive test finisher (QEMU exits with status 0).
pass:
    li   t0, 0x100000
    li   t1, 0x5555
    sw   t1, 0(t0)
pass_spin:
    j    pass_spin

    .data
buf:
    .space 64
