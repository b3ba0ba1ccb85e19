// Register and CSR names as GNU as knows them for RV32 (integer ABI names, x0..x31, fp; standard CSRs).

const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

const REGS = new Map<string, number>();
ABI.forEach((n, i) => REGS.set(n, i));
for (let i = 0; i < 32; i++) REGS.set(`x${i}`, i);
REGS.set('fp', 8);

/** Integer register number for a name, or undefined. */
export function regNumber(name: string): number | undefined {
  return REGS.get(name);
}

const CSRS = new Map<string, number>();
const csr = (name: string, n: number): void => void CSRS.set(name, n);

// Unprivileged counters.
csr('cycle', 0xc00); csr('time', 0xc01); csr('instret', 0xc02);
csr('cycleh', 0xc80); csr('timeh', 0xc81); csr('instreth', 0xc82);
for (let i = 3; i < 32; i++) csr(`hpmcounter${i}`, 0xc00 + i), csr(`hpmcounter${i}h`, 0xc80 + i);
// Supervisor.
csr('sstatus', 0x100); csr('sie', 0x104); csr('stvec', 0x105); csr('scounteren', 0x106); csr('senvcfg', 0x10a);
csr('sscratch', 0x140); csr('sepc', 0x141); csr('scause', 0x142); csr('stval', 0x143); csr('sip', 0x144);
csr('satp', 0x180); csr('sbadaddr', 0x143); csr('sptbr', 0x180);
// Machine.
csr('mvendorid', 0xf11); csr('marchid', 0xf12); csr('mimpid', 0xf13); csr('mhartid', 0xf14); csr('mconfigptr', 0xf15);
csr('mstatus', 0x300); csr('misa', 0x301); csr('medeleg', 0x302); csr('mideleg', 0x303); csr('mie', 0x304);
csr('mtvec', 0x305); csr('mcounteren', 0x306); csr('menvcfg', 0x30a); csr('mstatush', 0x310); csr('menvcfgh', 0x31a);
csr('mcountinhibit', 0x320); csr('mscratch', 0x340); csr('mepc', 0x341); csr('mcause', 0x342); csr('mtval', 0x343);
csr('mip', 0x344); csr('mtinst', 0x34a); csr('mtval2', 0x34b); csr('mbadaddr', 0x343);
csr('mseccfg', 0x747); csr('mseccfgh', 0x757);
for (let i = 0; i < 16; i++) csr(`pmpcfg${i}`, 0x3a0 + i);
for (let i = 0; i < 64; i++) csr(`pmpaddr${i}`, 0x3b0 + i);
csr('mcycle', 0xb00); csr('minstret', 0xb02); csr('mcycleh', 0xb80); csr('minstreth', 0xb82);
for (let i = 3; i < 32; i++) {
  csr(`mhpmcounter${i}`, 0xb00 + i);
  csr(`mhpmcounter${i}h`, 0xb80 + i);
  csr(`mhpmevent${i}`, 0x320 + i);
}
// Debug/trigger.
csr('tselect', 0x7a0); csr('tdata1', 0x7a1); csr('tdata2', 0x7a2); csr('tdata3', 0x7a3); csr('tinfo', 0x7a4); csr('tcontrol', 0x7a5);
csr('dcsr', 0x7b0); csr('dpc', 0x7b1); csr('dscratch0', 0x7b2); csr('dscratch1', 0x7b3);

/** CSR number for a standard CSR name, or undefined. */
export function csrNumber(name: string): number | undefined {
  return CSRS.get(name);
}
