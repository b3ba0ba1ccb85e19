// The assembler's budgets: hostile sources (include bombs, macro bombs, huge .space, deep
// expressions) stop with a located error naming the budget, checked as the work grows.

import { LimitError, type SourceLoc } from './diagnostics.ts';
import { formatBytes, MAX_FILE_BYTES } from '../files.ts';

export interface AsmLimits {
  /** Bytes one file of `.include`, `#include` or `.incbin` may have. */
  maxFileBytes: number;
  /** Statements of one run: the sources, every include of a file, every macro, `.rept` and `.irp` copy. */
  maxStatements: number;
  /** Characters of text one run works through: each file each time it is included, and expanded statements. */
  maxSourceChars: number;
  /** Nested macros, `.rept`/`.irp` and `.include` (GNU: "macros nested too deeply"). */
  maxNesting: number;
  /** Nested `#include` files. */
  maxIncludeDepth: number;
  /** Bytes of the assembled image's stored sections (.text, .rodata, .data; `.bss` takes none). */
  maxImageBytes: number;
  /** Errors before the run stops listing them. */
  maxErrors: number;
}

/**
 * Defaults, for the user's own files. Every .S of the repo is far below them (the largest: 978
 * statements, 33 KB of text, 123 KiB of image). A macro bomb stops at 1000000 statements in 3 to
 * 5 s (up to 14 s on a loaded machine, scripts/audit.ts); shared files have the level's tighter
 * budget (src/level/images.ts).
 */
export const DEFAULT_LIMITS: Readonly<AsmLimits> = {
  maxFileBytes: MAX_FILE_BYTES,
  maxStatements: 1_000_000,
  maxSourceChars: 64 * 1024 * 1024,
  maxNesting: 100,
  maxIncludeDepth: 32,
  maxImageBytes: 64 * 1024 * 1024,
  maxErrors: 1000,
};

export { LimitError };

/**
 * The counters of one run against its limits, or of several runs together (a level's images share
 * one, so sixteen OSes cannot each spend a whole budget): `scope` says whose limit it is.
 */
export class Budget {
  statements = 0;
  chars = 0;

  constructor(readonly limits: Readonly<AsmLimits>, readonly scope = "the assembler's limit for one run") {}

  /** Counts `n` more statements of `chars` characters, or throws at `loc` if that is over a limit. */
  spend(n: number, chars: number, loc: SourceLoc): void {
    this.statements += n;
    this.chars += chars;
    if (this.statements > this.limits.maxStatements) throw new LimitError(loc, `expansion too large: over ${this.limits.maxStatements} statements (${this.scope})`);
    if (this.chars > this.limits.maxSourceChars) throw new LimitError(loc, `expansion too large: over ${formatBytes(this.limits.maxSourceChars)} of source text (${this.scope}, counting each include and expansion)`);
  }

  /** Throws at `loc` unless `n` more statements still fit (checked before building a `.rept`). */
  canAdd(n: number, loc: SourceLoc): void {
    if (this.statements + n > this.limits.maxStatements) this.spend(n, 0, loc);
  }

  /** Throws at `loc` unless `chars` more characters of text still fit (checked while expanding). */
  canAddChars(chars: number, loc: SourceLoc): void {
    if (this.chars + chars > this.limits.maxSourceChars) this.spend(0, chars, loc);
  }

  imageTooLarge(loc: SourceLoc): LimitError {
    return new LimitError(loc, `image too large: over ${formatBytes(this.limits.maxImageBytes)} (the assembler's limit for code and data)`);
  }
}
