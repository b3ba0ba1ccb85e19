// `jumpback run IMAGE`: boots an ELF (or flat binary) on the virt board, UART to stdout, and exits
// with the test finisher's verdict, as `qemu-system-riscv32 -M virt -nographic -kernel` would.
import type { Flavour } from '../kexec/abi.ts';
import { ElfError, parseImage, PF_X, type ElfImage } from '../os/elf.ts';
import { FileAccessError } from '../os/files.ts';
import { readRegularFile } from '../os/node-files.ts';
import { bootImage, createBoard, type Board } from '../sim/board.ts';
import type { BootMode } from '../sim/machine.ts';
import { DEFAULT_RAM_SIZE, MAX_RAM_SIZE, MIN_RAM_SIZE } from '../sim/memory.ts';

export const DEFAULT_MAX_INSTRET = 1_000_000_000;
export const EXIT_LIMIT = 124;
const SLICE = 4_000_000;

export const RUN_USAGE = `usage: jumpback run IMAGE [--bare|--sbi] [--ram-mib N] [--max-instret N]
                    [--kexec-flavour merged|seed] [--trace kexec]

Runs an RV32 ELF executable (or a flat binary, loaded and entered at 0x80000000) on the virt
board: UART output goes to stdout as raw bytes; stdin feeds the UART's receiver.

  --bare           M-mode at the entry, no firmware (what qemu-system-riscv32 -M virt -bios none does)
  --sbi            S-mode at the entry with a0 = 0, a1 = 0; the simulator is the SBI firmware
                   default: --bare if the image uses M-mode CSRs or mret (a bare-metal program),
                   otherwise --sbi (an OS image)
  --ram-mib N      RAM size in MiB, 1..2048 (default 16)
  --max-instret N  stop after N instructions (default ${DEFAULT_MAX_INSTRET})

In sbi mode the firmware has the KEXEC extension (EID 0x0A004B4A): the image is kernel A, its
usable memory all RAM, in use its PT_LOAD ranges (a flat binary: its bytes); kexec_load, JUMP,
CALL and plain reboot work as in levels; kernels it enters are B, C, ... in order of first entry.
  --kexec-flavour F  merged (Linux 2.6.27+, the default, as levels) or seed (the 2007 proposal)
  --trace kexec      print each kexec event (loads, kernel_kexec steps, devices, jumps with the
                     pages swapped, returns, refusals) on stderr, one line each

exit status: 0 test finisher pass or SBI shutdown; the finisher's fail code (1 if it is 0 mod 256),
1 for an SBI shutdown with a reason other than none (system failure, vendor);
124 instruction limit reached, or the hart waits forever in WFI; 2 bad arguments or image.
A finisher reset or SBI reboot reloads the image and boots again.
`;

interface RunOptions {
  image: string;
  mode: BootMode | null;
  ramMiB: number;
  maxInstret: number;
  /** --kexec-flavour, or null for the default. */
  flavour: Flavour | null;
  /** --trace kexec. */
  traceKexec: boolean;
}

const TRACES = ['kexec'] as const;
const FLAVOURS: readonly Flavour[] = ['merged', 'seed'];

class UsageError extends Error {}

