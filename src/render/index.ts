// The browser demo's face: the memory map and its parts, and the page's composition root.
export { MemoryMap, type MapRoute, type MemoryMapOptions } from './memory-map.ts';
export { PageTracker, type PageSource } from './page-tracker.ts';
export { mapLayout, type MapLayout } from './map-layout.ts';
export { MapCamera } from './map-camera.ts';
export { pageCode, lookOf, paletteTexels, MarkPattern, CODE_HOT, CODE_NO_PAGE } from './page-code.ts';
export { startDemo, type Demo, type DemoOptions } from './app.ts';
export type { DemoTarget, DemoCpu } from './demo-target.ts';
export { MachineTarget, type MachineTargetOptions } from './machine-target.ts';
export { SyntheticTarget } from './synthetic-target.ts';
export { DEMO_SOURCE, DEMO_BANNER, DEMO_RAM_SIZE, DEMO_RESERVED_PAGES } from './demo-program.ts';
