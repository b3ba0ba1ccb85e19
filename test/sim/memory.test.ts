// PhysicalMemory's page bookkeeping: metaGeneration follows the generation through owner/role
// changes alone and parts from it for good at the first write (the intact check's "never written").
import { describe, expect, it } from 'vitest';
import { PhysicalMemory, RAM_BASE } from '../../src/sim/memory.ts';

describe('PhysicalMemory page generations', () => {
  it('metaGeneration equals the generation until something writes the page', () => {
    const mem = new PhysicalMemory(1 << 20);
    mem.setPageInfo(3, 1, 1);
    mem.setPageInfo(3, 2, 1);
    expect(mem.generation[3]).toBe(2);
    expect(mem.metaGeneration[3]).toBe(mem.generation[3]);
    mem.write32(RAM_BASE + 3 * 4096 + 8, 7);
    mem.setPageInfo(3, 1, 1);
    expect(mem.generation[3]).toBe(4);
    expect(mem.metaGeneration[3]).not.toBe(mem.generation[3]);
    mem.writeBytes(RAM_BASE + 5 * 4096, new Uint8Array([1]));
    mem.touch(6 * 4096, 1);
    expect(mem.metaGeneration[5]).not.toBe(mem.generation[5]);
    expect(mem.metaGeneration[6]).not.toBe(mem.generation[6]);
    expect(mem.metaGeneration[7]).toBe(mem.generation[7]);
  });

  it('past 65536 owner/role changes the 16-bit metaGeneration wraps and the page counts as written (never the reverse)', () => {
    const mem = new PhysicalMemory(1 << 20);
    for (let i = 0; i < 65_536; i++) mem.setPageInfo(9, 1 + (i & 1), 1);
    expect(mem.generation[9]).toBe(65_536);
    expect(mem.metaGeneration[9]).not.toBe(mem.generation[9]);
    for (let i = 0; i < 70_000; i++) mem.setPageInfo(9, 1 + (i & 1), 1);
    expect(mem.metaGeneration[9]).not.toBe(mem.generation[9]);
  });
});
