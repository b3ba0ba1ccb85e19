# QEMU cross-check: counters. Values depend on speed, so only facts are printed: a counter moved,
# a written value reads back, and which privilege levels mcounteren/scounteren let read them.
# Traps print: T mcause mepc mtval, and come back in M-mode.
#include "trapframe.inc"
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   t0, trap
    csrw mtvec, t0
    pmp_allow_all

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
#include "enter.inc"

    .align 2
trap:
    save_frame
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
    restore_frame
    mret

#include "console.inc"
