// Why a level run failed: follows the run's events and keeps what went wrong (a failed script
// step in kexec-tools' words, a refused kexec_load with its errno and reason, a refused ecall, a
// panic decoded, memory changed while away, a wrong value reported or returned, a console that
// went silent), then names the first of them, with the OS and the step, when the run ends. Also
// the end's reason and one sentence saying what ended it. Observes only: nothing here changes
// the run or its event log (the world puts the result into the failing run's `end` event).
// The types and phrase tables are in why-words.ts.
import { KJUMP_CMD, KJUMP_CMD_MASK, KJUMP_SKIP_DEVICES, preservationOf } from '../kexec/abi.ts';
import type { EndReason, SimEvent } from './events.ts';
import { ReportKey } from './jbus.ts';
import {
  CAUSES, DATA_CAUSES, errnoName, fmt, hex, KEY_NAMES, label, ordinal, PANIC,
  type EndFacts, type Explained, type Finding, type Transfer, type WhyView,
} from './why-words.ts';

export { passedSentence, whyLine, type EndFacts, type Explained, type WhyView } from './why-words.ts';

export class WhyTracker {
  private readonly _found: Finding[] = [];
  /** A refused kexec_load waiting for the script step that made it (merged into one finding). */
  private _load: { os: string; errno: number; reason: string; at: number; index: number } | null = null;
  /** Each OS's steps so far, as they ran. */
  private readonly _steps = new Map<string, Array<{ text: string; status: number }>>();
  private readonly _lines = new Map<string, Array<{ at: number; index: number; text: string }>>();
  private readonly _reports = new Map<string, { value: number; at: number; index: number }>();
  private readonly _calls = new Map<string, Array<{ value: number; at: number; index: number; step: Finding['step']; via: Transfer | null }>>();
  private readonly _lastAction = new Map<string, { action: string; arg0: number; step: Finding['step']; at: number }>();
  /** Each OS's last jump action (its reboot command says whether devices were skipped). */
  private readonly _jumpActions = new Map<string, { arg0: number }>();
  /** An action's failure already explained (a refusal), so its DONE error adds nothing. */
  private readonly _explained = new Set<string>();
  private readonly _returns = new Map<string, { at: number; index: number }>();
  private readonly _ran = new Map<string, number>();
  private readonly _untouched = new Set<string>();
  private readonly _loadFlags = new Map<string, number>();
  /** kexec kernel -> loads so far (a new load restarts "where the first transfer entered"). */
  private readonly _loadGen = new Map<string, number>();
  private readonly _firstTarget = new Map<string, { target: number; count: number }>();
  private _open: Transfer | null = null;
  /** Every jump and CALL so far (from OS, into OS): the path a note shows. */
  private readonly _trail: Array<{ from: string; into: string; call: boolean }> = [];
  private _panic: Finding | null = null;

  constructor(private readonly _view: WhyView) {}

  /** An event as the world emitted it, with its index in the event log. */
  onEvent(e: SimEvent, index: number): void {
    if (this._load && !(e.type === 'script' && e.os === this._load.os)) this._flushLoad();
    switch (e.type) {
      case 'script':
        if (!this._steps.has(e.os)) this._steps.set(e.os, []);
        this._steps.get(e.os)!.push({ text: e.step, status: e.status });
        if (e.status !== 0) this._stepFailed(e.os, e.step, e.output, e.at, index);
        else this._load = null;
        return;
      case 'action':
        this._lastAction.set(e.os, { action: e.action, arg0: e.arg0, step: this._view.lastStep(e.os), at: e.at });
        if (e.action === 'jump') this._jumpActions.set(e.os, { arg0: e.arg0 });
        this._explained.delete(e.os);
        return;
      case 'done':
        this._ran.set(e.os, e.at);
        if (e.error !== 0 && !this._explained.has(e.os)) {
          const a = this._lastAction.get(e.os);
          this._add({ at: e.at, event: index, os: e.os, step: a?.step ?? null, message: `the ${a?.action ?? 'kexec'} failed in the kernel: ${errnoName(-e.value)}` });
        }
        return;
      case 'console': {
        const lines = this._lines.get(e.os) ?? [];
        for (const text of e.text.split('\n')) if (text !== '') lines.push({ at: e.at, index, text });
        this._lines.set(e.os, lines);
        const m = PANIC.exec(e.text);
        if (m) this._panicked(e.os, m, e.at, index);
        return;
      }
      case 'report':
        this._ran.set(e.os, e.at);
        this._reports.set(`${e.os}:${e.key}`, { value: e.value >>> 0, at: e.at, index });
        if (e.key === ReportKey.ERROR) {
          this._add({ at: e.at, event: index, os: e.os, step: null, message: `${e.os} found its own memory changed after a round trip (REPORT ERROR, checksum now ${hex(e.value)})` });
        }
        return;
      case 'fault':
        if (e.fault === 'memory-changed') this._add({ at: e.at, event: index, os: e.os, step: null, message: `${e.os}'s memory is not what it left: ${e.detail}` });
        if (e.fault === 'disk-image-differs') this._add({ at: e.at, event: index, os: e.os, step: null, message: `the hibernation image on the disk is not ${e.os}'s memory: ${e.detail}` });
        return;
      case 'kexec':
        this._kexec(e.event, e.at, index);
        return;
      default:
        return;
    }
  }

