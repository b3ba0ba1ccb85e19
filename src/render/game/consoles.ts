// One console pane per OS of the level: what each OS wrote on the UART, tagged by its owner
// colour, and (dimmed) the user-space script steps its kernel ran, shell-style. Lines are shown
// under the level's OS id: an OS booted without `name=` prints under its default name (the counter
// OS says "C: ..."), which the pane replaces by its id and explains in its head. With more than two
// OSes the panes become tabs (following the OS that wrote last until the player picks one), so
// each one shown keeps enough lines to read.
import { cssColour, lookOf, pageCode } from '../page-code.ts';
import { PageRole } from '../../sim/memory.ts';
import { el, setText } from '../dom.ts';

const MAX_NODES = 600;
/** More OSes than this: tabs instead of stacked panes. */
export const MAX_STACKED = 2;
/** The boot banner every toy OS prints first ("NAME: up: KIND..."): it tells the name the OS uses. */
const BANNER = /^([A-Za-z][A-Za-z0-9_-]{0,15}): up: /;

interface Pane {
  id: string;
  root: HTMLElement;
  tag: HTMLElement;
  note: HTMLElement;
  body: HTMLElement;
  tab: HTMLButtonElement | null;
  pending: Array<[text: string, dim: boolean]>;
  /** Raw text of the OS (what it really printed). */
  text: string;
  /** The current incomplete line, and the node showing it. */
  carry: string;
  live: Text | null;
  /** The name the OS prints under (from its banner), '' until known. */
  self: string;
  owner: number;
  unread: boolean;
}

export class OsConsoles {
  private readonly _panes = new Map<string, Pane>();
  private readonly _tabs: HTMLElement | null = null;
  private _active = '';
  /** The player picked a tab: stop following the OS that writes. */
  private _pinned = false;
  private _lastWriter = '';

  constructor(private readonly _root: HTMLElement, oses: ReadonlyArray<{ id: string; name?: string }>) {
    _root.replaceChildren();
    const tabbed = oses.length > MAX_STACKED;
    _root.classList.toggle('tabbed', tabbed);
    if (tabbed) {
      this._tabs = el('div', 'console-tabs');
      this._tabs.setAttribute('role', 'tablist');
      _root.append(this._tabs);
    }
    for (const os of oses) this._pane(os.id, os.name);
    this._select(oses[0]?.id ?? '');
  }

  /** The OS whose pane is shown when they are tabs ('' when stacked). */
  get active(): string {
    return this._tabs ? this._active : '';
  }

  /** Output of OS `os` ('' before any OS runs goes to the first pane). */
  write(os: string, text: string, dim = false): void {
    const pane = this._panes.get(os) ?? this._panes.values().next().value;
    if (!pane) return;
    pane.pending.push([text, dim]);
    if (!dim) pane.text += text;
    this._lastWriter = pane.id;
  }

  /** Colours a pane's tag with its current owner id (kernel id of the OS). */
  setOwner(os: string, owner: number): void {
    const p = this._panes.get(os);
    if (!p || p.owner === owner) return;
    p.owner = owner;
    const colour = cssColour(lookOf(pageCode(owner, PageRole.Kernel, false)).base);
    p.tag.style.background = colour;
    if (p.tab) (p.tab.firstChild as HTMLElement).style.background = colour;
  }

  /** Everything OS `os` printed, as it printed it (tests). */
  text(os: string): string {
    return this._panes.get(os)?.text ?? '';
  }

  /** Shows buffered output (once per frame). */
  flush(): void {
    for (const p of this._panes.values()) {
      if (p.pending.length === 0) continue;
      const stick = p.body.scrollTop + p.body.clientHeight >= p.body.scrollHeight - 4;
      for (const [text, dim] of p.pending) {
        if (dim) {
          this._endLine(p);
          p.body.append(el('span', 'script-line', text));
        } else this._append(p, text);
      }
      p.pending.length = 0;
      while (p.body.childNodes.length > MAX_NODES) p.body.firstChild!.remove();
      if (stick) p.body.scrollTop = p.body.scrollHeight;
      if (p.tab && p.id !== this._active) {
        p.unread = true;
        p.tab.classList.add('unread');
      }
    }
    if (this._tabs && !this._pinned && this._lastWriter && this._lastWriter !== this._active) this._select(this._lastWriter);
  }

