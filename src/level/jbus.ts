// The JBUS SBI extension (EID 0x0A004A55, docs/jbus.md): the boundary between a toy OS
// kernel and its user-space script. YIELD hands back an action, DONE reports how it ended,
// REPORT passes kernel facts. The engine side lives behind `JbusHost`.
import { A0, A1, A2, A3, notSupported, ok, type SbiExtension, type SbiReturn } from '../sim/firmware/sbi.ts';
import type { Hart } from '../sim/hart.ts';

export const JBUS_EID = 0x0a004a55;

export const JbusFn = { YIELD: 0, DONE: 1, REPORT: 2 } as const;

export const JbusAction = { CONTINUE: 0, JUMP: 1, CALL: 2, POWEROFF: 3, HALT_FAIL: 4 } as const;
export type JbusActionCode = (typeof JbusAction)[keyof typeof JbusAction];

export const ReportKey = { JUMP_BACK_ENTRY: 1, FRAMEBUFFER: 2, CHECK: 3, ERROR: 4 } as const;

export interface YieldResult {
  action: JbusActionCode;
  arg0: number;
  arg1: number;
}

/** What the engine does for each JBUS call (the running kernel is the caller). */
export interface JbusHost {
  yield(progress: number, mailbox: number): YieldResult;
  done(error: number, value: number): void;
  report(key: number, value: number): void;
}

export class JbusExtension implements SbiExtension {
  readonly eid = JBUS_EID;
  readonly name = 'JBUS';

  constructor(private readonly _host: JbusHost) {}

  call(fid: number, hart: Hart): SbiReturn {
    const x = hart.x;
    switch (fid) {
      case JbusFn.YIELD: {
        const r = this._host.yield(x[A0] >>> 0, x[A1] >>> 0);
        x[A2] = r.arg0 | 0;
        x[A3] = r.arg1 | 0;
        return ok(r.action);
      }
      case JbusFn.DONE:
        this._host.done(x[A0] | 0, x[A1] | 0);
        return ok(0);
      case JbusFn.REPORT:
        this._host.report(x[A0] >>> 0, x[A1] >>> 0);
        return ok(0);
      default:
        return notSupported();
    }
  }
}
