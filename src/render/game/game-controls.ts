// The game's control bar: Play/Pause, Step, Next kexec and Reset act on the run (RunControl);
// the speed presets (watch, fast, instant) and the expert slider set the pacer's rate.
import { Controls, SPEEDS } from '../controls.ts';
import { byId } from '../dom.ts';
import { idleText, type JumpView } from './jump-view.ts';
import type { Pacer } from './pacing.ts';
import type { RunControl } from './run-control.ts';
import type { KeyValue } from './share.ts';
import { SpeedPresets } from './speed-presets.ts';

export interface SpeedParts {
  readonly pacer: Pacer;
  /** Its idle line names the speed. */
  readonly jumpView: JumpView;
  /** Where the chosen preset is kept. */
  readonly store: KeyValue;
}

/** The slider's rate (instructions per frame) before the player moves it. */
const SLIDER_START = 5_000;

export function wireControls(run: RunControl, { pacer, jumpView, store }: SpeedParts): Controls {
  // The expert slider's rate, used when the speed is 'custom'.
  let customSpeed = SLIDER_START;
  const controls = new Controls({
    toggle: () => run.toggle(),
    step: () => run.step(),
    next: () => run.stepToKexec(),
    reset: () => run.reset(),
    speed(n, byUser) {
      customSpeed = n;
      if (byUser) presets.select('custom');
    },
    nudgeSpeed: (d) => presets.step(d),
  }, document, SPEEDS.indexOf(SLIDER_START));
  controls.setRunning(run.running);
  const presets = new SpeedPresets(byId('speed-presets'), byId('speed-custom'), store, (c) => {
    if (c === 'custom') pacer.setCustom(customSpeed);
    else pacer.setPreset(c);
    jumpView.idle = idleText(pacer.preset);
    run.rateChanged();
  });
  return controls;
}
