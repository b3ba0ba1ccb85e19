// The control-page layout is written down three times — abi.ts (TypeScript), relocate.S's `.equ`s
// (offsets from the data area) and the table in docs/kexec-contract.md §4 — and they must agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/kexec/abi.ts';
import { FAULT_BITS } from '../../src/kexec/faults.ts';
import { kexecSource } from '../../src/kexec/node.ts';
import { assemble } from '../../src/os/asm/index.ts';

/** abi.ts's control-page offsets by name: every CP_* and KCALL_* number that is not an offset excluded. */
const NOT_OFFSETS = new Set(['KCALL_ARGS_MAX', 'KCALL_MAGIC']);
const abiOffsets = new Map<string, number>();
for (const [name, value] of Object.entries(abi)) {
  if (typeof value === 'number' && /^(CP_|KCALL_)/.test(name) && !NOT_OFFSETS.has(name)) abiOffsets.set(name, value);
}
/** Words only the firmware (TypeScript) reads or writes, so relocate.S has no `.equ` for them. */
const FIRMWARE_ONLY = new Set(['CP_PA_CONTROL_PAGE', 'CP_RESUME_PC', 'KCALL_MAGIC_OFF', 'KCALL_ARGC']);

/** relocate.S's `.equ` values, from our assembler's symbol table. */
function relocateEqus(): Map<string, number> {
  const source = kexecSource('relocate.S');
  const out = assemble(source, { fileName: 'relocate.S' });
  const names = [...source.matchAll(/^\s*\.equ\s+(\w+)\s*,/gm)].map((m) => m[1]!);
  expect(names.length).toBeGreaterThan(10);
  return new Map(names.map((n) => {
    const v = out.symbols.get(n);
    if (v === undefined) throw new Error(`our assembler reports no value for relocate.S's ${n}`);
    return [n, v];
  }));
}

describe('control-page layout', () => {
  it("relocate.S's data-area offsets are abi.ts's, less the data area's start", () => {
    const equs = relocateEqus();
    expect(equs.get('DATA')).toBe(abi.CP_DATA);
    const asmOffsets = [...equs].filter(([n]) => /^(CP_|KCALL_)/.test(n));
    for (const [name, value] of asmOffsets) {
      expect(abiOffsets.get(name), `abi.ts's ${name}`).toBe(abi.CP_DATA + value);
    }
    // Every abi.ts offset relocate.S should know (it is not firmware-only) is one of its .equs.
    const expected = [...abiOffsets.keys()].filter((n) => !FIRMWARE_ONLY.has(n) && n !== 'CP_DATA').sort();
    expect(asmOffsets.map(([n]) => n).sort()).toEqual(expected);
    // The firmware-only words are really not used by relocate.S.
    for (const n of FIRMWARE_ONLY) expect(equs.has(n), n).toBe(false);
  });

  it("relocate.S's fault bits and preserve mask are faults.ts's and abi.ts's", () => {
    const equs = relocateEqus();
    const asmFaults = [...equs].filter(([n]) => n.startsWith('FAULT_'));
    expect(asmFaults.length).toBeGreaterThan(0);
    for (const [name, value] of asmFaults) {
      const id = name.slice('FAULT_'.length) as keyof typeof FAULT_BITS;
      expect(FAULT_BITS[id], name).toBe(value);
    }
    expect(equs.get('PRESERVE_MASK')).toBe(abi.KEXEC_PRESERVE_CONTEXT | abi.KEXEC_PRESERVE_CPU);
  });

  it("kexec-contract.md §4's table lists abi.ts's contract offsets", () => {
    const doc = readFileSync(new URL('../../docs/kexec-contract.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## 4. The control page'), doc.indexOf('## 5.'));
    const rows = [...section.matchAll(/^\| (0x[0-9a-f]+)(?:–(0x[0-9a-f]+))? \| (.+) \|$/gim)]
      .map((m) => ({ from: Number(m[1]), to: m[2] ? Number(m[2]) : undefined, field: m[3]!.toLowerCase() }));
    // What each contract offset's row must say (the internal words after CP_FLAGS are not in the table).
    const fields: [number, string][] = [
      [abi.CP_SAVED_SP, 'saved sp'], [abi.CP_SAVED_SATP, 'saved satp'], [abi.CP_SAVED_SSTATUS, 'saved sstatus'],
      [abi.CP_SAVED_STVEC, 'saved stvec'], [abi.CP_SAVED_SSCRATCH, 'saved sscratch'], [abi.CP_SAVED_SEPC, 'saved sepc'],
      [abi.CP_SAVED_SIE, 'saved sie'], [abi.CP_PA_CONTROL_PAGE, 'control page'], [abi.CP_PA_SWAP_PAGE, 'swap page'],
      [abi.CP_HEAD, 'head'], [abi.CP_FLAGS, 'flags'], [abi.KCALL_MAGIC_OFF, 'kcall_magic'], [abi.KCALL_ARGC, 'kcall_argc'],
      [abi.KCALL_ARGS, 'kcall_args'], [abi.KCALL_ENTRY, 'kcall_entry'], [abi.KCALL_ENTRY + 4, 'stack'],
    ];
    expect(rows.map((r) => r.from)).toEqual(fields.map(([o]) => o));
    rows.forEach((r, i) => expect(r.field, `row ${r.from.toString(16)}`).toContain(fields[i]![1]));
    expect(section).toContain(`0x${abi.KCALL_MAGIC.toString(16).toUpperCase()}`);
    const args = rows.find((r) => r.from === abi.KCALL_ARGS)!;
    expect(args.to).toBe(abi.KCALL_ARGS + 4 * (abi.KCALL_ARGS_MAX - 1));
    expect(args.field).toContain(`[0..${abi.KCALL_ARGS_MAX - 1}]`);
    expect(rows.at(-1)!.to).toBe(0xfff);
  });

  it('every data-area offset the kexec docs mention is one of abi.ts\'s', () => {
    const known = new Set<number>(abiOffsets.values());
    for (const name of ['kexec.md', 'kexec-contract.md']) {
      const doc = readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
      const mentioned = [...doc.matchAll(/\b0x([89a][0-9a-f]{2})\b/gi)].map((m) => Number.parseInt(m[1]!, 16));
      expect(mentioned.length, name).toBeGreaterThan(0);
      for (const off of mentioned) {
        // Inside KCALL_ARGS[], or the first stack word after KCALL_ENTRY (the table's last row).
        const ok = known.has(off) || (off > abi.KCALL_ARGS && off < abi.KCALL_ARGS + 4 * abi.KCALL_ARGS_MAX)
          || off === abi.KCALL_ENTRY + 4;
        expect(ok, `${name} mentions data-area offset 0x${off.toString(16)}, which abi.ts does not define`).toBe(true);
      }
    }
  });
});
