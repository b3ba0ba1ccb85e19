// Whole-machine snapshots (hibernate and resume): RAM, page metadata, CPU state, every device's
// controller state and every device's medium (the disk image) in one compact, checksummed binary.
// Restoring validates everything before changing anything.
import { SAVED_CSRS } from './cpu-csr.ts';
import { CSR } from './csr.ts';
import type { Device, DeviceState } from './device.ts';
import { Priv, type CpuState } from './hart.ts';
import type { BootMode, HaltReason, Machine } from './machine.ts';
import { PAGE_SHIFT, PAGE_SIZE } from './memory.ts';

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/*
 * Layout (little-endian):
 *   header  "JBSNAP\r\n" (8 bytes), u32 version, u32 section count, u32 payload length, u32 CRC-32 of the payload
 *   payload sections: u32 tag (4 ASCII chars), u32 length, bytes, zero-padded to 4
 *     META  JSON { ramSize, bootMode, halted, devices: [names in bus order] }
 *     CPU_  JSON CpuState
 *     DEVS  JSON { name: DeviceState }        controller state (Device.save)
 *     MEDI  JSON { name: DeviceState }        media (Device.medium.save), for the devices that have one
 *     PAGE  owner u8[pages], role u8[pages], generation u32[pages]
 *     RAM_  u32 count, then count x (u32 pfn, 4096 bytes): only pages that are not all zero
 */
const MAGIC = [0x4a, 0x42, 0x53, 0x4e, 0x41, 0x50, 0x0d, 0x0a];
/** 2: media split out of DEVS into MEDI (version 1 kept the disk's sectors inside its device state). */
export const SNAPSHOT_VERSION = 2;
const HEADER_SIZE = 24;
const TAGS = ['META', 'CPU_', 'DEVS', 'MEDI', 'PAGE', 'RAM_'] as const;
type Tag = (typeof TAGS)[number];

interface Meta {
  ramSize: number;
  bootMode: BootMode;
  halted: HaltReason | null;
  devices: string[];
}

/** What the machine needs beyond its parts: Machine satisfies it. */
type SnapshotMachine = Pick<Machine, 'memory' | 'cpu' | 'devices' | 'halted' | 'bootMode'>;

/** Serializes the whole machine. Call between runs (not from inside a device or ecall handler). */
export function saveSnapshot(machine: SnapshotMachine): Uint8Array {
  const mem = machine.memory;
  const meta: Meta = {
    ramSize: mem.size, bootMode: machine.bootMode, halted: machine.halted,
    devices: machine.devices.map((d) => d.name),
  };
  const devices: Record<string, DeviceState> = {};
  const media: Record<string, DeviceState> = {};
  for (const d of machine.devices) {
    devices[d.name] = d.save();
    if (d.medium) media[d.name] = d.medium.save();
  }
  const enc = new TextEncoder();

  const pages = new Uint8Array(mem.pageCount * 6);
  pages.set(mem.owner, 0);
  pages.set(mem.role, mem.pageCount);
  const gen = new DataView(pages.buffer, mem.pageCount * 2);
  for (let p = 0; p < mem.pageCount; p++) gen.setUint32(p * 4, mem.generation[p], true);

  const used: number[] = [];
  const words = mem.i32;
  const perPage = PAGE_SIZE >>> 2;
  for (let p = 0; p < mem.pageCount; p++) {
    const start = p * perPage;
    for (let i = start; i < start + perPage; i++) {
      if (words[i] !== 0) {
        used.push(p);
        break;
      }
    }
  }
  const ram = new Uint8Array(4 + used.length * (4 + PAGE_SIZE));
  const ramView = new DataView(ram.buffer);
  ramView.setUint32(0, used.length, true);
  used.forEach((pfn, k) => {
    const at = 4 + k * (4 + PAGE_SIZE);
    ramView.setUint32(at, pfn, true);
    ram.set(mem.page(pfn), at + 4);
  });

  const sections: Array<[Tag, Uint8Array]> = [
    ['META', enc.encode(JSON.stringify(meta))],
    ['CPU_', enc.encode(JSON.stringify(machine.cpu.saveState()))],
    ['DEVS', enc.encode(JSON.stringify(devices))],
    ['MEDI', enc.encode(JSON.stringify(media))],
    ['PAGE', pages],
    ['RAM_', ram],
  ];
  const payloadLength = sections.reduce((n, [, b]) => n + 8 + pad4(b.length), 0);
  const out = new Uint8Array(HEADER_SIZE + payloadLength);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, SNAPSHOT_VERSION, true);
  view.setUint32(12, sections.length, true);
  view.setUint32(16, payloadLength, true);
  let at = HEADER_SIZE;
  for (const [tag, body] of sections) {
    for (let i = 0; i < 4; i++) out[at + i] = tag.charCodeAt(i);
    view.setUint32(at + 4, body.length, true);
    out.set(body, at + 8);
    at += 8 + pad4(body.length);
  }
  view.setUint32(20, crc32(out.subarray(HEADER_SIZE)), true);
  return out;
}

