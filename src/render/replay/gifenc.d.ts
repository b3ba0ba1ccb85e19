// Types for gifenc (the package ships none): only the parts the replay encoder uses.
declare module 'gifenc' {
  export type Colour = [number, number, number] | [number, number, number, number];
  export interface FrameOptions {
    palette?: Colour[];
    first?: boolean;
    transparent?: boolean;
    transparentIndex?: number;
    /** Milliseconds. */
    delay?: number;
    /** 0 = forever, -1 = once, n = n times. */
    repeat?: number;
    colorDepth?: number;
    /** GIF disposal method override (-1 = gifenc's default). */
    dispose?: number;
  }
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
  }
  export function GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): Encoder;
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' }): Colour[];
  export function nearestColorIndex(palette: Colour[], pixel: Colour): number;
  const gifenc: {
    GIFEncoder: typeof GIFEncoder;
    quantize: typeof quantize;
    nearestColorIndex: typeof nearestColorIndex;
  };
  export default gifenc;
}
