# Expression operators at GNU precedence, character constants, numeric local labels, %hi/%lo/%pcrel
# operands, CSR numbers, jalr/fence forms and data directives with fill patterns, in one file.
_start:
    .equ A, 5
    .set B, A * 3
    .equiv C, B - 1
    .word 1 <> 2, 3 <> 3, !0, !7, ~0, -(-3), 7 % 3, -7 % 3, -7 / 2, 1 << 31 >> 31
    .word 1 + 2 << 3, 2 * 3 + 4, 2 | 4 ^ 6 & 3, 5 > 3, 5 >= 5, 3 < 1, 3 <= 3, 1 == 1, 1 && 0, 0 || 2, 1 - 2 - 3
    .word 'a', '\'', '\\', '"', '\n', '\t', 'a + 1, '\e'
    .byte 'z', -128, 255, '0' + 9
    .half -1, 0x7fff, 'A' << 8
    .word end - _start, . - _start, 1f - 0f
0:  nop
1:  nop
1:  .word 1b, 1f
1:  jal 1b
    jal ra, 1b
    jal x0, 1f
1:  lui a0, %hi(sym + 8)
    addi a0, a0, %lo(sym + 8)
    lw a1, %lo(sym)(a0)
    sw a1, %lo(sym + 4)(a0)
2:  auipc t0, %pcrel_hi(sym)
    addi t0, t0, %pcrel_lo(2b)
    lw t1, %pcrel_lo(2b)(t0)
    lui a2, %hi(0x12345fff)
    addi a2, a2, %lo(0x12345fff)
    csrr a0, 0x300
    csrw 0x340, a0
    csrrw a0, mscratch, a1
    csrrci a0, mstatus, 31
    sgtz a0, a1
    sltz a0, a1
    snez a0, a1
    seqz a0, a1
    jalr a0
    jalr ra, 4(a0)
    jalr t0, a0, -4
    jr a0, 8
    fence
    fence iorw, iorw
    fence w, r
    fence.i
    .word C, A + B
    .globl gl
gl: nop
    .section .data
sym: .word 1, 2, 3
    .equ LATE, end - sym
    .word LATE
    .p2align 3, 0xaa
    .balign 16, 0x5
    .fill 3, 2, 0x1234
    .fill 2, 3, 0x11223344
    .space 3, 7
    .zero 2
    .string "a", "b"
    .dword 0x1122334455667788
    .8byte -2
end:
