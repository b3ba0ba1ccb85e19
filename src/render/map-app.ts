// The PixiJS application a memory map draws into: WebGL, the map's background, and no ticker (the
// caller renders when it has changed something), its canvas appended to the map panel.
import { Application } from 'pixi.js';
import { MAP_BACKGROUND } from './page-code.ts';

/** The canvas size and density: the pages follow the screen's density, the benchmark fixes it at 1. */
export interface MapAppSize {
  width: number;
  height: number;
  resolution: number;
  /** Size the canvas in CSS pixels (Pixi's default is off). */
  autoDensity?: boolean;
}

/** Starts a stopped PixiJS application of `size` and appends its canvas to `host`. */
export async function startMapApp(host: HTMLElement, size: MapAppSize): Promise<Application> {
  const pixi = new Application();
  await pixi.init({
    preference: 'webgl',
    background: MAP_BACKGROUND,
    antialias: false,
    autoStart: false,
    sharedTicker: false,
    ...size,
  });
  pixi.ticker?.stop();
  host.append(pixi.canvas);
  return pixi;
}

/** The size a page's map panel asks for: the panel's (at least 1x1) at the screen's density. */
export function panelSize(host: HTMLElement): MapAppSize {
  return {
    width: Math.max(1, host.clientWidth),
    height: Math.max(1, host.clientHeight),
    resolution: window.devicePixelRatio || 1,
    autoDensity: true,
  };
}
