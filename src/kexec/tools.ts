// kexec-tools for Jumpback (what /sbin/kexec does, kexec-linux.md §4): ELF -> page-aligned
// segments inside --mem-min/--mem-max, a boot-params block with the command line, purgatory as
// the entry, zero segments filling the window for --load-preserve-context, the jump-back helper,
// -e and -u, with kexec-tools' own messages for its refusals.
import { parseElf, ElfError } from '../os/elf.ts';
import { PAGE_SIZE } from '../sim/memory.ts';
import {
  ERRNO_NAMES, KEXEC_ARCH_RISCV, KEXEC_PRESERVE_CONTEXT, KEXEC_SEGMENT_MAX, KJUMP_CMD, KJUMP_SAVE_DEVICES, KJUMP_SKIP_DEVICES,
} from './abi.ts';
import type { PurgatoryCode } from './assemble.ts';
import { encodeBootParams } from './bootparams.ts';
import { Sha256 } from './sha256.ts';

/** A segment as kexec-tools hands it to kexec_load: host bytes (null = zero segment). */
export interface ToolSegment {
  data: Uint8Array | null;
  mem: number;
  memsz: number;
}

/** The calling OS as kexec-tools sees it. */
export interface KexecToolsEnv {
  /** The OS's RAM as [start, end) ranges (/proc/iomem). */
  ram: ReadonlyArray<readonly [number, number]>;
  readFile(path: string): Uint8Array | undefined;
  /** /sys/kernel/kexec_loaded. */
  loaded(): boolean;
  /** kexec_load; returns 0 or an errno. */
  load(entry: number, segments: ToolSegment[], flags: number): number;
  /**
   * reboot(LINUX_REBOOT_CMD_KEXEC), or the seed's KJUMP command when `--kjump-devices` asked for one;
   * returns what reboot() returned (0 after a round trip) or an errno.
   */
  exec(command: number): number;
  purgatory: PurgatoryCode;
}

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

const STRERROR: Readonly<Record<number, string>> = {
  0: 'Success', 1: 'Operation not permitted', 12: 'Cannot allocate memory', 14: 'Bad address',
  16: 'Device or resource busy', 22: 'Invalid argument', 99: 'Cannot assign requested address',
};
const strerror = (errno: number): string => STRERROR[errno] ?? ERRNO_NAMES[errno] ?? `Unknown error ${errno}`;

class ToolError extends Error {}

/** Parses a number as strtoul(s, 0) does: 0x hex, leading 0 octal, else decimal. */
function strtoul(s: string): number {
  const t = s.trim();
  const v = /^0x/i.test(t) ? parseInt(t.slice(2), 16) : /^0[0-7]+$/.test(t) ? parseInt(t, 8) : Number(t);
  if (!Number.isFinite(v) || t === '') throw new ToolError(`Bad number: ${s}`);
  return v >>> 0;
}

const pageDown = (a: number): number => Math.floor(a / PAGE_SIZE) * PAGE_SIZE;
const pageUp = (a: number): number => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;

/** `kexec ARGS...`: returns the exit status and what it printed. */
export function kexec(args: readonly string[], env: KexecToolsEnv): ToolResult {
  let err = '';
  try {
    const opt = parseArgs(args);
    if (opt.action === 'unload') {
      const errno = env.load(0, [], 0);
      if (errno !== 0) throw new ToolError(`kexec unload failed: ${strerror(errno)}`);
    } else if (opt.action === 'helper') {
      if (env.loaded()) throw new ToolError('There is kexec kernel loaded, make sure you are in kexeced kernel.');
      if (opt.entry === undefined) throw new ToolError('Please specify jump back entry in command line');
      const errno = env.load(opt.entry, [{ data: null, mem: 0, memsz: 0 }], KEXEC_PRESERVE_CONTEXT);
      if (errno !== 0) throw new ToolError(`kexec_load failed: ${strerror(errno)}`);
    } else if (opt.action === 'load' || opt.action === 'load-preserve') {
      const preserve = opt.action === 'load-preserve';
      if (preserve && opt.memMax === undefined) {
        throw new ToolError('Please specify memory range used by kexeced kernel(s) with --mem-max');
      }
      const file = opt.kernel === undefined ? undefined : env.readFile(opt.kernel);
      if (opt.kernel === undefined) throw new ToolError('Please specify a kernel to load');
      if (!file) throw new ToolError(`Cannot open \`${opt.kernel}': No such file or directory`);
      const plan = planImage(file, { ...opt, preserve, ram: env.ram, purgatory: env.purgatory });
      if (plan.segments.length > KEXEC_SEGMENT_MAX) {
        err += `Warning: kexec segment count (${plan.segments.length}) exceeds KEXEC_SEGMENT_MAX (${KEXEC_SEGMENT_MAX})\n`;
      }
      const errno = env.load(plan.entry, plan.segments, plan.flags);
      if (errno !== 0) throw new ToolError(`kexec_load failed: ${strerror(errno)}`);
    }
    if (opt.exec) {
      if (!env.loaded()) throw new ToolError('Nothing has been loaded!');
      // kexec-tools' my_exec treats any return from reboot() as failure (§4.5).
      const errno = env.exec(opt.rebootCommand);
      throw new ToolError(`kexec failed: ${strerror(errno)}`);
    }
    return { status: 0, stdout: '', stderr: err };
  } catch (e) {
    if (e instanceof ToolError || e instanceof ElfError) {
      const status = e instanceof ToolError && e.message.startsWith('kexec failed') ? 255 : 1;
      return { status, stdout: '', stderr: `${err}${e.message}\n` };
    }
    throw e;
  }
}

