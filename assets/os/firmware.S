# firmware.S: a firmware function for KEXEC CALL (kexec-contract.md §5, the seed's kexec_call): physical-
# mode code entered with up to 8 arguments in a0..a7, ra = the caller's re-entry address and a
# stack in the caller's swap page. It returns with a plain `ret` (so the caller's image->start
# stays the next-time slot) and a0 = a checkable function of its arguments:
#
#     a0 = 1*a0 + 2*a1 + 3*a2 + ... + 8*a7   (mod 2^32; arguments the caller did not pass are 0)
#
# Weights make the order of the arguments matter, so a swapped or dropped one shows. No memory
# is touched: the blob is position independent and works at any address.

    .text
    .globl  _start
_start:
    slli    t0, a1, 1                   # 2 * a1
    add     a0, a0, t0
    slli    t0, a2, 1                   # 3 * a2
    add     t0, t0, a2
    add     a0, a0, t0
    slli    t0, a3, 2                   # 4 * a3
    add     a0, a0, t0
    slli    t0, a4, 2                   # 5 * a4
    add     t0, t0, a4
    add     a0, a0, t0
    li      t1, 6
    mul     t0, a5, t1
    add     a0, a0, t0
    li      t1, 7
    mul     t0, a6, t1
    add     a0, a0, t0
    slli    t0, a7, 3                   # 8 * a7
    add     a0, a0, t0
    ret
