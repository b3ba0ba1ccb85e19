// The layer rule (issue 9, docs/architecture.md): one floor per folder, imports only run down.
//   os  <-  sim  <-  kexec  <-  level  <-  api, render, cli
// os: the assembler and ELF (imports nothing of ours); sim: the machine and the generic RxJS
// simulation core; kexec: the kexec subsystem on the machine; level: the level engine;
// api / render / cli: the faces (library, browser, command line).
// `npm run lint:deps` checks it (and test/repo/layers.test.ts runs that in CI).
const FLOORS = ['os', 'sim', 'kexec', 'level', 'api|render|cli'];

/** A rule forbidding floor `i` to import any floor above it. */
function noUpward(i) {
  const above = FLOORS.slice(i + 1).join('|');
  return {
    name: `no-upward-from-${FLOORS[i].replace(/\|/g, '-')}`,
    comment: `src/${FLOORS[i]} is below ${above}: it must not import them`,
    severity: 'error',
    from: { path: `^src/(${FLOORS[i]})/` },
    to: { path: `^src/(${above})/` },
  };
}

module.exports = {
  forbidden: [
    ...FLOORS.slice(0, -1).map((_, i) => noUpward(i)),
    {
      name: 'no-circular',
      comment: 'no file-level import circle (type-only imports count too: they tie the files the same way for a reader)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'faces-do-not-import-each-other',
      comment: 'the browser, the CLI and the library are separate faces over the level engine',
      severity: 'error',
      from: { path: '^src/(render|cli)/' },
      to: { path: '^src/api/' },
    },
    {
      name: 'src-not-from-tests',
      comment: 'the product does not import its tests, benches or scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|build)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
