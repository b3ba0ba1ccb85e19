# QEMU cross-check: S-mode and delegation. M-mode delegates illegal instruction, breakpoint and
# U-mode ecall exceptions and the S-mode interrupts, then mrets into S-mode. Traps print
#   m mcause mepc mtval mstatus&0x1988       (M-mode handler)
#   s scause sepc stval sstatus&0x122        (S-mode handler)
# S-mode asks M-mode for services with ecall, a7 = 1 raise STIP, 2 clear STIP, 3 power off.
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   t0, mtrap
    csrw mtvec, t0
    li   t0, -1
    csrw pmpaddr0, t0
    li   t0, 0x1f
    csrw pmpcfg0, t0
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
    sw   a7, 36(sp)
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
    lw   ra, 0(sp)
    lw   a0, 4(sp)
    lw   t0, 8(sp)
    lw   t1, 12(sp)
    lw   t2, 16(sp)
    lw   t3, 20(sp)
    lw   t4, 24(sp)
    lw   t5, 28(sp)
    lw   s11, 32(sp)
    lw   a7, 36(sp)
    addi sp, sp, 48
    sret

    .align 2
mtrap:
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
