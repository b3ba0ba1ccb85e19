# user-os.S: what a user's bare-metal OS does with kexec jump, entirely through the firmware-call
# ABI of kexec-contract.md §1 (ecall, a7 = 0x0A004B4A, a6 = function; a0 = 0 / a1 = result on success,
# a0 = -1 / a1 = -errno on failure). GNU syntax; assembled by src/os/asm in the test, linked at
# 0x80000000, the first OS of a 4 MiB machine (all RAM usable, its image in use).
#
#  1. fills its region [REGION, REGION + REGION_SIZE) with its own data (so the jump must swap
#     it out and back) and checks the ABI's refusals (bad flags, too many segments, wrong arch,
#     misaligned or overlapping segments, bufsz > memsz, buf outside its memory, JUMP or CALL
#     with nothing loaded, bad reboot command, argc > 8, unknown function);
#  2. builds the segment array for the peer it carries (peer.bin, incbin'd below: its code at
#     REGION, then a zero segment for the rest of the region) and LOADs it with PRESERVE_CONTEXT;
#  3. ping-pongs ROUNDS times with JUMP (the peer jumps back through its own jump-back helper),
#     checking the answer and the checksum of its own memory after every round trip, and that
#     a failed LOAD in between left the image in place;
#  4. loads kfunc.bin (a function, incbin'd below) at REGION and CALLs it with 8 arguments,
#     checks the return value, its callee-saved registers and its memory again.
# Output on the UART: "U\n" then "." per round trip, "\ncall ok\nU ok\n"; then the finisher
# passes. Any failure writes FAIL with code n (the check's number) to the test finisher.

    .equ    KEXEC_EID,  0x0A004B4A
    .equ    FN_LOAD,    0
    .equ    FN_JUMP,    1
    .equ    FN_CALL,    2
    .equ    FN_UNLOAD,  3
    .equ    FN_RESERVE, 4
    .equ    PRESERVE_CONTEXT, 2
    .equ    EINVAL,     22
    .equ    EFAULT,     14
    .equ    EADDRNOTAVAIL, 99
    .equ    FINISHER,   0x100000
    .equ    UART,       0x10000000
    .equ    REGION,     0x80100000
    .equ    REGION_SIZE, 0x20000
    .equ    PEER_CODE,  0x1000          # the peer's code segment (memsz); the rest is zeros
    .ifndef ROUNDS
    .equ    ROUNDS,     8
    .endif

# kexec fn: the firmware call (arguments already in a0..a3).
.macro  kexec fn
    li      a7, KEXEC_EID
    li      a6, \fn
    ecall
.endm

# expect_err errno, check: the call must have failed with -errno.
.macro  expect_err errno, check
    li      t0, -1
    bne     a0, t0, 9f
    li      t0, -\errno
    beq     a1, t0, 8f
9:  li      a0, \check
    j       fail
8:
.endm

# expect_ok check: the call must have succeeded with a1 = 0.
.macro  expect_ok check
    bnez    a0, 9f
    beqz    a1, 8f
9:  li      a0, \check
    j       fail
8:
.endm

    .text
    .globl  _start
_start:
    lla     sp, stack_top
    lla     a0, msg_hello
    call    puts

    # 1. My data in the region: word at pa = pa * 0x9E3779B1 (rotated by the page number).
    li      t0, REGION
    li      t1, REGION + REGION_SIZE
    li      t2, 0x9E3779B1
