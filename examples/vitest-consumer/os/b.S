# b.S: the example's second OS, position independent: a.S carries it as b.bin and kexec-loads it.
# Entered through the kjump ABI (kexec-contract.md §5): ra = A's re-entry, a0 = A's value. The first time
# it RESERVEs its stack page (so its own kexec pages come from elsewhere in its memory) and loads a
# jump-back helper to A (one empty segment, PRESERVE_CONTEXT, entry = ra); then at every visit it
# counts, prints, checks it sees its own zeros (not A's word) at the end of its region, and JUMPs
# back answering A's value + 100.

    .include "include/sbi.inc"
    .include "lib.inc"

    .equ    STACK_TOP,      0x8000      # from my base: my stack grows down from here
    .equ    A_WORD_OFF,     0x20000 - 4 # A's word in my region: here I must read my own 0

    .text
    .globl  _start
_start:
    lla     s0, _start                  # s0 = my base
    li      t0, STACK_TOP
    add     sp, s0, t0
    mv      s1, ra                      # where JUMP goes back to
    mv      s2, a0                      # A's value
    add     a0, s0, t0                  # RESERVE my stack page
    li      t0, 0x1000
    sub     a0, a0, t0
    li      a1, 0x1000
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
    li      s3, 0                       # my visits

visit:
    addi    s3, s3, 1
    lla     a0, msg_visit
    call    puts
    mv      a0, s3
    call    putdec
    li      a0, '\n'
    sbi     SBI_EXT_DBCN, DBCN_WRITE_BYTE
    li      t0, A_WORD_OFF
    add     t0, t0, s0
    lw      t0, 0(t0)
    li      a0, 53
    bnez    t0, fail
    li      a0, 0                       # JUMP back with A's value + 100
    addi    a1, s2, 100
    sbi     SBI_EXT_KEXEC, KEXEC_JUMP
    li      t0, 54
    bnez    a0, fail_t0
    mv      s2, a1                      # A jumped to me again: its next value
    j       visit

fail_t0:
    mv      a0, t0
    j       fail

    .section .rodata
msg_visit:  .asciz "B: visit "

    .data
    .balign 4
helper_seg: .word 0, 0, 0, 0            # {buf, bufsz, mem, memsz}: the empty segment
