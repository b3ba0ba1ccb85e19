// Reads an animated GIF back as the pictures a viewer shows (omggif, each frame blitted over the
// one before as its disposal says): what the replay tests compare.
import { GifReader } from 'omggif';

export interface GifPictures {
  width: number;
  height: number;
  /** Delay of each frame in milliseconds. */
  delays: number[];
  /** One RGBA picture per frame, after compositing over the frames before. */
  pictures: Uint8Array[];
  /** Loop count from the NETSCAPE block (0 = forever), or null when the GIF does not loop. */
  loops: number | null;
}

export function decodeGif(bytes: Uint8Array): GifPictures {
  const reader = new GifReader(Buffer.from(bytes));
  const { width, height } = reader;
  const canvas = new Uint8Array(width * height * 4);
  const pictures: Uint8Array[] = [];
  const delays: number[] = [];
  for (let i = 0; i < reader.numFrames(); i++) {
    const info = reader.frameInfo(i);
    // Our frames only use disposal 1 ("leave in place"): each one draws over the last picture.
    if (info.disposal !== 1) throw new Error(`frame ${i}: disposal ${info.disposal}, expected 1`);
    reader.decodeAndBlitFrameRGBA(i, canvas);
    pictures.push(canvas.slice());
    delays.push(info.delay * 10);
  }
  return { width, height, delays, pictures, loops: reader.loopCount() };
}

/** 0xRRGGBB of picture pixel (x, y). */
export function rgbAt(g: GifPictures, picture: number, x: number, y: number): number {
  const p = g.pictures[picture];
  const i = (y * g.width + x) * 4;
  return (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
}
