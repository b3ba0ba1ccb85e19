# With .option norelax in effect at the end, GNU fills code alignment and the section tail with nops.
    .option norelax
    .globl _start
_start:
    nop
    .align 4
    nop
    nop
    .balign 16
    nop
    .align 5
    ret
    .section .text.other
    nop
    .align 3
    nop
    .align 4
