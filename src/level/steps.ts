// The user-space script steps of a level OS, run at its kernel's JBUS yields: kexec-tools (with the
// seed's --preserve=, $JUMP_BACK_ENTRY and $CMDLINE{key}), raw loads of images or segment tables,
// CALL arguments in the mailbox, UART input, echo, power-off, failure and injected faults.
import { KEXEC_ARCH_RISCV, KEXEC_PRESERVE_CONTEXT } from '../kexec/abi.ts';
import { jumpBackEntry, readBootParams } from '../kexec/bootparams.ts';
import type { PurgatoryCode } from '../kexec/assemble.ts';
import type { Kexec } from '../kexec/extension.ts';
import type { KexecKernel } from '../kexec/kernel.ts';
import { kexec as kexecTool, type ToolSegment } from '../kexec/tools.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../sim/memory.ts';
import type { BuiltImage } from './images.ts';
import { JbusAction, type YieldResult } from './jbus.ts';
import { rawSegments } from './raw-segments.ts';
import type { OsRuntime } from './roster.ts';
import type { Step } from './script.ts';
import { applySeedPreserve, seedPreserveOption } from './seed-flags.ts';
import { userKexecEnv } from './user-kexec.ts';

export type { OsRuntime } from './roster.ts';

/** What steps read of the world, and may do to it. */
export interface StepHost {
  /** The level's OS images by id (what `kexec -l ID` and `load ID` read). */
  readonly images: ReadonlyMap<string, BuiltImage>;
  readonly purgatory: PurgatoryCode;
  /** The kexec subsystem now. */
  readonly kexec: Kexec;
  readonly memory: PhysicalMemory;
  /** Bytes typed on the UART. */
  pushInput(data: string): void;
  /** Logs a step: the command, its exit status and output. */
  script(os: string, step: string, status: number, output: string): void;
  injectFault(os: string, name: string, args: readonly string[]): void;
  /** Kernel `kernel`'s image slot now boots level OS `target` (boot params at that PA, if known). */
  imageLoaded(kernel: string, target: string, bootParams?: number): void;
}

/** Runs one step of `osId`'s script at its kernel's yield; the action to hand the kernel, or null. */
export function runStep(host: StepHost, osId: string, rt: OsRuntime, step: Step, mailbox: number): YieldResult | null {
  const script = (status: number, output: string): void => host.script(osId, step.text, status, output);
  switch (step.kind) {
    case 'kexec': return kexecStep(host, rt, step.argv, script);
    case 'load': {
      const img = host.images.get(step.image);
      const k = host.kexec.current;
      if (!img || !k) {
        script(1, `load: no image '${step.image}'\n`);
        return null;
      }
      const segs = step.segments ? rawSegments(img.image, step.segments) : img.image.segments.filter((s) => s.memsz > 0).map((s) => {
        const mem = Math.floor(s.paddr / PAGE_SIZE) * PAGE_SIZE;
        const data = new Uint8Array(s.paddr - mem + s.data.length);
        data.set(s.data, s.paddr - mem);
        return { data, mem, memsz: Math.ceil((s.paddr + s.memsz) / PAGE_SIZE) * PAGE_SIZE - mem };
      });
      const env = userKexecEnv(host.kexec, k, { readFile: () => undefined, exec: () => 0, purgatory: host.purgatory, onLoad: () => {} });
      const errno = env.load(img.image.entry, segs, (step.preserve ? KEXEC_PRESERVE_CONTEXT : 0) | KEXEC_ARCH_RISCV);
      if (errno === 0) host.imageLoaded(k.name, step.image);
      script(errno === 0 ? 0 : 1, errno === 0 ? '' : `kexec_load failed: errno ${errno}\n`);
      return null;
    }
    case 'call': {
      const args = step.args.map((a) => Number(a) >>> 0);
      const mem = host.memory;
      if (args.some((v, i) => !/^(0x[0-9a-fA-F]+|\d+)$/.test(step.args[i]) || !Number.isFinite(v))) {
        script(1, `call: bad number in '${step.args.join(' ')}'\n`);
        return null;
      }
      if (args.length > 0 && !mem.contains(mailbox, args.length * 4)) {
        script(1, 'call: the mailbox is not in RAM\n');
        return null;
      }
      args.forEach((v, i) => mem.write32(mailbox + 4 * i, v));
      script(0, '');
      return { action: JbusAction.CALL, arg0: args.length, arg1: mailbox };
    }
    case 'input':
      host.pushInput(step.data);
      script(0, '');
      return null;
    case 'echo':
      script(0, step.data + '\n');
      return null;
    case 'poweroff':
      script(0, '');
      return { action: JbusAction.POWEROFF, arg0: 0, arg1: 0 };
    case 'fail':
      script(1, '');
      return { action: JbusAction.HALT_FAIL, arg0: 0, arg1: 1 };
    case 'fault':
      script(0, '');
      host.injectFault(osId, step.name, step.args);
      return null;
    case 'wait':
      return null;
  }
}

