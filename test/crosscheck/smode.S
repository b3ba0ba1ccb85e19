# QEMU cross-check: S-mode and delegation. M-mode delegates illegal instruction, breakpoint and
# U-mode ecall exceptions and the S-mode interrupts, then mrets into S-mode. Traps print
#   m mcause mepc mtval mstatus&0x1988       (M-mode handler)
#   s scause sepc stval sstatus&0x122        (S-mode handler)
# S-mode asks M-mode for services with ecall, a7 = 1 raise STIP, 2 clear STIP, 3 power off.
#include "trapframe.inc"
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   t0, mtrap
    csrw mtvec, t0
    pmp_allow_all
    li   t0, 0x10c
    csrw medeleg, t0
    csrr a0, medeleg
    li   t1, 0x10c
    and  a0, a0, t1
    call hexsp
    li   t0, 0x222
    csrw mideleg, t0
    csrr a0, mideleg
    andi a0, a0, 0x222
    call print_hex
    call newline
    la   t0, strap
    csrw stvec, t0
    la   t0, s_main
    csrw mepc, t0
    li   t0, 0x1800
    csrc mstatus, t0
    li   t0, 0x0800
    csrs mstatus, t0
    mret

s_main:
    csrr a0, sstatus
    andi a0, a0, 0x122
    call hexsp
    # sie/sip show only what mideleg delegates.
    li   t0, -1
    csrw sie, t0
    csrr a0, sie
    call hexsp
    csrw sie, zero
    csrr a0, sie
    call print_hex
    call newline
    # Delegated exceptions go to the S-mode handler.
    .word 0x0000000b
    ebreak
    csrr a0, mstatus
    mret
    # ecall from S-mode is not delegated: M-mode sees cause 9.
    li   a7, 0
    ecall
    # An S-mode software interrupt (SSIP set by S-mode itself).
    li   s4, 0
    li   t0, 2
    csrs sie, t0
    csrsi sstatus, 2
    csrs sip, t0
wait_ssi:
    beqz s4, wait_ssi
    # An S-mode timer interrupt, raised by M-mode on request.
    li   s4, 0
    li   t0, 0x20
    csrs sie, t0
    li   a7, 1
    ecall
wait_sti:
    beqz s4, wait_sti
    csrci sstatus, 2
    csrr a0, sip
    call print_hex
    call newline
    # Into U-mode; U's ecall and illegal CSR access are delegated to S, which resumes in S-mode.
    la   a0, u_ecall
    call enter_u
    la   a0, u_csr
    call enter_u
    li   a7, 3
    ecall

u_ecall:
    ecall
    j    back_in_s
u_csr:
    csrr a0, sstatus
back_in_s:
    lw   ra, 0(sp)
    addi sp, sp, 16
    ret

# enter_u: a0 = U-mode code address (called from S-mode).
enter_u:
    addi sp, sp, -16
    sw   ra, 0(sp)
    csrw sepc, a0
    li   t0, 0x100
    csrc sstatus, t0
    sret

    .align 2
strap:
    save_frame
    li   a0, 115
    call putc
    call space
    csrr a0, scause
    call hexsp
    csrr a0, sepc
    call hexsp
    csrr a0, stval
    call hexsp
    csrr a0, sstatus
    andi a0, a0, 0x122
    call print_hex
    call newline
    csrr t0, scause
    bltz t0, s_interrupt
    csrr t0, sepc
    addi t0, t0, 4
    csrw sepc, t0
    # Whatever trapped, continue in S-mode.
    li   t0, 0x100
    csrs sstatus, t0
    j    s_ret
s_interrupt:
    andi t0, t0, 0xff
    li   t1, 1
    bne  t0, t1, s_timer
    li   t0, 2
    csrc sip, t0
    li   s4, 1
    j    s_ret
s_timer:
    li   a7, 2
    ecall
    li   s4, 2
s_ret:
    restore_frame
    sret

    .align 2
mtrap:
    save_frame
    li   a0, 109
    call putc
    call space
    csrr a0, mcause
    call hexsp
    csrr a0, mepc
    call hexsp
    csrr a0, mtval
    call hexsp
    csrr a0, mstatus
    li   t0, 0x1988
    and  a0, a0, t0
    call print_hex
    call newline
    csrr t0, mcause
    li   t1, 9
    bne  t0, t1, m_skip
    li   t1, 1
    bne  a7, t1, m_not1
    li   t0, 0x20
    csrs mip, t0
m_not1:
    li   t1, 2
    bne  a7, t1, m_not2
    li   t0, 0x20
    csrc mip, t0
m_not2:
    li   t1, 3
    bne  a7, t1, m_skip
    j    pass
m_skip:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    restore_frame
    mret

#include "console.inc"
