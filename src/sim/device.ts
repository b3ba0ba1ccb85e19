// The contract every memory-mapped device implements: register access plus explicit state that
// can be saved, restored and reset (snapshots and kexec's device freeze/restore use exactly this).

/** A device's state as plain JSON-compatible data (numbers, strings, arrays, nested records). */
export type DeviceStateValue = number | string | boolean | DeviceStateValue[] | { [key: string]: DeviceStateValue };
export type DeviceState = { [key: string]: DeviceStateValue };

export interface Device {
  /** Short stable name, used in snapshots and kexec events: "uart", "clint", "finisher", "disk". */
  readonly name: string;
  /** Physical base address and size of the register window. */
  readonly base: number;
  readonly size: number;
  /** Reads `width` bytes at `offset` from base; returns the value zero-extended. */
  read(offset: number, width: 1 | 2 | 4): number;
  write(offset: number, width: 1 | 2 | 4, value: number): void;
  /** Power-on state. */
  reset(): void;
  save(): DeviceState;
  restore(state: DeviceState): void;
}
