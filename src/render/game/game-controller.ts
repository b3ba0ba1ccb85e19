// The game page's controller: which level is shown (with its editor, consoles and goals), the run
// of it (RunControl), and the parts around them (map, swap animation, pacing, timeline, level
// select, tutorial). Opening a level, Run, Reset and the end of a run go through here; the editor's
// buttons (solution-actions.ts) and what comes from outside the page (level-inbox.ts) call in.
import { LevelInputError, parseSolution, prepareRun } from '../../level/play.ts';
import { describe as describeGoal } from '../../level/goals.ts';
import type { Level, Problem } from '../../level/schema.ts';
import type { LevelWorld, LevelWorldInput } from '../../level/world.ts';
import type { Controls } from '../controls.ts';
import { byId, setText } from '../dom.ts';
import { bundledAssets, bundledFiles } from './bundle.ts';
import type { CampaignLevel } from './campaign.ts';
import { OsConsoles } from './consoles.ts';
import type { OpenedFile } from './custom-level.ts';
import { Editor } from './editor.ts';
import { wireControls } from './game-controls.ts';
import { GameFrame, type ShownPanels } from './game-frame.ts';
import { GoalsPanel } from './goals-panel.ts';
import { JumpView } from './jump-view.ts';
import { LevelInbox } from './level-inbox.ts';
import { LevelSelect, levelTitle } from './level-select.ts';
import type { MapView } from './map-view.ts';
import type { Notice } from './notice.ts';
import { Onboarding } from './onboarding.ts';
import { OwnerBook } from './owner-book.ts';
import { Pacer } from './pacing.ts';
import { plural } from './problem-text.ts';
import { RunControl } from './run-control.ts';
import { RunObserver } from './run-observer.ts';
import { renderIdle, renderScore } from './score-panel.ts';
import type { LevelSession } from './session.ts';
import { emptySolution, keepPreviousDraft, loadDraft, saveDraft, writeHash, type KeyValue, type Progress, type SolutionJson } from './share.ts';
import { wireSolutionActions } from './solution-actions.ts';
import { wireReplayExport } from '../replay/export-button.ts';
import { SwapOverlay } from './swap-overlay.ts';
import type { Tabs } from './tabs.ts';
import { Timeline, type TimelineEntry } from './timeline.ts';
import { TimelinePanel } from './timeline-panel.ts';

/** What startGame prepared before the controller takes over. */
export interface GameSetup {
  readonly levels: readonly CampaignLevel[];
  readonly store: KeyValue;
  readonly progress: Progress;
  readonly view: MapView;
  /** Owner names by id, shared with the map (refilled in place as kernels appear). */
  readonly ownerNames: string[];
  readonly tabs: Tabs;
  readonly notices: Notice;
  /** Play at once (false: the page starts paused). */
  readonly running: boolean;
}

/** The level shown and the panels made for it. */
interface ShownLevel extends ShownPanels {
  readonly current: CampaignLevel;
  /** Where its drafts and progress are kept (share.ts STORAGE_KEYS). */
  readonly key: string;
  readonly editor: Editor;
  /** The level with its own defaults: what runs while the draft has problems. */
  readonly defaults: LevelWorldInput;
}

/** Where drafts and progress of a level are kept: a level opened from outside never mixes with the campaign's. */
const keyOf = (l: CampaignLevel): string => (l.custom ? `custom:${l.level.id}` : l.level.id);

/** Problems of a draft for `level`: the schema's, the editor's rules, assembly (empty when it runs). */
function check(level: Level, draft: SolutionJson): Problem[] {
  try {
    prepareRun(level, parseSolution(draft, level), bundledFiles, bundledAssets(), 0);
    return [];
  } catch (e) {
    if (e instanceof LevelInputError) return e.problems;
    return [{ path: '$', message: (e as Error).message }];
  }
}

function goalLabels(level: Level): Array<{ id: string; met: boolean; label: string }> {
  return level.goals.map((g) => ({ id: g.id, met: false, label: g.label ?? describeGoal(g) }));
}

/** The game; startGame hands it out as the page's `Game`. */
export class GameController {
  readonly levels: readonly CampaignLevel[];
  readonly view: MapView;
  readonly owners = new OwnerBook();
  readonly timeline: Timeline;
  readonly swap: SwapOverlay;
  readonly pacer = new Pacer();
  readonly jumpView: JumpView;
  readonly onboarding: Onboarding;
  readonly store: KeyValue;
  readonly progress: Progress;
  readonly notices: Notice;
  readonly tabs: Tabs;
  /** Links, files and drops from outside the page. */
  readonly inbox: LevelInbox;
  frames = 0;
  private readonly _ownerNames: string[];
  private readonly _timelinePanel: TimelinePanel;
  private readonly _select: LevelSelect;
  private readonly _observer: RunObserver;
  private readonly _run: RunControl;
  private readonly _controls: Controls;
  private _shown: ShownLevel;

