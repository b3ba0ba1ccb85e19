// The simulator's M-mode firmware, as OpenSBI is on real boards: S-mode `ecall`s arrive here in
// TypeScript and are dispatched by extension id (a7) and function id (a6) to registered extensions.
import type { EcallHandler, Hart } from '../hart.ts';

/** SBI error codes (SBI spec v2.0, table 1). */
export const SBI_SUCCESS = 0;
export const SBI_ERR_FAILED = -1;
export const SBI_ERR_NOT_SUPPORTED = -2;
export const SBI_ERR_INVALID_PARAM = -3;
export const SBI_ERR_DENIED = -4;
export const SBI_ERR_INVALID_ADDRESS = -5;
export const SBI_ERR_ALREADY_AVAILABLE = -6;
export const SBI_ERR_ALREADY_STARTED = -7;
export const SBI_ERR_ALREADY_STOPPED = -8;
export const SBI_ERR_NO_SHMEM = -9;

/** a0..a7 as register numbers. */
export const A0 = 10;
export const A1 = 11;
export const A2 = 12;
export const A3 = 13;
export const A6 = 16;
export const A7 = 17;

export interface SbiReturn {
  error: number;
  value: number;
  /** Legacy (v0.1) calls return one value, in a0, and leave a1 alone. */
  legacy?: boolean;
}

export interface SbiExtension {
  readonly eid: number;
  readonly name: string;
  /**
   * Serves function `fid`; arguments are in hart.x[A0..]. Returns the result for the firmware to
   * store (a0 = error, a1 = value, pc += 4), or 'redirected' when the extension has set pc, priv
   * and registers itself (kexec's JUMP; a shutdown that halts the machine).
   */
  call(fid: number, hart: Hart): SbiReturn | 'redirected';
  /** The value probe_extension reports (default 1). */
  probe?(): number;
}

/** The console the firmware writes to and reads from (the UART on the virt board). */
export interface SbiConsole {
  putByte(byte: number): void;
  /** The next input byte, or -1 when none is waiting. */
  getByte(): number;
}

/** One served call, for the event log (firmware call events, goals "firmware call returned X"). */
export interface SbiCallRecord {
  eid: number;
  fid: number;
  /** null when the extension redirected (no a0/a1 written by the firmware). */
  result: SbiReturn | null;
}

export class SbiFirmware {
  /** Called after each served call. Not on the hot path: ecalls are rare. */
  onCall: ((record: SbiCallRecord) => void) | null = null;
  private readonly _extensions = new Map<number, SbiExtension>();

  /** Adds an extension; a second one with the same EID replaces the first. */
  register(ext: SbiExtension): void {
    this._extensions.set(ext.eid >>> 0, ext);
  }

  unregister(eid: number): void {
    this._extensions.delete(eid >>> 0);
  }

  extension(eid: number): SbiExtension | undefined {
    return this._extensions.get(eid >>> 0);
  }

  /** What Base's probe_extension returns for `eid`: 0 when absent. */
  probe(eid: number): number {
    const ext = this._extensions.get(eid >>> 0);
    return ext ? (ext.probe?.() ?? 1) : 0;
  }

  /** The machine's EcallHandler (pass it to `machine.setEcallHandler`). */
  readonly handle: EcallHandler = (hart: Hart): void => {
    const eid = hart.x[A7] >>> 0;
    const fid = hart.x[A6] >>> 0;
    const ext = this._extensions.get(eid);
    const result: SbiReturn | 'redirected' = ext
      ? ext.call(fid, hart)
      : { error: SBI_ERR_NOT_SUPPORTED, value: 0 };
    if (result !== 'redirected') {
      hart.x[A0] = result.error;
      if (!result.legacy) hart.x[A1] = result.value;
      hart.pc = (hart.pc + 4) >>> 0;
    }
    this.onCall?.({ eid, fid, result: result === 'redirected' ? null : result });
  };
}

export const notSupported = (): SbiReturn => ({ error: SBI_ERR_NOT_SUPPORTED, value: 0 });
export const ok = (value = 0): SbiReturn => ({ error: SBI_SUCCESS, value });
