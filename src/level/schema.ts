// The level and solution file formats as zod schemas (design §5): what a level declares, what a
// player may edit, goals, limits and par scores. Errors carry JSON paths ("oses[1].script[2]").
import { z } from 'zod';
import { OS_NAMES } from '../os/images.ts';
import { LEVEL_FAULT_NAMES } from './faults.ts';
import { MAX_FIELDS, MAX_GOALS, MAX_OSES, MAX_REPEAT_DEPTH, MAX_SCRIPT_STEPS, unsafePath } from './limits.ts';
import { PAGE_ROLE_NAMES } from '../sim/memory.ts';

/** A u32 written as a number or a hex string ("0x80100000"). */
export const u32 = z
  .union([z.number().int().min(0).max(0xffff_ffff), z.string().regex(/^0x[0-9a-fA-F]{1,8}$/, 'expected a hex string like "0x80100000"')])
  .transform((v) => (typeof v === 'number' ? v : parseInt(v.slice(2), 16)));

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'expected an identifier (letters, digits, _ and -, at most 32)');

/**
 * Where an OS image comes from: a toy OS of assets/os by name (moved to `base`), an assembly
 * source (our assembler; may include the player's blocks), or a prebuilt ELF; paths from the repo root.
 */
const levelPath = z.string().max(256).superRefine((p, ctx) => {
  const bad = unsafePath(p);
  if (bad) ctx.addIssue({ code: 'custom', message: `${bad}: a level reads files of the repository's assets/ and levels/ only` });
});
const imageSource = z.union([
  z.object({ os: z.enum(OS_NAMES) }).strict(),
  z.object({ asm: levelPath }).strict(),
  z.object({ elf: levelPath }).strict(),
]);

/**
 * One script step (what the OS's user space runs, in order, at its kernel's JBUS yields):
 * `kexec ARGS...` (kexec-tools; with -e it asks the kernel to jump), `load OS [--preserve]` (raw
 * kexec_load of an image's segments, entered at its ELF entry), `call N...` (kexec CALL),
 * `wait N` (N idle yields), `input TEXT` (UART input), `echo TEXT`, `poweroff`, `fail`,
 * `fault NAME [OS]` (injected fault). `${field}` is replaced by the solution's value of an
 * editable field; `$JUMP_BACK_ENTRY` by the value on this kernel's command line, at run time.
 * `{ repeat, steps }` runs its steps `repeat` times.
 */
export type ScriptStep = string | { repeat: number; steps: ScriptStep[] };
/** How a script step string must start (a command, or a whole-step `${field}`). */
export const STEP_START = /^(\$\{[A-Za-z][A-Za-z0-9_-]*\}|kexec|load|call|wait|input|echo|poweroff|fail|fault)(\s|$)/;
const scriptStep: z.ZodType<ScriptStep> = z.lazy(() =>
  z.union([
    z.string().regex(STEP_START, 'a step starts with kexec, load, call, wait, input, echo, poweroff, fail or fault'),
    z.object({ repeat: z.number().int().min(1).max(1000), steps: z.array(scriptStep).min(1) }).strict(),
  ]),
);

const osSpec = z
  .object({
    id,
    /** Shown in consoles and goals. */
    name: z.string().optional(),
    image: imageSource,
    /** Load address for position-independent images assembled at 0x80000000 (the ELF is rebased). */
    base: u32.optional(),
    /** Booted by the simulator at power-on (exactly one OS is). Others are loaded with kexec. */
    boot: z.boolean().default(false),
    /**
     * Booted by the simulator when the machine powers off cleanly (at most one OS): a power cycle
     * in which RAM is lost (refilled with noise or zeros) and the disk survives (hibernation).
     */
    bootAfterPoweroff: z.boolean().default(false),
    /** Pages from the PA the OS REPORTs as its FRAMEBUFFER (marked PageRole.Framebuffer). */
    framebufferPages: z.number().int().min(1).max(256).default(2),
    commandLine: z.string().default(''),
    script: z.array(scriptStep).default([]),
    /** Assembly blocks the image includes as `player/NAME.S` (defaults; the player may edit some). */
    blocks: z.record(id, z.string()).default({}),
    /**
     * Faults this OS's kernel has from its boot on, as if its first script step were `fault NAME`
     * (a kernel with a real bug, kexec-linux.md §6.2): the player's script cannot remove them.
     */
    faults: z.array(z.enum(LEVEL_FAULT_NAMES as [string, ...string[]])).max(8).default([]),
  })
  .strict();

