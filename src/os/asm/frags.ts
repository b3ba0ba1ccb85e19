// Sections as GNU as builds them: a chain of fragments (fixed bytes + one variable tail), plus fixups.

import type { SourceLoc } from './diagnostics.ts';
import type { Expr, Linear } from './expr.ts';

/** How a fixup patches bytes once final addresses are known. */
export type FixKind =
  | 'branch' | 'jal' | 'imm_i' | 'imm_s' | 'imm_u' | 'hi20' | 'lo12_i' | 'lo12_s'
  | 'pcrel_hi20' | 'pcrel_lo12_i' | 'pcrel_lo12_s' | 'call' | 'shamt' | 'uimm5' | 'csr'
  | 'data1' | 'data2' | 'data4' | 'data8';

export interface Fixup {
  offset: number;
  kind: FixKind;
  expr: Expr;
  loc: SourceLoc;
}

export type FragType = 'plain' | 'fill' | 'align' | 'branch' | 'jal';

export class Frag {
  /** Fixed part; grows while this is the current fragment. */
  bytes = new Uint8Array(64);
  fix = 0;
  fixups: Fixup[] = [];
  type: FragType = 'plain';
  /** Size of the variable tail in the object layout (GNU fr_var after relaxation). */
  var = 0;
  /** Object-file (section-relative) address during and after relaxation. */
  addr = 0;
  /** Section-relative address after the linker applied R_RISCV_ALIGN deletions. */
  final = 0;
  // 'fill': count copies of pattern.
  fillCount = 0;
  fillPattern: Uint8Array = new Uint8Array(1);
  // 'align': pad to 2^p2; fill byte, or code fill (nops / zeros decided at the end); max skip (0 = none).
  p2 = 0;
  alignFill: number | 'code' = 0;
  maxSkip = 0;
  /** Worst-case nops for linker-relaxed alignment at the end of the fixed part (R_RISCV_ALIGN). */
  relaxAlign: { p2: number; worst: number; keep: number } | null = null;
  // 'branch' / 'jal': the instruction word (operands but no offset) and its target.
  insn = 0;
  target: Expr | null = null;
  targetValue: Linear | null = null;
  loc: SourceLoc | null = null;

  constructor(readonly section: Section) {}

  ensure(n: number): void {
    if (this.fix + n <= this.bytes.length) return;
    const b = new Uint8Array(Math.max(this.bytes.length * 2, this.fix + n));
    b.set(this.bytes.subarray(0, this.fix));
    this.bytes = b;
  }

  /** Appends `n` bytes of `value` little-endian to the fixed part and returns their offset. */
  emit(value: number, n: number): number {
    this.ensure(n);
    this.section.tally.bytes += n;
    const at = this.fix;
    for (let i = 0; i < n; i++) this.bytes[at + i] = (value >>> (8 * i)) & 0xff;
    this.fix += n;
    return at;
  }

  emitBytes(data: ArrayLike<number>): void {
    this.ensure(data.length);
    this.section.tally.bytes += data.length;
    for (let i = 0; i < data.length; i++) this.bytes[this.fix + i] = data[i]! & 0xff;
    this.fix += data.length;
  }

  /** Size in the final image (fixed part after alignment deletion plus the variable tail). */
  finalSize(): number {
    const fix = this.relaxAlign ? this.fix - this.relaxAlign.worst + this.relaxAlign.keep : this.fix;
    return fix + this.varSize();
  }

  varSize(): number {
    return this.type === 'fill' ? this.fillCount * this.fillPattern.length : this.var;
  }
}

/** Which output section of link.ld an input section lands in. */
export type OutputName = '.text' | '.rodata' | '.data' | '.bss';

export class Section {
  frags: Frag[] = [];
  /** log2 of the recorded alignment (GNU record_alignment). */
  alignP2 = 0;
  /** Object-layout size and final size (filled by relax/finalize). */
  size = 0;
  finalSize = 0;
  /** Address in the linked image. */
  address = 0;

  constructor(
    readonly name: string,
    readonly output: OutputName,
    readonly code: boolean,
    readonly nobits: boolean,
    readonly order: number,
    /** Bytes all sections of the run have taken so far (the assembler checks it against its image limit). */
    readonly tally: { bytes: number } = { bytes: 0 },
  ) {
    this.frags.push(new Frag(this));
  }

  get current(): Frag {
    return this.frags[this.frags.length - 1]!;
  }

  /** Closes the current fragment (GNU frag_new) and starts a plain one. */
  newFrag(): Frag {
    const f = new Frag(this);
    this.frags.push(f);
    return f;
  }

  recordAlign(p2: number): void {
    if (p2 > this.alignP2) this.alignP2 = p2;
  }

  /** True when nothing was ever emitted (ld still honours its alignment). */
  isEmpty(): boolean {
    return this.frags.every((f) => f.fix === 0 && f.varSize() === 0);
  }
}

/** Maps a section name to its output section under link.ld, or undefined when link.ld has no place for it. */
export function classifySection(name: string): { output: OutputName; code: boolean; nobits: boolean } | undefined {
  const m = (base: string): boolean => name === base || name.startsWith(base + '.');
  if (m('.text')) return { output: '.text', code: true, nobits: false };
  if (m('.rodata')) return { output: '.rodata', code: false, nobits: false };
  if (m('.data')) return { output: '.data', code: false, nobits: false };
  if (m('.bss')) return { output: '.bss', code: false, nobits: true };
  return undefined;
}
