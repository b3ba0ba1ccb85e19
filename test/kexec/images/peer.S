# peer.S: the peer OS that user-os.S carries in its own memory and kexec-loads (test image, GNU
# syntax, position independent: it runs wherever the loader put it). Entered through the kjump
# ABI (kexec-contract.md §5): ra = the loader's re-entry address, a0 = the loader's value. It records the
# jump-back entry, loads a jump-back helper for it (kexec-tools --load-jump-back-helper: one
# empty segment {0,0,0,0}, PRESERVE_CONTEXT, entry = that address) and then answers every visit
# with a JUMP back. Each visit checks its own state: the visit count (and its complement in a
# page 64 KiB away) must equal the value the loader sent, and the checksum of its own code must
# not have moved. It installs its own trap vector (the loader's must come back on its return).
# Failures end the machine through the test finisher with code 0x100 + n.
#
# Its memory: this code (one page), then the zero segment the loader added (the stack and the
# counters live there; they start as zeros on the first jump, kexec-linux.md §1.7).

    .equ    KEXEC_EID,  0x0A004B4A
    .equ    FN_LOAD,    0
    .equ    FN_JUMP,    1
    .equ    PRESERVE_CONTEXT, 2
    .equ    FINISHER,   0x100000
    .equ    UART,       0x10000000
    .equ    VARS,       0x4000          # counters: region + VARS (zero segment)
    .equ    SHADOW,     0x10000         # complement of the count: region + SHADOW
    .equ    STACK_TOP,  0x8000

    .text
    .globl  _start
_start:
    lla     s0, _start                  # s0 = my base (the region)
    li      t0, STACK_TOP
    add     sp, s0, t0
    mv      s1, ra                      # the jump-back entry
    mv      s2, a0                      # the value the loader sent (round 0)
    lla     t0, peer_trap               # my trap vector (a trap here is a failure)
    csrw    stvec, t0
    li      t0, VARS
    add     s3, s0, t0                  # s3 = my variables
    # Zero segments really are zero on the first visit.
    lw      t0, 0(s3)
    bnez    t0, fail1
    lw      t0, 4(s3)
    bnez    t0, fail1
    # The checksum of my code, kept to compare on every later visit.
    mv      a0, s0
    lla     a1, code_end
    call    checksum
    sw      a0, 4(s3)
    # kexec --load-jump-back-helper --entry=<ra>
    lla     t0, helper_seg
    sw      zero, 0(t0)
    li      a7, KEXEC_EID
    li      a6, FN_LOAD
    mv      a0, s1
    lla     a1, helper_seg
    li      a2, 1
    li      a3, PRESERVE_CONTEXT
    ecall
    bnez    a0, fail2

visit:                                  # s2 = the value received on this visit
    li      t0, UART
    li      t1, 'b'
    sb      t1, 0(t0)
    lw      t0, 0(s3)                   # visits so far == the round the loader is in
    bne     t0, s2, fail3
    li      t1, SHADOW
    add     t1, t1, s0
    lw      t2, 0(t1)
    not     t2, t2
    beqz    t0, 1f                      # the shadow page is still zero before the first visit ends
    bne     t2, t0, fail4
1:  mv      a0, s0
    lla     a1, code_end
    call    checksum
    lw      t0, 4(s3)
    bne     a0, t0, fail5
    lw      t0, 0(s3)
    addi    t0, t0, 1
    sw      t0, 0(s3)
    not     t2, t0
    li      t1, SHADOW
    add     t1, t1, s0
    sw      t2, 0(t1)
    # kexec -e back to the loader, answering round + 0x1000.
    li      a7, KEXEC_EID
    li      a6, FN_JUMP
    li      a0, 0
    li      t0, 0x1000
    add     a1, s2, t0
    ecall
    bnez    a0, fail6
    mv      s2, a1                      # resumed: a1 = the loader's next value
    j       visit

# checksum(a0 = start, a1 = end): a0 = a rotate-xor sum of the words in [start, end).
checksum:
    li      t0, 0
1:  bgeu    a0, a1, 2f
    lw      t1, 0(a0)
    slli    t2, t0, 5
    srli    t0, t0, 27
    or      t0, t0, t2
    xor     t0, t0, t1
    addi    a0, a0, 4
    j       1b
2:  mv      a0, t0
    ret

fail1:  li  a0, 1
        j   fail
fail2:  li  a0, 2
        j   fail
fail3:  li  a0, 3
        j   fail
fail4:  li  a0, 4
        j   fail
fail5:  li  a0, 5
        j   fail
fail6:  li  a0, 6
        j   fail
    .balign 4
peer_trap:
        li  a0, 7
fail:
    addi    a0, a0, 0x100
    slli    a0, a0, 16
    li      t0, 0x3333
    or      a0, a0, t0
    li      t0, FINISHER
    sw      a0, 0(t0)
3:  j       3b

    .balign 4
code_end:
helper_seg: .word 0, 0, 0, 0
