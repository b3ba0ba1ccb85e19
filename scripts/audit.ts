// The hostile-input audit (issue 13), offline and bigger than the CI fuzz tests: seeded mutations of
// every kind of input a user or a shared file can bring (levels, solutions, assembly sources, ELF
// files, raw images, serve URLs) go through the real entry points: the bundled CLI as a child
// process under a time and heap budget, `jumpback serve` over HTTP, and the assembler and level
// engine in-process for the many cheap cases. Prints one table row per class:
//   cases tried | clear error | accepted | crash | hang | out of memory
// crash = a signal or an exit status the command never gives, or a stack trace / RangeError /
// TypeError in its output; hang = over the time budget; out of memory = V8's heap message or over
// the RSS budget. Any output holding the canary (a file outside the tree that hostile inputs name)
// counts as a crash too. Usage: npm run audit [-- --seed N --scale F --jobs N]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { assemble, AsmError, sandboxIncludes } from '../src/os/asm/index.ts';
import { diskStore } from '../src/os/node-files.ts';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../src/level/files.ts';
import { LevelInputError, parseLevel, parseSolution, prepareRun } from '../src/level/play.ts';

// ---- options and the seeded random source ----

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const SEED = arg('--seed', 13);
const SCALE = arg('--scale', 1);
const JOBS = arg('--jobs', 2);
const n = (base: number): number => Math.max(1, Math.round(base * SCALE));

/** mulberry32: a small seeded generator, so every case of a run can be made again from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const int = (max: number): number => Math.floor(random() * max);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

// ---- the canary: a file outside the repository that hostile inputs name ----

const WORK = mkdtempSync(join(tmpdir(), 'jumpback-audit-'));
const CANARY_TEXT = `jumpback-canary-${SEED}-${Math.floor(random() * 1e9).toString(36)}`;
const CANARY = join(WORK, 'canary.S');
writeFileSync(CANARY, `${CANARY_TEXT}:\n  ${CANARY_TEXT} a0, a0\n`);
const CANARY_REL = relative(REPO_ROOT, CANARY); // climbs out of the repository (up to the temp folder)
const CANARY_PATHS = [CANARY, CANARY_REL, `levels/${CANARY_REL}`, `../../../../../../..${CANARY}`, '/etc/passwd', '/dev/zero', '/dev/stdin', '/dev/urandom', '/proc/self/environ', 'levels/os', '.'];

// ---- outcomes ----

type Outcome = 'clear error' | 'accepted' | 'crash' | 'hang' | 'out of memory';
const OUTCOMES: Outcome[] = ['clear error', 'accepted', 'crash', 'hang', 'out of memory'];
const table = new Map<string, Record<Outcome, number>>();
const findings: string[] = [];

function record(cls: string, outcome: Outcome, detail: () => string): void {
  const row = table.get(cls) ?? Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  row[outcome]++;
  table.set(cls, row);
  if (outcome !== 'clear error' && outcome !== 'accepted' && findings.length < 40) findings.push(`${cls}: ${outcome}: ${detail()}`);
}

const CRASH_TEXT = /RangeError|TypeError|ReferenceError|Maximum call stack|\n\s+at .+\(.+:\d+:\d+\)|internal error|Unhandled|uncaught/i;
const OOM_TEXT = /heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY|Invalid typed array length|Array buffer allocation failed/;

// ---- the CLI as a child process ----

const BIN = join(REPO_ROOT, 'bin/jumpback.mjs');
const TIME_BUDGET_MS = 30_000;
const HEAP_MIB = 512;
const RSS_BUDGET_KIB = 1536 * 1024;

interface CliCase {
  cls: string;
  args: string[];
  /** Exit statuses the command gives by design besides 0, 1 and 2 (`run` passes on the guest's). */
  anyStatus?: boolean;
  /** Exit statuses that mean the input was taken and run (`level`: 1 is NOT PASSED); 2 is always a clear error. */
  ran: number[];
  what: string;
}

