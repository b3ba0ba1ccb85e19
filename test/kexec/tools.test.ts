// kexec-tools (tools.ts) and purgatory.S: ELF -> segments in the window, zero segments, boot
// params, the jump-back entry on the command line (invariant 13), refusals with kexec-tools' words.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import { KEXEC_ARCH_RISCV, KEXEC_PRESERVE_CONTEXT, KJUMP_CMD, KJUMP_SAVE_DEVICES, KJUMP_SKIP_DEVICES } from '../../src/kexec/abi.ts';
import { jumpBackEntry, readBootParams } from '../../src/kexec/bootparams.ts';
import { purgatoryCode } from '../../src/kexec/node.ts';
import { kexec, planImage, type KexecToolsEnv } from '../../src/kexec/tools.ts';
import { walkEntries } from '../../src/kexec/kimage.ts';
import { createHash } from 'node:crypto';
import { build } from '../sim/build.ts';
import { rig, type Rig } from './harness.ts';
import { JUMP_ONCE_A, REGION, REGION_SIZE, seenBSource } from './programs.ts';

/** B: stores a0/a1 (hart id, boot params) and passes. Has a .bss-like tail via .space. */
const B = seenBSource('    .space 5000\n');

/** A: jumps once with whatever tools.ts loaded for it, then fails (B should have passed). */
const A = JUMP_ONCE_A;

function toolsFor(r: Rig, files: Record<string, Uint8Array>): KexecToolsEnv {
  return r.kexec.toolsEnv(r.kexec.kernels[0], {
    readFile: (p) => files[p], exec: () => 0, purgatory: purgatoryCode(),
  });
}