/** RAM size and boot mode recorded in a snapshot, so a caller can build a matching machine. */
export function snapshotInfo(bytes: Uint8Array): { ramSize: number; bootMode: BootMode; devices: string[] } {
  const { meta } = parse(bytes);
  return { ramSize: meta.ramSize, bootMode: meta.bootMode, devices: meta.devices };
}

/**
 * Puts `machine` back in the saved state. The machine must have the same RAM size and the same
 * devices (by name). Throws {@link SnapshotError} for a corrupt, truncated or mismatched snapshot,
 * leaving the machine untouched.
 */
export function restoreSnapshot(machine: SnapshotMachine, bytes: Uint8Array): void {
  const { meta, cpu, devices, media, pages, ram } = parse(bytes);
  const mem = machine.memory;
  if (meta.ramSize !== mem.size) {
    throw new SnapshotError(`snapshot has ${meta.ramSize} bytes of RAM, the machine has ${mem.size}`);
  }
  const names = machine.devices.map((d) => d.name);
  if (names.join(',') !== meta.devices.join(',')) {
    throw new SnapshotError(`snapshot devices [${meta.devices.join(', ')}] do not match the machine's [${names.join(', ')}]`);
  }
  for (const name of names) {
    if (!(name in devices)) throw new SnapshotError(`snapshot has no state for device '${name}'`);
  }
  for (const d of machine.devices) {
    if (d.medium && !(d.name in media)) throw new SnapshotError(`snapshot has no medium for device '${d.name}'`);
    if (!d.medium && d.name in media) throw new SnapshotError(`snapshot has a medium for device '${d.name}', which has none`);
  }
  if (pages.length !== mem.pageCount * 6) throw new SnapshotError('page metadata section has the wrong size');
  const ramView = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  if (ram.length < 4) throw new SnapshotError('RAM section is truncated');
  const count = ramView.getUint32(0, true);
  if (ram.length !== 4 + count * (4 + PAGE_SIZE)) throw new SnapshotError('RAM section length does not match its page count');
  let last = -1;
  for (let k = 0; k < count; k++) {
    const pfn = ramView.getUint32(4 + k * (4 + PAGE_SIZE), true);
    if (pfn >= mem.pageCount || pfn <= last) throw new SnapshotError(`RAM section: bad page frame number ${pfn}`);
    last = pfn;
  }

  // Devices validate their own state: restore them first and roll everything back if one refuses.
  // Media come last (each validates in full before it commits), so only those already restored
  // need rolling back, and a good snapshot never pays for saving the target's disk.
  const rollbackCpu = machine.cpu.saveState();
  const rollbackDevices = machine.devices.map((d) => d.save());
  const rollbackMedia: Array<[Device, DeviceState]> = [];
  try {
    machine.cpu.restoreState(cpu); // before devices: the CLINT's mtime is derived from the cycle count
    machine.devices.forEach((d: Device) => d.restore(devices[d.name]));
    const withMedia = machine.devices.filter((d) => d.medium);
    withMedia.forEach((d, i) => {
      // The last medium needs no rollback copy: nothing after it can fail.
      if (i < withMedia.length - 1) rollbackMedia.push([d, d.medium!.save()]);
      d.medium!.restore(media[d.name]);
    });
  } catch (e) {
    machine.cpu.restoreState(rollbackCpu);
    machine.devices.forEach((d, i) => d.restore(rollbackDevices[i]));
    for (const [d, state] of rollbackMedia) d.medium!.restore(state);
    throw new SnapshotError(`device state rejected: ${(e as Error).message}`);
  }

  mem.u8.fill(0);
  for (let k = 0; k < count; k++) {
    const at = 4 + k * (4 + PAGE_SIZE);
    const pfn = ramView.getUint32(at, true);
    mem.u8.set(ram.subarray(at + 4, at + 4 + PAGE_SIZE), pfn << PAGE_SHIFT);
  }
  mem.owner.set(pages.subarray(0, mem.pageCount));
  mem.role.set(pages.subarray(mem.pageCount, mem.pageCount * 2));
  // Generations must move forward (the renderer redraws pages whose generation changed), so each
  // page gets past both its saved and its current value rather than the saved value itself.
  const gen = new DataView(pages.buffer, pages.byteOffset + mem.pageCount * 2);
  for (let p = 0; p < mem.pageCount; p++) {
    mem.generation[p] = Math.max(mem.generation[p], gen.getUint32(p * 4, true)) + 1;
  }
  machine.halted = meta.halted;
  machine.bootMode = meta.bootMode;
  // Not part of CpuState: in sbi mode the firmware redirects S/U exceptions to S-mode.
  machine.cpu.redirectToS = meta.bootMode === 'sbi';
  machine.cpu.flushDecodeCache();
}

interface Parsed {
  meta: Meta;
  cpu: CpuState;
  devices: Record<string, DeviceState>;
  media: Record<string, DeviceState>;
  pages: Uint8Array;
  ram: Uint8Array;
}

