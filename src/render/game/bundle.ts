// The campaign as the browser sees it: levels, reference solutions, toy OS sources and the kexec
// .S files from the generated bundle module, behind the same LevelFiles/LevelAssets the CLI uses.
import files from 'jumpback:game-files';
import { assemblePurgatory, assembleRelocate } from '../../kexec/assemble.ts';
import type { LevelFiles } from '../../level/images.ts';
import { parseLevel } from '../../level/play.ts';
import type { Level } from '../../level/schema.ts';
import type { LevelAssets } from '../../level/world.ts';
import { campaignFromFiles, type CampaignLevel } from './campaign.ts';

const encoder = new TextEncoder();

/** Level files read from the bundle (paths from the repository root). */
export const bundledFiles: LevelFiles = {
  read: (path) => {
    const text = files[path.replace(/^\.\//, '')];
    return text === undefined ? undefined : encoder.encode(text);
  },
};

let assets: LevelAssets | null = null;

/** relocate.S and purgatory.S assembled in the page by our assembler (once). */
export function bundledAssets(): LevelAssets {
  if (!assets) {
    const src = (name: string): string => {
      const t = files[`src/kexec/${name}`];
      if (t === undefined) throw new Error(`the bundle lacks src/kexec/${name}`);
      return t;
    };
    assets = { relocate: assembleRelocate(src('relocate.S')), purgatory: assemblePurgatory(src('purgatory.S')) };
  }
  return assets;
}

/** Every bundled level in campaign order, with its reference solution's JSON when shipped. */
export function bundledCampaign(): CampaignLevel[] {
  return campaignFromFiles(files, (json, file): Level => parseLevel(json, file));
}

/** The raw bundled text of a file (tests, downloads of reference solutions). */
export function bundledText(path: string): string | undefined {
  return files[path];
}
