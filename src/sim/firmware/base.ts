// SBI Base extension (EID 0x10): spec and implementation versions, extension probing, machine ids.
import { CSR } from '../csr.ts';
import type { Hart } from '../hart.ts';
import { A0, notSupported, ok, type SbiExtension, type SbiFirmware, type SbiReturn } from './sbi.ts';

export const SBI_EXT_BASE = 0x10;
/** SBI spec v2.0: major in bits 30:24, minor in 23:0. */
const SBI_SPEC_VERSION = (2 << 24) | 0;
/**
 * Implementation id: not one of the registered ids (0 BBL, 1 OpenSBI, ... 11 bhyve); "JB".
 * Software should not rely on it.
 */
export const SBI_IMPL_ID = 0x4a42;
/** Implementation version 0.1, encoded as OpenSBI does (major << 16 | minor). */
const SBI_IMPL_VERSION = (0 << 16) | 1;


export class BaseExtension implements SbiExtension {
  readonly eid = SBI_EXT_BASE;
  readonly name = 'base';

  constructor(private readonly _firmware: SbiFirmware) {}

  call(fid: number, hart: Hart): SbiReturn {
    switch (fid) {
      case 0: return ok(SBI_SPEC_VERSION);
      case 1: return ok(SBI_IMPL_ID);
      case 2: return ok(SBI_IMPL_VERSION);
      case 3: return ok(this._firmware.probe(hart.x[A0] >>> 0));
      case 4: return ok(hart.readCsr(CSR.mvendorid));
      case 5: return ok(hart.readCsr(CSR.marchid));
      case 6: return ok(hart.readCsr(CSR.mimpid));
      default: return notSupported();
    }
  }
}
