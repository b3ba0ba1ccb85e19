# li with values wider than 32 bits, as GNU's load_const on RV32: upper 32 bits all 0 or all 1 are
# sign-extended from bit 31; anything else keeps 64 bits (so `lui rd, 0` appears when its cut-off
# upper part is nonzero).
    .text
_start:
    li      a0, 0x1000000005
    li      a1, -0x100000001
    li      a2, 0xffffffff
    li      a3, 0x80000000
    li      a4, -0x80000000
    li      a5, 0x7ffff800
    li      a6, 0xfffff800
    li      a7, 0x100000800
    li      t0, -1
    li      t1, 0x8000000000000000
    li      t2, 0xffffffff00000000
    li      t3, -0xfffffffb
    li      t4, 0x7fffffffffffffff
    li      t5, 0x12345fff
    li      t6, 1 << 40
    ret
