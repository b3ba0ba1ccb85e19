// The control bar: play/pause, step one instruction, step to the next kexec event, reset and the
// speed (instructions per frame), with keyboard shortcuts shown on the buttons (space, s, n, r,
// [ and ]) and a status line for the frame statistics.
import { byId, setText } from './dom.ts';

export interface ControlHandlers {
  toggle(): void;
  step(): void;
  /** Run to the next kexec event (absent in the bare demo: the button is hidden). */
  next?(): void;
  reset(): void;
  /** The slider moved (`byUser` false: its first value, set at start-up). */
  speed(instructionsPerFrame: number, byUser: boolean): void;
  /** [ and ] (d = -1 / +1): return true when handled (the game's presets), else the slider moves. */
  nudgeSpeed?(d: number): boolean;
}

/** Instructions per frame the speed slider offers (about 60 frames a second). */
export const SPEEDS: readonly number[] = [1, 10, 100, 1_000, 5_000, 20_000, 50_000, 100_000, 250_000, 1_000_000];
export const DEFAULT_SPEED_INDEX = 7;

function speedLabel(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : `${n}`;
}

/** True when a key press belongs to a text field (the editor), not to the controls. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
    || (target instanceof HTMLElement && target.isContentEditable);
}

export class Controls {
  private readonly _play: HTMLButtonElement;
  private readonly _speedLabel: HTMLElement;
  private readonly _status: HTMLElement;

  constructor(handlers: ControlHandlers, root: Document = document, speedIndex = DEFAULT_SPEED_INDEX) {
    this._play = byId<HTMLButtonElement>('btn-play', root);
    this._speedLabel = byId('speed-label', root);
    this._status = byId('stats', root);
    const speed = byId<HTMLInputElement>('speed', root);
    speed.max = String(SPEEDS.length - 1);
    speed.value = String(speedIndex);
    const applySpeed = (byUser: boolean) => {
      const n = SPEEDS[Number(speed.value)] ?? SPEEDS[DEFAULT_SPEED_INDEX];
      setText(this._speedLabel, `${speedLabel(n)} instr/frame`);
      handlers.speed(n, byUser);
    };
    speed.addEventListener('input', () => applySpeed(true));
    applySpeed(false);
    const nudge = (d: number) => {
      if (handlers.nudgeSpeed?.(d)) return;
      speed.value = String(Math.max(0, Math.min(SPEEDS.length - 1, Number(speed.value) + d)));
      applySpeed(true);
    };
    this._play.addEventListener('click', () => handlers.toggle());
    byId('btn-step', root).addEventListener('click', () => handlers.step());
    byId('btn-reset', root).addEventListener('click', () => handlers.reset());
    const next = root.getElementById('btn-next');
    const onNext = handlers.next;
    if (next) {
      next.hidden = !onNext;
      if (onNext) next.addEventListener('click', () => onNext());
    }
    root.addEventListener('keydown', (e) => {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ' ') handlers.toggle();
      else if (e.key === 's') handlers.step();
      else if (e.key === 'n' && onNext) onNext();
      else if (e.key === 'r') handlers.reset();
      else if (e.key === '[') nudge(-1);
      else if (e.key === ']') nudge(1);
      else return;
      e.preventDefault();
    });
  }

  setRunning(running: boolean): void {
    setText((this._play.querySelector('.label') as HTMLElement | null) ?? this._play, running ? 'Pause' : 'Play');
    this._play.classList.toggle('running', running);
  }

  setStatus(text: string): void {
    setText(this._status, text);
  }
}
