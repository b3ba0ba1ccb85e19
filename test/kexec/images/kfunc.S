# kfunc.S: physical-mode code that user-os.S calls with CALL (the seed's kexec_call): a leaf
# function of 8 arguments, position independent, that returns sum(i * a_i) for i = 1..8, xored
# with 0xC0DE0000, and scribbles over every temporary register (the caller's must survive).

    .text
    .globl  _start
_start:
    add     t0, a0, zero                # 1 * a0
    slli    t1, a1, 1                   # 2 * a1
    add     t0, t0, t1
    slli    t1, a2, 1
    add     t1, t1, a2                  # 3 * a2
    add     t0, t0, t1
    slli    t1, a3, 2                   # 4 * a3
    add     t0, t0, t1
    slli    t1, a4, 2
    add     t1, t1, a4                  # 5 * a4
    add     t0, t0, t1
    li      t2, 6
    mul     t1, a5, t2
    add     t0, t0, t1
    li      t2, 7
    mul     t1, a6, t2
    add     t0, t0, t1
    slli    t1, a7, 3                   # 8 * a7
    add     t0, t0, t1
    li      t1, 0xC0DE0000
    xor     a0, t0, t1
    li      a1, -1
    li      a2, -1
    li      a3, -1
    li      a4, -1
    li      a5, -1
    li      a6, -1
    li      a7, -1
    li      t0, -1
    li      t1, -1
    li      t2, -1
    li      t3, -1
    li      t4, -1
    li      t5, -1
    li      t6, -1
    ret
