# Pseudo-instructions and their exact GNU expansions.
    .globl _start
_start:
    li      a0, 0
    li      a0, 1
    li      a0, -1
    li      a0, 2047
    li      a0, -2048
    li      a0, 2048
    li      a0, -2049
    li      a0, 0x800
    li      a0, 0xfff
    li      a0, 0x1000
    li      a0, 0x12345678
    li      a0, 0x7fffffff
    li      a0, 0x80000000
    li      a0, 0x80000800
    li      a0, 0xfffff800
    li      a0, 0xffffffff
    li      a0, 0x7ffff800
    li      a0, 0xdeadbeef
    li      a0, -0x80000000
    li      t0, 'A'
    .equ    CONST, 0x1234
    li      t1, CONST
    li      t2, CONST * 4 + 1
    mv      a0, a1
    not     a0, a1
    neg     a0, a1
    seqz    a0, a1
    snez    a0, a1
    sltz    a0, a1
    sgtz    a0, a1
    sgt     a0, a1, a2
    sgtu    a0, a1, a2
    nop
    la      a0, data_word
    lla     a1, data_word
    la      a2, _start
    la      a3, far_text
    la      a4, bss_buf + 16
    call    func
    call    t0, func
    tail    func
    jump    func, t2
    j       func
    jal     func
    jr      ra
    jalr    ra
    ret
    beqz    a0, func
    bnez    a0, func
    blez    a0, func
    bgez    a0, func
    bltz    a0, func
    bgtz    a0, func
    bgt     a0, a1, func
    ble     a0, a1, func
    bgtu    a0, a1, func
    bleu    a0, a1, func
    lb      a0, data_word
    lh      a0, data_word
    lw      a0, data_word
    lbu     a0, data_word
    lhu     a0, data_word
    sb      a0, data_word, t0
    sh      a0, data_word, t1
    sw      a0, data_word + 4, t2
    lui     a0, %hi(data_word)
    addi    a0, a0, %lo(data_word)
    lw      a1, %lo(data_word)(a0)
    sw      a1, %lo(data_word)(a0)
1:  auipc   a0, %pcrel_hi(data_word)
    addi    a0, a0, %pcrel_lo(1b)
    lw      a1, %pcrel_lo(1b)(a0)
    sw      a1, %pcrel_lo(1b)(a0)
func:
    ret
    .section .text.far
far_text:
    nop
    .data
data_word:
    .word 0x11223344, 0x55667788
    .bss
bss_buf:
    .space 64
