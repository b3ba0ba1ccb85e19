// Links the assembled sections the way link.ld places them and patches every fixup with final addresses.

import { RAM_BASE } from '../layout.ts';
import type { Assembler } from './assembler.ts';
import { StatementError, type SourceLoc } from './diagnostics.ts';
import { evaluate, type Expr, type Linear } from './expr.ts';
import { Frag, type Fixup, type OutputName, type Section } from './frags.ts';
import { encB, encI, encJ, encS, encU, hi20, lo12 } from './opcodes.ts';
import { alignPad, finalizeSection, relaxSection } from './relax.ts';
import { displayName, isInternal } from './symbols.ts';

export const BASE_ADDRESS = RAM_BASE;

export interface OutputSection {
  name: OutputName;
  address: number;
  size: number;
  /** Contents (empty for .bss). */
  data: Uint8Array;
  nobits: boolean;
  align: number;
}

export interface LinkedSymbol {
  name: string;
  value: number;
  /** Output section name, or null for absolute (.equ) symbols. */
  section: OutputName | null;
  global: boolean;
}

export interface Linked {
  sections: OutputSection[];
  symbols: LinkedSymbol[];
  entry: number;
}

const OUTPUTS: OutputName[] = ['.text', '.rodata', '.data', '.bss'];

/** Input sections of one output section in link.ld order: .text.init first, then file order. */
function inputsOf(asm: Assembler, out: OutputName): Section[] {
  const secs = [...asm.sections.values()].filter((s) => s.output === out).sort((a, b) => a.order - b.order);
  if (out !== '.text') return secs;
  return [...secs.filter((s) => s.name === '.text.init'), ...secs.filter((s) => s.name !== '.text.init')];
}

export function link(asm: Assembler): Linked {
  for (const sec of asm.sections.values()) prepareSection(asm, sec);
  const sections = placeSections(asm);
  fillSections(asm, sections);
  const symbols = linkedSymbols(asm);
  const start = asm.symbols.map.get('_start');
  const text = sections.find((s) => s.name === '.text');
  // ld: "cannot find entry symbol _start; defaulting to" the start of .text.
  const entry = start && start.kind !== 'undef' ? symbols.find((s) => s.name === '_start')?.value ?? BASE_ADDRESS : text?.address ?? BASE_ADDRESS;
  return { sections, symbols, entry };
}

/** Ends a section's fragments, resolves its jump targets, relaxes it and fixes its fragments' places. */
function prepareSection(asm: Assembler, sec: Section): void {
  const diags = asm.diags;
  // GNU pads the end of code sections to their alignment (SUB_SEGMENT_ALIGN) with an alignment fragment.
  if (sec.code) {
    const f = sec.current;
    f.type = 'align';
    f.p2 = sec.alignP2;
    f.alignFill = 'code';
    sec.newFrag();
  }
  for (const f of sec.frags) {
    if ((f.type === 'branch' || f.type === 'jal') && f.target) {
      try {
        f.targetValue = evaluate(f.target, (n, col) => asm.symbols.resolve(n, { ...f.loc!, column: col }), f.loc!);
      } catch (e) {
        if (!(e instanceof StatementError)) throw e;
        diags.error(e.loc, e.message);
      }
    }
  }
  relaxSection(sec);
  finalizeSection(sec, diags);
}

/**
 * Places the output sections as link.ld does: .text at BASE; .rodata/.data/.bss each ALIGN(4) and at
 * least their inputs' alignment (empty ones left out). Sets each input section's address.
 */
function placeSections(asm: Assembler): OutputSection[] {
  const diags = asm.diags;
  let dot = BASE_ADDRESS;
  const sections: OutputSection[] = [];
  for (const out of OUTPUTS) {
    const inputs = inputsOf(asm, out);
    const align = inputs.reduce((m, s) => Math.max(m, 2 ** s.alignP2), out === '.text' ? 1 : 4);
    const nonEmpty = inputs.some((s) => s.finalSize > 0);
    if (!nonEmpty) continue;
    const start = dot + alignPad(dot, Math.log2(align));
    let pos = start;
    for (const s of inputs) {
      pos += alignPad(pos, s.alignP2);
      s.address = pos;
      pos += s.finalSize;
    }
    sections.push({ name: out, address: start, size: pos - start, data: new Uint8Array(0), nobits: out === '.bss', align });
    dot = pos;
  }
  const end = asm.lastLoc();
  if (dot > 0x1_0000_0000) diags.error(end, 'program does not fit below 4 GiB');
  // Alignment padding is only known now; the statements' bytes were checked as they grew.
  const stored = sections.reduce((n, s) => n + (s.nobits ? 0 : s.size), 0);
  if (stored > asm.budget.limits.maxImageBytes) throw asm.budget.imageTooLarge(end);
  return sections;
}

