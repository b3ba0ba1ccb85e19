// Tabs of the left column (Solution, Score, Page): buttons with data-tab switch which pane shows.

export interface Tabs {
  show(name: string): void;
  readonly current: string;
}

/** Wires `root`'s `[data-tab]` buttons to its `[data-pane]` panes. */
export function wireTabs(root: HTMLElement): Tabs {
  let current = '';
  const show = (name: string): void => {
    current = name;
    for (const b of Array.from(root.querySelectorAll<HTMLElement>('[data-tab]'))) {
      b.classList.toggle('active', b.dataset.tab === name);
      b.setAttribute('aria-selected', String(b.dataset.tab === name));
    }
    for (const p of Array.from(root.querySelectorAll<HTMLElement>('[data-pane]'))) p.hidden = p.dataset.pane !== name;
  };
  for (const b of Array.from(root.querySelectorAll<HTMLElement>('[data-tab]'))) b.addEventListener('click', () => show(b.dataset.tab!));
  const first = root.querySelector<HTMLElement>('[data-tab]:not([hidden])');
  if (first) show(first.dataset.tab!);
  return {
    show,
    get current() {
      return current;
    },
  };
}
