// What the simulator holds beside the RAM itself, per 4 KiB page of RAM: the page metadata arrays
// and the code cache. Typed arrays are counted exactly (byteLength); the code cache's JS objects
// are estimated with V8's 64-bit layouts (a header of 3 words, a word per field or element).
// The compiled region functions themselves are shared by every machine in the process (one per
// distinct code, see cpu-jit.ts); they are reported apart, as source characters.
import { functionCacheStats } from './cpu-jit.ts';
import type { Machine } from './machine.ts';

const WORD = 8;
const OBJECT_HEADER = 3 * WORD;

export interface Footprint {
  /** Bytes per page of RAM held by this machine beyond the RAM. */
  perPage: number;
  /** Bytes of typed arrays (exact). */
  arrays: number;
  /** Bytes of code-cache objects (estimated). */
  objects: number;
  /** Pages holding compiled code, and regions. */
  codePages: number;
  regions: number;
}

/** This machine's footprint beyond its RAM. */
export function footprint(machine: Machine): Footprint {
  const mem = machine.memory;
  const cache = machine.cpu.cache;
  let arrays = mem.owner.byteLength + mem.role.byteLength + mem.generation.byteLength + mem.metaGeneration.byteLength +
    cache.slotOf.byteLength + cache.codeWords.byteLength + cache.validGen.byteLength + cache.hits.byteLength;
  let objects = OBJECT_HEADER + WORD * (cache.capacity + 1); // the slots array
  let codePages = 0;
  const regions = new Set<object>();
  for (const page of cache.slots) {
    if (page === undefined) continue;
    codePages++;
    arrays += page.startOf.byteLength;
    objects += OBJECT_HEADER + 4 * WORD + OBJECT_HEADER + WORD * page.regions.length;
    for (const region of page.regions) {
      regions.add(region);
      objects += OBJECT_HEADER + 3 * WORD + OBJECT_HEADER + WORD * region.entries.length;
    }
  }
  return { perPage: (arrays + objects) / mem.pageCount, arrays, objects, codePages, regions: regions.size };
}

/** The compiled functions shared by every machine in this process: count and source characters. */
export function sharedCodeCache(): { entries: number; chars: number } {
  return functionCacheStats();
}
