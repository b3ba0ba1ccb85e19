// SBI System Reset extension (SRST, EID 0x53525354): shutdown and cold/warm reboot, with a reason.
import type { Hart } from '../hart.ts';
import { A0, A1, notSupported, SBI_ERR_INVALID_PARAM, type SbiExtension, type SbiReturn } from './sbi.ts';

export const SBI_EXT_SRST = 0x53525354;
const SRST_TYPE_WARM_REBOOT = 2;
const SRST_REASON_SYSFAIL = 1;

export type ResetType = 'shutdown' | 'cold-reboot' | 'warm-reboot';

/**
 * What the board does on a reset request: halt the machine. Called with the request; the call
 * never returns to S-mode (the extension reports 'redirected' and leaves pc at the ecall).
 */
export type ResetHandler = (type: ResetType, reason: number) => void;

const TYPES: readonly ResetType[] = ['shutdown', 'cold-reboot', 'warm-reboot'];

/** Reset types and reasons from 0xF000_0000 are vendor-specific: accepted and passed through. */
const isVendor = (v: number): boolean => v >= 0xf000_0000;

export class SrstExtension implements SbiExtension {
  readonly eid = SBI_EXT_SRST;
  readonly name = 'srst';

  constructor(private readonly _onReset: ResetHandler) {}

  call(fid: number, hart: Hart): SbiReturn | 'redirected' {
    if (fid !== 0) return notSupported();
    const type = hart.x[A0] >>> 0;
    const reason = hart.x[A1] >>> 0;
    if ((type > SRST_TYPE_WARM_REBOOT && !isVendor(type)) || (reason > SRST_REASON_SYSFAIL && !isVendor(reason))) {
      return { error: SBI_ERR_INVALID_PARAM, value: 0 };
    }
    // Vendor-specific types are not implemented: SBI says NOT_SUPPORTED for those.
    if (type > SRST_TYPE_WARM_REBOOT) return notSupported();
    this._onReset(TYPES[type], reason);
    hart.requestStop();
    return 'redirected';
  }
}
