// The glossary on screen: terms in briefings and callouts become links, and every term of the map's
// legend, the kexec timeline and those links shows its one-sentence meaning on hover (one shared
// tooltip, by event delegation: the legend and timeline are redrawn all the time) and opens the
// Reference dialog at its entry on click. The words themselves are in glossary-terms.ts.
import { el } from '../dom.ts';
import { GLOSSARY, type GlossaryEntry, type GlossarySection } from './glossary-terms.ts';

const BY_ID = new Map(GLOSSARY.map((e) => [e.id, e]));

/** The entry a label of the page stands for, preferring `section` ('swap' is a page in the legend, a phase in the timeline). */
export function entryForLabel(label: string, section: GlossarySection): GlossaryEntry | undefined {
  const key = label.trim().toLowerCase();
  const all = GLOSSARY.filter((e) => e.labels.includes(key));
  return all.find((e) => e.section === section) ?? all[0];
}

export function entryById(id: string): GlossaryEntry | undefined {
  return BY_ID.get(id);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Every linkable phrase, longest first (so "kexec -l" wins over "kexec"), not inside a longer word or option. */
const PHRASES = GLOSSARY.flatMap((e) => e.words.map((w) => ({ w, id: e.id }))).sort((a, b) => b.w.length - a.w.length);
const PHRASE_RE = new RegExp(`(?<![\\w$-])(${PHRASES.map((p) => escape(p.w)).join('|')})(?![\\w-])`, 'gi');
const ID_OF_PHRASE = new Map(PHRASES.map((p) => [p.w.toLowerCase(), p.id]));

/** Pieces of `text`: plain strings and the glossary terms in it (the first mention of each entry). */
export function termPieces(text: string): Array<string | { text: string; id: string }> {
  const out: Array<string | { text: string; id: string }> = [];
  const seen = new Set<string>();
  let last = 0;
  for (const m of text.matchAll(PHRASE_RE)) {
    const id = ID_OF_PHRASE.get(m[0].toLowerCase());
    if (!id || seen.has(id)) continue;
    seen.add(id);
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ text: m[0], id });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Fills `root` with `text`, its glossary terms as hoverable, clickable spans. */
export function renderWithTerms(root: HTMLElement, text: string): void {
  root.replaceChildren(...termPieces(text).map((p) => {
    if (typeof p === 'string') return document.createTextNode(p);
    const span = el('span', 'term', p.text);
    span.dataset.term = p.id;
    span.tabIndex = 0;
    return span;
  }));
}

/** The entry an element under the pointer stands for: a linked term, a legend entry, a timeline phase. */
function entryAt(target: Element): { entry: GlossaryEntry; anchor: HTMLElement } | null {
  const term = target.closest<HTMLElement>('[data-term]');
  if (term) {
    const entry = entryById(term.dataset.term!);
    return entry ? { entry, anchor: term } : null;
  }
  const legend = target.closest<HTMLElement>('#legend .legend-entry, #legend h3');
  if (legend) {
    const owner = legend.closest('.legend-group')?.querySelector('h3')?.textContent === 'owner' && legend.tagName !== 'H3';
    const entry = owner ? entryById('owner') : entryForLabel(legend.textContent ?? '', 'map');
    return entry ? { entry, anchor: legend } : null;
  }
  const phase = target.closest<HTMLElement>('#timeline .phase-kind');
  if (phase) {
    const entry = entryForLabel(phase.textContent ?? '', 'timeline');
    return entry ? { entry, anchor: phase } : null;
  }
  return null;
}

const SECTION_TITLES: Record<GlossarySection, string> = {
  map: 'The memory map',
  kexec: 'kexec words',
  timeline: 'The kexec timeline',
};

export class Glossary {
  /** The shared tooltip (shown while the pointer is on a term). */
  readonly tip: HTMLElement;
  /** The Reference dialog: every entry, by section. */
  readonly dialog: HTMLDialogElement;
  private _shownFor: HTMLElement | null = null;

  constructor(private readonly _doc: Document = document) {
    this.tip = el('div', 'glossary-tip');
    this.tip.id = 'glossary-tip';
    this.tip.setAttribute('role', 'tooltip');
    this.tip.hidden = true;
    this.dialog = this._reference();
    _doc.body.append(this.tip, this.dialog);
    _doc.addEventListener('mouseover', (e) => this._hover(e.target));
    _doc.addEventListener('focusin', (e) => this._hover(e.target));
    _doc.addEventListener('click', (e) => {
      const found = e.target instanceof Element ? entryAt(e.target) : null;
      // Legend and timeline clicks keep their own meaning (the timeline rewinds); linked terms open the reference.
      if (found && found.anchor.dataset.term) this.open(found.entry.id);
    });
    _doc.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.dataset.term) this.open(e.target.dataset.term);
    });
  }

  /** Opens the Reference dialog, at entry `id` when given (highlighted). */
  open(id?: string): void {
    if (!this.dialog.open) this.dialog.showModal();
    this._hideTip();
    for (const dt of Array.from(this.dialog.querySelectorAll('.ref-entry.current'))) dt.classList.remove('current');
    if (!id) return;
    const at = this.dialog.querySelector<HTMLElement>(`#ref-${id}`);
    if (!at) return;
    at.classList.add('current');
    at.scrollIntoView({ block: 'center' });
  }

  private _hover(target: EventTarget | null): void {
    const found = target instanceof Element && !this.dialog.contains(target) ? entryAt(target) : null;
    if (!found) {
      this._hideTip();
      return;
    }
    if (found.anchor === this._shownFor) return;
    this._shownFor = found.anchor;
    const { entry } = found;
    this.tip.replaceChildren(el('strong', '', entry.term), el('span', '', ` ${entry.short}`));
    if (found.anchor.dataset.term) this.tip.append(el('span', 'glossary-more', ' (click: Reference)'));
    this.tip.dataset.term = entry.id;
    this.tip.hidden = false;
    const r = found.anchor.getBoundingClientRect();
    const w = Math.min(320, this._doc.documentElement.clientWidth - 16);
    this.tip.style.width = `${w}px`;
    const left = Math.min(Math.max(8, r.left), this._doc.documentElement.clientWidth - w - 8);
    const below = r.bottom + 6;
    const h = this.tip.offsetHeight;
    const top = below + h > this._doc.documentElement.clientHeight - 8 ? r.top - h - 6 : below;
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${Math.max(8, top)}px`;
  }

  private _hideTip(): void {
    this._shownFor = null;
    this.tip.hidden = true;
  }

  private _reference(): HTMLDialogElement {
    const dialog = el('dialog', 'reference');
    dialog.id = 'reference';
    dialog.setAttribute('aria-label', 'Reference');
    const head = el('div', 'reference-head');
    const close = el('button', 'reference-close', 'Close');
    close.addEventListener('click', () => dialog.close());
    head.append(el('h2', '', 'Reference'), close);
    const body = el('div', 'reference-body');
    body.append(el('p', 'muted', 'The words of the game. Hover one on the map\'s legend, the timeline or a briefing for its meaning; click a linked word to come here.'));
    for (const section of Object.keys(SECTION_TITLES) as GlossarySection[]) {
      body.append(el('h3', '', SECTION_TITLES[section]));
      const list = el('dl', 'reference-list');
      for (const e of GLOSSARY.filter((x) => x.section === section)) {
        const dt = el('dt', 'ref-entry', e.term);
        dt.id = `ref-${e.id}`;
        const dd = el('dd', '');
        renderWithTerms(dd, e.more ? `${e.short} ${e.more}` : e.short);
        // Inside the dialog a term jumps to its own entry.
        list.append(dt, dd);
      }
      body.append(list);
    }
    dialog.append(head, body);
    // A click on the backdrop (outside the dialog's box) closes it.
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) dialog.close();
    });
    return dialog;
  }
}
