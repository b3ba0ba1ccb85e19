// The teaching parts of the game page without a browser: which campaign levels are unlocked, the
// glossary's coverage (every legend role, every timeline phase, every kexec word of the brief has
// an entry; briefing text links its terms), the tutorial's moments, and script-step error lines.
import { describe, expect, it } from 'vitest';
import { PAGE_ROLE_NAMES } from '../../src/sim/memory.ts';
import { campaignFromFiles, unlockedLevels } from '../../src/render/game/campaign.ts';
import { scriptLine } from '../../src/render/game/editor.ts';
import { GLOSSARY } from '../../src/render/game/glossary-terms.ts';
import { entryForLabel, termPieces } from '../../src/render/game/glossary.ts';
import { momentOf } from '../../src/render/game/tutorial.ts';
import { gameFiles } from '../../src/cli/serve.ts';
import { parseLevel } from '../../src/level/play.ts';

const levels = campaignFromFiles(gameFiles(), (j, f) => parseLevel(j, f));

describe('campaign order', () => {
  const names = (set: Set<string>) => levels.filter((l) => set.has(l.name)).map((l) => l.name);

  it('opens the tutorial and level 1 to a new player, nothing else', () => {
    expect(levels[0].level.order).toBe(0);
    expect(names(unlockedLevels(levels, () => false, false))).toEqual([levels[0].name, levels[1].name]);
  });

  it('unlocks each level when the one before is solved, keeps solved levels open, opens all on request', () => {
    const solved = new Set([levels[1].level.id, levels[2].level.id, levels[6].level.id]);
    const open = names(unlockedLevels(levels, (id) => solved.has(id), false));
    expect(open).toEqual([levels[0], levels[1], levels[2], levels[3], levels[6], levels[7]].map((l) => l.name));
    expect(names(unlockedLevels(levels, () => false, true))).toEqual(levels.map((l) => l.name));
  });
});

describe('glossary', () => {
  it('explains every role of the legend and every phase of the timeline', () => {
    for (const role of [...PAGE_ROLE_NAMES, 'just written', 'owner', 'role']) expect(entryForLabel(role, 'map'), role).toBeDefined();
    for (const kind of ['boot', 'load', 'unload', 'freeze', 'jump', 'call', 'swap', 'thaw', 'return', 'shutdown', 'fault', 'refused', 'end']) {
      expect(entryForLabel(kind, 'timeline'), kind).toBeDefined();
    }
    // One label, two meanings: the legend's swap is a page, the timeline's a phase.
    expect(entryForLabel('swap', 'map')!.id).toBe('swap');
    expect(entryForLabel('swap', 'timeline')!.id).toBe('swap-phase');
    expect(new Set(GLOSSARY.map((e) => e.id)).size).toBe(GLOSSARY.length);
  });

  it('finds the kexec words in text, longest phrase first, once per entry', () => {
    const text = 'The control page and swap page; source pages (backup pages) go to destination pages by the indirection list. '
      + 'A kimage has segments; --load-preserve-context makes purgatory add kexec_jump_back_entry for the relocate code. kexec -l, then kexec.';
    const found = termPieces(text).filter((p) => typeof p !== 'string') as Array<{ text: string; id: string }>;
    expect(found.map((p) => p.id)).toEqual(['control', 'swap', 'source', 'destination', 'indirection', 'kimage', 'segment', 'preserve', 'purgatory', 'jump-back-entry', 'relocate', 'load', 'kexec']);
    expect(found.find((p) => p.id === 'load')!.text).toBe('kexec -l');
    expect(termPieces(text).map((p) => (typeof p === 'string' ? p : p.text)).join('')).toBe(text);
    // Not inside a longer word or option.
    expect(termPieces('reloads --swap-pages unswap').every((p) => typeof p === 'string')).toBe(true);
  });

  it('links the terms of every shipped briefing and tutorial step', () => {
    for (const l of levels) {
      expect(termPieces(l.level.briefing).some((p) => typeof p !== 'string'), l.name).toBe(true);
      for (const step of l.level.tutorial ?? []) expect(termPieces(step.text).some((p) => typeof p !== 'string'), step.text).toBe(true);
    }
  });
});

describe('tutorial moments and script lines', () => {
  it('maps run events to the moments a step can wait for', () => {
    expect(momentOf({ type: 'end', at: 5, reason: 'goals' } as never)).toBe('end');
    for (const t of ['load', 'jump', 'return'] as const) expect(momentOf({ type: 'kexec', at: 1, event: { type: t } } as never)).toBe(t);
    expect(momentOf({ type: 'kexec', at: 1, event: { type: 'freeze' } } as never)).toBeNull();
    expect(momentOf({ type: 'console', at: 1, os: 'A', text: 'x' } as never)).toBeNull();
  });

  it('puts a script step problem on its line (empty lines are not steps)', () => {
    const text = 'wait 1\n\n  kexec -l B\nbogus\n';
    expect(scriptLine(text, 'values.s[0]')).toBe(1);
    expect(scriptLine(text, 'values.s[1]: a step')).toBe(3);
    expect(scriptLine(text, 'values.s[2]')).toBe(4);
    expect(scriptLine(text, 'values.s[3]')).toBe(0);
    expect(scriptLine(text, 'values.s')).toBe(0);
  });
});
