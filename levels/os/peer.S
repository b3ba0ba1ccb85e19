# peer.S: a level peer for kexec JUMP whose whole code the player writes (player/peer.S). It is
# entered at _start the first time and, after that, wherever it said it would resume (kexec-contract.md
# §5): the next-time slot at sp after a plain `ret`, or the address in ra when it jumps to the
# jumper's re-entry point. Physical mode, satp = 0, interrupts off; a0 = the jumper's value.
# `scratch` is the peer's own memory: its page is swapped out with it at every return and back
# in at every jump, so what it writes there is still there next time. Position independent.

    .text
    .globl  _start
_start:
    .include "player/peer.S"
    # Falling off the end of the player's block lands here: stop loudly.
    unimp

    .balign 16
    .globl  scratch
scratch:
    .word   0, 0, 0, 0