/** Runs one CLI case under the budgets and records its outcome. */
function runCli(c: CliCase): Promise<void> {
  return new Promise((done) => {
    const child = spawn('/usr/bin/time', ['-f', 'AUDIT-RSS %M', process.execPath, `--max-old-space-size=${HEAP_MIB}`, '--stack-size=984', BIN, ...c.args], { cwd: WORK, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const keep = (d: Buffer): void => {
      if (out.length < 1 << 20) out += d.toString('latin1');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL'); // its own process group: /usr/bin/time and the node under it
    }, TIME_BUDGET_MS);
    child.on('close', (status) => {
      clearTimeout(timer);
      const rss = Number(/AUDIT-RSS (\d+)/.exec(out)?.[1] ?? 0);
      const text = out.replace(/AUDIT-RSS \d+\n?/, '').replace(/Command (exited with non-zero status|terminated by signal) \d+\n?/, '');
      const signal = /Command terminated by signal (\d+)/.exec(out)?.[1];
      const code = /Command exited with non-zero status (\d+)/.exec(out)?.[1];
      const exit = signal ? 128 + Number(signal) : code ? Number(code) : status ?? -1;
      const detail = (): string => `${c.what}: exit ${exit}, ${(rss / 1024).toFixed(0)} MiB: ${text.trim().split('\n').slice(0, 3).join(' | ').slice(0, 300)}`;
      let outcome: Outcome;
      if (timedOut) outcome = 'hang';
      else if (OOM_TEXT.test(text) || rss > RSS_BUDGET_KIB) outcome = 'out of memory';
      else if (CRASH_TEXT.test(text) || text.includes(CANARY_TEXT) || signal !== undefined || (!c.anyStatus && exit > 2) || exit < 0) outcome = 'crash';
      else outcome = exit === 2 || (!c.anyStatus && !c.ran.includes(exit)) ? 'clear error' : 'accepted';
      record(c.cls, outcome, detail);
      done();
    });
  });
}

/** Runs CLI cases `JOBS` at a time. */
async function runAll(cases: CliCase[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) await runCli(cases[next++]!);
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
}

// ---- mutations ----

/** Values a hostile file puts anywhere: huge, negative, wrong type, deep, long, host paths, bombs. */
function hostileValue(): unknown {
  switch (int(10)) {
    case 0: return pick([1e300, -1, -2147483648, 4294967296, 2 ** 53, 0, 2048, 0xffffffff, 1.5, 1e21, -0]);
    case 1: return pick(['NaN', 'Infinity', '-0', '0x', '0xFFFFFFFFF', '0xfffff000', '0x10000000', '1e9999', '', '0x80000000']);
    case 2: return pick(CANARY_PATHS);
    case 3: return 'A'.repeat(pick([5000, 100_000, 900_000]));
    case 4: {
      let v: unknown = 'echo deep';
      for (let i = 0, d = pick([10, 70, 2000, 4000]); i < d; i++) v = i % 2 === 0 ? [v] : { repeat: 2, steps: v };
      return v;
    }
    case 5: return { repeat: pick([1000, 1e9, -1, 1.5]), steps: [{ repeat: 1000, steps: ['echo bomb'] }] };
    case 6: return pick<unknown>([null, true, false, {}, [], [1, 2], JSON.parse('{"__proto__": 1}'), { constructor: 'x' }]);
    case 7: return pick(['kexec -e', 'fault stale-mapping A', 'wait 4294967295', 'load A --preserve', 'call 1 2 3 4 5 6 7 8 9', 'poweroff', 'kexec --load-preserve-context B --mem-min=0xffffffff', '${nope}', 'echo "unterminated']);
    case 8: return hostileAsm();
    default: return random() < 0.5 ? int(2 ** 31) - 2 ** 30 : String.fromCharCode(...Array.from({ length: int(40) }, () => int(0x3000)));
  }
}

const macroLevel = (name: string, inner: string): string => `.macro ${name}\n${` ${inner}\n`.repeat(8)}.endm\n`;
/** Assembly that attacks the assembler or names files it must not read. */
function hostileAsm(): string {
  const path = pick(CANARY_PATHS);
  return pick([
    `.include "${path}"\n`, `.incbin "${path}"\n`, `#include "${path}"\n`,
    '.include "player/perimeter.S"\n.include "player/perimeter.S"\n',
    macroLevel('a', 'nop') + macroLevel('b', 'a') + macroLevel('c', 'b') + macroLevel('d', 'c') + macroLevel('e', 'd') + macroLevel('f', 'e') + macroLevel('g', 'f') + ' g\n g\n',
    `  li a0, ${'('.repeat(5000)}1${')'.repeat(5000)}\n`, `  li a0, ${'-'.repeat(3000)}1\n`, `  .word ${Array(3000).fill('1').join('+')}\n`,
    '  .rept 16\n  .space 0x10000000\n  .endr\n', '  .rept 1000000000\n  nop\n  .endr\n', '  .fill 0x7fffffff, 8, 1\n', '  .balign 0x40000000\n',
    '  csrw stvec, zero\n  ebreak\n', '1: j 1b\n', '  li a0, 0x1ffffffffffffffff\n', '  .set s0, s1\n  .set s1, s0\n  .word s0\n',
    '  .if 1\n'.repeat(5000), '  .macro m\n  m\n  .endm\n  m\n', `#define D0 1\n${Array.from({ length: 40 }, (_, i) => `#define D${i + 1} D${i}+D${i}`).join('\n')}\n  .word D40\n`,
    '  .irp x, ' + Array(5000).fill('1').join(',') + '\n  .irp y, 1,2,3,4,5,6,7,8\n  .word \\x\n  .endr\n  .endr\n',
    '  .section .text\n  .org 0x7fffffff\n  nop\n', '  .equ X, 1/0\n  .word X\n', '  .string "\\777\\x"\n', `${'a'.repeat(100_000)}: nop\n`,
  ]);
}

/** A copy of `json` with 1-3 hostile edits at random places (set, delete, duplicate, re-type). */
function mutateJson(json: unknown): unknown {
  const root = { v: structuredClone(json) };
  for (let k = 1 + int(3); k > 0; k--) {
    // Walk down to a random container (iteratively).
    let parent: Record<string, unknown> = root;
    let key = 'v';
    for (let depth = 0; depth < 12; depth++) {
      const v = parent[key];
      if (v === null || typeof v !== 'object' || random() < 0.25) break;
      const keys = Object.keys(v);
      if (keys.length === 0) break;
      parent = v as Record<string, unknown>;
      key = pick(keys);
    }
    const r = int(6);
    if (r === 0 && parent !== root) delete parent[key];
    else if (r === 1 && Array.isArray(parent[key])) (parent[key] as unknown[]).push(...(parent[key] as unknown[]).slice(0, 1 + int(3)));
    else if (r === 2 && typeof parent[key] === 'string') parent[key] = (parent[key] as string) + pick(['\0', '/..', '\n', ' ', 'x'.repeat(3000), String(hostileValue())]);
    else parent[key] = hostileValue();
  }
  return root.v;
}

/** Text with byte-level damage: flips, cuts, insertions, a truncation. */
function mutateText(text: string): string {
  let s = text;
  for (let k = 1 + int(4); k > 0; k--) {
    const at = int(s.length + 1);
    const r = int(5);
    if (r === 0) s = s.slice(0, at) + String.fromCharCode(int(256)) + s.slice(at + 1);
    else if (r === 1) s = s.slice(0, at) + s.slice(at + 1 + int(40));
    else if (r === 2) s = s.slice(0, at) + pick(['{', '}', '[', ']', '"', ',', ':', '\\u0000', '\\ud800', '1e999', '-', '\0']) + s.slice(at);
    else if (r === 3) s = s.slice(0, at);
    else s = s.slice(0, at) + s.slice(int(s.length), int(s.length)) + s.slice(at);
  }
  return s;
}

/** Source lines with hostile lines put in, lines cut, doubled and swapped, and byte damage. */
function mutateAsm(src: string): string {
  const lines = src.split('\n');
  for (let k = 1 + int(4); k > 0; k--) {
    const at = int(lines.length + 1);
    const r = int(5);
    if (r === 0) lines.splice(at, 0, ...hostileAsm().split('\n'));
    else if (r === 1) lines.splice(at, 1 + int(5));
    else if (r === 2) lines.splice(at, 0, ...lines.slice(at, at + 1 + int(10)));
    else if (r === 3) lines[at] = mutateText(lines[at] ?? '');
    else lines.splice(at, 0, pick(['  .include "x.S"', '  .endm', '  .endr', '  .endif', '  .else', '  .macro', '  .rept', '  .if', ') (', '.section', 'label: label:', '  li a0,', '  .word ' + hostileValue()]));
  }
  return lines.join('\n');
}

// ---- inputs ----

const levelFiles = readdirSync(join(REPO_ROOT, 'levels')).filter((f) => f.endsWith('.json')).map((f) => `levels/${f}`);
const solutionFiles = readdirSync(join(REPO_ROOT, 'levels/solutions')).filter((f) => f.endsWith('.json'));
const levelOf = (solution: string): string => `levels/${solution.replace(/\.(wrong|alt)-[^.]+\.json$/, '.json')}`;
const asmSources = ['levels/os', 'assets/os', 'test/os/corpus'].flatMap((d) => readdirSync(join(REPO_ROOT, d)).filter((f) => f.endsWith('.S')).map((f) => `${d}/${f}`));
const read = (p: string): string => readFileSync(join(REPO_ROOT, p), 'utf8');

let caseNo = 0;
const file = (name: string, data: string | Uint8Array): string => {
  const dir = join(WORK, String(caseNo++ % 64));
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

/** A shipped level or solution, mutated as JSON or as text. */
function mutatedJsonFile(path: string): string {
  const text = read(path);
  // Nesting deeper than JSON.stringify could write: text only.
  if (random() < 0.04) return text.replace(/\[/, '['.repeat(100_000 + int(10)) + '[');
  return random() < 0.65 ? JSON.stringify(mutateJson(JSON.parse(text))) : mutateText(text);
}

function levelCases(count: number): CliCase[] {
  return Array.from({ length: count }, (_, i) => {
    const level = pick(levelFiles.filter((f) => /^levels\/\d/.test(f)));
    const p = file('level.json', mutatedJsonFile(level));
    return { cls: 'level files (CLI validate, level)', args: [i % 2 === 0 ? 'validate' : 'level', p], ran: i % 2 === 0 ? [0] : [0, 1], what: `${i % 2 === 0 ? 'validate' : 'level'} mutated ${level} (${p})` };
  });
}

function solutionCases(count: number): CliCase[] {
  return Array.from({ length: count }, () => {
    const sol = pick(solutionFiles);
    const p = file('solution.json', mutatedJsonFile(`levels/solutions/${sol}`));
    return { cls: 'solution files (CLI level --solution)', args: ['level', join(REPO_ROOT, levelOf(sol)), '--solution', p], ran: [0, 1], what: `mutated ${sol} (${p})` };
  });
}

function asmCases(count: number): CliCase[] {
  return Array.from({ length: count }, () => {
    const src = pick(asmSources);
    const p = file('x.S', random() < 0.1 ? hostileAsm() : mutateAsm(read(src)));
    return { cls: 'assembly sources (CLI asm)', args: ['asm', p, '-o', `${p}.elf`], ran: [0], what: `mutated ${src} (${p})` };
  });
}

/** A small real ELF (our assembler's), the base of the ELF mutations. */
const baseElf = assemble('_start:\n  li a0, 0x10000000\n  li a1, 65\n  sb a1, 0(a0)\n  li t0, 0x100000\n  li t1, 0x5555\n  sw t1, 0(t0)\n1: j 1b\n  .data\n  .word 1, 2, 3\n', { fileName: 'base.S' }).elf;

function mutateElf(): Uint8Array {
  const elf = baseElf.slice(0, random() < 0.1 ? int(baseElf.length) : baseElf.length);
  const v = new DataView(elf.buffer);
  const phoff = elf.length >= 0x20 ? v.getUint32(0x1c, true) : 0;
  const fields = [0x18, 0x1c, 0x20, 0x2a, 0x2c, 0x2e, 0x30, phoff, phoff + 4, phoff + 8, phoff + 12, phoff + 16, phoff + 20, phoff + 24, phoff + 32 + 4, phoff + 32 + 16, phoff + 32 + 20];
  for (let k = 1 + int(3); k > 0; k--) {
    const at = pick(fields);
    const val = pick([0, 1, 0xffff, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffff000, elf.length, elf.length + 1, int(2 ** 32)]);
    if (random() < 0.6 && at + 4 <= elf.length) v.setUint32(at, val >>> 0, true);
    else if (at + 2 <= elf.length && random() < 0.5) v.setUint16(at, val & 0xffff, true);
    else if (elf.length > 0) elf[int(elf.length)] = int(256);
  }
  return elf;
}

function elfCases(count: number): CliCase[] {
  return Array.from({ length: count }, (_, i) => {
    const p = file('x.elf', mutateElf());
    return { cls: 'ELF files (CLI run)', args: ['run', p, i % 2 === 0 ? '--bare' : '--sbi', '--max-instret', '2000000'], anyStatus: true, ran: [], what: `mutated ELF (${p})` };
  });
}

function imageCases(count: number): CliCase[] {
  return Array.from({ length: count }, (_, i) => {
    const bytes = new Uint8Array(pick([0, 1, 3, 4, 64, 4096, 65536, 1 << 20]));
    for (let j = 0; j < bytes.length; j++) bytes[j] = int(256);
    if (random() < 0.2 && bytes.length >= 4) bytes.set([0x7f, 0x45, 0x4c, 0x46]);
    const p = file('x.bin', bytes);
    const ram = pick(['16', '1', '2048', '0', '-1', '4096', 'x']);
    return { cls: 'raw images (CLI run)', args: ['run', p, i % 2 === 0 ? '--bare' : '--sbi', '--max-instret', '2000000', ...(random() < 0.3 ? ['--ram-mib', ram] : [])], anyStatus: true, ran: [], what: `random image of ${bytes.length} bytes (${p})` };
  });
}

// ---- in-process: the assembler (sandboxed, as for shared files) and the level engine ----

/** Runs `f`, classifying what it throws: `clear` errors are the designed ones. */
function inProcess(cls: string, what: () => string, f: () => void, clear: (e: unknown) => boolean): void {
  const t = performance.now();
  let outcome: Outcome = 'accepted';
  let message = '';
  try {
    f();
  } catch (e) {
    message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    outcome = clear(e) ? 'clear error' : OOM_TEXT.test(message) ? 'out of memory' : 'crash';
    if (outcome === 'crash' && e instanceof Error) message += ` ${(e.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()).join(' ')}`;
  }
  if (message.includes(CANARY_TEXT) || CRASH_TEXT.test(message)) outcome = 'crash';
  if (performance.now() - t > TIME_BUDGET_MS) outcome = 'hang'; // the CLI's budget; in-process it can only be measured after
  const ms = performance.now() - t;
  if (ms > (slowest.get(cls)?.ms ?? 0)) slowest.set(cls, { ms, what: `${what()}: ${message.slice(0, 120)}` });
  record(cls, outcome, () => `${what()}: ${ms.toFixed(0)} ms: ${message.slice(0, 300)}`);
}
const slowest = new Map<string, { ms: number; what: string }>();

function asmInProcess(count: number): void {
  // The sandbox for shared content: include/NAME from the toy OS headers, nothing else.
  const files = sandboxIncludes('levels/os/', [{ dir: 'include/', store: diskStore(join(REPO_ROOT, 'assets/os/include')) }], 'only include/NAME');
  for (let i = 0; i < count; i++) {
    const src = pick(asmSources);
    const text = random() < 0.1 ? hostileAsm() : mutateAsm(read(src));
    inProcess('assembly sources (in-process, sandboxed)', () => `mutated ${src}`, () => void assemble(text, { fileName: 'levels/os/x.S', files }), (e) => e instanceof AsmError);
  }
}

function levelInProcess(count: number): void {
  const files = nodeLevelFiles();
  const assets = nodeLevelAssets();
  for (let i = 0; i < count; i++) {
    const sol = pick(solutionFiles);
    const levelPath = levelOf(sol);
    const levelJson = i % 2 === 0 ? mutateJson(readJsonFile(join(REPO_ROOT, levelPath))) : readJsonFile(join(REPO_ROOT, levelPath));
    const solJson = i % 2 === 1 ? mutateJson(readJsonFile(join(REPO_ROOT, 'levels/solutions', sol))) : readJsonFile(join(REPO_ROOT, 'levels/solutions', sol));
    inProcess('levels + solutions (in-process parse, build)', () => `${levelPath} + ${sol}, ${i % 2 === 0 ? 'level' : 'solution'} mutated`, () => {
      const level = parseLevel(levelJson);
      prepareRun(level, parseSolution(solJson, level), files, assets, 0);
    }, (e) => e instanceof LevelInputError);
  }
}

// ---- serve ----

function hostileUrl(): string {
  const enc = (s: string): string => s.split('').map((ch) => (random() < 0.5 ? `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}` : ch)).join('');
  return pick([
    () => '/%', () => '/%E0%A4%A', () => '/%00', () => '/index.html%00.js', () => `/${'../'.repeat(int(12))}${CANARY.slice(1)}`,
    () => `/${enc(`${'../'.repeat(10)}${CANARY.slice(1)}`)}`, () => `/${enc('..\\..\\..\\etc\\passwd')}`, () => `//${CANARY.slice(1)}`,
    () => `/${'a'.repeat(int(70_000))}`, () => `/${'%2e%2e%2f'.repeat(20)}etc/passwd`, () => '/?'.concat('x'.repeat(int(10_000))), () => '/main.js?%',
    () => `/${String.fromCharCode(...Array.from({ length: int(30) }, () => 33 + int(94)))}`, () => '/index.html', () => '/', () => '/levels', () => '/%2F%2Fetc%2Fpasswd',
    () => `/${enc('/proc/self/environ')}`, () => '/%ff%fe', () => '/\u00e9\u4e2d', () => '/.git/config', () => '/../package.json',
  ])();
}

/** One HTTP request (or a raw malformed one); null when nothing came back in time. */
function httpGet(port: number, path: string, method: string): Promise<{ status: number; body: string } | 'reset' | null> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, method, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body.length < 1 << 16 ? (body += d.toString('latin1')) : undefined));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      res.on('error', () => done('reset'));
    });
    req.on('timeout', () => (req.destroy(), done(null)));
    req.on('error', (e) => done((e as NodeJS.ErrnoException).code === 'ERR_INVALID_CHAR' ? { status: 400, body: 'refused by the client' } : 'reset'));
    req.end();
  });
}

