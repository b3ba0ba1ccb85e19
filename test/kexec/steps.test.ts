// kernel_kexec's forward steps and F19 (a device that fails to freeze): the injected suspend
// failure unwinds a jump that freezes devices, and cannot touch one that freezes none.
import { describe, expect, it } from 'vitest';
import { KexecEvents } from '../../src/kexec/events.ts';
import { suspendForKexec, type StepContext } from '../../src/kexec/steps.ts';
import { Errno } from '../../src/kexec/abi.ts';

function ctx(preserveDevices: boolean): StepContext {
  return { kernel: 'A', devices: [], preserveDevices, events: new KexecEvents(), fault: { step: 'dpm_suspend_start', errno: Errno.EBUSY } };
}

describe('F19: dpm_suspend_start fails', () => {
  it('when the jump freezes devices: EBUSY, after the unwind', () => {
    expect(suspendForKexec(ctx(true))).toBe(Errno.EBUSY);
  });

  it('when it freezes none (the seed without PRESERVE_DEVICE): no device is asked, the jump goes on', () => {
    const saved = suspendForKexec(ctx(false));
    expect(typeof saved).toBe('object');
  });
});
