# relocate-swapback.S: level 26's relocate code, src/kexec/relocate.S with one part cut out: on
# the way back from a kexec jump, what sets the flags for swapping the pages back is the player's
# block `swapback` (A's, included as player/swapback.S). test/level/relocate.test.ts checks that
# the rest is the stock code, line for line.
#
# relocate.S: the kexec relocate code, copied into [0, 0x800) of every control page and run by
# the simulated CPU. It saves the caller's state, swaps (or copies) every destination/source
# pair through the swap page, enters the target with the RV32 kjump ABI, and on re-entry records
# image->start, swaps back, restores the caller and hands back to the firmware
# (kexec-contract.md §4, §5; kexec-linux.md §2.4-§2.6).
#
# Entered by the firmware after the forward kernel_kexec steps, in S-mode, with
#   a0 = PA of this control page, a1 = the caller's sstatus (the firmware has cleared SIE),
# and every other register as the caller had it at its JUMP/CALL ecall. Everything else comes
# from the data area at 0x800 (the firmware keeps image->start in KCALL_ENTRY and the
# arguments in KCALL_ARGS). Position independent: only pc-relative jumps.
#
# Injected faults: the firmware writes a fault word at data area + 0x34 on every jump (0 unless
# a level or test asks for one of kexec-linux.md §6.2's bugs); each FAULT_* bit below re-creates
# that bug here, with real effects on memory and registers. F7 (a truncated copy of this code
# into the control page) is done by the firmware's copy: the missing tail is zeros, which the
# CPU traps on as illegal instructions.

    # Offsets from the data area (control page + 0x800), which s0 points at: 12-bit immediates
    # cannot reach 0x800 from the page start.
    .equ    CP_SAVED_SP,        0x000
    .equ    CP_SAVED_SATP,      0x004
    .equ    CP_SAVED_SSTATUS,   0x008
    .equ    CP_SAVED_STVEC,     0x00c
    .equ    CP_SAVED_SSCRATCH,  0x010
    .equ    CP_SAVED_SEPC,      0x014
    .equ    CP_SAVED_SIE,       0x018
    .equ    CP_PA_SWAP_PAGE,    0x020
    .equ    CP_HEAD,            0x024
    .equ    CP_FLAGS,           0x028
    .equ    CP_RETVAL,          0x030
    .equ    CP_FAULTS,          0x034   # injected faults (kexec-linux.md §6.2), 0 normally
    .equ    CP_FAULT_PAGE,      0x038   # F4: the page used as the swap page
    .equ    CP_FAULT_WORD,      0x03c   # F9: the word a plain reboot leaves in the slot
    .equ    FAULT_F1,           1       # legacy re-entry ABI: no next-time slot pushed
    .equ    FAULT_F2,           2       # stvec not restored on return
    .equ    FAULT_F3,           4       # preserve flag lost on return: copy instead of swap back
    .equ    FAULT_F4,           8       # wrong swap page (CP_FAULT_PAGE)
    .equ    FAULT_F5,           16      # saved state written through a stale alias (next frame)
    .equ    FAULT_F8,           32      # plain reboot: slot and ra not cleared (stale values)
    .equ    FAULT_F9,           64      # plain reboot: slot and ra = CP_FAULT_WORD, not 0
                                        # (F7, a truncated copy of this code, is the firmware's)
    .equ    KCALL_ARGS,         0x108
    .equ    KCALL_ENTRY,        0x200
    .equ    DATA,               0x800
    .equ    PRESERVE_MASK,      0x102   # KEXEC_PRESERVE_CONTEXT | KEXEC_PRESERVE_CPU (seed)
    .equ    FRAME,              128     # x0..x31, 4 bytes each, x at 4*n(sp)

    # The kjump ABI's a0..a7 on entry to the target: KCALL_ARGS (JUMP's value, or CALL's args).
    .macro  load_kcall_args
    lw      a0, KCALL_ARGS+0(s0)
    lw      a1, KCALL_ARGS+4(s0)
    lw      a2, KCALL_ARGS+8(s0)
    lw      a3, KCALL_ARGS+12(s0)
    lw      a4, KCALL_ARGS+16(s0)
    lw      a5, KCALL_ARGS+20(s0)
    lw      a6, KCALL_ARGS+24(s0)
    lw      a7, KCALL_ARGS+28(s0)
    .endm

    .text
    .globl  relocate_kernel
