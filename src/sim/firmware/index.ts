// The firmware folder's face: the SBI dispatcher, its extensions, and a builder for the standard set.
import type { PhysicalMemory } from '../memory.ts';
import { BaseExtension } from './base.ts';
import { DbcnExtension } from './dbcn.ts';
import { LegacyGetchar, LegacyPutchar } from './legacy.ts';
import { SbiFirmware, type SbiConsole } from './sbi.ts';
import { SrstExtension, type ResetHandler } from './srst.ts';
import { TimeExtension, type SbiTimer } from './time.ts';

export * from './sbi.ts';
export * from './base.ts';
export * from './time.ts';
export * from './legacy.ts';
export * from './dbcn.ts';
export * from './srst.ts';

export interface StandardSbiOptions {
  console: SbiConsole;
  memory: PhysicalMemory;
  timer: SbiTimer;
  onReset: ResetHandler;
}

/** Firmware with Base, TIME, legacy putchar/getchar, DBCN and SRST registered (KEXEC comes later). */
export function createSbiFirmware(options: StandardSbiOptions): SbiFirmware {
  const fw = new SbiFirmware();
  fw.register(new BaseExtension(fw));
  fw.register(new TimeExtension(options.timer));
  fw.register(new LegacyPutchar(options.console));
  fw.register(new LegacyGetchar(options.console));
  fw.register(new DbcnExtension(options.console, options.memory));
  fw.register(new SrstExtension(options.onReset));
  return fw;
}
