// Browser entry of the demo page: picks the machine to show and starts the page.
import { startDemo } from './app.ts';
import { SyntheticTarget } from './synthetic-target.ts';

const params = new URLSearchParams(location.search);

startDemo(new SyntheticTarget(), { paused: params.has('paused') }).catch((err: unknown) => {
  const box = document.getElementById('fatal');
  if (box) {
    box.hidden = false;
    box.textContent = `The demo could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
  throw err;
});
