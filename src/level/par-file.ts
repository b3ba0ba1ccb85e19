// Par and histograms of a level file from its own solutions (solutions/NAME.json and
// solutions/NAME.alt-*.json beside it), and putting them into the file's text without touching the
// rest of it: the one implementation behind `jumpback par` and levels/update-par.ts (node only).
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { referencePath, playLevelFile, solutionFiles, type LevelFile } from './campaign.ts';
import { readLevelText, writeTextAtomic } from './files.ts';
import { parOf } from './par.ts';
import { LevelInputError } from './play.ts';
import type { Histograms, Par } from './schema.ts';
import type { Score } from './world.ts';

/** One passing solution's play: its file, whether it passed, its score and the goals it missed. */
export interface SolutionPlay {
  path: string;
  passed: boolean;
  score: Score;
  unmet: string[];
}

export interface LevelScoring {
  /** The reference first, then each alternative. */
  plays: SolutionPlay[];
  /** Par and histograms, or null when a solution that must pass does not (see `plays`). */
  scores: { par: Par; histogram: Histograms } | null;
}

/**
 * Plays the level's reference and alternative solutions. Throws LevelInputError (bad input: no
 * reference solution, a solution file that is unreadable or invalid for the level).
 */
export function scoreLevelFile(lf: LevelFile): LevelScoring {
  const { reference, alt } = solutionFiles(lf);
  if (reference === null) {
    throw new LevelInputError([{ path: '$', message: `no reference solution: par is its score, expected at ${referencePath(lf)}` }], lf.path);
  }
  const plays = [reference, ...alt].map((path): SolutionPlay => {
    const r = playLevelFile(lf, path);
    return { path, passed: r.passed, score: r.score, unmet: r.goals.filter((g) => !g.met).map((g) => g.id) };
  });
  if (plays.some((p) => !p.passed)) return { plays, scores: null };
  return { plays, scores: parOf(plays[0].score, plays.map((p) => p.score)) };
}

/** `{"cycles": 1, "pages": 2, "size": 3}`: par on one line, as the shipped levels write it. */
export function formatPar(par: Par): string {
  return `{"cycles": ${par.cycles}, "pages": ${par.pages}, "size": ${par.size}}`;
}

/** `{"cycles": [[b,n],...], "pages": [...], "size": [...]}`: histograms on one line, as shipped. */
export function formatHistogram(h: Histograms): string {
  return `{"cycles": ${JSON.stringify(h.cycles)}, "pages": ${JSON.stringify(h.pages)}, "size": ${JSON.stringify(h.size)}}`;
}

/**
 * `text` (a level file) with its top-level "par" and "histogram" values replaced, or added after
 * the last property when absent (indented like the file's first property, or inline for a file on
 * one line). Everything else keeps its bytes: the author's layout, key order and comments-free JSON.
 */
export function withPar(text: string, par: Par, histogram: Histograms): string {
  const root = parseTree(text);
  if (root?.type !== 'object' || !root.children || root.children.length === 0) throw new Error('a level file is a JSON object with properties');
  const wanted: Array<[key: string, value: string]> = [['par', formatPar(par)], ['histogram', formatHistogram(histogram)]];
  const edits: Array<{ at: number; remove: number; insert: string }> = [];
  const missing: Array<[string, string]> = [];
  for (const [key, value] of wanted) {
    const node = findNodeAtLocation(root, [key]);
    if (node) edits.push({ at: node.offset, remove: node.length, insert: value });
    else missing.push([key, value]);
  }
  if (missing.length > 0) {
    const props = root.children;
    const last = props[props.length - 1];
    const sep = separatorOf(text, root, props[0]);
    edits.push({ at: last.offset + last.length, remove: 0, insert: missing.map(([k, v]) => `,${sep}"${k}": ${v}`).join('') });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.at + e.remove);
  return out;
}

/** What goes between properties: a newline and the first property's indentation, or one space. */
function separatorOf(text: string, root: Node, first: Node): string {
  const between = text.slice(root.offset + 1, first.offset);
  const newline = between.lastIndexOf('\n');
  return newline < 0 ? ' ' : `\n${between.slice(newline + 1)}`;
}

/**
 * Writes par and histograms into the level file (temp file + rename, so the author's file is never
 * lost half-written). Returns false when the file already held exactly these (nothing written).
 */
export function writeParFile(path: string, par: Par, histogram: Histograms): boolean {
  const text = readLevelText(path);
  const updated = withPar(text, par, histogram);
  if (updated === text) return false;
  writeTextAtomic(path, updated);
  return true;
}
