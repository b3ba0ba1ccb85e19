# dumprom.S: the dump kernel of level 20, a kexec CALL callee whose page walk the player writes.
# The player's block (player/walk.S) is the function CALL enters, with a0 = the first physical
# address to save and a1 = how many pages, ra = the caller's re-entry address (inside the caller's
# control page) and sp = a stack in the caller's swap page whose top word is the next-time slot
# (kexec-contract.md §5). After it, D's ROM: the hibernation image's header and table
# (docs/toy-os.md's format, as dump.S writes it) and a one-page disk write.
# Position independent (pc-relative only), so it runs wherever the level loads it.

    .equ    PAGE_SIZE, 4096
    .equ    MAX_TABLE, 1024             # pages an image here may hold

    .text
    .globl  _start
_start:
    .include "player/walk.S"
    # Falling off the end of the player's block lands here: stop loudly rather than run the ROM.
    unimp

    .include "include/disk.inc"

# image_begin(a0 = first PA, a1 = pages): writes the image's table (one record a page, in
# address order, each with its data on the disk) and its header at sector 0; returns a0 = the
# sector of the first page's data: page i's data goes to a0 + 8 * i. Keeps s0-s11 and sp.
    .globl  image_begin
image_begin:
    mv      t6, ra
    mv      t4, a0                      # base
    li      t0, MAX_TABLE
    bleu    a1, t0, 1f
    mv      a1, t0
1:  mv      t5, a1                      # pages
    lla     t0, table
    slli    t2, t5, 3
    add     t2, t2, t0                  # end of the records
    mv      t1, t4
2:  bgeu    t0, t2, 3f
    sw      t1, 0(t0)                   # pa, no flags: stored
    sw      zero, 4(t0)
    addi    t0, t0, 8
    li      t3, PAGE_SIZE
    add     t1, t1, t3
    j       2b
3:  slli    t0, t5, 3
    addi    t0, t0, 511
    srli    a2, t0, 9                   # table sectors
    mv      a5, a2
    li      a0, DISK_WRITE
    li      a1, HI_HEADER_SECTORS
    lla     a3, table
    call    disk_cmd
    lla     a3, header
    li      t0, HI_MAGIC
    sw      t0, HI_OFF_MAGIC(a3)
    li      t0, HI_VERSION
    sw      t0, HI_OFF_VERSION(a3)
    sw      t5, HI_OFF_NPAGES(a3)
    sw      t4, HI_OFF_BASE(a3)
    sw      t5, HI_OFF_DATA(a3)
    li      t0, HI_HEADER_SECTORS
    sw      t0, HI_OFF_TABLE(a3)
    add     a4, t0, a5                  # first data sector
    sw      a4, HI_OFF_DATASEC(a3)
    li      a0, DISK_WRITE
    li      a1, 0
    li      a2, 1
    call    disk_cmd
    mv      a0, a4
    mv      ra, t6
    ret

# save_page(a0 = sector, a1 = PA of a page): writes that page to 8 sectors from `sector`;
# a0 = 0, or the disk's error code. A leaf: clobbers t0, t1, a0-a3 and nothing else.
    .globl  save_page
save_page:
    mv      a3, a1
    mv      a1, a0
    li      a0, DISK_WRITE
    li      a2, SECTORS_PER_PAGE
    j       disk_cmd

    .bss
    .balign 4096                        # a page of its own: kexec segments do not share pages
header:     .space 512
table:      .space MAX_TABLE * 8
