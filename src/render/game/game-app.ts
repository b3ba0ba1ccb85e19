// The game page's composition root: level select and campaign progress, the briefing and live
// goals, the player's editor, the memory map with kexec swaps animated, per-OS consoles, the CPU,
// the kexec timeline and the controls, all driven by one LevelSession (Simulation on rAF).
import { LevelInputError, parseSolution, prepareRun } from '../../level/play.ts';
import type { Level, Problem } from '../../level/schema.ts';
import type { LevelWorld, LevelWorldInput } from '../../level/world.ts';
import type { SimEvent } from '../../level/events.ts';
import { Controls, SPEEDS } from '../controls.ts';
import { CpuPanel } from '../cpu-panel.ts';
import { byId, el, setText } from '../dom.ts';
import { renderLegend } from '../legend.ts';
import type { MapRoute } from '../memory-map.ts';
import { PagePanel } from '../page-panel.ts';
import { bundledAssets, bundledCampaign, bundledFiles } from './bundle.ts';
import type { CampaignLevel } from './campaign.ts';
import { customLevel, decodeLevel, encodeLevel, MAX_LEVEL_BYTES, sortOpenedFiles, type OpenedFile } from './custom-level.ts';
import { OsConsoles } from './consoles.ts';
import { Editor } from './editor.ts';
import { GoalsPanel } from './goals-panel.ts';
import { LevelSelect, levelTitle } from './level-select.ts';
import { MapView } from './map-view.ts';
import { Onboarding } from './onboarding.ts';
import { BriefingToggle } from './briefing.ts';
import { idleText, JumpView } from './jump-view.ts';
import { Pacer, relocating } from './pacing.ts';
import { SpeedPresets } from './speed-presets.ts';
import { StatusBar } from './status-bar.ts';
import { plural } from './problem-text.ts';
import { renderIdle, renderScore } from './score-panel.ts';
import { LevelSession } from './session.ts';
import {
  browserStorage, decodeSolution, loadDraft, parseJsonText, Progress, readHash, saveDraft, writeHash, type SolutionJson,
} from './share.ts';
import { SwapOverlay } from './swap-overlay.ts';
import { OwnerBook, Timeline, type TimelineEntry } from './timeline.ts';
import { wireTabs, type Tabs } from './tabs.ts';
import { TimelinePanel } from './timeline-panel.ts';
import { describe as describeGoal } from '../../level/goals.ts';
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

const EMPTY_SOLUTION = (level: Level): SolutionJson => ({ schema: 1, level: level.id, values: {} });
/** Where drafts and progress of a level are kept: a level opened from outside never mixes with the campaign's. */
const keyOf = (l: CampaignLevel): string => (l.custom ? `custom:${l.level.id}` : l.level.id);
/** The URL hash naming a level: the campaign's by name, an opened one carried whole. */
const linkOf = (l: CampaignLevel, solution: SolutionJson | null): string => writeHash(l.custom ? { data: l.custom.data } : l.name, solution);

