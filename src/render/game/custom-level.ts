// Levels from outside the campaign: a level file opened or dropped on the page, or carried whole in
// a link (#levelData=BASE64URL(DEFLATE(JSON))). DOM-free: sorts opened files into a level and its
// solutions, packs and unpacks link data, and checks that a level can be built from what the page
// has (the same LevelFiles as the campaign: levels/, assets/os/, src/kexec/ and the level's own blocks).
import type { LevelFiles } from '../../level/images.ts';
import { LevelInputError, parseLevel, prepareRun } from '../../level/play.ts';
import type { Level, Problem } from '../../level/schema.ts';
import type { LevelAssets } from '../../level/world.ts';
import type { CampaignLevel } from './campaign.ts';
import { fromBase64Url, parseJsonText, toBase64Url } from './share.ts';

/** The most bytes a level may take (a file opened, or a link unpacked): far above any real level. */
export const MAX_LEVEL_BYTES = 1 << 20;

/** A level's JSON text -> the `levelData` of a link: deflate, then base64url. */
export async function encodeLevel(text: string): Promise<string> {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** `levelData` -> the level's JSON text, or why it cannot be read (never throws). */
export async function decodeLevel(data: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    const packed = fromBase64Url(data);
    const reader = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      // A link is anyone's input: stop unpacking at the limit rather than fill the page's memory.
      if (size > MAX_LEVEL_BYTES) {
        await reader.cancel();
        return { ok: false, error: `the level in the link is larger than ${MAX_LEVEL_BYTES} bytes` };
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (e) {
    return { ok: false, error: `the level in the link is not readable (${(e as Error).message})` };
  }
}

/** A file the player opened or dropped: its name and text. */
export interface OpenedFile {
  name: string;
  text: string;
}

/** Opened files sorted by what they hold: at most one level, any solutions, and what was neither. */
export interface SortedFiles {
  level: { file: OpenedFile; json: unknown } | null;
  solutions: Array<{ file: OpenedFile; json: unknown }>;
  problems: string[];
}

/** A level has "oses"; a solution has "values" (the schemas decide the rest once the kind is known). */
export function sortOpenedFiles(files: readonly OpenedFile[]): SortedFiles {
  const out: SortedFiles = { level: null, solutions: [], problems: [] };
  for (const file of files) {
    const parsed = parseJsonText(file.text);
    if (!parsed.ok) {
      out.problems.push(`${file.name}: ${parsed.error}`);
      continue;
    }
    const json = parsed.json;
    const has = (key: string): boolean => typeof json === 'object' && json !== null && key in json;
    if (has('oses')) {
      if (out.level) out.problems.push(`${file.name}: one level at a time (${out.level.file.name} is opened)`);
      else out.level = { file, json };
    } else if (has('values')) out.solutions.push({ file, json });
    else out.problems.push(`${file.name}: neither a level (no "oses") nor a solution (no "values")`);
  }
  return out;
}

/** Why a level cannot be opened in the page (every problem with its JSON path), or its CampaignLevel. */
export function customLevel(
  json: unknown, text: string, source: string, data: string, files: LevelFiles, assets: LevelAssets,
): { ok: true; level: CampaignLevel } | { ok: false; problems: Problem[] } {
  let level: Level;
  try {
    level = parseLevel(json, source);
    // Building the images with the level's defaults finds every file it names that the page lacks.
    prepareRun(level, null, files, assets, 0);
  } catch (e) {
    if (e instanceof LevelInputError) return { ok: false, problems: e.problems.map(explainMissing) };
    return { ok: false, problems: [{ path: '$', message: (e as Error).message }] };
  }
  const name = source.replace(/\.json$/i, '');
  return { ok: true, level: { name, path: source, level, reference: null, custom: { source, data } } };
}

/** "cannot read X" in the page means the file is not one the page carries: say which ones it does. */
function explainMissing(p: Problem): Problem {
  if (!/^cannot read /.test(p.message)) return p;
  return {
    path: p.path,
    message: `${p.message}: the page has only the repository's levels/, assets/os/ and src/kexec/ files (paths from the repository root, as the CLI reads them) and the level's own "blocks"`,
  };
}
