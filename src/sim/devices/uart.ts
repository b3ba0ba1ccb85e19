// NS16550A UART at 0x1000_0000, register-compatible with QEMU's 16550 (hw/char/serial.c) as a
// bare program sees it: same reset values, same LSR/IIR/FCR behaviour, byte registers.
import type { Device, DeviceState } from '../device.ts';

export const UART_BASE = 0x1000_0000;
/** QEMU maps exactly 8 byte registers (regshift 0); the rest of the 0x100 slot is unassigned. */
const UART_SIZE = 8;

// Register offsets.
export const UART_RBR_THR = 0; // DLL when LCR.DLAB
export const UART_IER = 1; // DLM when LCR.DLAB
export const UART_IIR_FCR = 2;
export const UART_LCR = 3;
export const UART_MCR = 4;
export const UART_LSR = 5;
export const UART_MSR = 6;
export const UART_SCR = 7;

// Bits, named as in Linux's serial_reg.h.
export const LSR_DR = 0x01;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
const LCR_DLAB = 0x80;
const IER_RDI = 0x01;
const IER_THRI = 0x02;
const IIR_NO_INT = 0x01;
const IIR_THRI = 0x02;
const IIR_RDI = 0x04;
const IIR_FE = 0xc0;
const IIR_ID = 0x06;
const FCR_FE = 0x01;
const FCR_RFR = 0x02;
const FCR_XFR = 0x04;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;
const MSR_DCD = 0x80;
const MSR_DSR = 0x20;
const MSR_CTS = 0x10;

/** Bytes waiting in the receive queue beyond which {@link Uart.pushInput} drops input. */
const UART_INPUT_LIMIT = 1 << 16;

/**
 * The serial console. Output leaves through {@link onTransmit} as soon as THR is written (the
 * transmitter is infinitely fast, so LSR always reads THRE|TEMT between writes, as QEMU's does
 * with a stdio backend). Input waits in a host-side queue; RBR pops its head and LSR.DR says
 * whether it is non-empty, which is what QEMU's FIFO + chardev flow control look like to software
 * (overruns and the FIFO character timeout are not modelled). There is no PLIC on this board, so
 * the interrupt line only shows in IIR and {@link interruptPending}.
 */
export class Uart implements Device {
  readonly name = 'uart';
  readonly base: number;
  readonly size = UART_SIZE;
  /** Called with each transmitted byte (0..255). Not part of the saved state. */
  onTransmit: ((byte: number) => void) | null = null;

  private _ier = 0;
  private _iir = IIR_NO_INT;
  private _fcr = 0;
  private _lcr = 0;
  private _mcr = MCR_OUT2;
  private _scr = 0;
  private _divider = 0x0c;
  private _thrPending = false;
  private _input: number[] = [];

  constructor(base: number = UART_BASE) {
    this.base = base;
    this.reset();
  }

  /** Queues received bytes (keyboard, script input); RBR returns them in order. */
  pushInput(bytes: Uint8Array | readonly number[] | string): void {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    for (let i = 0; i < data.length && this._input.length < UART_INPUT_LIMIT; i++) {
      this._input.push(data[i] & 0xff);
    }
    this._updateIrq();
  }

  /** Bytes received but not yet read by the program. */
  get inputPending(): number {
    return this._input.length;
  }

  /** True while IIR reports an interrupt (the level of the UART's IRQ line). */
  get interruptPending(): boolean {
    return (this._iir & IIR_NO_INT) === 0;
  }

  read(offset: number, _width: 1 | 2 | 4): number {
    // QEMU's serial_mm_read: any access width reads the one byte register at the offset.
    switch (offset & 7) {
      case UART_RBR_THR:
        if (this._lcr & LCR_DLAB) return this._divider & 0xff;
        return this._readRbr();
      case UART_IER:
        return this._lcr & LCR_DLAB ? (this._divider >>> 8) & 0xff : this._ier;
      case UART_IIR_FCR: {
        const iir = this._iir;
        if ((iir & IIR_ID) === IIR_THRI) {
          this._thrPending = false;
          this._updateIrq();
        }
        return iir;
      }
      case UART_LCR:
        return this._lcr;
      case UART_MCR:
        return this._mcr;
      case UART_LSR:
        return this._lsr();
      case UART_MSR:
        return this._msr();
      default:
        return this._scr;
    }
  }

