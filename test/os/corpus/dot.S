# '.' in data and code is the address of the datum or instruction being emitted (a .word list's
# second '.' is 4 past its first), whether it folds to a constant now or waits for the link.
_start:
.word .
.word 0, ., .
.word . - _start, . - _start
.word later - _start, . - _start
later:
.byte . - _start, . - _start
.word .
.data
.word ., 0, .
.equ here, .
.word here
.text
j .
beq a0, a1, . + 8
la a0, .
lui a0, %hi(.)
addi a0, a0, %lo(.)
auipc a0, %pcrel_hi(.)
1: auipc a1, %pcrel_hi(.+4)
addi a1, a1, %pcrel_lo(1b)
call .
tail . + 4
jal .
