// Small DOM helpers for the demo's panels (no framework: the panels are few and update by hand).

/** The element with id `id`; throws when the page shell lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string, root: Document = document): T {
  const el = root.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** Creates an element with a class name and optional text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text = '',
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

/** 0x-prefixed, zero-padded 32-bit hex. */
export function hex32(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}

/** Sets text only when it changed (keeps per-frame panel updates cheap). */
export function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
