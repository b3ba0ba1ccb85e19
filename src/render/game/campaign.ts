// The campaign's order from a map of files (no DOM, no bundle: node tests use it too): every
// levels/NAME.json, sorted by its `order`, with levels/solutions/NAME.json as its reference.
import type { Level } from '../../level/schema.ts';

export interface CampaignLevel {
  /** File name without .json ("01-first-jump"): solutions and URLs use it. */
  name: string;
  path: string;
  level: Level;
  /** The shipped reference solution (decoded JSON), if any. */
  reference: unknown;
  /**
   * Set for a level from outside the campaign (opened from a file or a link): where it came from and
   * its link data (custom-level.ts encodeLevel), so Share can carry the whole level.
   */
  custom?: { source: string; data: string };
}

/** A level file that does not parse is reported, not fatal: the rest of the campaign still plays. */
export interface CampaignProblem {
  path: string;
  message: string;
}

export function campaignFromFiles(
  files: Readonly<Record<string, string>>,
  parse: (json: unknown, file: string) => Level,
  problems: CampaignProblem[] = [],
): CampaignLevel[] {
  const out: CampaignLevel[] = [];
  for (const path of Object.keys(files)) {
    const m = /^levels\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    try {
      const level = parse(JSON.parse(files[path]), path);
      const ref = files[`levels/solutions/${m[1]}.json`];
      out.push({ name: m[1], path, level, reference: ref === undefined ? null : JSON.parse(ref) });
    } catch (e) {
      problems.push({ path, message: (e as Error).message });
    }
  }
  return out.sort((a, b) => a.level.order - b.level.order || a.name.localeCompare(b.name));
}

/**
 * Which campaign levels the player may open from the level select: the tutorial (order 0) and
 * level 1 always (an experienced player skips the tour), every level already solved, and each
 * level whose predecessor is solved; all of them with `openAll`. A link still opens any level.
 */
export function unlockedLevels(levels: readonly CampaignLevel[], solved: (id: string) => boolean, openAll: boolean): Set<string> {
  const open = new Set<string>();
  levels.forEach((l, i) => {
    if (openAll || l.level.order <= 1 || solved(l.level.id) || (i > 0 && solved(levels[i - 1].level.id))) open.add(l.name);
  });
  return open;
}
