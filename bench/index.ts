// `npm run bench`: runs each benchmark group and prints one figure a line as `name: value`.
// `npm run bench -- --only cpu` runs one group (cpu, kexec, level, render, game, cli).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A group returns its figures; each module under bench/ named after the group exports `run`. */
export type BenchFigures = Array<[name: string, value: number]>;

const GROUPS = ['cpu', 'kexec', 'level', 'render', 'game', 'cli'] as const;

function selectedGroups(argv: string[]): readonly string[] {
  const i = argv.indexOf('--only');
  if (i < 0) return GROUPS;
  const wanted = argv[i + 1];
  if (!wanted || !(GROUPS as readonly string[]).includes(wanted)) {
    throw new Error(`--only needs one of: ${GROUPS.join(', ')}`);
  }
  return [wanted];
}

async function main(): Promise<void> {
  for (const group of selectedGroups(process.argv.slice(2))) {
    const file = fileURLToPath(new URL(`./${group}.ts`, import.meta.url));
    if (!existsSync(file)) {
      process.stderr.write(`# ${group}: no benchmark yet (bench/${group}.ts is not written)\n`);
      continue;
    }
    const mod = (await import(file)) as { run: () => Promise<BenchFigures> };
    for (const [name, value] of await mod.run()) {
      process.stdout.write(`${name}: ${Number.isInteger(value) ? value : value.toFixed(3)}\n`);
    }
  }
}

await main();
