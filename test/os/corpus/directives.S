/* Data directives, strings, alignment and sections, checked byte for byte against GNU. */
    .section .text.init
    .globl _start
_start:
    la      sp, stack_top
    j       main

    .text
main:
    nop
    .align  3
aligned8:
    addi    a0, a0, 1
    .p2align 4
aligned16:
    addi    a0, a0, 2
    .balign 32
aligned32:
    ret
    .align  2
    .word   0xdeadbeef
    .half   0x1234
    .half   0x5678
    .align  4, 0
    .byte   7

    .section .rodata
msg:    .ascii  "abc", "def"
msgz:   .asciz  "hello\n\t\\\"\x41\101"
str2:   .string "two"
utf:    .asciz  "é"
    .align 2
table:  .word   msg, msgz + 1, main, aligned32 - main
        .half   0xffff, -1, 'A', '\n'
        .short  1
        .2byte  2
        .4byte  3
        .long   4
        .int    5
        .byte   1, 2, 3, -1, 0xff, 'z
        .8byte  0x1122334455667788
        .quad   -2
        .dword  table
    .section .rodata.consts
    .balign 8
consts:
    .word   1 + 2 * 3, (1 + 2) * 3, 10 / 3, -10 / 3, 10 % 3, 1 << 4, 256 >> 4, -1 >> 60
    .word   0xf0 | 0x0f, 0xff & 0x3c, 0xff ^ 0x0f, ~0, -5, !0, !7
    .word   1 + 2 << 3, 8 | 1 + 1, 6 & 3 * 2
    .word   3 == 3, 3 != 3, 2 < 3, 2 > 3, 2 <= 2, 3 >= 4, 1 && 0, 1 || 0
    .word   SIZE, SIZE2, SIZE3, end_data - start_data
    .equ    SIZE, 16
    .set    SIZE2, SIZE * 2
    SIZE3 = SIZE2 + 1

    .data
start_data:
    .byte   1
    .align  2
word:   .word   0x01020304
    .space  3
    .space  2, 0xaa
    .skip   2, 0xbb
    .zero   5
    .fill   3, 2, 0x1234
    .fill   2, 4, 0xcafebabe
    .fill   2
    .balign 16, 0xee
end_data:
    .byte   9

    .bss
    .align  4
buf:    .space  100
    .balign 8
stack:  .zero   256
stack_top:

    .section .data.more, "aw", @progbits
more:   .word   buf, stack_top
    .pushsection .rodata.pushed
pushed: .word   1
    .popsection
after_pop: .word 2
    .text
    .word   3
    .previous
back:   .word   4
