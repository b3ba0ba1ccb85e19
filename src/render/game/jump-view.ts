// What the page says while kexec works on the map: labels on the pages relocate.S uses (control
// page, swap page, the backup it swaps, the destination) and a strip above the map naming the jump
// in progress with its progress and a Skip button (Enter), or the load the page holds still for.
import type { LevelWorld } from '../../level/world.ts';
import type { MapCamera } from '../map-camera.ts';
import { el, setText } from '../dom.ts';
import { MapCallouts, type Callout } from './map-callouts.ts';
import type { Pacer, SpeedPreset } from './pacing.ts';
import { FOCUS_COLOURS, type SwapOverlay } from './swap-overlay.ts';
import type { OwnerBook } from './owner-book.ts';

/** What the strip says between kexec events at each speed (null: custom). */
export function idleText(preset: SpeedPreset | null): string {
  if (preset?.id === 'watch') return 'Each kexec jump plays here, its page swaps pair by pair (about a second; Enter skips one)';
  if (preset?.id === 'fast') return 'Jumps go by quickly at this speed; "watch" follows each swap pair by pair';
  return 'Jumps are not slowed down at this speed; "watch" shows each one pair by pair';
}

const css = (c: number): string => `#${c.toString(16).padStart(6, '0')}`;

/**
 * True when Enter belongs to the focused element (a field, a link, a button outside the playback
 * controls), not to the page. The playback buttons keep focus after a click, and Enter there skips.
 */
function ownsEnter(target: EventTarget | null): boolean {
  if (target instanceof HTMLButtonElement) return target.closest('.controls, .map-status') === null;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
    || target instanceof HTMLAnchorElement || (target instanceof HTMLElement && (target.isContentEditable || target.closest('.cm-editor') !== null));
}

export interface JumpViewState {
  pacer: Pacer;
  swap: SwapOverlay;
  owners: OwnerBook;
  world: LevelWorld;
  camera: MapCamera;
  /** The map canvas's size in CSS pixels. */
  width: number;
  height: number;
}

export class JumpView {
  readonly callouts: MapCallouts;
  private readonly _title: HTMLElement;
  private readonly _bar: HTMLElement;
  private readonly _fill: HTMLElement;
  private readonly _skip: HTMLButtonElement;
  private _idle = '';

  /** `strip`: the line above the map; `map`: the map's host (labels go over its canvas). */
  constructor(private readonly _strip: HTMLElement, map: HTMLElement, onSkip: () => boolean, root: Document = document) {
    this.callouts = new MapCallouts(map);
    this._title = el('span', 'map-status-title');
    this._bar = el('span', 'map-status-bar');
    this._fill = el('span', 'map-status-fill');
    this._bar.append(this._fill);
    this._skip = el('button', 'map-status-skip', 'Skip');
    this._skip.append(el('kbd', '', 'Enter'));
    this._skip.title = 'Run the rest of this jump at full speed (Enter)';
    this._skip.addEventListener('click', () => onSkip());
    _strip.replaceChildren(this._title, this._bar, this._skip);
    root.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.altKey || ownsEnter(e.target)) return;
      if (onSkip()) e.preventDefault();
    });
    this._show('', false);
  }

  /** What the strip says between kexec events ("A runs", "the run ended"...). */
  set idle(text: string) {
    this._idle = text;
  }

  /** The strip's text now (tests). */
  get text(): string {
    return this._title.textContent ?? '';
  }

  /** Once per frame. */
  update(s: JumpViewState): void {
    const { pacer, swap, owners, world } = s;
    const os = (kernel: string): string => owners.osName(kernel);
    const jump = pacer.jump;
    const holding = pacer.holding;
    // The image relocate.S works through: the jumper's, or (jumping back with no pages of its own) the resumed kernel's.
    const kernel = jump ? (jump.pairsOut > 0 || jump.kind === 'call' ? jump.from : jump.to) : holding ? pacer.holdKernel : undefined;
    const focus = swap.focus(kernel);
    if (focus) {
      const owner = os(focus.kernel);
      const loaded = world.imageOsOf(focus.kernel);
      const calls: Callout[] = [];
      if (focus.control >= 0) calls.push({ pfn: focus.control, text: 'control page', colour: css(FOCUS_COLOURS.control) });
      if (focus.swap >= 0) calls.push({ pfn: focus.swap, text: 'swap page', colour: css(FOCUS_COLOURS.swap) });
      const swapping = focus.active || jump !== null;
      if (focus.source >= 0) {
        calls.push({ pfn: focus.source, text: swapping ? `${owner}'s backup (source)` : loaded ? `source (${loaded}'s image)` : 'source (the new image)', colour: css(FOCUS_COLOURS.source) });
      }
      if (focus.dest >= 0) calls.push({ pfn: focus.dest, text: 'destination', colour: css(FOCUS_COLOURS.dest) });
      this.callouts.show(calls, s.camera, s.width, s.height);
    } else this.callouts.hide();

    if (jump) {
      const target = jump.kind === 'call' ? (world.imageOsOf(jump.from) ?? os(jump.to)) : os(jump.to);
      const pairs = jump.pairsOut + jump.pairsBack;
      const verb = jump.kind === 'reboot' ? 'reboot' : jump.kind;
      const what = jump.kind === 'reboot' ? `copying ${plural(jump.pairsOut, 'page')}` : `swapping ${plural(pairs, 'page pair')}`;
      this._show(`${verb} ${os(jump.from)} → ${target} · ${what}`, !jump.skipped);
      this._fill.style.width = `${(pacer.progress(world.machine.cpu.instret) * 100).toFixed(1)}%`;
    } else if (holding) {
      const loader = os(pacer.holdKernel);
      const loaded = world.imageOsOf(pacer.holdKernel);
      this._show(`${loader} loaded ${loaded ?? 'an image'}: its control page, swap page and source pages are in place`, true);
      this._fill.style.width = '0%';
    } else this._show(this._idle, false);
  }

  private _show(text: string, skippable: boolean): void {
    setText(this._title, text);
    this._strip.classList.toggle('busy', skippable || this._title.textContent !== this._idle);
    this._bar.hidden = !skippable;
    this._skip.hidden = !skippable;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
