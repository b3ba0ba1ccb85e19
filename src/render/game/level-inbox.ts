// What reaches the game from outside the page: a link's hash (a campaign level, a whole level
// carried in it, a solution), level and solution files from the "Open level…" input or dropped
// anywhere on the page. What cannot be opened says why in the notice and the current level stays.
import { byId } from '../dom.ts';
import { bundledAssets, bundledFiles } from './bundle.ts';
import type { CampaignLevel } from './campaign.ts';
import { customLevel, decodeLevel, encodeLevel, MAX_LEVEL_BYTES, sortOpenedFiles, type OpenedFile } from './custom-level.ts';
import type { Notice } from './notice.ts';
import { decodeSolution, parseJsonText, readHash, type SolutionJson } from './share.ts';

/** What the inbox opens things in: the game controller. */
export interface InboxHost {
  readonly notices: Notice;
  readonly current: CampaignLevel;
  findLevel(name: string | null): CampaignLevel | undefined;
  show(target: CampaignLevel, incoming?: unknown, opened?: string, from?: string, verb?: string): void;
  accept(json: unknown, source: string): SolutionJson | null;
}

export type HashParts = ReturnType<typeof readHash>;

export class LevelInbox {
  constructor(private readonly _host: InboxHost) {
    window.addEventListener('hashchange', () => this.fromHash(readHash(location.hash)));
    const levelInput = byId<HTMLInputElement>('level-file');
    byId('btn-open-level').addEventListener('click', () => levelInput.click());
    levelInput.addEventListener('change', async () => {
      const list = levelInput.files;
      await this._readFiles(list);
      levelInput.value = '';
    });
    // Drop a level file (and its solution) anywhere on the page.
    document.addEventListener('dragover', (e) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    });
    document.addEventListener('drop', (e) => {
      if (!e.dataTransfer?.files.length) return;
      e.preventDefault();
      void this._readFiles(e.dataTransfer.files);
    });
  }

  /** Opens what a location hash names (at start-up, the hash read before the first level was shown). */
  fromHash(h: HashParts): void {
    const { notices, current } = this._host;
    if (h.levelData !== null) {
      void this._openLink(h.levelData, h.solution);
      return;
    }
    if (h.level === null && h.solution === null) return;
    // A solution alone ("#s=..."): for the level being played, the campaign's or an opened one.
    const target = h.level === null ? current : this._host.findLevel(h.level);
    if (!target) return notices.set(`There is no level '${h.level}'.`, 'error');
    if (h.solution === null) {
      if (target !== current) this._host.show(target);
      return;
    }
    const decoded = decodeSolution(h.solution);
    if (target !== current) this._host.show(target);
    if (!decoded.ok) return notices.set(`${decoded.error}; your solution is unchanged.`, 'error');
    this._host.show(target, decoded.json);
  }

  /**
   * Opens a level file, with a solution for it if one is among the files, or solutions alone for
   * the current level. False (and a notice) when nothing could be opened.
   */
  async openFiles(files: readonly OpenedFile[]): Promise<boolean> {
    const host = this._host;
    const sorted = sortOpenedFiles(files);
    const problems = sorted.problems.join('; ');
    if (!sorted.level) {
      // Solutions alone: for the level being played, as Upload does.
      const sol = sorted.solutions[0];
      if (!sol) {
        host.notices.set(`Nothing was opened (${problems || 'no files'}).`, 'error');
        return false;
      }
      if (!host.accept(sol.json, sol.file.name)) return false;
      host.show(host.current, sol.json, '', `solution from ${sol.file.name}`);
      return true;
    }
    const id = (sorted.level.json as { id?: unknown }).id;
    const sol = sorted.solutions.find((s) => (s.json as { level?: unknown }).level === id);
    const ok = await this._openCustom(sorted.level.json, sorted.level.file.text, sorted.level.file.name, sol?.json, sol ? `solution from ${sol.file.name}` : undefined);
    if (ok && problems) host.notices.set(`${host.notices.text} Not opened: ${problems}.`, 'error');
    return ok;
  }

  /** Opens a level from its JSON text (a file or a link); false + a notice when the page cannot play it. */
  private async _openCustom(json: unknown, text: string, source: string, incoming?: unknown, from?: string): Promise<boolean> {
    const data = await encodeLevel(text);
    const made = customLevel(json, text, source, data, bundledFiles, bundledAssets());
    if (!made.ok) {
      this._host.notices.set(`${source} was not opened: ${made.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}. The current level stays.`, 'error');
      return false;
    }
    const scored = made.level.level.par ? '' : ' It is unscored (no par yet).';
    this._host.show(made.level, incoming, `Opened ${source}.${scored} `, from);
    return true;
  }

  /** A whole level carried in a link (#levelData=...), with its solution if the link has one. */
  private async _openLink(data: string, solution: string | null): Promise<void> {
    const { notices } = this._host;
    const level = await decodeLevel(data);
    if (!level.ok) return notices.set(`${level.error}; the current level stays.`, 'error');
    const parsed = parseJsonText(level.text);
    if (!parsed.ok) return notices.set(`the level in the link is ${parsed.error}; the current level stays.`, 'error');
    let incoming: unknown;
    if (solution !== null) {
      const decoded = decodeSolution(solution);
      if (decoded.ok) incoming = decoded.json;
      else notices.set(`${decoded.error}.`, 'error');
    }
    await this._openCustom(parsed.json, level.text, 'a link', incoming);
  }

  /** Files from the input or a drop, read as text; too large ones are refused before reading. */
  private async _readFiles(list: FileList | null | undefined): Promise<void> {
    const files = Array.from(list ?? []);
    const big = files.find((f) => f.size > MAX_LEVEL_BYTES);
    if (big) return this._host.notices.set(`${big.name} was not opened: it is ${big.size} bytes, a level or solution file is at most ${MAX_LEVEL_BYTES}.`, 'error');
    if (files.length > 0) await this.openFiles(await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() }))));
  }
}
