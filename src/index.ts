// The package face of `jumpback` (docs/api.md): headless simulation for other people's tests.
// Everything exported here is the public API, checked against api/jumpback.api.d.ts; everything
// else is internal. Only this file and src/api/ may import the engine's folders, so moving them
// changes import paths here and nowhere in users' code.

// Assembling sources.
export { assemble, type AssembleOptions, type Program } from './api/assemble.ts';
export { AsmError, type AsmDiagnostic } from './os/asm/index.ts';

// A booted image and the session that runs it.
export { boot, type BootOptions } from './api/boot.ts';
export type { Session, Snapshot, EndEvent } from './api/session.ts';

// Levels.
export {
  levelNames, loadLevel, openLevel, playLevel, type GoalResult, type LevelOptions, type LevelResult,
  type LevelScore, type LevelSession, type PackageLevel,
} from './api/level.ts';
export { LevelInputError } from './level/play.ts';
export type { Problem } from './level/schema.ts';

// Files: the caller's own and the package's.
export { packageFile, type SourceFiles } from './api/files.ts';

// What a session shows: pages, the kexec state, events.
export type {
  ControlPageInfo, KernelInfo, KexecImageInfo, KexecState, PageFilter, PageInfo, PageRole, SwapPair,
} from './api/inspect.ts';
export type { SimEvent, ScriptAction } from './level/events.ts';
export type { KexecEvent, KexecStep } from './kexec/events.ts';
export type { HaltReason } from './sim/machine.ts';
export type { Flavour } from './kexec/abi.ts';
export { KEXEC_PRESERVE_CONTEXT } from './kexec/abi.ts';
export { PAGE_SIZE, RAM_BASE } from './sim/memory.ts';
