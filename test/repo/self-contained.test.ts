// The repository stands alone: no tracked file names a path outside it (the sibling reference
// folder, absolute machine paths, the old notes folder, a relative path or markdown link that
// climbs above the root), and every cited `*.md` exists here, with the cited § where there is one.
// A clone with nothing beside it must build, test and bench exactly like this worktree.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../gnu/tools.ts';

interface TextFile {
  path: string;
  lines: string[];
}

/** Tracked files (git ls-files), binary ones (a NUL byte) left out. */
function trackedText(): TextFile[] {
  const names = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  const out: TextFile[] = [];
  for (const path of names) {
    const abs = join(REPO, path);
    if (!existsSync(abs)) continue; // deleted in the worktree, not yet committed
    const bytes = readFileSync(abs);
    if (bytes.includes(0)) continue;
    out.push({ path, lines: bytes.toString('utf8').split('\n') });
  }
  return out;
}

const FILES = trackedText();
const TRACKED = new Set(FILES.map((f) => f.path));
const MARKDOWN = FILES.filter((f) => f.path.endsWith('.md'));

/** True when `abs` is the repo root or inside it. */
const inside = (abs: string): boolean => !relative(REPO, abs).startsWith('..');

/** Each hit of `find` on each line of `files`, as `path:line: what`. */
function scan(files: readonly TextFile[], find: (line: string, file: TextFile) => string[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    f.lines.forEach((line, i) => {
      for (const what of find(line, f)) problems.push(`${f.path}:${i + 1}: ${what}`);
    });
  }
  return problems;
}

// Written so this file does not match itself.
const OUTSIDE: Array<[RegExp, string]> = [
  [/\.\.\/shared\b/, 'names the sibling shared folder'],
  [/['"]\.\.['"]\s*,\s*['"]shared['"]/, 'joins the sibling shared folder from path segments'],
  [/\/work\//, 'names an absolute path on the build machine'],
  [/(?<![\w.-])notes\//, 'names the notes folder, which is not in the repo'],
];

/** Headings of a markdown file that carry a section number ("## 7." -> "7", "### 1.2 ..." -> "1.2"). */
function sections(file: TextFile): Map<string, number> {
  const found = new Map<string, number>();
  file.lines.forEach((line, i) => {
    const m = /^#+\s+(\d+(?:\.\d+)*)[.\s]/.exec(line);
    if (m) found.set(m[1]!, i);
  });
  return found;
}

/** True when `section` ("5", "1.2", "7.1") is a numbered heading of `file`, or item M of its section N. */
function hasSection(file: TextFile, section: string): boolean {
  const heads = sections(file);
  if (heads.has(section)) return true;
  const [top, item] = [section.slice(0, section.lastIndexOf('.')), section.slice(section.lastIndexOf('.') + 1)];
  const start = heads.get(top);
  if (start === undefined || !section.includes('.')) return false;
  for (let i = start + 1; i < file.lines.length && !/^#/.test(file.lines[i]!); i++) {
    if (file.lines[i]!.startsWith(`${item}. `)) return true;
  }
  return false;
}

/** The tracked markdown file a citation names: a path from the root or the citing file, or a unique bare name. */
function citedFile(name: string, from: string): TextFile | 'missing' | 'ambiguous' {
  if (name.includes('/')) {
    for (const p of [name, relative(REPO, resolve(REPO, dirname(from), name))]) {
      const f = MARKDOWN.find((m) => m.path === p);
      if (f) return f;
    }
    return 'missing';
  }
  const same = MARKDOWN.filter((m) => basename(m.path) === name);
  if (same.length <= 1) return same[0] ?? 'missing';
  // A bare name that several folders have (README.md) means the nearest one up from the citing file.
  const up = same.filter((m) => dirname(m.path) === '.' || `${dirname(from)}/`.startsWith(`${dirname(m.path)}/`));
  up.sort((a, b) => b.path.length - a.path.length);
  return up[0] ?? 'ambiguous';
}

describe('the repository is self-contained', () => {
  it('lists its tracked files, this one among them', () => {
    expect(TRACKED.has('test/repo/self-contained.test.ts')).toBe(true);
    expect(FILES.length).toBeGreaterThan(100);
  });

  it('no tracked file names a path outside the repo', () => {
    expect(scan(FILES, (line) => OUTSIDE.filter(([re]) => re.test(line)).map(([, why]) => why))).toEqual([]);
  });

  it('no quoted relative path (imports, new URL(..., import.meta.url), includes) climbs above the root', () => {
    // The dependency-cruiser baseline is generated data: its module names are specifiers as written
    // in src/ (relative to the importing file), not paths from the repository root.
    const code = FILES.filter((f) => !f.path.endsWith('.md') && f.path !== '.dependency-cruiser-known-violations.json');
    // A test may climb to the host's system files on purpose: hostile inputs (a shared solution's
    // `.include "../../../../etc/passwd"`) that the sandbox must refuse. They are inputs, not files
    // the project depends on.
    const hostileFixture = (f: TextFile, p: string): boolean => f.path.startsWith('test/') && /^(\.\.\/)+(etc|dev|proc)\/[\w.-]+$/.test(p);
    expect(scan(code, (line, f) => [...line.matchAll(/(['"`])(\.\.?\/[^'"`\s$]*)\1/g)]
      .filter((m) => !inside(resolve(REPO, dirname(f.path), m[2]!)) && !hostileFixture(f, m[2]!))
      .map((m) => `'${m[2]}' resolves outside the repo`))).toEqual([]);
  });

  it('every relative markdown link points at a tracked file or folder', () => {
    const folders = new Set([...TRACKED].flatMap((p) => p.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))));
    expect(scan(MARKDOWN, (line, f) => [...line.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!.replace(/#.*$/, ''))
      .filter((t) => t !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(t))
      .filter((t) => {
        const abs = resolve(REPO, dirname(f.path), t);
        const rel = relative(REPO, abs);
        return !inside(abs) || !(TRACKED.has(rel) || folders.has(rel));
      })
      .map((t) => `link to ${t}, which is not in the repo`))).toEqual([]);
  });

  it('every cited *.md exists in the repo, with the cited § where one is given', () => {
    expect(scan(FILES, (line, f) => [...line.matchAll(/(?<![\w/.:-])([\w.-]+(?:\/[\w.-]+)*\.md)\b(?:\s?§\s?(\d+(?:\.\d+)*))?/g)]
      .flatMap((m) => {
        const [name, section] = [m[1]!, m[2]];
        const file = citedFile(name, f.path);
        if (file === 'missing') return [`cites ${name}, which is not in the repo`];
        if (file === 'ambiguous') return [`cites ${name}, which names more than one file here: give its folder`];
        if (section !== undefined && !hasSection(file, section)) return [`cites ${name} §${section}, which ${file.path} has no heading or item for`];
        return [];
      }))).toEqual([]);
  });
});
