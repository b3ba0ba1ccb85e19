# CoreMark-like RV32IM workload for `npm run bench -- --only cpu`: a linked-list walk and reversal,
# an 8x8 matrix multiply through a dot-product call, CoreMark's bitwise CRC-16 and a number-scanning
# state machine (jump table), each a function called once per iteration. The program checks its own
# checksum at the end and reports through the SiFive test finisher: pass, or fail with code 1.
    .equ FINISHER, 0x100000
    .equ ITERATIONS, 20000
    .equ NODES, 128
    .equ MAT, 8
    .equ CRCBYTES, 16
    .equ TEXTLEN, 82                # length of `text`
    .equ EXPECTED, 0x679a4a38         # checked against qemu-system-riscv32 -M virt -bios none

    .section .text.init
    .globl _start
_start:
    la sp, stack_top
    call list_init
    call matrix_init
    li s0, ITERATIONS
    li s1, 0x1234               # running checksum
main_loop:
    mv a0, s1
    call list_work
    add s1, s1, a0
    mv a0, s1
    call matrix_work
    xor s1, s1, a0
    mv a0, s1
    call crc_work
    slli t0, s1, 7
    srli t1, s1, 25
    or s1, t0, t1               # rotate left by 7
    add s1, s1, a0
    mv a0, s1
    call state_work
    add s1, s1, a0
    addi s0, s0, -1
    bnez s0, main_loop
    la t0, result
    sw s1, 0(t0)
    li t0, EXPECTED
    li t1, FINISHER
    bne s1, t0, fail
    li t2, 0x5555
    sw t2, 0(t1)
1:  j 1b
fail:
    li t2, 0x13333              # fail with code 1
    sw t2, 0(t1)
2:  j 2b

# Links NODES nodes in order, values from a linear congruential generator.
list_init:
    la t0, nodes
    la t1, head
    sw t0, 0(t1)
    li t2, NODES
    li t3, 12345                # LCG state
    li t4, 1103515245
1:  mul t3, t3, t4
    addi t3, t3, 1103
    srli t5, t3, 16
    sw t5, 4(t0)                # value
    addi t6, t0, 8
    addi t2, t2, -1
    beqz t2, 2f
    sw t6, 0(t0)                # next
    mv t0, t6
    j 1b
2:  sw zero, 0(t0)
    ret

# a0 = seed. Reverses the list in place, rewriting each value; returns the sum of new values.
list_work:
    la a5, head
    lw t1, 0(a5)                # cur
    li t2, 0                    # prev
    li a1, 0                    # sum
    li a2, 3
1:  beqz t1, 2f
    lw t3, 0(t1)                # next
    lw t4, 4(t1)
    mul t4, t4, a2
    add t4, t4, a0
    andi t4, t4, 0x7ff
    sw t4, 4(t1)
    add a1, a1, t4
    sw t2, 0(t1)
    mv t2, t1
    mv t1, t3
    j 1b
2:  sw t2, 0(a5)
    mv a0, a1
    ret

matrix_init:
    la t0, mat_a
    li t2, 2*MAT*MAT            # mat_b follows mat_a
    li t3, 777
    li t4, 69069
1:  mul t3, t3, t4
    addi t3, t3, 1
    srli t5, t3, 24
    sw t5, 0(t0)
    addi t0, t0, 4
    addi t2, t2, -1
    bnez t2, 1b
    ret

# a0 = seed. C = A * B; A = (C ^ seed) & 0xff; returns sum(C) + sum(C) / (seed | 1) + sum(C) % 7.
matrix_work:
    addi sp, sp, -32
    sw ra, 28(sp)
    sw s0, 24(sp)
    sw s1, 20(sp)
    sw s2, 16(sp)
    sw s3, 12(sp)
    sw s4, 8(sp)
    mv s4, a0
    li s0, 0                    # i
    li s3, 0                    # sum
1:  li s1, 0                    # j
2:  la a0, mat_a
    slli t0, s0, 5
    add a0, a0, t0              # row i of A
    la a1, mat_b
    slli t0, s1, 2
    add a1, a1, t0              # column j of B
    call dot8
    la t0, mat_c
    slli t1, s0, 5
    add t0, t0, t1
    slli t1, s1, 2
    add t0, t0, t1
    sw a0, 0(t0)
    add s3, s3, a0
    addi s1, s1, 1
    li t0, MAT
    blt s1, t0, 2b
    addi s0, s0, 1
    blt s0, t0, 1b
    # A = (C ^ seed) & 0xff
    la t0, mat_c
    la t1, mat_a
    li t2, MAT*MAT
3:  lw t3, 0(t0)
    xor t3, t3, s4
    andi t3, t3, 0xff
    sw t3, 0(t1)
    addi t0, t0, 4
    addi t1, t1, 4
    addi t2, t2, -1
    bnez t2, 3b
    ori t0, s4, 1
    divu t1, s3, t0
    li t2, 7
    remu t3, s3, t2
    add a0, s3, t1
    add a0, a0, t3
    lw s4, 8(sp)
    lw s3, 12(sp)
    lw s2, 16(sp)
    lw s1, 20(sp)
    lw s0, 24(sp)
    lw ra, 28(sp)
    addi sp, sp, 32
    ret

