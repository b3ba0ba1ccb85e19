# sieve.S: a compute OS. The sieve of Eratosthenes over [0, limit) in a byte array of its own
# memory (16 pages at the default limit), one 4 KiB block per round, so the work spans many
# round trips and many pages that a kexec jump must bring back intact. When the last block is
# done it prints and REPORTs (CHECK) the number of primes; later rounds only wait for a tick.
#
# Options: limit=N (default and maximum 65536; rounded up to a whole block). heap=ADDR puts the
# array at ADDR instead of .bss (dynamic memory the image does not declare: it relies on that
# memory being zero), heap=top at the top 64 KiB of the window its boot params give (mem_max).

    .include "include/sbi.inc"
    .include "include/kernel.inc"
    .include "include/console.inc"
    .include "include/cmdline.inc"
    .include "include/trap.inc"

    .equ    SIEVE_MAX,  65536
    .equ    BLOCK,      4096

    .data
    .balign 16
os_name:    .asciz "S"
    .balign 16
os_kind:    .asciz "sieve"

    .text
os_init:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    lla     a0, str_limit_key
    li      a1, SIEVE_MAX
    call    cmd_num
    li      t0, SIEVE_MAX
    bleu    a0, t0, 1f
    mv      a0, t0
1:  li      t0, BLOCK - 1               # whole blocks: the last one is not special
    add     a0, a0, t0
    not     t0, t0
    and     a0, a0, t0
    bnez    a0, 2f
    li      a0, BLOCK
2:  lla     t0, limit
    sw      a0, 0(t0)
    lla     t0, sieve                   # where the array lives: .bss unless heap= says otherwise
    lla     t1, array
    sw      t0, 0(t1)
    lla     a0, str_heap_key
    li      a1, 0
    call    cmd_num
    beqz    a0, 3f
    lla     t1, array
    sw      a0, 0(t1)
3:  lla     a0, str_heap_top
    call    cmd_find
    beqz    a0, 4f
    lla     t0, boot_params
    lw      t0, 0(t0)
    beqz    t0, 4f
    lw      t1, BP_MEM_MAX(t0)          # the last byte of our window
    addi    t1, t1, 1
    li      t2, SIEVE_MAX
    sub     t1, t1, t2
    li      t2, -BLOCK
    and     t1, t1, t2
    lla     t0, array
    sw      t1, 0(t0)
4:  lla     t0, array                   # 0 and 1 are not primes
    lw      t0, 0(t0)
    li      t1, 1
    sb      t1, 0(t0)
    sb      t1, 1(t0)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# os_work(): sieves the next block; a0 = blocks done.
os_work:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    sw      s1, 4(sp)
    lla     t0, next_block
    lw      s0, 0(t0)                   # lo of this block
    lla     t0, limit
    lw      t1, 0(t0)
    bltu    s0, t1, 1f
    call    wait_tick                   # all done: idle
    j       work_out
1:  mv      a0, s0
    call    sieve_block
    lla     t0, primes
    lw      s1, 0(t0)
    add     s1, s1, a0
    sw      s1, 0(t0)
    li      t1, BLOCK
    add     s0, s0, t1
    lla     t0, next_block
    sw      s0, 0(t0)
    call    pr_begin                    # "S: 1229 primes below 10000"
    mv      a0, s1
    call    pr_dec
    lla     a0, str_below
    call    pr_str
    mv      a0, s0
    call    pr_dec
    call    pr_end
    lla     t0, limit
    lw      t1, 0(t0)
    bltu    s0, t1, work_out
    report  REP_CHECK, s1               # the final count
    lla     a0, str_done
    call    say
work_out:
    lla     t0, next_block
    lw      a0, 0(t0)
    srli    a0, a0, 12                  # blocks done
    lw      ra, 12(sp)
    lw      s0, 8(sp)
    lw      s1, 4(sp)
    addi    sp, sp, 16
    ret

# sieve_block(a0 = lo): crosses off [lo, lo + BLOCK) with every prime p, p * p < lo + BLOCK, and
# returns a0 = the primes left in the block. Primes below 256 decide every block of 64 Ki, and
# they all live in block 0, which is finished in place before they are needed. Leaf.
sieve_block:
    lla     a5, array
    lw      a5, 0(a5)
    li      t0, BLOCK
    add     a1, a0, t0                  # hi
    li      a2, 2                       # p
1:  mul     t0, a2, a2
    bgeu    t0, a1, 4f
    add     t1, a5, a2
    lbu     t1, 0(t1)
    bnez    t1, 3f                      # p is composite: its multiples are already off
    # first multiple: max(p * p, lo rounded up to a multiple of p)
    add     t1, a0, a2
    addi    t1, t1, -1
    divu    t1, t1, a2
    mul     t1, t1, a2
    bgeu    t1, t0, 2f
    mv      t1, t0
2:  bgeu    t1, a1, 3f
    add     t2, a5, t1
    li      t3, 1
    sb      t3, 0(t2)
    add     t1, t1, a2
    j       2b
3:  addi    a2, a2, 1
    j       1b
4:  add     t1, a5, a0                  # count what is left
    add     t2, a5, a1
    li      a0, 0
5:  lbu     t3, 0(t1)
    seqz    t3, t3
    add     a0, a0, t3
    addi    t1, t1, 1
    bltu    t1, t2, 5b
    ret

    .section .rodata
str_limit_key:  .asciz "limit="
str_below:      .asciz " primes below "
str_done:       .asciz "done"
str_heap_key:   .asciz "heap="
str_heap_top:   .asciz "heap=top"

    .bss
    .balign 4
limit:      .space 4
next_block: .space 4
primes:     .space 4
array:      .space 4
    .balign PAGE_SIZE
sieve:      .space SIEVE_MAX

    KERNEL_TAIL