interface Options {
  action: 'load' | 'load-preserve' | 'helper' | 'unload' | 'none';
  exec: boolean;
  /** JUMP's command: 0 (the image's flags decide) or the seed's KJUMP_CMD with a device override. */
  rebootCommand: number;
  kernel?: string;
  entry?: number;
  memMin: number;
  memMax?: number;
  commandLine: string;
}

function parseArgs(args: readonly string[]): Options {
  const o: Options = { action: 'none', exec: false, rebootCommand: 0, memMin: 0, commandLine: '' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const [name, value] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const next = (): string => {
      if (value !== undefined) return value;
      if (i + 1 >= args.length) throw new ToolError(`option ${name} needs a value`);
      return args[++i];
    };
    switch (name) {
      case '-l': case '--load': o.action = 'load'; break;
      case '--load-preserve-context': o.action = 'load-preserve'; break;
      case '--load-jump-back-helper': o.action = 'helper'; break;
      case '-u': case '--unload': o.action = 'unload'; break;
      case '-e': case '--exec': o.exec = true; break;
      // Jumpback's own, for the seed flavour: the v7 jump "command" overriding device save/restore.
      case '--kjump-devices': {
        const v = next();
        if (v !== 'save' && v !== 'skip') throw new ToolError(`--kjump-devices takes save or skip, not '${v}'`);
        o.rebootCommand = KJUMP_CMD | (v === 'save' ? KJUMP_SAVE_DEVICES : KJUMP_SKIP_DEVICES);
        break;
      }
      case '--entry': o.entry = strtoul(next()); break;
      case '--mem-min': o.memMin = strtoul(next()); break;
      case '--mem-max': o.memMax = strtoul(next()); break;
      case '--command-line': case '--append': o.commandLine = next(); break;
      default:
        if (a.startsWith('-')) throw new ToolError(`unrecognized option '${a}'`);
        o.kernel = a;
    }
  }
  return o;
}

export interface ImagePlan {
  entry: number;
  segments: ToolSegment[];
  flags: number;
  bootParams: number;
}

