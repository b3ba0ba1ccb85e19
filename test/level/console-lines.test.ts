// ConsoleLines: UART bytes become one line event per OS (at its first byte), a partial line goes
// out on flush, and past its cap nothing more is recorded (the flood is reported once).
import { describe, expect, it } from 'vitest';
import { ConsoleLines } from '../../src/level/console-lines.ts';

const bytes = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe('ConsoleLines', () => {
  it('cuts lines at newlines and at a change of OS, stamped with their first byte', () => {
    const out: Array<[string, number, string]> = [];
    const lines = new ConsoleLines((os, at, text) => out.push([os, at, text]));
    let now = 10;
    for (const b of bytes('hi\nbo')) lines.byte(b, 'A', () => now++);
    for (const b of bytes('x\n')) lines.byte(b, 'B', () => now++);
    lines.byte(0x21, 'B', () => now++);
    expect(out).toEqual([['A', 10, 'hi\n'], ['A', 11, 'bo'], ['B', 12, 'x\n']]);
    lines.flush();
    expect(out.at(-1)).toEqual(['B', 13, '!']);
    lines.flush();
    expect(out.length).toBe(4);
  });

  it('stops recording past its cap and says so once', () => {
    const out: string[] = [];
    let floods = 0;
    const lines = new ConsoleLines((_os, _at, text) => out.push(text), { maxBytes: 100, maxLines: 2, onFlood: () => floods++ });
    for (const b of bytes('a\nb\nc\nd\n')) lines.byte(b, 'A', () => 0);
    lines.flush();
    expect(out).toEqual(['a\n', 'b\n', 'c']);
    expect(floods).toBe(1);
  });
});