export async function runCommand(args: string[]): Promise<number> {
  let opts: RunOptions;
  try {
    opts = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`jumpback run: ${e.message}\n\n${RUN_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (opts.image === '') {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  const image = readImage(opts);
  if (image === null) return 2;
  const mode = opts.mode ?? guessMode(image);
  if (mode === 'bare' && (opts.flavour !== null || opts.traceKexec)) {
    process.stderr.write(`jumpback run: ${opts.image}: --kexec-flavour and --trace kexec need --sbi, but the image boots bare ` +
      '(its code uses M-mode CSRs or mret); pass --sbi to run it as an OS\n');
    return 2;
  }
  const board = newBoard(opts);
  if (board === null) return 2;
  let pending: number[] = [];
  board.uart.onTransmit = (b) => pending.push(b);
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const chunk = Uint8Array.from(pending);
    pending = [];
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  };
  // A trace line goes out after the UART bytes before it, so 2>&1 reads in order.
  const traceLine = (line: string): void => {
    if (pending.length > 0) process.stdout.write(Uint8Array.from(pending));
    pending = [];
    process.stderr.write(`${line}\n`);
  };
  // In sbi mode each boot (and each reboot) gets a fresh KEXEC extension with the image as kernel A.
  const kexecBoot = mode === 'sbi' ? (await import('./run-kexec.ts')).kexecOnBoot(board, image, {
    flavour: opts.flavour,
    trace: opts.traceKexec ? traceLine : null,
  }) : null;
  const boot = (): void => {
    bootImage(board, image, mode);
    kexecBoot?.();
  };
  try {
    boot();
  } catch (e) {
    if (e instanceof ElfError) {
      process.stderr.write(`jumpback run: ${opts.image}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  // Standard input feeds the UART's receiver (as with QEMU -nographic); bytes arrive between slices.
  const onInput = (chunk: Buffer): void => board.uart.pushInput(new Uint8Array(chunk));
  process.stdin.on('data', onInput);
  try {
    return await runLoop(board, boot, opts.maxInstret, flush);
  } finally {
    process.stdin.off('data', onInput);
    process.stdin.pause(); // let the process exit even if stdin stays open
  }
}

/** The image file parsed, or null after saying on stderr why it cannot be run. */
function readImage(opts: RunOptions): ElfImage | null {
  try {
    // A regular file no bigger than the RAM its segments go into (at least the default RAM size,
    // so a small --ram-mib still reads an ELF whose symbols make it bigger, and names the segment).
    return parseImage(readRegularFile(opts.image, Math.max(opts.ramMiB * 1024 * 1024, DEFAULT_RAM_SIZE)));
  } catch (e) {
    if (e instanceof FileAccessError) {
      process.stderr.write(`jumpback run: ${e.message}${e.problem === 'too-large' ? ': an image must fit in RAM (see --ram-mib)' : ''}\n`);
      return null;
    }
    if (!(e instanceof ElfError)) throw e;
    process.stderr.write(`jumpback run: ${opts.image}: ${e.message}\n`);
    return null;
  }
}

/** A virt board with the requested RAM, or null after saying on stderr that it cannot be had. */
function newBoard(opts: RunOptions): Board | null {
  try {
    return createBoard({ ramSize: opts.ramMiB * 1024 * 1024 }); // not a shift: 2048 << 20 overflows to negative
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    process.stderr.write(`jumpback run: cannot allocate ${opts.ramMiB} MiB of RAM: ${e.message}\n`);
    return null;
  }
}

async function runLoop(board: Board, boot: () => void, maxInstret: number, flush: () => Promise<void>): Promise<number> {
  const machine = board.machine;
  let left = maxInstret;
  for (;;) {
    const budget = Math.min(SLICE, left);
    const r = machine.run(budget);
    // Taken traps use run budget without retiring; count the whole slice when it ran out so a
    // trap storm (e.g. garbage code with stvec = 0) still reaches the limit instead of spinning.
    left -= r.reason === 'limit' ? budget : r.executed;
    if (r.reason === 'limit' && r.executed === 0) {
      const cpu = machine.cpu;
      const cause = cpu.readCsr(cpu.priv === 3 ? 0x342 : 0x142) >>> 0;
      process.stderr.write(
        `jumpback run: the hart retires nothing: it is stuck taking traps at pc 0x${(cpu.pc >>> 0).toString(16)} ` +
          `(last ${cpu.priv === 3 ? 'mcause' : 'scause'} 0x${cause.toString(16)})\n`,
      );
      return EXIT_LIMIT;
    }
    await flush();
    const h = machine.halted;
    if (h !== null) {
      // An SBI shutdown with any reason but "none" (0) fails: OpenSBI's finisher driver writes FAIL for it.
      if (h.kind === 'pass') return h.code === 0 ? 0 : 1;
      if (h.kind === 'fail') return h.code & 0xff || 1;
      boot(); // reset: QEMU reloads the kernel and starts over
      continue;
    }
    if (r.reason === 'stopped' && machine.cpu.waiting) {
      process.stderr.write('jumpback run: the hart waits in WFI for an interrupt that cannot come\n');
      return EXIT_LIMIT;
    }
    if (left <= 0) {
      process.stderr.write(`jumpback run: stopped at the instruction limit (${maxInstret} instructions; --max-instret N to change)\n`);
      return EXIT_LIMIT;
    }
    await new Promise((resolve) => setImmediate(resolve)); // let input and output events run
  }
}

function parseArgs(args: string[]): RunOptions {
  const opts: RunOptions = { image: '', mode: null, ramMiB: 16, maxInstret: DEFAULT_MAX_INSTRET, flavour: null, traceKexec: false };
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value`);
      return args[++i];
    };
    switch (flag) {
      case '-h':
      case '--help':
        help = true;
        break;
      case '--bare':
      case '--sbi': {
        const m = flag.slice(2) as BootMode;
        if (opts.mode !== null && opts.mode !== m) throw new UsageError('--bare and --sbi exclude each other');
        opts.mode = m;
        break;
      }
      case '--ram-mib':
        opts.ramMiB = integer(flag, value(), MIN_RAM_SIZE / (1024 * 1024), MAX_RAM_SIZE / (1024 * 1024));
        break;
      case '--max-instret':
        opts.maxInstret = integer(flag, value(), 1, Number.MAX_SAFE_INTEGER);
        break;
      case '--kexec-flavour': {
        const f = value();
        if (!(FLAVOURS as readonly string[]).includes(f)) throw new UsageError(`--kexec-flavour expects merged or seed, got '${f}'`);
        opts.flavour = f as Flavour;
        break;
      }
      case '--trace':
        // A comma list, so later traces can join `kexec` without a new option.
        for (const t of value().split(',')) {
          if (!(TRACES as readonly string[]).includes(t)) throw new UsageError(`unknown trace '${t}' (known: ${TRACES.join(', ')})`);
          opts.traceKexec = true;
        }
        break;
      default:
        if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option '${arg}'`);
        if (opts.image !== '') throw new UsageError(`one image only (got '${opts.image}' and '${arg}')`);
        opts.image = arg;
    }
  }
  if (help) return { ...opts, image: '' };
  if (opts.mode === 'bare' && (opts.flavour !== null || opts.traceKexec)) {
    throw new UsageError('--kexec-flavour and --trace kexec need --sbi: KEXEC is an SBI extension, and --bare runs no firmware');
  }
  if (opts.image === '') throw new UsageError('no image given');
  return opts;
}

/** A decimal (or 0x hex, or 1e9-style) integer in [min, max]. */
function integer(flag: string, text: string, min: number, max: number): number {
  const n = /^(0x[0-9a-f]+|\d+(\.\d+)?(e\d+)?)$/i.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} expects an integer from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

const MRET = 0x3020_0073;

/**
 * bare when the image's code uses an M-mode CSR (number 0x300-0x3ff, 0x700-0x7ff, 0xb00-0xbff,
 * 0xf00-0xfff: bits 9:8 = 3) or mret, which only M-mode software does; otherwise sbi.
 */
export function guessMode(image: ElfImage): BootMode {
  for (const seg of image.segments) {
    if (image.format === 'elf' && (seg.flags & PF_X) === 0) continue;
    const d = seg.data;
    for (let i = 0; i + 4 <= d.length; i += 4) {
      const ins = (d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (d[i + 3] << 24)) >>> 0;
      if (ins === MRET) return 'bare';
      if ((ins & 0x7f) === 0x73 && ((ins >>> 12) & 7) !== 0 && ((ins >>> 12) & 7) !== 4 && ((ins >>> 28) & 3) === 3) {
        return 'bare';
      }
    }
  }
  return 'sbi';
}
