// SBI Debug Console extension (DBCN, EID 0x4442434E): write/read a buffer in physical memory,
// write one byte. Buffers must lie in RAM (the high address half must be 0 on RV32).
import type { Hart } from '../hart.ts';
import type { PhysicalMemory } from '../memory.ts';
import {
  A0, A1, A2, notSupported, ok, SBI_ERR_INVALID_PARAM, type SbiConsole, type SbiExtension, type SbiReturn,
} from './sbi.ts';

export const SBI_EXT_DBCN = 0x4442434e;

export class DbcnExtension implements SbiExtension {
  readonly eid = SBI_EXT_DBCN;
  readonly name = 'dbcn';

  constructor(private readonly _console: SbiConsole, private readonly _memory: PhysicalMemory) {}

  call(fid: number, hart: Hart): SbiReturn {
    const x = hart.x;
    switch (fid) {
      case 0: { // console_write(num_bytes, base_addr_lo, base_addr_hi)
        const n = x[A0] >>> 0;
        if (!this._inRam(n, x[A1], x[A2])) return { error: SBI_ERR_INVALID_PARAM, value: 0 };
        const off = this._memory.offsetOf(x[A1]);
        for (let i = 0; i < n; i++) this._console.putByte(this._memory.u8[off + i]);
        return ok(n);
      }
      case 1: { // console_read(num_bytes, base_addr_lo, base_addr_hi): what is waiting, maybe 0 bytes
        const n = x[A0] >>> 0;
        if (!this._inRam(n, x[A1], x[A2])) return { error: SBI_ERR_INVALID_PARAM, value: 0 };
        const base = x[A1] >>> 0;
        let count = 0;
        for (; count < n; count++) {
          const byte = this._console.getByte();
          if (byte < 0) break;
          this._memory.write8(base + count, byte);
        }
        return ok(count);
      }
      case 2: // console_write_byte(byte)
        this._console.putByte(x[A0] & 0xff);
        return ok(0);
      default:
        return notSupported();
    }
  }

  private _inRam(n: number, lo: number, hi: number): boolean {
    return hi === 0 && this._memory.contains(lo >>> 0, n);
  }
}
