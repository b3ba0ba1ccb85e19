// The files `jumpback new-level NAME` writes: a small working level (OS A lends the board to OS B
// and gets it back intact), its reference solution and one wrong solution whose note says why it
// fails. Laid out like the shipped levels (2-space JSON, short arrays on one line) so an author
// edits a file that reads like levels/*.json. Unscored: `jumpback par --write` adds par.

/** NAME: lower-case words joined by '-', optionally after a campaign number ("16-my-level"). */
const SLUG = /^(?:(\d{1,4})-)?([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/;

export interface SkeletonName {
  /** The file name without .json: solutions are named after it. */
  name: string;
  /** The level id (NAME without its number): solutions refer to it. */
  id: string;
  /** The campaign number before NAME's first '-', else 1. */
  order: number;
  title: string;
}

/** Checks NAME; returns the parts or the reason it is not a slug. */
export function parseSkeletonName(name: string): SkeletonName | string {
  const m = SLUG.exec(name);
  if (!m) return `'${name}' is not a level name: use lower-case letters, digits and '-' (a letter first, or a number then '-'), like my-level or 16-my-level`;
  if (m[2].length > 32) return `'${name}': the part after the number is the level id, at most 32 characters`;
  const order = m[1] === undefined ? 1 : Number(m[1]);
  if (order < 1) return `'${name}': a campaign number starts at 1`;
  const words = m[2].split('-').join(' ');
  return { name, id: m[2], order, title: words[0].toUpperCase() + words.slice(1) };
}

/** The wrong solution's file name suffix: solutions/NAME.wrong-plain-load.json. */
export const WRONG_KIND = 'plain-load';

/** The three files' texts: the level, its reference solution and its wrong solution. */
export function skeletonFiles(n: SkeletonName): { level: string; reference: string; wrong: string } {
  const q = JSON.stringify;
  const level = `{
  "schema": 1,
  "id": ${q(n.id)},
  "order": ${n.order},
  "title": ${q(n.title)},
  "briefing": "OS A must lend the board to OS B and get it back intact. Write the kexec command A runs to load B: preserve A's context (its pages are swapped out, not overwritten) and give B a window of memory of its own. B's user space loads the jump-back helper from its command line and jumps back; A must print after B with its memory exactly as it left it.",
  "machine": { "ramMiB": 16 },
  "oses": [
    { "id": "A", "image": { "os": "counter" }, "boot": true, "commandLine": "name=A",
      "script": ["wait 1", "kexec \${load}", "kexec -e"] },
    { "id": "B", "image": { "os": "counter" }, "base": "0x80200000",
      "script": ["wait 1", "kexec --load-jump-back-helper --entry=$JUMP_BACK_ENTRY", "kexec -e"] }
  ],
  "editable": [
    { "kind": "args", "id": "load", "label": "kexec (A loads B)", "default": ["-l", "B", "--append=name=B"],
      "options": ["-l", "--load-preserve-context", "--mem-min", "--mem-max", "--append"], "words": ["B"] }
  ],
  "goals": [
    { "id": "b-runs", "type": "console", "os": "B", "contains": "round 2", "label": "B runs" },
    { "id": "a-back", "type": "console", "os": "A", "contains": "back 1", "label": "A prints after B" },
    { "id": "a-intact", "type": "intact", "os": "A", "rounds": 1 },
    { "id": "no-corruption", "type": "noError" }
  ],
  "limits": { "maxInstructions": 20000000 }
}
`;
  const reference = `{ "schema": 1, "level": ${q(n.id)}, "note": "preserve A's context; B gets 256 KiB at 0x80200000, where its image is built to run",
  "values": { "load": ["--load-preserve-context", "B", "--mem-min=0x80200000", "--mem-max=0x8023ffff", "--append=name=B"] } }
`;
  const wrong = `{ "schema": 1, "level": ${q(n.id)}, "note": "fails: a plain kexec -l replaces A instead of preserving it, so B has no way back (a-back and a-intact are never met)",
  "values": { "load": ["-l", "B", "--append=name=B"] } }
`;
  return { level, reference, wrong };
}