relocate_kernel:
    # Save the caller's registers on its own stack (as x86 pushes them on the kernel stack).
    addi    sp, sp, -FRAME
    sw      x1, 4(sp)
    sw      x3, 12(sp)
    sw      x4, 16(sp)
    sw      x5, 20(sp)
    sw      x6, 24(sp)
    sw      x7, 28(sp)
    sw      x8, 32(sp)
    sw      x9, 36(sp)
    sw      x12, 48(sp)
    sw      x13, 52(sp)
    sw      x14, 56(sp)
    sw      x15, 60(sp)
    sw      x16, 64(sp)
    sw      x17, 68(sp)
    sw      x18, 72(sp)
    sw      x19, 76(sp)
    sw      x20, 80(sp)
    sw      x21, 84(sp)
    sw      x22, 88(sp)
    sw      x23, 92(sp)
    sw      x24, 96(sp)
    sw      x25, 100(sp)
    sw      x26, 104(sp)
    sw      x27, 108(sp)
    sw      x28, 112(sp)
    sw      x29, 116(sp)
    sw      x30, 120(sp)
    sw      x31, 124(sp)
    # s0 = the data area (control page + 0x800) from here on.
    addi    s0, a0, 0x7ff
    addi    s0, s0, 1
    # t6 = where the saved state goes: the data area, or with F5 (a stale mapping of this page,
    # kexec-linux.md §6.2) the same offsets in the neighbouring frame.
    mv      t6, s0
    lw      t0, CP_FAULTS(s0)
    andi    t0, t0, FAULT_F5
    beqz    t0, 1f
    lui     t0, 1
    xor     t6, s0, t0
1:  sw      sp, CP_SAVED_SP(t6)
    csrr    t0, satp
    sw      t0, CP_SAVED_SATP(t6)
    sw      a1, CP_SAVED_SSTATUS(t6)
    csrr    t0, stvec
    sw      t0, CP_SAVED_STVEC(t6)
    csrr    t0, sscratch
    sw      t0, CP_SAVED_SSCRATCH(t6)
    csrr    t0, sepc
    sw      t0, CP_SAVED_SEPC(t6)
    csrr    t0, sie
    sw      t0, CP_SAVED_SIE(t6)
    csrw    sie, zero
    csrw    satp, zero
    sfence.vma
    # Our own stack at the top of the control page.
    addi    sp, s0, 0x7ff
    addi    sp, sp, 1
    lw      a0, CP_HEAD(s0)
    jal     ra, swap_page_of
    lw      a2, CP_FLAGS(s0)
    jal     ra, swap_pages

    # Enter the target: sp = swap page + 4096 - 16, the word at sp = target (next-time slot).
    lw      t0, CP_PA_SWAP_PAGE(s0)
    lui     t1, 1
    add     sp, t0, t1
    addi    sp, sp, -16
    lw      t2, KCALL_ENTRY(s0)
    lw      t3, CP_FLAGS(s0)
    andi    t3, t3, PRESERVE_MASK
    beqz    t3, no_return
    lw      t4, CP_FAULTS(s0)
    andi    t4, t4, FAULT_F1
    beqz    t4, 2f
    addi    sp, sp, 16                  # F1: the legacy ABI pushes no next-time slot
    j       3f
2:  sw      t2, 0(sp)
3:  load_kcall_args
    jalr    ra, 0(t2)
    .globl  kexec_reentry
kexec_reentry:
    # R = ra: our own address after a plain return (then image->start := the next-time slot at
    # sp), the peer's re-entry address after a peer jump back. Read it before anything moves.
    auipc   t0, 0
    mv      t1, ra
    bne     t1, t0, 1f
    lw      t1, 0(sp)
1:  srli    s0, t0, 12
    slli    s0, s0, 12
    addi    s0, s0, 0x7ff
    addi    s0, s0, 1
    sw      t1, KCALL_ENTRY(s0)
    sw      a0, CP_RETVAL(s0)
    addi    sp, s0, 0x7ff
    addi    sp, sp, 1
    lw      a0, CP_HEAD(s0)
    jal     ra, swap_page_of
    # The player's block (level 26, "The lost flag"): the flags swap_pages walks the entry list
    # with go in a2 (swap_pages below reads them there).
    .include "player/swapback.S"
    jal     ra, swap_pages
    lw      t0, CP_SAVED_SATP(s0)
    csrw    satp, t0
    sfence.vma
    lw      t1, CP_FAULTS(s0)
    andi    t1, t1, FAULT_F2
    bnez    t1, 1f                      # F2: stvec stays whatever the callee left
    lw      t0, CP_SAVED_STVEC(s0)
    csrw    stvec, t0
1:
    lw      t0, CP_SAVED_SSCRATCH(s0)
    csrw    sscratch, t0
    lw      t0, CP_SAVED_SEPC(s0)
    csrw    sepc, t0
    lw      t0, CP_SAVED_SIE(s0)
    csrw    sie, t0
    # sstatus is restored by the firmware at the hand-back (an interrupt here would land in the
    # caller's trap handler with a pc inside this page).
    lw      a1, CP_RETVAL(s0)
    addi    a0, s0, -DATA
    lw      sp, CP_SAVED_SP(s0)
    lw      x1, 4(sp)
    lw      x3, 12(sp)
    lw      x4, 16(sp)
    lw      x5, 20(sp)
    lw      x6, 24(sp)
    lw      x7, 28(sp)
    lw      x8, 32(sp)
    lw      x9, 36(sp)
    lw      x12, 48(sp)
    lw      x13, 52(sp)
    lw      x14, 56(sp)
    lw      x15, 60(sp)
    lw      x16, 64(sp)
    lw      x17, 68(sp)
    lw      x18, 72(sp)
    lw      x19, 76(sp)
    lw      x20, 80(sp)
    lw      x21, 84(sp)
    lw      x22, 88(sp)
    lw      x23, 92(sp)
    lw      x24, 96(sp)
    lw      x25, 100(sp)
    lw      x26, 104(sp)
    lw      x27, 108(sp)
    lw      x28, 112(sp)
    lw      x29, 116(sp)
    lw      x30, 120(sp)
    lw      x31, 124(sp)
    addi    sp, sp, FRAME
    .globl  kexec_handback