/** The final address of a value (a constant plus fragment bases), as a signed 64-bit number. */
function place(v: Linear): number {
  let sum = v.c;
  for (const [k, coef] of v.terms) if (k instanceof Frag) sum += coef * BigInt(k.section.address + k.final);
  return Number(BigInt.asIntN(64, sum));
}

/** The placed sections' bytes: every fragment rendered, every fixup and relaxable jump patched. */
function fillSections(asm: Assembler, sections: readonly OutputSection[]): void {
  const diags = asm.diags;
  const relaxAtEnd = asm.relax;
  const pcrelHi = new Map<number, { expr: Expr; loc: SourceLoc }>();
  for (const sec of asm.sections.values()) {
    for (const f of sec.frags) {
      for (const x of f.fixups) if (x.kind === 'pcrel_hi20') pcrelHi.set(sec.address + f.final + x.offset, { expr: x.expr, loc: x.loc });
    }
  }
  const valueOf = (e: Expr, loc: SourceLoc): number =>
    place(evaluate(e, (n, col) => asm.symbols.resolve(n, { ...loc, column: col }), loc));

  for (const out of sections) {
    if (out.nobits) continue;
    const data = new Uint8Array(out.size);
    for (const sec of inputsOf(asm, out.name)) {
      for (const f of sec.frags) {
        renderFrag(f, data, sec.address - out.address, relaxAtEnd);
        for (const x of f.fixups) {
          try {
            applyFixup(x, f, data, sec.address - out.address, out.address, valueOf, pcrelHi);
          } catch (e) {
            if (!(e instanceof StatementError)) throw e;
            diags.error(e.loc, e.message);
          }
        }
        if ((f.type === 'branch' || f.type === 'jal') && f.targetValue) {
          try {
            renderJump(f, data, sec.address - out.address, out.address, place(f.targetValue));
          } catch (e) {
            if (!(e instanceof StatementError)) throw e;
            diags.error(e.loc, e.message);
          }
        }
      }
    }
    out.data = data;
  }
}

/** The symbols the ELF lists (not internal ones), with final values; errors are reported. */
function linkedSymbols(asm: Assembler): LinkedSymbol[] {
  const diags = asm.diags;
  const symbols: LinkedSymbol[] = [];
  for (const s of asm.symbols.map.values()) {
    // An undefined symbol was reported where it is used; a .globl one nobody uses is fine (GNU ld too).
    if (s.kind === 'undef') continue;
    if (isInternal(s.name)) continue;
    try {
      const v = s.kind === 'label' ? s.frag!.section.address + s.frag!.final + s.offset! : place(asm.symbols.resolve(s.name, s.loc!));
      const sec = s.kind === 'label' ? s.frag!.section.output : null;
      symbols.push({ name: s.name, value: v >>> 0, section: sec, global: s.global });
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
      diags.error(e.loc, e.message);
    }
  }
  return symbols;
}

/** Copies a fragment's bytes (fixed part, trimmed alignment nops, variable tail) into the output. */
function renderFrag(f: Frag, data: Uint8Array, secOffset: number, relaxAtEnd: boolean): void {
  let at = secOffset + f.final;
  const ra = f.relaxAlign;
  const fixed = ra ? f.fix - ra.worst : f.fix;
  data.set(f.bytes.subarray(0, fixed), at);
  at += fixed;
  if (ra) {
    // ld rewrites the kept part: 4-byte nops, then a 2-byte c.nop if needed.
    let k = 0;
    for (; k + 4 <= ra.keep; k += 4) put32(data, at + k, 0x13);
    if (k < ra.keep) data[at + k] = 0x01, data[at + k + 1] = 0x00;
    at += ra.keep;
  }
  if (f.type === 'fill') {
    // The pattern once, then doubling copies: megabytes of .space take a few calls, not one per byte.
    const p = f.fillPattern;
    const total = f.fillCount * p.length;
    if (total > 0) {
      data.set(p, at);
      for (let done = p.length; done < total; done *= 2) data.copyWithin(at + done, at, at + Math.min(done, total - done));
    }
  } else if (f.type === 'align') {
    if (f.alignFill === 'code') {
      // riscv_handle_align: zeros under relaxation; otherwise odd bytes as zero, a c.nop for 2, then nops.
      if (!relaxAtEnd) {
        let i = 0;
        const excess = f.var % 4;
        if (excess % 2 === 1) data[at + i++] = 0;
        if ((excess - i) % 4 === 2) data[at + i] = 0x01, data[at + i + 1] = 0, i += 2;
        for (; i + 4 <= f.var; i += 4) put32(data, at + i, 0x13);
      }
    } else data.fill(f.alignFill, at, at + f.var);
  }
}

function put32(data: Uint8Array, at: number, v: number): void {
  data[at] = v & 0xff;
  data[at + 1] = (v >>> 8) & 0xff;
  data[at + 2] = (v >>> 16) & 0xff;
  data[at + 3] = (v >>> 24) & 0xff;
}

function get32(data: Uint8Array, at: number): number {
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0;
}

