// Plain kexec reboot (no PRESERVE_CONTEXT), device preservation per flavour, and faults:
// F19 (a step fails, the unwind labels run) and EBUSY while kexec_lock is held.
import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../src/sim/memory.ts';
import { devicesForCommand, Errno, KEXEC_PRESERVE_CONTEXT, KEXEC_PRESERVE_CPU, KEXEC_PRESERVE_DEVICE, KJUMP_CMD, KJUMP_SAVE_DEVICES, KJUMP_SKIP_DEVICES, LINUX_REBOOT_CMD_KEXEC } from '../../src/kexec/abi.ts';
import { walkEntries } from '../../src/kexec/kimage.ts';
import { build as assemble } from '../sim/build.ts';
import { rig } from './harness.ts';
import { EID, PASS_OR_FAIL_A1, REGION } from './programs.ts';

const UART_SCR = 0x10000007;

/** A: sets the UART scratch register to 0x11, loads `peer` with `flags`, jumps, records SCR. */
function aProgram(peerPath: string, flags: number, command = 0): string {
  return `
    .globl _start
_start:
    la sp, stack_top
    li t0, ${UART_SCR}
    li t1, 0x11
    sb t1, 0(t0)
    li a7, ${EID}
    li a6, 0
    li a0, ${REGION}
    la a1, segs
    li a2, 2
    li a3, ${flags}
    ecall
    bnez a0, fail
    li a7, ${EID}
    li a6, 1
    li a0, ${command}
    li a1, 7
    ecall
    bnez a0, fail
    la t0, out
    sw a1, 0(t0)
    li t1, ${UART_SCR}
    lbu t1, 0(t1)
    sw t1, 4(t0)
${PASS_OR_FAIL_A1}
    .align 4
segs: .word peer, peer_end - peer, ${REGION}, 0x1000
      .word 0, 0, ${REGION + 0x1000}, 0xf000
out: .space 16
    .space 2048
stack_top:
peer: .incbin "${peerPath}"
peer_end:
    .align 12
`;
}

/** The peer: records ra and the slot at sp, sets SCR to 0x22, then either passes or jumps back. */
const peer = (jumpBack: boolean): string => `
    .globl _start
_start:
    la t0, info
    sw ra, 0(t0)
    lw t1, 0(sp)
    sw t1, 4(t0)
    sw a0, 8(t0)
    li t0, ${UART_SCR}
    li t1, 0x22
    sb t1, 0(t0)
${jumpBack ? `
    mv s0, ra
    li sp, ${REGION + 0x8000}
    li a7, ${EID}
    li a6, 0
    mv a0, s0
    la a1, helper
    li a2, 1
    li a3, 2
    ecall
    li a7, ${EID}
    li a6, 1
    li a0, 0
    li a1, 0x99
    ecall` : `
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)`}
1:  j 1b
    .align 4
helper: .word 0, 0, 0, 0
info: .word 0, 0, 0
`;

function build(flags: number, jumpBack: boolean, command = 0): { bytes: Uint8Array; out: number; info: number } {
  const p = assemble(peer(jumpBack), { address: REGION });
  const a = assemble(aProgram('peer.bin', flags, command), { address: RAM_BASE, files: { 'peer.bin': p.bin } });
  return { bytes: a.bin, out: a.symbols.get('out')!, info: p.symbols.get('info')! };
}

describe('plain kexec reboot', () => {
  it('copies (not swaps) the image, enters with ra = 0 and a 0 slot, and A is gone', () => {
    const { bytes, info } = build(0, false);
    const r = rig(bytes);
    const mem = r.machine.memory;
    const sources: Array<[number, Uint8Array]> = [];
    r.kexec.events.listen((e) => {
      if (e.type === 'step' && e.step === 'machine_kexec') {
        walkEntries(mem, r.kexec.kernels[0].image!.head, (_d, s) => sources.push([s, mem.readBytes(s, 4096)]));
      }
    });
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect([mem.read32(info), mem.read32(info + 4), mem.read32(info + 8)]).toEqual([0, 0, 7]);
    for (const [s, before] of sources) expect(mem.readBytes(s, 4096)).toEqual(before);
    expect(r.kexec.kernels.map((k) => k.name)).toEqual(['B']);
    const steps = r.events.flatMap((e) => (e.type === 'step' ? [e.step] : e.type === 'device' ? [`${e.device}:${e.action}`] : []));
    expect(steps).toEqual(['uart:shutdown', 'kernel_restart_prepare', 'migrate_to_reboot_cpu', 'syscore_shutdown', 'machine_shutdown', 'kmsg_dump', 'machine_kexec']);
    expect(r.events.find((e) => e.type === 'jump')).toMatchObject({ kind: 'reboot', from: 'A', to: 'B' });
  });
});

