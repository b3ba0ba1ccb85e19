// The files the browser bundle carries (src/cli/serve.ts gameFiles), as a LevelFiles reader for
// node tests: what a level opened in the page can read, no more.
import { gameFiles } from '../../src/cli/serve.ts';
import type { LevelFiles } from '../../src/level/images.ts';

export function bundledLikeFiles(): LevelFiles {
  const files = gameFiles();
  const enc = new TextEncoder();
  return { read: (path) => (Object.hasOwn(files, path) ? enc.encode(files[path]) : undefined) };
}
