# dump.S: the dump kernel for kexec hibernation (kexec-linux.md §5). Entered by the saved OS's
# kexec jump, it reads that OS's TRUE memory, the memory as the OS itself sees it, and writes a
# hibernation image (header, page table, pages) to the disk by DMA. Each round writes a fresh
# snapshot; the level's script then jumps back (snapshot and continue) or powers off (hibernate).
#
# Where the true memory is: a page the jump swapped out (a destination d of the OS's image) is in
# its source page s(d); every other page is in place. The map d -> s(d) is the OS's own entry
# list, reached through its control page: kexec_jump_back_entry (from purgatory) is the OS's
# re-entry address inside that page, and the data area holds the list head at 0x824 (kexec-contract.md §4).
#
# Options: dump_base=A (default 0x80000000) and dump_size=N (default 0x100000, at most 4 MiB):
# the physical range to dump; disk_sector=N (default 0): where the image starts on the disk;
# dump_head=A: use this entry list head instead of the control page's.

    .include "include/sbi.inc"
    .include "include/kernel.inc"
    .include "include/console.inc"
    .include "include/cmdline.inc"
    .include "include/trap.inc"
    .include "include/disk.inc"

    .equ    CP_HEAD, 0x824

    .data
    .balign 16
os_name:    .asciz "D"
    .balign 16
os_kind:    .asciz "dump"

    .text
os_init:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    lla     a0, str_base_key
    li      a1, 0x80000000
    call    cmd_num
    srli    a0, a0, 12
    slli    a0, a0, 12
    lla     t0, dump_base
    sw      a0, 0(t0)
    lla     a0, str_size_key
    li      a1, 0x100000
    call    cmd_num
    li      t0, PAGE_SIZE - 1
    add     a0, a0, t0
    srli    a0, a0, 12                  # pages, rounded up, at most MAX_PAGES
    li      t0, MAX_PAGES
    bleu    a0, t0, 1f
    mv      a0, t0
1:  lla     t0, npages
    sw      a0, 0(t0)
    lla     a0, str_sector_key
    li      a1, 0
    call    cmd_num
    lla     t0, disk_sector
    sw      a0, 0(t0)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# os_work(): one snapshot; a0 = the snapshots written so far.
os_work:
    addi    sp, sp, -64
    sw      ra, 60(sp)
    sw      s0, 56(sp)
    sw      s1, 52(sp)
    sw      s2, 48(sp)
    sw      s3, 44(sp)
    sw      s4, 40(sp)
    sw      s5, 36(sp)
    sw      s6, 32(sp)
    sw      s7, 28(sp)
    sw      s8, 24(sp)
    sw      s9, 20(sp)
    sw      s10, 16(sp)
    sw      s11, 12(sp)
    lla     t0, jump_back_entry
    lw      s0, 0(t0)
    bnez    s0, 1f
    lla     a0, str_no_entry            # booted without a jump: there is no OS to dump
    call    say
    j       work_out
1:  srli    s1, s0, 12
    slli    s1, s1, 12                  # s1 = the OS's control page
    lla     a0, str_head_key
    li      a1, 0
    call    cmd_num
    mv      s2, a0                      # s2 = entry list head
    bnez    s2, 2f
    li      t0, CP_HEAD
    add     t0, t0, s1
    lw      s2, 0(t0)
2:  lla     t0, dump_base
    lw      s3, 0(t0)                   # s3 = base
    lla     t0, npages
    lw      s4, 0(t0)                   # s4 = pages
    lla     s5, table                   # s5 = table

    # 1. Every page is in place until the entry list says otherwise.
    mv      t0, s5
    mv      t1, s3
    slli    t2, s4, 3
    add     t2, t2, s5
3:  bgeu    t0, t2, 4f
    sw      t1, 0(t0)
    sw      t1, 4(t0)
    addi    t0, t0, 8
    li      t3, PAGE_SIZE
    add     t1, t1, t3
    j       3b
4:
    # 2. Walk the entry list as swap_pages does (kexec-linux.md §1.4) and note each pair.
    slli    s6, s4, 12                  # s6 = bytes in range
    mv      t0, s2                      # e
    li      t5, 0                       # dest
    li      t6, 0                       # ptr into the current indirection page
