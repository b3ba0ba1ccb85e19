// `jumpback level ... --record out.gif`: records the run as it plays (the same run whose goals and
// hash the command prints) and writes the replay GIF atomically, never leaving a half-written file.
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { PlayOptions, PlayResult } from '../level/play.ts';
import type { Level } from '../level/schema.ts';
import { encodeGif, type EncodedReplay } from '../render/replay/gif.ts';
import { DEFAULT_REPLAY, finishRecording, ReplayRecorder } from '../render/replay/recorder.ts';

/** A file the replay cannot be written to; the message names it and the errno. */
export class RecordError extends Error {}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such folder', EACCES: 'permission denied', EPERM: 'operation not permitted', EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder', EROFS: 'read-only file system', ENOSPC: 'no space left on device',
};

function cannotWrite(path: string, e: unknown): RecordError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code ? `${code} (${ERRNO_TEXT[code] ?? 'error'})` : (e as Error).message;
  return new RecordError(`cannot write the replay to ${path}: ${why}`);
}

/** Refuses, before the run, a path the replay could not be written to (a missing or read-only folder, a folder). */
export function checkWritable(path: string): void {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    accessSync(dirname(path), constants.W_OK);
  } catch (e) {
    throw cannotWrite(path, e);
  }
}

/** Writes `bytes` to a temp file beside `path`, then renames it over `path` (removed again on failure). */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let made = false;
  try {
    const fd = openSync(temp, 'wx');
    made = true;
    try {
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    if (made) rmSync(temp, { force: true });
    throw cannotWrite(path, e);
  }
}

/** A recorder wired into a level run: pass `options` to the play, then `save` the result. */
export function startRecording(path: string): { options: Omit<PlayOptions, 'onFrame'>; onFrame: PlayOptions['onFrame']; save(level: Level, seed: number, result: PlayResult): EncodedReplay } {
  checkWritable(path);
  const recorder = new ReplayRecorder(DEFAULT_REPLAY);
  return {
    options: { sliceInstructions: DEFAULT_REPLAY.every, watch: (sim, world) => recorder.watch(sim, world) },
    onFrame: (f) => recorder.onFrame(f),
    save(level, seed, result) {
      const gif = encodeGif(finishRecording(recorder, level, seed, result), DEFAULT_REPLAY);
      writeFileAtomic(path, gif.bytes);
      return gif;
    },
  };
}
