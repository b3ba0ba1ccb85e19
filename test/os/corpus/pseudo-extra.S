# More GNU pseudo and operand forms: zext.b, sext.b/sext.h/zext.h as shift pairs (no Zbb), jalr and
# sfence.vma operand forms, call rd, (reg) addressing, char immediates, fence sets.
_start:
    zext.b a0, a1
    sgt a0, a1, a2
    sgtu a0, a1, a2
    bgt a0, a1, _start
    bleu a0, a1, _start
    jalr a0, a1
    jalr a0, 8(a1)
    jalr a0, a1, 8
    jal a0, _start
    call a0, _start
    jr a1
    jalr a1
    sfence.vma
    sfence.vma a0
    sfence.vma a0, a1
    unimp
    csrrs a0, cycle, zero
    csrs sstatus, a0
    csrci sstatus, 2
    csrwi sie, 1
    li a0, (1<<12)|5
    not a0, a1
    neg a0, a1
    fence.tso
    fence rw, w
    nop
    lw a0, (a1)
    sw a0, (a1)
    lbu a0, -1(a1)
    addi a0, a1, 'a'
    slli a0, a0, 0x1f
    srai a0, a0, 31
    auipc a0, 0xfffff
    lui a0, 0xfffff
    andi a0, a0, -1
    ebreak
    ecall
    wfi
    mret
    sret
    rdinstreth a0
  sext.b a0, a1
  sext.h a0, a1
  zext.h a0, a1
  zext.b a2, a3