/**
 * One raw kexec segment (a row of struct kexec_segment): `bufsz` bytes of the OS image from
 * `offset` (0 bytes: a zero segment) loaded at `mem`, `memsz` bytes reserved there.
 */
export const rawSegment = z.object({ offset: u32, bufsz: u32, mem: u32, memsz: u32 }).strict();
export type RawSegment = z.output<typeof rawSegment>;

/** A field the player may edit; scripts and blocks refer to it by id. */
const editable = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('args'),
      id,
      label: z.string(),
      default: z.array(z.string()),
      /** Options the player may use (e.g. "--load-preserve-context", "--mem-min"); others are refused. */
      options: z.array(z.string().regex(/^-/)).min(1),
      /** Non-option words allowed (image names, usually OS ids). */
      words: z.array(z.string()).default([]),
    })
    .strict(),
  z.object({ kind: z.literal('number'), id, label: z.string(), default: z.number().int(), min: z.number().int(), max: z.number().int() }).strict(),
  z.object({ kind: z.literal('choice'), id, label: z.string(), default: z.string(), choices: z.array(z.string()).min(1) }).strict(),
  z
    .object({
      kind: z.literal('segments'),
      id,
      label: z.string(),
      /** The OS image whose bytes the segments take (`offset` counts from its first loaded byte). */
      os: id,
      default: z.array(rawSegment),
      maxSegments: z.number().int().min(1).max(16).default(16),
    })
    .strict(),
  z
    .object({
      kind: z.literal('script'),
      id,
      label: z.string(),
      /** The OS whose whole user-space script the player writes (replaces its `script`). */
      os: id,
      maxSteps: z.number().int().min(1).max(1000).default(64),
    })
    .strict(),
  z
    .object({
      kind: z.literal('asm'),
      id,
      label: z.string(),
      /** The OS whose `player/BLOCK.S` this edits. */
      os: id,
      block: id,
      /** Most bytes of source text accepted. */
      maxLength: z.number().int().min(1).max(65536).default(4096),
    })
    .strict(),
]);

const goal = z.discriminatedUnion('type', [
  z.object({ type: z.literal('console'), id, os: id.optional(), contains: z.string().min(1), label: z.string().optional() }).strict(),
  z.object({ type: z.literal('roundTrips'), id, os: id, count: z.number().int().min(1), label: z.string().optional() }).strict(),
  z.object({ type: z.literal('intact'), id, os: id, rounds: z.number().int().min(1).default(1), label: z.string().optional() }).strict(),
  z.object({ type: z.literal('report'), id, os: id.optional(), key: z.number().int().min(0), equals: u32, label: z.string().optional() }).strict(),
  z.object({ type: z.literal('noError'), id, os: id.optional(), label: z.string().optional() }).strict(),
  z.object({ type: z.literal('callReturned'), id, os: id, equals: u32, label: z.string().optional() }).strict(),
  z.object({ type: z.literal('jumps'), id, count: z.number().int().min(1), label: z.string().optional() }).strict(),
  z.object({ type: z.literal('poweroff'), id, label: z.string().optional() }).strict(),
  /**
   * When `os` comes back from a jump, the hibernation image at `sector` of the disk (dump.S's
   * format) holds its true memory: every page of its kernel, each stored page byte-identical.
   */
  z.object({ type: z.literal('diskImage'), id, os: id, sector: z.number().int().min(0).default(0), label: z.string().optional() }).strict(),
  /** A power cycle happened and the OS booted after it ran. */
  z.object({ type: z.literal('powerCycle'), id, label: z.string().optional() }).strict(),
]);

