#!/usr/bin/env node
// The `jumpback` command: runs the TypeScript CLI through tsx so no build step is needed.
import { register } from 'tsx/esm/api';

// A reader that goes away (`jumpback run X | head -c 20`) ends the command quietly with the status
// a SIGPIPE gives (128 + 13), as other Unix tools end; any other stream error stays an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