function rawRequest(port: number, text: string): Promise<string | null> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.setTimeout(10_000, () => (s.destroy(), done(null)));
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => done(got));
    s.on('error', () => done(got));
    s.end(Buffer.from(text, 'utf8'));
  });
}

async function serveCases(count: number): Promise<void> {
  const cls = 'serve URLs (HTTP to jumpback serve)';
  const port = 20_000 + int(20_000);
  const server = spawn(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, BIN, 'serve', '--port', String(port)], { cwd: WORK, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let exited: number | null = null;
  server.stdout.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr.on('data', (d: Buffer) => (log += d.toString()));
  server.on('exit', (c) => (exited = c ?? -1));
  for (let t = 0; t < 600 && !log.includes('Jumpback demo at') && exited === null; t++) await new Promise((r) => setTimeout(r, 100));
  try {
    for (let i = 0; i < count; i++) {
      const path = hostileUrl();
      // Node's client will not send a path with spaces or non-ASCII: those go raw, as a hostile client sends them.
      const raw = random() < 0.15 || /[^\x21-\x7e]/.test(path);
      const what = (): string => `${raw ? 'raw ' : ''}${JSON.stringify(path.slice(0, 120))}`;
      if (raw) {
        const got = await rawRequest(port, pick([`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, `GET ${path}\r\n\r\n`, `\0\0\0\r\n\r\n`, `GET / HTTP/1.1\r\nHost: ${'x'.repeat(100_000)}\r\n\r\n`, `GET / HTTP/9.9\r\nContent-Length: -1\r\n\r\n`, 'BREW /pot HTTP/1.1\r\n\r\n']));
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(got ?? '')?.[1] ?? 0);
        record(cls, got === null ? 'hang' : got.includes(CANARY_TEXT) || status >= 500 ? 'crash' : status >= 200 && status < 300 ? 'accepted' : 'clear error', () => `${what()}: ${(got ?? '').slice(0, 100)}`);
      } else {
        const got = await httpGet(port, path, pick(['GET', 'GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE']));
        const outcome: Outcome = got === null ? 'hang' : got === 'reset' || got.status >= 500 || got.body.includes(CANARY_TEXT) ? 'crash' : got.status < 300 ? 'accepted' : 'clear error';
        record(cls, outcome, () => `${what()}: ${got === null || got === 'reset' ? String(got) : `${got.status} ${got.body.slice(0, 80)}`}`);
      }
      if (exited !== null) {
        record(cls, 'crash', () => `the server exited (${exited}) after ${what()}: ${log.slice(-300)}`);
        break;
      }
    }
  } finally {
    server.kill('SIGTERM');
  }
  if (CRASH_TEXT.test(log)) record(cls, 'crash', () => `the server printed: ${log.slice(0, 300)}`);
}

// ---- the run ----

async function main(): Promise<void> {
  const started = performance.now();
  if (spawnSync(process.execPath, [join(REPO_ROOT, 'bin/bundle.mjs')], { stdio: 'inherit' }).status !== 0) throw new Error('bundling the CLI failed');
  console.error(`audit: seed ${SEED}, scale ${SCALE}, ${JOBS} jobs, canary ${CANARY}`);
  const phase = (what: string): void => console.error(`audit: ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  phase('assembly in-process');
  asmInProcess(n(400));
  phase('levels in-process');
  levelInProcess(n(300));
  phase('serve');
  await serveCases(n(300));
  phase('CLI');
  await runAll([...levelCases(n(120)), ...solutionCases(n(100)), ...asmCases(n(100)), ...elfCases(n(100)), ...imageCases(n(80))]);
  const rows = [...table.entries()];
  const line = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;
  console.log(line(['input class', 'cases tried', ...OUTCOMES]));
  console.log(line(['---', ...Array(OUTCOMES.length + 1).fill('---:')]));
  for (const [cls, row] of rows) console.log(line([cls, OUTCOMES.reduce((s, o) => s + row[o], 0), ...OUTCOMES.map((o) => row[o])]));
  console.log(`\nseed ${SEED}, scale ${SCALE}, ${((performance.now() - started) / 1000).toFixed(0)} s; per case: ${TIME_BUDGET_MS / 1000} s, ${HEAP_MIB} MiB heap, ${RSS_BUDGET_KIB / 1024} MiB RSS`);
  for (const [cls, s] of slowest) console.log(`slowest ${cls}: ${s.ms.toFixed(0)} ms (${s.what})`);
  for (const f of findings) console.log(`- ${f}`);
  rmSync(WORK, { recursive: true, force: true });
  const bad = rows.some(([, r]) => r.crash + r.hang + r['out of memory'] > 0);
  process.exitCode = bad ? 1 : 0;
}

await main();
