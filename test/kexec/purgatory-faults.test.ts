// Faults F8 and F9 of kexec-linux.md §6.2 on a plain (non-preserving) kexec through purgatory,
// which reads `ra` (kexec-contract.md §6): F8, relocate.S clears neither the slot nor ra, so purgatory
// reads the stale return address of relocate.S's last `jal`; F9, purgatory's heuristic, turns
// ANY non-zero word into a jump-back entry. Both show as a ` kexec_jump_back_entry=` on a plain
// boot's command line (invariant 13 says none).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../src/sim/memory.ts';
import { jumpBackEntry, readBootParams } from '../../src/kexec/bootparams.ts';
import type { InjectedFault } from '../../src/kexec/faults.ts';
import { purgatoryCode } from '../../src/kexec/node.ts';
import { kexec } from '../../src/kexec/tools.ts';
import { build } from '../sim/build.ts';
import { rig, scribble } from './harness.ts';
import { JUMP_ONCE_A, REGION, seenBSource } from './programs.ts';

/** B: stores a0/a1 (hart id, boot params) and passes. */
const B = seenBSource();

/** A: one plain `kexec -e`, then fails (B should have passed). */
const A = JUMP_ONCE_A;

describe('plain kexec boots through purgatory with F8/F9 (kexec-linux.md §6.2)', () => {
  const b = build(B, { address: REGION });
  const a = build(A, { address: RAM_BASE });

  /** `kexec -l b.elf --append=quiet; kexec -e` with A's free RAM holding distinct stale words. */
  function boot(faults: InjectedFault[]): { cmdline: string; stale: number; kind: string; cp: number; code: Uint8Array; slot: number } {
    const r = rig(a.bin, { inUse: 0x8000 });
    scribble(r.machine.memory, 0x8000, 0x5a5a_0000);
    r.kexec.faults = faults;
    const A0 = r.kexec.kernels[0];
    const res = kexec(['-l', 'b.elf', '--append=quiet'], r.kexec.toolsEnv(A0, { readFile: () => b.elf, exec: () => 0, purgatory: purgatoryCode() }));
    expect(res.status).toBe(0);
    const mem = r.machine.memory;
    // The word where the slot goes (swap page + 4096 - 16): what A left in that free page.
    const stale = mem.read32(A0.image!.swapPage + 4096 - 16) >>> 0;
    const cp = A0.image!.controlPage;
    let kind = '';
    r.kexec.events.listen((e) => { if (e.type === 'jump') kind = e.kind; });
    r.machine.run(5_000_000);
    const slot = mem.read32(A0.image!.swapPage + 4096 - 16) >>> 0;
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    const bp = readBootParams(mem, mem.read32(b.symbols.get('seen')! + 4))!;
    return { cmdline: bp.commandLine, stale, kind, cp, code: r.kexec.options.relocate.bytes, slot };
  }

  it('without faults a plain boot gets no jump-back entry even over stale memory', () => {
    const { cmdline, stale, kind } = boot([]);
    expect(kind).toBe('reboot');
    expect(stale).not.toBe(0);
    expect(cmdline).toBe('quiet');
    expect(jumpBackEntry(cmdline)).toBeNull();
  });

  it('F8 nothing cleared: purgatory reads the stale ra (after relocate.S\'s last jal) and appends a spurious kexec_jump_back_entry', () => {
    const { cmdline, stale, kind, cp, code, slot } = boot([{ id: 'F8' }]);
    expect(kind).toBe('reboot');
    // Detection (invariant 13, second point): a plain boot must carry no jump-back entry.
    const entry = jumpBackEntry(cmdline);
    expect(entry).not.toBeNull();
    expect(cmdline).toBe(`quiet kexec_jump_back_entry=0x${entry!.toString(16).padStart(8, '0')}`);
    // The entry is a return address inside the dead kernel's control page: the word before it
    // is a `jal ra, ...` of the relocate code.
    expect(entry!).toBeGreaterThan(cp);
    expect(entry!).toBeLessThan(cp + code.length);
    const off = entry! - cp;
    const jal = (code[off - 4] | code[off - 3] << 8 | code[off - 2] << 16 | code[off - 1] << 24) >>> 0;
    expect(jal & 0xfff).toBe(0x0ef); // opcode JAL, rd = ra
    // And the slot was not written either: it still holds A's stale word.
    expect(slot).toBe(stale);
  });

  it('the same boot without F8 clears the slot (0 at sp)', () => {
    const { slot, stale } = boot([]);
    expect(stale).not.toBe(0);
    expect(slot).toBe(0);
  });

  it('F9 purgatory\'s heuristic: any non-zero word in the slot is appended, 0 is not', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (word) => {
      const { cmdline } = boot([{ id: 'F9', word }]);
      expect(jumpBackEntry(cmdline)).toBe(word === 0 ? null : word);
      expect(cmdline.startsWith('quiet')).toBe(true);
    }), { numRuns: 12, examples: [[0], [1], [0xffff_ffff]] });
  });
});
