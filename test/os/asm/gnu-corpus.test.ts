// Golden check against GNU: every .S in the repo (and test/os/corpus) must give the same flat binary and
// symbol values as riscv64-unknown-elf-gcc + ld --no-relax + objcopy -O binary with link.ld.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../../../src/os/asm/index.ts';
import { GCC, LINK_LD, needTools, NM, OBJCOPY, READELF } from '../../gnu/tools.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** All .S files under the given roots, skipping node_modules and folders named bad/. */
export function findSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) {
        if (e !== 'node_modules' && e !== 'bad') walk(p);
      } else if (e.endsWith('.S')) out.push(p);
    }
  };
  for (const root of ['assets', 'src', 'test']) walk(path.join(repoRoot, root));
  return out.sort();
}

interface Gnu {
  bin: Uint8Array;
  symbols: Map<string, number>;
  entry: number;
  error?: string;
}

/**
 * Some sources `.incbin` a binary their own test builds at run time (e.g. test/kexec/images/user-os.S
 * carries peer.bin): the corpus must not depend on test order, so each such file that is missing next
 * to the source is stood in for by fixed bytes in `stand`, which GNU searches (-Wa,-I) and our reader
 * falls back to. Returns the stand-in folder.
 */
export function standInIncbins(file: string, stand: string): string {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^[^#\n]*\.incbin\s+"([^"]+)"/gm)) {
    const name = m[1]!;
    if (path.isAbsolute(name) || existsSync(path.resolve(path.dirname(file), name))) continue;
    const bytes = new Uint8Array(37 + name.length).map((_, i) => (i * 7 + name.length) & 0xff); // odd length: exercises alignment after it
    mkdirSync(path.dirname(path.join(stand, name)), { recursive: true });
    writeFileSync(path.join(stand, name), bytes);
  }
  return stand;
}

function gnuBuild(file: string, dir: string, stand: string): Gnu {
  const base = path.join(dir, path.basename(file, '.S'));
  const cc = spawnSync(GCC, ['-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-Wl,--no-relax',
    '-Wl,--no-warn-rwx-segments', `-Wa,-I${stand}`, '-T', LINK_LD, '-o', `${base}.elf`, file], { encoding: 'utf8', cwd: path.dirname(file) });
  if (cc.status !== 0) return { bin: new Uint8Array(), symbols: new Map(), entry: 0, error: cc.stderr };
  spawnSync(OBJCOPY, ['-O', 'binary', `${base}.elf`, `${base}.bin`]);
  const nm = spawnSync(NM, [`${base}.elf`], { encoding: 'utf8' }).stdout;
  const symbols = new Map<string, number>();
  for (const line of nm.split('\n')) {
    const m = /^([0-9a-f]+) (\w) (.+)$/.exec(line);
    if (m && !m[3]!.startsWith('$') && !m[3]!.startsWith('.L')) symbols.set(m[3]!, parseInt(m[1]!, 16));
  }
  const hdr = spawnSync(READELF, ['-h', `${base}.elf`], { encoding: 'utf8' }).stdout;
  const entry = parseInt(/Entry point address:\s+0x([0-9a-f]+)/.exec(hdr)?.[1] ?? '0', 16);
  return { bin: new Uint8Array(readFileSync(`${base}.bin`)), symbols, entry };
}

function firstDifference(a: Uint8Array, b: Uint8Array): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      const w = (x: Uint8Array): string => Array.from(x.slice(i & ~3, (i & ~3) + 4)).map((v) => v.toString(16).padStart(2, '0')).join('');
      return `first difference at 0x${(0x80000000 + i).toString(16)}: ours ${w(a)} gnu ${w(b)}`;
    }
  }
  return `lengths differ: ours ${a.length} gnu ${b.length}`;
}

const present = needTools('the GNU corpus comparison', [GCC, OBJCOPY, NM, READELF]);

describe.skipIf(!present)('assembler output equals GNU as + ld --no-relax', () => {
  const dir = present ? mkdtempSync(path.join(tmpdir(), 'asm-corpus-')) : '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const sources = findSources();
  it('finds a corpus', () => expect(sources.length).toBeGreaterThan(10));
  for (const file of sources) {
    it(path.relative(repoRoot, file), () => {
      const stand = standInIncbins(file, mkdtempSync(path.join(dir, 'incbin-')));
      const gnu = gnuBuild(file, dir, stand);
      expect(gnu.error, 'GNU must accept every corpus file').toBeUndefined();
      const ours = assemble(readFileSync(file, 'utf8'), {
        fileName: file,
        readFile: (p) => {
          const fallback = path.join(stand, path.relative(path.dirname(file), p));
          for (const q of [p, fallback]) if (existsSync(q) && statSync(q).isFile()) return new Uint8Array(readFileSync(q));
          return undefined;
        },
      });
      const same = ours.bin.length === gnu.bin.length && ours.bin.every((b, i) => b === gnu.bin[i]);
      expect(same, same ? '' : firstDifference(ours.bin, gnu.bin)).toBe(true);
      for (const [name, value] of gnu.symbols) expect([name, ours.symbols.get(name)]).toEqual([name, value]);
      expect(ours.entry.toString(16)).toBe(gnu.entry.toString(16));
      // Our ELF must read cleanly and load the same bytes: objcopy of our ELF gives our flat image.
      const elf = path.join(dir, `${path.basename(file, '.S')}.ours.elf`);
      writeFileSync(elf, ours.elf);
      const re = spawnSync(READELF, ['-W', '-a', elf], { encoding: 'utf8' });
      expect(re.status === 0 && re.stderr === '', re.stderr).toBe(true);
      spawnSync(OBJCOPY, ['-O', 'binary', elf, `${elf}.bin`]);
      const viaObjcopy = new Uint8Array(readFileSync(`${elf}.bin`));
      expect(viaObjcopy.length === ours.bin.length && viaObjcopy.every((b, i) => b === ours.bin[i])).toBe(true);
    });
  }
});
