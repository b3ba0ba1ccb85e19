# Zicsr instructions, their pseudo-instructions and the CSR names.
_start:
    csrrw   a0, mstatus, a1
    csrrs   a0, mie, a1
    csrrc   a0, mip, a1
    csrrwi  a0, mtvec, 31
    csrrsi  a0, mscratch, 1
    csrrci  a0, mepc, 0
    csrrw   a0, 0x340, a1
    csrrw   a0, mstatus, 5
    csrr    a0, mcause
    csrw    mtval, a0
    csrs    mstatus, t0
    csrc    mstatus, t0
    csrwi   mie, 8
    csrsi   mstatus, 8
    csrci   mstatus, 8
    csrw    mtvec, 3
    csrs    sie, 2
    csrc    sie, 2
    csrr    a0, 0xf14
    rdcycle a0
    rdcycleh a1
    rdtime  a2
    rdtimeh a3
    rdinstret a4
    rdinstreth a5
    csrr a0, cycle
    csrr a0, time
    csrr a0, instret
    csrr a0, cycleh
    csrr a0, timeh
    csrr a0, instreth
    csrr a0, hpmcounter3
    csrr a0, hpmcounter31h
    csrr a0, sstatus
    csrr a0, sie
    csrr a0, stvec
    csrr a0, scounteren
    csrr a0, senvcfg
    csrr a0, sscratch
    csrr a0, sepc
    csrr a0, scause
    csrr a0, stval
    csrr a0, sip
    csrr a0, satp
    csrr a0, mvendorid
    csrr a0, marchid
    csrr a0, mimpid
    csrr a0, mhartid
    csrr a0, mconfigptr
    csrr a0, mstatus
    csrr a0, misa
    csrr a0, medeleg
    csrr a0, mideleg
    csrr a0, mie
    csrr a0, mtvec
    csrr a0, mcounteren
    csrr a0, menvcfg
    csrr a0, mstatush
    csrr a0, menvcfgh
    csrr a0, mcountinhibit
    csrr a0, mscratch
    csrr a0, mepc
    csrr a0, mcause
    csrr a0, mtval
    csrr a0, mip
    csrr a0, mtinst
    csrr a0, mtval2
    csrr a0, mseccfg
    csrr a0, mseccfgh
    csrr a0, pmpcfg0
    csrr a0, pmpcfg1
    csrr a0, pmpcfg2
    csrr a0, pmpcfg3
    csrr a0, pmpcfg15
    csrr a0, pmpaddr0
    csrr a0, pmpaddr1
    csrr a0, pmpaddr15
    csrr a0, pmpaddr63
    csrr a0, mcycle
    csrr a0, minstret
    csrr a0, mcycleh
    csrr a0, minstreth
    csrr a0, mhpmcounter3
    csrr a0, mhpmcounter31h
    csrr a0, mhpmevent3
    csrr a0, mhpmevent31
    csrr a0, tselect
    csrr a0, tdata1
    csrr a0, tdata2
    csrr a0, tdata3
    csrr a0, tinfo
    csrr a0, tcontrol
    csrr a0, dcsr
    csrr a0, dpc
    csrr a0, dscratch0
    csrr a0, dscratch1
