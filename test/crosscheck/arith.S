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

# hexsp: print a0 in hex, then a space. Clobbers t0-t5, a0 (keeps ra through s11).
hexsp:
    mv   s11, ra
    call print_hex
    call space
    mv   ra, s11
    ret

# ---- console and exit helpers (the same in every cross-check program) ----

# putc: a0 = byte. Waits for LSR.THRE, then writes THR. Clobbers t0, t1.
putc:
    li   t0, 0x10000000
putc_wait:
    lbu  t1, 5(t0)
    andi t1, t1, 0x20
    beqz t1, putc_wait
    sb   a0, 0(t0)
    ret

# puts: a0 = address of a NUL-terminated string. Clobbers t0-t3, a0.
puts:
    mv   t2, a0
    mv   t3, ra
puts_loop:
    lbu  a0, 0(t2)
    beqz a0, puts_done
    call putc
    addi t2, t2, 1
    j    puts_loop
puts_done:
    mv   ra, t3
    ret

# print_hex: a0 = value, printed as 8 lowercase hex digits. Clobbers t0-t5, a0.
print_hex:
    mv   t4, a0
    mv   t5, ra
    li   t2, 28
print_hex_loop:
    srl  a0, t4, t2
    andi a0, a0, 15
    li   t1, 10
    blt  a0, t1, print_hex_digit
    addi a0, a0, 39
print_hex_digit:
    addi a0, a0, 48
    call putc
    addi t2, t2, -4
    bgez t2, print_hex_loop
    mv   ra, t5
    ret

# space / newline: print one character. Clobber t0, t1, a0.
space:
    li   a0, 32
    j    putc
newline:
    li   a0, 10
    j    putc

# pass: power off through the SiFive test finisher (QEMU exits with status 0).
pass:
    li   t0, 0x100000
    li   t1, 0x5555
    sw   t1, 0(t0)
pass_spin:
    j    pass_spin

    .data
    .align 2
values:
    .word 0, 1, 0xffffffff, 2, 7, 0xfffffff9, 0x7fffffff, 0x80000000, 0x12345678, 0xdeadbeef, 31, 33
word:
    .word 0x8badf00d, 0
