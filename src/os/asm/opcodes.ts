// The RV32 instruction table (I, M, Zicsr, Zifencei, privileged) with GNU's aliases, in GNU's match order.
// Operand kinds: rd rs1 rs2 (registers), I (12-bit signed), L/S (offset(base) for loads/stores), B (branch target),
// J (jal target), U (20-bit upper), CSR, Z (5-bit unsigned), SH (shift amount), P/Q (fence sets).

export interface OpDef {
  name: string;
  ops: string[];
  base: number;
}

const R = (f7: number, f3: number, op = 0x33): number => (f7 << 25) | (f3 << 12) | op;
const I = (f3: number, op: number): number => (f3 << 12) | op;
const RD = (r: number): number => r << 7;
const RS1 = (r: number): number => r << 15;
const RS2 = (r: number): number => r << 20;
const IMM = (v: number): number => (v & 0xfff) << 20;

export const TABLE: OpDef[] = [];
const def = (name: string, ops: string, base: number): void => {
  TABLE.push({ name, ops: ops === '' ? [] : ops.split(','), base: base >>> 0 });
};

// Upper immediates and jumps.
def('lui', 'rd,U', 0x37);
def('auipc', 'rd,U', 0x17);
def('j', 'J', 0x6f);
def('jal', 'J', 0x6f | RD(1));
def('jal', 'rd,J', 0x6f);
def('jalr', 'rs1', 0x67 | RD(1));
def('jalr', 'rd,rs1', 0x67);
def('jalr', 'rd,L', 0x67);
def('jalr', 'L', 0x67 | RD(1));
def('jalr', 'rd,rs1,I', 0x67);
def('jr', 'rs1', 0x67);
def('jr', 'L', 0x67);
def('jr', 'rs1,I', 0x67);
def('ret', '', 0x67 | RS1(1));

// Branches and their aliases.
const BR: Array<[string, number]> = [['beq', 0], ['bne', 1], ['blt', 4], ['bge', 5], ['bltu', 6], ['bgeu', 7]];
for (const [n, f3] of BR) def(n, 'rs1,rs2,B', I(f3, 0x63));
def('beqz', 'rs1,B', I(0, 0x63));
def('bnez', 'rs1,B', I(1, 0x63));
def('blez', 'rs2,B', I(5, 0x63));
def('bgez', 'rs1,B', I(5, 0x63));
def('bltz', 'rs1,B', I(4, 0x63));
def('bgtz', 'rs2,B', I(4, 0x63));
def('bgt', 'rs2,rs1,B', I(4, 0x63));
def('ble', 'rs2,rs1,B', I(5, 0x63));
def('bgtu', 'rs2,rs1,B', I(6, 0x63));
def('bleu', 'rs2,rs1,B', I(7, 0x63));

// Loads and stores (symbol forms are expanded in instructions.ts).
const LD: Array<[string, number]> = [['lb', 0], ['lh', 1], ['lw', 2], ['lbu', 4], ['lhu', 5]];
for (const [n, f3] of LD) def(n, 'rd,L', I(f3, 0x03));
const ST: Array<[string, number]> = [['sb', 0], ['sh', 1], ['sw', 2]];
for (const [n, f3] of ST) def(n, 'rs2,S', I(f3, 0x23));

// Register-immediate, with GNU's register-register spellings accepting an immediate.
const OPI: Array<[string, number, string]> = [['addi', 0, 'add'], ['slti', 2, 'slt'], ['sltiu', 3, 'sltu'], ['xori', 4, 'xor'], ['ori', 6, 'or'], ['andi', 7, 'and']];
const OPR: Array<[string, number, number]> = [['add', 0, 0], ['sub', 0x20, 0], ['sll', 0, 1], ['slt', 0, 2], ['sltu', 0, 3],
  ['xor', 0, 4], ['srl', 0, 5], ['sra', 0x20, 5], ['or', 0, 6], ['and', 0, 7]];
const SH: Array<[string, number, number, string]> = [['slli', 0, 1, 'sll'], ['srli', 0, 5, 'srl'], ['srai', 0x20, 5, 'sra']];
for (const [n, f3] of OPI) def(n, 'rd,rs1,I', I(f3, 0x13));
for (const [n, f3, f] of SH) def(n, 'rd,rs1,SH', (f3 << 25) | I(f, 0x13));
for (const [n, f7, f3] of OPR) def(n, 'rd,rs1,rs2', R(f7, f3));
for (const [n, f3, alias] of OPI) def(alias, 'rd,rs1,I', I(f3, 0x13)), void n;
for (const [n, f7, f3, alias] of SH) def(alias, 'rd,rs1,SH', (f7 << 25) | I(f3, 0x13)), void n;
const MUL = ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
MUL.forEach((n, f3) => def(n, 'rd,rs1,rs2', R(1, f3)));

