// The demo page's program (until levels land): a bare M-mode RV32 image, assembled in the browser
// by our assembler, that talks over the UART and paints RAM page by page in strided sweeps so the
// memory map shows the CPU at work. Also runs on QEMU (`-M virt -bios none`), which tests use.

/** RAM the demo assumes (the sweep covers pages 16..4095 of 16 MiB). */
export const DEMO_RAM_SIZE = 16 * 1024 * 1024;
/** Pages 0..15 hold the program and its stack; the sweeps never touch them. */
export const DEMO_RESERVED_PAGES = 16;
export const DEMO_BANNER = 'Jumpback demo: painting RAM in strided sweeps';

export const DEMO_SOURCE = `# ${DEMO_BANNER}
# Each pass visits every page i*stride mod 4096 (stride odd, so every page once), skipping the
# program's own pages, and fills it with (pass << 24 | page) words. On a 64-column map a stride
# of 65 draws diagonals and 63 anti-diagonals.
    .equ UART, 0x10000000
    .equ UART_LSR, 5
    .equ LSR_THRE, 0x20
    .equ RAM_BASE, 0x80000000
    .equ PAGES, 4096
    .equ FIRST_PAGE, ${DEMO_RESERVED_PAGES}
    .equ STACK_TOP, 0x80008000

    .section .text
    .globl _start
_start:
    li sp, STACK_TOP
    la a0, banner
    call puts
    li s0, 0                  # pass number
next_pass:
    la t0, strides            # stride = strides[pass % 8]
    andi t1, s0, 7
    slli t1, t1, 2
    add t0, t0, t1
    lw s3, 0(t0)
    la a0, msg_pass
    call puts
    mv a0, s0
    call puthex
    la a0, msg_stride
    call puts
    mv a0, s3
    call puthex
    li s1, 0                  # i
    li s4, 0                  # checksum of the words written
sweep:
    mul t0, s1, s3
    li t1, PAGES - 1
    and s2, t0, t1            # page = i * stride mod PAGES
    li t1, FIRST_PAGE
    bltu s2, t1, skip
    slli t0, s2, 12
    li t1, RAM_BASE
    add t0, t0, t1            # page address
    slli t2, s0, 24
    or t2, t2, s2             # the word: pass << 24 | page
    li t3, 4096
    add t3, t0, t3
fill:
    sw t2, 0(t0)
    sw t2, 4(t0)
    sw t2, 8(t0)
    sw t2, 12(t0)
    addi t0, t0, 16
    bltu t0, t3, fill
    add s4, s4, t2
skip:
    addi s1, s1, 1
    li t1, PAGES
    bltu s1, t1, sweep
    la a0, msg_sum
    call puts
    mv a0, s4
    call puthex
    li a0, 10
    call putc
    addi s0, s0, 1
    j next_pass

# putc(a0): waits for THRE, then writes the byte.
putc:
    li t0, UART
wait_thre:
    lbu t1, UART_LSR(t0)
    andi t1, t1, LSR_THRE
    beqz t1, wait_thre
    sb a0, 0(t0)
    ret

# puts(a0): writes a NUL-terminated string.
puts:
    addi sp, sp, -8
    sw ra, 4(sp)
    sw s0, 0(sp)
    mv s0, a0
puts_loop:
    lbu a0, 0(s0)
    beqz a0, puts_done
    call putc
    addi s0, s0, 1
    j puts_loop
puts_done:
    lw s0, 0(sp)
    lw ra, 4(sp)
    addi sp, sp, 8
    ret

# puthex(a0): writes eight hex digits.
puthex:
    addi sp, sp, -12
    sw ra, 8(sp)
    sw s0, 4(sp)
    sw s1, 0(sp)
    mv s0, a0
    li s1, 28
puthex_loop:
    srl a0, s0, s1
    andi a0, a0, 15
    li t0, 10
    bltu a0, t0, puthex_digit
    addi a0, a0, 39           # 'a' - '0' - 10
puthex_digit:
    addi a0, a0, 48
    call putc
    addi s1, s1, -4
    bgez s1, puthex_loop
    lw s1, 0(sp)
    lw s0, 4(sp)
    lw ra, 8(sp)
    addi sp, sp, 12
    ret

    .section .rodata
    .align 2
strides:
    .word 1, 65, 63, 4095, 129, 17, 2049, 3
banner:
    .asciz "${DEMO_BANNER}\\n"
msg_pass:
    .asciz "pass "
msg_stride:
    .asciz "  stride "
msg_sum:
    .asciz "  sum "
`;
