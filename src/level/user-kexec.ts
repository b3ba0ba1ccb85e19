// kexec-tools run by an OS's user space: tools.ts with an environment that writes the image buffers
// and the segment array into the OS's own free memory (as a process's buffers would be) and issues
// the same KEXEC LOAD the ecall path serves, so loads are checked and reported exactly alike.
import { BOOT_PARAMS_MAGIC } from '../kexec/bootparams.ts';
import type { PurgatoryCode } from '../kexec/assemble.ts';
import { KexecFn, SEGMENT_SIZE } from '../kexec/abi.ts';
import type { Kexec } from '../kexec/extension.ts';
import type { KexecKernel } from '../kexec/kernel.ts';
import type { KexecToolsEnv, ToolSegment } from '../kexec/tools.ts';
import type { CpuState, Hart } from '../sim/hart.ts';
import { PAGE_SIZE } from '../sim/memory.ts';

/** What a user-space load left behind, for the engine's bookkeeping. */
export interface UserLoad {
  errno: number;
  /** Boot-params block PA in the image (its segment starts with "JBBP"), or -1. */
  bootParams: number;
}

/** A stand-in for the calling hart: the LOAD arguments in a0..a3, nothing else. */
class SyscallHart implements Hart {
  readonly x = new Int32Array(32);
  pc = 0;
  priv = 1;
  readonly cycle = 0;
  readonly instret = 0;
  readCsr(): number { return 0; }
  writeCsr(): void {}
  requestStop(): void {}
  flushDecodeCache(): void {}
  saveState(): CpuState { throw new Error('not a real hart'); }
  restoreState(): void { throw new Error('not a real hart'); }
}

/**
 * The tools environment for kernel `k`. `exec` is called for `-e` (the runner turns it into a
 * JUMP action); `onLoad` sees every load's outcome.
 */
export function userKexecEnv(
  kexec: Kexec, k: KexecKernel,
  io: { readFile(path: string): Uint8Array | undefined; exec(): number; purgatory: PurgatoryCode; onLoad(load: UserLoad): void },
): KexecToolsEnv {
  const base = kexec.toolsEnv(k, { readFile: io.readFile, exec: io.exec, purgatory: io.purgatory });
  return {
    ...base,
    load: (entry: number, segments: ToolSegment[], flags: number): number => {
      const r = userLoad(kexec, k, entry, segments, flags);
      io.onLoad(r);
      return r.errno;
    },
  };
}

function userLoad(kexec: Kexec, k: KexecKernel, entry: number, segments: ToolSegment[], flags: number): UserLoad {
  const mem = kexec.mem;
  const pages = new UserPages(kexec, k);
  let bootParams = -1;
  const table = new Uint8Array(SEGMENT_SIZE * segments.length);
  const tv = new DataView(table.buffer);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    let buf = 0;
    if (s.data && s.data.length > 0) {
      buf = pages.alloc(s.data.length);
      if (buf < 0) return { errno: 12, bootParams };
      mem.writeBytes(buf, s.data);
      if (s.data.length >= 4 && new DataView(s.data.buffer, s.data.byteOffset).getUint32(0, true) === BOOT_PARAMS_MAGIC) bootParams = s.mem;
    }
    tv.setUint32(i * 16, buf >>> 0, true);
    tv.setUint32(i * 16 + 4, s.data?.length ?? 0, true);
    tv.setUint32(i * 16 + 8, s.mem >>> 0, true);
    tv.setUint32(i * 16 + 12, s.memsz >>> 0, true);
  }
  let arrayPa = 0;
  if (segments.length > 0) {
    arrayPa = pages.alloc(table.length);
    if (arrayPa < 0) return { errno: 12, bootParams };
    mem.writeBytes(arrayPa, table);
  }
  const hart = new SyscallHart();
  hart.x[10] = entry | 0;
  hart.x[11] = arrayPa | 0;
  hart.x[12] = segments.length;
  hart.x[13] = flags | 0;
  const r = kexec.call(KexecFn.LOAD, hart);
  const errno = r === 'redirected' || r.error === 0 ? 0 : -r.value;
  return { errno, bootParams };
}

/** Free pages of `k` handed out from the top down (kexec allocates from the bottom up). */
class UserPages {
  private _next: number;

  constructor(private readonly _kexec: Kexec, private readonly _k: KexecKernel) {
    this._next = _k.memory.pageCount - 1;
  }

  /** A run of free pages holding `bytes`; its PA, or -1 when the OS has no room. */
  alloc(bytes: number): number {
    const want = Math.ceil(bytes / PAGE_SIZE);
    const m = this._k.memory;
    let run = 0;
    for (let pfn = this._next; pfn >= 0; pfn--) {
      run = m.isFree(pfn) ? run + 1 : 0;
      if (run === want) {
        this._next = pfn - 1;
        return this._kexec.mem.addressOf(pfn);
      }
    }
    return -1;
  }
}