  /** Names the failure of a run that ended as `end` says. */
  explain(end: EndFacts): Explained {
    const reason = this._reason(end);
    const text = this._sentence(reason, end);
    const found = [...this._found, ...this._afterwards(end)].sort((a, b) => a.at - b.at);
    const hard = found.filter((f) => !f.weak);
    const weak = found.filter((f) => f.weak);
    let primary: Finding | undefined = hard[0];
    if (!primary && end.verdict) primary = { at: end.at, event: -1, os: end.verdict.os, step: end.verdict.step, message: end.verdict.message };
    primary ??= weak[0];
    primary ??= { at: end.at, event: -1, os: end.running, step: null, message: this._runningWords(end) ?? text };
    const notes = [...new Set([...hard, ...weak].filter((f) => f !== primary && f.message !== primary.message).map((f) => (f.os && !f.message.startsWith(`${f.os}`) ? `${f.os}: ${f.message}` : f.message)))].slice(0, 3);
    if (end.verdict && primary.event === -1 && this._trail.length > 0) notes.unshift(`jumps so far: ${this._path()}`);
    return {
      reason, text,
      why: { os: primary.os, step: primary.step?.index ?? -1, stepText: primary.step?.text ?? '', message: primary.message, at: primary.at, event: primary.event, notes },
    };
  }

  // ---- what the events say ------------------------------------------------------------------

  private _add(f: Finding): void {
    this._found.push(f);
  }

  private _stepFailed(os: string, text: string, output: string, at: number, index: number): void {
    const step = this._view.lastStep(os);
    const said = output.trim().split('\n').pop() ?? '';
    let message: string;
    if (step && /^fail$/.test(step.text.trim())) {
      message = `\`fail\`: ${os}'s script gives up here (the level's guard against a wrong path; jumps so far: ${this._path()})`;
    } else if (this._load?.os === os) {
      const l = this._load;
      message = `\`${text}\` failed: kexec_load refused: ${errnoName(l.errno)} (${l.reason})`;
      index = l.index;
    } else {
      message = `\`${text}\` failed: ${said || 'exit status 1'}`;
      if (said === 'Nothing has been loaded!') {
        const before = this._steps.get(os) ?? [];
        const failedLoad = before.find((t) => t.status !== 0 && /^(kexec .*(-l|--load|--load-preserve-context|--load-jump-back-helper)\b|load )/.test(t.text));
        message += failedLoad ? ` (the load before it failed: \`${failedLoad.text}\`)`
          : before.some((t) => t.text.trim() === 'kexec') ? ' (an earlier `kexec` step had no options: it loaded nothing)'
          : ` (no step of ${os} loaded an image before it)`;
      }
      if (said === 'kexec_load failed: Cannot allocate memory') {
        // No load event: user space could not even place kexec-tools' buffers (user-kexec.ts).
        message += ` (before the kernel saw it: ${os} has no free page of its own left for kexec-tools' buffers)`;
      }
      const empty = /^Bad number:$/.test(said) ? /\$(JUMP_BACK_ENTRY|CMDLINE\{[A-Za-z0-9_]+\})/.exec(text) : null;
      if (empty) {
        message += ' ""' + (empty[1] === 'JUMP_BACK_ENTRY'
          ? ` ($JUMP_BACK_ENTRY is empty: ${os} was not given a jump-back entry, so it was not entered by a preserve-context jump)`
          : ` ($${empty[1]} is empty: ${os}'s command line has no such key)`);
      }
    }
    this._load = null;
    this._add({ at, event: index, os, step, message });
  }