  /** Builds the page around `setup` and shows `start`. */
  constructor(setup: GameSetup, start: CampaignLevel) {
    ({ levels: this.levels, view: this.view, store: this.store, progress: this.progress, tabs: this.tabs, notices: this.notices, ownerNames: this._ownerNames } = setup);
    this.timeline = new Timeline(this.owners, (kernel) => this._observer.world?.imageOsOf(kernel));
    this.swap = new SwapOverlay(this.view.map.layout);
    this.view.addLayer(this.swap.view);
    this.jumpView = new JumpView(byId('map-status'), byId('map'), () => this.pacer.skip());
    this._timelinePanel = new TimelinePanel(byId('timeline'), this.timeline, (e) => this._rewindTo(e), (e) => this._run.session.checkpointFor(e.index) >= 0);
    this._select = this._levelSelect();
    this.onboarding = this._newOnboarding();
    byId('btn-reference').addEventListener('click', () => this.onboarding.glossary.open());
    this._observer = new RunObserver({
      owners: this.owners, timeline: this.timeline, swap: this.swap, pacer: this.pacer, onboarding: this.onboarding, view: this.view,
      consoles: () => this._shown.consoles,
      replaying: () => this._run.replaying,
      cutSlice: (world) => this._run.cutSlice(world),
    });
    this._run = this._newRunControl(setup.running);
    this._controls = wireControls(this._run, { pacer: this.pacer, jumpView: this.jumpView, store: this.store });
    wireSolutionActions(this);
    wireReplayExport(() => this._run.session.input, (text, kind) => this.notices.set(text, kind));
    this.inbox = new LevelInbox(this);
    this._shown = this._present(start);
    this._startShown();
  }

  get current(): CampaignLevel {
    return this._shown.current;
  }

  get session(): LevelSession {
    return this._run.session;
  }

  get consoles(): OsConsoles {
    return this._shown.consoles;
  }

  get editor(): Editor {
    return this._shown.editor;
  }

  get running(): boolean {
    return this._run.running;
  }

  set running(running: boolean) {
    this._run.setRunning(running);
  }

  /** The storage key of the level shown (its drafts, its progress). */
  get storageKey(): string {
    return this._shown.key;
  }

  /** Draws every animation frame from now on. */
  startFrames(): void {
    new GameFrame({
      view: this.view, swap: this.swap, pacer: this.pacer, onboarding: this.onboarding, jumpView: this.jumpView, owners: this.owners,
      timelinePanel: this._timelinePanel, ownerNames: this._ownerNames, observer: this._observer, run: this._run,
      shown: () => this._shown,
      runEnded: (world) => this._runEnded(world),
      drawn: () => void this.frames++,
    }).start();
  }

  open(name: string, incoming?: unknown): void {
    const found = this.findLevel(name);
    if (!found) {
      this.notices.set(`There is no level '${name}'.`, 'error');
      return;
    }
    this.show(found, incoming);
  }

  /** The campaign level named `name` (file name or id). */
  findLevel(name: string | null): CampaignLevel | undefined {
    return this.levels.find((l) => l.name === name || l.level.id === name);
  }

  openFiles(files: readonly OpenedFile[]): Promise<boolean> {
    return this.inbox.openFiles(files);
  }

  /** Restarts the level with the editor's draft; returns false (and says why) when it has errors. */
  run(): boolean {
    const { editor, level } = this._shown;
    const problems = editor.validate();
    if (problems.length > 0) {
      this.notices.set(`Fix ${plural(Math.max(editor.listed, problems.length), 'problem')} in the solution first (shown under the fields).`, 'error');
      this.tabs.show('editor');
      return false;
    }
    this._run.runNew(prepareRun(level, parseSolution(editor.draft(), level), bundledFiles, bundledAssets(), 0));
    this.notices.set('Running your solution.');
    return true;
  }

  reset(): void {
    this._run.reset();
  }

  stepToKexec(): void {
    this._run.stepToKexec();
  }

  notice(): string {
    return this.notices.text;
  }

  /** The URL hash naming the level shown (the campaign's by name, an opened one carried whole), with `solution`. */
  link(solution: SolutionJson | null, l: CampaignLevel = this.current): string {
    return writeHash(l.custom ? { data: l.custom.data } : l.name, solution);
  }

  /**
   * Makes `target` the level being played (the campaign's or one opened from outside), with an
   * incoming solution named `from` in the notice ("the shared solution", "solution from FILE").
   */
  show(target: CampaignLevel, incoming?: unknown, opened = '', from = 'the shared solution', verb = 'Loaded'): void {
    this._shown = this._present(target, incoming, opened, from, verb);
    this._startShown();
  }

  /** Reads an incoming solution for `level` (hash, upload); null + a notice when it is unusable. */
  accept(json: unknown, source: string, level: Level = this.current.level): SolutionJson | null {
    try {
      parseSolution(json, level, source);
      return json as SolutionJson;
    } catch (e) {
      const msg = e instanceof LevelInputError ? e.problems.map((p) => `${p.path}: ${p.message}`).join('; ') : (e as Error).message;
      this.notices.set(`${source} was not loaded (${msg}); your solution is unchanged.`, 'error');
      return null;
    }
  }