describe('kexec-tools', () => {
  const b = build(B, { address: REGION });
  const a = build(A, { address: RAM_BASE });
  const window = ['--mem-min=0x' + REGION.toString(16), '--mem-max=0x' + (REGION + REGION_SIZE - 1).toString(16)];

  it('plans page-aligned segments that tile the window with zero segments', () => {
    const plan = planImage(b.elf, {
      memMin: REGION, memMax: REGION + REGION_SIZE - 1, commandLine: 'console=uart', preserve: true,
      ram: [[RAM_BASE, RAM_BASE + (4 * 1024 * 1024)]], purgatory: purgatoryCode(),
    });
    expect(plan.flags).toBe(KEXEC_PRESERVE_CONTEXT | KEXEC_ARCH_RISCV);
    let at = REGION;
    for (const s of plan.segments) {
      expect(s.mem).toBe(at);
      expect(s.memsz % PAGE_SIZE).toBe(0);
      at += s.memsz;
    }
    expect(at).toBe(REGION + REGION_SIZE);
    expect(plan.segments[0].data!.subarray(0, b.bin.length)).toEqual(b.bin);
    expect(plan.segments[0].memsz).toBe(2 * PAGE_SIZE); // 5000+ bytes of .space: two pages
    expect(plan.bootParams).toBe(REGION + 2 * PAGE_SIZE);
    expect(plan.entry).toBe(REGION + 3 * PAGE_SIZE); // purgatory after the boot params
    expect(plan.segments.slice(3).every((s) => s.data === null)).toBe(true);
  });

  it('boots B through purgatory with exactly one kexec_jump_back_entry = A\'s re-entry', () => {
    const r = rig(a.bin, { inUse: 0x8000 });
    const res = kexec(['--load-preserve-context', 'b.elf', ...window, '--append=console=uart root=/dev/disk'], toolsFor(r, { 'b.elf': b.elf }));
    expect(res).toEqual({ status: 0, stdout: '', stderr: '' });
    r.machine.run(5_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    const mem = r.machine.memory;
    const seen = b.symbols.get('seen')!;
    expect(mem.read32(seen)).toBe(0);
    const bp = readBootParams(mem, mem.read32(seen + 4))!;
    const A = r.kexec.kernels.find((k) => k.name === 'A')!;
    expect(bp.commandLine).toBe(`console=uart root=/dev/disk kexec_jump_back_entry=0x${r.kexec.reentryOf(A).toString(16).padStart(8, '0')}`);
    expect(jumpBackEntry(bp.commandLine)).toBe(r.kexec.reentryOf(A));
    expect(bp.kernelEntry).toBe(REGION);
    expect([bp.memMin, bp.memMax]).toEqual([REGION, REGION + REGION_SIZE - 1]);
  });

  it('a plain kexec -l boot gets no jump-back entry (0 in ra)', () => {
    const r = rig(a.bin, { inUse: 0x8000 });
    expect(kexec(['-l', 'b.elf', '--append=quiet'], toolsFor(r, { 'b.elf': b.elf })).status).toBe(0);
    r.machine.run(5_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    const mem = r.machine.memory;
    expect(readBootParams(mem, mem.read32(b.symbols.get('seen')! + 4))!.commandLine).toBe('quiet');
  });

  it('stores the SHA-256 of the data segments in purgatory (node:crypto agrees), and purgatory verifies it on the CPU', () => {
    const purg = purgatoryCode();
    const plan = planImage(b.elf, {
      memMin: REGION, memMax: REGION + REGION_SIZE - 1, commandLine: 'x', preserve: true,
      ram: [[RAM_BASE, RAM_BASE + (4 * 1024 * 1024)]], purgatory: purg,
    });
    const p = plan.segments.find((s) => s.mem + purg.start === plan.entry)!;
    const dv = new DataView(p.data!.buffer, p.data!.byteOffset);
    const hash = createHash('sha256');
    let n = 0;
    for (const s of plan.segments) {
      if (s === p || !s.data) continue;
      expect([dv.getUint32(purg.regions + 8 * n, true), dv.getUint32(purg.regions + 8 * n + 4, true)]).toEqual([s.mem, s.memsz]);
      hash.update(s.data).update(new Uint8Array(s.memsz - s.data.length));
      n++;
    }
    expect(n).toBe(2); // B's pages and the boot params
    expect(dv.getUint32(purg.regions + 8 * n + 4, true)).toBe(0);
    expect(Buffer.from(p.data!.subarray(purg.digest, purg.digest + 32)).toString('hex')).toBe(hash.digest('hex'));
  });

  it('a segment clobbered after the load makes purgatory refuse: it spins at purgatory_sha256_failed', () => {
    const run = (clobber: boolean) => {
      const r = rig(a.bin, { inUse: 0x8000 });
      expect(kexec(['--load-preserve-context', 'b.elf', ...window, '--append=x'], toolsFor(r, { 'b.elf': b.elf })).status).toBe(0);
      const A = r.kexec.kernels.find((k) => k.name === 'A')!;
      const mem = r.machine.memory;
      let src = -1;
      walkEntries(mem, A.image!.head, (d, s) => { if (d === REGION) src = s; });
      if (clobber) mem.write8(src + 0x10, mem.read8(src + 0x10) ^ 0x01); // one bit of B's code
      r.machine.run(5_000_000);
      return { r, purgatoryAt: A.image!.start - purgatoryCode().start };
    };
    const good = run(false);
    expect(good.r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    const bad = run(true);
    expect(bad.r.machine.halted).toBeNull();
    expect(bad.r.machine.cpu.pc).toBe(bad.purgatoryAt + purgatoryCode().failed);
    expect(bad.r.machine.memory.read32(b.symbols.get('seen')! + 4)).toBe(0); // B never ran
  });

  it('refuses with kexec-tools\' messages', () => {
    const r = rig(a.bin, { inUse: 0x8000 });
    const env = toolsFor(r, { 'b.elf': b.elf });
    expect(kexec(['--load-preserve-context', 'b.elf'], env).stderr).toBe('Please specify memory range used by kexeced kernel(s) with --mem-max\n');
    expect(kexec(['-e'], env)).toEqual({ status: 1, stdout: '', stderr: 'Nothing has been loaded!\n' });
    expect(kexec(['--load-jump-back-helper'], env).stderr).toBe('Please specify jump back entry in command line\n');
    expect(kexec(['--load-jump-back-helper', '--entry=0x80001000'], env).status).toBe(0);
    expect(r.kexec.kernels[0].image!.segments).toEqual([{ buf: 0, bufsz: 0, mem: 0, memsz: 0 }]);
    expect(kexec(['--load-jump-back-helper', '--entry=0x80001000'], env).stderr).toBe('There is kexec kernel loaded, make sure you are in kexeced kernel.\n');
    expect(kexec(['-u'], env).status).toBe(0);
    expect(r.kexec.kernels[0].loaded).toBe(false);
    // a window over half of RAM: the kernel says EINVAL
    const big = kexec(['--load-preserve-context', 'b.elf', '--mem-min=0x80100000', '--mem-max=0x803fffff'], env);
    expect(big).toEqual({ status: 1, stdout: '', stderr: 'kexec_load failed: Invalid argument\n' });
    expect(kexec(['-l', 'b.elf', '--mem-min=0x80200000'], env).stderr).toBe(`Invalid memory segment 0x${REGION.toString(16)} - 0x${(REGION + 0x1fff).toString(16)}\n`);
    // -e after a round trip: reboot() returned 0, and kexec-tools calls that a failure
    expect(kexec(['-l', 'b.elf'], env).status).toBe(0);
    expect(kexec(['-e'], env)).toEqual({ status: 255, stdout: '', stderr: 'kexec failed: Success\n' });
  });

  it('-e --kjump-devices=save|skip hands reboot() the seed\'s KJUMP command; anything else is refused', () => {
    const r = rig(a.bin, { inUse: 0x8000 });
    const commands: number[] = [];
    const env = { ...toolsFor(r, { 'b.elf': b.elf }), exec: (command: number) => (commands.push(command), 0) };
    expect(kexec(['-l', 'b.elf', ...window], env).status).toBe(0);
    kexec(['-e'], env);
    kexec(['-e', '--kjump-devices=save'], env);
    kexec(['-e', '--kjump-devices', 'skip'], env);
    expect(commands).toEqual([0, KJUMP_CMD | KJUMP_SAVE_DEVICES, KJUMP_CMD | KJUMP_SKIP_DEVICES]);
    expect(kexec(['-e', '--kjump-devices=maybe'], env)).toEqual({
      status: 1, stdout: '', stderr: "--kjump-devices takes save or skip, not 'maybe'\n",
    });
    expect(commands).toHaveLength(3);
  });
});
