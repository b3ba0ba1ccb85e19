// One replay GIF per campaign level (reference solution, seed 0, default settings), written to
// test-artifacts/replays/ with a sizes.txt listing each file's bytes and frames: every one decodes
// to the frames recorded, changes between its first and last frame, and stays under 2 MB.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignFiles } from '../../src/level/campaign.ts';
import { encodeGif } from '../../src/render/replay/gif.ts';
import { recordRun } from '../../src/render/replay/recorder.ts';
import { decodeGif } from './gif-frames.ts';
import { referenceInput } from './replay-input.ts';

const OUT = new URL('../../test-artifacts/replays/', import.meta.url).pathname;
const MAX_BYTES = 2 * 1024 * 1024;
const names = campaignFiles().map((f) => basename(f, '.json'));

describe('a replay GIF of every campaign level', () => {
  const lines: string[] = [];

  it.each(names)('%s', (name) => {
    const { recording, result } = recordRun(referenceInput(name));
    const gif = encodeGif(recording);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, `${name}.gif`), gif.bytes);
    lines.push(`${name}.gif\t${gif.bytes.length} bytes\t${gif.frames} frames\t${gif.width}x${gif.height}\t${result.instructions} instructions`);
    expect(result.passed).toBe(true);
    expect(gif.bytes.length).toBeLessThan(MAX_BYTES);
    const decoded = decodeGif(gif.bytes);
    expect(decoded.pictures).toHaveLength(recording.frames.length);
    expect(Buffer.from(decoded.pictures[0]).equals(Buffer.from(decoded.pictures.at(-1)!))).toBe(false);
  }, 120_000);

  it('lists the files and their sizes in sizes.txt', () => {
    expect(lines).toHaveLength(names.length);
    writeFileSync(join(OUT, 'sizes.txt'), lines.sort().join('\n') + '\n');
  });
});
