// The game's first speed control: preset buttons (watch / fast / instant) and a "custom" toggle
// that reveals the raw instructions-per-frame slider for experts. The choice is remembered;
// [ and ] move between the presets (and nudge the slider while custom is on).
import { el } from '../dom.ts';
import { DEFAULT_PRESET, PRESETS, type PresetId } from './pacing.ts';
import { STORAGE_KEYS, type KeyValue } from './share.ts';

export type SpeedChoice = PresetId | 'custom';

const CHOICES: readonly SpeedChoice[] = [...PRESETS.map((p) => p.id), 'custom'];

export class SpeedPresets {
  private readonly _buttons = new Map<SpeedChoice, HTMLButtonElement>();
  private _choice: SpeedChoice;

  /**
   * `root`: where the buttons go; `slider`: the raw slider's label (shown only for custom);
   * `changed`: called with every choice made (and once now with the remembered one).
   */
  constructor(root: HTMLElement, private readonly _slider: HTMLElement, private readonly _store: KeyValue, private readonly _changed: (c: SpeedChoice) => void) {
    root.replaceChildren();
    root.setAttribute('role', 'radiogroup');
    for (const id of CHOICES) {
      const preset = PRESETS.find((p) => p.id === id);
      const b = el('button', 'preset', preset?.label ?? 'custom');
      b.dataset.speed = id;
      b.setAttribute('role', 'radio');
      b.title = preset ? `${preset.title} ([ slower, ] faster)` : 'Set the instructions per frame yourself (no slowing down at jumps)';
      b.addEventListener('click', () => this.select(id));
      root.append(b);
      this._buttons.set(id, b);
    }
    const saved = _store.getItem(STORAGE_KEYS.speed);
    this._choice = CHOICES.includes(saved as SpeedChoice) ? (saved as SpeedChoice) : DEFAULT_PRESET;
    this._apply();
  }

  get choice(): SpeedChoice {
    return this._choice;
  }

  select(c: SpeedChoice): void {
    this._choice = c;
    this._store.setItem(STORAGE_KEYS.speed, c);
    this._apply();
  }

  /** [ / ]: the previous / next preset. False while custom is on (the slider takes the key). */
  step(d: number): boolean {
    if (this._choice === 'custom') return false;
    const i = PRESETS.findIndex((p) => p.id === this._choice);
    const next = PRESETS[Math.max(0, Math.min(PRESETS.length - 1, i + d))];
    if (next.id !== this._choice) this.select(next.id);
    return true;
  }

  private _apply(): void {
    for (const [id, b] of this._buttons) {
      b.classList.toggle('active', id === this._choice);
      b.setAttribute('aria-checked', String(id === this._choice));
    }
    this._slider.hidden = this._choice !== 'custom';
    this._changed(this._choice);
  }
}
