# b.S: the second OS of test/cli/run-kexec.test.ts. a.S carries it (b.bin, position independent:
# it runs where A loaded it) and enters it through the kjump ABI (kexec-contract.md §5): ra = A's re-entry,
# a0 = A's value. On its first entry B moves to its own stack, RESERVEs the pages of its stack
# and counter (so its own kexec pages come from elsewhere in its zero segment), and loads a
# jump-back helper to A (kexec-tools --load-jump-back-helper: one empty segment, PRESERVE_CONTEXT,
# entry = ra). Then every visit: bump its visit counter (in its own memory, swapped out while A
# runs), check it equals A's value and that A's word at the end of the region never shows
# through (B sees its own zeros there), print, and JUMP back answering 100 + its counter.
# Entered with ra = 0 (A loaded it without PRESERVE_CONTEXT: a plain kexec reboot), it says so
# and passes.
# Failures: the finisher's FAIL with code 50 + n.

    .include "../../../assets/os/include/sbi.inc"
    .include "os.inc"

    .equ    VARS,           0x8000      # counter at base + VARS; the stack grows down from it
    .equ    RESERVED,       0x6000      # [base + RESERVED, base + VARS + 0x1000): stack and counter
    .equ    A_WORD_OFF,     0x20000 - 4 # A's word in this region (mine reads 0)

    .text
    .globl  _start
_start:
    lla     s0, _start                  # s0 = my base
    li      t0, VARS
    add     sp, s0, t0
    add     s3, s0, t0                  # s3 = my counter
    mv      s1, ra                      # A's re-entry: where my JUMP goes back
    mv      s2, a0                      # A's first value
    bnez    s1, 1f                      # ra = 0: a plain kexec reboot, nobody to go back to
    lla     a0, msg_rebooted
    call    puts
    j       pass
1:
    li      t0, RESERVED
    add     a0, s0, t0
    li      a1, VARS + 0x1000 - RESERVED
    sbi     SBI_EXT_KEXEC, KEXEC_RESERVE
    li      t0, 51
    bnez    a0, fail_t0
    mv      a0, s1                      # kexec --load-jump-back-helper --entry=<ra>
    lla     a1, helper_seg
    li      a2, 1
    li      a3, KEXEC_PRESERVE_CONTEXT
    sbi     SBI_EXT_KEXEC, KEXEC_LOAD
    li      t0, 52
    bnez    a0, fail_t0
    lla     a0, msg_ready
    call    puts

visit:                                  # s2 = A's value this visit
    lw      t0, 0(s3)
    addi    t0, t0, 1
    sw      t0, 0(s3)
    lla     a0, msg_visit
    call    puts
    lw      a0, 0(s3)
    call    putdec
    lla     a0, msg_sent
    call    puts
    mv      a0, s2
    call    putdec
    li      a0, '\n'
    call    putc
    lw      t0, 0(s3)
    li      a0, 53
    bne     t0, s2, fail
    li      t0, A_WORD_OFF
    add     t0, t0, s0
    lw      t0, 0(t0)
    li      a0, 54
    bnez    t0, fail
    li      a0, 0                       # JUMP back to A with 100 + my counter
    lw      a1, 0(s3)
    addi    a1, a1, 100
    sbi     SBI_EXT_KEXEC, KEXEC_JUMP
    li      t0, 55
    bnez    a0, fail_t0
    mv      s2, a1                      # A jumped to me again: its next value
    j       visit

fail_t0:
    mv      a0, t0
    j       fail

    .section .rodata
msg_ready:  .asciz "B: up, jump-back helper loaded\n"
msg_rebooted: .asciz "B: entered by a plain kexec reboot, A is gone\n"
msg_visit:  .asciz "B: visit "
msg_sent:   .asciz ", A sent "

    .data
    .balign 4
helper_seg: .word 0, 0, 0, 0            # {buf, bufsz, mem, memsz}: the empty segment
