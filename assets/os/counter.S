# counter.S: the counter/clock OS. Each round waits for its next timer tick (so a dead timer
# after a round trip shows as a hang), prints "NAME: round N" and reports N as CHECK; the kernel
# then yields to the level's script, which may jump to another OS and back ("NAME: back T").

    .include "include/sbi.inc"
    .include "include/kernel.inc"
    .include "include/console.inc"
    .include "include/cmdline.inc"
    .include "include/trap.inc"

    .data
    .balign 16
os_name:    .asciz "C"
    .balign 16
os_kind:    .asciz "counter"

    .text
os_init:
    ret

# os_work(): a0 = the round number (the progress value YIELD carries).
os_work:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    call    wait_tick
    lla     t0, rounds
    lw      s0, 0(t0)
    call    pr_begin
    lla     a0, str_round
    call    pr_str
    mv      a0, s0
    call    pr_dec
    call    pr_end
    report  REP_CHECK, s0
    mv      a0, s0
    lw      ra, 12(sp)
    lw      s0, 8(sp)
    addi    sp, sp, 16
    ret

    .section .rodata
str_round:  .asciz "round "

    KERNEL_TAIL
