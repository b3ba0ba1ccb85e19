// The demo page's composition root: builds the PixiJS renderer and the memory map over a target
// machine, the panels and controls around it, and the frame loop that runs the machine in slices
// (N instructions per animation frame), then redraws what changed.
import type { Application } from 'pixi.js';
import { byId, hex32, setText } from './dom.ts';
import { ConsolePanel } from './console-panel.ts';
import { Controls, DEFAULT_SPEED_INDEX, SPEEDS } from './controls.ts';
import { CpuPanel } from './cpu-panel.ts';
import type { DemoTarget } from './demo-target.ts';
import { renderLegend } from './legend.ts';
import { panelSize, startMapApp } from './map-app.ts';
import { attachMapInput } from './map-input.ts';
import { AXIS_GUTTER_PX, MapAxis } from './map-axis.ts';
import { MemoryMap, type MapRoute } from './memory-map.ts';
import { roleName } from './page-code.ts';
import { PagePanel } from './page-panel.ts';

export interface DemoOptions {
  /** Owner names by id (0 = nobody). */
  owners?: readonly string[];
  route?: MapRoute;
  /** Start paused (tests step explicitly). */
  paused?: boolean;
}

/** Everything the running page holds; the test hook (installed by main.ts) and the console see it through this. */
export interface Demo {
  readonly pixi: Application;
  readonly target: DemoTarget;
  readonly map: MemoryMap;
  readonly console: ConsolePanel;
  running: boolean;
  instructionsPerFrame: number;
  /** Frames drawn so far. */
  frames: number;
  step(instructions: number): void;
  reset(): void;
}

/** Longest the machine may run in one frame: past it the slice ends early and the page stays smooth. */
const SLICE_BUDGET_MS = 12;
const CHUNK = 25_000;

/** Runs up to `n` instructions in chunks, stopping early once the frame's time budget is spent. */
function runSlice(target: DemoTarget, n: number): number {
  const t0 = performance.now();
  let ran = 0;
  while (ran < n && target.stopped === null) {
    const step = target.run(Math.min(CHUNK, n - ran));
    ran += step;
    if (step === 0 || performance.now() - t0 > SLICE_BUDGET_MS) break;
  }
  return ran;
}

export async function startDemo(target: DemoTarget, options: DemoOptions = {}): Promise<Demo> {
  const owners = options.owners ?? ['nobody', 'demo OS'];
  document.body.classList.add('mode-demo');
  const host = byId('map');
  const pixi = await startMapApp(host, panelSize(host));

  const map = new MemoryMap(target.memory, pixi.renderer, { route: options.route });
  pixi.stage.addChild(map.view);
  const axis = new MapAxis(host, map.layout);
  map.onCameraChange = () => axis.update(map.camera);
  const consolePanel = new ConsolePanel(byId('console'));
  setText(byId('cpu-os'), 'bare M-mode image');
  target.onConsole = (text) => consolePanel.write(text);
  const panels: DemoPanels = {
    cpu: new CpuPanel(byId('cpu')),
    page: new PagePanel(byId('page-info'), byId('hex-title'), byId('hex'), target.memory, owners),
  };
  renderLegend(byId('legend'), owners);
  setText(byId('subtitle'), target.title);
  attachMapPointer(host, pixi, map, target, owners);

  const demo: Demo = {
    pixi,
    target,
    map,
    console: consolePanel,
    running: !options.paused,
    instructionsPerFrame: SPEEDS[DEFAULT_SPEED_INDEX],
    frames: 0,
    step(n) {
      target.run(n);
    },
    reset() {
      target.reset();
      consolePanel.clear();
    },
  };
  startFrames(demo, demoControls(demo), panels);
  return demo;
}

/** The demo's side panels, redrawn each frame. */
interface DemoPanels {
  readonly cpu: CpuPanel;
  readonly page: PagePanel;
}

/**
 * The map under the pointer: until the user zooms or pans it follows the panel's size (a double
 * click fits it again); hovering a page shows its address, owner and role in the tooltip.
 */
function attachMapPointer(host: HTMLElement, pixi: Application, map: MemoryMap, target: DemoTarget, owners: readonly string[]): void {
  let fitted = true;
  const resize = (): void => {
    const w = Math.max(1, host.clientWidth);
    const h = Math.max(1, host.clientHeight);
    pixi.renderer.resize(w, h);
    if (fitted) map.fit(w, h, AXIS_GUTTER_PX);
  };
  new ResizeObserver(resize).observe(host);
  resize();
  pixi.canvas.addEventListener('dblclick', () => {
    fitted = true;
    resize();
  });
  const tooltip = byId('map-tip');
  attachMapInput(pixi.canvas, map, {
    hover(pfn, clientX, clientY) {
      map.setHovered(pfn);
      if (pfn < 0) {
        tooltip.hidden = true;
        return;
      }
      const r = host.getBoundingClientRect();
      const m = target.memory;
      tooltip.hidden = false;
      setText(tooltip, `${hex32(m.addressOf(pfn))}  frame ${pfn}  ${owners[m.owner[pfn]] ?? m.owner[pfn]} · ${roleName(m.role[pfn])}`);
      // Keep the tip inside the map panel, on the side of the pointer with more room.
      const left = clientX - r.left + 14;
      tooltip.style.left = `${Math.min(left, r.width - tooltip.offsetWidth - 6)}px`;
      tooltip.style.top = `${Math.max(4, clientY - r.top - 30)}px`;
    },
    select(pfn) {
      map.setSelected(pfn);
    },
    moved() {
      fitted = false;
    },
  });
}

/** The control bar driving the demo: one play/pause toggle, one instruction, reset, the speed. */
function demoControls(demo: Demo): Controls {
  const setRunning = (running: boolean): void => {
    demo.running = running;
    controls.setRunning(running);
  };
  const controls = new Controls({
    toggle: () => setRunning(!demo.running),
    step() {
      setRunning(false);
      demo.step(1);
    },
    reset: () => demo.reset(),
    speed(n) {
      demo.instructionsPerFrame = n;
    },
  });
  controls.setRunning(demo.running);
  return controls;
}

/** The frame loop: run a slice, then redraw the map and panels, with statistics smoothed over about a second. */
function startFrames(demo: Demo, controls: Controls, panels: DemoPanels): void {
  const { target, map, pixi } = demo;
  let last = performance.now();
  let fps = 60;
  let mips = 0;
  let work = 0;
  const frame = (now: number): void => {
    const dt = Math.max(1, now - last);
    last = now;
    let ran = 0;
    if (demo.running && target.stopped === null) ran = runSlice(target, demo.instructionsPerFrame);
    if (target.stopped !== null && demo.running) {
      demo.running = false;
      controls.setRunning(false);
      demo.console.write(`\n[machine stopped: ${target.stopped}]\n`);
    }
    map.update();
    panels.page.update(map.hovered, map.selected, now);
    panels.cpu.update(target.cpu);
    demo.console.flush();
    pixi.render();
    demo.frames++;
    fps += (1000 / dt - fps) * 0.05;
    mips += (ran / dt / 1000 - mips) * 0.05;
    work += (map.lastWorkMs - work) * 0.05;
    if ((demo.frames & 15) === 0) {
      controls.setStatus(`${fps.toFixed(0)} fps · ${mips.toFixed(1)} MIPS · map ${work.toFixed(2)} ms/frame · ${map.layout.pageCount} pages`);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
