// What teaches a new player, wired to the game in one place: the tutorial level's callouts, the
// glossary (linked briefing terms, tooltips, the Reference dialog) and the success banner with
// "Next level →". game-controller.ts calls these hooks at its moments (a level shown, a run started, an
// event, a frame, the end of a run) and stays unaware of the details.
import type { PhysicalMemory } from '../../sim/memory.ts';
import type { SimEvent } from '../../level/events.ts';
import type { Score } from '../../level/world.ts';
import type { CampaignLevel } from './campaign.ts';
import { Glossary, renderWithTerms } from './glossary.ts';
import { levelTitle, type LevelSelect } from './level-select.ts';
import type { MapView } from './map-view.ts';
import { SuccessBanner } from './success.ts';
import type { OwnerBook } from './owner-book.ts';
import { momentOf, Tutorial, type TutorialHost } from './tutorial.ts';

export interface OnboardingHost {
  /** The map panel (callouts and the banner are laid over it). */
  readonly mapHost: HTMLElement;
  readonly view: MapView;
  readonly owners: OwnerBook;
  readonly briefing: HTMLElement;
  readonly levels: readonly CampaignLevel[];
  readonly select: LevelSelect;
  /** The live run's memory (a restart or rewind replaces it). */
  memory(): PhysicalMemory;
  open(name: string): void;
  pause(): void;
  play(): void;
}

/** The tutorial's view of the game: pages found in the live memory, cells on the map's camera. */
function tutorialHost(host: OnboardingHost): TutorialHost {
  return {
    findPages(role, os) {
      const m = host.memory();
      const owner = os === undefined ? -1 : host.owners.ownerOfOs(os);
      const out: number[] = [];
      for (let p = 0; p < m.pageCount; p++) if (m.role[p] === role && (owner < 0 || m.owner[p] === owner)) out.push(p);
      return out;
    },
    cellOf(pfn) {
      const { camera } = host.view.map;
      const c = camera.cellCentre(pfn);
      return { x: c.x, y: c.y, size: camera.scale };
    },
    pause: () => host.pause(),
    play: () => host.play(),
  };
}

export class Onboarding {
  readonly glossary = new Glossary();
  readonly success: SuccessBanner;
  private _tutorial: Tutorial | null = null;
  private _level: CampaignLevel | null = null;

  constructor(private readonly _host: OnboardingHost) {
    this.success = new SuccessBanner(_host.mapHost, () => {
      const next = this._next();
      if (next) _host.open(next.name);
    });
  }

  /** The tutorial of the level shown, if it has one. */
  get tutorial(): Tutorial | null {
    return this._tutorial;
  }

  /** A level is now the one played: its briefing with linked terms, its tutorial (if any). */
  levelShown(level: CampaignLevel): void {
    this._level = level;
    this.success.hide();
    renderWithTerms(this._host.briefing, level.level.briefing);
    this._tutorial?.dispose();
    const steps = level.level.tutorial;
    this._tutorial = steps ? new Tutorial(this._host.mapHost, steps, tutorialHost(this._host), renderWithTerms) : null;
  }

  /** A run starts from power-on (open, Run, Reset): the tour starts over. */
  runStarted(): void {
    this.success.hide();
    this._tutorial?.begin();
  }

  /** An event of the live run (not of a rewind's replay). */
  event(e: SimEvent): void {
    const tutorial = this._tutorial;
    const m = tutorial ? momentOf(e) : null;
    if (tutorial && m) tutorial.reached(m);
  }

  frame(): void {
    this._tutorial?.update();
  }

  /**
   * A run ended. Call before the level select refreshes (it says whether the next level was locked
   * until now).
   */
  ended(passed: boolean, score: Score): void {
    const level = this._level;
    if (!passed || !level) return;
    const next = this._next();
    this.success.show({
      title: levelTitle(level),
      score,
      par: level.level.par,
      next: next ? { title: levelTitle(next), unlocked: !this._host.select.isOpen(next.name) } : null,
      last: !level.custom && this._host.levels[this._host.levels.length - 1] === level,
      bug: level.level.bug,
    });
  }

  /** The campaign level after the one shown (none for a level opened from outside). */
  private _next(): CampaignLevel | null {
    const level = this._level;
    if (!level || level.custom) return null;
    const i = this._host.levels.indexOf(level);
    return i >= 0 ? (this._host.levels[i + 1] ?? null) : null;
  }
}
