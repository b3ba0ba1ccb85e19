# %pcrel_lo(label + n): GNU ld finds the auipc at label and adds n to the low part (a second word
# after the target, or a split-off offset), including across the 0x800 rounding boundary.
_start:
1: auipc a0, %pcrel_hi(x)
 addi a0, a0, %pcrel_lo(1b+4)
 lw a1, %pcrel_lo(1b + 8)(a0)
 sw a1, %pcrel_lo(1b-4)(a0)
2: auipc a2, %pcrel_hi(x+0x7fc)
 addi a2, a2, %pcrel_lo(2b+4)
 addi a2, a2, %pcrel_lo(4+2b)
.data
x: .word 0