# a0 = row pointer (stride 4), a1 = column pointer (stride 4*MAT); returns the dot product.
dot8:
    li a2, MAT
    li a3, 0
1:  lw t0, 0(a0)
    lw t1, 0(a1)
    mul t0, t0, t1
    add a3, a3, t0
    addi a0, a0, 4
    addi a1, a1, 4*MAT
    addi a2, a2, -1
    bnez a2, 1b
    mv a0, a3
    ret

# a0 = seed. CRC-16 (CoreMark's crcu8 bit loop) of CRCBYTES bytes; bumps one byte; returns the CRC.
crc_work:
    la t0, crc_data
    li t1, CRCBYTES
    li a1, 0xffff
    and a1, a1, a0
    li a6, 0x4002
    li a7, 0x8000
1:  lbu t2, 0(t0)
    li t3, 8
2:  xor t4, t2, a1
    andi t4, t4, 1
    srli t2, t2, 1
    srli a1, a1, 1
    beqz t4, 3f
    xor a1, a1, a6
    srli a1, a1, 0
    or a1, a1, a7
3:  addi t3, t3, -1
    bnez t3, 2b
    addi t0, t0, 1
    addi t1, t1, -1
    bnez t1, 1b
    andi t2, a1, CRCBYTES-1
    la t0, crc_data
    add t0, t0, t2
    lbu t3, 0(t0)
    addi t3, t3, 1
    sb t3, 0(t0)
    mv a0, a1
    ret

# a0 = seed. Scans `text` with a state machine (START, INT, FRAC, EXP, BAD) through a jump table,
# counting state entries; flips one character; returns a weighted sum of the counts.
    .equ S_START, 0
    .equ S_INT, 1
    .equ S_FRAC, 2
    .equ S_EXP, 3
    .equ S_BAD, 4
state_work:
    la t0, text
    li t1, TEXTLEN
    li t2, S_START
    la t3, counts
    la a2, state_table
    li a3, 10
    li a4, '.'
    li a5, ' '
    li a6, 'e'
next_char:
    lbu t4, 0(t0)
    addi t6, t4, -'0'           # t6 < 10 (unsigned): a digit
    slli t5, t2, 2
    add t5, t5, a2
    lw t5, 0(t5)
    jr t5
st_start:
    bltu t6, a3, to_int
    beq t4, a4, to_frac
    beq t4, a5, to_start
    j to_bad
st_int:
    bltu t6, a3, stay
    beq t4, a4, to_frac
    beq t4, a6, to_exp
    beq t4, a5, to_start
    j to_bad
st_frac:
    bltu t6, a3, stay
    beq t4, a6, to_exp
    beq t4, a5, to_start
    j to_bad
st_exp:
    bltu t6, a3, stay
    beq t4, a5, to_start
    j to_bad
st_bad:
    beq t4, a5, to_start
    j stay
to_start: li t2, S_START
    j count
to_int: li t2, S_INT
    j count
to_frac: li t2, S_FRAC
    j count
to_exp: li t2, S_EXP
    j count
to_bad: li t2, S_BAD
count:
    slli t5, t2, 2
    add t5, t5, t3
    lw t6, 0(t5)
    addi t6, t6, 1
    sw t6, 0(t5)
stay:
    addi t0, t0, 1
    addi t1, t1, -1
    bnez t1, next_char
    # flip the low bit of text[seed % TEXTLEN]
    li t1, TEXTLEN
    remu t1, a0, t1
    la t0, text
    add t0, t0, t1
    lbu t4, 0(t0)
    xori t4, t4, 1
    sb t4, 0(t0)
    # weighted sum of counts
    li a0, 0
    li t1, 0
1:  slli t5, t1, 2
    add t5, t5, t3
    lw t6, 0(t5)
    addi t1, t1, 1
    mul t6, t6, t1
    add a0, a0, t6
    li t5, 5
    blt t1, t5, 1b
    ret

    .section .rodata
state_table:
    .word st_start, st_int, st_frac, st_exp, st_bad

    .data
text:
    .ascii "12 3.5e7 -4 0.25 1e9 x12 77.0 3e 9.9.9 42 1234567 .5 6e2 hello 8 0 31.4159e0 2.71 "
    .balign 4
crc_data:
    .ascii "CoreMark-lite RV"
result:
    .word 0

    .bss
    .balign 4
head:   .space 4
counts: .space 4*5
nodes:  .space 8*NODES
mat_a:  .space 4*MAT*MAT
mat_b:  .space 4*MAT*MAT
mat_c:  .space 4*MAT*MAT
        .space 4096
stack_top:
