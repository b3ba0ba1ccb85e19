# QEMU cross-check: counters. Values depend on speed, so only facts are printed: a counter moved,
# a written value reads back, and which privilege levels mcounteren/scounteren let read them.
# Traps print: T mcause mepc mtval, and come back in M-mode.
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   t0, trap
    csrw mtvec, t0
    li   t0, -1
    csrw pmpaddr0, t0
    li   t0, 0x1f
    csrw pmpcfg0, t0

    # Each counter moves forward.
    rdcycle s1
    nop
    rdcycle s2
    sub  a0, s2, s1
    snez a0, a0
    call hexsp
    rdinstret s1
    nop
    rdinstret s2
    sub  a0, s2, s1
    snez a0, a0
    call hexsp
    csrr s1, mcycle
    nop
    csrr s2, mcycle
    sub  a0, s2, s1
    snez a0, a0
    call hexsp
    rdtime s1
wait_time:
    rdtime s2
    beq  s1, s2, wait_time
    li   a0, 1
    call hexsp
    rdcycleh a0
    rdinstreth a0
    rdtimeh a0
    # minstret/minstreth are writable.
    csrw minstret, zero
    li   t0, 5
    csrw minstreth, t0
    csrr s1, minstret
    csrr a0, minstreth
    call hexsp
    li   t0, 0x10000000
    sltu a0, s1, t0
    call print_hex
    call newline

    # S-mode with mcounteren = 0: cycle, time, instret all trap.
    csrw mcounteren, zero
    la   a0, s_cycle
    li   a1, 1
    call enter
    la   a0, s_time
    li   a1, 1
    call enter
    la   a0, s_instret
    li   a1, 1
    call enter
    # mcounteren = 7: S-mode reads them (the ecall that follows is cause 9).
    li   t0, 7
    csrw mcounteren, t0
    csrr a0, mcounteren
    call print_hex
    call newline
    la   a0, s_cycle
    li   a1, 1
    call enter
    la   a0, s_time
    li   a1, 1
    call enter
    # U-mode also needs scounteren: with only CY set, time traps and cycle does not.
    li   t0, 1
    csrw scounteren, t0
    la   a0, s_cycle
    li   a1, 0
    call enter
    la   a0, s_time
    li   a1, 0
    call enter
    j    pass

s_cycle:
    rdcycle a0
    ecall
    j    back
s_time:
    rdtime a0
    ecall
    j    back
s_instret:
    rdinstret a0
    ecall
back:
    lw   ra, 0(sp)
    addi sp, sp, 16
    ret

# enter: a0 = code address, a1 = privilege (0 U, 1 S). Saves ra for `back`.
enter:
    addi sp, sp, -16
    sw   ra, 0(sp)
    csrw mepc, a0
    li   t0, 0x1800
    csrc mstatus, t0
    slli a1, a1, 11
    csrs mstatus, a1
    mret

    .align 2
trap:
    addi sp, sp, -48
    sw   ra, 0(sp)
    sw   a0, 4(sp)
    sw   t0, 8(sp)
    sw   t1, 12(sp)
    sw   t2, 16(sp)
    sw   t3, 20(sp)
    sw   t4, 24(sp)
    sw   t5, 28(sp)
    sw   s11, 32(sp)
    li   a0, 84
    call putc
    call space
    csrr a0, mcause
    call hexsp
    csrr a0, mepc
    call hexsp
    csrr a0, mtval
    call print_hex
    call newline
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    li   t0, 0x1800
    csrs mstatus, t0
    lw   ra, 0(sp)
    lw   a0, 4(sp)
    lw   t0, 8(sp)
    lw   t1, 12(sp)
    lw   t2, 16(sp)
    lw   t3, 20(sp)
    lw   t4, 24(sp)
    lw   t5, 28(sp)
    lw   s11, 32(sp)
    addi sp, sp, 48
    mret

hexsp:
    mv   s11, ra
    call print_hex
    call space
    mv   ra, s11
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
