// RV32IM decoding shared by the block compiler and the plain interpreter: which words the fast paths
// handle, the immediates, and the 64-bit multiply halves (exact, without BigInt).

/** 0: must go to `execSystem` (SYSTEM, FENCE.I, illegal); 1: straight-line; 2: ends a block (jump/branch). */
export function classify(ins: number): 0 | 1 | 2 {
  const op = ins & 0x7f;
  const f3 = (ins >>> 12) & 7;
  const f7 = ins >>> 25;
  switch (op) {
    case 0x37: case 0x17: return 1; // LUI, AUIPC
    case 0x6f: return 2; // JAL
    case 0x67: return f3 === 0 ? 2 : 0; // JALR
    case 0x63: return f3 === 2 || f3 === 3 ? 0 : 2;
    case 0x03: return f3 === 3 || f3 >= 6 ? 0 : 1;
    case 0x23: return f3 <= 2 ? 1 : 0;
    case 0x13:
      if (f3 === 1) return f7 === 0 ? 1 : 0;
      if (f3 === 5) return f7 === 0 || f7 === 0x20 ? 1 : 0;
      return 1;
    case 0x33:
      if (f7 === 0 || f7 === 1) return 1;
      return f7 === 0x20 && (f3 === 0 || f3 === 5) ? 1 : 0;
    case 0x0f: return f3 === 0 ? 1 : 0; // FENCE is a no-op here; FENCE.I goes to execSystem
    default: return 0;
  }
}

/** JAL's byte offset. */
export function immJ(ins: number): number {
  return ((ins >> 31) << 20) | (((ins >>> 12) & 255) << 12) | (((ins >>> 20) & 1) << 11) |
    (((ins >>> 21) & 1023) << 1);
}

/** A conditional branch's byte offset. */
export function immB(ins: number): number {
  return ((ins >> 31) << 12) | (((ins >>> 7) & 1) << 11) | (((ins >>> 25) & 63) << 5) | (((ins >>> 8) & 15) << 1);
}

/** A store's byte offset. */
export function immS(ins: number): number {
  return ((ins >> 25) << 5) | ((ins >>> 7) & 31);
}

/**
 * Whether execution can go on at the next word after this SYSTEM/FENCE.I word retires (CSR access,
 * ecall returning from the firmware, wfi, fence.i, sfence.vma), so that word starts a block.
 */
export function fallsThrough(ins: number): boolean {
  const op = ins & 0x7f;
  if (op === 0x0f) return true;
  if (op !== 0x73) return false;
  if (((ins >>> 12) & 7) !== 0) return true; // CSR instructions
  return ins === 0x0000_0073 || ins === 0x1050_0073 || ins >>> 25 === 0x09;
}

/** High 32 bits of the unsigned 64-bit product (exact, no BigInt). */
export function mulhu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lo = al * bl, m1 = ah * bl, m2 = al * bh;
  const carry = ((lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  return (ah * bh + (m1 >>> 16) + (m2 >>> 16) + carry) | 0;
}
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}