/**
 * Most RAM a level may fill with noise. Zero RAM costs the host only the pages the run touches, so
 * 2048 MiB (the whole 0x80000000..0xffffffff window) plays in about 100 MB; noise writes every byte
 * (and again at each power cycle): 2 GiB of it took 12 s and 2.2 GB before the first instruction.
 */
export const MAX_NOISE_RAM_MIB = 256;

const histogram = z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)]));

/** The reference solution's score: what a player's run is measured against. */
const parScores = z.object({ cycles: z.number().int().min(0), pages: z.number().int().min(0), size: z.number().int().min(0) }).strict();
/** Reference distributions per metric: [bucket upper bound, solutions] pairs. */
const histograms = z.object({ cycles: histogram, pages: histogram, size: histogram }).strict();
export type Par = z.output<typeof parScores>;
export type Histograms = z.output<typeof histograms>;

/** The moments of a run a tutorial step waits for (the kexec timeline's phases, the run's start and end). */
export const TUTORIAL_MOMENTS = ['start', 'load', 'jump', 'return', 'end'] as const;

/**
 * One callout of a tutorial level: shown (the run paused) when the run reaches `when`, pointing at
 * a page of the map: the first page with `role` (owned by OS `os`'s kernel when given).
 */
const tutorialStep = z
  .object({
    when: z.enum(TUTORIAL_MOMENTS),
    page: z.object({ role: z.enum(PAGE_ROLE_NAMES as [string, ...string[]]), os: id.optional() }).strict().optional(),
    title: z.string().min(1).optional(),
    text: z.string().min(1),
  })
  .strict();
export type TutorialStep = z.output<typeof tutorialStep>;

