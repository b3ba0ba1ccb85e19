# hib-a.S: the OS that hibernates (kexec-linux.md §5.1). Fills its memory (its image and the
# region it lends to the dump kernel) with data, kexec-loads the dump kernel it carries
# (hib-dump.bin) into REGION with PRESERVE_CONTEXT and jumps. Whoever brings it back (the dump
# kernel jumping back, or the restore kernel on a later boot) makes its JUMP return; it then
# prints the value it got and passes only if its memory sums as before.
    .include "hib.inc"

    .text
    .globl  _start
_start:
    lla     sp, stack_top
    puts    msg_up
    li      t0, REGION                  # my data in the region: pa * golden ratio
    li      t1, REGION + REGION_SIZE
    li      t2, 0x9E3779B1
1:  mul     t3, t0, t2
    sw      t3, 0(t0)
    addi    t0, t0, 4
    bltu    t0, t1, 1b
    lla     t0, heap                    # and in my own pages
    lla     t1, heap_end
2:  mul     t3, t0, t2
    xori    t3, t3, 0x5a5
    sw      t3, 0(t0)
    addi    t0, t0, 4
    bltu    t0, t1, 2b
    lla     t0, segs                    # the dump kernel, then zeros for the rest of the region
    lla     t1, dump_bin
    sw      t1, 0(t0)
    lla     t2, dump_end
    sub     t2, t2, t1
    sw      t2, 4(t0)
    call    my_sum
    mv      s4, a0                      # what my memory must sum to when I am back
    li      a0, REGION
    lla     a1, segs
    li      a2, 2
    li      a3, 2                       # KEXEC_PRESERVE_CONTEXT
    li      a7, KEXEC_EID
    li      a6, 0
    ecall
    bnez    a0, fail
    li      a0, 0
    li      a1, 0x11
    li      a7, KEXEC_EID
    li      a6, 1                       # JUMP
    ecall
    bnez    a0, fail
    mv      s5, a1
    puts    msg_back
    mv      a0, s5                      # the value, in hex
    li      t1, UART
    li      t3, 28
3:  srl     t2, a0, t3
    andi    t2, t2, 15
    li      t4, 10
    blt     t2, t4, 4f
    addi    t2, t2, 39
4:  addi    t2, t2, 48
    sb      t2, 0(t1)
    addi    t3, t3, -4
    bgez    t3, 3b
    li      t2, '\n'
    sb      t2, 0(t1)
    call    my_sum
    bne     a0, s4, fail
    puts    msg_ok
    li      t0, FINISHER
    li      t1, 0x5555
    sw      t1, 0(t0)
5:  j       5b
fail:
    puts    msg_fail
    li      t0, FINISHER
    li      t1, 0x13333
    sw      t1, 0(t0)
6:  j       6b

# my_sum(): a0 = sum of the words of my image (up to the stack) and of the region.
my_sum:
    li      a0, 0
    lla     t0, _start
    lla     t1, stack_bottom
1:  lw      t2, 0(t0)
    add     a0, a0, t2
    slli    t3, a0, 7
    srli    a0, a0, 25
    or      a0, a0, t3
    addi    t0, t0, 4
    bltu    t0, t1, 1b
    li      t0, REGION
    li      t1, REGION + REGION_SIZE
2:  lw      t2, 0(t0)
    add     a0, a0, t2
    slli    t3, a0, 7
    srli    a0, a0, 25
    or      a0, a0, t3
    addi    t0, t0, 4
    bltu    t0, t1, 2b
    ret

    .section .rodata
msg_up:     .asciz "A up\n"
msg_back:   .asciz "A back "
msg_ok:     .asciz "A ok\n"
msg_fail:   .asciz "A FAIL\n"

    .data
    .balign 4
segs:       .word 0, 0, REGION, 0x2000
            .word 0, 0, REGION + 0x2000, REGION_SIZE - 0x2000
    .balign 4096
heap:       .space 8192
heap_end:
dump_bin:   .incbin "hib-dump.bin"
dump_end:
    .balign 16
stack_bottom:
    .space  4096
stack_top:
