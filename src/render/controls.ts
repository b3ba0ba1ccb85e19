// The control bar: play/pause, step, reset and the speed (instructions per frame), with keyboard
// shortcuts (space, s, r) and a status line for the frame statistics.
import { byId, setText } from './dom.ts';

export interface ControlHandlers {
  toggle(): void;
  step(): void;
  reset(): void;
  speed(instructionsPerFrame: number): void;
}

/** Instructions per frame the speed slider offers (about 60 frames a second). */
export const SPEEDS: readonly number[] = [1, 10, 100, 1_000, 5_000, 20_000, 50_000, 100_000, 250_000, 1_000_000];
export const DEFAULT_SPEED_INDEX = 7;

function speedLabel(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : `${n}`;
}

export class Controls {
  private readonly _play: HTMLButtonElement;
  private readonly _speedLabel: HTMLElement;
  private readonly _status: HTMLElement;

  constructor(handlers: ControlHandlers, root: Document = document) {
    this._play = byId<HTMLButtonElement>('btn-play', root);
    this._speedLabel = byId('speed-label', root);
    this._status = byId('stats', root);
    const speed = byId<HTMLInputElement>('speed', root);
    speed.max = String(SPEEDS.length - 1);
    speed.value = String(DEFAULT_SPEED_INDEX);
    const applySpeed = () => {
      const n = SPEEDS[Number(speed.value)] ?? SPEEDS[DEFAULT_SPEED_INDEX];
      setText(this._speedLabel, `${speedLabel(n)} instr/frame`);
      handlers.speed(n);
    };
    speed.addEventListener('input', applySpeed);
    applySpeed();
    this._play.addEventListener('click', () => handlers.toggle());
    byId('btn-step', root).addEventListener('click', () => handlers.step());
    byId('btn-reset', root).addEventListener('click', () => handlers.reset());
    root.addEventListener('keydown', (e) => {
      if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ' ') handlers.toggle();
      else if (e.key === 's') handlers.step();
      else if (e.key === 'r') handlers.reset();
      else return;
      e.preventDefault();
    });
  }

  setRunning(running: boolean): void {
    setText(this._play, running ? 'Pause' : 'Play');
    this._play.classList.toggle('running', running);
  }

  setStatus(text: string): void {
    setText(this._status, text);
  }
}
