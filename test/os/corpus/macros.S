# GNU as macros, repetition, conditional assembly, .include and .incbin.
    .include "inc/common.inc"
    .macro  push reg
    addi    sp, sp, -4
    sw      \reg, 0(sp)
    .endm
    .macro  pop reg
    lw      \reg, 0(sp)
    addi    sp, sp, 4
    .endm
    .macro  li2 a, b=7
    li      \a, \b
    .endm
    .macro  lbl name
\name\()_label:
    nop
    .endm
    .macro  unique
    j       1f
    nop
1:
    .endm
    .globl _start
_start:
    push    ra
    push    a0
    pop     a0
    pop     ra
    li2     a0, 3
    li2     a1
    li2     a2 5
    putc    a0
    lbl     first
    unique
    unique
    li      a3, INCLUDED_CONST
    .rept   3
    addi    a0, a0, 1
    .endr
    .irp    r, a1, a2, a3
    mv      \r, zero
    .endr
    .set    N, 0
    .rept   4
    .set    N, N + 1
    .word   N
    .endr
    .if     INCLUDED_CONST == 42
    li      a4, 1
    .else
    li      a4, 2
    .endif
    .ifdef  UNDEFINED_THING
    li      a5, 1
    .elseif 1
    li      a5, 2
    .else
    li      a5, 3
    .endif
    .ifndef UNDEFINED_THING
    li      a6, 6
    .endif
    .if 0
    .if 1
    li      a7, 99
    .endif
    .endif
    ret
    .section .rodata
blob:
    .incbin "inc/blob.bin"
blob_end:
    .incbin "inc/blob.bin", 4, 3
    .incbin "inc/blob.bin", 36