describe('device state across a jump', () => {
  it('merged PRESERVE_CONTEXT restores the UART as A left it', () => {
    const { bytes, out } = build(2, true);
    const r = rig(bytes);
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(r.machine.memory.read32(out)).toBe(0x99);
    expect(r.machine.memory.read32(out + 4)).toBe(0x11);
  });

  it('seed PRESERVE_CPU without PRESERVE_DEVICE: the UART comes back as B left it', () => {
    const { bytes, out } = build(0x100, true);
    const r = rig(bytes, { flavour: 'seed' });
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(r.machine.memory.read32(out + 4)).toBe(0x22);
    expect(r.events.some((e) => e.type === 'device' && e.action === 'untouched')).toBe(true);
  });

  it('seed PRESERVE_CPU | PRESERVE_DEVICE restores it', () => {
    const { bytes, out } = build(0x500, true);
    const r = rig(bytes, { flavour: 'seed' });
    r.machine.run(1_000_000);
    expect(r.machine.memory.read32(out + 4)).toBe(0x11);
  });
});

describe("the seed's JUMP command overrides device save/restore", () => {
  it('KJUMP_CMD | SAVE_DEVICES restores the UART although the image has only PRESERVE_CPU', () => {
    const { bytes, out } = build(KEXEC_PRESERVE_CPU, true, KJUMP_CMD | KJUMP_SAVE_DEVICES);
    const r = rig(bytes, { flavour: 'seed' });
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(r.machine.memory.read32(out + 4)).toBe(0x11);
    expect(r.events.some((e) => e.type === 'device' && e.action === 'restore')).toBe(true);
  });

  it('KJUMP_CMD | SKIP_DEVICES leaves the UART as B left it although the image has PRESERVE_DEVICE', () => {
    const { bytes, out } = build(KEXEC_PRESERVE_CPU | KEXEC_PRESERVE_DEVICE, true, KJUMP_CMD | KJUMP_SKIP_DEVICES);
    const r = rig(bytes, { flavour: 'seed' });
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(r.machine.memory.read32(out + 4)).toBe(0x22);
    expect(r.events.some((e) => e.type === 'device' && e.action === 'restore')).toBe(false);
  });

  it('the merged flavour has no command argument: KJUMP_CMD is EINVAL and nothing jumps', () => {
    const { bytes } = build(KEXEC_PRESERVE_CONTEXT, true, KJUMP_CMD | KJUMP_SAVE_DEVICES);
    const r = rig(bytes);
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'fail', code: 0x10000 - Errno.EINVAL });
    expect(r.events.some((e) => e.type === 'jump')).toBe(false);
  });
});

describe('devicesForCommand', () => {
  it('0 and LINUX_REBOOT_CMD_KEXEC keep the image choice in both flavours', () => {
    for (const flavour of ['merged', 'seed'] as const) {
      for (const image of [true, false]) {
        expect(devicesForCommand(0, image, flavour)).toBe(image);
        expect(devicesForCommand(LINUX_REBOOT_CMD_KEXEC, image, flavour)).toBe(image);
      }
    }
  });
  it('seed overrides; both bits, unknown bits, other commands and the merged flavour are invalid', () => {
    expect(devicesForCommand(KJUMP_CMD, false, 'seed')).toBe(false);
    expect(devicesForCommand(KJUMP_CMD | KJUMP_SAVE_DEVICES, false, 'seed')).toBe(true);
    expect(devicesForCommand(KJUMP_CMD | KJUMP_SKIP_DEVICES, true, 'seed')).toBe(false);
    expect(devicesForCommand(KJUMP_CMD | KJUMP_SAVE_DEVICES | KJUMP_SKIP_DEVICES, true, 'seed')).toBeNull();
    expect(devicesForCommand(KJUMP_CMD | 0x4, true, 'seed')).toBeNull();
    expect(devicesForCommand(0x1234, true, 'seed')).toBeNull();
    expect(devicesForCommand(KJUMP_CMD | KJUMP_SAVE_DEVICES, false, 'merged')).toBeNull();
  });
});

describe('faults', () => {
  it('F19: a device fails to freeze: JUMP returns the error, unwinding from R6; nothing jumps', () => {
    const r = rig(build(2, true).bytes);
    r.kexec.fault = { step: 'dpm_suspend_start', errno: 5 };
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'fail', code: 0x10000 - 5 });
    expect(r.kexec.jumps).toBe(0);
    const steps = r.events.flatMap((e) => (e.type === 'step' ? [e.step] : []));
    expect(steps).toEqual(['pm_prepare_console', 'freeze_processes', 'console_suspend', 'dpm_suspend_start', 'console_resume', 'thaw_processes', 'pm_restore_console']);
    expect(r.kexec.kernels[0].locked).toBe(false);
  });

  it('dpm_suspend_end fails: devices frozen so far are restored (R5 onwards)', () => {
    const r = rig(build(2, true).bytes);
    r.kexec.fault = { step: 'dpm_suspend_end', errno: 16 };
    r.machine.run(1_000_000);
    const steps = r.events.flatMap((e) => (e.type === 'step' ? [e.step] : e.type === 'device' ? [`${e.device}:${e.action}`] : []));
    expect(steps.slice(3)).toEqual(['uart:freeze', 'dpm_suspend_start', 'dpm_suspend_end', 'uart:restore', 'dpm_resume_end', 'console_resume', 'thaw_processes', 'pm_restore_console']);
    expect(r.machine.halted).toEqual({ kind: 'fail', code: 0x10000 - Errno.EBUSY });
  });
});