  clear(): void {
    for (const p of this._panes.values()) {
      p.pending.length = 0;
      p.text = '';
      p.carry = '';
      p.live = null;
      p.self = '';
      p.body.replaceChildren();
      p.owner = -1;
      p.tag.style.background = '';
      p.unread = false;
      setText(p.note, '');
      p.note.title = '';
      if (p.tab) {
        p.tab.classList.remove('unread');
        (p.tab.firstChild as HTMLElement).style.background = '';
      }
    }
    this._pinned = false;
    this._lastWriter = '';
    this._select(this._panes.keys().next().value ?? '');
  }

  /** Appends console text: complete lines under the pane's id, the last incomplete one live. */
  private _append(p: Pane, text: string): void {
    const lines = (p.carry + text).split('\n');
    const rest = lines.pop()!;
    if (lines.length > 0) {
      p.live?.remove();
      p.live = null;
      p.body.append(document.createTextNode(lines.map((l) => this._shown(p, l) + '\n').join('')));
    }
    p.carry = rest;
    if (rest !== '') {
      const shown = this._shown(p, rest);
      if (p.live) p.live.data = shown;
      else p.body.append((p.live = document.createTextNode(shown)));
    } else if (p.live) {
      p.live.remove();
      p.live = null;
    }
  }

  /** A script line interrupts an incomplete console line: it stays as it is. */
  private _endLine(p: Pane): void {
    if (p.carry !== '') p.body.append(document.createTextNode('\n'));
    p.carry = '';
    p.live = null;
  }

  /** A line as shown: the OS's own name at its start becomes the pane's id. */
  private _shown(p: Pane, line: string): string {
    if (!p.self) {
      const m = BANNER.exec(line);
      if (m) {
        p.self = m[1];
        if (p.self !== p.id) {
          setText(p.note, `prints as ${p.self}:`);
          p.note.title = `This OS was started without name=${p.id} on its command line, so it prints under its default name ${p.self}. Its lines are shown here under ${p.id}.`;
        }
      }
    }
    return p.self && p.self !== p.id && line.startsWith(`${p.self}: `) ? `${p.id}: ${line.slice(p.self.length + 2)}` : line;
  }

  private _select(id: string): void {
    this._active = id;
    for (const p of this._panes.values()) {
      const on = p.id === id;
      if (this._tabs) p.root.hidden = !on;
      if (p.tab) {
        p.tab.classList.toggle('active', on);
        p.tab.setAttribute('aria-selected', String(on));
        if (on) {
          p.unread = false;
          p.tab.classList.remove('unread');
        }
      }
      if (on && this._tabs) p.body.scrollTop = p.body.scrollHeight;
    }
  }

  private _pane(id: string, name?: string): Pane {
    const root = el('section', 'os-console');
    root.dataset.os = id;
    const head = el('div', 'os-console-head');
    const tag = el('span', 'os-tag', id);
    const note = el('span', 'os-note muted');
    head.append(tag, el('span', 'muted', name && name !== id ? name : `OS ${id}`), note);
    const body = el('pre', 'console');
    body.id = `console-${id}`;
    root.append(head, body);
    this._root.append(root);
    let tab: HTMLButtonElement | null = null;
    if (this._tabs) {
      tab = el('button', 'console-tab');
      tab.dataset.os = id;
      tab.setAttribute('role', 'tab');
      tab.title = `Console of ${name && name !== id ? name : `OS ${id}`}`;
      tab.append(el('span', 'os-tag', id));
      tab.addEventListener('click', () => {
        this._pinned = true;
        this._select(id);
      });
      this._tabs.append(tab);
    }
    const pane: Pane = { id, root, tag, note, body, tab, pending: [], text: '', carry: '', live: null, self: '', owner: -1, unread: false };
    this._panes.set(id, pane);
    setText(tag, id);
    return pane;
  }
}
