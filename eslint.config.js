// Lint rules that keep the house readable (issue 9): no source file over 400 lines, no function
// over 80. Only the size rules: style is left to review and the compiler (strict TypeScript).
// `npm run lint` runs it with the dependency check (.dependency-cruiser.cjs).
import tseslint from 'typescript-eslint';

/** Files still over a limit, being split (issue 9): each entry goes when its file is. */
const BEING_SPLIT = [
  'src/cli/run.ts',
  'src/kexec/jump.ts',
  'src/os/asm/assembler.ts',
  'src/os/asm/directives.ts',
  'src/os/asm/elf-writer.ts',
  'src/os/asm/lexer.ts',
  'src/os/asm/link.ts',
  'src/render/app.ts',
  'src/render/game/editor.ts',
  'src/render/game/game-app.ts',
  'src/render/game/timeline.ts',
  'src/sim/cpu-jit.ts',
  'src/sim/cpu.ts',
];

export default tseslint.config(
  { ignores: ['build/**', 'node_modules/**', 'test-artifacts/**', 'examples/**/node_modules/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }],
    },
  },
  ...(BEING_SPLIT.length > 0
    ? [{ files: BEING_SPLIT, rules: { 'max-lines': 'off', 'max-lines-per-function': 'off' } }]
    : []),
);
