// The simulation's typed event union: what `Simulation.events$` emits and the event-log hash covers.
// One event per phase or batch (a kexec step, a jump, a script step, a console line), never one per
// instruction. Every event carries `at`, the retired-instruction count when it happened.
import type { KexecEvent } from '../../kexec/events.ts';
import type { HaltReason } from '../machine.ts';

/**
 * How a run ended. `goals`: every goal met. `limit`: the instruction limit. `halted`: the machine
 * stopped (finisher/SRST) at the end of a run that passed (a clean power-off). `stuck`: the hart
 * sleeps forever. The rest only end runs that fail (passing runs keep their event-log hash):
 * `impossible` (a goal can no longer be met: nothing left can run, jump or come back),
 * `too-slow` (the round trips left cannot fit under the limit at the pace of the page swaps),
 * `panic` (an OS kernel panicked), `poweroff` (a clean power-off with goals unmet), `failed` (a
 * shutdown with a failure reason, a script's `fail`, or a reset).
 */
export type EndReason = 'halted' | 'limit' | 'goals' | 'stuck' | 'impossible' | 'too-slow' | 'panic' | 'poweroff' | 'failed' | 'trap-loop' | 'trap-limit';

/** Why a run failed: the first thing that went wrong, where (OS, script step) and when. */
export interface RunWhy {
  /** The level OS it happened in ('' when none is to blame). */
  os: string;
  /** Index of the step in that OS's script (repeat blocks unrolled, from 0), or -1. */
  step: number;
  /** That step as it ran (fields filled in), or ''. */
  stepText: string;
  /** One line: what went wrong, in kexec-tools' / the kernel's own words where it has them. */
  message: string;
  /** Retired instructions when it happened. */
  at: number;
  /** Index in the event log of the event that shows it (the timeline marks it), or -1. */
  event: number;
  /** Other things that went wrong, in order (context for the message). */
  notes: string[];
}

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
   * The run ended (EndReason). A failing run's end also says why (`why`) and, in a sentence, what
   * ended it (`text`); a passing run's end has neither, so its event-log hash is what it was. A trap
   * loop or the trap limit also carries `detail`, the trap counts in words.
   */
  | { type: 'end'; at: number; reason: EndReason; halt: HaltReason | null; detail?: string; why?: RunWhy; text?: string };

