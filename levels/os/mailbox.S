# mailbox.S: a level callee that uses memory outside its image (kexec-linux.md §6.2 F10). Physical-mode
# code for kexec CALL, one page at 0x80300000: it keeps a running total in a fixed "mailbox" word at
# 0x80100000, low memory it assumes is its own (as a real-mode kernel assumes the first 640K are):
#   total = mailbox + a0; mailbox = total; a0 = total, returned with a plain ret.
# Only the pages an image's segments name are swapped at a jump: unless a segment covers the mailbox,
# F reads and writes the caller's memory there.

    .equ    MAILBOX, 0x80100000

    .text
    .globl  _start
_start:
    li      t0, MAILBOX
    lw      t1, 0(t0)
    add     a0, a0, t1
    sw      a0, 0(t0)
    ret
