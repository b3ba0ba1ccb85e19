# Every RV32I base instruction in each operand form GNU accepts.
    .globl _start
_start:
    lui     a0, 0x12345
    lui     t6, 0xfffff
    lui     x31, 0
    auipc   a1, 0x1
    auipc   zero, 0xfffff
    jal     target
    jal     ra, target
    jal     t0, target
    jal     zero, target
    j       target
    jalr    a0
    jalr    a1, a2
    jalr    a1, 8(a2)
    jalr    a1, -8(a2)
    jalr    (a3)
    jalr    a1, a2, 12
    jr      t0
    jr      4(t0)
    jr      t1, -4
    ret
    beq     a0, a1, target
    bne     s0, s1, target
    blt     t0, t1, target
    bge     a2, a3, target
    bltu    s2, s3, target
    bgeu    s10, s11, target
    lb      a0, 0(sp)
    lh      a1, 2(sp)
    lw      a2, -4(sp)
    lbu     a3, 2047(sp)
    lhu     a4, -2048(sp)
    lw      a5, (a0)
    sb      a0, 0(sp)
    sh      a1, 2(sp)
    sw      a2, -4(fp)
    sw      a3, 2047(s0)
    sw      a4, (a1)
    addi    a0, a1, -2048
    addi    a0, a1, 2047
    slti    t0, t1, -1
    sltiu   t0, t1, 1
    xori    a0, a0, 0x7ff
    ori     a0, a0, 0x555
    andi    a0, a0, -16
    slli    a0, a0, 31
    srli    a0, a0, 1
    srai    a0, a0, 17
    add     a0, a1, a2
    sub     a0, a1, a2
    sll     a0, a1, a2
    slt     a0, a1, a2
    sltu    a0, a1, a2
    xor     a0, a1, a2
    srl     a0, a1, a2
    sra     a0, a1, a2
    or      a0, a1, a2
    and     a0, a1, a2
    add     a0, a1, 5
    and     a0, a1, 255
    or      a0, a1, 1
    xor     a0, a1, -1
    slt     a0, a1, 3
    sltu    a0, a1, 3
    sll     a0, a1, 3
    srl     a0, a1, 3
    sra     a0, a1, 3
    fence
    fence   rw, rw
    fence   iorw, iorw
    fence   i, o
    fence   r, w
    fence.i
    fence.tso
    ecall
    ebreak
    scall
    sbreak
    unimp
    mret
    sret
    wfi
    sfence.vma
    sfence.vma a0
    sfence.vma a0, a1
    addi    x0, x1, 0
    addi    x2, x3, 0
    addi    x4, x5, 0
    addi    x6, x7, 0
    addi    x8, x9, 0
    addi    x10, x11, 0
    addi    x12, x13, 0
    addi    x14, x15, 0
    addi    x16, x17, 0
    addi    x18, x19, 0
    addi    x20, x21, 0
    addi    x22, x23, 0
    addi    x24, x25, 0
    addi    x26, x27, 0
    addi    x28, x29, 0
    addi    x30, x31, 0
    add     zero, ra, sp
    add     gp, tp, t0
    add     t1, t2, s0
    add     s1, a0, a1
    add     a2, a3, a4
    add     a5, a6, a7
    add     s2, s3, s4
    add     s5, s6, s7
    add     s8, s9, s10
    add     s11, t3, t4
    add     t5, t6, fp
target:
    nop
