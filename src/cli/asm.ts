// `jumpback asm FILE.S -o OUT [--format elf|bin]`: assembles a file with src/os/asm and writes the ELF or flat image.

import { writeFileSync } from 'node:fs';
import { assemble, AsmError, relativeIncludes } from '../os/asm/index.ts';
import { FileAccessError } from '../os/files.ts';
import { diskStore, readRegularFile } from '../os/node-files.ts';

const USAGE = 'usage: jumpback asm FILE.S -o OUT [--format elf|bin]\n';

export async function asmCommand(args: string[]): Promise<number> {
  let input: string | undefined;
  let output: string | undefined;
  let format = 'elf';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '--output') output = args[++i];
    else if (a === '--format' || a === '-f') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-') && a !== '-') return usage(`unknown option '${a}'`);
    else if (input === undefined) input = a;
    else return usage(`unexpected argument '${a}'`);
  }
  if (input === undefined) return usage('missing input file');
  if (output === undefined) return usage('missing -o OUT');
  if (format !== 'elf' && format !== 'bin') return usage(`unknown format '${format}' (elf or bin)`);
  let source: string;
  try {
    source = new TextDecoder().decode(readRegularFile(input));
  } catch (e) {
    if (!(e instanceof FileAccessError)) throw e;
    process.stderr.write(`jumpback asm: cannot read ${input}: ${e.reason}\n`);
    return 2;
  }
  try {
    // The user's own file: includes next to it (or where an absolute name says), as GNU as; only
    // regular files up to the size limit, so `.incbin "/dev/zero"` is an error, not 17 GB.
    const out = assemble(source, { fileName: input, files: relativeIncludes(diskStore()) });
    try {
      writeFileSync(output, format === 'elf' ? out.elf : out.bin);
    } catch (e) {
      process.stderr.write(`jumpback asm: cannot write ${output}: ${(e as Error).message}\n`);
      return 2;
    }
    return 0;
  } catch (e) {
    if (e instanceof AsmError) {
      process.stderr.write(e.message + '\n');
      return 2;
    }
    throw e;
  }
}

function usage(message: string): number {
  process.stderr.write(`jumpback asm: ${message}\n${USAGE}`);
  return 2;
}
