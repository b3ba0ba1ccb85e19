// The game's "Export replay" button: replays the current run (same level input, solution and seed)
// on virtual time with the headless recorder, encodes the GIF and downloads it. The same code as
// `jumpback level --record`, so the page's file and the CLI's are the same bytes.
import type { LevelWorldInput } from '../../level/world.ts';
import { byId, el } from '../dom.ts';
import { encodeGif, type EncodedReplay } from './gif.ts';
import { DEFAULT_REPLAY, recordRun } from './recorder.ts';

export type Notify = (text: string, kind?: 'error' | 'info') => void;

/** The file name a replay downloads as: "first-jump-seed0.gif". */
export function replayFileName(input: LevelWorldInput): string {
  return `${input.level.id}-seed${input.seed}.gif`;
}

/** Records `input` to its end and encodes it (a few seconds for a campaign level). */
export function exportReplay(input: LevelWorldInput): EncodedReplay {
  const { recording } = recordRun(input, DEFAULT_REPLAY);
  return encodeGif(recording, DEFAULT_REPLAY);
}

/** Lets the browser paint (the "recording" notice) before the page blocks on the recording. */
const nextPaint = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/gif' }));
  const a = el('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference to the blob by now; a later revoke frees ours.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Adds the "Export replay" button after `#btn-share`. `current` gives the run now shown (the
 * session's input); `notify` shows progress and the result under the editor.
 */
export function wireReplayExport(current: () => LevelWorldInput, notify: Notify, after = byId('btn-share')): HTMLButtonElement {
  const button = el('button', after.className, 'Export replay');
  button.id = 'btn-replay';
  button.title = 'Download this run as an animated GIF of the memory map';
  after.after(button);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    const input = current();
    try {
      notify('Recording the replay…');
      await nextPaint();
      const gif = exportReplay(input);
      const name = replayFileName(input);
      download(gif.bytes, name);
      notify(`Replay saved as ${name}: ${gif.frames} frames, ${Math.ceil(gif.bytes.length / 1024)} KB.`);
    } catch (e) {
      notify(`The replay could not be made: ${(e as Error).message}`, 'error');
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
