# Branch relaxation: GNU as turns out-of-range conditional branches into an inverted branch over a jal,
# deciding with its own first size estimates (a forward target behind a big .space is first guessed far).
    .globl _start
_start:
    beq     a0, a1, 1f
    .space  4088
1:  nop
    beq     a0, a1, 2f
    .space  4088
2:  nop
    bne     a0, a1, 3f
    .space  4092
3:  nop
4:  nop
    .space  4084
    blt     a0, a1, 4b
5:  nop
    .space  4088
    bge     a0, a1, 5b
    bltu    a0, a1, other
    bgeu    a0, a1, other
    beqz    a0, 6f
    nop
6:  bnez    a0, 6b
    bgtz    a0, 7f
    .space  5000
7:  blez    a0, 7b
    beq     a0, a1, .
    bne     a0, a1, . + 8
    nop
    j       other
    jal     far_label
    .space  100000
far_label:
    ret
    .section .text.other, "ax", @progbits
other:
    beq     a0, a1, _start
    ret
