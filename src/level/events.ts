// The level's typed event union: what a level's (or a booted image's) `Simulation.events$` emits and
// the event-log hash covers, and its EventRules (console text merged in the hash, kexec checkpoints).
// One event per phase or batch (a kexec step, a jump, a script step, a console line), never one per
// instruction. Every event carries `at`, the retired-instruction count when it happened.
import type { KexecEvent } from '../kexec/events.ts';
import type { HaltReason } from '../sim/machine.ts';
import type { EventRules } from '../sim/simulation/world.ts';

/**
 * How a run ended. `goals`: every goal met. `limit`: the instruction limit. `halted`: the machine
 * stopped (finisher/SRST) at the end of a run that passed (a clean power-off). `stuck`: the hart
 * sleeps forever. The rest only end runs that fail (passing runs keep their event-log hash):
 * `impossible` (a goal can no longer be met: nothing left can run, jump or come back),
 * `too-slow` (the round trips left cannot fit under the limit at the pace of the page swaps),
 * `panic` (an OS kernel panicked), `poweroff` (a clean power-off with goals unmet), `failed` (a
 * shutdown with a failure reason, a script's `fail`, or a reset). `crash`: the simulator itself
 * failed (an exception escaped a run; the end's `detail` has its message).
 */
export type EndReason = 'halted' | 'limit' | 'goals' | 'stuck' | 'impossible' | 'too-slow' | 'panic' | 'poweroff' | 'failed' | 'trap-loop' | 'trap-limit' | 'crash';

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
   * loop or the trap limit also carries `detail`, the trap counts in words; a crash, its error.
   */
  | { type: 'end'; at: number; reason: EndReason; halt: HaltReason | null; detail?: string; why?: RunWhy; text?: string };


/** Kexec events a run can be rewound to (the moment right after their ecall). */
const CHECKPOINT_EVENTS = new Set(['jump', 'return', 'load']);

/**
 * How a Simulation treats these events: console text of one OS that follows on is one event in
 * the hash (however runs were sliced), checkpoints at kexec jumps, returns and loads, and stepping
 * stops at any kexec event.
 */
export const SIM_EVENT_RULES: EventRules<SimEvent> = {
  merge: {
    holds: (e) => e.type === 'console',
    merge: (held, next) => (held.type === 'console' && next.type === 'console' && held.os === next.os ? { ...held, text: held.text + next.text } : null),
  },
  checkpoint: (e) => (e.type === 'kexec' && CHECKPOINT_EVENTS.has(e.event.type) ? e.event.type : null),
  mark: (e) => e.type === 'kexec',
};

/** A run's last event (every world ends with one). */
export type EndEvent = Extract<SimEvent, { type: 'end' }>;

/** The end of a run an exception escaped (`message`: the error's), for World.crash. */
export function crashEnd(at: number, halt: HaltReason | null, message: string): EndEvent {
  return { type: 'end', at, reason: 'crash', halt, detail: message, text: `the simulator failed: ${message}` };
}
