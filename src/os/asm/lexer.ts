// Splits one assembler statement's operand text into tokens (GNU as lexical rules for RISC-V).

import { StatementError, type SourceLoc } from './diagnostics.ts';

export type Token =
  | { kind: 'ident'; text: string; col: number }
  /** `big`: wider than 64 bits (`value` keeps the low 64), as GNU's bignums. */
  | { kind: 'num'; value: bigint; col: number; big?: true }
  /** Numeric local label reference such as `1b` or `2f`. */
  | { kind: 'local'; label: string; dir: 'b' | 'f'; col: number }
  | { kind: 'str'; bytes: number[]; col: number }
  | { kind: 'op'; text: string; col: number }
  /** Relocation modifier such as `%hi`, `%pcrel_lo`. */
  | { kind: 'mod'; text: string; col: number }
  | { kind: 'end'; col: number };

const TWO_64 = 1n << 64n;
const OPS2 = new Set(['<<', '>>', '==', '!=', '<=', '>=', '&&', '||', '<>']);
const OPS1 = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '(', ')', ',', '<', '>']);

// Character classes by code (this runs for every character of every operand: no regex per char).
const isLetter = (k: number): boolean => (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95 || k === 46 || k === 36; // a-z A-Z _ . $
const isDigit = (k: number): boolean => k >= 48 && k <= 57;

export function isIdentStart(c: string): boolean {
  return c.length > 0 && isLetter(c.charCodeAt(0));
}

export function isIdentChar(c: string): boolean {
  const k = c.charCodeAt(0);
  return isLetter(k) || isDigit(k);
}

/** Index after the identifier characters from `i`. */
function identEnd(text: string, i: number): number {
  let j = i;
  for (; j < text.length; j++) {
    const k = text.charCodeAt(j);
    if (!isLetter(k) && !isDigit(k)) break;
  }
  return j;
}

/**
 * GNU as escapes (checked against it): no `\a` or `\e` (they stand for the letters), and in a character
 * constant not `\v` either ('\v' is 'v', "\v" is 11) nor octal/hex ('\0' is '0'); any other escaped
 * character is itself.
 */
const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, '\\': 92, '"': 34, "'": 39 };

/** Reads one escape sequence after a backslash at `i`; returns the byte and the index after it. */
function readEscape(s: string, i: number, inChar = false): [number, number] {
  const c = s[i] ?? '';
  if (c in ESCAPES && !(inChar && c === 'v')) return [ESCAPES[c]!, i + 1];
  if (inChar) return [s.charCodeAt(i), i + 1]; // GNU: no octal or hex escapes in character constants
  if (c === 'x' || c === 'X') {
    let j = i + 1;
    let v = 0;
    while (j < s.length && /[0-9a-fA-F]/.test(s[j]!)) v = (v * 16 + parseInt(s[j]!, 16)) & 0xff, j++;
    return [v, j];
  }
  if (/[0-7]/.test(c)) {
    let j = i;
    let v = 0;
    while (j < s.length && j < i + 3 && /[0-7]/.test(s[j]!)) v = v * 8 + (s.charCodeAt(j) - 48), j++;
    return [v & 0xff, j];
  }
  return [s.charCodeAt(i), i + 1];
}

/** Encodes a JS string as UTF-8 bytes (source files are UTF-8). */
function utf8(ch: string): number[] {
  return Array.from(new TextEncoder().encode(ch));
}

/** Reports a lexical error at index `at` of the operand text. */
type Fail = (msg: string, at: number) => never;

