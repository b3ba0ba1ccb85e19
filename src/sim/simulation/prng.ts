// The seeded PRNG behind every random choice of a run (fault targets, noise): SplitMix32, small,
// fast and the same in node and the browser. Same seed, same sequence.

export class Prng {
  private _state: number;

  constructor(seed: number) {
    this._state = seed >>> 0;
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

  /** Fills `bytes` with noise. */
  fill(bytes: Uint8Array): void {
    const words = Math.floor(bytes.length / 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < words; i++) view.setUint32(i * 4, this.nextU32(), true);
    for (let i = words * 4; i < bytes.length; i++) bytes[i] = this.nextU32() & 0xff;
  }
}
