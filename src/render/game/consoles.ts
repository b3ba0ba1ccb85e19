// One console pane per OS of the level: what each OS wrote on the UART, tagged by its owner
// colour, and (dimmed) the user-space script steps its kernel ran, shell-style.
import { cssColour, lookOf, pageCode } from '../page-code.ts';
import { PageRole } from '../../sim/memory.ts';
import { el, setText } from '../dom.ts';

const MAX_NODES = 600;

interface Pane {
  root: HTMLElement;
  tag: HTMLElement;
  body: HTMLElement;
  pending: Array<[text: string, dim: boolean]>;
  text: string;
  owner: number;
}

export class OsConsoles {
  private readonly _panes = new Map<string, Pane>();

  constructor(private readonly _root: HTMLElement, oses: ReadonlyArray<{ id: string; name?: string }>) {
    _root.replaceChildren();
    for (const os of oses) this._pane(os.id, os.name);
  }

  /** Output of OS `os` ('' before any OS runs goes to the first pane). */
  write(os: string, text: string, dim = false): void {
    const pane = this._panes.get(os) ?? this._panes.values().next().value;
    if (!pane) return;
    pane.pending.push([text, dim]);
    if (!dim) pane.text += text;
  }

  /** Colours a pane's tag with its current owner id (kernel id of the OS). */
  setOwner(os: string, owner: number): void {
    const p = this._panes.get(os);
    if (!p || p.owner === owner) return;
    p.owner = owner;
    p.tag.style.background = cssColour(lookOf(pageCode(owner, PageRole.Kernel, false)).base);
  }

  /** Everything OS `os` printed (tests). */
  text(os: string): string {
    return this._panes.get(os)?.text ?? '';
  }

  /** Shows buffered output (once per frame). */
  flush(): void {
    for (const p of this._panes.values()) {
      if (p.pending.length === 0) continue;
      const stick = p.body.scrollTop + p.body.clientHeight >= p.body.scrollHeight - 4;
      for (const [text, dim] of p.pending) {
        const last = p.body.lastChild;
        if (!dim && last instanceof Text) last.appendData(text);
        else p.body.append(dim ? el('span', 'script-line', text) : document.createTextNode(text));
      }
      p.pending.length = 0;
      while (p.body.childNodes.length > MAX_NODES) p.body.firstChild!.remove();
      if (stick) p.body.scrollTop = p.body.scrollHeight;
    }
  }

  clear(): void {
    for (const p of this._panes.values()) {
      p.pending.length = 0;
      p.text = '';
      p.body.replaceChildren();
      p.owner = -1;
      p.tag.style.background = '';
    }
  }

  private _pane(id: string, name?: string): Pane {
    const root = el('section', 'os-console');
    root.dataset.os = id;
    const head = el('div', 'os-console-head');
    const tag = el('span', 'os-tag', id);
    head.append(tag, el('span', 'muted', name && name !== id ? name : `OS ${id}`));
    const body = el('pre', 'console');
    body.id = `console-${id}`;
    root.append(head, body);
    this._root.append(root);
    const pane: Pane = { root, tag, body, pending: [], text: '', owner: -1 };
    this._panes.set(id, pane);
    setText(tag, id);
    return pane;
  }
}