  private _flushLoad(): void {
    const l = this._load;
    this._load = null;
    if (l) this._add({ at: l.at, event: l.index, os: l.os, step: null, message: `kexec_load refused: ${errnoName(l.errno)} (${l.reason})` });
  }

  private _panicked(os: string, m: RegExpExecArray, at: number, index: number): void {
    const scause = parseInt(m[2], 16) >>> 0;
    const sepc = parseInt(m[3], 16) >>> 0;
    const stval = parseInt(m[4], 16) >>> 0;
    const code = scause & 0x7fff_ffff;
    const what = scause >>> 31 ? `unexpected interrupt ${code}` : (CAUSES[code] ?? `exception ${code}`);
    let message = `panic: ${what} at ${hex(sepc)}`;
    const where = this._view.describeAddress(sepc);
    const t = this._open;
    // A transfer that entered somewhere else than the first time explains a wild pc by itself.
    const moved = t !== null && t.target !== t.first;
    if (where === 'outside RAM' && !moved) message += ` (outside RAM: a jump to a garbage address, e.g. a return address overwritten on the stack)`;
    else if (where) message += ` (${where})`;
    if (DATA_CAUSES.has(code) && !(scause >>> 31)) message += `, address ${hex(stval)}`;
    if (moved) message += `, during ${this._transferWords(t)}`;
    message += ` [console: "${m[0]}"]`;
    this._panic = { at, event: index, os, step: null, message };
    this._add(this._panic);
  }

  private _kexec(k: Extract<SimEvent, { type: 'kexec' }>['event'], at: number, index: number): void {
    const v = this._view;
    switch (k.type) {
      case 'load': {
        const os = v.osOfKernel(k.kernel);
        if (k.errno !== 0) {
          const err = v.lastLoadError();
          this._load = { os, errno: k.errno, reason: err?.reason ?? 'refused', at, index };
        } else {
          this._loadFlags.set(os, k.flags);
          this._loadGen.set(k.kernel, (this._loadGen.get(k.kernel) ?? 0) + 1);
        }
        return;
      }
      case 'refused': {
        const os = v.osOfKernel(k.kernel);
        this._explained.add(os);
        this._add({ at, event: index, os, step: this._lastAction.get(os)?.step ?? null, message: `KEXEC ${k.fn} refused: ${errnoName(k.errno)} (${k.reason})` });
        return;
      }
      case 'step':
        if (k.errno !== 0) {
          const os = v.osOfKernel(k.kernel);
          this._explained.add(os);
          this._add({ at, event: index, os, step: this._lastAction.get(os)?.step ?? null, message: `kernel_kexec failed at ${k.step}: ${errnoName(k.errno)}` });
        }
        return;
      case 'lost':
        this._add({ at, event: index, os: v.osOfKernel(k.kernel), step: null, message: `${v.osOfKernel(k.kernel)} is lost: its memory lived only in ${v.osOfKernel(k.by)}'s freed image` });
        return;
      case 'device':
        if (k.device === 'uart' && k.action === 'untouched') this._untouched.add(v.osOfKernel(k.kernel));
        if (k.device === 'uart' && k.action !== 'untouched') this._untouched.delete(v.osOfKernel(k.kernel));
        return;
      case 'jump': {
        const from = v.osOfKernel(k.from);
        const into = k.kind === 'call' ? (v.imageOsOf(k.from) ?? '?') : v.osOfKernel(k.to);
        const slot = `${k.from}#${this._loadGen.get(k.from) ?? 0}`;
        const seen = this._firstTarget.get(slot) ?? { target: k.target >>> 0, count: 0 };
        seen.count++;
        this._firstTarget.set(slot, seen);
        this._open = { at, index, from, into, kind: k.kind, target: k.target >>> 0, first: seen.target, nth: seen.count };
        this._trail.push({ from, into, call: k.kind === 'call' });
        return;
      }
      case 'return': {
        const os = v.osOfKernel(k.kernel);
        this._returns.set(os, { at, index });
        const t = this._open;
        if (t?.kind === 'call' && t.from === os) {
          // The CALL's value (the DONE that reports it comes later; a verdict may end the run first).
          const list = this._calls.get(os) ?? [];
          list.push({ value: k.value >>> 0, at, index, step: this._lastAction.get(os)?.step ?? null, via: t });
          this._calls.set(os, list);
        }
        this._open = null;
        return;
      }
      default:
        return;
    }
  }