// Register pseudo-instructions.
def('nop', '', 0x13);
def('mv', 'rd,rs1', 0x13);
def('not', 'rd,rs1', I(4, 0x13) | IMM(-1));
def('neg', 'rd,rs2', R(0x20, 0));
def('seqz', 'rd,rs1', I(3, 0x13) | IMM(1));
def('snez', 'rd,rs2', R(0, 3));
def('sltz', 'rd,rs1', R(0, 2));
def('sgtz', 'rd,rs2', R(0, 2));
def('sgt', 'rd,rs2,rs1', R(0, 2));
def('sgtu', 'rd,rs2,rs1', R(0, 3));
def('zext.b', 'rd,rs1', I(7, 0x13) | IMM(255));

// Fences and system.
def('fence', '', 0x0f | (0xff << 20));
def('fence', 'P,Q', 0x0f);
def('fence.i', '', 0x100f);
def('fence.tso', '', 0x8330000f);
def('ecall', '', 0x73);
def('scall', '', 0x73);
def('ebreak', '', 0x00100073);
def('sbreak', '', 0x00100073);
def('unimp', '', 0xc0001073);
def('mret', '', 0x30200073);
def('sret', '', 0x10200073);
def('dret', '', 0x7b200073);
def('wfi', '', 0x10500073);
def('sfence.vma', '', 0x12000073);
def('sfence.vma', 'rs1', 0x12000073);
def('sfence.vma', 'rs1,rs2', 0x12000073);

// Zicsr.
const CSR_OPS: Array<[string, number, string, string]> = [['csrrw', 1, 'csrw', ''], ['csrrs', 2, 'csrs', 'csrr'], ['csrrc', 3, 'csrc', '']];
for (const [n, f3, short, read] of CSR_OPS) {
  def(n, 'rd,CSR,rs1', I(f3, 0x73));
  def(n, 'rd,CSR,Z', I(f3 + 4, 0x73));
  def(`${n}i`, 'rd,CSR,Z', I(f3 + 4, 0x73));
  def(short, 'CSR,rs1', I(f3, 0x73));
  def(short, 'CSR,Z', I(f3 + 4, 0x73));
  def(`${short}i`, 'CSR,Z', I(f3 + 4, 0x73));
  if (read) def(read, 'rd,CSR', I(f3, 0x73));
}
const COUNTERS: Array<[string, number]> = [['rdcycle', 0xc00], ['rdtime', 0xc01], ['rdinstret', 0xc02],
  ['rdcycleh', 0xc80], ['rdtimeh', 0xc81], ['rdinstreth', 0xc82]];
for (const [n, c] of COUNTERS) def(n, 'rd', I(2, 0x73) | (c << 20));

/** Definitions by mnemonic, in table order. */
export const BY_NAME = new Map<string, OpDef[]>();
for (const d of TABLE) {
  const list = BY_NAME.get(d.name) ?? [];
  list.push(d);
  BY_NAME.set(d.name, list);
}

// Immediate placement in instruction words.
export const encI = (v: number): number => (v & 0xfff) << 20;
export const encS = (v: number): number => (((v >> 5) & 0x7f) << 25) | ((v & 0x1f) << 7);
export const encB = (v: number): number =>
  (((v >> 12) & 1) << 31) | (((v >> 5) & 0x3f) << 25) | (((v >> 1) & 0xf) << 8) | (((v >> 11) & 1) << 7);
export const encJ = (v: number): number =>
  (((v >> 20) & 1) << 31) | (((v >> 1) & 0x3ff) << 21) | (((v >> 11) & 1) << 20) | (((v >> 12) & 0xff) << 12);
export const encU = (v: number): number => (v & 0xfffff) << 12;
export { RD, RS1, RS2 };

/** Sign-extends the low `bits` bits of `v`. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}
/** %hi: the upper 20 bits, rounded so that adding sext(%lo) gives back the value. */
export const hi20 = (v: number): number => ((v + 0x800) >>> 12) & 0xfffff;
export const lo12 = (v: number): number => sext(v & 0xfff, 12);
