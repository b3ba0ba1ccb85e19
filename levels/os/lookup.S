# lookup.S: a level callee (the 2009 bug). Physical-mode code for kexec CALL with its data first:
# a page holding a table of squares, then the function on the next page (the ELF entry):
#   a0 = table[a0 & 15] + a1, returned with a plain ret; touches no memory but its table.
# The table's first word is 0, which is not an instruction: entered there, the CPU traps.

    .text
table:
    .word   0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144, 169, 196, 225
    .balign 4096
    .globl  _start
_start:
    andi    a0, a0, 15
    slli    a0, a0, 2
    lla     t0, table
    add     t0, t0, a0
    lw      a0, 0(t0)
    add     a0, a0, a1
    ret
