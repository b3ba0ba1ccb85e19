# restore.S: the restore kernel of kexec hibernation (kexec-linux.md §5.1, the krestore of the
# v6 era). Booted later on a fresh machine, it reads the image dump.S wrote, puts every page
# where the saved OS's own re-entry code expects it (a swapped-out page goes back to its source
# page: the OS's relocate code swaps it into place itself, byte for byte), checks the sum, and
# jumps to the saved re-entry address as a plain kexec would (ra = 0, a0 = the image magic, so
# the OS's kexec -e returns "JBHI"). It must live where the image has nothing to put: inside the
# dump kernel's old region. A page that would land on its own memory stops it (failure).
#
# Options: disk_sector=N (default 0): where the image starts on the disk.

    .include "include/sbi.inc"
    .include "include/kernel.inc"
    .include "include/console.inc"
    .include "include/cmdline.inc"
    .include "include/trap.inc"
    .include "include/disk.inc"

    .data
    .balign 16
os_name:    .asciz "R"
    .balign 16
os_kind:    .asciz "restore"

    .text
os_init:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    lla     a0, str_sector_key
    li      a1, 0
    call    cmd_num
    lla     t0, disk_sector
    sw      a0, 0(t0)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# os_work(): restores the image and resumes the saved OS. It never returns (a missing image, a
# failed disk command or a bad sum power the machine off with a failure), so it saves nothing.
os_work:
    lla     t0, disk_sector
    lw      s0, 0(t0)                   # s0 = first sector of the image
    li      a0, DISK_READ
    mv      a1, s0
    li      a2, 1
    lla     a3, header
    call    disk_cmd
    bnez    a0, disk_failed
    lla     s1, header                  # s1 = header
    lw      t0, HI_OFF_MAGIC(s1)
    li      t1, HI_MAGIC
    bne     t0, t1, no_image
    lw      t0, HI_OFF_VERSION(s1)
    li      t1, HI_VERSION
    bne     t0, t1, no_image
    lw      s2, HI_OFF_NPAGES(s1)       # s2 = records
    li      t0, MAX_PAGES
    bgtu    s2, t0, no_image
    li      a0, DISK_READ
    lw      a1, HI_OFF_TABLE(s1)
    add     a1, a1, s0
    slli    a2, s2, 3
    addi    a2, a2, 511
    srli    a2, a2, 9
    lla     a3, table
    call    disk_cmd
    bnez    a0, disk_failed

    lla     s3, table                   # s3 = record
    slli    s4, s2, 3
    add     s4, s4, s3                  # s4 = end of the table
    lw      s5, HI_OFF_DATASEC(s1)
    add     s5, s5, s0                  # s5 = next data sector
    li      s6, 0                       # s6 = sum
    li      s7, 0                       # s7 = pages put back
    lla     s8, _start                  # [s8, s9) = my own memory
    lla     s9, _end
1:  bgeu    s3, s4, 5f
    lw      t0, 0(s3)
    andi    t1, t0, REC_SELF | REC_SOURCE
    bnez    t1, 4f                      # the peer's page, not the saved OS's
    lw      s10, 4(s3)                  # s10 = where it goes
    bgeu    s10, s9, 2f
    li      t2, PAGE_SIZE
    add     t2, t2, s10
    bleu    t2, s8, 2f
    j       on_myself
2:  andi    t1, t0, REC_ZERO
    beqz    t1, 3f
    li      t2, PAGE_SIZE               # a zero page: no data on the disk
    add     t2, t2, s10
6:  sw      zero, 0(s10)
    addi    s10, s10, 4
    bltu    s10, t2, 6b
    addi    s7, s7, 1
    j       4f
3:  li      a0, DISK_READ
    mv      a1, s5
    li      a2, SECTORS_PER_PAGE
    mv      a3, s10
    call    disk_cmd
    bnez    a0, disk_failed
    addi    s5, s5, SECTORS_PER_PAGE
    mv      a0, s10
    mv      a1, s6
    call    page_sum
    mv      s6, a0
    addi    s7, s7, 1
4:  addi    s3, s3, 8
    j       1b
5:  lw      t0, HI_OFF_SUM(s1)
    beq     t0, s6, 7f
    call    pr_begin                    # what came back is not what was saved
    lla     a0, str_bad_sum
    call    pr_str
    mv      a0, s6
    call    pr_hex
    call    pr_end
    report  REP_ERROR, s6
    li      a0, SRST_SHUTDOWN
    li      a1, SRST_FAILURE
    j       kernel_reset

7:  call    pr_begin                    # "R: restored 230 pages, resuming 0x..."
    lla     a0, str_restored
    call    pr_str
    mv      a0, s7
    call    pr_dec
    lla     a0, str_resuming
    call    pr_str
    lw      a0, HI_OFF_ENTRY(s1)
    call    pr_hex
    call    pr_end
    report  REP_CHECK, s6
    # Into the saved OS's re-entry code with interrupts off: from its first instruction on,
    # our trap vector and timer are not to be trusted.
    csrci   sstatus, SSTATUS_SIE
    csrw    sie, zero
    lw      t0, HI_OFF_ENTRY(s1)
    li      ra, 0                       # not a kjump: nobody to come back to
    li      a0, HI_MAGIC
    jr      t0

no_image:
    lla     a0, str_no_image
    call    say
    j       fail

on_myself:
    call    pr_begin
    lla     a0, str_on_me
    call    pr_str
    mv      a0, s10
    call    pr_hex
    call    pr_end
    j       fail
disk_failed:
    lla     a0, str_disk_error
    call    say
fail:
    li      a0, SRST_SHUTDOWN
    li      a1, SRST_FAILURE
    j       kernel_reset

    .section .rodata
str_sector_key: .asciz "disk_sector="
str_no_image:   .asciz "no hibernation image on the disk"
str_disk_error: .asciz "disk error"
str_on_me:      .asciz "cannot restore: a page belongs where I am: "
str_bad_sum:    .asciz "ERROR: the image does not sum up: "
str_restored:   .asciz "restored "
str_resuming:   .asciz " pages, resuming "

    .bss
    .balign 4
disk_sector:    .space 4
    .balign 512
header:         .space 512
table:          .space MAX_PAGES * 8

    KERNEL_TAIL