  // ---- what the end reveals -----------------------------------------------------------------

  /** Findings only the end can see: wrong values, a silent console, the last words of a failure. */
  private _afterwards(end: EndFacts): Finding[] {
    const v = this._view;
    const out: Finding[] = [];
    const goals = v.goals();
    const unmet = goals.filter((t) => !t.met);
    for (const t of unmet) {
      const g = t.goal;
      if (g.type === 'report') {
        const last = g.os !== undefined ? this._reports.get(`${g.os}:${g.key}`) : [...this._reports].filter(([k]) => k.endsWith(`:${g.key}`)).map(([, r]) => r).pop();
        if (last && last.value !== g.equals >>> 0) {
          out.push({ at: last.at, event: last.index, os: g.os ?? '', step: null, message: `${g.os ?? 'an OS'} reported ${KEY_NAMES[g.key] ?? `key ${g.key}`} = ${last.value} (${hex(last.value)}), but ${label(t)} wants ${g.equals}` });
        }
      }
      if (g.type === 'console' && g.os !== undefined) {
        const silent = this._silent(g.os);
        if (silent) out.push(silent);
        else {
          const near = this._nearMiss(g.os, g.contains);
          if (near) out.push({ ...near, message: `${g.os} printed "${near.message}", not "${g.contains}" (${label(t)})`, weak: true });
        }
      }
    }
    for (const os of new Set(unmet.flatMap((t) => (t.goal.type === 'callReturned' ? [t.goal.os] : [])))) {
      const wanted = goals.flatMap((t) => (t.goal.type === 'callReturned' && t.goal.os === os ? [t.goal.equals >>> 0] : []));
      const bad = (this._calls.get(os) ?? []).find((c) => !wanted.includes(c.value));
      if (!bad) continue;
      let message = `\`${bad.step?.text ?? 'call'}\` returned ${bad.value} (${hex(bad.value)}), not a value the goals want (${wanted.join(', ')})`;
      if (bad.via && bad.via.target !== bad.via.first) message += `: ${this._transferWords(bad.via)}`;
      out.push({ at: bad.at, event: bad.index, os, step: bad.step, message });
    }
    if (end.reason === 'halted' && end.halt && !(end.halt.kind === 'pass' && end.halt.code === 0) && !this._panic && this._lastAction.get(end.running)?.action !== 'halt-fail') {
      const line = (this._lines.get(end.running) ?? []).at(-1);
      if (line) out.push({ at: line.at, event: line.index, os: end.running, step: null, message: `${end.running} stopped the machine with a failure after printing "${line.text}"` });
    }
    return out;
  }

  /** An OS that came back and ran but printed nothing since: the console went silent. */
  private _silent(os: string): Finding | null {
    const back = this._returns.get(os);
    if (!back || (this._ran.get(os) ?? -1) <= back.at) return null;
    if ((this._lines.get(os) ?? []).some((l) => l.at >= back.at)) return null;
    let message = `${os} printed nothing after it came back at instruction ${fmt(back.at)}`;
    const loop = this._view.uartLoopback();
    if (loop) message += `: the UART is still in loopback mode (MCR.LOOP), so what ${os} writes goes back into its own receiver`;
    if (this._untouched.has(os)) message += `; kexec did not save and restore the devices for ${os}'s trip: ${this._untouchedWhy(os)}`;
    return { at: back.at, event: back.index, os, step: null, message, weak: !loop };
  }

  private _untouchedWhy(os: string): string {
    const a = this._jumpActions.get(os);
    if (a && ((a.arg0 & KJUMP_CMD_MASK) >>> 0) === KJUMP_CMD && (a.arg0 & KJUMP_SKIP_DEVICES) !== 0) {
      return 'its jump asked to skip them (kexec -e --kjump-devices=skip overrides the image\'s flags)';
    }
    const flags = this._loadFlags.get(os);
    if (flags !== undefined && !preservationOf(flags).devices) return `its image was loaded without device preservation (flags 0x${(flags >>> 0).toString(16)}: no KEXEC_PRESERVE_DEVICE)`;
    return 'the jump left them as they were';
  }

