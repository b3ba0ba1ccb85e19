// The editor's buttons: Run (also Ctrl+Enter), back to the level's defaults, restore the draft
// those replaced, download the solution as a file, upload one, and share it as a link.
import { byId, el } from '../dom.ts';
import type { CampaignLevel } from './campaign.ts';
import type { Editor } from './editor.ts';
import type { Notice } from './notice.ts';
import { emptySolution, keepPreviousDraft, loadPreviousDraft, parseJsonText, saveDraft, type KeyValue, type SolutionJson } from './share.ts';

/** What the buttons act on: the game controller. */
export interface SolutionHost {
  readonly store: KeyValue;
  readonly notices: Notice;
  readonly current: CampaignLevel;
  readonly editor: Editor;
  /** The storage key of the level shown (share.ts STORAGE_KEYS). */
  readonly storageKey: string;
  /** The URL hash of the level shown with `solution`. */
  link(solution: SolutionJson | null): string;
  run(): boolean;
  show(target: CampaignLevel, incoming?: unknown, opened?: string, from?: string, verb?: string): void;
  accept(json: unknown, source: string): SolutionJson | null;
}

export function wireSolutionActions(host: SolutionHost): void {
  byId('btn-run').addEventListener('click', () => host.run());
  byId('editor').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      host.run();
    }
  });
  byId('btn-defaults').addEventListener('click', () => {
    keepPreviousDraft(host.store, host.storageKey);
    saveDraft(host.store, host.storageKey, emptySolution(host.current.level.id));
    host.show(host.current);
    host.notices.set('Back to the level\'s defaults; your previous draft is kept (Restore).');
  });
  byId('btn-restore').addEventListener('click', () => {
    const raw = loadPreviousDraft(host.store, host.storageKey);
    if (!raw) return host.notices.set('No previous draft to restore.');
    const parsed = parseJsonText(raw);
    if (parsed.ok) host.show(host.current, parsed.json, '', 'your previous draft', 'Restored');
  });
  byId('btn-download').addEventListener('click', () => download(host));
  wireUpload(host);
  byId('btn-share').addEventListener('click', () => {
    history.replaceState(null, '', host.link(host.editor.draft()));
    const url = location.href;
    navigator.clipboard?.writeText(url).then(
      () => host.notices.set('Link to this solution copied (it is also in the address bar).'),
      () => host.notices.set('The link to this solution is in the address bar.'),
    );
  });
}

/** Saves the draft as LEVEL.solution.json. */
function download(host: SolutionHost): void {
  const blob = new Blob([JSON.stringify(host.editor.draft(), null, 2) + '\n'], { type: 'application/json' });
  const a = el('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${host.current.name}.solution.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Upload: a solution file for the level shown replaces the draft (which Restore keeps). */
function wireUpload(host: SolutionHost): void {
  const upload = byId<HTMLInputElement>('file-upload');
  byId('btn-upload').addEventListener('click', () => upload.click());
  upload.addEventListener('change', async () => {
    const file = upload.files?.[0];
    upload.value = '';
    if (!file) return;
    const parsed = parseJsonText(await file.text());
    if (!parsed.ok) return host.notices.set(`${file.name} was not loaded (${parsed.error}); your solution is unchanged.`, 'error');
    if (host.accept(parsed.json, file.name)) host.show(host.current, parsed.json, '', `solution from ${file.name}`);
  });
}
