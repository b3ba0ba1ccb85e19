// Highlighting for the editor's two code languages, as CodeMirror stream parsers (one line at a
// time, no grammar to maintain): RISC-V assembly as our assembler reads it (labels, mnemonics,
// registers and CSRs by the assembler's own tables, directives, numbers, strings, comments) and
// the level script's steps (kexec, load, call, wait, ...; options; ${field} and $VARIABLES).
import { StreamLanguage, type StreamParser, type StringStream } from '@codemirror/language';
import { csrNumber, regNumber } from '../../os/asm/registers.ts';

interface AsmState {
  /** True until the line's mnemonic (or directive) has been read: the next word is one. */
  head: boolean;
}

/** A number as GNU as writes one: 0x.., 0b.., decimal, a char 'c', or a local label ref 1f / 2b. */
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d+[fb]?\b|'(?:\\.|[^'\\])')/;
const WORD = /^[A-Za-z_.$][\w.$]*/;

const asmParser: StreamParser<AsmState> = {
  name: 'riscv-asm',
  startState: () => ({ head: true }),
  copyState: (s) => ({ ...s }),
  token(stream: StringStream, state: AsmState): string | null {
    if (stream.sol()) state.head = true;
    if (stream.eatSpace()) return null;
    // Comments: '#' (GNU as for RISC-V), '//' and a C block comment on one line.
    if (stream.match('#') || stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      if (!stream.skipTo('*/')) stream.skipToEnd();
      else stream.match('*/');
      return 'comment';
    }
    if (stream.peek() === ';') {
      stream.next();
      state.head = true; // a new statement on the same line
      return 'punctuation';
    }
    if (stream.match(/^"(?:\\.|[^"\\])*"?/)) return 'string';
    // A label definition: `name:` or a numeric local label `1:`.
    if (state.head && stream.match(/^(?:[A-Za-z_.$][\w.$]*|\d+):/)) return 'labelName';
    if (stream.match(NUMBER)) return 'number';
    const word = stream.match(WORD) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (state.head) {
        state.head = false;
        return w.startsWith('.') ? 'meta' : 'keyword';
      }
      if (regNumber(w) !== undefined) return 'variableName.special';
      if (csrNumber(w) !== undefined) return 'variableName.special';
      return 'variableName';
    }
    if (stream.match(/^%(?:hi|lo|pcrel_hi|pcrel_lo)\b/)) return 'operator';
    stream.next();
    return /[-+*/<>&|^~()]/.test(stream.current()) ? 'operator' : 'punctuation';
  },
  languageData: { commentTokens: { line: '#' } },
};

/** RISC-V assembly (the asm fields). */
export const riscvAsm = StreamLanguage.define(asmParser);

/** The first word of a script step: what the OS's user space does (schema.ts STEP_START). */
const STEP_WORDS = new Set(['kexec', 'load', 'call', 'wait', 'input', 'echo', 'poweroff', 'fail', 'fault']);

interface ScriptState {
  /** Which word of the step is next (0 = the step's verb). */
  word: number;
  /** After `echo` / `input`: the rest of the line is text. */
  text: boolean;
}

const scriptParser: StreamParser<ScriptState> = {
  name: 'jumpback-script',
  startState: () => ({ word: 0, text: false }),
  copyState: (s) => ({ ...s }),
  token(stream: StringStream, state: ScriptState): string | null {
    if (stream.sol()) {
      state.word = 0;
      state.text = false;
    }
    if (stream.eatSpace()) return null;
    if (stream.match(/^\$\{[^}]*\}?/) || stream.match(/^\$[A-Z_][A-Z0-9_]*(?:\{[^}]*\}?)?/)) return 'variableName.special';
    if (state.text) {
      stream.next();
      return 'string';
    }
    const word = stream.match(/^[^\s$]+/) as RegExpMatchArray | null;
    if (!word) {
      stream.next();
      return null;
    }
    const w = word[0];
    const first = state.word++ === 0;
    if (first) {
      if (w === 'echo' || w === 'input') state.text = true;
      return STEP_WORDS.has(w) ? 'keyword' : 'invalid';
    }
    if (w.startsWith('-')) {
      // --opt=value: the option, then its value as a number or plain word.
      const eq = w.indexOf('=');
      if (eq > 0) stream.backUp(w.length - eq);
      return 'propertyName';
    }
    if (w.startsWith('=')) return /^=(?:0x[0-9a-fA-F]+|\d+)$/.test(w) ? 'number' : 'string';
    if (/^(?:0x[0-9a-fA-F]+|\d+)$/.test(w)) return 'number';
    return 'variableName';
  },
};

/** The level script's steps (the script fields). */
export const jumpbackScript = StreamLanguage.define(scriptParser);
