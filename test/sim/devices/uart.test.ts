// The NS16550A UART as a program sees it (QEMU's reset values and register behaviour).
import { describe, expect, it } from 'vitest';
import {
  LSR_DR, LSR_TEMT, LSR_THRE, Uart, UART_IER, UART_IIR_FCR, UART_LCR, UART_LSR, UART_MCR, UART_MSR,
  UART_RBR_THR, UART_SCR,
} from '../../../src/sim/devices/uart.ts';

function uart(): { u: Uart; out: number[] } {
  const u = new Uart();
  const out: number[] = [];
  u.onTransmit = (b) => out.push(b);
  return { u, out };
}

describe('Uart', () => {
  it('reads QEMU reset values', () => {
    const { u } = uart();
    expect(u.read(UART_LSR, 1)).toBe(LSR_THRE | LSR_TEMT);
    expect(u.read(UART_IIR_FCR, 1)).toBe(0x01);
    expect(u.read(UART_IER, 1)).toBe(0);
    expect(u.read(UART_LCR, 1)).toBe(0);
    expect(u.read(UART_MCR, 1)).toBe(0x08);
    expect(u.read(UART_MSR, 1)).toBe(0xb0);
    expect(u.read(UART_SCR, 1)).toBe(0);
  });

  it('transmits THR writes through onTransmit, low byte of any width', () => {
    const { u, out } = uart();
    u.write(UART_RBR_THR, 1, 0x41);
    u.write(UART_RBR_THR, 4, 0x1234_5642);
    expect(out).toEqual([0x41, 0x42]);
    expect(u.read(UART_LSR, 4)).toBe(0x60);
  });

  it('reaches the divisor latch through LCR.DLAB', () => {
    const { u, out } = uart();
    u.write(UART_LCR, 1, 0x80);
    expect(u.read(0, 1)).toBe(0x0c);
    expect(u.read(1, 1)).toBe(0);
    u.write(0, 1, 0x03);
    u.write(1, 1, 0x01);
    expect(u.read(0, 1)).toBe(0x03);
    expect(u.read(1, 1)).toBe(0x01);
    u.write(UART_LCR, 1, 0x03);
    expect(out).toEqual([]);
    expect(u.read(UART_IER, 1)).toBe(0);
    expect(u.read(UART_LCR, 1)).toBe(0x03);
  });

  it('queues input for RBR and reports it in LSR.DR', () => {
    const { u } = uart();
    u.pushInput('hi');
    expect(u.read(UART_LSR, 1) & LSR_DR).toBe(LSR_DR);
    expect(u.read(UART_RBR_THR, 1)).toBe(0x68);
    expect(u.read(UART_RBR_THR, 1)).toBe(0x69);
    expect(u.read(UART_LSR, 1) & LSR_DR).toBe(0);
    expect(u.read(UART_RBR_THR, 1)).toBe(0);
  });

  it('sets IIR FIFO bits when FCR enables the FIFO and flushes input on RFR', () => {
    const { u } = uart();
    u.write(UART_IIR_FCR, 1, 0x01);
    expect(u.read(UART_IIR_FCR, 1)).toBe(0xc1);
    u.pushInput([1, 2]);
    u.write(UART_IIR_FCR, 1, 0x03);
    expect(u.inputPending).toBe(0);
    u.write(UART_IIR_FCR, 1, 0x00);
    expect(u.read(UART_IIR_FCR, 1)).toBe(0x01);
  });

  it('raises RDI and THRI in IIR, THRI cleared by reading IIR', () => {
    const { u } = uart();
    u.write(UART_IER, 1, 0x02);
    expect(u.read(UART_IIR_FCR, 1)).toBe(0x02);
    expect(u.read(UART_IIR_FCR, 1)).toBe(0x01);
    u.write(UART_RBR_THR, 1, 0x30);
    expect(u.interruptPending).toBe(true);
    u.write(UART_IER, 1, 0x03);
    u.pushInput([7]);
    expect(u.read(UART_IIR_FCR, 1)).toBe(0x04);
    u.read(UART_RBR_THR, 1);
    expect(u.read(UART_IIR_FCR, 1)).toBe(0x02);
    expect(u.read(UART_IER, 1)).toBe(0x03);
  });

  it('loops transmitted bytes back in loopback mode', () => {
    const { u, out } = uart();
    u.write(UART_MCR, 1, 0x10 | 0x03);
    u.write(UART_RBR_THR, 1, 0x55);
    expect(out).toEqual([]);
    expect(u.read(UART_RBR_THR, 1)).toBe(0x55);
    expect(u.read(UART_MSR, 1)).toBe(0x30);
  });

  it('saves, restores and resets its state', () => {
    const { u } = uart();
    u.write(UART_SCR, 1, 0xa5);
    u.write(UART_IER, 1, 0x01);
    u.pushInput([9, 8]);
    const saved = JSON.parse(JSON.stringify(u.save()));
    const v = new Uart();
    v.restore(saved);
    expect(v.save()).toEqual(u.save());
    expect(v.read(UART_SCR, 1)).toBe(0xa5);
    expect(v.read(UART_RBR_THR, 1)).toBe(9);
    v.reset();
    expect(v.save()).toEqual(new Uart().save());
    expect(() => v.restore({ ...saved, lcr: 300 })).toThrow(/lcr/);
    expect(() => v.restore({ ...saved, input: ['x'] })).toThrow(/input/);
  });
});
