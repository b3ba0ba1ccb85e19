# Escape sequences as GNU as reads them: in strings \a and \e are plain letters; in character
# constants \v is too ("\v" is 11, '\v' is 'v'), and so are digits and x ('\0' is '0', no octal or hex).
    .text
_start:
    ret
    .section .rodata
    .byte   '\a', '\b', '\e', '\f', '\n', '\r', '\t', '\v', '\q', '\z', '\A', '\N', '\"', '\'', '\?', '\ ', '\\', '\0', '\7', '\x'
    .ascii  "\a\b\e\f\n\r\t\v\q\z\A\N\'\?\ \"\\"
