// A board for toy-OS tests: the virt board in sbi mode with the KEXEC extension, boot params for
// the first OS, and a small scripted JBUS stub (the level engine's extension, reduced to what the
// tests need: per-kernel scripts that return actions, and a log of REPORT / DONE / YIELD).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBoard, bootImage, type Board } from '../../../src/sim/board.ts';
import { RAM_BASE } from '../../../src/sim/memory.ts';
import type { Hart } from '../../../src/sim/hart.ts';
import type { SbiExtension, SbiReturn } from '../../../src/sim/firmware/sbi.ts';
import { parseElf } from '../../../src/os/elf.ts';
import { OsImages, type OsImage, type OsName } from '../../../src/os/images.ts';
import { Kexec } from '../../../src/kexec/extension.ts';
import { relocateCode, purgatoryCode } from '../../../src/kexec/node.ts';
import { encodeBootParams } from '../../../src/kexec/bootparams.ts';
import { kexec as kexecTool, type ToolResult } from '../../../src/kexec/tools.ts';
import type { KexecKernel } from '../../../src/kexec/kernel.ts';

const ASSETS = fileURLToPath(new URL('../../../assets/os/', import.meta.url));

/** The toy OS images, read from assets/os by node. */
export const images = new OsImages((path) => {
  try {
    return readFileSync(ASSETS + path, 'utf8');
  } catch {
    return undefined;
  }
});

export const JBUS_EID = 0x0a004a55;
export const Action = { CONTINUE: 0, JUMP: 1, CALL: 2, POWEROFF: 3, HALT_FAIL: 4 } as const;
export const Report = { JUMP_BACK_ENTRY: 1, FRAMEBUFFER: 2, CHECK: 3, ERROR: 4 } as const;

export interface YieldContext {
  /** The kernel that yielded (the kexec subsystem's current kernel; scripts are keyed by its test name). */
  kernel: KexecKernel;
  /** How many times this kernel yielded before (0 on its first YIELD). */
  n: number;
  progress: number;
  mailbox: number;
  toy: Toy;
}
export interface ActionReply {
  action: number;
  a2?: number;
  a3?: number;
}
export type Script = (y: YieldContext) => ActionReply;

export interface LogEntry {
  kernel: string;
  fn: 'yield' | 'done' | 'report';
  a0: number;
  a1: number;
}

/** The scripted JBUS extension (docs/jbus.md). */
class JbusStub implements SbiExtension {
  readonly eid = JBUS_EID;
  readonly name = 'JBUS';
  readonly log: LogEntry[] = [];
  readonly scripts = new Map<string, Script>();
  private readonly _yields = new Map<string, number>();

  constructor(private readonly _toy: () => Toy, private readonly _names: Readonly<Record<string, string>>) {}

  call(fid: number, hart: Hart): SbiReturn {
    const toy = this._toy();
    const kernel = toy.kexec.current!;
    const name = this._names[kernel.name] ?? kernel.name;
    const a0 = hart.x[10] >>> 0;
    const a1 = hart.x[11] >>> 0;
    const fn = fid === 0 ? 'yield' : fid === 1 ? 'done' : fid === 2 ? 'report' : null;
    if (!fn) return { error: -2, value: 0 };
    this.log.push({ kernel: name, fn, a0, a1 });
    if (fn !== 'yield') return { error: 0, value: 0 };
    const n = this._yields.get(name) ?? 0;
    this._yields.set(name, n + 1);
    const script = this.scripts.get(name);
    const reply = script ? script({ kernel, n, progress: a0, mailbox: a1, toy }) : { action: Action.CONTINUE };
    hart.x[12] = reply.a2 ?? 0;
    hart.x[13] = reply.a3 ?? 0;
    return { error: 0, value: reply.action };
  }
}

export interface Toy {
  board: Board;
  kexec: Kexec;
  jbus: JbusStub;
  image: OsImage;
  output(): string;
  /** Lines a kernel printed with its "NAME: " tag removed. */
  lines(name: string): string[];
  /** The values a kernel REPORTed under `key`, in order. */
  reports(name: string, key: number): number[];
  /** Runs until the machine halts or `max` instructions ran. */
  run(max?: number): ReturnType<Board['machine']['run']>;
  /** `kexec ARGS` as user space of `kernel` runs it (files: image name -> ELF). */
  kexecTool(kernel: KexecKernel, args: string[], files: Record<string, Uint8Array>): ToolResult;
}

export interface ToyOptions {
  os: OsName;
  base?: number;
  /** The first OS's command line (a boot-params block is given when set). */
  cmdline?: string;
  ramMiB?: number;
  diskImage?: Uint8Array;
  /** The first kernel's name in the kexec subsystem (default: name= from the command line, else A). */
  name?: string;
  /** Scripts by kernel name (after `names`). */
  scripts?: Record<string, Script>;
  /**
   * Test names for kernels the kexec subsystem names itself (it calls the second kernel B, the
   * third C...): e.g. { B: 'D' } when the second kernel is the dump kernel printing "D: ...".
   */
  names?: Record<string, string>;
}

/** Boots `os` as the first OS of a fresh board; its usable memory is all RAM. */
export function bootToy(o: ToyOptions): Toy {
  const board = createBoard({ ramSize: (o.ramMiB ?? 4) * 1024 * 1024, diskImage: o.diskImage });
  const image = images.get(o.os, o.base ?? RAM_BASE);
  const kexec = new Kexec(board.machine.memory, { relocate: relocateCode(), devices: [board.uart] });
  board.firmware.register(kexec);
  let toy: Toy | null = null;
  const jbus = new JbusStub(() => toy!, o.names ?? {});
  board.firmware.register(jbus);
  for (const [k, s] of Object.entries(o.scripts ?? {})) jbus.scripts.set(k, s);
  let out = '';
  board.uart.onTransmit = (b) => { out += String.fromCharCode(b); };

  const mem = board.machine.memory;
  const inUse: Array<[number, number]> = [[image.base, pageUp(image.size)]];
  let params = 0;
  if (o.cmdline !== undefined) {
    // The block sits in the last page of RAM, as a boot loader leaves it above the kernel.
    params = RAM_BASE + mem.size - 4096;
    const block = encodeBootParams({ commandLine: o.cmdline, memMin: image.base, memMax: image.base + pageUp(image.size) - 1, kernelEntry: image.entry, flags: 0 });
    mem.writeBytes(params, block);
    inUse.push([params, 4096]);
  }
  kexec.addKernel({ name: o.name ?? /(?:^| )name=(\S+)/.exec(o.cmdline ?? '')?.[1] ?? 'A', usable: [[RAM_BASE, mem.size]], inUse });
  bootImage(board, parseElf(image.elf), 'sbi', params);
  const purgatory = purgatoryCode();
  toy = {
    board, kexec, jbus, image,
    output: () => out,
    lines: (name) => out.split('\n').filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2)),
    reports: (name, key) => jbus.log.filter((e) => e.kernel === name && e.fn === 'report' && e.a0 === key).map((e) => e.a1),
    run: (max = 50_000_000) => board.machine.run(max),
    kexecTool: (kernel, args, files) =>
      kexecTool(args, kexec.toolsEnv(kernel, { readFile: (p) => files[p], exec: () => 0, purgatory })),
  };
  return toy;
}

export const pageUp = (n: number): number => Math.ceil(n / 4096) * 4096;
export const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');
