# a.S: the example's first OS (kernel A, booted by the simulator). It carries B's flat binary
# (b.bin, .incbin'd: the test assembles b.S first), loads it with kexec_load at REGION with
# KEXEC_PRESERVE_CONTEXT, and plays ROUNDS round trips: each round it writes the round number
# into the last page of REGION (its own memory, which B's image swaps out while B runs), JUMPs to
# B with the round number, and on return checks B's answer (round + 100) and its own word.

    .include "include/sbi.inc"          # from the jumpback package
    .include "lib.inc"                  # ours, next to this file

    .equ    REGION,         0x80100000  # where B runs: free memory of A's
    .equ    REGION_SIZE,    0x20000     # B's 32 pages: its code page, then zeros
    .equ    A_WORD,         REGION + REGION_SIZE - 4
    .ifndef ROUNDS
    .equ    ROUNDS,         3
    .endif

    .text
    .globl  _start
_start:
    lla     sp, stack_top
    lla     a0, msg_boot
    call    puts
    # Two segments: B's code (one page, bytes from b.bin), then zeros to the end of REGION.
    lla     t0, segs
    lla     t1, b_bin
    sw      t1, 0(t0)                   # buf
    lla     t2, b_end
    sub     t2, t2, t1
    sw      t2, 4(t0)                   # bufsz
    li      t1, REGION
    sw      t1, 8(t0)                   # mem
    li      t1, 0x1000
    sw      t1, 12(t0)                  # memsz
    sw      zero, 16(t0)
    sw      zero, 20(t0)
    li      t1, REGION + 0x1000
    sw      t1, 24(t0)
    li      t1, REGION_SIZE - 0x1000
    sw      t1, 28(t0)
    li      a0, REGION                  # entry
    lla     a1, segs
    li      a2, 2
    li      a3, KEXEC_PRESERVE_CONTEXT
    sbi     SBI_EXT_KEXEC, KEXEC_LOAD
    li      t0, 1
    bnez    a0, fail_t0
    lla     a0, msg_loaded
    call    puts

    li      s1, 0                       # the round
round:
    addi    s1, s1, 1
    li      t0, A_WORD
    sw      s1, 0(t0)
    lla     a0, msg_jump
    call    puts
    mv      a0, s1
    call    putdec
    li      a0, '\n'
    sbi     SBI_EXT_DBCN, DBCN_WRITE_BYTE
    li      a0, 0                       # the default reboot command
    mv      a1, s1                      # what B receives
    sbi     SBI_EXT_KEXEC, KEXEC_JUMP
    li      t0, 2
    bnez    a0, fail_t0
    mv      s2, a1                      # B's answer
    lla     a0, msg_back
    call    puts
    mv      a0, s2
    call    putdec
    li      a0, '\n'
    sbi     SBI_EXT_DBCN, DBCN_WRITE_BYTE
    addi    t0, s1, 100
    li      a0, 3
    bne     s2, t0, fail
    li      t0, A_WORD                  # my word came back with my memory
    lw      t0, 0(t0)
    li      a0, 4
    bne     t0, s1, fail
    li      t0, ROUNDS
    bltu    s1, t0, round
    lla     a0, msg_done
    call    puts
    j       pass

fail_t0:
    mv      a0, t0
    j       fail

    .section .rodata
msg_boot:   .asciz "A: boot\n"
msg_loaded: .asciz "A: loaded B\n"
msg_jump:   .asciz "A: jump to B, round "
msg_back:   .asciz "A: back, B answered "
msg_done:   .asciz "A: done\n"

    .data
    .balign 4
segs:       .space 32                   # 2 x struct kexec_segment {buf, bufsz, mem, memsz}
    .balign 4
b_bin:      .incbin "b.bin"
b_end:

    .bss
    .balign 16
stack:      .space 4096
stack_top:
