// The C preprocessor subset gcc applies to .S files, plus GNU as comments and separators.
#include "inc/defs.h"
#define TWICE 2 * LSR_OFFSET
#define EMPTY
#ifdef UART_BASE
    .globl _start
_start:
    li      a0, UART_BASE       // C++ comment
    lbu     a1, LSR_OFFSET(a0)  /* block comment */
    li      a2, TWICE           # hash comment
    li      a3, STACK_SIZE EMPTY
#else
    this would not assemble
#endif
#if 0
    neither would this
#elif 1
    addi a0, a0, 1; addi a0, a0, 2 ; nop
#endif
    /* a block comment
       spanning lines */ addi a4, a4, 1
# a full-line comment with 'quotes
    li      a5, '#'
    li      a6, ';'
    .ascii  "# not a comment; nor this // or this /* */"
    .align 2
    ret
