# Macro arguments substituted inside strings, from an #include'd file: a quoted argument is passed
# without its quotes (GNU's get_any_string), escapes stay as written, :vararg keeps the raw text.
#include "inc/strings.inc"
    .text
_start:
    la      a0, hello
    ret
    .section .rodata
    msg     hello, "hello, world"
    msg     bare, plain
    bracket "a b"
    bracket "q\"z"
    bracket "tab\tx"
    pair    1, 2
    strs    "a b", "c", "d e"
    strs    x "y"
    .irp    s, "p q", r, "t"
    .asciz  "\s"
    .endr
    .irp    r, a0 a1
    .ascii  "\r"
    .endr
    .byte   BANNER_SEP
