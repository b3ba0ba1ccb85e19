# life.S: Conway's Life in a framebuffer of its own memory, one generation per round. The board
# is 64 x 128 cells, one byte per cell (1 = alive), on a torus: 8 KiB = two page-aligned pages,
# reported to the engine (REPORT FRAMEBUFFER) so the memory map can show them. A round trip that
# corrupts those pages is caught by the kernel's checksum, and shows on the map.
#
# Options: seed=N (N != 0: a random soup from xorshift32(N), about one cell in four alive;
# otherwise one glider at rows 1-3, columns 1-3).

    .include "include/sbi.inc"
    .include "include/kernel.inc"
    .include "include/console.inc"
    .include "include/cmdline.inc"
    .include "include/trap.inc"

    .equ    LIFE_W,     64              # both powers of two: neighbours wrap with a mask
    .equ    LIFE_H,     128
    .equ    LIFE_CELLS, LIFE_W * LIFE_H

    .data
    .balign 16
os_name:    .asciz "L"
    .balign 16
os_kind:    .asciz "life"

    .text
os_init:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    lla     a0, str_seed_key
    li      a1, 0
    call    cmd_num
    lla     t0, fb
    beqz    a0, glider
    li      t1, LIFE_CELLS
    add     t1, t1, t0
1:  slli    t2, a0, 13                  # xorshift32
    xor     a0, a0, t2
    srli    t2, a0, 17
    xor     a0, a0, t2
    slli    t2, a0, 5
    xor     a0, a0, t2
    srli    t2, a0, 30                  # alive when the top two bits are 0
    seqz    t2, t2
    sb      t2, 0(t0)
    addi    t0, t0, 1
    bltu    t0, t1, 1b
    j       seeded
glider:                                 # .X. / ..X / XXX, heading down and right
    li      t1, 1
    sb      t1, LIFE_W * 1 + 2(t0)
    sb      t1, LIFE_W * 2 + 3(t0)
    sb      t1, LIFE_W * 3 + 1(t0)
    sb      t1, LIFE_W * 3 + 2(t0)
    sb      t1, LIFE_W * 3 + 3(t0)
seeded:
    lla     s0, fb
    report  REP_FRAMEBUFFER, s0
    call    pr_begin                    # "L: framebuffer 0x..., 64x128"
    lla     a0, str_fb
    call    pr_str
    mv      a0, s0
    call    pr_hex
    lla     a0, str_size
    call    pr_str
    call    pr_end
    lw      ra, 12(sp)
    lw      s0, 8(sp)
    addi    sp, sp, 16
    ret

# os_work(): one generation; prints and reports the population; a0 = the generation number.
os_work:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    sw      s1, 4(sp)
    call    life_step
    mv      s1, a0
    lla     t0, generation
    lw      s0, 0(t0)
    addi    s0, s0, 1
    sw      s0, 0(t0)
    call    pr_begin                    # "L: generation 3, population 5"
    lla     a0, str_gen
    call    pr_str
    mv      a0, s0
    call    pr_dec
    lla     a0, str_pop
    call    pr_str
    mv      a0, s1
    call    pr_dec
    call    pr_end
    report  REP_CHECK, s1
    mv      a0, s0
    lw      ra, 12(sp)
    lw      s0, 8(sp)
    lw      s1, 4(sp)
    addi    sp, sp, 16
    ret

# life_step(): fb -> next generation (computed in scratch, copied back so the framebuffer stays
# where it was reported); a0 = the new population. Leaf: a0-a7, t0-t6.
life_step:
    lla     a0, fb
    lla     a1, scratch
    li      a2, 0                       # y
    li      a7, 0                       # population
row:
    addi    t0, a2, -1
    andi    t0, t0, LIFE_H - 1
    slli    t0, t0, 6
    add     a3, a0, t0                  # row above
    slli    t0, a2, 6
    add     a4, a0, t0                  # this row
    add     a6, a1, t0                  # where its next generation goes
    addi    t0, a2, 1
    andi    t0, t0, LIFE_H - 1
    slli    t0, t0, 6
    add     a5, a0, t0                  # row below
    li      t6, 0                       # x
col:
    addi    t1, t6, -1
    andi    t1, t1, LIFE_W - 1          # x - 1 (wraps)
    addi    t2, t6, 1
    andi    t2, t2, LIFE_W - 1          # x + 1 (wraps)
    add     t3, a3, t1
    lbu     t4, 0(t3)
    add     t3, a3, t6
    lbu     t5, 0(t3)
    add     t4, t4, t5
    add     t3, a3, t2
    lbu     t5, 0(t3)
    add     t4, t4, t5
    add     t3, a4, t1
    lbu     t5, 0(t3)
    add     t4, t4, t5
    add     t3, a4, t2
    lbu     t5, 0(t3)
    add     t4, t4, t5
    add     t3, a5, t1
    lbu     t5, 0(t3)
    add     t4, t4, t5
    add     t3, a5, t6
    lbu     t5, 0(t3)
    add     t4, t4, t5
    add     t3, a5, t2
    lbu     t5, 0(t3)
    add     t4, t4, t5
    add     t3, a4, t6
    lbu     t5, 0(t3)
    # Alive next iff neighbours | alive == 3: three neighbours, or two and alive now.
    or      t4, t4, t5
    addi    t4, t4, -3
    seqz    t4, t4
    add     t3, a6, t6
    sb      t4, 0(t3)
    add     a7, a7, t4
    addi    t6, t6, 1
    li      t0, LIFE_W
    bne     t6, t0, col
    addi    a2, a2, 1
    li      t0, LIFE_H
    bne     a2, t0, row
    li      t0, LIFE_CELLS
    add     t0, t0, a1
1:  lw      t1, 0(a1)
    sw      t1, 0(a0)
    addi    a1, a1, 4
    addi    a0, a0, 4
    bltu    a1, t0, 1b
    mv      a0, a7
    ret

    .section .rodata
str_seed_key:   .asciz "seed="
str_fb:         .asciz "framebuffer "
str_size:       .asciz ", 64x128"
str_gen:        .asciz "generation "
str_pop:        .asciz ", population "

    .bss
    .balign 4
generation: .space 4
    .balign PAGE_SIZE
    .globl  fb
fb:         .space LIFE_CELLS
scratch:    .space LIFE_CELLS

    KERNEL_TAIL
