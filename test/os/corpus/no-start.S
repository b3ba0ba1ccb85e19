# Without _start ld defaults the entry to the start of .text.
main:
    li      a0, 1
    .section .rodata
    .byte   1
