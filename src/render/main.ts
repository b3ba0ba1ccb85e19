// Browser entry: the game (levels played on the simulated board) by default; `?demo` shows the
// bare demo.S sweep instead (`?synthetic` its TypeScript stand-in). `?paused` starts paused,
// `?route=rgba` draws the map through the CPU-palette fallback.
import { startDemo } from './app.ts';
import type { DemoTarget } from './demo-target.ts';
import { DEMO_RAM_SIZE, DEMO_RESERVED_PAGES, DEMO_SOURCE } from './demo-program.ts';
import { startGame } from './game/game-app.ts';
import { MachineTarget } from './machine-target.ts';
import { SyntheticTarget } from './synthetic-target.ts';
import { installGameHook, installTestHook } from './test-hook.ts';
import { assemble } from '../os/asm/index.ts';
import { parseElf } from '../os/elf.ts';

const params = new URLSearchParams(location.search);

function demoTarget(): DemoTarget {
  if (params.has('synthetic')) return new SyntheticTarget();
  const { elf } = assemble(DEMO_SOURCE, { fileName: 'demo.S' });
  return new MachineTarget(parseElf(elf), {
    title: 'bare RV32 image demo.S, assembled in the browser',
    ramSize: DEMO_RAM_SIZE,
    kernelPages: DEMO_RESERVED_PAGES,
  });
}

async function start(): Promise<void> {
  const route = params.get('route') === 'rgba' ? 'rgba' : 'shader';
  if (params.has('demo') || params.has('synthetic')) {
    installTestHook(await startDemo(demoTarget(), { paused: params.has('paused'), route }));
    return;
  }
  installGameHook(await startGame({ paused: params.has('paused'), route }));
}

start().catch((err: unknown) => {
  const box = document.getElementById('fatal');
  if (box) {
    box.hidden = false;
    box.textContent = `The page could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
  throw err;
});