walk:
    beqz    t0, walked
    andi    t1, t0, 1
    bnez    t1, w_dest
    andi    t1, t0, 2
    bnez    t1, w_ind
    andi    t1, t0, 4
    bnez    t1, walked
    andi    t1, t0, 8
    beqz    t1, w_next
    srli    t1, t0, 12
    slli    t1, t1, 12                  # source
    sub     t2, t5, s3                  # dest offset in range (unsigned)
    sub     t3, t1, s3                  # source offset in range
    bne     t1, t5, w_moved
    bgeu    t2, s6, w_adv               # its own source: the page holds the peer's data
    srli    t2, t2, 9                   # (offset >> 12) * 8
    add     t2, t2, s5
    lw      t4, 0(t2)
    ori     t4, t4, REC_SELF
    sw      t4, 0(t2)
    j       w_adv
w_moved:
    bgeu    t2, s6, 5f                  # the OS's page d lives in s(d) now
    srli    t2, t2, 9
    add     t2, t2, s5
    sw      t1, 4(t2)
5:  bgeu    t3, s6, w_adv               # and s(d) holds the peer's page
    srli    t3, t3, 9
    add     t3, t3, s5
    lw      t4, 0(t3)
    ori     t4, t4, REC_SOURCE
    sw      t4, 0(t3)
w_adv:
    li      t1, PAGE_SIZE
    add     t5, t5, t1
    j       w_next
w_dest:
    srli    t5, t0, 12
    slli    t5, t5, 12
    j       w_next
w_ind:
    srli    t6, t0, 12
    slli    t6, t6, 12
w_next:
    beqz    t6, walked
    lw      t0, 0(t6)
    addi    t6, t6, 4
    j       walk
walked:

    # 3. Which pages carry data: s7 = stored, s8 = zero, s9 = the peer's, s10 = sum.
    li      s7, 0
    li      s8, 0
    li      s9, 0
    li      s10, 0
    mv      s11, s5
    slli    s6, s4, 3
    add     s6, s6, s5                  # end of table
6:  bgeu    s11, s6, 8f
    lw      t0, 0(s11)
    andi    t0, t0, REC_FLAGS
    beqz    t0, 7f
    addi    s9, s9, 1
    j       9f
7:  lw      a0, 4(s11)
    mv      a1, s10
    call    page_sum
    mv      s10, a0
    beqz    a1, 10f
    lw      t0, 0(s11)
    ori     t0, t0, REC_ZERO
    sw      t0, 0(s11)
    addi    s8, s8, 1
    j       9f
10: addi    s7, s7, 1
9:  addi    s11, s11, 8
    j       6b
8:
    # 4. Room on the disk: header, table, pages.
    slli    t0, s4, 3
    addi    t0, t0, 511
    srli    s6, t0, 9                   # s6 = table sectors
    addi    t0, s6, HI_HEADER_SECTORS
    slli    t1, s7, 3
    add     t0, t0, t1                  # sectors needed
    lla     t1, disk_sector
    lw      t1, 0(t1)
    add     t0, t0, t1
    li      t2, DISK_BASE
    lw      t2, DISK_CAPACITY(t2)
    bleu    t0, t2, 11f
    lla     a0, str_too_small
    j       dump_fail

    # 5. The pages, straight from where they are now (DMA needs no copy).
11: lla     t0, disk_sector
    lw      s11, 0(t0)
    addi    s11, s11, HI_HEADER_SECTORS
    add     s11, s11, s6                # s11 = next data sector
    mv      s9, s5                      # s9 now walks the table
12: slli    t0, s4, 3
    add     t0, t0, s5
    bgeu    s9, t0, 13f
    lw      t0, 0(s9)
    andi    t0, t0, REC_FLAGS
    bnez    t0, 14f
    li      a0, DISK_WRITE
    mv      a1, s11
    li      a2, SECTORS_PER_PAGE
    lw      a3, 4(s9)
    call    disk_cmd
    bnez    a0, disk_failed
    addi    s11, s11, SECTORS_PER_PAGE
