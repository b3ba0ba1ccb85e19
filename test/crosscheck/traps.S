# QEMU cross-check: synchronous traps and CSRs in M-mode and U-mode, access faults outside RAM. Each trap prints
#   T mcause mepc mtval mstatus&0x1888
# then returns to the next instruction in M-mode (a fetch fault returns to ra instead).
#include "trapframe.inc"
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   t0, trap
    csrw mtvec, t0
    pmp_allow_all

    # CSR read/modify/write on mscratch.
    li   t0, 0x12345678
    csrw mscratch, t0
    li   t1, 0xf0f0
    csrrs a0, mscratch, t1
    call hexsp
    csrrc a0, mscratch, t1
    call hexsp
    csrrwi a0, mscratch, 21
    call hexsp
    csrrsi a0, mscratch, 10
    call hexsp
    csrrci a0, mscratch, 1
    call hexsp
    csrr a0, mscratch
    call hexsp
    csrr a0, mhartid
    call hexsp
    # mstatus: the M/S interrupt-enable and previous-privilege fields read back as written.
    li   t0, 0x1888
    csrw mstatus, t0
    csrr a0, mstatus
    li   t1, 0x19aa
    and  a0, a0, t1
    call hexsp
    csrw mstatus, zero
    csrr a0, mstatus
    and  a0, a0, t1
    call hexsp
    # WARL masks: the standard M/S interrupt bits of mie and mideleg (QEMU's default CPU also
    # has the hypervisor's, so only these are compared).
    li   t0, -1
    csrw mie, t0
    csrr a0, mie
    li   t1, 0xaaa
    and  a0, a0, t1
    call hexsp
    csrw mie, zero
    li   t0, -1
    csrw mideleg, t0
    csrr a0, mideleg
    andi a0, a0, 0x222
    call print_hex
    call newline
    csrw mideleg, zero

    # Illegal instructions: custom-0 opcode, an all-zero word, a write to a read-only CSR,
    # an unknown CSR.
    .word 0x0000000b
    .word 0x00000000
    csrw mvendorid, zero
    csrr a0, 0x8ff
    # ecall and ebreak from M-mode.
    ecall
    ebreak
    # Access faults: nothing answers at 0 or just past the UART's eight registers.
    li   s1, 0
    lw   a0, 0(s1)
    sw   a0, 4(s1)
    li   s1, 0x10000100
    lb   a0, 0(s1)
    # Fetch access fault: jump to 0, come back through ra.
    li   s1, 0
    jalr ra, 0(s1)
    # The edge of RAM (16 MiB, QEMU runs with -m 16M): the last word works, the next one faults.
    li   s1, 0x80fffffc
    li   t0, 0x600df00d
    sw   t0, 0(s1)
    lw   a0, 0(s1)
    call print_hex
    call newline
    li   s1, 0x81000000
    lw   a0, 0(s1)
    sh   a0, 2(s1)
    jalr ra, 0(s1)
    # Misaligned loads and stores in RAM (QEMU performs them; so do we).
    la   s2, data
    lw   a0, 1(s2)
    call hexsp
    lh   a0, 3(s2)
    call hexsp
    li   t0, 0xcafef00d
    sw   t0, 5(s2)
    lw   a0, 4(s2)
    call hexsp
    lw   a0, 8(s2)
    call print_hex
    call newline

    # U-mode: ecall, an M-mode CSR, mret, wfi-free; each returns here in M-mode.
    la   a0, u_ecall
    call enter_u
    la   a0, u_csr
    call enter_u
    la   a0, u_mret
    call enter_u
    la   a0, u_load
    call enter_u
    j    pass

u_ecall:
    ecall
    j    back
u_csr:
    csrr a0, mstatus
    j    back
u_mret:
    mret
    j    back
u_load:
    li   s1, 0
    lw   a0, 0(s1)
back:
    # The trap handler set MPP = M, so we are in M-mode again.
    lw   ra, 0(sp)
    addi sp, sp, 16
    ret

# enter_u: a0 = U-mode code address. Saves ra on the stack for `back`.
enter_u:
    addi sp, sp, -16
    sw   ra, 0(sp)
    csrw mepc, a0
    li   t0, 0x1800
    csrc mstatus, t0
    mret

# The M-mode trap handler.
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
    call hexsp
    csrr a0, mstatus
    li   t0, 0x1888
    and  a0, a0, t0
    call print_hex
    call newline
    csrr t0, mcause
    li   t1, 1
    bne  t0, t1, trap_skip
    lw   t0, 0(sp)
    csrw mepc, t0
    j    trap_ret
trap_skip:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
trap_ret:
    li   t0, 0x1800
    csrs mstatus, t0
    restore_frame
    mret

#include "console.inc"

    .data
    .align 2
data:
    .word 0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c
