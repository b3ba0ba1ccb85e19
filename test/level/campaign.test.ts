// Every level of levels/: its reference solution passes, each wrong solution is valid and fails
// for its real cause (the phrase below appears in the run's why), each alternative passes,
// playing twice gives the same event-log hash, the level's defaults fail early and say why, and
// the shipped par scores and reference histograms are the ones real plays give (run
// `npx tsx levels/update-par.ts` when this fails after a deliberate change).
import { describe, expect, it } from 'vitest';
import { campaignFiles, loadLevelFile, playLevelFile, solutionFiles } from '../../src/level/campaign.ts';
import { parOf } from '../../src/level/par.ts';
import type { PlayResult } from '../../src/level/play.ts';
import type { Score } from '../../src/level/world.ts';

const files = campaignFiles();

/**
 * Why each wrong solution (by file) and each level's defaults (NAME.defaults) fail: a phrase the
 * why must contain (its message, or its notes where the cause is context), and how the run ends.
 * Only two runs end at the limit: code that loops without ever handing back (undecidable).
 */
const WHY: Record<string, { phrase: string; end: string }> = {
  '00-tutorial.wrong-plain': { phrase: 'A was replaced for good: its kexec -e started an image loaded without --load-preserve-context', end: 'impossible' },
  '01-first-jump.defaults': { phrase: 'A will never hand the machine over (nothing is loaded to jump to and no step left loads an image; steps left: wait 2; kexec; kexec -e)', end: 'impossible' },
  '01-first-jump.wrong-empty': { phrase: 'A will never hand the machine over (nothing is loaded to jump to and no step left loads an image; steps left: wait 2; kexec; kexec -e)', end: 'impossible' },
  '01-first-jump.wrong-window': { phrase: 'failed: Invalid memory segment 0x80200000 - 0x80201fff', end: 'impossible' },
  '02-jump-and-back.defaults': { phrase: 'A was replaced for good: its kexec -e started an image loaded without --load-preserve-context', end: 'impossible' },
  '02-jump-and-back.wrong-plain': { phrase: 'A was replaced for good: its kexec -e started an image loaded without --load-preserve-context', end: 'impossible' },
  '03-ping-pong.defaults': { phrase: 'too slow for "A comes back 10 times": each round trip of A swaps its image\'s 512 page pairs', end: 'too-slow' },
  '03-ping-pong.wrong-tight': { phrase: 'kexec_load refused: -ENOMEM (no free page for the image)', end: 'impossible' },
  '04-out-of-memory.defaults': { phrase: 'a return address overwritten on the stack', end: 'panic' },
  '04-out-of-memory.wrong-small': { phrase: 'a return address overwritten on the stack', end: 'panic' },
  '05-forgetful-device.defaults': { phrase: 'loaded without device preservation (flags 0xf30100: no KEXEC_PRESERVE_DEVICE)', end: 'poweroff' },
  '05-forgetful-device.wrong-cpu-only': { phrase: 'the UART is still in loopback mode (MCR.LOOP), so what A writes goes back into its own receiver; kexec did not save and restore the devices for A\'s trip: its image was loaded without device preservation', end: 'poweroff' },
  '05-forgetful-device.wrong-kjump-skip': { phrase: 'its jump asked to skip them (kexec -e --kjump-devices=skip overrides the image\'s flags)', end: 'poweroff' },
  '06-ring.defaults': { phrase: 'C will never hand the machine over (its script has finished), so A never runs again', end: 'impossible' },
  '06-ring.wrong-outside': { phrase: 'C has no free page of its own left for kexec-tools\' buffers', end: 'impossible' },
  '06-ring.wrong-stack': { phrase: 'jumps so far: A → B → C → B → C → B', end: 'impossible' },
  '07-clobbered.defaults': { phrase: 'B reported CHECK = 262', end: 'impossible' },
  '07-clobbered.wrong-params': { phrase: 'B reported CHECK = 18142', end: 'impossible' },
  '07-clobbered.wrong-sources': { phrase: 'B reported CHECK = 262', end: 'impossible' },
  '08-legacy-reentry.defaults': { phrase: 'illegal instruction at 0x80300000 (in F\'s image), during A\'s 2nd CALL into F entered at 0x80300001', end: 'panic' },
  '08-legacy-reentry.wrong-data-first': { phrase: 'illegal instruction at 0x80300000 (in F\'s image), during A\'s 2nd CALL into F entered at 0x80300001', end: 'panic' },
  '08-legacy-reentry.wrong-one-segment': { phrase: 'illegal instruction at 0x80300000 (in F\'s image), during A\'s 2nd CALL into F entered at 0x80300001', end: 'panic' },
  '09-snapshot.defaults': { phrase: 'kernel page 0x80000000 is not in the image', end: 'impossible' },
  '09-snapshot.wrong-plain': { phrase: 'A was replaced for good', end: 'impossible' },
  '09-snapshot.wrong-range': { phrase: 'kernel page 0x80000000 is not in the image', end: 'impossible' },
  '10-hibernate.defaults': { phrase: 'A\'s memory is not what it left: 9 page(s) changed', end: 'impossible' },
  '10-hibernate.wrong-partial': { phrase: 'A\'s memory is not what it left: 4 page(s) changed', end: 'impossible' },
  '10-hibernate.wrong-window': { phrase: 'cannot restore: a page belongs where I am', end: 'failed' },
  '11-firmware-call.defaults': { phrase: '`call 0 0 0` returned 0', end: 'impossible' },
  '11-firmware-call.wrong-order': { phrase: '`call 0 30 5` returned 75', end: 'impossible' },
  '12-write-the-firmware.defaults': { phrase: '`call 3 4` returned 0', end: 'impossible' },
  '12-write-the-firmware.wrong-jr': { phrase: 'during A\'s 2nd CALL into F entered at 0x8030001c (in F\'s image), not at 0x80300000', end: 'panic' },
  '12-write-the-firmware.wrong-lost-ra': { phrase: 'F never handed the machine back', end: 'limit' },
  '12-write-the-firmware.wrong-no-pop': { phrase: 'during A\'s 2nd CALL into F entered at 0x00000000 (outside RAM)', end: 'panic' },
  '12-write-the-firmware.wrong-slot': { phrase: 'returned 5 (0x00000005), not a value the goals want (12, 30, 70): A\'s 2nd CALL into F entered at 0x80003144 (A\'s kexec re-entry)', end: 'impossible' },
  '13-jump-back-path.defaults': { phrase: 'A printed "back 2, value 0x00000001", not "back 2, value 0x00000004"', end: 'poweroff' },
  '13-jump-back-path.wrong-own-entry': { phrase: 'B never handed the machine back', end: 'limit' },
  '13-jump-back-path.wrong-slot-offset': { phrase: 'A printed "back 2, value 0x00000001", not "back 2, value 0x00000004"', end: 'poweroff' },
  '13-jump-back-path.wrong-stack': { phrase: 'A printed "back 2, value 0x00000001", not "back 2, value 0x00000004"', end: 'poweroff' },
  '14-two-lives.defaults': { phrase: 'B has no free page of its own left for kexec-tools\' buffers', end: 'impossible' },
  '14-two-lives.wrong-plain': { phrase: 'A was replaced for good', end: 'impossible' },
  '14-two-lives.wrong-tight': { phrase: 'B has no free page of its own left for kexec-tools\' buffers', end: 'impossible' },
  '15-sandbox.wrong-panic': { phrase: 'a return address overwritten on the stack', end: 'panic' },
  // The bug chapter, part A (issue 11): levels 16-20.
  '16-lost-trap-vector.defaults': { phrase: 'A was still running (pc 0x8030002c, in F\'s image)', end: 'trap-loop' },
  '16-lost-trap-vector.wrong-after': { phrase: 'A was still running (pc 0x80300034, in F\'s image)', end: 'trap-loop' },
  '16-lost-trap-vector.wrong-zero': { phrase: 'A was still running (pc 0x00000000, outside RAM)', end: 'trap-loop' },
  '17-one-way-swap.defaults': { phrase: 'illegal instruction at 0x80204144 (B\'s kexec re-entry), during A\'s 2nd jump into B entered at 0x80204144 (B\'s kexec re-entry), not at 0x80203000 where the 1st did', end: 'panic' },
  '17-one-way-swap.wrong-once': { phrase: 'during A\'s 2nd jump into B entered at 0x80204144 (B\'s kexec re-entry)', end: 'panic' },
  '17-one-way-swap.wrong-plain': { phrase: 'B is lost: its memory lived only in A\'s freed image', end: 'impossible' },
  '18-scratch-page.defaults': { phrase: 'A\'s memory is not what it left: 1 page(s) changed while away: 0x80002000', end: 'impossible' },
  '18-scratch-page.wrong-one-up': { phrase: 'A\'s memory is not what it left: 1 page(s) changed while away: 0x80002000', end: 'impossible' },
  '19-stale-mapping.defaults': { phrase: 'A\'s memory is not what it left: 1 page(s) changed while away: 0x80002000', end: 'impossible' },
  '19-stale-mapping.wrong-far': { phrase: 'A\'s memory is not what it left: 1 page(s) changed while away: 0x80002000', end: 'impossible' },
  '20-dump-loop.defaults': { phrase: 'the hibernation image on the disk is not A\'s memory: page 0x80000000 on the disk differs from A\'s memory', end: 'impossible' },
  '20-dump-loop.wrong-in-place': { phrase: 'the hibernation image on the disk is not A\'s memory: page 0x80100000 on the disk differs from A\'s memory', end: 'impossible' },
  '20-dump-loop.wrong-no-advance': { phrase: 'the hibernation image on the disk is not A\'s memory: page 0x80102000 on the disk differs from A\'s memory', end: 'impossible' },
  // The bug chapter, part B (levels 21-25).
  '21-unswapped.defaults': { phrase: 'A\'s memory is not what it left: 1 page(s) changed while away: 0x80100000', end: 'impossible' },
  '21-unswapped.wrong-next-page': { phrase: 'A\'s memory is not what it left: 1 page(s) changed while away: 0x80100000', end: 'impossible' },
  '21-unswapped.wrong-copied': { phrase: '`call 5` returned 2148532924 (0x801002bc), not a value the goals want (5, 42)', end: 'impossible' },
  '22-replaced-image.defaults': { phrase: 'B is lost: its memory lived only in A\'s freed image', end: 'impossible' },
  '22-replaced-image.wrong-reload': { phrase: 'B is lost: its memory lived only in A\'s freed image', end: 'impossible' },
  '22-replaced-image.wrong-unload': { phrase: 'B is lost: its memory lived only in A\'s freed image', end: 'impossible' },
  '23-busy-device.defaults': { phrase: 'kernel_kexec failed at dpm_suspend_start: -EBUSY', end: 'impossible' },
  '23-busy-device.wrong-save': { phrase: 'kernel_kexec failed at dpm_suspend_start: -EBUSY', end: 'impossible' },
  '23-busy-device.wrong-plain': { phrase: 'A was replaced for good', end: 'impossible' },
  '24-stale-start.defaults': { phrase: 'instruction access fault at 0x00000000 (outside RAM', end: 'panic' },
  '24-stale-start.wrong-plain': { phrase: 'A was replaced for good', end: 'impossible' },
  '24-stale-start.wrong-unload-only': { phrase: '`kexec -e` failed: Nothing has been loaded!', end: 'impossible' },
  '25-time-sharing.defaults': { phrase: 'kexec_load refused: -EINVAL (segments total 192 pages, over half of RAM)', end: 'impossible' },
  '25-time-sharing.wrong-no-unload': { phrase: 'There is kexec kernel loaded, make sure you are in kexeced kernel.', end: 'impossible' },
  '25-time-sharing.wrong-a-retargets': { phrase: 'B is lost: its memory lived only in A\'s freed image', end: 'impossible' },
  // The patch chapter (26): the player's block replaces a part of relocate.S.
  '26-lost-flag.defaults': { phrase: 'illegal instruction at 0x80204144 (B\'s kexec re-entry), during A\'s 2nd jump into B entered at 0x80204144 (B\'s kexec re-entry), not at 0x80203000 where the 1st did', end: 'panic' },
  '26-lost-flag.wrong-bit': { phrase: 'during A\'s 2nd jump into B entered at 0x80204144 (B\'s kexec re-entry)', end: 'panic' },
};