  /**
   * The first line of `os` that starts like `want` (most of it) but says something else: "back 2,
   * value 0x00000001" for "back 2, value 0x00000004". A line `want` merely continues ("round 1"
   * for "round 10") is progress not made yet, not a miss.
   */
  private _nearMiss(os: string, want: string): Finding | null {
    let best: { line: { at: number; index: number }; text: string; n: number } | null = null;
    for (const line of this._lines.get(os) ?? []) {
      const text = line.text.replace(/^\S+: /, '');
      if (want.startsWith(text)) continue;
      for (let n = want.length - 1; n >= Math.max(3, Math.ceil(want.length / 2)); n--) {
        if (text.startsWith(want.slice(0, n))) {
          if (!best || n > best.n) best = { line, text, n };
          break;
        }
      }
    }
    return best && { at: best.line.at, event: best.line.index, os, step: null, message: best.text, weak: true };
  }

  private _transferWords(t: Transfer): string {
    const kind = t.kind === 'call' ? 'CALL' : 'jump';
    const where = this._view.describeAddress(t.target);
    return `${t.from}'s ${ordinal(t.nth)} ${kind} into ${t.into} entered at ${hex(t.target)}${where ? ` (${where})` : ''}, not at ${hex(t.first)} where the 1st did`;
  }

  /** "A → B → C → B" from the jumps so far (CALLs as ⇢; the last 12 hops of a long run). */
  private _path(): string {
    const hops = this._trail.slice(-12);
    if (hops.length === 0) return 'none';
    let out = this._trail.length > hops.length ? '… ' : '';
    let end = '';
    for (const { from, into, call } of hops) {
      const arrow = call ? ' ⇢ ' : ' → ';
      out += end === '' ? `${from}${arrow}${into}` : from === end ? `${arrow}${into}` : `, ${from}${arrow}${into}`;
      end = into;
    }
    return out;
  }

  // ---- the end in words ---------------------------------------------------------------------

  private _reason(end: EndFacts): EndReason {
    if (end.reason !== 'halted') return end.reason;
    const h = end.halt;
    if (h?.kind === 'pass' && h.code === 0) return 'poweroff';
    if (this._panic) return 'panic';
    return 'failed';
  }

  private _sentence(reason: EndReason, end: EndFacts): string {
    const os = end.running;
    const a = this._lastAction.get(os);
    const step = (s: Finding['step']): string => (s ? `step ${s.index + 1}, \`${s.text}\`` : '');
    switch (reason) {
      case 'impossible':
      case 'too-slow':
        return end.verdict?.message ?? 'no goal left can be met';
      case 'panic':
        return `${this._panic!.os} panicked: ${this._panic!.message.replace(/^panic: /, '')}`;
      case 'poweroff':
        return a?.action === 'poweroff' ? `${os} powered the machine off (${step(a.step)}) before every goal was met` : 'the machine powered off before every goal was met';
      case 'failed':
        if (a?.action === 'halt-fail') return `${os}'s script ran \`fail\` (${step(a.step)}): the level stops the run there`;
        if (end.halt?.kind === 'reset') return `${os} reset the machine before every goal was met`;
        return `${os} shut the machine down with a failure (SRST reason ${end.halt?.code ?? '?'})`;
      case 'stuck':
        return `${os} sleeps forever: wfi at ${hex(end.pc)} with no interrupt that can wake it`;
      case 'limit':
        return `the instruction limit (${fmt(this._view.level.limits.maxInstructions)}) was reached before every goal was met: ${this._runningWords(end) ?? `${os} was running at ${hex(end.pc)}`}`;
      default:
        return reason;
    }
  }

  /** At the limit: who was running since when, when that explains it (code that never handed back). */
  private _runningWords(end: EndFacts): string | null {
    const t = this._open;
    const where = this._view.describeAddress(end.pc);
    const pc = `pc ${hex(end.pc)}${where ? `, ${where}` : ''}`;
    if (t && t.into === end.running && !this._view.scripted(end.running)) {
      return `${end.running} never handed the machine back: it has run its own code since ${t.from}'s ${ordinal(t.nth)} ${t.kind === 'call' ? 'CALL' : 'jump'} at instruction ${fmt(t.at)} (${pc})`;
    }
    return end.reason === 'limit' ? `${end.running} was still running (${pc})` : null;
  }
}
