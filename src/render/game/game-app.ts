// The game page's composition root: level select and campaign progress, the briefing and live
// goals, the player's editor, the memory map with kexec swaps animated, per-OS consoles, the CPU,
// the kexec timeline and the controls (game-controller.ts), all driven by one LevelSession
// (Simulation on rAF) that a RunControl plays, pauses and resets.
import { prepareRun } from '../../level/play.ts';
import type { LevelWorldInput } from '../../level/world.ts';
import { PhysicalMemory } from '../../sim/memory.ts';
import { byId } from '../dom.ts';
import type { MapRoute } from '../memory-map.ts';
import { BriefingToggle } from './briefing.ts';
import { bundledAssets, bundledCampaign, bundledFiles } from './bundle.ts';
import type { CampaignLevel } from './campaign.ts';
import type { OsConsoles } from './consoles.ts';
import type { OpenedFile } from './custom-level.ts';
import type { Editor } from './editor.ts';
import { GameController } from './game-controller.ts';
import type { JumpView } from './jump-view.ts';
import { MapView } from './map-view.ts';
import { Notice } from './notice.ts';
import type { Onboarding } from './onboarding.ts';
import type { OwnerBook } from './owner-book.ts';
import type { Pacer } from './pacing.ts';
import type { LevelSession } from './session.ts';
import { browserStorage, Progress, readHash } from './share.ts';
import type { SwapOverlay } from './swap-overlay.ts';
import { wireTabs } from './tabs.ts';
import type { Timeline } from './timeline.ts';

export interface GameOptions {
  route?: MapRoute;
  paused?: boolean;
}

/** What tests and the console reach through `window.__jumpback.game`. */
export interface Game {
  readonly view: MapView;
  readonly levels: readonly CampaignLevel[];
  readonly current: CampaignLevel;
  readonly session: LevelSession;
  readonly consoles: OsConsoles;
  readonly timeline: Timeline;
  readonly swap: SwapOverlay;
  readonly editor: Editor;
  readonly owners: OwnerBook;
  /** The tutorial callouts, the glossary and the success banner. */
  readonly onboarding: Onboarding;
  readonly pacer: Pacer;
  readonly jumpView: JumpView;
  running: boolean;
  frames: number;
  /** Opens a level by file name ("01-first-jump"), with an optional incoming solution. */
  open(name: string, incoming?: unknown): void;
  /**
   * Opens files from outside the page (the "Open level…" input, a drop): a level file, with a
   * solution for it if one is among them, or solutions alone for the current level. False (and a
   * notice) when nothing could be opened; the current level then stays.
   */
  openFiles(files: readonly OpenedFile[]): Promise<boolean>;
  /** Applies the editor's draft: restarts the level with it (false when it has errors). */
  run(): boolean;
  reset(): void;
  stepToKexec(): void;
  /** The message shown under the editor actions (upload/hash errors, share links). */
  notice(): string;
}

export async function startGame(options: GameOptions = {}): Promise<Game> {
  document.body.classList.add('mode-game');
  const levels = bundledCampaign();
  if (levels.length === 0) throw new Error('no levels in the bundle');
  const store = browserStorage();
  const ownerNames: string[] = ['nobody'];
  const tabs = wireTabs(byId('left-tabs'));
  new BriefingToggle(byId('briefing'), byId<HTMLButtonElement>('briefing-more'));
  const notices = new Notice(byId('editor-notice'));

  // A throwaway run of the first level gives the map its first memory.
  const first = prepareRun(levels[0].level, null, bundledFiles, bundledAssets(), 0);
  const view = await MapView.create(byId('map'), byId('map-tip'), newMemoryOf(first), options.route ?? 'shader', ownerNames);

  // First level: the URL's, else the first unsolved one.
  const h = readHash(location.hash);
  const progress = new Progress(store);
  const start = levels.find((l) => l.name === h.level || l.level.id === h.level) ?? levels.find((l) => !progress.solved(l.level.id)) ?? levels[0];
  const game = new GameController({ levels, store, progress, view, ownerNames, tabs, notices, running: !options.paused }, start);
  if (h.solution !== null || h.levelData !== null) game.inbox.fromHash(h);
  game.startFrames();
  return game;
}

/** A blank memory of the level's RAM size: the map's first source until the first run replaces it. */
function newMemoryOf(input: LevelWorldInput): PhysicalMemory {
  return new PhysicalMemory(input.level.machine.ramMiB * 1024 * 1024);
}
