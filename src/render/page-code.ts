// The one byte per page the memory map draws: owner, role and "written recently" packed into a
// code, and the palette that turns a code into a base colour plus a mark pattern (in the shader).
import { PageRole, PAGE_ROLE_NAMES } from '../sim/memory.ts';

// Code layout: bits 7..5 owner (0 = nobody, OS ids 1..7), bit 4 hot (written in the last frames),
// bits 3..0 role. Owners above 7 share colours modulo 8 (no level has that many OSes).
const CODE_OWNER_SHIFT = 5;
export const CODE_HOT = 0x10;
const CODE_ROLE_MASK = 0x0f;
/** Cells past the last page (the grid is a whole number of rows): role 15 does not exist. */
export const CODE_NO_PAGE = 0x0f;

/** The code for a page; hot pages were written within the last few frames. */
export function pageCode(owner: number, role: number, hot: boolean): number {
  return ((owner & 7) << CODE_OWNER_SHIFT) | (hot ? CODE_HOT : 0) | (role & CODE_ROLE_MASK);
}

/** How a role is marked inside its cell when cells are big enough (ids shared with the shader). */
export const enum MarkPattern {
  None = 0,
  Stripes = 1, // indirection: a list of pointers
  Frame = 2, // control: the page that holds relocate code and saved state
  Checker = 3, // swap
  Corner = 4, // source: a backup copy (folded corner)
  Bars = 5, // device buffer
  Hatch = 6, // reserved
  Underline = 7, // destination
}

export const MAP_BACKGROUND = 0x0b0e13;

/** One owner hue per OS id; owner 0 ("nobody") is grey. */
const OWNER_RGB: readonly number[] = [
  0x6b7587, 0x4c8dff, 0xff9f43, 0x2ecc71, 0xd66bff, 0x1ec8c8, 0xf4d03f, 0xff5c6c,
];

interface RoleLook {
  /** Brightness of the owner hue in the base colour (0 = background, 1 = full hue). */
  readonly level: number;
  /** Mix towards white (marks control/indirection even when cells are one pixel). */
  readonly white: number;
  readonly mark: MarkPattern;
  /** Mark colour: mix of the owner hue towards white (1) or black (-1). */
  readonly markTone: number;
}

const ROLE_LOOK: Record<number, RoleLook> = {
  [PageRole.Free]: { level: 0.22, white: 0, mark: MarkPattern.None, markTone: 0 },
  [PageRole.Kernel]: { level: 0.9, white: 0, mark: MarkPattern.None, markTone: 0 },
  [PageRole.Source]: { level: 0.6, white: 0, mark: MarkPattern.Corner, markTone: 0.75 },
  [PageRole.Indirection]: { level: 1, white: 0.45, mark: MarkPattern.Stripes, markTone: -0.7 },
  [PageRole.Control]: { level: 1, white: 0.7, mark: MarkPattern.Frame, markTone: -0.75 },
  [PageRole.Swap]: { level: 1, white: 0.25, mark: MarkPattern.Checker, markTone: -0.6 },
  [PageRole.Destination]: { level: 0.75, white: 0.1, mark: MarkPattern.Underline, markTone: 0.8 },
  [PageRole.DeviceBuffer]: { level: 0.5, white: 0.15, mark: MarkPattern.Bars, markTone: 0.6 },
  [PageRole.Framebuffer]: { level: 0.7, white: 0.3, mark: MarkPattern.Bars, markTone: -0.5 },
  [PageRole.Reserved]: { level: 0.35, white: 0, mark: MarkPattern.Hatch, markTone: -0.6 },
};

const UNKNOWN_ROLE: RoleLook = { level: 0.5, white: 0.5, mark: MarkPattern.Hatch, markTone: -0.8 };

function channel(rgb: number, shift: number): number {
  return (rgb >>> shift) & 0xff;
}

function mixRgb(a: number, b: number, t: number): number {
  let out = 0;
  for (const s of [16, 8, 0]) out |= Math.round(channel(a, s) + (channel(b, s) - channel(a, s)) * t) << s;
  return out;
}

/** The colours of one code: base fill and mark (0xRRGGBB) and the mark pattern. */
export interface CodeLook {
  readonly base: number;
  readonly mark: number;
  readonly pattern: MarkPattern;
}

export function lookOf(code: number): CodeLook {
  const role = code & CODE_ROLE_MASK;
  if (role === (CODE_NO_PAGE & CODE_ROLE_MASK)) {
    return { base: MAP_BACKGROUND, mark: MAP_BACKGROUND, pattern: MarkPattern.None };
  }
  const hue = OWNER_RGB[(code >>> CODE_OWNER_SHIFT) & 7];
  const look = ROLE_LOOK[role] ?? UNKNOWN_ROLE;
  let base = mixRgb(MAP_BACKGROUND, hue, look.level);
  base = mixRgb(base, 0xffffff, look.white);
  // A write flashes the page in a light tint of its owner's hue, so CPU activity shows at any zoom.
  if (code & CODE_HOT) base = mixRgb(mixRgb(base, hue, 0.6), 0xffffff, 0.3);
  const mark = look.markTone >= 0 ? mixRgb(hue, 0xffffff, look.markTone) : mixRgb(hue, 0x000000, -look.markTone);
  return { base, mark, pattern: look.mark };
}

/**
 * The palette texture's pixels: 256 x 2 RGBA. Row 0 is each code's base colour; row 1 its mark
 * colour with the pattern id in alpha.
 */
export function paletteTexels(): Uint8Array {
  const px = new Uint8Array(256 * 2 * 4);
  for (let code = 0; code < 256; code++) {
    const { base, mark, pattern } = lookOf(code);
    px.set([channel(base, 16), channel(base, 8), channel(base, 0), 255], code * 4);
    px.set([channel(mark, 16), channel(mark, 8), channel(mark, 0), pattern], (256 + code) * 4);
  }
  return px;
}

/** Base colour of every code as little-endian RGBA words (the RGBA-buffer route). */
export function paletteWords(): Uint32Array {
  const words = new Uint32Array(256);
  for (let code = 0; code < 256; code++) {
    const { base } = lookOf(code);
    words[code] = (0xff000000 | (channel(base, 0) << 16) | (channel(base, 8) << 8) | channel(base, 16)) >>> 0;
  }
  return words;
}

export function roleName(role: number): string {
  return PAGE_ROLE_NAMES[role] ?? `role ${role}`;
}

export function cssColour(rgb: number): string {
  return `#${rgb.toString(16).padStart(6, '0')}`;
}
