// GNU as relax_segment for one section (branch relaxation, alignment), then the linker's R_RISCV_ALIGN trimming.
// GNU estimates forward branches before later fragments have addresses, so sizes can keep those first guesses;
// we replay the same passes to reach the same sizes.

import { Diagnostics, LimitError } from './diagnostics.ts';
import { Frag, type Section } from './frags.ts';

/** Fragment visits branch relaxation may make in one section (passes times fragments). */
export const MAX_RELAX_VISITS = 20_000_000;

export function alignPad(address: number, p2: number): number {
  const a = 2 ** p2;
  return (a - (address % a)) % a;
}

/** GNU relaxed_branch_length: 4 when the target is a defined label of this section within [-4096, 4096). */
function branchLength(f: Frag, sec: Section): number {
  if (f.type === 'jal') return 4;
  const t = f.targetValue;
  if (t && t.terms.size === 1) {
    const [[key, coef]] = t.terms;
    if (coef === 1n && key instanceof Frag && key.section === sec) {
      const val = key.addr + Number(t.c) - (f.addr + f.fix);
      if (val >= -4096 && val < 4096) return 4;
    }
  }
  return 8;
}

function alignVar(f: Frag, address: number): number {
  const off = alignPad(address, f.p2);
  return f.maxSkip !== 0 && off > f.maxSkip ? 0 : off;
}

/** Lays out the section's fragments as GNU as would in the object file. */
export function relaxSection(sec: Section): void {
  const frags = sec.frags;
  for (const f of frags) f.addr = 0;
  let address = 0;
  for (const f of frags) {
    f.addr = address;
    address += f.fix;
    if (f.type === 'fill') address += f.varSize();
    else if (f.type === 'align') address += f.var = alignVar(f, address);
    else if (f.type === 'branch' || f.type === 'jal') address += f.var = branchLength(f, sec);
  }
  // Real code settles in a few passes; a crafted chain of branches at the edge of their range can
  // take one pass per branch, so the passes times the fragments is bounded too.
  const maxPasses = Math.min(10000, Math.max(2, Math.floor(MAX_RELAX_VISITS / Math.max(1, frags.length))));
  for (let pass = 0; ; pass++) {
    let stretch = 0;
    let grew: Frag | null = null;
    for (const f of frags) {
      f.addr += stretch;
      let growth = 0;
      if (f.type === 'align') {
        const v = alignVar(f, f.addr + f.fix);
        growth = v - f.var;
        f.var = v;
      } else if (f.type === 'branch' || f.type === 'jal') {
        const v = branchLength(f, sec);
        growth = v - f.var;
        f.var = v;
      }
      if (growth !== 0) {
        stretch += growth;
        grew ??= f;
      }
    }
    if (!grew) break;
    if (pass + 1 >= maxPasses) {
      if (maxPasses < 10000 && grew.loc) throw new LimitError(grew.loc, `branch relaxation does not settle within ${MAX_RELAX_VISITS} fragment visits (the assembler's limit)`);
      break;
    }
  }
  const last = frags[frags.length - 1]!;
  sec.size = last.addr + last.fix + last.varSize();
}

/** Applies what ld does to R_RISCV_ALIGN even with --no-relax: keep only the nops the final address needs. */
export function finalizeSection(sec: Section, diags: Diagnostics): void {
  let pos = 0;
  for (const f of sec.frags) {
    f.final = pos;
    const ra = f.relaxAlign;
    if (ra) {
      const start = pos + f.fix - ra.worst;
      ra.keep = alignPad(start, ra.p2);
      if (ra.keep > ra.worst && f.loc) diags.error(f.loc, 'alignment cannot be reached with the reserved nops (misaligned code)');
      if (ra.keep > ra.worst) ra.keep = ra.worst;
    }
    pos += f.finalSize();
  }
  sec.finalSize = pos;
}
