// A raw segment table (editable field kind `segments`) turned into kexec_load's segments: each
// row takes `bufsz` bytes of the OS image's loaded bytes from `offset` (0: a zero segment) and
// asks for `memsz` bytes at `mem`. Nothing is checked here: kexec_load checks like the kernel.
import type { ElfImage } from '../os/elf.ts';
import type { ToolSegment } from '../kexec/tools.ts';
import type { RawSegment } from './schema.ts';

/** The image's bytes as loaded from its lowest segment address (gaps and .bss as zeros). */
export function imageBytes(image: ElfImage): { base: number; bytes: Uint8Array } {
  const loads = image.segments.filter((s) => s.memsz > 0);
  if (loads.length === 0) return { base: 0, bytes: new Uint8Array(0) };
  const base = Math.min(...loads.map((s) => s.paddr));
  const end = Math.max(...loads.map((s) => s.paddr + s.memsz));
  const bytes = new Uint8Array(end - base);
  for (const s of loads) bytes.set(s.data, s.paddr - base);
  return { base, bytes };
}

/** The rows as kexec_load segments (bytes past the image's end read as zeros). */
export function rawSegments(image: ElfImage, rows: readonly RawSegment[]): ToolSegment[] {
  const { bytes } = imageBytes(image);
  return rows.map((r) => {
    if (r.bufsz === 0) return { data: null, mem: r.mem, memsz: r.memsz };
    const data = new Uint8Array(r.bufsz);
    if (r.offset < bytes.length) data.set(bytes.subarray(r.offset, Math.min(bytes.length, r.offset + r.bufsz)));
    return { data, mem: r.mem, memsz: r.memsz };
  });
}
