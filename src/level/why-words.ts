// Why a level run failed, the words: what the why tracker (why.ts) reads of the world, what it
// finds, the phrase tables (trap causes, JBUS report keys, errno names) and the sentences for a
// passing run's end and for a why on one line.
import { ERRNO_NAMES } from '../kexec/abi.ts';
import type { HaltReason } from '../sim/machine.ts';
import type { EndReason, RunWhy } from './events.ts';
import type { Tracked } from './goals.ts';
import { describe } from './goals.ts';
import { ReportKey } from './jbus.ts';
import type { Verdict } from './progress.ts';
import type { Level } from './schema.ts';

/** What the tracker reads from the world besides the events (world-views.ts builds it). */
export interface WhyView {
  readonly level: Level;
  lastStep(os: string): { index: number; text: string } | null;
  /** Errno and reason of the last refused kexec_load (null after a good one). */
  lastLoadError(): { errno: number; reason: string } | null;
  osOfKernel(kernel: string): string;
  imageOsOf(kernel: string): string | undefined;
  /** What is at a physical address, in words ("A's kexec re-entry", "outside RAM"), or ''. */
  describeAddress(pa: number): string;
  /** The UART is in loopback mode (what the kernel writes never reaches the screen). */
  uartLoopback(): boolean;
  goals(): ReadonlyArray<Readonly<Tracked>>;
  /** Whether `os` has a script (else it runs its own code: a raw image). */
  scripted(os: string): boolean;
}

/** How the world ended the run, before the tracker names it. */
export interface EndFacts {
  reason: 'halted' | 'limit' | 'stuck' | 'impossible' | 'too-slow';
  halt: HaltReason | null;
  verdict: Verdict | null;
  /** The level OS whose code was running. */
  running: string;
  at: number;
  pc: number;
}

export interface Explained {
  reason: EndReason;
  text: string;
  why: RunWhy;
}

export interface Finding {
  at: number;
  event: number;
  os: string;
  step: { index: number; text: string } | null;
  message: string;
  /** Weak findings (a near-miss console line) only explain a run nothing harder does. */
  weak?: boolean;
}

export interface Transfer {
  at: number;
  index: number;
  from: string;
  /** The OS whose code the transfer entered (a CALL enters the caller's loaded image). */
  into: string;
  kind: 'jump' | 'call' | 'reboot';
  target: number;
  /** Where the first transfer through the same loaded image entered. */
  first: number;
  /** 1 for the first transfer through this loaded image, 2 for the second... */
  nth: number;
}

export const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const errnoName = (errno: number): string => `-${ERRNO_NAMES[errno] ?? `errno ${errno}`}`;
export const ordinal = (n: number): string => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;
export const label = (t: Readonly<Tracked>): string => `"${t.goal.label ?? describe(t.goal)}"`;
export const KEY_NAMES: Record<number, string> = { [ReportKey.JUMP_BACK_ENTRY]: 'JUMP_BACK_ENTRY', [ReportKey.FRAMEBUFFER]: 'FRAMEBUFFER', [ReportKey.CHECK]: 'CHECK', [ReportKey.ERROR]: 'ERROR' };

/** RISC-V scause exception codes in words (privileged spec, table 3.6). */
export const CAUSES: Record<number, string> = {
  0: 'instruction address misaligned', 1: 'instruction access fault', 2: 'illegal instruction', 3: 'breakpoint',
  4: 'load address misaligned', 5: 'load access fault', 6: 'store address misaligned', 7: 'store access fault',
  8: 'ecall from U-mode', 9: 'ecall from S-mode', 12: 'instruction page fault', 13: 'load page fault', 15: 'store page fault',
};
/** Causes whose stval is the faulting data address. */
export const DATA_CAUSES = new Set([4, 5, 6, 7, 13, 15]);
/** The toy kernels' panic line (assets/os/include/trap.inc). */
export const PANIC = /(\S+): panic: scause=0x([0-9a-f]+) sepc=0x([0-9a-f]+) stval=0x([0-9a-f]+)/;

/** The end of a passing run in words. */
export function passedSentence(reason: EndReason, goals: number): string {
  if (reason === 'goals') return 'every goal was met';
  if (goals === 0) return reason === 'limit' ? 'free play ran to the instruction limit' : 'the machine powered off cleanly';
  return 'every goal was met';
}

/** A why as one line: "A: `kexec ...` failed: ... (step 2)"; the CLI and the result panel print it. */
export function whyLine(why: RunWhy): string {
  const named = why.os !== '' && (why.message.startsWith(`${why.os} `) || why.message.startsWith(`${why.os}'`));
  const head = why.os !== '' && !named ? `${why.os}: ` : '';
  const step = why.step < 0 ? '' : why.message.includes(`\`${why.stepText}\``) ? ` (step ${why.step + 1})` : ` (step ${why.step + 1}: \`${why.stepText}\`)`;
  return `${head}${why.message}${step}`;
}
