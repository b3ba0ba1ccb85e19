// The bare-metal test image (test/kexec/images/user-os.S) on a board with the KEXEC extension:
// a user's OS that loads a peer from its own memory, ping-pongs with it, checks its memory after
// every round trip and CALLs a function, all through the firmware-call ABI of kexec-contract.md §1.
import { describe, expect, it } from 'vitest';
import { GNU_BUILD, gnuBuild, needTools } from '../gnu/tools.ts';
import { rig } from './harness.ts';
import { buildUserOs, read, runUserOs } from './user-os.ts';

describe('user-os.S: a bare-metal OS using kexec through the firmware-call ABI', () => {
  it.runIf(needTools('user-os.S against GNU as', GNU_BUILD))('assembles with our assembler into the bytes GNU as gives', () => {
    const ours = buildUserOs();
    const peer = gnuBuild(read('peer.S'));
    const kfunc = gnuBuild(read('kfunc.S'));
    expect(peer.bin).toEqual(ours.peer);
    expect(kfunc.bin).toEqual(ours.kfunc);
    expect(gnuBuild(read('user-os.S'), { files: { 'peer.bin': peer.bin, 'kfunc.bin': kfunc.bin } }).bin).toEqual(ours.bin);
  });

  it('refuses bad calls, ping-pongs 8 times, calls with 8 arguments; every page of U survives each round trip', () => {
    const { bin } = buildUserOs();
    const r = rig(bin, { ramMiB: 4 });
    const { changed, returns } = runUserOs(r);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(r.output()).toBe(`U\n${'b.'.repeat(8)}\ncall ok\nU ok\n`);
    // 8 JUMP round trips and the CALL, each compared frame by frame: nothing outside K(U) moved.
    expect(returns).toBe(9);
    expect(changed).toEqual(Array.from({ length: 9 }, () => []));
    // The refusals reached the firmware with the errnos of kexec-contract.md §1.
    const refused = r.events.flatMap((e) => (e.type === 'refused' ? [`${e.fn}:${e.errno}`] : e.type === 'load' && e.errno ? [`LOAD:${e.errno}`] : []));
    expect(refused).toEqual([
      'LOAD:22', 'LOAD:22', 'LOAD:22', 'LOAD:22', 'LOAD:99', 'LOAD:99', 'LOAD:22', 'LOAD:22', 'LOAD:14',
      'JUMP:22', 'CALL:22', 'RESERVE:14', 'JUMP:22', 'CALL:22', ...Array.from({ length: 8 }, () => 'LOAD:22'),
    ]);
    // 16 transitions for the ping-pong, one for the CALL.
    expect(r.kexec.jumps).toBe(17);
  });
});
