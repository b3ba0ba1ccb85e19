// Page allocation for a kimage: control/swap pages that avoid every destination (kexec-linux.md
// §1.5) and source/indirection pages with the "already a destination" rule (§1.6).
import { PAGE_SIZE, PageRole } from '../sim/memory.ts';
import type { Kimage } from './kimage.ts';

/** kimage_alloc_page's `dest` for pages that must never be a destination (indirection pages). */
export const KIMAGE_NO_DEST = -1;

/**
 * kimage_alloc_normal_control_pages(order 0): the lowest free frame outside every destination
 * range; frames that are destinations are parked meanwhile and given back afterwards.
 * Returns the page's physical address, or -1 (the caller's -ENOMEM).
 */
export function allocControlPage(img: Kimage, role: PageRole.Control | PageRole.Swap): number {
  const parked: number[] = [];
  let found = -1;
  for (;;) {
    const pfn = img.owner.allocLowest();
    if (pfn < 0) break;
    if (img.isDestination(img.mem.addressOf(pfn))) {
      parked.push(pfn);
      continue;
    }
    img.take(pfn, role);
    found = img.mem.addressOf(pfn);
    break;
  }
  for (const pfn of parked) img.owner.release(pfn);
  return found;
}

/**
 * kimage_alloc_page(dest): a frame for destination `dest` (a page-aligned PA, or KIMAGE_NO_DEST).
 * Keeps the invariant that every source page is its own destination or no destination at all,
 * so swap_pages never overwrites a source before reading it. Returns a frame number or -1.
 */
export function allocPage(img: Kimage, dest: number, role: PageRole): number {
  const { mem, owner } = img;
  if (dest !== KIMAGE_NO_DEST) {
    const i = img.destPages.findIndex((pfn) => mem.addressOf(pfn) === dest);
    if (i >= 0) {
      const pfn = img.destPages.splice(i, 1)[0];
      img.take(pfn, role);
      return pfn;
    }
  }
  for (;;) {
    const pfn = owner.allocLowest();
    if (pfn < 0) return -1;
    const pa = mem.addressOf(pfn);
    if (pa === dest || !img.isDestination(pa)) {
      img.take(pfn, role);
      return pfn;
    }
    // P is someone's destination. If that destination already has a source O, P becomes its
    // own source (O's bytes move into it) and O, which is no destination, is handed out.
    const old = img.sourceOf(pa);
    if (old >= 0) {
      const oldPfn = mem.pfnOf(old);
      mem.u8.copyWithin(pfn * PAGE_SIZE, oldPfn * PAGE_SIZE, (oldPfn + 1) * PAGE_SIZE);
      mem.touch(pfn * PAGE_SIZE, PAGE_SIZE);
      img.rewriteSource(pa, pa);
      img.take(pfn, PageRole.Source);
      img.take(oldPfn, role);
      return oldPfn;
    }
    img.destPages.push(pfn);
    img.take(pfn, PageRole.Destination);
  }
}