1:  mul     t3, t0, t2
    srli    t4, t0, 12
    xor     t3, t3, t4
    sw      t3, 0(t0)
    addi    t0, t0, 4
    bltu    t0, t1, 1b

    # The refusals, in kexec_load's check order (kexec-linux.md §1.2, §1.3).
    li      a0, REGION                  # unknown flag bit 0x4
    lla     a1, segs
    li      a2, 2
    li      a3, 0x4
    kexec   FN_LOAD
    expect_err EINVAL, 1
    li      a0, REGION                  # 17 segments > KEXEC_SEGMENT_MAX
    lla     a1, segs
    li      a2, 17
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_err EINVAL, 2
    li      a0, REGION                  # arch field = i386, not RISC-V or 0
    lla     a1, segs
    li      a2, 2
    li      a3, 0x00030002
    kexec   FN_LOAD
    expect_err EINVAL, 3
    li      a0, REGION                  # KEXEC_ON_CRASH: no crash images here
    lla     a1, segs
    li      a2, 2
    li      a3, 1
    kexec   FN_LOAD
    expect_err EINVAL, 4
    li      a0, REGION                  # mem not page aligned
    lla     a1, bad_misaligned
    li      a2, 1
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_err EADDRNOTAVAIL, 5
    li      a0, REGION                  # memsz not a page multiple (mend misaligned)
    lla     a1, bad_short
    li      a2, 1
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_err EADDRNOTAVAIL, 6
    li      a0, REGION                  # two segments overlap
    lla     a1, bad_overlap
    li      a2, 2
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_err EINVAL, 7
    li      a0, REGION                  # bufsz > memsz
    lla     a1, bad_bufsz
    li      a2, 1
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_err EINVAL, 8
    li      a0, REGION                  # buf is not my memory (below RAM)
    lla     a1, bad_buf
    li      a2, 1
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_err EFAULT, 9
    li      a0, 0                       # JUMP with nothing loaded
    li      a1, 0
    kexec   FN_JUMP
    expect_err EINVAL, 10
    li      a0, 0                       # CALL with nothing loaded
    li      a1, 0
    kexec   FN_CALL
    expect_err EINVAL, 11
    kexec   FN_UNLOAD                   # UNLOAD with nothing loaded: 0
    expect_ok 12
    li      a0, 0x1000                  # RESERVE outside my memory
    li      a1, 0x1000
    kexec   FN_RESERVE
    expect_err EFAULT, 13
    kexec   9                           # no such function: SBI_ERR_NOT_SUPPORTED
    li      t0, -2
    beq     a0, t0, 1f
    li      a0, 14
    j       fail
1:

    # 2. The segment array for the peer: its code, then zeros up to the end of the region.
    lla     t0, segs
    lla     t1, peer_bin
    sw      t1, 0(t0)                   # buf
    lla     t2, peer_end
    sub     t2, t2, t1
    sw      t2, 4(t0)                   # bufsz
    li      t1, REGION
    sw      t1, 8(t0)                   # mem
    li      t1, PEER_CODE
    sw      t1, 12(t0)                  # memsz
    sw      zero, 16(t0)
    sw      zero, 20(t0)
    li      t1, REGION + PEER_CODE
    sw      t1, 24(t0)
    li      t1, REGION_SIZE - PEER_CODE
    sw      t1, 28(t0)
    # ... and the one for the function CALLed at the end.
    lla     t0, fn_segs
    lla     t1, kfunc_bin
    sw      t1, 0(t0)
    lla     t2, kfunc_end
    sub     t2, t2, t1
    sw      t2, 4(t0)
    li      t1, REGION
    sw      t1, 8(t0)
    li      t1, 0x1000
    sw      t1, 12(t0)

    li      a0, REGION
    lla     a1, segs
    li      a2, 2
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_ok 20
    li      a0, 5                       # a reboot command that is not LINUX_REBOOT_CMD_KEXEC
    li      a1, 0
    kexec   FN_JUMP
    expect_err EINVAL, 21
    li      a0, 9                       # argc > 8
    lla     a1, argv
    kexec   FN_CALL
    expect_err EINVAL, 22

    call    my_checksum
    mv      s4, a0                      # s4 = what my memory must sum to from now on

    # 3. Ping-pong. s2 = round; s3 = a sentinel the JUMP must preserve (callee-saved).
    li      s2, 0
    li      s3, 0x5EA15EA1
