// The assembled relocate code that every control page carries: its bytes and the offsets of the
// entry points the firmware and the kjump ABI refer to.

export interface RelocateCode {
  /** The .text of relocate.S, at most 0x800 bytes, copied to [0, 0x800) of each control page. */
  bytes: Uint8Array;
  /** Offset of `kexec_reentry`: a control page's re-entry address is page + this. */
  reentry: number;
  /** Offset of the `ecall` at `kexec_handback` that returns control to the firmware. */
  handback: number;
}

/** Picks the offsets out of an assembler's symbol table (values relative to the code's start). */
export function relocateCodeFrom(bytes: Uint8Array, symbols: ReadonlyMap<string, number>, base = 0): RelocateCode {
  const at = (name: string): number => {
    const v = symbols.get(name);
    if (v === undefined) throw new Error(`relocate.S defines no ${name}`);
    return v - base;
  };
  if (bytes.length > 0x800) throw new Error(`relocate.S is ${bytes.length} bytes; the control page has room for 0x800`);
  if (at('relocate_kernel') !== 0) throw new Error('relocate_kernel must be the first instruction');
  return { bytes, reentry: at('kexec_reentry'), handback: at('kexec_handback') };
}