/** Branch/jal tails: short form, or GNU's long form (inverted branch over a jal). */
function renderJump(f: Frag, data: Uint8Array, secOffset: number, outAddr: number, target: number): void {
  const at = secOffset + f.final + f.fix;
  const pc = outAddr + at;
  const loc = f.loc!;
  if (f.type === 'jal' || f.var === 8) {
    const jpc = f.type === 'jal' ? pc : pc + 4;
    const off = target - jpc;
    if (off % 2 !== 0) throw new StatementError(loc, 'jump target is misaligned');
    if (off < -(1 << 20) || off >= 1 << 20) throw new StatementError(loc, `${f.type === 'jal' ? 'jump' : 'branch'} target out of range (${off} bytes)`);
    if (f.type === 'jal') return put32(data, at, f.insn | encJ(off));
    put32(data, at, (f.insn ^ 0x1000) | encB(8)); // invert the condition, skip the jal
    put32(data, at + 4, 0x6f | encJ(off));
    return;
  }
  const off = target - pc;
  if (off % 2 !== 0) throw new StatementError(loc, 'branch target is misaligned');
  if (off < -4096 || off > 4094) throw new StatementError(loc, `branch target out of range (${off} bytes)`);
  put32(data, at, f.insn | encB(off));
}

function applyFixup(
  x: Fixup, f: Frag, data: Uint8Array, secOffset: number, outAddr: number,
  valueOf: (e: Expr, loc: SourceLoc) => number, pcrelHi: Map<number, { expr: Expr; loc: SourceLoc }>,
): void {
  const at = secOffset + f.final + x.offset;
  const pc = outAddr + at;
  const loc = x.loc;
  const v = valueOf(x.expr, loc);
  const or = (bits: number): void => put32(data, at, (get32(data, at) | bits) >>> 0);
  const range = (lo: number, hi: number, what: string): void => {
    if (v < lo || v > hi) throw new StatementError(loc, `${what} out of range: ${v} (expected ${lo}..${hi})`);
  };
  switch (x.kind) {
    case 'imm_i': range(-2048, 2047, 'immediate'); return or(encI(v));
    case 'imm_s': range(-2048, 2047, 'offset'); return or(encS(v));
    case 'imm_u': range(0, 0xfffff, 'upper immediate'); return or(encU(v));
    case 'shamt': range(0, 31, 'shift amount'); return or((v & 31) << 20);
    case 'uimm5': range(0, 31, 'immediate'); return or((v & 31) << 15);
    case 'csr': range(0, 4095, 'CSR number'); return or(v << 20);
    case 'hi20': return or(encU(hi20(v)));
    case 'lo12_i': return or(encI(lo12(v)));
    case 'lo12_s': return or(encS(lo12(v)));
    case 'pcrel_hi20': return or(encU(hi20(v - pc)));
    case 'pcrel_lo12_i':
    case 'pcrel_lo12_s': {
      // As GNU ld: `%pcrel_lo(label + n)` finds the auipc at `label` and adds n to the low part.
      const [label, addend] = splitAddend(x.expr, loc, valueOf, v);
      const hi = pcrelHi.get(label >>> 0);
      if (!hi) throw new StatementError(loc, '%pcrel_lo must name the label of an auipc with %pcrel_hi');
      const off = lo12(valueOf(hi.expr, hi.loc) + addend - label);
      return or(x.kind === 'pcrel_lo12_i' ? encI(off) : encS(off));
    }
    case 'call': {
      const off = (v - pc) | 0;
      or(encU(hi20(off)));
      put32(data, at + 4, (get32(data, at + 4) | encI(lo12(off))) >>> 0);
      return;
    }
    case 'data1': data[at] = v & 0xff; return;
    case 'data2': data[at] = v & 0xff; data[at + 1] = (v >>> 8) & 0xff; return;
    case 'data4': return put32(data, at, v >>> 0);
    case 'data8':
      put32(data, at, v >>> 0);
      put32(data, at + 4, Math.floor(v / 2 ** 32) >>> 0);
      return;
    case 'branch':
    case 'jal':
      return;
  }
}

export { displayName };

/** `label + n`, `n + label` or `label - n` (n a number) as [label's value, ±n]; anything else as [value, 0]. */
function splitAddend(e: Expr, loc: SourceLoc, valueOf: (e: Expr, loc: SourceLoc) => number, value: number): [number, number] {
  const inner = e.k === 'mod' ? e.a : e;
  if (inner.k !== 'bin' || (inner.op !== '+' && inner.op !== '-')) return [value, 0];
  if (inner.b.k === 'num') {
    const n = Number(BigInt.asIntN(32, inner.b.v));
    return [valueOf(inner.a, loc), inner.op === '+' ? n : -n];
  }
  if (inner.a.k === 'num' && inner.op === '+') return [valueOf(inner.b, loc), Number(BigInt.asIntN(32, inner.a.v))];
  return [value, 0];
}

