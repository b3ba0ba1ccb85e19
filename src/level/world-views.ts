// What the progress watch (progress.ts) and the why tracker (why.ts) read of a running level world.
import { UART_MCR } from '../sim/devices/uart.ts';
import type { ProgressView } from './progress.ts';
import type { WhyView } from './why.ts';
import type { WorldCore } from './world-core.ts';

export function progressView(core: WorldCore, powered: () => boolean): ProgressView {
  const { roster } = core;
  return {
    level: core.input.level,
    goals: () => core.goals.progress(),
    remaining: (os) => roster.runtimes.get(os)?.cursor.remaining() ?? [],
    scripted: (os) => roster.scripted(os),
    lastStep: (os) => roster.lastStep(os),
    suspendedOses: () => core.kexec.suspendedKernels().map((k) => roster.osOfKernel(k.name)),
    osesWithImage: () => new Set(core.kexec.kernels.filter((k) => k.image).map((k) => roster.osOfKernel(k.name))),
    loadedImageOses: () => core.kexec.kernels.flatMap((k) => (k.image && roster.imageOs.has(k.name) ? [roster.imageOs.get(k.name)!] : [])),
    osOfKernel: roster.osOfKernel,
    imageOsOf: (kernel) => roster.imageOs.get(kernel),
    get powered() {
      return powered();
    },
    instret: () => core.board.machine.cpu.instret,
  };
}

export function whyView(core: WorldCore): WhyView {
  const { roster } = core;
  return {
    level: core.input.level,
    lastStep: (os) => roster.lastStep(os),
    lastLoadError: () => core.kexec.lastLoadError && { errno: core.kexec.lastLoadError.errno, reason: core.kexec.lastLoadError.reason },
    osOfKernel: roster.osOfKernel,
    imageOsOf: (kernel) => roster.imageOs.get(kernel),
    describeAddress: (pa) => describeAddress(core, pa),
    uartLoopback: () => (core.board.uart.read(UART_MCR, 1) & 0x10) !== 0,
    goals: () => core.goals.progress(),
    scripted: (os) => roster.scripted(os),
  };
}

/** What is at `pa`, in words: outside RAM, a kernel's kexec re-entry, inside a loaded image. */
function describeAddress(core: WorldCore, pa: number): string {
  const { kexec, roster } = core;
  if (!core.board.machine.memory.contains(pa >>> 0, 4)) return 'outside RAM';
  for (const k of kexec.kernels) {
    if (k.image && kexec.reentryOf(k) === pa >>> 0) return `${roster.osOfKernel(k.name)}'s kexec re-entry`;
  }
  for (const k of kexec.kernels) {
    for (const s of k.image?.segments ?? []) {
      if (pa >>> 0 >= s.mem && pa >>> 0 < s.mem + s.memsz) return `in ${roster.imageOs.get(k.name) ?? roster.osOfKernel(k.name)}'s image`;
    }
  }
  return '';
}
