// Legacy SBI v0.1 console calls: putchar (EID 0x01) and getchar (EID 0x02). One value, in a0.
import type { Hart } from '../hart.ts';
import { A0, type SbiConsole, type SbiExtension, type SbiReturn } from './sbi.ts';

const SBI_EXT_0_1_CONSOLE_PUTCHAR = 0x01;
const SBI_EXT_0_1_CONSOLE_GETCHAR = 0x02;

export class LegacyPutchar implements SbiExtension {
  readonly eid = SBI_EXT_0_1_CONSOLE_PUTCHAR;
  readonly name = 'legacy-putchar';
  constructor(private readonly _console: SbiConsole) {}

  call(_fid: number, hart: Hart): SbiReturn {
    this._console.putByte(hart.x[A0] & 0xff);
    return { error: 0, value: 0, legacy: true };
  }
}

export class LegacyGetchar implements SbiExtension {
  readonly eid = SBI_EXT_0_1_CONSOLE_GETCHAR;
  readonly name = 'legacy-getchar';
  constructor(private readonly _console: SbiConsole) {}

  /** a0 = the byte, or -1 when no input is waiting (as OpenSBI's sbi_getc). */
  call(): SbiReturn {
    return { error: this._console.getByte(), value: 0, legacy: true };
  }
}