round:
    li      a0, 0
    mv      a1, s2
    kexec   FN_JUMP
    li      t0, 30
    bnez    a0, fail_t0
    li      t0, 0x1000
    add     t0, t0, s2
    bne     a1, t0, fail31
    li      t0, 0x5EA15EA1
    bne     s3, t0, fail32
    call    my_checksum
    bne     a0, s4, fail33
    li      a0, '.'
    call    putc
    # A failed LOAD between the jumps leaves the loaded image alone (invariant 1).
    li      a0, REGION
    lla     a1, bad_overlap
    li      a2, 2
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_err EINVAL, 34
    addi    s2, s2, 1
    li      t0, ROUNDS
    bltu    s2, t0, round
    li      a0, '\n'
    call    putc

    # 4. CALL kfunc with 8 arguments (this LOAD replaces the peer's image: the peer is gone).
    li      a0, REGION
    lla     a1, fn_segs
    li      a2, 1
    li      a3, PRESERVE_CONTEXT
    kexec   FN_LOAD
    expect_ok 40
    li      s5, 0x55555555
    li      s6, 0x66666666
    li      s7, 0x77777777
    li      s11, 0x11111111
    li      a0, 8
    lla     a1, argv
    kexec   FN_CALL
    li      t0, 41
    bnez    a0, fail_t0
    li      t0, 0xC0DE0000 ^ (1*3 + 2*5 + 3*7 + 4*11 + 5*13 + 6*17 + 7*19 + 8*23)
    bne     a1, t0, fail42
    li      t0, 0x55555555
    bne     s5, t0, fail43
    li      t0, 0x66666666
    bne     s6, t0, fail43
    li      t0, 0x77777777
    bne     s7, t0, fail43
    li      t0, 0x11111111
    bne     s11, t0, fail43
    call    my_checksum
    bne     a0, s4, fail44
    lla     a0, msg_call
    call    puts
    lla     a0, msg_ok
    call    puts
    li      t0, FINISHER
    li      t1, 0x5555
    sw      t1, 0(t0)
2:  j       2b

fail31: li  a0, 31
        j   fail
fail32: li  a0, 32
        j   fail
fail33: li  a0, 33
        j   fail
fail42: li  a0, 42
        j   fail
fail43: li  a0, 43
        j   fail
fail44: li  a0, 44
        j   fail
fail_t0:
    mv      a0, t0
fail:                                   # FAIL with code a0
    slli    a0, a0, 16
    li      t0, 0x3333
    or      a0, a0, t0
    li      t0, FINISHER
    sw      a0, 0(t0)
3:  j       3b

# my_checksum(): a0 = rotate-xor sum of my image (up to the stack) and of my region.
my_checksum:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    lla     a0, _start
    lla     a1, stack_bottom
    li      a2, 0
    call    checksum
    mv      a2, a0
    li      a0, REGION
    li      a1, REGION + REGION_SIZE
    call    checksum
    lw      s0, 8(sp)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# checksum(a0 = start, a1 = end, a2 = seed): a0 = rotate-xor sum of the words of [start, end).
checksum:
1:  bgeu    a0, a1, 2f
    lw      t1, 0(a0)
    slli    t2, a2, 5
    srli    a2, a2, 27
    or      a2, a2, t2
    xor     a2, a2, t1
    addi    a0, a0, 4
    j       1b
2:  mv      a0, a2
    ret

# putc(a0) and puts(a0 = NUL-terminated string) on the UART's THR.
putc:
    li      t0, UART
    sb      a0, 0(t0)
    ret
puts:
    li      t0, UART
1:  lbu     t1, 0(a0)
    beqz    t1, 2f
    sb      t1, 0(t0)
    addi    a0, a0, 1
    j       1b
2:  ret

    .section .rodata
msg_hello:  .asciz "U\n"
msg_call:   .asciz "call ok\n"
msg_ok:     .asciz "U ok\n"

    .data
    .balign 4
argv:           .word 3, 5, 7, 11, 13, 17, 19, 23
bad_misaligned: .word peer_bin, 16, REGION + 8, 0x1000
bad_short:      .word peer_bin, 16, REGION, 0x800
bad_overlap:    .word peer_bin, 16, REGION, 0x2000
                .word 0, 0, REGION + 0x1000, 0x1000
bad_bufsz:      .word peer_bin, 0x2000, REGION, 0x1000
bad_buf:        .word 0x1000, 16, REGION, 0x1000
segs:           .space 16 * 17      # built at run time (17 entries: the "too many" check reads them)
fn_segs:        .space 16
    .balign 4
peer_bin:   .incbin "peer.bin"
peer_end:
    .balign 4
kfunc_bin:  .incbin "kfunc.bin"
kfunc_end:
    .balign 16
stack_bottom:
    .space  4096
stack_top:
