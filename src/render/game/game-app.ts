// The game page's composition root: level select and campaign progress, the briefing and live
// goals, the player's editor, the memory map with kexec swaps animated, per-OS consoles, the CPU,
// the kexec timeline and the controls, all driven by one LevelSession (Simulation on rAF).
import { LevelInputError, parseSolution, prepareRun } from '../../sim/level/play.ts';
import type { Level, Problem } from '../../sim/level/schema.ts';
import type { LevelWorld, LevelWorldInput } from '../../sim/level/world.ts';
import type { SimEvent } from '../../sim/simulation/events.ts';
import { Controls, SPEEDS } from '../controls.ts';
import { CpuPanel } from '../cpu-panel.ts';
import { byId, el, setText } from '../dom.ts';
import { renderLegend } from '../legend.ts';
import type { MapRoute } from '../memory-map.ts';
import { PagePanel } from '../page-panel.ts';
import { bundledAssets, bundledCampaign, bundledFiles } from './bundle.ts';
import type { CampaignLevel } from './campaign.ts';
import { OsConsoles } from './consoles.ts';
import { Editor } from './editor.ts';
import { GoalsPanel } from './goals-panel.ts';
import { LevelSelect } from './level-select.ts';
import { MapView } from './map-view.ts';
import { renderIdle, renderScore } from './score-panel.ts';
import { LevelSession } from './session.ts';
import {
  browserStorage, decodeSolution, loadDraft, parseJsonText, Progress, readHash, saveDraft, writeHash, type SolutionJson,
} from './share.ts';
import { SwapOverlay } from './swap-overlay.ts';
import { OwnerBook, Timeline, type TimelineEntry } from './timeline.ts';
import { wireTabs, type Tabs } from './tabs.ts';
import { TimelinePanel } from './timeline-panel.ts';
import { describe as describeGoal } from '../../sim/level/goals.ts';
import { PhysicalMemory } from '../../sim/memory.ts';

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
  running: boolean;
  frames: number;
  /** Opens a level by file name ("01-first-jump"), with an optional incoming solution. */
  open(name: string, incoming?: unknown): void;
  /** Applies the editor's draft: restarts the level with it (false when it has errors). */
  run(): boolean;
  reset(): void;
  stepToKexec(): void;
  /** The message shown under the editor actions (upload/hash errors, share links). */
  notice(): string;
}

const EMPTY_SOLUTION = (level: Level): SolutionJson => ({ schema: 1, level: level.id, values: {} });

