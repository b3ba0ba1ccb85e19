// The small numeric protocol between the CPU's run loop and compiled blocks (cpu.ts, cpu-jit.ts):
// what `brk` says after a slow access, and what the run loop's checkpoint returns.

/** `brk` after a slow access: nothing happened, the block may go on. */
export const BRK_NONE = 0;
/** `brk`: the access trapped (the trap is taken; the instruction did not retire). */
export const BRK_TRAPPED = 1;
/** `brk`: the access reached a device or overwrote compiled code, so the block must end after it. */
export const BRK_END_BLOCK = 2;

/** checkpoint(): stop now (a stop was requested, or the hart waits for nothing that can come). */
export const CHECKPOINT_STOP = -1;
/** checkpoint(): the run's instruction budget is spent. */
export const CHECKPOINT_LIMIT = -2;
