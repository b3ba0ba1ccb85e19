// The contract every memory-mapped device implements: register access, power-on reset, and two
// kinds of saved state. save()/restore() are the *controller*: the registers a driver's suspend and
// resume keep (kexec's device freeze/restore uses exactly this). A device with storage behind it (the
// disk) also has a `medium`: it persists across resets and suspend/resume, and only whole-machine
// snapshots save and restore it.

/** A device's state as plain JSON-compatible data (numbers, strings, arrays, nested records). */
export type DeviceStateValue = number | string | boolean | DeviceStateValue[] | { [key: string]: DeviceStateValue };
export type DeviceState = { [key: string]: DeviceStateValue };

/**
 * What a device stores (a disk's sectors). Untouched by reset() and by save()/restore(): a real
 * controller's suspend state never contains its medium. Machine snapshots use this.
 */
export interface DeviceMedium {
  save(): DeviceState;
  /** Validates the whole state before changing anything; throws (medium untouched) when it is bad. */
  restore(state: DeviceState): void;
}

export interface Device {
  /** Short stable name, used in snapshots and kexec events: "uart", "clint", "finisher", "disk". */
  readonly name: string;
  /** Physical base address and size of the register window. */
  readonly base: number;
  readonly size: number;
  /** Reads `width` bytes at `offset` from base; returns the value zero-extended. */
  read(offset: number, width: 1 | 2 | 4): number;
  write(offset: number, width: 1 | 2 | 4, value: number): void;
  /** Power-on state of the controller (a medium keeps its contents). */
  reset(): void;
  /** Controller state only (registers, queues): what suspend/resume keeps. Never the medium. */
  save(): DeviceState;
  /** Throws for a malformed state (a snapshot restore then rolls every device back). */
  restore(state: DeviceState): void;
  /** The device's medium, when it has one (the disk image). */
  readonly medium?: DeviceMedium;
}
