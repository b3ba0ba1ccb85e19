// The text a compiled block is written into (cpu-jit-region.ts): the block's source lines, the guest
// registers it uses (kept in locals r1..r31) and the placeholders for their loads and write-backs.

/** Placeholders filled in once a block is emitted: its register loads and its write-backs. */
export const DECL = '/*decl*/';
export const WRITE_BACK = '/*wb*/';

/** The pc of word `w` of the page, as int32 (position independent: B is the page base). */
export const at = (w: number): string => `(B + ${4 * w}) | 0`;

/**
 * Source text of one block; the registers it uses live in locals r1..r31, loaded at the block's
 * start and stored back before it leaves (a self-loop keeps them in locals across iterations).
 */
export class BlockWriter {
  readonly used = new Set<number>();
  readonly written = new Set<number>();
  readonly lines: string[] = [];

  /** The label a slow path breaks to: the block's one write-back-and-leave sequence follows it. */
  bailLabel = '';

  constructor(readonly memSize: number, readonly caseOf: ReadonlyMap<number, number>) {}

  r(n: number): string {
    if (n === 0) return '0';
    this.used.add(n);
    return `r${n}`;
  }
  set(n: number, expr: string): void {
    if (n === 0) return;
    this.used.add(n);
    this.written.add(n);
    this.lines.push(`r${n} = ${expr};`);
  }
  emit(line: string): void {
    this.lines.push(line);
  }
  /**
   * Leaves the region from inside the block after a slow path (`expr`, the bail value, is computed
   * with c.runN already holding n): through the block's one write-back sequence.
   */
  bail(expr: string): string {
    return `{ pc = ${expr}; break ${this.bailLabel}; }`;
  }
  text(): string {
    const regs = [...this.used].sort((a, b) => a - b);
    const body = this.lines.join('\n');
    const temps = ['a', 'o', 'v', 'p', 's', 'q'].filter((t) => new RegExp(`\\b${t}\\b`).test(body)).map((t) => `${t} = 0`);
    const decl = regs.length + temps.length === 0 ? '' : `let ${[...regs.map((n) => `r${n} = x[${n}]`), ...temps].join(', ')};`;
    let wb = '';
    for (const n of regs) if (this.written.has(n)) wb += `x[${n}] = r${n}; `;
    return body.replace(DECL, decl).replaceAll(WRITE_BACK, wb);
  }
}