export const levelSchema = z
  .object({
    schema: z.literal(1),
    id,
    title: z.string().min(1),
    briefing: z.string().min(1),
    /** Position in the campaign: 1, 2, ... (0 = the tutorial, played before level 1). */
    order: z.number().int().min(0),
    machine: z
      .object({
        ramMiB: z.number().int().min(1).max(2048).default(16),
        devices: z.array(z.enum(['uart', 'disk'])).default(['uart', 'disk']),
        diskSectors: z.number().int().min(0).max(1 << 20).default(0),
        flavour: z.enum(['merged', 'seed']).default('merged'),
        /** Fill RAM outside the booted image with seeded noise (memory is never zero by luck). */
        noise: z.boolean().default(false),
      })
      .strict()
      .default({ ramMiB: 16, devices: ['uart', 'disk'], diskSectors: 0, flavour: 'merged', noise: false }),
    oses: z.array(osSpec).min(1).max(MAX_OSES),
    editable: z.array(editable).max(MAX_FIELDS).default([]),
    goals: z.array(goal).max(MAX_GOALS),
    limits: z.object({ maxInstructions: z.number().int().min(1).max(2_000_000_000) }).strict(),
    /**
     * Absent until `jumpback par LEVEL.json --write` computes them from the level's own solutions:
     * a level written by hand plays unscored (its runs still get a score, with nothing to compare).
     */
    par: parScores.optional(),
    histogram: histograms.optional(),
    /**
     * The level's own kexec relocate code, used by every kernel's jumps instead of src/kexec/relocate.S:
     * the `.S` at `asm` is assembled like an OS source (same sandbox and budget) with OS `os`'s blocks
     * served as `player/NAME.S`, so a player can write the patch for a part of relocate.S.
     */
    relocate: z.object({ asm: levelPath, os: id }).strict().optional(),
    /** Callouts on the map, in order, for a level that teaches (the game shows them; the engine ignores them). */
    tutorial: z.array(tutorialStep).min(1).optional(),
    /**
     * The real kernel bug a level is built on (a row of docs/kexec-linux.md §6.2): shown to the player
     * once the level is solved, never before (the commit title would give the answer away).
     */
    bug: z
      .object({
        /** The §6.2 row: F1, F2, ... */
        row: z.string().regex(/^F\d{1,2}$/, 'a row of kexec-linux.md §6.2 such as F3'),
        /** The fixing commit's hash as §6.2 gives it (at least 7 hex digits). */
        commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'a commit hash (7 to 40 lower-case hex digits)'),
        /** The commit's title, as in the kernel's history. */
        title: z.string().min(1).max(200),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((lvl, ctx) => {
    const oses = new Set(lvl.oses.map((o) => o.id));
    // Both come from the same plays (jumpback par): one without the other is a hand edit gone wrong.
    if ((lvl.par === undefined) !== (lvl.histogram === undefined)) {
      const missing = lvl.par === undefined ? 'par' : 'histogram';
      ctx.addIssue({ code: 'custom', path: [missing], message: `"par" and "histogram" go together: add "${missing}" or remove both (jumpback par LEVEL.json --write writes them)` });
    }
    if (lvl.machine.noise && lvl.machine.ramMiB > MAX_NOISE_RAM_MIB) {
      ctx.addIssue({ code: 'custom', path: ['machine', 'noise'], message: `noise fills every byte of RAM: at most ${MAX_NOISE_RAM_MIB} MiB of RAM with noise (got ${lvl.machine.ramMiB})` });
    }
    if (lvl.oses.filter((o) => o.boot).length !== 1) ctx.addIssue({ code: 'custom', path: ['oses'], message: 'exactly one OS must have "boot": true' });
    if (lvl.oses.filter((o) => o.bootAfterPoweroff).length > 1) ctx.addIssue({ code: 'custom', path: ['oses'], message: 'at most one OS may have "bootAfterPoweroff": true' });
    lvl.oses.forEach((o, i) => {
      if (o.boot && o.bootAfterPoweroff) ctx.addIssue({ code: 'custom', path: ['oses', i, 'bootAfterPoweroff'], message: 'the power-on OS cannot also boot after the power cycle' });
    });
    dupes(lvl.oses.map((o) => o.id), (i) => ctx.addIssue({ code: 'custom', path: ['oses', i, 'id'], message: 'duplicate OS id' }));
    dupes(lvl.goals.map((g) => g.id), (i) => ctx.addIssue({ code: 'custom', path: ['goals', i, 'id'], message: 'duplicate goal id' }));
    dupes(lvl.editable.map((e) => e.id), (i) => ctx.addIssue({ code: 'custom', path: ['editable', i, 'id'], message: 'duplicate field id' }));
    lvl.goals.forEach((g, i) => {
      if ('os' in g && g.os !== undefined && !oses.has(g.os)) ctx.addIssue({ code: 'custom', path: ['goals', i, 'os'], message: `no OS '${g.os}' in this level` });
    });
    lvl.tutorial?.forEach((t, i) => {
      if (t.page?.os !== undefined && !oses.has(t.page.os)) ctx.addIssue({ code: 'custom', path: ['tutorial', i, 'page', 'os'], message: `no OS '${t.page.os}' in this level` });
    });
    if (lvl.relocate && !oses.has(lvl.relocate.os)) ctx.addIssue({ code: 'custom', path: ['relocate', 'os'], message: `no OS '${lvl.relocate.os}' in this level` });
    if (lvl.relocate && !lvl.relocate.asm.endsWith('.S')) ctx.addIssue({ code: 'custom', path: ['relocate', 'asm'], message: 'the relocate code is assembled from a .S file' });
    const fields = new Set(lvl.editable.map((e) => e.id));
    lvl.editable.forEach((e, i) => {
      if ((e.kind === 'segments' || e.kind === 'script') && !oses.has(e.os)) ctx.addIssue({ code: 'custom', path: ['editable', i, 'os'], message: `no OS '${e.os}' in this level` });
      if (e.kind !== 'asm') return;
      const os = lvl.oses.find((o) => o.id === e.os);
      if (!os) ctx.addIssue({ code: 'custom', path: ['editable', i, 'os'], message: `no OS '${e.os}' in this level` });
      else if (!(e.block in os.blocks)) ctx.addIssue({ code: 'custom', path: ['editable', i, 'block'], message: `OS '${e.os}' has no block '${e.block}'` });
    });
    lvl.oses.forEach((o, i) => {
      const visit = (steps: ScriptStep[], path: Array<string | number>): void =>
        steps.forEach((s, j) => {
          if (typeof s !== 'string') return visit(s.steps, [...path, j, 'steps']);
          for (const m of s.matchAll(/\$\{([^}]*)\}/g)) {
            if (!fields.has(m[1])) ctx.addIssue({ code: 'custom', path: [...path, j], message: `\${${m[1]}} is not an editable field` });
          }
          for (const m of s.matchAll(/--segments=(\S+)/g)) {
            if (lvl.editable.find((e) => e.id === m[1])?.kind !== 'segments') ctx.addIssue({ code: 'custom', path: [...path, j], message: `'${m[1]}' is not a segments field` });
          }
        });
      visit(o.script, ['oses', i, 'script']);
    });
    let unrolled = 0;
    for (const [i, o] of lvl.oses.entries()) {
      unrolled += scriptLength(o.script, ['oses', i, 'script'], 1, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
      if (unrolled > MAX_SCRIPT_STEPS) {
        ctx.addIssue({ code: 'custom', path: ['oses', i, 'script'], message: `the level's scripts unroll to ${unrolled} steps (repeat multiplies its steps), at most ${MAX_SCRIPT_STEPS}` });
        break; // one problem is enough
      }
    }
  });

/** How many steps `steps` unrolls to (a float: may be astronomically large); reports repeats nested too deep. */
function scriptLength(steps: readonly ScriptStep[], path: Array<string | number>, depth: number, report: (path: Array<string | number>, message: string) => void): number {
  let n = 0;
  steps.forEach((s, j) => {
    if (typeof s === 'string') n += 1;
    else if (depth > MAX_REPEAT_DEPTH) report([...path, j], `repeat blocks nested more than ${MAX_REPEAT_DEPTH} deep`);
    else n += s.repeat * scriptLength(s.steps, [...path, j, 'steps'], depth + 1, report);
  });
  return n;
}

function dupes(ids: string[], report: (index: number) => void): void {
  const seen = new Set<string>();
  ids.forEach((v, i) => {
    if (seen.has(v)) report(i);
    seen.add(v);
  });
}

export type Level = z.output<typeof levelSchema>;
export type LevelOs = Level['oses'][number];
export type EditableField = Level['editable'][number];
export type Goal = Level['goals'][number];

/** A player's solution: values for some editable fields (the rest keep their defaults). */
export const solutionSchema = z
  .object({
    schema: z.literal(1),
    level: id,
    /** Who wrote it / a note; not used by the engine. */
    author: z.string().optional(),
    note: z.string().optional(),
    values: z.record(id, z.union([z.string(), z.number().int(), z.array(z.string()), z.array(rawSegment)])),
    /** Ignored: scores are always recomputed by replaying (kept so saved files round-trip). */
    score: z.unknown().optional(),
  })
  .strict();

export type Solution = z.output<typeof solutionSchema>;

/** One problem found in a file: where (a JSON path like "oses[1].script[0]") and what. */
export interface Problem {
  path: string;
  message: string;
}

/** `["oses", 1, "script"]` -> `oses[1].script` (the root is `$`; `[0, "a"]` -> `$[0].a`). */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `${s === '' ? '$' : ''}[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s === '' ? '$' : s;
}

export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }));
}
