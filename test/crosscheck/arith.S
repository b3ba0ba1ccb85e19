# QEMU cross-check: RV32IM arithmetic, incl. the M extension's edge cases (division by zero,
# INT_MIN / -1, the signs of mulh/mulhsu/mulhu), shifts by large amounts and load sign extension.
# For every pair (a, b) of the values below it prints one line:
#   a b | mul mulh mulhsu mulhu div divu rem remu | add sub sll srl sra slt sltu xor or and
    .text
    .globl _start
_start:
    li   sp, 0x80100000
    la   s0, values
    li   s1, 0
outer:
    li   s2, 0
inner:
    slli t0, s1, 2
    add  t0, s0, t0
    lw   s3, 0(t0)
    slli t0, s2, 2
    add  t0, s0, t0
    lw   s4, 0(t0)
    mv   a0, s3
    call hexsp
    mv   a0, s4
    call hexsp
    li   a0, 124
    call putc
    call space
    mul    a0, s3, s4
    call hexsp
    mulh   a0, s3, s4
    call hexsp
    mulhsu a0, s3, s4
    call hexsp
    mulhu  a0, s3, s4
    call hexsp
    div    a0, s3, s4
    call hexsp
    divu   a0, s3, s4
    call hexsp
    rem    a0, s3, s4
    call hexsp
    remu   a0, s3, s4
    call hexsp
    li   a0, 124
    call putc
    call space
    add  a0, s3, s4
    call hexsp
    sub  a0, s3, s4
    call hexsp
    sll  a0, s3, s4
    call hexsp
    srl  a0, s3, s4
    call hexsp
    sra  a0, s3, s4
    call hexsp
    slt  a0, s3, s4
    call hexsp
    sltu a0, s3, s4
    call hexsp
    xor  a0, s3, s4
    call hexsp
    or   a0, s3, s4
    call hexsp
    and  a0, s3, s4
    call print_hex
    call newline
    addi s2, s2, 1
    li   t0, 12
    blt  s2, t0, inner
    addi s1, s1, 1
    blt  s1, t0, outer

    # Immediate forms and sign extension of loads.
    li   s3, 0x8badf00d
    addi a0, s3, -1
    call hexsp
    slti a0, s3, -1
    call hexsp
    sltiu a0, s3, -1
    call hexsp
    xori a0, s3, -1
    call hexsp
    srai a0, s3, 31
    call hexsp
    srli a0, s3, 31
    call hexsp
    slli a0, s3, 31
    call hexsp
    lui  a0, 0xfffff
    call print_hex
    call newline
    la   s5, word
    lb   a0, 3(s5)
    call hexsp
    lbu  a0, 3(s5)
    call hexsp
    lh   a0, 2(s5)
    call hexsp
    lhu  a0, 2(s5)
    call hexsp
    lh   a0, 0(s5)
    call hexsp
    lb   a0, 0(s5)
    call print_hex
    call newline
    # Sub-word stores.
    li   t0, 0x11223344
    sw   t0, 4(s5)
    li   t0, 0xaabbccdd
    sb   t0, 5(s5)
    sh   t0, 6(s5)
    lw   a0, 4(s5)
    call print_hex
    call newline
    j    pass

#include "console.inc"

    .data
    .align 2
values:
    .word 0, 1, 0xffffffff, 2, 7, 0xfffffff9, 0x7fffffff, 0x80000000, 0x12345678, 0xdeadbeef, 31, 33
word:
    .word 0x8badf00d, 0
