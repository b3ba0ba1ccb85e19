// The `jumpback` command line: dispatches a verb to its module (each verb lives in its own file).

const USAGE = `usage: jumpback <verb> [options]

verbs:
  asm FILE.S -o OUT [--format elf|bin]      assemble a RISC-V source file
  run IMAGE [--bare|--sbi] [--ram-mib N] [--max-instret N]
      [--kexec-flavour merged|seed] [--trace kexec]
                                            run an image; UART to stdout; in sbi mode the
                                            image can kexec (load, jump, call) as in levels
  level LEVEL.json [--solution FILE] [--seed N] [--json] [--record OUT.gif]
                                            play a level headless: goals, score, event-log hash;
                                            --record saves the run as a replay GIF
  validate LEVEL.json                       check a level and its reference/wrong solutions
  par LEVEL.json [--write]                  par and histograms from the level's own solutions
  new-level NAME [--dir DIR]                write a working level skeleton to start from
  serve [--port N]                          build and serve the browser demo on 127.0.0.1
  build-site [--out DIR]                    write the static demo site (default dist/)
`;

type Verb = (args: string[]) => Promise<number>;

const verbs: Record<string, () => Promise<Verb>> = {
  asm: async () => (await import('./asm.ts')).asmCommand,
  run: async () => (await import('./run.ts')).runCommand,
  level: async () => (await import('./level.ts')).levelCommand,
  validate: async () => (await import('./validate.ts')).validateCommand,
  par: async () => (await import('./par.ts')).parCommand,
  'new-level': async () => (await import('./new-level.ts')).newLevelCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  'build-site': async () => (await import('./serve.ts')).buildSiteCommand,
};

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '-h' || verb === '--help' || verb === 'help') {
    process.stdout.write(USAGE);
    return verb === undefined ? 2 : 0;
  }
  const load = verbs[verb];
  if (!load) {
    process.stderr.write(`jumpback: unknown verb '${verb}'\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}
