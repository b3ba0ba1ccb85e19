// The console as events: UART bytes become one line per OS (a line ends at '\n', when another OS
// starts printing, or when the owner flushes: at the end of a run and before any other event).
// Shared by the level world and the board world (src/api), so both log a console the same way.

/** A cap on what is recorded: past it, nothing more is, and `onFlood` is told once. */
export interface ConsoleCap {
  maxBytes: number;
  maxLines: number;
  onFlood(): void;
}

export class ConsoleLines {
  private _os = '';
  private _at = 0;
  private _text = '';
  private _bytes = 0;
  private _lines = 0;
  private _flooded = false;

  /**
   * @param _line receives each line (the OS printing it, the instruction count at its first byte).
   * @param _cap when given, a flood past it stops the recording (a hart printing newlines in a
   *   loop made millions of events: 26 s and 570 MB for 5M instructions).
   */
  constructor(private readonly _line: (os: string, at: number, text: string) => void, private readonly _cap?: ConsoleCap) {}

  /** One byte printed by `os` at instruction `at()` (read only when a line starts). */
  byte(b: number, os: string, at: () => number): void {
    if (this._flooded) return;
    if (this._cap && this._overCap(b)) return;
    if (this._text !== '' && this._os !== os) this.flush();
    if (this._text === '') {
      this._os = os;
      this._at = at();
    }
    this._text += String.fromCharCode(b);
    if (b === 0x0a) this.flush();
  }

  /** Hands over the line printed so far, if any. */
  flush(): void {
    if (this._text === '') return;
    const text = this._text;
    this._text = '';
    this._line(this._os, this._at, text);
  }

  private _overCap(b: number): boolean {
    const cap = this._cap!;
    this._bytes++;
    if (b === 0x0a) this._lines++;
    if (this._bytes <= cap.maxBytes && this._lines <= cap.maxLines) return false;
    this._flooded = true;
    cap.onFlood();
    return true;
  }
}
