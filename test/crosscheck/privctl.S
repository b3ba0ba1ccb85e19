# QEMU cross-check: privilege controls. misa's base bits, mstatus/sstatus WARL readback (MPRV, SUM,
# MXR, TVM, TW, TSR), mret clearing MPRV, TW (wfi in S-mode), TSR (sret), TVM (satp), wfi in U-mode,
# an M-mode interrupt taken in U-mode with MIE = 0, and S-mode vectored interrupts (stvec mode 1).
# M-mode traps print T mcause mepc mtval and come back in M-mode after the trapping instruction.
#include "trapframe.inc"
    .equ CLINT_MSIP, 0x02000000
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   t0, trap
    csrw mtvec, t0
    pmp_allow_all

    # misa: MXL = 1 and the I, M, S, U bits (QEMU's default CPU also has A, C, D, F: masked off).
    csrr a0, misa
    li   t0, 0xc0141100
    and  a0, a0, t0
    call hexsp
    csrr a0, mhartid
    call print_hex
    call newline

    # mstatus: write all ones, read back the privilege-control bits (SIE SPIE MIE MPIE SPP MPP MPRV
    # SUM MXR TVM TW TSR), then all zeros. MPP = 2 is reserved (WARL).
    li   s1, 0x007e19aa
    li   t0, -1
    csrw mstatus, t0
    csrr a0, mstatus
    and  a0, a0, s1
    call hexsp
    csrw mstatus, zero
    csrr a0, mstatus
    and  a0, a0, s1
    call hexsp
    li   t0, 0x1000
    csrw mstatus, t0
    csrr a0, mstatus
    and  a0, a0, s1
    call print_hex
    call newline
    # sstatus shows and writes only its own bits.
    csrw mstatus, zero
    li   t0, -1
    csrw sstatus, t0
    csrr a0, sstatus
    and  a0, a0, s1
    call hexsp
    csrr a0, mstatus
    and  a0, a0, s1
    call print_hex
    call newline
    csrw mstatus, zero

    # mret to S-mode clears MPRV (priv 1.12); mret to M keeps it.
    li   t0, 0x20000
    csrs mstatus, t0
    la   a0, s_ecall
    li   a1, 1
    call enter
    csrr a0, mstatus
    and  a0, a0, s1
    call hexsp
    li   t0, 0x21800
    csrs mstatus, t0
    la   t0, m_here
    csrw mepc, t0
    mret
m_here:
    csrr a0, mstatus
    and  a0, a0, s1
    call print_hex
    call newline
    csrw mstatus, zero

    # TW: wfi in S-mode traps (illegal instruction, mtval = its bits).
    li   t0, 0x200000
    csrs mstatus, t0
    la   a0, s_wfi
    li   a1, 1
    call enter
    csrw mstatus, zero
    # TSR: sret in S-mode traps; TVM: satp in S-mode traps. Without them S-mode reads satp = 0.
    li   t0, 0x400000
    csrs mstatus, t0
    la   a0, s_sret
    li   a1, 1
    call enter
    csrw mstatus, zero
    li   t0, 0x100000
    csrs mstatus, t0
    la   a0, s_satp
    li   a1, 1
    call enter
    csrw mstatus, zero
    la   a0, s_satp
    li   a1, 1
    call enter
    # wfi in U-mode traps even with TW = 0.
    la   a0, s_wfi
    li   a1, 0
    call enter

    # An M-mode software interrupt is taken in U-mode although mstatus.MIE = 0.
    li   t0, 8
    csrw mie, t0
    la   a0, u_spin
    li   a1, 0
    call enter
    csrw mie, zero

    # S-mode vectored: stvec = base | 1; a delegated supervisor software interrupt goes to base + 4,
    # a delegated ecall from U-mode to base.
    la   t0, svec
    ori  t0, t0, 1
    csrw stvec, t0
    csrr a0, stvec
    la   t0, svec
    sub  a0, a0, t0
    call print_hex
    call newline
    li   t0, 2
    csrw mideleg, t0
    li   t0, 0x100
    csrw medeleg, t0
    la   a0, s_vectored
    li   a1, 1
    call enter
    csrw mideleg, zero
    csrw medeleg, zero
    j    pass

s_ecall:
    ecall
    j    back
s_wfi:
    wfi
    ecall
    j    back
s_sret:
    la   t0, s_after_sret
    csrw sepc, t0
    sret
s_after_sret:
    ecall
    j    back
s_satp:
    csrr a0, satp
    call hexsp
    ecall
    j    back
# u_spin: waits for the interrupt, which the handler acknowledges by clearing msip; then ecall.
u_spin:
    li   t0, CLINT_MSIP
    li   t1, 1
    sw   t1, 0(t0)
    li   s2, 0
u_wait:
    addi s2, s2, 1
    li   t1, 1000
    blt  s2, t1, u_wait
    ecall
    j    back
# s_vectored: S-mode with sie.SSIE and sstatus.SIE; raising sip.SSIP traps to svec + 4 at once.
s_vectored:
    li   t0, 2
    csrs sie, t0
    csrs sstatus, t0
    csrs sip, t0
    li   a0, 83
    call putc
    call newline
    la   a0, u_ecall
    csrw sepc, a0
    li   t0, 0x100
    csrc sstatus, t0
    sret
u_ecall:
    ecall
    ebreak
    j    back
#include "enter.inc"

# The S-mode vector table: exceptions at base, supervisor software interrupt at base + 4. Each
# prints its scause (V for an exception, v for the interrupt) and returns: the interrupt after
# clearing SSIP, a delegated ecall from U-mode to the next instruction, still in U-mode.
    .align 6
svec:
    j    sv_exc
    j    sv_ssi
sv_exc:
    save_frame
    li   a0, 86
    call putc
    call space
    csrr a0, scause
    call print_hex
    call newline
    csrr t0, sepc
    addi t0, t0, 4
    csrw sepc, t0
    restore_frame
    sret
sv_ssi:
    save_frame
    li   a0, 118
    call putc
    call space
    csrr a0, scause
    call print_hex
    call newline
    li   t0, 2
    csrc sip, t0
    restore_frame
    sret

# The M-mode trap handler: prints T mcause mepc mtval and returns to M-mode after an exception;
# prints T mcause MPP for an interrupt, clears msip and returns to the interrupted mode.
    .align 2
trap:
    save_frame
    li   a0, 84
    call putc
    call space
    csrr a0, mcause
    call hexsp
    csrr t0, mcause
    bltz t0, trap_irq
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
    j    trap_ret
trap_irq:
    # Where an interrupt lands depends on timing; print the mode it came from (MPP) instead.
    csrr a0, mstatus
    srli a0, a0, 11
    andi a0, a0, 3
    call print_hex
    call newline
    li   t0, CLINT_MSIP
    sw   zero, 0(t0)
trap_ret:
    restore_frame
    mret

#include "console.inc"
