// Booting a level OS the way the simulator does (at power-on, or after a power cycle): its image
// copied into RAM, its boot parameters in the page after it, the hart reset into it, and a kexec
// kernel for it. Simulated time goes on across a power cycle (event stamps and the limit count it).
import { encodeBootParams } from '../kexec/bootparams.ts';
import { bootOsMemory } from '../kexec/board.ts';
import { bootImage } from '../sim/board.ts';
import { PAGE_SIZE, RAM_BASE } from '../sim/memory.ts';
import type { WorldCore } from './world-core.ts';

/** Loads and boots `osId` as a first OS; its kernel is named `kernelName` when given. */
export function bootOs(core: WorldCore, osId: string, kernelName?: string): void {
  const { level, images } = core.input;
  const ramSize = level.machine.ramMiB * 1024 * 1024;
  const { machine } = core.board;
  const os = level.oses.find((o) => o.id === osId)!;
  const img = images.get(osId)!;
  let end = RAM_BASE;
  for (const s of img.image.segments) end = Math.max(end, s.paddr + s.memsz);
  const bp = Math.ceil(end / PAGE_SIZE) * PAGE_SIZE;
  const params = encodeBootParams({ commandLine: os.commandLine, memMin: RAM_BASE, memMax: RAM_BASE + ramSize - 1, kernelEntry: img.image.entry, flags: 0 });
  const at = core.at();
  const { cycle, instret } = machine.cpu;
  bootImage(core.board, img.image, 'sbi', bp);
  machine.cpu.setCounters(cycle, instret);
  machine.memory.fill(bp, PAGE_SIZE, 0);
  machine.memory.writeBytes(bp, params);
  core.roster.runtimes.get(osId)!.bootParams = bp;
  const k = core.kexec.addKernel({ name: kernelName, ...bootOsMemory(img.image, ramSize, [[bp, PAGE_SIZE]]) });
  core.roster.kernelOs.set(k.name, osId);
  core.put({ type: 'boot', at, os: osId, entry: img.image.entry, bootParams: bp });
}
