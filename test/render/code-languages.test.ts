// The code editor's highlighting (node, no browser): the asm stream parser names labels, mnemonics,
// directives, registers, CSRs, numbers, strings and comments the way the page colours them; the
// script parser names step verbs, options, field references and an unknown verb.
import { classHighlighter, highlightTree } from '@lezer/highlight';
import { describe, expect, it } from 'vitest';
import { jumpbackScript, riscvAsm } from '../../src/render/game/code-languages.ts';
import type { Language } from '@codemirror/language';

/** [text, class] for every highlighted token of `text`. */
function tokens(lang: Language, text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  highlightTree(lang.parser.parse(text), classHighlighter, (from, to, cls) => out.push([text.slice(from, to), cls]));
  return out;
}

describe('asm highlighting', () => {
  it('names each kind of token', () => {
    const t = tokens(riscvAsm, 'loop:   addi  a0, a0, -0x10  # count\n        .word 42\n        csrr t0, sstatus\n1:      bnez  t1, 1b\n        .ascii "hi"');
    expect(t).toContainEqual(['loop:', 'tok-labelName']);
    expect(t).toContainEqual(['addi', 'tok-keyword']);
    expect(t).toContainEqual(['a0', 'tok-variableName2']);
    expect(t).toContainEqual(['0x10', 'tok-number']);
    expect(t).toContainEqual(['# count', 'tok-comment']);
    expect(t).toContainEqual(['.word', 'tok-meta']);
    expect(t).toContainEqual(['42', 'tok-number']);
    expect(t).toContainEqual(['sstatus', 'tok-variableName2']);
    expect(t).toContainEqual(['1:', 'tok-labelName']);
    expect(t).toContainEqual(['1b', 'tok-number']);
    expect(t).toContainEqual(['"hi"', 'tok-string']);
  });

  it('takes a symbol operand as a name, not a register, and a second statement after ;', () => {
    const t = tokens(riscvAsm, 'call isqrt; ret');
    expect(t).toContainEqual(['isqrt', 'tok-variableName']);
    expect(t.filter(([, c]) => c === 'tok-keyword').map(([w]) => w)).toEqual(['call', 'ret']);
  });
});

describe('script highlighting', () => {
  it('names verbs, options, values and references', () => {
    const t = tokens(jumpbackScript, 'kexec -l B --mem-min=0x80200000 ${load}\nwait 2\necho hello world\nkexex -e');
    expect(t).toContainEqual(['kexec', 'tok-keyword']);
    expect(t).toContainEqual(['-l', 'tok-propertyName']);
    expect(t).toContainEqual(['--mem-min', 'tok-propertyName']);
    expect(t).toContainEqual(['=0x80200000', 'tok-number']);
    expect(t).toContainEqual(['${load}', 'tok-variableName2']);
    expect(t).toContainEqual(['wait', 'tok-keyword']);
    expect(t).toContainEqual(['2', 'tok-number']);
    expect(t.filter(([, c]) => c === 'tok-string').map(([w]) => w).join('')).toBe('helloworld');
    expect(t).toContainEqual(['kexex', 'tok-invalid']);
  });
});