/** The why as text: its message and notes. */
const whyText = (r: PlayResult): string => (r.why ? [r.why.message, ...r.why.notes].join('\n') : '');

/** A failed run says why, in the expected words, and ends as expected (not at the limit unless listed). */
function expectWhy(r: PlayResult, key: string): void {
  const want = WHY[key];
  expect(want, `no expected why for ${key} in the WHY table`).toBeDefined();
  expect(r.passed).toBe(false);
  expect(r.why).not.toBeNull();
  expect(whyText(r)).toContain(want.phrase);
  expect(r.end).toBe(want.end);
  expect(r.endText.length).toBeGreaterThan(10);
}

describe('campaign', () => {
  it('has at least 12 levels in campaign order with unique ids: the tutorial (order 0), then 1, 2, ...', () => {
    const levels = files.map((f) => loadLevelFile(f).level);
    expect(levels.length).toBeGreaterThanOrEqual(12);
    expect(new Set(levels.map((l) => l.id)).size).toBe(levels.length);
    expect(levels[0].order).toBe(0);
    expect(levels[0].tutorial?.length).toBeGreaterThan(0);
    // Ascending from 0 without repeats; a chapter may start after a gap (the bug chapter's 21-25
    // can land before 16-20 do).
    const orders = levels.map((l) => l.order);
    expect(orders).toEqual([...new Set(orders)].sort((a, b) => a - b));
  });

  for (const path of files) {
    const lf = loadLevelFile(path);
    const { reference, wrong, alt } = solutionFiles(lf);
    describe(lf.name, () => {
      // Each play once, whichever test asks first: every test can run alone, filtered or shuffled.
      const plays = new Map<string | null, ReturnType<typeof playLevelFile>>();
      const play = (solution: string | null): ReturnType<typeof playLevelFile> => {
        let r = plays.get(solution);
        if (!r) { r = playLevelFile(lf, solution); plays.set(solution, r); }
        return r;
      };
      it('ships a reference solution and at least one wrong one', () => {
        expect(reference).not.toBeNull();
        expect(wrong.length).toBeGreaterThanOrEqual(1);
      });
      it('reference solution passes, twice with the same hash', () => {
        const a = play(reference);
        expect(a.goals.filter((g) => !g.met)).toEqual([]);
        expect(a.passed).toBe(true);
        expect(a.why).toBeNull(); // a passing run's end event says no why (its hash is unchanged)
        expect(playLevelFile(lf, reference).hash).toBe(a.hash);
      });
      for (const p of alt) {
        it(`${p.split('/').pop()} passes`, () => {
          expect(play(p).passed).toBe(true);
        });
      }
      it('par and histograms are the reference plays\' real scores', () => {
        const scores: Score[] = [reference, ...alt].map((p) => play(p).score);
        const { par, histogram } = parOf(scores[0]!, scores);
        expect(lf.level.par).toEqual(par);
        expect(lf.level.histogram).toEqual(histogram);
      });
      for (const w of wrong) {
        const name = w.split('/').pop()!;
        it(`${name} fails and says why`, () => {
          const r = playLevelFile(lf, w);
          expect(r.passed).toBe(false);
          if (lf.level.goals.length > 0) expect(r.goals.some((g) => !g.met)).toBe(true);
          else expect(r.end).not.toBe('limit');
          expectWhy(r, name.replace(/\.json$/, ''));
        });
      }
      if (lf.level.tutorial !== undefined) {
        it('its defaults are the walkthrough: they pass', () => {
          expect(playLevelFile(lf, null).passed).toBe(true);
        });
      } else if (lf.level.goals.length > 0) {
        it('its defaults fail early and say why', () => {
          const r = playLevelFile(lf, null);
          expectWhy(r, `${lf.name}.defaults`);
          expect(r.instructions).toBeLessThan(lf.level.limits.maxInstructions / 2);
        });
      }
    });
  }
});

describe('the bug chapter (levels with a `bug` field)', () => {
  const bugLevels = files.map((f) => loadLevelFile(f).level).filter((l) => l.bug !== undefined);
  it('has bug levels, each naming a row of kexec-linux.md §6.2 with its commit', () => {
    expect(bugLevels.length).toBeGreaterThanOrEqual(4);
    for (const l of bugLevels) expect(l.bug!.row).toMatch(/^F\d+$/);
  });
  for (const l of bugLevels) {
    it(`${l.id}: the briefing names neither the fixing commit nor its title (told only once solved)`, () => {
      expect(l.briefing).not.toContain(l.bug!.commit);
      expect(l.briefing.toLowerCase()).not.toContain(l.bug!.title.toLowerCase());
    });
  }
});
