// The game's frame loop: once per animation frame, draw what the simulation did since the last
// one (the map and its swap animation, the panels, the consoles, the timeline, the goals), set the
// next frame's pace, and report the end of a run once.
import type { Level } from '../../level/schema.ts';
import type { LevelWorld } from '../../level/world.ts';
import { CpuPanel } from '../cpu-panel.ts';
import { byId, setText } from '../dom.ts';
import { renderLegend } from '../legend.ts';
import { PagePanel } from '../page-panel.ts';
import type { OsConsoles } from './consoles.ts';
import type { GoalsPanel } from './goals-panel.ts';
import type { JumpView } from './jump-view.ts';
import type { MapView } from './map-view.ts';
import type { Onboarding } from './onboarding.ts';
import type { OwnerBook } from './owner-book.ts';
import { relocating, type Pacer } from './pacing.ts';
import type { RunControl } from './run-control.ts';
import type { RunObserver } from './run-observer.ts';
import { StatusBar } from './status-bar.ts';
import type { SwapOverlay } from './swap-overlay.ts';
import type { TimelinePanel } from './timeline-panel.ts';

/** The panels of the level shown (a new level replaces them). */
export interface ShownPanels {
  readonly level: Level;
  readonly consoles: OsConsoles;
  readonly goals: GoalsPanel;
}

/** What the frame loop draws and reads. */
export interface FrameParts {
  readonly view: MapView;
  readonly swap: SwapOverlay;
  readonly pacer: Pacer;
  readonly onboarding: Onboarding;
  readonly jumpView: JumpView;
  readonly owners: OwnerBook;
  readonly timelinePanel: TimelinePanel;
  /** Owner names by id, shared with the map's tooltip and the page inspector (refilled in place). */
  readonly ownerNames: string[];
  readonly observer: RunObserver;
  readonly run: RunControl;
  shown(): ShownPanels;
  /** The run in `world` ended (called once per run). */
  runEnded(world: LevelWorld): void;
  /** A frame was drawn. */
  drawn(): void;
}

export class GameFrame {
  private readonly _cpuPanel = new CpuPanel(byId('cpu'));
  private readonly _status = new StatusBar(byId('stats'));
  private readonly _cpuOs = byId('cpu-os');
  private _pagePanel: PagePanel;
  private _last = performance.now();

  constructor(private readonly _parts: FrameParts) {
    this._pagePanel = this._newPagePanel();
  }

  /** Draws every animation frame from now on. */
  start(): void {
    const frame = (now: number): void => {
      this.draw(now);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  draw(now: number): void {
    const p = this._parts;
    const { session } = p.run;
    const world = session.world;
    this._follow(world);
    const dt = Math.max(1, now - this._last);
    if (p.run.running && session.sim.state === 'running') session.instructionsPerFrame = p.pacer.frame(dt, world.machine.cpu.instret, relocating(world));
    this._drawPanels(world, now);
    if (world.ended && !p.observer.endReported) {
      p.observer.endReported = true;
      p.runEnded(world);
    }
    p.view.pixi.render();
    p.drawn();
    this._last = now;
    this._status.update({ now, instret: world.machine.cpu.instret, hash: () => session.sim.hash(), mapMs: p.view.map.lastWorkMs });
  }

  /** A new world (run, reset, rewind) moves the map to its memory; new owners redraw the legend. */
  private _follow(world: LevelWorld): void {
    const p = this._parts;
    if (p.view.memory !== world.machine.memory) {
      p.view.show(world.machine.memory);
      this._pagePanel = this._newPagePanel();
      p.swap.refresh(world);
    }
    if (p.observer.ownersChanged) {
      p.observer.ownersChanged = false;
      p.ownerNames.length = 0;
      p.ownerNames.push(...p.owners.names());
      renderLegend(byId('legend'), p.ownerNames);
      const { level, consoles } = p.shown();
      for (const os of level.oses) consoles.setOwner(os.id, p.owners.ownerOfOs(os.id));
    }
  }

  private _drawPanels(world: LevelWorld, now: number): void {
    const p = this._parts;
    const { view } = p;
    view.map.update();
    p.swap.update(now);
    p.onboarding.frame();
    p.jumpView.update({ pacer: p.pacer, swap: p.swap, owners: p.owners, world, camera: view.map.camera, width: view.pixi.canvas.clientWidth, height: view.pixi.canvas.clientHeight });
    const cpu = world.machine.cpu;
    this._pagePanel.update(view.map.hovered, view.map.selected, now);
    this._cpuPanel.update(cpu);
    const f = world.frame();
    setText(this._cpuOs, relocating(world) ? 'in relocate.S (control page)' : f.os ? `running ${f.os}` : 'firmware');
    const { consoles, goals } = p.shown();
    consoles.flush();
    p.timelinePanel.update(cpu.instret);
    goals.update(world.goalStatus(), world.ended);
  }

  private _newPagePanel(): PagePanel {
    return new PagePanel(byId('page-info'), byId('hex-title'), byId('hex'), this._parts.view.memory, this._parts.ownerNames);
  }
}