/** Turns an ELF into the segments kexec-tools would load (§4.2). */
export function planImage(
  elf: Uint8Array,
  o: { memMin: number; memMax?: number; commandLine: string; preserve: boolean; ram: ReadonlyArray<readonly [number, number]>; purgatory: PurgatoryCode },
): ImagePlan {
  const image = parseElf(elf);
  const memMin = o.memMin;
  const memMax = o.memMax ?? 0xffffffff;
  const segs: ToolSegment[] = [];
  // Kernel segments at their physical addresses, widened to whole pages (merged when they share one).
  const loads = image.segments.filter((s) => s.memsz > 0).sort((a, b) => a.paddr - b.paddr);
  for (const s of loads) {
    const start = pageDown(s.paddr);
    const end = pageUp(s.paddr + s.memsz);
    const last = segs[segs.length - 1];
    if (last && start < last.mem + last.memsz) {
      const data = new Uint8Array(Math.max(last.data?.length ?? 0, s.paddr - last.mem + s.data.length));
      if (last.data) data.set(last.data);
      data.set(s.data, s.paddr - last.mem);
      last.data = data;
      last.memsz = Math.max(last.memsz, end - last.mem);
    } else {
      const data = new Uint8Array(s.paddr - start + s.data.length);
      data.set(s.data, s.paddr - start);
      segs.push({ data, mem: start, memsz: end - start });
    }
  }
  for (const s of segs) {
    if (!validRange(o.ram, s.mem, s.mem + s.memsz - 1, memMin, memMax)) {
      throw new ToolError(`Invalid memory segment 0x${s.mem.toString(16)} - 0x${(s.mem + s.memsz - 1).toString(16)}`);
    }
  }
  const flags = (o.preserve ? KEXEC_PRESERVE_CONTEXT : 0) | KEXEC_ARCH_RISCV;
  const params = encodeBootParams({ commandLine: o.commandLine, memMin, memMax, kernelEntry: image.entry, flags });
  const paramsAt = locateHole(o.ram, segs, pageUp(params.length), memMin, memMax);
  segs.push({ data: params, mem: paramsAt, memsz: pageUp(params.length) });
  const purg = o.purgatory.bytes.slice();
  const pv = new DataView(purg.buffer);
  pv.setUint32(o.purgatory.params, paramsAt >>> 0, true);
  pv.setUint32(o.purgatory.params + 4, image.entry >>> 0, true);
  setDigest(purg, o.purgatory, segs);
  const purgAt = locateHole(o.ram, segs, pageUp(purg.length), memMin, memMax);
  segs.push({ data: purg, mem: purgAt, memsz: pageUp(purg.length) });
  if (o.preserve) addBackupSegments(segs, o.ram, memMin, memMax);
  segs.sort((a, b) => a.mem - b.mem);
  return { entry: purgAt + o.purgatory.start, segments: segs, flags, bootParams: paramsAt };
}

/**
 * kexec-tools' update_purgatory (§4.2 step 5): SHA-256 over every segment with data, its zero
 * tail included (the purgatory segment is not placed yet), into sha256_digest/sha256_regions.
 * Pure zero segments (the window's backup fill) are not hashed: the kernel zero-fills them
 * (§1.7) and hashing megabytes on the simulated CPU would cost ~70 instructions a byte.
 */
function setDigest(purg: Uint8Array, code: PurgatoryCode, segs: readonly ToolSegment[]): void {
  const hashed = segs.filter((s) => (s.data?.length ?? 0) > 0);
  if (hashed.length > 16) throw new ToolError(`Too many segments to verify (${hashed.length} > 16)`);
  const sha = new Sha256();
  const pv = new DataView(purg.buffer, purg.byteOffset, purg.byteLength);
  hashed.forEach((s, i) => {
    sha.update(s.data!).zeros(s.memsz - s.data!.length);
    pv.setUint32(code.regions + 8 * i, s.mem >>> 0, true);
    pv.setUint32(code.regions + 8 * i + 4, s.memsz >>> 0, true);
  });
  purg.set(sha.digest(), code.digest);
}

function validRange(ram: ReadonlyArray<readonly [number, number]>, first: number, last: number, memMin: number, memMax: number): boolean {
  if (first < memMin || last > memMax) return false;
  return ram.some(([s, e]) => first >= s && last < e);
}

/** locate_hole: the lowest page-aligned free range of `size` in RAM within the window. */
function locateHole(ram: ReadonlyArray<readonly [number, number]>, segs: readonly ToolSegment[], size: number, memMin: number, memMax: number): number {
  const taken = [...segs].sort((a, b) => a.mem - b.mem);
  for (const [rs, re] of ram) {
    let at = pageUp(Math.max(rs, memMin));
    for (const s of taken) {
      if (s.mem + s.memsz <= at) continue;
      if (s.mem >= at + size) break;
      at = pageUp(s.mem + s.memsz);
    }
    if (at + size <= re && at + size - 1 <= memMax) return at;
  }
  throw new ToolError(`Could not find a free area of memory of 0x${size.toString(16)} bytes...`);
}

/** add_backup_segments: every page-aligned hole of RAM in the window becomes a zero segment. */
function addBackupSegments(segs: ToolSegment[], ram: ReadonlyArray<readonly [number, number]>, memMin: number, memMax: number): void {
  const taken = [...segs].sort((a, b) => a.mem - b.mem);
  for (const [rs, re] of ram) {
    const lo = pageUp(Math.max(rs, memMin));
    const hi = pageDown(Math.min(re, memMax + 1));
    let at = lo;
    for (const s of taken) {
      if (s.mem + s.memsz <= at || s.mem >= hi) continue;
      if (s.mem > at) segs.push({ data: null, mem: at, memsz: s.mem - at });
      at = s.mem + s.memsz;
    }
    if (at < hi) segs.push({ data: null, mem: at, memsz: hi - at });
  }
}
