// The seeded PRNG behind every random choice of a run (fault targets, noise): SplitMix32, small,
// fast and the same in node and the browser. Same seed, same sequence.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class Prng {
  private _state: number;

  constructor(seed: number) {
    this._state = seed >>> 0;
  }

  /** The generator's state: where a {@link fill} started, for {@link Prng.fillWord}. */
  get state(): number {
    return this._state;
  }

  /**
   * Word `w` of a {@link fill} that started at state `start`, as an Int32Array over the filled
   * bytes reads it on this host: computed alone (SplitMix32 reaches any step directly).
   */
  static fillWord(start: number, w: number): number {
    let z = (start + Math.imul(w + 1, 0x9e3779b9)) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return LITTLE_ENDIAN ? z : ((z << 24) | ((z & 0xff00) << 8) | ((z >>> 8) & 0xff00) | (z >>> 24));
  }

  /** The next 32-bit unsigned value. */
  nextU32(): number {
    this._state = (this._state + 0x9e3779b9) >>> 0;
    let z = this._state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.nextU32() % n;
  }

  /** Fills `bytes` with noise: each 32-bit value little-endian, then one value per trailing byte. */
  fill(bytes: Uint8Array): void {
    const words = Math.floor(bytes.length / 4);
    if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
      // A word view writes the same bytes as DataView little-endian stores, several times faster.
      // nextU32 inlined, on int32 values (same bits; no unsigned numbers for V8 to box): several
      // times faster over 16 MiB.
      const i32 = new Int32Array(bytes.buffer, bytes.byteOffset, words);
      let state = this._state | 0;
      for (let i = 0; i < words; i++) {
        state = (state + 0x9e3779b9) | 0;
        let z = state;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
        i32[i] = z ^ (z >>> 16);
      }
      this._state = state >>> 0;
    } else {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < words; i++) view.setUint32(i * 4, this.nextU32(), true);
    }
    for (let i = words * 4; i < bytes.length; i++) bytes[i] = this.nextU32() & 0xff;
  }
}
