# service.S: a level callee for kexec CALL (level 16) that keeps its own trap vector, as every
# kernel does. The player's block (player/entry.S) is the function CALL enters, with the arguments
# in a0..a7, ra = the caller's re-entry address and sp = a stack in the caller's swap page whose
# top word is the next-time slot (kexec-contract.md §5). After it, F's ROM: `service` installs F's
# trap vector and asks F's core for the answer with a software trap (ebreak), which F's trap
# handler serves. Position independent (pc-relative only), so it runs wherever the level loads it.

    .text
    .globl  _start
_start:
    .include "player/entry.S"
    # Falling off the end of the player's block lands here: stop loudly rather than run the ROM.
    unimp

# service(a0, a1) -> a0 = a0 * a1. Installs F's trap vector (stvec = f_trap) and leaves it so;
# clobbers t0 and t1 and nothing else.
    .globl  service
service:
    lla     t0, f_trap
    csrw    stvec, t0
    ebreak                              # F's core: the trap handler computes the answer
    ret

# F's trap handler: a breakpoint is a request to F's core (a0 = a0 * a1, then on after the
# ebreak); anything else is a fault F cannot serve, so it stops on an illegal instruction.
    .balign 4                           # stvec needs a 4-byte aligned base (direct mode)
f_trap:
    csrr    t0, scause
    li      t1, 3                       # breakpoint
    bne     t0, t1, 1f
    mul     a0, a0, a1
    csrr    t0, sepc
    addi    t0, t0, 4
    csrw    sepc, t0
    sret
1:  unimp
