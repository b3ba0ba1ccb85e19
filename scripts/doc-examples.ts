// Keeps the code examples of docs/api.md (and the README's) equal to the example consumer's tests they quote, so they
// cannot rot: a `<!-- example: PATH#REGION -->` line is followed by a ```ts block holding the lines
// between `// #region REGION` and `// #endregion REGION` of PATH (dedented). test/api/docs.test.ts
// checks it; `npm run docs:examples` rewrites the blocks from the tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const API_DOC = join(ROOT, 'docs/api.md');
/** The pages whose examples are regions of the example consumer's tests. */
export const EXAMPLE_DOCS = [API_DOC, join(ROOT, 'README.md')];
const MARKER = /^<!-- example: (\S+)#([\w-]+) -->$/;

/** The lines of region `name` in `source`, dedented; throws naming the file when it is missing. */
export function region(source: string, name: string, file: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  if (start < 0 || end < 0) throw new Error(`${file}: no '// #region ${name}' ... '// #endregion ${name}'`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return body.map((l) => l.slice(indent)).join('\n');
}

/** `doc` with every marked block replaced by its region as the files hold it now. */
export function syncExamples(doc: string, read: (path: string) => string = (p) => readFileSync(join(ROOT, p), 'utf8')): string {
  const lines = doc.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const m = MARKER.exec(lines[i]);
    if (!m) continue;
    const [, path, name] = m;
    if (lines[i + 1] !== '```ts') throw new Error(`line ${i + 2}: a \`\`\`ts block must follow the example marker for ${path}#${name}`);
    const close = lines.findIndex((l, j) => j > i + 1 && l === '```');
    if (close < 0) throw new Error(`line ${i + 2}: unclosed code block`);
    out.push('```ts', region(read(path), name, path), '```');
    i = close;
  }
  return out.join('\n');
}

/** The example markers of `doc` as PATH#REGION. */
export function exampleRefs(doc: string): string[] {
  return doc.split('\n').flatMap((l) => {
    const m = MARKER.exec(l);
    return m ? [`${m[1]}#${m[2]}`] : [];
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const doc of EXAMPLE_DOCS) writeFileSync(doc, syncExamples(readFileSync(doc, 'utf8')));
  process.stdout.write(`${EXAMPLE_DOCS.map((d) => relative(ROOT, d)).join(', ')}: examples copied from the tests\n`);
}