function kexecStep(host: StepHost, rt: OsRuntime, argv: readonly string[], script: (status: number, output: string) => void): YieldResult | null {
  const k = host.kexec.current;
  if (!k) return null;
  const entry = rt.reportedEntry ?? cmdlineEntry(host.memory, rt);
  const seed = seedPreserveOption(argv);
  if (seed.error) {
    script(1, seed.error + '\n');
    return null;
  }
  const args = seed.args.map((a) => a
    .replace(/\$JUMP_BACK_ENTRY/g, entry === null ? '' : `0x${entry.toString(16)}`)
    .replace(/\$CMDLINE\{([A-Za-z0-9_]+)\}/g, (_, key: string) => cmdlineValue(host.memory, rt, key)));
  let jump = false;
  let rebootCommand = 0;
  const files = new Map<string, Uint8Array>();
  for (const [id, img] of host.images) files.set(id, img.elf);
  const res = kexecTool(args, {
    ...host.kexec.toolsEnv(k, { readFile: () => undefined, exec: () => 0, purgatory: host.purgatory }),
    ...userEnv(host, k, files, seed.bits, (target, bootParams) => host.imageLoaded(k.name, target, bootParams)),
    exec: (command) => {
      jump = true;
      rebootCommand = command;
      return 0;
    },
  });
  if (jump) {
    // -e: the process is frozen in reboot() until the kernel comes back (DONE says how).
    script(0, res.stderr.replace(/kexec failed: Success\n$/, ''));
    return { action: JbusAction.JUMP, arg0: rebootCommand, arg1: 0 };
  }
  script(res.status, res.stdout + res.stderr);
  return null;
}

/** `key=`'s value on this OS's command line (/proc/cmdline), or '' when absent. */
function cmdlineValue(memory: PhysicalMemory, rt: OsRuntime, key: string): string {
  const bp = rt.bootParams < 0 ? null : readBootParams(memory, rt.bootParams);
  for (const word of bp?.commandLine.split(/\s+/) ?? []) if (word.startsWith(key + '=')) return word.slice(key.length + 1);
  return '';
}

/** /proc/cmdline's kexec_jump_back_entry for this OS, if its boot params say so. */
function cmdlineEntry(memory: PhysicalMemory, rt: OsRuntime): number | null {
  if (rt.bootParams < 0) return null;
  const bp = readBootParams(memory, rt.bootParams);
  return bp ? jumpBackEntry(bp.commandLine) : null;
}

/** The user-space parts of the tools env: files are the level's OS images by id (or ID.elf). */
function userEnv(host: StepHost, k: KexecKernel, files: ReadonlyMap<string, Uint8Array>, seedBits: number | null, loaded: (target: string, bootParams: number) => void) {
  let lastFile = '';
  const readFile = (p: string): Uint8Array | undefined => {
    const id = p.replace(/\.elf$/, '');
    lastFile = id;
    return files.get(id);
  };
  const env = userKexecEnv(host.kexec, k, {
    readFile, exec: () => 0, purgatory: host.purgatory,
    onLoad: (r) => {
      if (r.errno === 0 && lastFile) loaded(lastFile, r.bootParams);
    },
  });
  return { ram: env.ram, readFile, loaded: env.loaded, load: (entry: number, segs: ToolSegment[], flags: number) => env.load(entry, segs, applySeedPreserve(flags, seedBits)) };
}
