// A tiny RV32 instruction encoder for tests that build programs word by word (no GNU tools needed).

const r = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const i = (imm: number, rs1: number, f3: number, rd: number, op: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const s = (imm: number, rs2: number, rs1: number, f3: number, op: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op) >>> 0;
const b = (imm: number, rs2: number, rs1: number, f3: number): number =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 63) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 15) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;

/** Register-register ops by name (RV32I + M). */
export const R_OPS: Record<string, [f7: number, f3: number]> = {
  add: [0, 0], sub: [0x20, 0], sll: [0, 1], slt: [0, 2], sltu: [0, 3], xor: [0, 4], srl: [0, 5],
  sra: [0x20, 5], or: [0, 6], and: [0, 7], mul: [1, 0], mulh: [1, 1], mulhsu: [1, 2], mulhu: [1, 3],
  div: [1, 4], divu: [1, 5], rem: [1, 6], remu: [1, 7],
};
export const I_OPS: Record<string, number> = { addi: 0, slti: 2, sltiu: 3, xori: 4, ori: 6, andi: 7 };

export const enc = {
  rop: (name: string, rd: number, rs1: number, rs2: number) => r(R_OPS[name][0], rs2, rs1, R_OPS[name][1], rd, 0x33),
  iop: (name: string, rd: number, rs1: number, imm: number) => i(imm, rs1, I_OPS[name], rd, 0x13),
  slli: (rd: number, rs1: number, sh: number) => i(sh, rs1, 1, rd, 0x13),
  srli: (rd: number, rs1: number, sh: number) => i(sh, rs1, 5, rd, 0x13),
  srai: (rd: number, rs1: number, sh: number) => i(0x400 | sh, rs1, 5, rd, 0x13),
  lui: (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37) >>> 0,
  auipc: (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17) >>> 0,
  load: (f3: number, rd: number, rs1: number, imm: number) => i(imm, rs1, f3, rd, 0x03),
  store: (f3: number, rs2: number, rs1: number, imm: number) => s(imm, rs2, rs1, f3, 0x23),
  branch: (f3: number, rs1: number, rs2: number, imm: number) => b(imm, rs2, rs1, f3),
  jal: (rd: number, imm: number) =>
    ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
      (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0,
  jalr: (rd: number, rs1: number, imm: number) => i(imm, rs1, 0, rd, 0x67),
  csrrw: (rd: number, csr: number, rs1: number) => i(csr, rs1, 1, rd, 0x73),
  csrrs: (rd: number, csr: number, rs1: number) => i(csr, rs1, 2, rd, 0x73),
  csrrc: (rd: number, csr: number, rs1: number) => i(csr, rs1, 3, rd, 0x73),
  csrrwi: (rd: number, csr: number, uimm: number) => i(csr, uimm, 5, rd, 0x73),
  ecall: () => 0x0000_0073,
  ebreak: () => 0x0010_0073,
  mret: () => 0x3020_0073,
  sret: () => 0x1020_0073,
  wfi: () => 0x1050_0073,
  fencei: () => 0x0000_100f,
  /** li for any 32-bit value: lui + addi. */
  li: (rd: number, value: number): number[] => {
    const lo = (value << 20) >> 20;
    const hi = ((value - lo) >>> 12) & 0xfffff;
    return [enc.lui(rd, hi), enc.iop('addi', rd, rd, lo)];
  },
};

/** Little-endian bytes of a list of instruction words. */
export function words(list: number[]): Uint8Array {
  const out = new Uint8Array(list.length * 4);
  const view = new DataView(out.buffer);
  list.forEach((w, k) => view.setUint32(k * 4, w >>> 0, true));
  return out;
}