  write(offset: number, _width: 1 | 2 | 4, value: number): void {
    // QEMU's serial_mm_write: any access width writes the low byte to the register at the offset.
    const v = value & 0xff;
    switch (offset & 7) {
      case UART_RBR_THR:
        if (this._lcr & LCR_DLAB) this._divider = (this._divider & 0xff00) | v;
        else this._transmit(v);
        return;
      case UART_IER:
        if (this._lcr & LCR_DLAB) {
          this._divider = (this._divider & 0x00ff) | (v << 8);
          return;
        }
        {
          const changed = (this._ier ^ v) & 0x0f;
          this._ier = v & 0x0f;
          // Enabling THRI while THR is empty raises the interrupt again (QEMU, after Bochs).
          if (changed & IER_THRI) this._thrPending = (this._ier & IER_THRI) !== 0;
          if (changed) this._updateIrq();
        }
        return;
      case UART_IIR_FCR:
        this._writeFcr(v);
        return;
      case UART_LCR:
        this._lcr = v;
        return;
      case UART_MCR:
        this._mcr = v & 0x1f;
        return;
      case UART_SCR:
        this._scr = v;
        return;
      default:
        return; // LSR and MSR are read-only
    }
  }

  reset(): void {
    this._ier = 0;
    this._iir = IIR_NO_INT;
    this._fcr = 0;
    this._lcr = 0;
    this._mcr = MCR_OUT2;
    this._scr = 0;
    this._divider = 0x0c; // 9600 baud at QEMU's 1.8432 MHz reference
    this._thrPending = false;
    this._input = [];
  }

  save(): DeviceState {
    return {
      ier: this._ier,
      iir: this._iir,
      fcr: this._fcr,
      lcr: this._lcr,
      mcr: this._mcr,
      scr: this._scr,
      divider: this._divider,
      thrPending: this._thrPending,
      input: this._input.slice(),
    };
  }

  restore(state: DeviceState): void {
    const byte = (key: string, max = 0xff): number => {
      const v = state[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
        throw new TypeError(`uart state: '${key}' must be an integer in 0..${max}`);
      }
      return v;
    };
    const input = state.input;
    if (!Array.isArray(input) || input.some((b) => typeof b !== 'number' || b < 0 || b > 255)) {
      throw new TypeError("uart state: 'input' must be an array of bytes");
    }
    if (typeof state.thrPending !== 'boolean') throw new TypeError("uart state: 'thrPending' must be a boolean");
    const next = {
      ier: byte('ier'), iir: byte('iir'), fcr: byte('fcr'), lcr: byte('lcr'), mcr: byte('mcr'),
      scr: byte('scr'), divider: byte('divider', 0xffff),
    };
    this._ier = next.ier;
    this._iir = next.iir;
    this._fcr = next.fcr;
    this._lcr = next.lcr;
    this._mcr = next.mcr;
    this._scr = next.scr;
    this._divider = next.divider;
    this._thrPending = state.thrPending;
    this._input = (input as number[]).slice();
  }

  private _lsr(): number {
    // The transmitter is always idle between accesses; DR follows the input queue.
    return LSR_THRE | LSR_TEMT | (this._input.length > 0 ? LSR_DR : 0);
  }

  private _msr(): number {
    if (this._mcr & MCR_LOOP) {
      // Loopback wires the modem outputs to the inputs: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
      const m = this._mcr;
      return ((m & 0x0c) << 4) | ((m & 0x02) << 3) | ((m & 0x01) << 5);
    }
    return MSR_DCD | MSR_DSR | MSR_CTS;
  }

  private _readRbr(): number {
    const byte = this._input.length > 0 ? this._input.shift()! : 0;
    this._updateIrq();
    return byte;
  }

  private _transmit(byte: number): void {
    if (this._mcr & MCR_LOOP) {
      if (this._input.length < UART_INPUT_LIMIT) this._input.push(byte);
    } else {
      this.onTransmit?.(byte);
    }
    // The byte left at once: THR is empty again, which raises THRI if enabled.
    this._thrPending = true;
    this._updateIrq();
  }

  private _writeFcr(value: number): void {
    let v = value;
    // Toggling the FIFO enable flushes both FIFOs.
    if ((v ^ this._fcr) & FCR_FE) v |= FCR_XFR | FCR_RFR;
    if (v & FCR_RFR) this._input = [];
    if (v & FCR_XFR) this._thrPending = true;
    this._fcr = v & 0xc9;
    this._iir = this._fcr & FCR_FE ? this._iir | IIR_FE : this._iir & ~IIR_FE;
    this._updateIrq();
  }

  private _updateIrq(): void {
    // Receiver-line-status and modem-status interrupts never fire: overruns, breaks and modem
    // line changes are not modelled. The receive FIFO trigger level is treated as 1 byte.
    let id = IIR_NO_INT;
    if (this._ier & IER_RDI && this._input.length > 0) id = IIR_RDI;
    else if (this._ier & IER_THRI && this._thrPending) id = IIR_THRI;
    this._iir = id | (this._iir & 0xf0);
  }
}