/** The number `word` (digits first, at index `at`, column `col`): decimal, 0x, 0b or octal. */
function numberToken(word: string, col: number, at: number, fail: Fail): Token {
  // GNU (expr.c integer_constant) keeps a literal with fewer digits than its radix's
  // "too many" count in a 64-bit valueT, wrapping (only 22-digit octal can); longer ones become
  // bignums, exact, which fit again only below 2^64.
  const small = word.length <= 15 && /^[1-9][0-9]*$/.test(word); // the common case, exact as a double
  const form = small ? { radix: '', digits: word, tooMany: 18 } : /^0[xX]([0-9a-fA-F]+)$/.exec(word) ? { radix: '0x', digits: word.slice(2), tooMany: 17 }
    : /^0[bB]([01]+)$/.exec(word) ? { radix: '0b', digits: word.slice(2), tooMany: 65 }
    : /^0[0-7]*$/.test(word) ? { radix: '0o', digits: word.slice(1) || '0', tooMany: 23 }
    : /^[1-9][0-9]*$/.test(word) ? { radix: '', digits: word, tooMany: 18 } : undefined;
  if (!form) return fail(`bad number '${word}'`, at);
  // Past 70 significant digits it is a bignum in every radix: no BigInt() of a megabyte of digits.
  const huge = form.digits.replace(/^0+/, '').length > 70;
  const v = huge ? 0n : small ? BigInt(Number(word)) : BigInt(form.radix + form.digits);
  if (huge || (form.digits.length >= form.tooMany && v >= TWO_64)) return { kind: 'num', value: BigInt.asIntN(64, v), col, big: true };
  return { kind: 'num', value: BigInt.asIntN(64, v), col };
}

/** Reads the string literal whose opening quote is at `i`: its bytes and the index of its closing quote. */
function readString(text: string, i: number, fail: Fail): [bytes: number[], close: number] {
  const bytes: number[] = [];
  let j = i + 1;
  for (;;) {
    if (j >= text.length) return fail('unterminated string', i);
    const d = text[j]!;
    if (d === '"') break;
    if (d === '\\') {
      if (j + 1 >= text.length) return fail('unterminated string', i);
      const [b, k] = readEscape(text, j + 1);
      bytes.push(b);
      j = k;
    } else if (text.charCodeAt(j) < 0x80) {
      bytes.push(text.charCodeAt(j));
      j++;
    } else {
      const cp = text.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      for (const b of utf8(ch)) bytes.push(b);
      j += ch.length;
    }
  }
  return [bytes, j];
}

/** Tokenizes `text`; `col0` is the 1-based column of text[0] in the source line. */
export function tokenize(text: string, col0: number, loc: SourceLoc): Token[] {
  const out: Token[] = [];
  let i = 0;
  const err = (msg: string, at: number): never => {
    throw new StatementError({ ...loc, column: col0 + at }, msg);
  };
  while (i < text.length) {
    const c = text[i]!;
    const col = col0 + i;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    const k = text.charCodeAt(i);
    if (isDigit(k)) {
      const j = identEnd(text, i);
      const word = text.slice(i, j);
      const local = /^([0-9]+)([bf])$/.exec(word);
      if (local) out.push({ kind: 'local', label: String(Number(local[1])), dir: local[2] as 'b' | 'f', col });
      else out.push(numberToken(word, col, i, err));
      i = j;
      continue;
    }
    if (isLetter(k)) {
      const j = identEnd(text, i);
      out.push({ kind: 'ident', text: text.slice(i, j), col });
      i = j;
      continue;
    }
    if (c === '"') {
      const [bytes, close] = readString(text, i, err);
      out.push({ kind: 'str', bytes, col });
      i = close + 1;
      continue;
    }
    if (c === "'") {
      // GNU accepts both 'c (its own syntax) and the C form 'c' that cpp leaves alone.
      let v: number;
      let j: number;
      if (text[i + 1] === '\\' && i + 2 < text.length) [v, j] = readEscape(text, i + 2, true);
      else if (i + 1 < text.length && text[i + 1] !== '\\') [v, j] = [text.charCodeAt(i + 1), i + 2];
      else return err('bad character constant', i);
      if (text[j] === "'") j++;
      out.push({ kind: 'num', value: BigInt(v), col });
      i = j;
      continue;
    }
    if (c === '%' && isIdentStart(text[i + 1] ?? '')) {
      const j = identEnd(text, i + 1);
      const name = text.slice(i + 1, j);
      if (/^(hi|lo|pcrel_hi|pcrel_lo)$/.test(name)) {
        out.push({ kind: 'mod', text: name, col });
        i = j;
        continue;
      }
    }
    const two = text.slice(i, i + 2);
    const op = OPS2.has(two) ? two : OPS1.has(c) ? c : undefined;
    if (op) {
      out.push({ kind: 'op', text: op, col });
      i += op.length;
      continue;
    }
    return err(`unexpected character '${c}'`, i);
  }
  out.push({ kind: 'end', col: col0 + text.length });
  return out;
}
