// The public API of the jumpback package (generated from src/index.ts by scripts/build-lib.ts).
import { Observable, VirtualTimeScheduler } from 'rxjs';

/** One problem found while assembling, located in the source the user wrote. */
export interface AsmDiagnostic {
	file: string;
	line: number;
	column: number;
	message: string;
}
/** Thrown by `assemble()`; `message` lists every diagnostic as `FILE:LINE:COL: message`. */
export declare class AsmError extends Error {
	readonly diagnostics: AsmDiagnostic[];
	constructor(diagnostics: AsmDiagnostic[]);
}
/** One problem found in a file: where (a JSON path like "oses[1].script[0]") and what. */
export interface Problem {
	path: string;
	message: string;
}
/** The physical address of the first RAM byte (QEMU virt's DRAM base). */
export declare const RAM_BASE = 2147483648;
export declare const PAGE_SIZE: number;
export declare const KEXEC_PRESERVE_CONTEXT = 2;
/**
 * Which kexec_load the kernel implements: `merged` is Linux 2.6.27+ (one PRESERVE_CONTEXT flag),
 * `seed` the 2007 v7 proposal (separate CPU / CPU_EXT / DEVICE preservation; PRESERVE_CONTEXT =
 * all three).
 */
export type Flavour = "merged" | "seed";
/** kernel_kexec's steps, forward and return (kexec-linux.md §2.2), and the reboot path. */
export type KexecStep = "pm_prepare_console" | "freeze_processes" | "console_suspend" | "dpm_suspend_start" | "dpm_suspend_end" | "disable_secondary_cpus" | "irq_disable" | "syscore_suspend" | "kmsg_dump" | "machine_kexec" | "syscore_resume" | "irq_enable" | "enable_secondary_cpus" | "dpm_resume_start" | "dpm_resume_end" | "console_resume" | "thaw_processes" | "pm_restore_console" | "kernel_restart_prepare" | "migrate_to_reboot_cpu" | "syscore_shutdown" | "machine_shutdown";
export type KexecEvent = {
	type: "load";
	kernel: string;
	errno: number;
	entry: number;
	segments: number;
	flags: number;
	frames: number;
} | {
	type: "unload";
	kernel: string;
	errno: number;
} | {
	type: "reserve";
	kernel: string;
	errno: number;
	address: number;
	size: number;
} | {
	type: "step";
	kernel: string;
	step: KexecStep;
	errno: number;
} | {
	type: "device";
	kernel: string;
	device: string;
	action: "freeze" | "restore" | "shutdown" | "untouched";
} | {
	type: "jump";
	from: string;
	to: string;
	kind: "jump" | "call" | "reboot";
	target: number;
	pairs: number;
	jump: number;
} | {
	type: "return";
	kernel: string;
	from: string;
	start: number;
	value: number;
	jump: number;
} | {
	type: "kernel";
	kernel: string;
	id: number;
	usablePages: number;
	inUsePages: number;
}
/** A suspended kernel whose memory only lived in a freed image's source pages (F13). */
 | {
	type: "lost";
	kernel: string;
	by: string;
} | {
	type: "refused";
	kernel: string;
	fn: string;
	errno: number;
	reason: string;
};
/** Why the machine stopped for good: the finisher's verdict (or SBI SRST's). */
export type HaltReason = {
	kind: "pass" | "fail" | "reset";
	code: number;
};
type EndReason = "halted" | "limit" | "goals" | "stuck" | "impossible" | "too-slow" | "panic" | "poweroff" | "failed" | "trap-loop" | "trap-limit" | "crash";
interface RunWhy {
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
export type ScriptAction = "continue" | "jump" | "call" | "poweroff" | "halt-fail";
export type SimEvent = 
/** An OS image was booted by the simulator (the first OS, or after a power cycle). */
{
	type: "boot";
	at: number;
	os: string;
	entry: number;
	bootParams: number;
}
/** An OS kernel came into existence on the kexec side (booted, or entered fresh through an image). */
 | {
	type: "os";
	at: number;
	os: string;
	kernel: string;
}
/** Bytes an OS wrote to the console (merged per OS and line in the hash, so slicing does not matter). */
 | {
	type: "console";
	at: number;
	os: string;
	text: string;
}
/** A firmware call other than console/timer traffic and idle JBUS yields. */
 | {
	type: "sbi";
	at: number;
	os: string;
	eid: number;
	fid: number;
	error: number | null;
	value: number | null;
}
/** Everything the kexec subsystem reports (load, steps, device freeze/restore, jump, return, ...). */
 | {
	type: "kexec";
	at: number;
	event: KexecEvent;
}
/** A batch of page swaps by relocate.S: `out` on the way to the peer, `back` on the return. */
 | {
	type: "swap";
	at: number;
	kernel: string;
	direction: "out" | "back";
	pairs: number;
}
/** A user-space script step that ran (its command, exit status and what it printed). */
 | {
	type: "script";
	at: number;
	os: string;
	step: string;
	status: number;
	output: string;
}
/** An action handed to a kernel through JBUS YIELD. */
 | {
	type: "action";
	at: number;
	os: string;
	action: ScriptAction;
	arg0: number;
	arg1: number;
}
/** JBUS DONE: how the action's ecall ended (a0, a1). */
 | {
	type: "done";
	at: number;
	os: string;
	error: number;
	value: number;
}
/** JBUS REPORT from a kernel. */
 | {
	type: "report";
	at: number;
	os: string;
	key: number;
	value: number;
}
/** An injected fault took effect, or the machine faulted (what, in words). */
 | {
	type: "fault";
	at: number;
	os: string;
	fault: string;
	detail: string;
}
/** A goal changed state. */
 | {
	type: "goal";
	at: number;
	id: string;
	met: boolean;
}
/**
 * The run ended (EndReason). A failing run's end also says why (`why`) and, in a sentence, what
 * ended it (`text`); a passing run's end has neither, so its event-log hash is what it was. A trap
 * loop or the trap limit also carries `detail`, the trap counts in words; a crash, its error.
 */
 | {
	type: "end";
	at: number;
	reason: EndReason;
	halt: HaltReason | null;
	detail?: string;
	why?: RunWhy;
	text?: string;
};
/** A run's last event (every world ends with one). */
export type EndEvent = Extract<SimEvent, {
	type: "end";
}>;
/**
 * Files of your own that assembly sources and levels may refer to, by path: `.include`/`.incbin`
 * targets (resolved against the including file's folder) and the `asm`/`elf` paths of a level.
 * `readFile` is asked first, then `files`; text is taken as UTF-8.
 */
export interface SourceFiles {
	/** Path -> contents (text or bytes). */
	files?: Readonly<Record<string, string | Uint8Array>>;
	/** Reads a file by path; undefined when it does not exist. */
	readFile?: (path: string) => string | Uint8Array | undefined;
}
/**
 * The text of a file the package ships, by its path in the repository ('levels/03-ping-pong.json',
 * 'levels/solutions/03-ping-pong.json', 'assets/os/include/sbi.inc'), or undefined.
 */
export declare function packageFile(path: string): string | undefined;
export interface AssembleOptions extends SourceFiles {
	/**
	 * The source's path: named in error messages, and the folder relative `.include`/`.incbin`
	 * paths start from (default `<input>`, no folder).
	 */
	fileName?: string;
}
/** An assembled program, linked at 0x80000000 (RAM_BASE) as the toy OSes are. */
export interface Program {
	/** ELF32 RISC-V executable: what {@link boot} takes, or what another OS carries with `.incbin`. */
	readonly elf: Uint8Array;
	/** The flat image from 0x80000000 (`objcopy -O binary`), for a position-independent OS another loads. */
	readonly bin: Uint8Array;
	readonly entry: number;
	/** Every named label and `.equ` value. */
	readonly symbols: ReadonlyMap<string, number>;
}
/**
 * Assembles GNU-as-style RV32IM+Zicsr source. Includes are looked up in `readFile`, then `files`
 * (by the path resolved against `fileName`'s folder), then in the package's toy OS folder, so
 * `.include "include/sbi.inc"` gets the SBI/KEXEC numbers and the `sbi EID, FID` macro.
 * Throws AsmError listing every problem as `FILE:LINE:COL: message`.
 */
export declare function assemble(source: string, options?: AssembleOptions): Program;
/** What a page is used for (the memory map's colours). */
export type PageRole = "free" | "kernel" | "source" | "indirection" | "control" | "swap" | "destination" | "device buffer" | "framebuffer" | "reserved";
/** One 4 KiB page of RAM as it is now. */
export interface PageInfo {
	/** Physical address of its first byte. */
	readonly address: number;
	/** The kernel whose page it is (kexec's bookkeeping), or null for nobody. */
	readonly owner: string | null;
	readonly role: PageRole;
	/** A copy of its 4096 bytes. */
	readonly bytes: Uint8Array;
}
/** Which pages {@link Session.pages} lists: every condition given must hold. */
export interface PageFilter {
	owner?: string | null;
	role?: PageRole;
}
/** One (destination, source) pair of an entry list: relocate.S swaps these two pages on a jump. */
export interface SwapPair {
	readonly destination: number;
	readonly source: number;
}
/**
 * The data area of a control page as it is in memory (kexec-contract.md §4). The fields are written at
 * each JUMP/CALL: before the first one they read 0 (or whatever the page held).
 */
export interface ControlPageInfo {
	readonly address: number;
	/** KCALL_MAGIC is set: a jump or call through this page is in progress (its kernel waits in it). */
	readonly inProgress: boolean;
	/** The entry list's head word the jump used. */
	readonly head: number;
	readonly flags: number;
	/** Where the jump entered (image->start at jump time; the jump-back entry after a return). */
	readonly entry: number;
	/** The arguments handed to the peer: a JUMP passes one (its a1), a CALL up to eight. */
	readonly args: readonly number[];
	/** The stack pointer relocate.S saved for the jumping kernel. */
	readonly savedSp: number;
	/** The control page's own address as the data area records it (equals `address` when intact). */
	readonly self: number;
	/** The swap page relocate.S uses, as the data area records it. */
	readonly swapPage: number;
}
/** A loaded kexec image (kexec_load's result), read from the kernel's records and its pages. */
export interface KexecImageInfo {
	/** image->start: where the next jump enters. */
	readonly entry: number;
	/** The kexec_load flags (0x2 = KEXEC_PRESERVE_CONTEXT). */
	readonly flags: number;
	/** The segments as loaded: buffer, its size, destination and memory size. */
	readonly segments: ReadonlyArray<{
		readonly buf: number;
		readonly bufsz: number;
		readonly mem: number;
		readonly memsz: number;
	}>;
	readonly controlPage: number;
	readonly swapPage: number;
	/** Addresses of the pages holding the entry list. */
	readonly indirectionPages: readonly number[];
	/** The entry list as it is in memory now, in order. */
	readonly entries: readonly SwapPair[];
	/** Every page the image holds (control, swap, indirection, sources, parked): what it costs its kernel. */
	readonly heldPages: readonly number[];
	readonly control: ControlPageInfo;
}
/** One kernel the KEXEC extension knows. */
export interface KernelInfo {
	readonly name: string;
	/** Its owner id in the page metadata. */
	readonly id: number;
	/** Its code runs now. */
	readonly running: boolean;
	/** It waits inside machine_kexec for a jump back (or a CALL's return). */
	readonly suspended: boolean;
	readonly usablePages: number;
	readonly inUsePages: number;
	/** Its loaded image, or null when nothing is loaded. */
	readonly image: KexecImageInfo | null;
}
/** The KEXEC extension's state. */
export interface KexecState {
	readonly flavour: Flavour;
	/** JUMPs and CALLs that reached machine_kexec so far. */
	readonly jumps: number;
	/** The running kernel's name (null before the first OS). */
	readonly current: string | null;
	readonly kernels: readonly KernelInfo[];
}
/** A moment of a session, to come back to with {@link Session.restore}. */
export interface Snapshot {
	/** The whole machine then (RAM, page metadata, CPU, devices) in Jumpback's snapshot format. */
	readonly bytes: Uint8Array;
	/** Retired instructions then. */
	readonly instructions: number;
}
/** One simulation: a booted image ({@link boot}) or a level ({@link openLevel}). */
export interface Session {
	/**
	 * Every event of the run, from the boot on: a subscriber first gets the events so far, then
	 * each one as it happens. Completes after the `end` event.
	 */
	readonly events$: Observable<SimEvent>;
	/** The virtual-time scheduler {@link Session.play} runs the simulation on (one tick per slice). */
	readonly scheduler: VirtualTimeScheduler;
	/** Every event so far, in order. */
	readonly log: readonly SimEvent[];
	readonly ended: boolean;
	/** The `end` event once the run ended: halted (finisher/SRST), limit, goals or stuck. */
	readonly end: EndEvent | null;
	/** Retired instructions so far. */
	readonly instructions: number;
	/** The event-log hash so far (16 hex digits): same image/level + solution + seed = same hash. */
	hash(): string;
	/** Runs to the end on the virtual-time scheduler. */
	play(): this;
	/** Runs at most `maxInstructions` more instructions (synchronously), fewer if the run ends. */
	run(maxInstructions: number): this;
	/**
	 * The next kexec event, each one once and in order: those already in the log first, then by
	 * running (at most `maxInstructions`). The machine stops right after the ecall (or jump) that
	 * produced it, so page and kexec views show the state just after it. Null when the run ended
	 * (or the budget ran out: see `ended`) without another.
	 */
	nextKexecEvent(maxInstructions?: number): KexecEvent | null;
	/** What the OSes printed so far (only `os`'s lines when given: a kernel name or level OS id). */
	console(os?: string): string;
	/** The page holding `address` (RangeError outside RAM). */
	page(address: number): PageInfo;
	/** Every page matching `filter`, lowest address first. */
	pages(filter?: PageFilter): PageInfo[];
	/** A copy of `length` bytes at physical `address` (RangeError outside RAM). */
	read(address: number, length: number): Uint8Array;
	/** The KEXEC extension's state, or null when the machine has none (bare mode). */
	kexec(): KexecState | null;
	/** The machine now, to {@link Session.restore} later. */
	snapshot(): Snapshot;
	/**
	 * Rewinds this session to `snapshot`: the run is replayed from the boot (the engine is
	 * deterministic) and the machine must then equal the snapshot byte for byte, or this throws.
	 * The log is cut back to that moment; events$ subscribers see the events from there again.
	 */
	restore(snapshot: Snapshot): this;
}
export interface BootOptions {
	/**
	 * 'sbi' (default): S-mode at the entry with the firmware serving ecalls (a0 = 0, a1 =
	 * `bootParams`); 'bare': M-mode at the entry, no firmware.
	 */
	mode?: "sbi" | "bare";
	/** Bytes of RAM: a multiple of 4 KiB from 1 MiB to 2 GiB (default 16 MiB). */
	ramSize?: number;
	/** The disk's image (a multiple of 512 bytes; copied). Default: an empty disk. */
	diskImage?: Uint8Array;
	/**
	 * The KEXEC extension (sbi mode only): true (default in sbi mode), false, or its flavour:
	 * 'merged' (Linux 2.6.27+, default) or 'seed' (the 2007 proposal's separate flags).
	 */
	kexec?: boolean | {
		flavour?: Flavour;
	};
	/** The booted OS's kernel name in events and page owners (default 'A'). */
	name?: string;
	/** a1 at entry in sbi mode (default 0). */
	bootParams?: number;
	/** The run ends with reason 'limit' after this many instructions (default 100 000 000). */
	maxInstructions?: number;
}
/**
 * Boots `image` (an assembled {@link Program}, or ELF / flat-binary bytes) on a fresh board and
 * returns the session, paused at the first instruction. Throws for a bad image or option.
 */
export declare function boot(image: Program | Uint8Array, options?: BootOptions): Session;
/** A level the package ships, as JSON, with its reference solution. */
export interface PackageLevel {
	/** Its file name without `.json` ('03-ping-pong'). */
	readonly name: string;
	/** The level file's JSON (docs/levels.md describes the format). */
	readonly level: unknown;
	/** The reference solution's JSON (levels/solutions/NAME.json), or null when none is shipped. */
	readonly solution: unknown;
}
export interface LevelOptions extends SourceFiles {
	/** A solution's JSON (`{ "schema": 1, "level": ID, "values": {...} }`); default: the level's defaults. */
	solution?: unknown;
	/** The seed of the level's randomness (an integer 0..2^32-1, default 0). */
	seed?: number;
	/** Named in error messages (default 'level'). */
	fileName?: string;
}
/** One goal and whether it was met. */
export interface GoalResult {
	readonly id: string;
	readonly label: string;
	readonly met: boolean;
}
/** The score: cycles to the end, peak pages kexec held, bytes the player wrote. */
export interface LevelScore {
	readonly cycles: number;
	readonly pages: number;
	readonly size: number;
}
/** What `jumpback level --json` prints, as data. */
export interface LevelResult {
	/** Every goal met (a level without goals: a clean power-off or the limit). */
	readonly passed: boolean;
	readonly goals: readonly GoalResult[];
	readonly score: LevelScore;
	/** The event-log hash (16 hex digits). */
	readonly hash: string;
	/** How the run ended, or 'unfinished'. */
	readonly end: EndEvent["reason"] | "unfinished";
	/** What ended it, in one sentence. */
	readonly endText: string;
	/** A failed run: the first thing that went wrong (OS, script step, message); null when it passed. */
	readonly why: RunWhy | null;
	/** A trap loop or the trap limit: the trap counts in words. */
	readonly endDetail?: string;
	readonly events: number;
	readonly instructions: number;
}
/** A level being played: a {@link Session} plus the level's goals and result. */
export interface LevelSession extends Session {
	readonly id: string;
	readonly title: string;
	/** The goals so far. */
	goals(): GoalResult[];
	/** The result so far (final once `ended`). */
	result(): LevelResult;
}
/** The names of the levels the package ships, in campaign order ('01-first-jump', ...). */
export declare function levelNames(): string[];
/** A level the package ships, by name (see {@link levelNames}); throws naming the known ones. */
export declare function loadLevel(name: string): PackageLevel;
/**
 * Checks the level and solution and opens the level, booted and paused at its start. Throws
 * LevelInputError listing every problem (JSON path and message) of the level or the solution.
 */
export declare function openLevel(level: unknown, options?: LevelOptions): LevelSession;
/** Plays a level to the end: {@link openLevel}, then play, then the result. */
export declare function playLevel(level: unknown, options?: LevelOptions): LevelResult;
/** Problems of one file; a problem with the empty path is about the whole file (unreadable, not JSON). */
export declare class LevelInputError extends Error {
	readonly problems: Problem[];
	readonly file: string;
	constructor(problems: Problem[], file: string);
}

export {};
