# purgatory.S: what a kexec-tools image is entered at (kexec.md §6; kexec-linux.md §4.3). It reads
# `ra` (the jumper's re-entry address on a kexec jump, 0 on a plain kexec reboot), appends
# " kexec_jump_back_entry=0x%08x" to the command line in the boot-params block when it is not 0,
# and enters the kernel with a0 = hart id 0, a1 = boot params. Position independent; no stack.
# tools.ts patches purgatory_params before loading (as kexec-tools sets purgatory symbols).

    .equ    BP_CMDLINE_OFF, 12          # boot params: offset of the command line

    .text
    .globl  purgatory_start
purgatory_start:
    mv      s0, ra                      # the jump-back entry, or 0
    lla     t0, purgatory_params
    lw      s1, 0(t0)                   # boot params
    lw      s2, 4(t0)                   # kernel entry
    beqz    s0, enter
    lw      t1, BP_CMDLINE_OFF(s1)
    add     t1, t1, s1
find_end:                               # cmdline_end: the terminating NUL
    lbu     t2, 0(t1)
    beqz    t2, append
    addi    t1, t1, 1
    j       find_end
append:
    lla     t3, jump_back_text
copy_text:
    lbu     t2, 0(t3)
    beqz    t2, hex
    sb      t2, 0(t1)
    addi    t1, t1, 1
    addi    t3, t3, 1
    j       copy_text
hex:
    li      t4, 28
    li      t5, 10
digit:
    srl     t2, s0, t4
    andi    t2, t2, 15
    blt     t2, t5, decimal
    addi    t2, t2, 39                  # 'a' - '0' - 10
decimal:
    addi    t2, t2, 48                  # '0'
    sb      t2, 0(t1)
    addi    t1, t1, 1
    addi    t4, t4, -4
    bgez    t4, digit
    sb      zero, 0(t1)
enter:
    li      a0, 0
    mv      a1, s1
    jr      s2

    .align  2
    .globl  purgatory_params
purgatory_params:
    .word   0                           # physical address of the boot-params block
    .word   0                           # the kernel's entry point
jump_back_text:
    .asciz  " kexec_jump_back_entry=0x"
