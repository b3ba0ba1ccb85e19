// The simulator's face: the machine and what callers build it from.
export { Machine, SBI_MEDELEG, SBI_MIDELEG } from './machine.ts';
export type { BootMode, HaltReason, MachineOptions, RunResult } from './machine.ts';
export { Cpu, type CpuRunResult, type Timer } from './cpu.ts';
export { Bus } from './bus.ts';
export { Clint, CLINT_BASE, CYCLES_PER_TICK, TIMEBASE_HZ } from './devices/clint.ts';
export { Finisher, FINISHER_BASE } from './devices/finisher.ts';
export { PhysicalMemory, RAM_BASE, PAGE_SIZE, PageRole } from './memory.ts';
export type { Device, DeviceMedium, DeviceState } from './device.ts';
export { Priv, type CpuState, type EcallHandler, type Hart } from './hart.ts';
export { CSR, CAUSE, MIP, MSTATUS } from './csr.ts';
export { Uart, UART_BASE } from './devices/uart.ts';
export { Disk } from './devices/disk.ts';
export { createBoard, bootImage, powerCycle, restoreBoard, type Board, type BoardOptions } from './board.ts';
export { saveSnapshot, restoreSnapshot, snapshotInfo, SnapshotError } from './snapshot.ts';
export { SbiFirmware, createSbiFirmware, type SbiExtension, type SbiReturn } from './firmware/index.ts';
