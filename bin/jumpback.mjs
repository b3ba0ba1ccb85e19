#!/usr/bin/env node
// The `jumpback` command: runs the prebuilt CLI bundle (build/cli/, see bundle.mjs), which starts in
// a fraction of the time tsx needs to compile src/ on every run.
//
// A bundle older than any of its sources (src/ edited since the last build) is rebuilt first, once,
// with esbuild (a fraction of a second), so what runs is always the code on disk and the tests that
// spawn this file test the same path users run. If it cannot be rebuilt (a read-only install, a
// syntax error somewhere in src/), the sources run through tsx instead: slow, but never stale, and
// tsx reports an error only in the modules the verb actually loads.
import { buildBundle, freshBundle, mapBundleStacks } from './bundle.mjs';

// A reader that goes away (`jumpback run X | head -c 20`) ends the command quietly with the status
// a SIGPIPE gives (128 + 13), as other Unix tools end; any other stream error stays an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}

let entry = freshBundle();
if (entry === null) entry = await buildBundle().catch(() => null);

let main;
if (entry !== null) {
  mapBundleStacks(); // stack traces name src/*.ts lines, not the bundle's
  ({ main } = await import(entry));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
