// OsImages: every toy OS assembles with our assembler, and moves to any page-aligned base
// because its code is position independent: GNU ld linking it at another base gives the same
// bytes (the golden check that no absolute address slipped into a source).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseElf } from '../../../src/os/elf.ts';
import { OS_NAMES, OsImages, mapReader } from '../../../src/os/images.ts';
import { RAM_BASE } from '../../../src/sim/memory.ts';
import { GNU_BUILD, GCC, GCC_FLAGS, linkScriptAt, needTools, NM, OBJCOPY } from '../../gnu/tools.ts';
import { images } from './rig.ts';

const ASSETS = fileURLToPath(new URL('../../../assets/os/', import.meta.url));
const OTHER_BASE = 0x80345000;

describe('toy OS images', () => {
  it.each(OS_NAMES)('%s assembles, starts at its base, and moves to another base', (name) => {
    const a = images.get(name);
    expect(a.base).toBe(RAM_BASE);
    expect(a.entry).toBe(RAM_BASE);
    expect(a.size).toBeGreaterThanOrEqual(a.bytes.length);
    const b = images.get(name, OTHER_BASE);
    expect(b.bytes).toBe(a.bytes);
    expect(b.entry).toBe(OTHER_BASE);
    const elf = parseElf(b.elf);
    expect(elf.entry).toBe(OTHER_BASE);
    expect(elf.segments).toHaveLength(1);
    expect(elf.segments[0]).toMatchObject({ paddr: OTHER_BASE, vaddr: OTHER_BASE, memsz: a.size });
    expect(elf.segments[0].data).toEqual(a.bytes);
    expect(b.symbols.get('_start')).toBe(OTHER_BASE);
    // constants stay constants
    if (name !== 'firmware') expect(b.symbols.get('PAGE_SIZE')).toBe(4096);
    expect(images.get(name, OTHER_BASE)).toBe(b); // cached
  });

  it('refuses an unaligned base and reports a missing source', () => {
    expect(() => images.get('counter', RAM_BASE + 0x10)).toThrow(/not page aligned/);
    expect(() => new OsImages(() => undefined).get('life')).toThrow(/life\.S not found/);
  });

  it('builds from an in-memory map of sources (the browser bundle\'s way)', () => {
    const files: Record<string, string> = {};
    for (const f of ['firmware.S', 'counter.S', 'include/sbi.inc', 'include/kernel.inc', 'include/console.inc', 'include/cmdline.inc', 'include/trap.inc']) {
      files[f] = readFileSync(ASSETS + f, 'utf8');
    }
    const m = new OsImages(mapReader(files));
    expect(m.get('counter').bytes).toEqual(images.get('counter').bytes);
    expect(m.get('firmware').bytes).toEqual(images.get('firmware').bytes);
  });

  const gnu = needTools('the GNU position-independence check', GNU_BUILD);
  const dir = gnu ? mkdtempSync(path.join(tmpdir(), 'toy-pic-')) : '';
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  it.skipIf(!gnu).each(OS_NAMES)('%s is position independent: GNU ld at another base gives the same bytes', (name) => {
    const ld = path.join(dir, 'link.ld');
    writeFileSync(ld, linkScriptAt(OTHER_BASE));
    const elf = path.join(dir, `${name}.elf`);
    const cc = spawnSync(GCC, [...GCC_FLAGS, '-T', ld, '-o', elf, `${name}.S`], { cwd: ASSETS, encoding: 'utf8' });
    expect(cc.stderr).toBe('');
    spawnSync(OBJCOPY, ['-O', 'binary', elf, `${elf}.bin`]);
    expect(new Uint8Array(readFileSync(`${elf}.bin`))).toEqual(images.get(name).bytes);
    const nm = spawnSync(NM, [elf], { encoding: 'utf8' }).stdout;
    const moved = images.get(name, OTHER_BASE).symbols;
    for (const line of nm.split('\n')) {
      const m = /^([0-9a-f]+) [tTdDbBrR] (\w+)$/.exec(line);
      if (m) expect(moved.get(m[2]), m[2]).toBe(parseInt(m[1], 16));
    }
  });
});
