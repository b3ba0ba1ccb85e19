# purgatory.S: what a kexec-tools image is entered at (kexec-contract.md §6; kexec-linux.md §4.3). It first
# verifies the SHA-256 digest tools.ts computed at load time over the image's data segments (as
# kexec-tools' purgatory does; a mismatch spins forever at purgatory_sha256_failed), then reads
# `ra` (the jumper's re-entry address on a kexec jump, 0 on a plain kexec reboot), appends
# " kexec_jump_back_entry=0x%08x" to the command line in the boot-params block when it is not 0,
# and enters the kernel with a0 = hart id 0, a1 = boot params. Position independent; no stack
# (its scratch state lives in its own segment). tools.ts patches purgatory_params,
# sha256_digest and sha256_regions before loading (as kexec-tools sets purgatory symbols).

    .equ    BP_CMDLINE_OFF, 12          # boot params: offset of the command line

    .text
    .globl  purgatory_start
purgatory_start:
    mv      s0, ra                      # the jump-back entry, or 0
    # SHA-256 over every region {start, len} of sha256_regions, in order (kexec-tools'
    # verify_sha256_digest). s1/s2 = bytes left of the region, s3/s4 = region table,
    # s5 = message length, s6 = state (H, W, block), s7 = bytes in the block.
    lla     s6, sha_state
    lla     t0, sha_init
    li      t1, 0
1:  add     t2, t0, t1
    lw      t3, 0(t2)
    add     t2, s6, t1
    sw      t3, 0(t2)
    addi    t1, t1, 4
    li      t2, 32
    blt     t1, t2, 1b
    li      s5, 0
    li      s7, 0
    lla     s3, sha256_regions
    addi    s4, s3, 128
region:
    bgeu    s3, s4, pad
    lw      s1, 0(s3)
    lw      s2, 4(s3)
    addi    s3, s3, 8
    add     s2, s2, s1
bytes:
    bgeu    s1, s2, region
    lbu     a0, 0(s1)
    addi    s1, s1, 1
    jal     ra, sha_byte
    j       bytes
pad:                                    # 0x80, zeros to 56 mod 64, the bit length big-endian
    mv      s3, s5
    li      a0, 0x80
    jal     ra, sha_byte
2:  li      t0, 56
    beq     s7, t0, 3f
    li      a0, 0
    jal     ra, sha_byte
    j       2b
3:  srli    s4, s3, 29
    slli    s3, s3, 3
    li      s1, 24
4:  srl     a0, s4, s1
    andi    a0, a0, 255
    jal     ra, sha_byte
    addi    s1, s1, -8
    bgez    s1, 4b
    li      s1, 24
5:  srl     a0, s3, s1
    andi    a0, a0, 255
    jal     ra, sha_byte
    addi    s1, s1, -8
    bgez    s1, 5b
    lla     t0, sha256_digest           # compare H with the stored digest (big-endian bytes)
    li      t1, 0
6:  add     t2, t0, t1
    lbu     t3, 0(t2)
    slli    t3, t3, 24
    lbu     t4, 1(t2)
    slli    t4, t4, 16
    or      t3, t3, t4
    lbu     t4, 2(t2)
    slli    t4, t4, 8
    or      t3, t3, t4
    lbu     t4, 3(t2)
    or      t3, t3, t4
    add     t2, s6, t1
    lw      t4, 0(t2)
    bne     t3, t4, purgatory_sha256_failed
    addi    t1, t1, 4
    li      t2, 32
    blt     t1, t2, 6b

    lla     t0, purgatory_params
    lw      s1, 0(t0)                   # boot params
    lw      s2, 4(t0)                   # kernel entry
    beqz    s0, enter
    lw      t1, BP_CMDLINE_OFF(s1)
    add     t1, t1, s1
find_end:                               # cmdline_end: the terminating NUL
    lbu     t2, 0(t1)
    beqz    t2, append
    addi    t1, t1, 1
    j       find_end
append:
    lla     t3, jump_back_text
copy_text:
    lbu     t2, 0(t3)
    beqz    t2, hex
    sb      t2, 0(t1)
    addi    t1, t1, 1
    addi    t3, t3, 1
    j       copy_text
hex:
    li      t4, 28
    li      t5, 10
digit:
    srl     t2, s0, t4
    andi    t2, t2, 15
    blt     t2, t5, decimal
    addi    t2, t2, 39                  # 'a' - '0' - 10
decimal:
    addi    t2, t2, 48                  # '0'
    sb      t2, 0(t1)
    addi    t1, t1, 1
    addi    t4, t4, -4
    bgez    t4, digit
    sb      zero, 0(t1)
enter:
    li      a0, 0
    mv      a1, s1
    jr      s2

    .globl  purgatory_sha256_failed
purgatory_sha256_failed:                # the image is not what was loaded: never enter it
    j       purgatory_sha256_failed

# sha_byte(a0 = byte): appends a byte to the block, compressing it when full. Link: ra.
sha_byte:
    add     t0, s6, s7
    sb      a0, 288(t0)
    addi    s7, s7, 1
    addi    s5, s5, 1
    li      t0, 64
    bne     s7, t0, 1f
    jal     t6, sha_block
    li      s7, 0
1:  ret

# sha_block: one SHA-256 compression of the block into H (FIPS 180-4 §6.2.2). Link: t6.
# a..h = s8, s9, s10, s11, a1, a2, a3, a4.
sha_block:
    addi    t0, s6, 288                 # W[0..15] = the block's big-endian words
    addi    t1, s6, 32
    li      t2, 0