export async function startGame(options: GameOptions = {}): Promise<Game> {
  document.body.classList.add('mode-game');
  const levels = bundledCampaign();
  if (levels.length === 0) throw new Error('no levels in the bundle');
  const store = browserStorage();
  const progress = new Progress(store);
  const owners = new OwnerBook();
  const ownerNames: string[] = ['nobody'];
  let liveWorld: LevelWorld | null = null;
  const timeline = new Timeline(owners, (kernel) => liveWorld?.imageOsOf(kernel));
  const tabs: Tabs = wireTabs(byId('left-tabs'));
  new BriefingToggle(byId('briefing'), byId<HTMLButtonElement>('briefing-more'));
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
  const pacer = new Pacer();
  const jumpView = new JumpView(byId('map-status'), byId('map'), () => pacer.skip());
  const cpuPanel = new CpuPanel(byId('cpu'));
  let pagePanel = new PagePanel(byId('page-info'), byId('hex-title'), byId('hex'), view.memory, ownerNames);
  const timelinePanel = new TimelinePanel(byId('timeline'), timeline, (e) => rewindTo(e), (e) => session.checkpointFor(e.index) >= 0);
  const select = new LevelSelect(byId('levels'), byId('campaign'), levels, progress, (l) => open(l.name), (l, before) => {
    setNotice(`${levelTitle(l)} is locked: solve ${before ? levelTitle(before) : 'the level before it'} first, or tick "open all levels".`, 'error');
    tabs.show('editor');
  }, store, byId<HTMLInputElement>('open-all'));
  const onboarding = new Onboarding({
    mapHost: byId('map'), briefing: byId('briefing'), levels, select, view, owners, open: (name) => open(name),
    memory: () => session.world.machine.memory,
    pause: () => pause(),
    play: () => {
      if (!running && session.sim.state !== 'ended') controls_toggle();
    },
  });
  byId('btn-reference').addEventListener('click', () => onboarding.glossary.open());

  const listener = {
    restart(world: LevelWorld): void {
      liveWorld = world;
      owners.clear();
      timeline.clear();
      consoles?.clear();
      swap.clear();
      pacer.reset();
      ownersDirty = true;
      ended = false;
    },
    event(e: SimEvent, cycle: number, index: number): void {
      if (owners.observe(e)) ownersDirty = true;
      // A paced jump or load hold starts: the rest of this frame's fast slice must not run.
      if (!replaying && pacer.onEvent(e) && session?.world === liveWorld) {
        session.sim.endSlice();
        session.instructionsPerFrame = pacer.rate();
      }
      timeline.add(e, cycle, index);
      const w = liveWorld!;
      if (!replaying) onboarding.event(e);
      if (e.type === 'console') consoles.write(e.os, e.text);
      else if (e.type === 'script') consoles.write(e.os, `$ ${e.step}\n${e.output}`, true);
      else if (e.type === 'fault') consoles.write(e.os, `[fault ${e.fault}: ${e.detail}]\n`, true);
      else if (e.type === 'kexec') {
        const k = e.event;
        if (k.type === 'load' || k.type === 'unload' || k.type === 'jump' || k.type === 'return') swap.refresh(w);
        if (!replaying && view.memory === w.machine.memory) {
          if (k.type === 'jump') swap.sweep(w, k.from, view.map.tracker.codes, performance.now(), pacer.jump ? () => pacer.progress(w.machine.cpu.instret) : null);
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
    session.instructionsPerFrame = pacer.rate();
    renderIdle(byId('score'), 'The score appears here when the run ends.');
    if (running) session.sim.play();
    onboarding.runStarted();
  };

  /** Restarts the level with the editor's draft; returns false (and says why) when it has errors. */
  const run = (): boolean => {
    const problems = editor.validate();
    if (problems.length > 0) {
      setNotice(`Fix ${plural(Math.max(editor.listed, problems.length), 'problem')} in the solution first (shown under the fields).`, 'error');
      tabs.show('editor');
      return false;
    }
    const sol = parseSolution(editor.draft(), current.level);
    // Run means run: a page paused or at the end of the last run plays the new attempt at once.
    running = true;
    controls.setRunning(true);
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
    show(found, incoming);
  };

  /**
   * Makes `target` the level being played (the campaign's or one opened from outside), with an
   * incoming solution named `from` in the notice ("the shared solution", "solution from FILE").
   */
  const show = (target: CampaignLevel, incoming?: unknown, opened = '', from = 'the shared solution', verb = 'Loaded'): void => {
    current = target;
    const { level } = current;
    const key = keyOf(current);
    setNotice(opened);
    let draft = loadDraft(store, key) ?? EMPTY_SOLUTION(level);
    if (incoming !== undefined) {
      const ok = accept(incoming, from);
      if (ok) {
        const previous = loadDraft(store, key);
        if (previous) store.setItem(`jumpback.solution.${key}.previous`, JSON.stringify(previous));
        draft = ok;
        saveDraft(store, key, ok);
        setNotice(`${opened}${verb} ${from}${previous ? '; the draft it replaced is kept (Restore).' : '.'}`);
      }
    }
    setText(byId('level-title'), current.custom ? `${level.title} (opened from ${current.custom.source})` : levelTitle(current));
    onboarding.levelShown(current);
    consoles = new OsConsoles(byId('consoles'), level.oses);
    editor = new Editor(byId('editor'), level, draft, {
      changed: (d) => saveDraft(store, key, d),
      check,
    });
    const probe = prepareRun(level, null, bundledFiles, bundledAssets(), 0);
    goals = new GoalsPanel(byId('goals'), goalLabels(level));
    select.refresh(current.custom ? null : current.name);
    suppressHash = true;
    history.replaceState(null, '', linkOf(current, null));
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
      pacer.replay(session.sim.log); // rewound to a jump: playing on paces its swap
    }
  };

  /** The expert slider's rate (instructions per frame), used when the speed is 'custom'. */
  let customSpeed = 5_000;
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
      session.sim.stepToMark();
    },
    reset() {
      startRun(session.input);
    },
    speed(n, byUser) {
      customSpeed = n;
      if (byUser) presets.select('custom');
    },
    nudgeSpeed: (d) => presets.step(d),
  }, document, SPEEDS.indexOf(5_000));
  controls.setRunning(running);
  const presets = new SpeedPresets(byId('speed-presets'), byId('speed-custom'), store, (c) => {
    if (c === 'custom') pacer.setCustom(customSpeed);
    else pacer.setPreset(c);
    jumpView.idle = idleText(pacer.preset);
    if (session) session.instructionsPerFrame = pacer.rate();
  });

  // Editor actions.
  byId('btn-run').addEventListener('click', () => run());
  byId('editor').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });
  byId('btn-defaults').addEventListener('click', () => {
    const key = keyOf(current);
    const previous = loadDraft(store, key);
    if (previous) store.setItem(`jumpback.solution.${key}.previous`, JSON.stringify(previous));
    saveDraft(store, key, EMPTY_SOLUTION(current.level));
    show(current);
    setNotice('Back to the level\'s defaults; your previous draft is kept (Restore).');
  });
  byId('btn-restore').addEventListener('click', () => {
    const raw = store.getItem(`jumpback.solution.${keyOf(current)}.previous`);
    if (!raw) return setNotice('No previous draft to restore.');
    const parsed = parseJsonText(raw);
    if (parsed.ok) show(current, parsed.json, '', 'your previous draft', 'Restored');
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
    if (accept(parsed.json, file.name)) show(current, parsed.json, '', `solution from ${file.name}`);
  });
  byId('btn-share').addEventListener('click', () => {
    const hash = linkOf(current, editor.draft());
    suppressHash = true;
    history.replaceState(null, '', hash);
    suppressHash = false;
    const url = location.href;
    navigator.clipboard?.writeText(url).then(
      () => setNotice('Link to this solution copied (it is also in the address bar).'),
      () => setNotice('The link to this solution is in the address bar.'),
    );
  });
  // At start-up `h` is the hash read before the first level was shown (showing one rewrites it).
  const fromHash = (h = readHash(location.hash)): void => {
    if (suppressHash) return;
    if (h.levelData !== null) {
      void openLink(h.levelData, h.solution);
      return;
    }
    if (h.level === null && h.solution === null) return;
    // A solution alone ("#s=..."): for the level being played, the campaign's or an opened one.
    const target = h.level === null ? current : levels.find((l) => l.name === h.level || l.level.id === h.level);
    if (!target) return setNotice(`There is no level '${h.level}'.`, 'error');
    if (h.solution === null) {
      if (target !== current) show(target);
      return;
    }
    const decoded = decodeSolution(h.solution);
    if (target !== current) show(target);
    if (!decoded.ok) return setNotice(`${decoded.error}; your solution is unchanged.`, 'error');
    show(target, decoded.json);
  };
  window.addEventListener('hashchange', () => fromHash());

  /** Opens a level from its JSON text (a file or a link); false + a notice when the page cannot play it. */
  const openCustom = async (json: unknown, text: string, source: string, incoming?: unknown, from?: string): Promise<boolean> => {
    const data = await encodeLevel(text);
    const made = customLevel(json, text, source, data, bundledFiles, bundledAssets());
    if (!made.ok) {
      setNotice(`${source} was not opened: ${made.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}. The current level stays.`, 'error');
      return false;
    }
    const scored = made.level.level.par ? '' : ' It is unscored (no par yet).';
    show(made.level, incoming, `Opened ${source}.${scored} `, from);
    return true;
  };

  async function openFiles(files: readonly OpenedFile[]): Promise<boolean> {
    const sorted = sortOpenedFiles(files);
    const problems = sorted.problems.join('; ');
    if (!sorted.level) {
      // Solutions alone: for the level being played, as Upload does.
      const sol = sorted.solutions[0];
      if (!sol) {
        setNotice(`Nothing was opened (${problems || 'no files'}).`, 'error');
        return false;
      }
      if (!accept(sol.json, sol.file.name)) return false;
      show(current, sol.json, '', `solution from ${sol.file.name}`);
      return true;
    }
    const id = (sorted.level.json as { id?: unknown }).id;
    const sol = sorted.solutions.find((s) => (s.json as { level?: unknown }).level === id);
    const ok = await openCustom(sorted.level.json, sorted.level.file.text, sorted.level.file.name, sol?.json, sol ? `solution from ${sol.file.name}` : undefined);
    if (ok && problems) setNotice(`${noticeBox.textContent ?? ''} Not opened: ${problems}.`, 'error');
    return ok;
  }

  const openLink = async (data: string, solution: string | null): Promise<void> => {
    const level = await decodeLevel(data);
    if (!level.ok) return setNotice(`${level.error}; the current level stays.`, 'error');
    const parsed = parseJsonText(level.text);
    if (!parsed.ok) return setNotice(`the level in the link is ${parsed.error}; the current level stays.`, 'error');
    let incoming: unknown;
    if (solution !== null) {
      const decoded = decodeSolution(solution);
      if (decoded.ok) incoming = decoded.json;
      else setNotice(`${decoded.error}.`, 'error');
    }
    await openCustom(parsed.json, level.text, 'a link', incoming);
  };

  /** Files from the input or a drop, read as text; too large ones are refused before reading. */
  const readFiles = async (list: FileList | null | undefined): Promise<void> => {
    const files = Array.from(list ?? []);
    const big = files.find((f) => f.size > MAX_LEVEL_BYTES);
    if (big) return setNotice(`${big.name} was not opened: it is ${big.size} bytes, a level or solution file is at most ${MAX_LEVEL_BYTES}.`, 'error');
    if (files.length > 0) await openFiles(await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() }))));
  };
  const levelInput = byId<HTMLInputElement>('level-file');
  byId('btn-open-level').addEventListener('click', () => levelInput.click());
  levelInput.addEventListener('change', async () => {
    const list = levelInput.files;
    await readFiles(list);
    levelInput.value = '';
  });
  // Drop a level file (and its solution) anywhere on the page.
  document.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  });
  document.addEventListener('drop', (e) => {
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    void readFiles(e.dataTransfer.files);
  });

  // First level: the URL's, else the first unsolved one.
  const h = readHash(location.hash);
  const start = levels.find((l) => l.name === h.level || l.level.id === h.level) ?? levels.find((l) => !progress.solved(l.level.id)) ?? levels[0];
  open(start.name);
  if (h.solution !== null || h.levelData !== null) fromHash(h);

  const game: Game = {
    view, levels, owners, timeline, swap, onboarding, pacer, jumpView,
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
    openFiles,
    run,
    reset: () => startRun(session.input),
    stepToKexec: () => {
      pause();
      session.sim.stepToMark();
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
  const status = new StatusBar(byId('stats'));
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
    const dt = Math.max(1, now - last);
    if (running && session.sim.state === 'running') session.instructionsPerFrame = pacer.frame(dt, world.machine.cpu.instret, relocating(world));
    view.map.update();
    swap.update(now);
    onboarding.frame();
    jumpView.update({ pacer, swap, owners, world, camera: view.map.camera, width: view.pixi.canvas.clientWidth, height: view.pixi.canvas.clientHeight });
    const cpu = world.machine.cpu;
    pagePanel.update(view.map.hovered, view.map.selected, now);
    cpuPanel.update(cpu);
    const f = world.frame();
    setText(cpuOs, relocating(world) ? 'in relocate.S (control page)' : f.os ? `running ${f.os}` : 'firmware');
    consoles.flush();
    timelinePanel.update(cpu.instret);
    goals.update(world.goalStatus(), world.ended);
    if (world.ended && !ended) {
      ended = true;
      running = false;
      controls.setRunning(false);
      // A level without goals (the sandbox) passes vacuously but is never solved.
      const passed = world.goals.passed && current.level.goals.length > 0;
      const score = world.score();
      if (passed) progress.record(keyOf(current), score);
      onboarding.ended(passed, score);
      renderScore(byId('score'), current.level, score, passed, progress.solved(keyOf(current)), world.runEnd);
      select.refresh(current.custom ? null : current.name);
      const end = [...session.sim.log].reverse().find((e) => e.type === 'end');
      if (end?.type === 'end' && end.detail) {
        // A trap loop or the trap limit: the player's code is at fault, so say why next to it.
        setNotice(`The run ended (${end.reason}): ${end.detail}.`, 'error');
        tabs.show('editor');
      } else tabs.show('score');
    }
    view.pixi.render();
    game.frames++;
    last = now;
    status.update({ now, instret: cpu.instret, hash: () => session.sim.hash(), mapMs: view.map.lastWorkMs });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return game;
}

/** A blank memory of the level's RAM size: the map's first source until the first run replaces it. */
function newMemoryOf(input: LevelWorldInput): PhysicalMemory {
  return new PhysicalMemory(input.level.machine.ramMiB * 1024 * 1024);
}

function goalLabels(level: Level): Array<{ id: string; met: boolean; label: string }> {
  return level.goals.map((g) => ({ id: g.id, met: false, label: g.label ?? describeGoal(g) }));
}