  /** Builds `target`'s panels around its draft (or the incoming solution, which then becomes the draft). */
  private _present(target: CampaignLevel, incoming?: unknown, opened = '', from = 'the shared solution', verb = 'Loaded'): ShownLevel {
    const { level } = target;
    const key = keyOf(target);
    this.notices.set(opened);
    let draft = loadDraft(this.store, key) ?? emptySolution(level.id);
    if (incoming !== undefined) {
      const ok = this.accept(incoming, from, level);
      if (ok) {
        const kept = keepPreviousDraft(this.store, key);
        draft = ok;
        saveDraft(this.store, key, ok);
        this.notices.set(`${opened}${verb} ${from}${kept ? '; the draft it replaced is kept (Restore).' : '.'}`);
      }
    }
    setText(byId('level-title'), target.custom ? `${level.title} (opened from ${target.custom.source})` : levelTitle(target));
    this.onboarding.levelShown(target);
    const consoles = new OsConsoles(byId('consoles'), level.oses);
    const editor = new Editor(byId('editor'), level, draft, {
      changed: (d) => saveDraft(this.store, key, d),
      check: (d) => check(level, d),
    });
    const defaults = prepareRun(level, null, bundledFiles, bundledAssets(), 0);
    const goals = new GoalsPanel(byId('goals'), goalLabels(level));
    this._select.refresh(target.custom ? null : target.name);
    history.replaceState(null, '', this.link(null, target));
    return { current: target, level, key, consoles, editor, goals, defaults };
  }

  /** Runs the level shown: the draft when it has no problems, else the level's defaults (and says so). */
  private _startShown(): void {
    const { editor, level, defaults } = this._shown;
    if (editor.problems.length === 0) this._run.start(prepareRun(level, parseSolution(editor.draft(), level), bundledFiles, bundledAssets(), 0));
    else {
      this._run.start(defaults);
      this.notices.set('The solution in the editor has problems (see the fields): running the level\'s defaults until you fix them.', 'error');
    }
    this.tabs.show('editor');
  }

  private _rewindTo(e: TimelineEntry): void {
    try {
      if (!this._run.rewindTo(e.index)) this.notices.set('That moment has no checkpoint yet.');
    } catch (err) {
      this.notices.set(`Rewind failed: ${(err as Error).message}`, 'error');
    }
  }

  /** The run ended by itself: score it, record a pass, and show the score (or why it failed, next to the editor). */
  private _runEnded(world: LevelWorld): void {
    const { current, key } = this._shown;
    this._run.ended();
    // A level without goals (the sandbox) passes vacuously but is never solved.
    const passed = world.goals.passed && current.level.goals.length > 0;
    const score = world.score();
    if (passed) this.progress.record(key, score);
    this.onboarding.ended(passed, score);
    renderScore(byId('score'), current.level, score, passed, this.progress.solved(key), world.runEnd);
    this._select.refresh(current.custom ? null : current.name);
    const end = [...this._run.session.sim.log].reverse().find((e) => e.type === 'end');
    if (end?.type === 'end' && end.detail) {
      // A trap loop or the trap limit: the player's code is at fault, so say why next to it.
      this.notices.set(`The run ended (${end.reason}): ${end.detail}.`, 'error');
      this.tabs.show('editor');
    } else this.tabs.show('score');
  }

  private _levelSelect(): LevelSelect {
    const locked = (l: CampaignLevel, before: CampaignLevel | undefined): void => {
      this.notices.set(`${levelTitle(l)} is locked: solve ${before ? levelTitle(before) : 'the level before it'} first, or tick "open all levels".`, 'error');
      this.tabs.show('editor');
    };
    return new LevelSelect(byId('levels'), byId('campaign'), this.levels, this.progress, (l) => this.open(l.name), locked, this.store, byId<HTMLInputElement>('open-all'));
  }

  private _newOnboarding(): Onboarding {
    return new Onboarding({
      mapHost: byId('map'), briefing: byId('briefing'), levels: this.levels, select: this._select, view: this.view, owners: this.owners,
      open: (name) => this.open(name),
      memory: () => this._run.session.world.machine.memory,
      pause: () => this._run.pause(),
      play: () => this._run.play(),
    });
  }

  private _newRunControl(running: boolean): RunControl {
    return new RunControl(running, {
      listener: this._observer,
      rate: () => this.pacer.rate(),
      starting: () => this._shown.consoles.clear(),
      started: () => {
        renderIdle(byId('score'), 'The score appears here when the run ends.');
        this.onboarding.runStarted();
      },
      runningChanged: (r) => this._controls.setRunning(r),
      rewound: (session) => this.pacer.replay(session.sim.log), // rewound to a jump: playing on paces its swap
    });
  }
}