kexec_handback:
    # a7/a6 hold the caller's KEXEC/JUMP|CALL again; the firmware knows this pc.
    ecall
1:  j       1b

no_return:
    # Plain kexec reboot: nothing comes back, so the slot and ra are 0 (purgatory, which reads
    # ra, sees no jump-back entry; 786a45757dcd). a0..a7 still carry the arguments.
    lw      t4, CP_FAULTS(s0)
    andi    t1, t4, FAULT_F8
    bnez    t1, 2f                      # F8: neither is cleared: ra = the return address of
    li      t0, 0                       # `jal ra, swap_pages` above, the slot a stale word
    andi    t1, t4, FAULT_F9
    beqz    t1, 1f
    lw      t0, CP_FAULT_WORD(s0)       # F9: any non-zero word here reads as a jump-back entry
1:  sw      t0, 0(sp)
    mv      ra, t0
2:  load_kcall_args
    jr      t2

# swap_page_of(): a1 = the swap page (with F4, the wrong one). Leaf; uses t0.
swap_page_of:
    lw      a1, CP_PA_SWAP_PAGE(s0)
    lw      t0, CP_FAULTS(s0)
    andi    t0, t0, FAULT_F4
    beqz    t0, 1f
    lw      a1, CP_FAULT_PAGE(s0)
1:  ret

# swap_pages(a0 = head, a1 = swap page, a2 = flags): walks the entry list (kexec-linux.md §2.5).
# With a preserve flag each pair is swapped through the swap page (3 copies), otherwise the
# source is copied. Uses no stack; keeps s0, sp, ra and its a1/a2, clobbers the rest (s1 = the
# current source page, t4 = copy_page's return address).
swap_pages:
    mv      t0, a0                      # e = head
    li      t5, 0                       # dest
    li      t6, 0                       # ptr into the current indirection page
entry:
    beqz    t0, swap_done
    andi    t1, t0, 1                   # IND_DESTINATION
    bnez    t1, is_dest
    andi    t1, t0, 2                   # IND_INDIRECTION
    bnez    t1, is_indirection
    andi    t1, t0, 4                   # IND_DONE
    bnez    t1, swap_done
    andi    t1, t0, 8                   # IND_SOURCE
    beqz    t1, next_entry
    srli    s1, t0, 12
    slli    s1, s1, 12                  # src
    andi    t1, a2, PRESERVE_MASK
    beqz    t1, plain_copy
    mv      a4, a1                      # (1) src -> swap
    mv      a5, s1
    jal     t4, copy_page
    mv      a4, s1                      # (2) dest -> src
    mv      a5, t5
    jal     t4, copy_page
    mv      a4, t5                      # (3) swap -> dest
    mv      a5, a1
    jal     t4, copy_page
    j       advance
plain_copy:
    mv      a4, t5
    mv      a5, s1
    jal     t4, copy_page
advance:
    lui     t1, 1
    add     t5, t5, t1                  # dest += 4096
    j       next_entry
is_dest:
    srli    t5, t0, 12
    slli    t5, t5, 12
    j       next_entry
is_indirection:
    srli    t6, t0, 12
    slli    t6, t6, 12
next_entry:
    beqz    t6, swap_done               # a head that is no indirection page ends the list
    lw      t0, 0(t6)
    addi    t6, t6, 4
    j       entry
swap_done:
    ret

# copy_page: 4096 bytes from a5 to a4, 64 bytes a turn; returns through t4.
copy_page:
    lui     t3, 1
    add     t3, t3, a5
2:
    lw      a0, 0(a5)
    lw      a3, 4(a5)
    lw      a6, 8(a5)
    lw      a7, 12(a5)
    lw      s2, 16(a5)
    lw      s3, 20(a5)
    lw      s4, 24(a5)
    lw      s5, 28(a5)
    lw      s6, 32(a5)
    lw      s7, 36(a5)
    lw      s8, 40(a5)
    lw      s9, 44(a5)
    lw      s10, 48(a5)
    lw      s11, 52(a5)
    lw      t1, 56(a5)
    lw      t2, 60(a5)
    sw      a0, 0(a4)
    sw      a3, 4(a4)
    sw      a6, 8(a4)
    sw      a7, 12(a4)
    sw      s2, 16(a4)
    sw      s3, 20(a4)
    sw      s4, 24(a4)
    sw      s5, 28(a4)
    sw      s6, 32(a4)
    sw      s7, 36(a4)
    sw      s8, 40(a4)
    sw      s9, 44(a4)
    sw      s10, 48(a4)
    sw      s11, 52(a4)
    sw      t1, 56(a4)
    sw      t2, 60(a4)
    addi    a5, a5, 64
    addi    a4, a4, 64
    bltu    a5, t3, 2b
    jr      t4
