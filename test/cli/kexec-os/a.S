# a.S: the first OS of test/cli/run-kexec.test.ts, booted by `jumpback run a.elf --sbi` (kernel A:
# all RAM usable, its PT_LOAD ranges in use, kexec-contract.md §2). It carries B's flat binary (b.bin,
# incbin'd below, built first by our assembler), kexec_loads it at REGION with PRESERVE_CONTEXT
# and ping-pongs ROUNDS times: each round it bumps its counter (in its .data), writes the counter
# into the last page of REGION (its own memory there, which B's image swaps out and back), JUMPs
# to B with the counter, and on return checks B's answer (100 + B's own visit count, which must
# equal A's counter), its register sentinel and its word in REGION, then goes on where it was.
# A failed kexec_load prints both result registers and ends with the finisher's FAIL code = errno.
#
# Build-time knobs (an .equ prepended to the source): LOAD_FLAGS (default PRESERVE_CONTEXT; the
# seed flavour's 0x700 is EINVAL in the merged one; 0 makes the JUMP a plain reboot), OVERLAP = 1 (B's two segments overlap:
# EINVAL), ROUNDS (default 3).

    .include "../../../assets/os/include/sbi.inc"
    .include "os.inc"

    .equ    REGION,         0x80100000  # where B lives (A's usable RAM, not in use)
    .equ    REGION_SIZE,    0x20000     # B's memory: its code page, then zeros
    .equ    B_CODE,         0x1000
    .equ    A_WORD,         REGION + REGION_SIZE - 4 # A's word inside B's destination
    .ifndef ROUNDS
    .equ    ROUNDS,         3
    .endif
    .ifndef LOAD_FLAGS
    .equ    LOAD_FLAGS,     0x2         # KEXEC_PRESERVE_CONTEXT
    .endif
    .ifndef OVERLAP
    .equ    OVERLAP,        0
    .endif

    .text
    .globl  _start
_start:
    lla     sp, stack_top
    lla     a0, msg_boot
    call    puts
    li      a0, SBI_EXT_KEXEC           # the firmware must offer KEXEC
    sbi     SBI_EXT_BASE, BASE_PROBE_EXTENSION
    bnez    a1, 1f
    lla     a0, msg_no_kexec
    call    puts
    li      a0, 2
    j       fail
1:  lla     a0, msg_kexec
    call    puts

    # B's segments: its code (one page), then zeros up to the end of REGION (its stack, counters
    # and kexec pages come from there: kexec-contract.md §2).
    lla     t0, segs
    lla     t1, b_bin
    sw      t1, 0(t0)                   # buf
    lla     t2, b_end
    sub     t2, t2, t1
    sw      t2, 4(t0)                   # bufsz
    li      t1, REGION
    sw      t1, 8(t0)                   # mem
    li      t1, B_CODE
    sw      t1, 12(t0)                  # memsz
    sw      zero, 16(t0)
    sw      zero, 20(t0)
    li      t1, REGION + B_CODE - OVERLAP * 0x1000
    sw      t1, 24(t0)
    li      t1, REGION_SIZE - B_CODE
    sw      t1, 28(t0)
    li      a0, REGION                  # entry
    lla     a1, segs
    li      a2, 2
    li      a3, LOAD_FLAGS
    sbi     SBI_EXT_KEXEC, KEXEC_LOAD
    bnez    a0, load_failed
    lla     a0, msg_loaded
    call    puts

    li      s2, 0x5EA15EA1              # a callee-saved sentinel every JUMP must keep
round:
    lw      s1, counter
    addi    s1, s1, 1
    sw      s1, counter, t0
    li      t0, A_WORD
    sw      s1, 0(t0)
    lla     a0, msg_round
    call    puts
    mv      a0, s1
    call    putdec
    lla     a0, msg_jump
    call    puts
    li      a0, 0                       # default reboot command
    mv      a1, s1                      # the value B receives
    sbi     SBI_EXT_KEXEC, KEXEC_JUMP
    mv      s3, a1
    beqz    a0, 1f
    lla     a0, msg_jump_failed
    call    puts
    mv      a0, s3
    call    putdec
    li      a0, '\n'
    call    putc
    li      a0, 3
    j       fail
1:  lla     a0, msg_back
    call    puts
    mv      a0, s1
    call    putdec
    lla     a0, msg_answer
    call    puts
    mv      a0, s3
    call    putdec
    lla     a0, msg_word
    call    puts
    li      t0, A_WORD
    lw      a0, 0(t0)
    call    putdec
    li      a0, '\n'
    call    putc
    li      t0, 0x5EA15EA1              # state that must have survived the round trip
    li      a0, 4
    bne     s2, t0, fail
    lw      t0, counter
    li      a0, 5
    bne     t0, s1, fail
    li      t0, A_WORD
    lw      t0, 0(t0)
    li      a0, 6
    bne     t0, s1, fail
    addi    t0, s1, 100
    li      a0, 7
    bne     s3, t0, fail
    li      t0, ROUNDS
    bltu    s1, t0, round
    lla     a0, msg_done
    call    puts
    j       pass

load_failed:                            # a0 = SBI error, a1 = -errno
    mv      s0, a0
    mv      s1, a1
    lla     a0, msg_load_failed
    call    puts
    mv      a0, s0
    call    putdec
    lla     a0, msg_errno
    call    puts
    mv      a0, s1
    call    putdec
    li      a0, '\n'
    call    putc
    neg     a0, s1
    j       fail

    .section .rodata
msg_boot:       .asciz "A: boot\n"
msg_kexec:      .asciz "A: the firmware has KEXEC\n"
msg_no_kexec:   .asciz "A: no KEXEC extension\n"
msg_loaded:     .asciz "A: loaded B\n"
msg_round:      .asciz "A: round "
msg_jump:       .asciz ", jump to B\n"
msg_jump_failed: .asciz "A: JUMP failed: "
msg_back:       .asciz "A: back in round "
msg_answer:     .asciz ", B answered "
msg_word:       .asciz ", my word in B's region "
msg_done:       .asciz "A: done\n"
msg_load_failed: .asciz "A: kexec_load failed: error "
msg_errno:      .asciz ", value "

    .data
    .balign 4
counter:    .word 0
segs:       .space 32
    .balign 4
b_bin:      .incbin "b.bin"
b_end:

    .bss
    .balign 16
stack:      .space 4096
stack_top:
