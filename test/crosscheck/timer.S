# QEMU cross-check: the CLINT timer and software interrupts in M-mode. Output counts events, never
# time, so it does not depend on how fast either machine runs.
#include "trapframe.inc"
    .equ CLINT_MSIP,     0x02000000
    .equ CLINT_MTIMECMP, 0x02004000
    .equ CLINT_MTIME,    0x0200bff8
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   t0, trap
    csrw mtvec, t0
    li   s0, CLINT_MTIMECMP
    li   s1, CLINT_MTIME

    # mtimecmp reads back what was written; mtime moves forward.
    li   t0, -1
    sw   t0, 4(s0)
    li   t0, 0x12345678
    sw   t0, 0(s0)
    lw   a0, 0(s0)
    call hexsp
    lw   a0, 4(s0)
    call hexsp
    lw   s2, 0(s1)
wait_tick:
    lw   t0, 0(s1)
    beq  t0, s2, wait_tick
    li   a0, 1
    call print_hex
    call newline

    # MTIP follows mtime >= mtimecmp, with interrupts disabled (polled).
    call arm
poll_mtip:
    csrr t0, mip
    andi t0, t0, 0x80
    beqz t0, poll_mtip
    csrr a0, mip
    andi a0, a0, 0x80
    call hexsp
    call disarm
    csrr a0, mip
    andi a0, a0, 0x80
    call print_hex
    call newline

    # wfi wakes on a pending enabled interrupt even while mstatus.MIE = 0 (no trap taken).
    li   t0, 0x80
    csrw mie, t0
    call arm
wfi_loop:
    wfi
    csrr t0, mip
    andi t0, t0, 0x80
    beqz t0, wfi_loop
    li   a0, 2
    call print_hex
    call newline
    call disarm

    # Five timer interrupts, each re-armed by the handler. wfi runs with MIE off and the
    # interrupt is taken in a short MIE window after it: had it come between the count check and
    # wfi, a wfi with MIE on would wait forever for the disarmed timer.
    li   s3, 0
    call arm
count_loop:
    wfi
    csrsi mstatus, 8
    csrci mstatus, 8
    li   t0, 5
    blt  s3, t0, count_loop
    call disarm
    mv   a0, s3
    call print_hex
    call newline

    # A software interrupt through msip.
    li   t0, 8
    csrw mie, t0
    csrsi mstatus, 8
    li   t0, CLINT_MSIP
    li   t1, 1
    li   s4, 0
    sw   t1, 0(t0)
wait_msi:
    beqz s4, wait_msi
    csrci mstatus, 8
    li   t0, CLINT_MSIP
    lw   a0, 0(t0)
    call print_hex
    call newline
    j    pass

# arm: mtimecmp = mtime + 200 (high word first, so no spurious match in between).
arm:
    lw   t0, 0(s1)
    lw   t1, 4(s1)
    addi t2, t0, 200
    sltu t3, t2, t0
    add  t1, t1, t3
    li   t0, -1
    sw   t0, 0(s0)
    sw   t1, 4(s0)
    sw   t2, 0(s0)
    ret

# disarm: mtimecmp = all ones.
disarm:
    li   t0, -1
    sw   t0, 0(s0)
    sw   t0, 4(s0)
    ret

    .align 2
trap:
    save_frame
    li   a0, 73
    call putc
    call space
    csrr a0, mcause
    call hexsp
    csrr a0, mstatus
    li   t0, 0x1888
    and  a0, a0, t0
    call print_hex
    call newline
    csrr t0, mcause
    li   t1, 0x80000007
    bne  t0, t1, not_timer
    addi s3, s3, 1
    li   t0, 5
    bge  s3, t0, timer_done
    call arm
    j    trap_ret
timer_done:
    call disarm
    j    trap_ret
not_timer:
    li   t1, 0x80000003
    bne  t0, t1, trap_ret
    li   t0, CLINT_MSIP
    sw   zero, 0(t0)
    li   s4, 1
trap_ret:
    restore_frame
    mret

#include "console.inc"
