// Problems of a solution in the player's words: under a field the checker's JSON path
// ("values.segs[2].mem") becomes the field's label and the row, step or word it points at
// ("F's kexec segments, segment 3 mem"); counts and plurals for the notices.
import type { EditableField } from '../../level/schema.ts';

/** "1 problem", "2 problems". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Where inside a field a path's tail (after `values.ID`) points, in words; '' for the whole field. */
function placeIn(field: EditableField, tail: string): string {
  const m = /^\[(\d+)\](?:\.(\w+))?/.exec(tail);
  if (!m) return '';
  const n = Number(m[1]) + 1;
  if (field.kind === 'segments') return `segment ${n}${m[2] ? ` ${m[2]}` : ''}`;
  if (field.kind === 'script') return `line ${n}`;
  if (field.kind === 'args') return `word ${n}`;
  return `item ${n}`;
}

/**
 * One line for a problem at JSON path `path`: under `field`, its label (and place) instead of the
 * path; a problem of the solution as a whole (no field) keeps what names it ('level: ...').
 */
export function problemLine(path: string, message: string, field: EditableField | undefined): string {
  if (!field) return path && path !== '$' ? `${path}: ${message}` : message;
  const tail = path.replace(/^values\.[A-Za-z][A-Za-z0-9_-]*/, '');
  const place = placeIn(field, tail);
  return `${field.label}${place ? `, ${place}` : ''}: ${message}`;
}
