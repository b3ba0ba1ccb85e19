// Budgets for untrusted level and solution files (issue 13): how big a file, how deep its JSON, how
// many OSes, goals and fields, how deep and how long a script may unroll. Each is far above what
// the shipped campaign uses and far below what would exhaust the host's stack or heap.

/** Most bytes of a level or solution file (the largest shipped level is about 4 KiB). */
export const MAX_LEVEL_FILE_BYTES = 1024 * 1024;
/** Most bytes of an assembly source or include a level's image is built from. */
export const MAX_SOURCE_FILE_BYTES = 1024 * 1024;
/** Most bytes of a prebuilt ELF image a level names (the default RAM size). */
export const MAX_IMAGE_FILE_BYTES = 16 * 1024 * 1024;
/**
 * Deepest JSON nesting accepted before the schema looks at a value: the schema's own checks
 * recurse, and a script nested 2000 deep overflowed the host stack inside them. A level needs
 * about 5 levels plus 2 a `repeat`.
 */
export const MAX_JSON_DEPTH = 64;
/** Deepest nesting of `repeat` blocks in one script. */
export const MAX_REPEAT_DEPTH = 8;
/**
 * Most steps all of a level's scripts may unroll to, together (`repeat` multiplies). The shipped
 * levels unroll to at most 23; 6e7 steps used to exhaust the heap after five minutes.
 */
export const MAX_SCRIPT_STEPS = 100_000;
/**
 * Most console bytes and lines one run records (a line is an event: log, consoles, hash); the rest
 * is dropped after one `console-flood` fault event. The campaign's chattiest run prints 134 KiB
 * in 9676 lines.
 */
export const MAX_CONSOLE_BYTES = 1024 * 1024;
export const MAX_CONSOLE_LINES = 65_536;
/** Most OSes, goals and editable fields of a level (the campaign has at most 5, 6 and 4). */
export const MAX_OSES = 16;
export const MAX_GOALS = 64;
export const MAX_FIELDS = 32;

/**
 * The first place where `value` nests deeper than `max` arrays/objects: its path (format it with
 * schema.ts's jsonPath), or null. Iterative, so it cannot overflow the stack it protects.
 */
export function jsonTooDeep(value: unknown, max = MAX_JSON_DEPTH): PropertyKey[] | null {
  const stack: Array<{ v: unknown; path: PropertyKey[] }> = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= max) return path;
    // Children pushed last-first, so the deep place reported is the first in the file.
    // Array.from, not map: map skips the holes of a sparse array (a JS caller's, never JSON's).
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(v) ? Array.from(v, (x, i) => [i, x]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ v: entries[i][1], path: [...path, entries[i][0]] });
  }
  return null;
}

/**
 * Why `path` cannot name a level file (null when it can): level paths are relative to the
 * repository root, with '/' between names, and never climb out ('..') or start at '/'.
 */
export function unsafePath(path: string): string | null {
  if (path === '') return 'an empty path';
  if (/[\0-\x1f\\]/.test(path)) return 'a path with a control character or a backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'an absolute path (level paths are relative to the repository, like "levels/os/rom.S")';
  if (path.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')) return "a path with an empty, '.' or '..' part";
  return null;
}
