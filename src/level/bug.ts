// The real kernel bug a level is built on (its `bug` field, a row of kexec-linux.md §6.2), in
// words: told to the player once the level is solved, never before (the commit's title would
// give the answer away).
import type { Level } from './schema.ts';

export type LevelBug = NonNullable<Level['bug']>;

/** `F3, 4d5f1da98f5e "Ensure preserve_context flag is set on return to kernel"`. */
export function bugText(bug: LevelBug): string {
  return `${bug.row}, ${bug.commit} "${bug.title}"`;
}

/** What a run may tell of the level's bug: the bug once the run passed, else nothing. */
export function revealedBug(level: Pick<Level, 'bug'>, passed: boolean): LevelBug | null {
  return passed && level.bug ? level.bug : null;
}