function parse(bytes: Uint8Array): Parsed {
  if (bytes.length < HEADER_SIZE) throw new SnapshotError(`truncated snapshot: ${bytes.length} bytes, header needs ${HEADER_SIZE}`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw new SnapshotError('not a Jumpback snapshot (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version === 1) {
    throw new SnapshotError('snapshot version 1 is not supported: it keeps the disk image inside the device state; take a new snapshot (this build reads version 2)');
  }
  if (version !== SNAPSHOT_VERSION) throw new SnapshotError(`snapshot version ${version} is not supported (expected ${SNAPSHOT_VERSION})`);
  const sectionCount = view.getUint32(12, true);
  const payloadLength = view.getUint32(16, true);
  if (bytes.length !== HEADER_SIZE + payloadLength) {
    throw new SnapshotError(`truncated snapshot: ${bytes.length} bytes, header says ${HEADER_SIZE + payloadLength}`);
  }
  if (crc32(bytes.subarray(HEADER_SIZE)) !== view.getUint32(20, true)) throw new SnapshotError('corrupt snapshot: checksum mismatch');

  const found = new Map<string, Uint8Array>();
  let at = HEADER_SIZE;
  for (let s = 0; s < sectionCount; s++) {
    if (at + 8 > bytes.length) throw new SnapshotError(`truncated snapshot: section ${s} header past the end`);
    const tag = String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
    const length = view.getUint32(at + 4, true);
    if (at + 8 + length > bytes.length) throw new SnapshotError(`truncated snapshot: section ${tag} runs past the end`);
    if (found.has(tag)) throw new SnapshotError(`duplicate section ${tag}`);
    found.set(tag, bytes.subarray(at + 8, at + 8 + length));
    at += 8 + pad4(length);
  }
  for (const tag of TAGS) if (!found.has(tag)) throw new SnapshotError(`snapshot has no ${tag} section`);
  const meta = json(found.get('META')!, 'META') as Meta;
  checkMeta(meta);
  const cpu = json(found.get('CPU_')!, 'CPU_') as CpuState;
  checkCpu(cpu);
  const devices = record(found.get('DEVS')!, 'DEVS');
  const media = record(found.get('MEDI')!, 'MEDI');
  return { meta, cpu, devices, media, pages: found.get('PAGE')!, ram: found.get('RAM_')! };
}

/** A JSON section holding { device name: state }. */
function record(body: Uint8Array, tag: string): Record<string, DeviceState> {
  const v = json(body, tag);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SnapshotError(`${tag} section is not an object`);
  for (const [name, state] of Object.entries(v)) {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new SnapshotError(`${tag} section: the state of '${name}' is not an object`);
  }
  return v as Record<string, DeviceState>;
}

function json(body: Uint8Array, tag: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (e) {
    throw new SnapshotError(`section ${tag} is not valid JSON: ${(e as Error).message}`);
  }
}

const isU32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff;

function checkMeta(m: Meta): void {
  if (typeof m !== 'object' || m === null) throw new SnapshotError('META section is not an object');
  if (!isU32(m.ramSize)) throw new SnapshotError('META: bad ramSize');
  if (m.bootMode !== 'bare' && m.bootMode !== 'sbi') throw new SnapshotError('META: bootMode must be bare or sbi');
  if (!Array.isArray(m.devices) || m.devices.some((d) => typeof d !== 'string')) throw new SnapshotError('META: bad device list');
  const h = m.halted;
  if (h !== null && (typeof h !== 'object' || !['pass', 'fail', 'reset'].includes(h.kind) || typeof h.code !== 'number')) {
    throw new SnapshotError('META: bad halted record');
  }
}

function checkCpu(c: CpuState): void {
  const bad = (what: string): never => {
    throw new SnapshotError(`CPU_ section: ${what}`);
  };
  if (typeof c !== 'object' || c === null) bad('not an object');
  if (!Array.isArray(c.x) || c.x.length !== 32 || c.x.some((v) => typeof v !== 'number' || !Number.isInteger(v))) bad('x must be 32 integers');
  if (!isU32(c.pc)) bad('bad pc');
  if (c.priv !== Priv.User && c.priv !== Priv.Supervisor && c.priv !== Priv.Machine) bad('bad privilege');
  if (typeof c.csrs !== 'object' || c.csrs === null || Array.isArray(c.csrs)) bad('csrs must be an object');
  // Every saved CSR must be there: a missing one would keep the target machine's value (half a restore).
  for (const csr of [...SAVED_CSRS, CSR.mip]) if (!isU32(c.csrs[csr])) bad(`csr 0x${csr.toString(16)} missing or not a 32-bit value`);
  if (!Number.isSafeInteger(c.cycle) || c.cycle < 0 || !Number.isSafeInteger(c.instret) || c.instret < 0) bad('bad counters');
  if (typeof c.waiting !== 'boolean') bad('waiting must be a boolean');
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE), to tell a damaged snapshot from a valid one. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
