// A one-line text field that wraps and grows to show all of its text (a long kexec command stays
// readable where an <input> scrolled its end out of view): a textarea kept as tall as its content,
// re-fitted on typing and when its width changes (a tab shown, the window resized); Enter adds no
// line break (Ctrl+Enter still reaches the page's Run).
export function fitHeight(area: HTMLTextAreaElement): void {
  let width = -1;
  const fit = (): void => {
    if (area.offsetParent === null) return; // hidden: measured when shown
    width = area.clientWidth;
    area.style.height = 'auto';
    area.style.height = `${area.scrollHeight + area.offsetHeight - area.clientHeight}px`;
  };
  area.addEventListener('input', fit);
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) e.preventDefault();
  });
  // Only a change of width can change the height it needs; refit on the next frame, outside the observer.
  new ResizeObserver(() => {
    if (area.clientWidth !== width) requestAnimationFrame(fit);
  }).observe(area);
}
