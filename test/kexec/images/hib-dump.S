# hib-dump.S: the dump kernel (position independent; A loads it at REGION). A's true memory is
# the RAM outside this region: the pages the jump swapped out sit in A's source pages, which lie
# outside every destination (kexec-linux.md §5.1). It writes every page outside its region to
# the disk at sector (pa - RAM_BASE) / 512, then a header (magic, A's jump-back entry = ra) at
# HDR_SECTOR, and powers off with SBI SRST: hibernation.
    .include "hib.inc"

    .text
    .globl  _start
_start:
    lla     s1, _start                  # s1 = my region
    li      t0, 0x4000
    add     sp, s1, t0
    mv      s0, ra                      # A's re-entry address
    puts    msg_up
    li      s2, RAM_BASE
    li      s3, RAM_BASE + RAM_SIZE
    li      s4, REGION_SIZE
    add     s4, s4, s1                  # [s1, s4) = my region
1:  bgeu    s2, s3, 3f
    bltu    s2, s1, 2f
    bltu    s2, s4, 4f                  # my own page: not A's
2:  li      t2, RAM_BASE
    sub     t2, s2, t2
    srli    t2, t2, 9
    disk_page DISK_WRITE, t2, s2
4:  li      t0, 4096
    add     s2, s2, t0
    j       1b
3:  li      t0, 0x3000                  # the header, in a page of my zero segment
    add     s5, s1, t0
    li      t0, HIB_MAGIC
    sw      t0, 0(s5)
    sw      s0, 4(s5)
    li      t2, HDR_SECTOR
    disk_page DISK_WRITE, t2, s5
    puts    msg_saved
    li      a7, SRST_EID                # system reset: shutdown
    li      a6, 0
    li      a0, 0
    li      a1, 0
    ecall
5:  j       5b
disk_failed:
    puts    msg_disk
    li      t0, FINISHER
    li      t1, 0x23333
    sw      t1, 0(t0)
6:  j       6b

msg_up:     .asciz "D up\n"
msg_saved:  .asciz "D saved, power off\n"
msg_disk:   .asciz "D disk error\n"
