# hib-restore.S: the restore kernel (position independent), booted on a fresh machine inside
# the old dump region, so it overwrites nothing it restores. It reads the header, puts every
# page of the image back at its address (A's control page, entry list and source pages among
# them), and enters A's re-entry address as a plain kexec would: ra = 0, a0 = the magic. A's own
# relocate code then swaps its region back from its source pages (kexec-linux.md §5.1 steps 2-5).
    .include "hib.inc"

    .text
    .globl  _start
_start:
    lla     s1, _start                  # s1 = where I run (REGION)
    lla     sp, stack_top
    puts    msg_up
    lla     s5, header
    li      t2, HDR_SECTOR
    disk_page DISK_READ, t2, s5
    lw      t0, 0(s5)
    li      t1, HIB_MAGIC
    bne     t0, t1, no_image
    li      s2, RAM_BASE
    li      s3, RAM_BASE + RAM_SIZE
    li      s4, REGION_SIZE
    add     s4, s4, s1
1:  bgeu    s2, s3, 3f
    bltu    s2, s1, 2f
    bltu    s2, s4, 4f
2:  li      t2, RAM_BASE
    sub     t2, s2, t2
    srli    t2, t2, 9
    disk_page DISK_READ, t2, s2
4:  li      t0, 4096
    add     s2, s2, t0
    j       1b
3:  puts    msg_resume
    csrw    sie, zero
    lw      t0, 4(s5)
    li      ra, 0                       # not a kjump: nobody to come back to
    li      a0, HIB_MAGIC
    jr      t0
no_image:
    puts    msg_none
disk_failed:
    li      t0, FINISHER
    li      t1, 0x33333
    sw      t1, 0(t0)
5:  j       5b

msg_up:     .asciz "R up\n"
msg_resume: .asciz "R restored, resuming A\n"
msg_none:   .asciz "R no image\n"
    .balign 4096
header:     .space 4096
stack:      .space 4096
stack_top:
