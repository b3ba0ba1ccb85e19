// The machine as compiled regions see it (cpu-jit.ts's BlockEnv): the hart they call back into,
// the registers, and typed views of RAM and of the code cache's tables, made once per CPU.
import type { CodeCache } from './cpu-cache.ts';
import type { BlockEnv, BlockHost } from './cpu-jit.ts';
import type { PhysicalMemory } from './memory.ts';

/**
 * A class rather than an object literal: with a literal, building a second machine made V8 throw
 * away every region's optimized code (a dependency on the literal's allocation site), so each
 * process paid for optimizing all its regions twice.
 */
class Env implements BlockEnv {
  constructor(
    readonly host: BlockHost, readonly x: Int32Array, readonly memSize: number, readonly m32: Int32Array,
    readonly m16s: Int16Array, readonly m16u: Uint16Array, readonly m8s: Int8Array, readonly m8u: Uint8Array,
    readonly dv: DataView, readonly generation: Uint32Array, readonly slotOf: Uint8Array,
    readonly codeWords: Int32Array, readonly validGen: Uint32Array,
  ) {}
}

/** The environment for the regions of `host`, whose registers are `x`, over `memory` and `cache`. */
export function blockEnv(host: BlockHost, x: Int32Array, memory: PhysicalMemory, cache: CodeCache): BlockEnv {
  const buf = memory.buffer;
  return new Env(host, x, memory.size, memory.i32, new Int16Array(buf), new Uint16Array(buf),
    new Int8Array(buf), memory.u8, memory.view, memory.generation, cache.slotOf, cache.codeWords,
    cache.validGen);
}
