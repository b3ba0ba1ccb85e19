// Assembler diagnostics: source locations and the error that carries every problem of one run.

/** One problem found while assembling, located in the source the user wrote. */
export interface AsmDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Where a statement or operand came from (1-based line and column). */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

/** Thrown by `assemble()`; `message` lists every diagnostic as `FILE:LINE:COL: message`. */
export class AsmError extends Error {
  readonly diagnostics: AsmDiagnostic[];

  constructor(diagnostics: AsmDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'AsmError';
    this.diagnostics = diagnostics;
  }
}

export function formatDiagnostic(d: AsmDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

/** Collects diagnostics so one run reports all of them instead of stopping at the first (up to `max`). */
export class Diagnostics {
  readonly list: AsmDiagnostic[] = [];

  constructor(private readonly max = Infinity) {}

  /** Records an error; the one after the `max`th stops the run (a file of garbage is not a million messages). */
  error(loc: SourceLoc, message: string): void {
    if (this.list.length >= this.max) throw new LimitError(loc, `too many errors (over ${this.max}); stopping here`);
    this.list.push({ file: loc.file, line: loc.line, column: loc.column, message });
  }

  get count(): number {
    return this.list.length;
  }
}

/** Raised inside one statement to abandon it; the statement loop records it and moves on. */
export class StatementError extends Error {
  constructor(readonly loc: SourceLoc, message: string) {
    super(message);
  }
}

/** A budget ran out (see limits.ts): the run stops here, with this one error added. */
export class LimitError extends StatementError {}
