# Only data sections: the flat image starts at .rodata/.data (no code at all).
    .section .rodata
    .word 1, 2
    .data
    .word 3