export async function startGame(options: GameOptions = {}): Promise<Game> {
  document.body.classList.add('mode-game');
  const levels = bundledCampaign();
  if (levels.length === 0) throw new Error('no levels in the bundle');
  const store = browserStorage();
  const progress = new Progress(store);
  const owners = new OwnerBook();
  const ownerNames: string[] = ['nobody'];
  const timeline = new Timeline(owners);
  const tabs: Tabs = wireTabs(byId('left-tabs'));
  const noticeBox = byId('editor-notice');
  const setNotice = (text: string, kind: 'error' | 'info' = 'info'): void => {
    setText(noticeBox, text);
    noticeBox.className = `notice ${text ? kind : ''}`;
  };

  let current = levels[0];
  let session: LevelSession;
  let editor: Editor;
  let consoles: OsConsoles;
  let goals: GoalsPanel;
  let liveWorld: LevelWorld | null = null;
  let replaying = false;
  let ownersDirty = true;
  let ended = false;
  let running = !options.paused;
  let suppressHash = false;

  // A throwaway run of the first level gives the map its first memory.
  const first = prepareRun(current.level, null, bundledFiles, bundledAssets(), 0);
  const view = await MapView.create(byId('map'), byId('map-tip'), newMemoryOf(first), options.route ?? 'shader', ownerNames);
  const swap = new SwapOverlay(view.map.layout);
  view.addLayer(swap.view);
  const cpuPanel = new CpuPanel(byId('cpu'));
  let pagePanel = new PagePanel(byId('page-info'), byId('hex-title'), byId('hex'), view.memory, ownerNames);
  const timelinePanel = new TimelinePanel(byId('timeline'), timeline, (e) => rewindTo(e), (e) => session.checkpointFor(e.index) >= 0);
  const select = new LevelSelect(byId('levels'), byId('campaign'), levels, progress, (l) => open(l.name));

  const listener = {
    restart(world: LevelWorld): void {
      liveWorld = world;
      owners.clear();
      timeline.clear();
      consoles?.clear();
      swap.clear();
      ownersDirty = true;
      ended = false;
    },
    event(e: SimEvent, cycle: number, index: number): void {
      if (owners.observe(e)) ownersDirty = true;
      timeline.add(e, cycle, index);
      const w = liveWorld!;
      if (e.type === 'console') consoles.write(e.os, e.text);
      else if (e.type === 'script') consoles.write(e.os, `$ ${e.step}\n${e.output}`, true);
      else if (e.type === 'fault') consoles.write(e.os, `[fault ${e.fault}: ${e.detail}]\n`, true);
      else if (e.type === 'kexec') {
        const k = e.event;
        if (k.type === 'load' || k.type === 'unload' || k.type === 'jump' || k.type === 'return') swap.refresh(w);
        if (!replaying && view.memory === w.machine.memory) {
          if (k.type === 'jump') swap.sweep(w, k.from, view.map.tracker.codes, performance.now());
          if (k.type === 'return') swap.sweep(w, k.kernel, view.map.tracker.codes, performance.now());
        }
      }
    },
  };

  const check = (draft: SolutionJson): Problem[] => {
    try {
      const sol = parseSolution(draft, current.level);
      prepareRun(current.level, sol, bundledFiles, bundledAssets(), 0);
      return [];
    } catch (e) {
      if (e instanceof LevelInputError) return e.problems;
      return [{ path: '$', message: (e as Error).message }];
    }
  };

  const startRun = (input: LevelWorldInput): void => {
    session?.dispose();
    consoles.clear();
    session = new LevelSession(input, listener);
    session.instructionsPerFrame = speed;
    renderIdle(byId('score'), 'The score appears here when the run ends.');
    if (running) session.sim.play();
  };

  /** Restarts the level with the editor's draft; returns false (and says why) when it has errors. */
  const run = (): boolean => {
    const problems = editor.validate();
    if (problems.length > 0) {
      setNotice(`Fix ${problems.length} problem(s) in the solution first (shown under the fields).`, 'error');
      tabs.show('editor');
      return false;
    }
    const sol = parseSolution(editor.draft(), current.level);
    startRun(prepareRun(current.level, sol, bundledFiles, bundledAssets(), 0));
    setNotice('Running your solution.');
    return true;
  };

  /** Reads an incoming solution (hash, upload); null + a notice when it is unusable. */
  const accept = (json: unknown, source: string): SolutionJson | null => {
    try {
      parseSolution(json, current.level, source);
      return json as SolutionJson;
    } catch (e) {
      const msg = e instanceof LevelInputError ? e.problems.map((p) => `${p.path}: ${p.message}`).join('; ') : (e as Error).message;
      setNotice(`${source} was not loaded (${msg}); your solution is unchanged.`, 'error');
      return null;
    }
  };

  const open = (name: string, incoming?: unknown): void => {
    const found = levels.find((l) => l.name === name || l.level.id === name);
    if (!found) {
      setNotice(`There is no level '${name}'.`, 'error');
      return;
    }
    current = found;
    const { level } = current;
    setNotice('');
    let draft = loadDraft(store, level.id) ?? EMPTY_SOLUTION(level);
    if (incoming !== undefined) {
      const ok = accept(incoming, 'the shared solution');
      if (ok) {
        const previous = loadDraft(store, level.id);
        if (previous) store.setItem(`jumpback.solution.${level.id}.previous`, JSON.stringify(previous));
        draft = ok;
        saveDraft(store, level.id, ok);
        setNotice(previous ? 'Loaded the shared solution; your previous draft is kept (Restore).' : 'Loaded the shared solution.');
      }
    }
    setText(byId('level-title'), `${level.order}. ${level.title}`);
    setText(byId('briefing'), level.briefing);
    consoles = new OsConsoles(byId('consoles'), level.oses);
    editor = new Editor(byId('editor'), level, draft, {
      changed: (d) => saveDraft(store, level.id, d),
      check,
    });
    const probe = prepareRun(level, null, bundledFiles, bundledAssets(), 0);
    goals = new GoalsPanel(byId('goals'), goalLabels(level));
    select.refresh(current.name);
    suppressHash = true;
    history.replaceState(null, '', writeHash(current.name, null));
    suppressHash = false;
    if (editor.problems.length === 0) startRun(prepareRun(level, parseSolution(editor.draft(), level), bundledFiles, bundledAssets(), 0));
    else {
      startRun(probe);
      setNotice('Your saved solution has problems (see the fields): running the level\'s defaults until you fix them.', 'error');
    }
    tabs.show('editor');
  };

  const rewindTo = (e: TimelineEntry): void => {
    pause();
    replaying = true;
    try {
      if (!session.rewindToEvent(e.index)) setNotice('That moment has no checkpoint yet.');
    } catch (err) {
      setNotice(`Rewind failed: ${(err as Error).message}`, 'error');
    } finally {
      replaying = false;
    }
  };

  let speed = 5_000;
  const pause = (): void => {
    running = false;
    session.sim.pause();
    controls.setRunning(false);
  };
  const controls = new Controls({
    toggle() {
      if (session.sim.state === 'ended') return;
      running = !running;
      if (running) session.sim.play();
      else session.sim.pause();
      controls.setRunning(running);
    },
    step() {
      pause();
      session.sim.step();
    },
    next() {
      pause();
      session.sim.stepToKexec();
    },
    reset() {
      startRun(session.input);
    },
    speed(n) {
      speed = n;
      if (session) session.instructionsPerFrame = n;
    },
  }, document, SPEEDS.indexOf(5_000));
  controls.setRunning(running);

  // Editor actions.
  byId('btn-run').addEventListener('click', () => run());
  byId('editor').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });
  byId('btn-defaults').addEventListener('click', () => {
    const previous = loadDraft(store, current.level.id);
    if (previous) store.setItem(`jumpback.solution.${current.level.id}.previous`, JSON.stringify(previous));
    saveDraft(store, current.level.id, EMPTY_SOLUTION(current.level));
    open(current.name);
    setNotice('Back to the level\'s defaults; your previous draft is kept (Restore).');
  });
  byId('btn-restore').addEventListener('click', () => {
    const raw = store.getItem(`jumpback.solution.${current.level.id}.previous`);
    if (!raw) return setNotice('No previous draft to restore.');
    const parsed = parseJsonText(raw);
    if (parsed.ok) open(current.name, parsed.json);
  });
  byId('btn-download').addEventListener('click', () => {
    const blob = new Blob([JSON.stringify(editor.draft(), null, 2) + '\n'], { type: 'application/json' });
    const a = el('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${current.name}.solution.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  const upload = byId<HTMLInputElement>('file-upload');
  byId('btn-upload').addEventListener('click', () => upload.click());
  upload.addEventListener('change', async () => {
    const file = upload.files?.[0];
    upload.value = '';
    if (!file) return;
    const parsed = parseJsonText(await file.text());
    if (!parsed.ok) return setNotice(`${file.name} was not loaded (${parsed.error}); your solution is unchanged.`, 'error');
    if (accept(parsed.json, file.name)) open(current.name, parsed.json);
  });
  byId('btn-share').addEventListener('click', () => {
    const hash = writeHash(current.name, editor.draft());
    suppressHash = true;
    history.replaceState(null, '', hash);
    suppressHash = false;
    const url = location.href;
    navigator.clipboard?.writeText(url).then(
      () => setNotice('Link to this solution copied (it is also in the address bar).'),
      () => setNotice('The link to this solution is in the address bar.'),
    );
  });
  const fromHash = (): void => {
    if (suppressHash) return;
    const h = readHash(location.hash);
    const name = h.level ?? current.name;
    if (h.solution === null) {
      if (h.level && h.level !== current.name) open(name);
      return;
    }
    const decoded = decodeSolution(h.solution);
    if (name !== current.name) open(name);
    if (!decoded.ok) return setNotice(`${decoded.error}; your solution is unchanged.`, 'error');
    open(name, decoded.json);
  };
  window.addEventListener('hashchange', fromHash);

  // First level: the URL's, else the first unsolved one.
  const h = readHash(location.hash);
  const start = levels.find((l) => l.name === h.level || l.level.id === h.level) ?? levels.find((l) => !progress.solved(l.level.id)) ?? levels[0];
  open(start.name);
  if (h.solution !== null) fromHash();

  const game: Game = {
    view, levels, owners, timeline, swap,
    get current() { return current; },
    get session() { return session; },
    get consoles() { return consoles; },
    get editor() { return editor; },
    get running() { return running; },
    set running(v: boolean) {
      if (v !== running) controls_toggle();
    },
    frames: 0,
    open,
    run,
    reset: () => startRun(session.input),
    stepToKexec: () => {
      pause();
      session.sim.stepToKexec();
    },
    notice: () => noticeBox.textContent ?? '',
  };
  function controls_toggle(): void {
    running = !running;
    if (running) session.sim.play();
    else session.sim.pause();
    controls.setRunning(running);
  }

  // The frame loop: draw what the simulation did since the last frame.
  let last = performance.now();
  let fps = 60;
  let lastAt = 0;
  let mips = 0;
  const cpuOs = byId('cpu-os');
  const frame = (now: number): void => {
    const world = session.world;
    if (view.memory !== world.machine.memory) {
      view.show(world.machine.memory);
      pagePanel = new PagePanel(byId('page-info'), byId('hex-title'), byId('hex'), world.machine.memory, ownerNames);
      swap.refresh(world);
    }
    if (ownersDirty) {
      ownersDirty = false;
      ownerNames.length = 0;
      ownerNames.push(...owners.names());
      renderLegend(byId('legend'), ownerNames);
      for (const os of current.level.oses) consoles.setOwner(os.id, owners.ownerOfOs(os.id));
    }
    view.map.update();
    swap.update(now);
    const cpu = world.machine.cpu;
    pagePanel.update(view.map.hovered, view.map.selected, now);
    cpuPanel.update(cpu);
    const f = world.frame();
    setText(cpuOs, f.os ? `running ${f.os}` : 'firmware');
    consoles.flush();
    timelinePanel.update(cpu.instret);
    goals.update(world.goalStatus(), world.ended);
    if (world.ended && !ended) {
      ended = true;
      running = false;
      controls.setRunning(false);
      const passed = world.goals.passed;
      const score = world.score();
      if (passed) progress.record(current.level.id, score);
      renderScore(byId('score'), current.level, score, passed, progress.solved(current.level.id), world.runEnd);
      select.refresh(current.name);
      tabs.show('score');
    }
    view.pixi.render();
    game.frames++;
    const dt = Math.max(1, now - last);
    last = now;
    fps += (1000 / dt - fps) * 0.05;
    mips += ((cpu.instret - lastAt) / dt / 1000 - mips) * 0.05;
    lastAt = cpu.instret;
    if ((game.frames & 15) === 0) {
      controls.setStatus(`${fps.toFixed(0)} fps · ${Math.max(0, mips).toFixed(2)} MIPS · map ${view.map.lastWorkMs.toFixed(2)} ms · ${cpu.instret.toLocaleString('en-US')} instr · hash ${session.sim.hash()}`);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return game;
}

/** A blank memory of the level's RAM size: the map's first source until the first run replaces it. */
function newMemoryOf(input: LevelWorldInput): PhysicalMemory {
  return new PhysicalMemory(input.level.machine.ramMiB << 20);
}

function goalLabels(level: Level): Array<{ id: string; met: boolean; label: string }> {
  return level.goals.map((g) => ({ id: g.id, met: false, label: g.label ?? describeGoal(g) }));
}
