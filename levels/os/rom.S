# rom.S: a level callee for kexec CALL whose entry point the player writes. Physical-mode code:
# the player's block (player/perimeter.S) is the function CALL enters, with the arguments in
# a0..a7, ra = the caller's re-entry address and sp = a stack in the caller's swap page whose top
# word is the next-time slot (kexec-contract.md §5). After it, a small ROM library the block may call.
# Position independent (pc-relative only), so it runs wherever the level loads it.

    .text
    .globl  _start
_start:
    .include "player/perimeter.S"
    # Falling off the end of the player's block lands here: stop loudly rather than run the ROM.
    unimp

# isqrt(a0) -> a0 = floor(sqrt(a0)), a0 unsigned. A leaf: clobbers t0, t1, t2 and nothing else
# (the classic digit-by-digit method, two bits of the argument a step).
    .globl  isqrt
isqrt:
    li      t0, 0                       # the root so far
    li      t1, 0x40000000              # the highest power of 4 not above a0
1:  bgeu    a0, t1, 2f
    srli    t1, t1, 2
    bnez    t1, 1b
2:  beqz    t1, 4f
    add     t2, t0, t1
    srli    t0, t0, 1
    bltu    a0, t2, 3f
    sub     a0, a0, t2
    add     t0, t0, t1
3:  srli    t1, t1, 2
    j       2b
4:  mv      a0, t0
    ret
