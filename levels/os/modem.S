# modem.S: a level OS (the forgetful device). A kernel that owns the UART as a modem line: it
# switches the 16550 into loopback (MCR.LOOP) at boot and, each round, sends one byte down the
# line and reads it back. From then on nothing it writes reaches the screen, which is fine for a
# headless modem, and leaves the UART in that state for whoever runs next unless kexec restores
# the device state it froze (merged kexec always does; the seed only with PRESERVE_DEVICE).
# REPORTs CHECK = the echoes that came back right.

    .include "include/sbi.inc"
    .include "include/kernel.inc"
    .include "include/console.inc"
    .include "include/cmdline.inc"
    .include "include/trap.inc"

    .equ    UART_BASE, 0x10000000
    .equ    UART_RBR, 0
    .equ    UART_MCR, 4
    .equ    UART_LSR, 5
    .equ    MCR_OUT2_LOOP, 0x18
    .equ    LSR_DR, 1

    .data
    .balign 16
os_name:    .asciz "M"
    .balign 16
os_kind:    .asciz "modem"

    .text
os_init:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    lla     a0, str_loop
    call    say
    li      t0, UART_BASE
    li      t1, MCR_OUT2_LOOP           # the line is ours now: loop it back
    sb      t1, UART_MCR(t0)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# os_work(): drain the receiver, send the round's low byte, read it back; a0 = good echoes.
os_work:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    call    wait_tick
    li      t0, UART_BASE
1:  lbu     t1, UART_LSR(t0)
    andi    t1, t1, LSR_DR
    beqz    t1, 2f
    lbu     t1, UART_RBR(t0)
    j       1b
2:  lla     t2, rounds
    lw      t1, 0(t2)
    andi    t1, t1, 0xff
    sb      t1, UART_RBR(t0)
    lbu     t3, UART_RBR(t0)
    lla     t2, echoes
    lw      s0, 0(t2)
    bne     t3, t1, 3f
    addi    s0, s0, 1
    sw      s0, 0(t2)
3:  report  REP_CHECK, s0
    mv      a0, s0
    lw      ra, 12(sp)
    lw      s0, 8(sp)
    addi    sp, sp, 16
    ret

    .section .rodata
str_loop:   .asciz "modem line up, console looped back"

    .bss
    .balign 4
echoes:     .space 4

    KERNEL_TAIL
