// Shared constants for the cpp corpus file.
#define UART_BASE 0x10000000
#define LSR_OFFSET 5
#ifndef STACK_SIZE
#define STACK_SIZE 512
#endif
