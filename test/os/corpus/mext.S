# The M extension.
_start:
    mul     a0, a1, a2
    mulh    a0, a1, a2
    mulhsu  a0, a1, a2
    mulhu   a0, a1, a2
    div     t0, t1, t2
    divu    t0, t1, t2
    rem     s0, s1, s2
    remu    s0, s1, s2
    mul     x31, x30, x29
