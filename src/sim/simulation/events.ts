// The simulation's typed event union: what `Simulation.events$` emits and the event-log hash covers.
// One event per phase or batch (a kexec step, a jump, a script step, a console line), never one per
// instruction. Every event carries `at`, the retired-instruction count when it happened.
import type { KexecEvent } from '../../kexec/events.ts';
import type { HaltReason } from '../machine.ts';

/** JBUS actions (jbus.md) as names. */
export type ScriptAction = 'continue' | 'jump' | 'call' | 'poweroff' | 'halt-fail';

export type SimEvent =
  /** An OS image was booted by the simulator (the first OS, or after a power cycle). */
  | { type: 'boot'; at: number; os: string; entry: number; bootParams: number }
  /** An OS kernel came into existence on the kexec side (booted, or entered fresh through an image). */
  | { type: 'os'; at: number; os: string; kernel: string }
  /** Bytes an OS wrote to the console (merged per OS and line in the hash, so slicing does not matter). */
  | { type: 'console'; at: number; os: string; text: string }
  /** A firmware call other than console/timer traffic and idle JBUS yields. */
  | { type: 'sbi'; at: number; os: string; eid: number; fid: number; error: number | null; value: number | null }
  /** Everything the kexec subsystem reports (load, steps, device freeze/restore, jump, return, ...). */
  | { type: 'kexec'; at: number; event: KexecEvent }
  /** A batch of page swaps by relocate.S: `out` on the way to the peer, `back` on the return. */
  | { type: 'swap'; at: number; kernel: string; direction: 'out' | 'back'; pairs: number }
  /** A user-space script step that ran (its command, exit status and what it printed). */
  | { type: 'script'; at: number; os: string; step: string; status: number; output: string }
  /** An action handed to a kernel through JBUS YIELD. */
  | { type: 'action'; at: number; os: string; action: ScriptAction; arg0: number; arg1: number }
  /** JBUS DONE: how the action's ecall ended (a0, a1). */
  | { type: 'done'; at: number; os: string; error: number; value: number }
  /** JBUS REPORT from a kernel. */
  | { type: 'report'; at: number; os: string; key: number; value: number }
  /** An injected fault took effect, or the machine faulted (what, in words). */
  | { type: 'fault'; at: number; os: string; fault: string; detail: string }
  /** A goal changed state. */
  | { type: 'goal'; at: number; id: string; met: boolean }
  /**
   * The run ended: halted (finisher/SRST), hit the instruction limit, goals all met, stuck (WFI
   * with nothing to wake it), a trap loop (a window of traps without one retired instruction) or
   * the trap limit (too many traps for the level's instruction limit); `detail` says why in words.
   */
  | { type: 'end'; at: number; reason: EndReason; halt: HaltReason | null; detail?: string };

export type EndReason = 'halted' | 'limit' | 'goals' | 'stuck' | 'trap-loop' | 'trap-limit';