14: addi    s9, s9, 8
    j       12b
13:
    # 6. The table, then the header last: a torn image has no valid header.
    li      a0, DISK_WRITE
    lla     a1, disk_sector
    lw      a1, 0(a1)
    addi    a1, a1, HI_HEADER_SECTORS
    mv      a2, s6
    mv      a3, s5
    call    disk_cmd
    bnez    a0, disk_failed
    lla     a3, header
    li      t0, HI_MAGIC
    sw      t0, HI_OFF_MAGIC(a3)
    li      t0, HI_VERSION
    sw      t0, HI_OFF_VERSION(a3)
    sw      s4, HI_OFF_NPAGES(a3)
    sw      s0, HI_OFF_ENTRY(a3)
    sw      s1, HI_OFF_CONTROL(a3)
    sw      s2, HI_OFF_HEAD(a3)
    sw      s3, HI_OFF_BASE(a3)
    sw      s7, HI_OFF_DATA(a3)
    sw      s10, HI_OFF_SUM(a3)
    li      t0, HI_HEADER_SECTORS
    sw      t0, HI_OFF_TABLE(a3)
    add     t0, t0, s6
    sw      t0, HI_OFF_DATASEC(a3)
    lla     t0, rounds
    lw      t0, 0(t0)
    sw      t0, HI_OFF_SNAP(a3)
    li      a0, DISK_WRITE
    lla     a1, disk_sector
    lw      a1, 0(a1)
    li      a2, 1
    call    disk_cmd
    bnez    a0, disk_failed
    li      a0, DISK_FLUSH
    call    disk_cmd
    bnez    a0, disk_failed

    # "D: snapshot 1: 1024 pages (40 stored, 960 zero, 24 the peer's), resume at 0x..."
    call    pr_begin
    lla     a0, str_snap
    call    pr_str
    lla     t0, rounds
    lw      a0, 0(t0)
    call    pr_dec
    lla     a0, str_colon2
    call    pr_str
    mv      a0, s4
    call    pr_dec
    lla     a0, str_pages
    call    pr_str
    mv      a0, s7
    call    pr_dec
    lla     a0, str_stored
    call    pr_str
    mv      a0, s8
    call    pr_dec
    lla     a0, str_zero
    call    pr_str
    sub     a0, s4, s7
    sub     a0, a0, s8
    call    pr_dec
    lla     a0, str_peer
    call    pr_str
    mv      a0, s0
    call    pr_hex
    call    pr_end
    report  REP_CHECK, s10

work_out:
    lla     t0, rounds
    lw      a0, 0(t0)
    lw      ra, 60(sp)
    lw      s0, 56(sp)
    lw      s1, 52(sp)
    lw      s2, 48(sp)
    lw      s3, 44(sp)
    lw      s4, 40(sp)
    lw      s5, 36(sp)
    lw      s6, 32(sp)
    lw      s7, 28(sp)
    lw      s8, 24(sp)
    lw      s9, 20(sp)
    lw      s10, 16(sp)
    lw      s11, 12(sp)
    addi    sp, sp, 64
    ret

disk_failed:
    lla     a0, str_disk_error
dump_fail:
    call    say
    li      a0, SRST_SHUTDOWN
    li      a1, SRST_FAILURE
    j       kernel_reset

    .section .rodata
str_base_key:   .asciz "dump_base="
str_size_key:   .asciz "dump_size="
str_sector_key: .asciz "disk_sector="
str_head_key:   .asciz "dump_head="
str_no_entry:   .asciz "no kexec_jump_back_entry: nothing to dump"
str_too_small:  .asciz "the disk is too small for the image"
str_disk_error: .asciz "disk error"
str_snap:       .asciz "snapshot "
str_colon2:     .asciz ": "
str_pages:      .asciz " pages ("
str_stored:     .asciz " stored, "
str_zero:       .asciz " zero, "
str_peer:       .asciz " the peer's), resume at "

    .bss
    .balign 4
dump_base:      .space 4
npages:         .space 4
disk_sector:    .space 4
    .balign 512
header:         .space 512
table:          .space MAX_PAGES * 8

    KERNEL_TAIL