1:  add     t3, t0, t2
    lbu     t4, 0(t3)
    slli    t4, t4, 24
    lbu     t5, 1(t3)
    slli    t5, t5, 16
    or      t4, t4, t5
    lbu     t5, 2(t3)
    slli    t5, t5, 8
    or      t4, t4, t5
    lbu     t5, 3(t3)
    or      t4, t4, t5
    add     t3, t1, t2
    sw      t4, 0(t3)
    addi    t2, t2, 4
    li      t3, 64
    blt     t2, t3, 1b
    addi    t0, s6, 96                  # W[16..63]
    addi    t1, s6, 288
2:  lw      a1, -60(t0)                 # sigma0(W[t-15])
    srli    t2, a1, 7
    slli    t3, a1, 25
    or      t2, t2, t3
    srli    t3, a1, 18
    slli    t4, a1, 14
    or      t3, t3, t4
    xor     t2, t2, t3
    srli    t3, a1, 3
    xor     t2, t2, t3
    lw      a1, -8(t0)                  # sigma1(W[t-2])
    srli    t3, a1, 17
    slli    t4, a1, 15
    or      t3, t3, t4
    srli    t4, a1, 19
    slli    t5, a1, 13
    or      t4, t4, t5
    xor     t3, t3, t4
    srli    t4, a1, 10
    xor     t3, t3, t4
    add     t2, t2, t3
    lw      t3, -64(t0)                 # + W[t-16] + W[t-7]
    add     t2, t2, t3
    lw      t3, -28(t0)
    add     t2, t2, t3
    sw      t2, 0(t0)
    addi    t0, t0, 4
    bltu    t0, t1, 2b
    lw      s8, 0(s6)
    lw      s9, 4(s6)
    lw      s10, 8(s6)
    lw      s11, 12(s6)
    lw      a1, 16(s6)
    lw      a2, 20(s6)
    lw      a3, 24(s6)
    lw      a4, 28(s6)
    lla     a5, sha_k
    addi    a6, s6, 32
    addi    a7, s6, 288
3:  srli    t0, a1, 6                   # T1 = h + Sigma1(e) + Ch(e, f, g) + K[t] + W[t]
    slli    t1, a1, 26
    or      t0, t0, t1
    srli    t1, a1, 11
    slli    t2, a1, 21
    or      t1, t1, t2
    xor     t0, t0, t1
    srli    t1, a1, 25
    slli    t2, a1, 7
    or      t1, t1, t2
    xor     t0, t0, t1
    add     t0, t0, a4
    and     t1, a1, a2
    not     t2, a1
    and     t2, t2, a3
    xor     t1, t1, t2
    add     t0, t0, t1
    lw      t1, 0(a5)
    add     t0, t0, t1
    lw      t1, 0(a6)
    add     t0, t0, t1
    srli    t1, s8, 2                   # T2 = Sigma0(a) + Maj(a, b, c)
    slli    t2, s8, 30
    or      t1, t1, t2
    srli    t2, s8, 13
    slli    t3, s8, 19
    or      t2, t2, t3
    xor     t1, t1, t2
    srli    t2, s8, 22
    slli    t3, s8, 10
    or      t2, t2, t3
    xor     t1, t1, t2
    and     t2, s8, s9
    and     t3, s8, s10
    xor     t2, t2, t3
    and     t3, s9, s10
    xor     t2, t2, t3
    add     t1, t1, t2
    mv      a4, a3
    mv      a3, a2
    mv      a2, a1
    add     a1, s11, t0
    mv      s11, s10
    mv      s10, s9
    mv      s9, s8
    add     s8, t0, t1
    addi    a5, a5, 4
    addi    a6, a6, 4
    bltu    a6, a7, 3b
    lw      t0, 0(s6)                   # H += a..h
    add     t0, t0, s8
    sw      t0, 0(s6)
    lw      t0, 4(s6)
    add     t0, t0, s9
    sw      t0, 4(s6)
    lw      t0, 8(s6)
    add     t0, t0, s10
    sw      t0, 8(s6)
    lw      t0, 12(s6)
    add     t0, t0, s11
    sw      t0, 12(s6)
    lw      t0, 16(s6)
    add     t0, t0, a1
    sw      t0, 16(s6)
    lw      t0, 20(s6)
    add     t0, t0, a2
    sw      t0, 20(s6)
    lw      t0, 24(s6)
    add     t0, t0, a3
    sw      t0, 24(s6)
    lw      t0, 28(s6)
    add     t0, t0, a4
    sw      t0, 28(s6)
    jr      t6

    .align  2
    .globl  purgatory_params
purgatory_params:
    .word   0                           # physical address of the boot-params block
    .word   0                           # the kernel's entry point
    .globl  sha256_digest
sha256_digest:
    .space  32                          # SHA-256 of the regions, as bytes
    .globl  sha256_regions
sha256_regions:
    .space  16 * 8                      # {start, len} x 16 (len 0: unused)
jump_back_text:
    .asciz  " kexec_jump_back_entry=0x"

    .align  2
sha_init:
    .word   0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
sha_k:
    .word   0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
    .word   0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
    .word   0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
    .word   0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
    .word   0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
    .word   0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
    .word   0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
    .word   0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
sha_state:
    .space  32 + 256 + 64               # H[8], W[64], the 64-byte block
