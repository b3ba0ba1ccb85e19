# Code alignment: GNU emits worst-case nops with R_RISCV_ALIGN under relaxation and ld trims them
# (even with --no-relax); under .option norelax as pads itself. The section end pads to its alignment.
    .globl _start
_start:
    nop
    .align 3
    nop
    .align 5
    nop
    nop
    .balign 64
x64:
    nop
    .option push
    .option norelax
    .align 4
    nop
    .p2align 3
    call    far
    .option pop
    .align 4
    call    far
    .align 2
    nop
    .section .text.second
second:
    nop
    .align 4
    nop
    .option norelax
    .align 3
far:
    ret
