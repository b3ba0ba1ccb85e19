// Which OS owns which kexec kernel: kernel names, their owner ids in the page metadata and the
// level OS each runs, learnt from the run's events (the legend, the consoles and the timeline's
// titles name owners through it).
import type { SimEvent } from '../../level/events.ts';

/** Kernel ids and names seen so far, and the level OS each kernel runs. */
export class OwnerBook {
  /** kexec kernel name -> owner id (the page metadata's owner). */
  readonly idOf = new Map<string, number>();
  /** kexec kernel name -> level OS id. */
  readonly osOf = new Map<string, string>();
  private _boot = '';

  /** Notes what an event says about kernels. Returns true when an owner's name changed. */
  observe(e: SimEvent): boolean {
    if (e.type === 'kexec' && e.event.type === 'kernel') {
      this.idOf.set(e.event.kernel, e.event.id);
      if (e.event.kernel === 'A' && this._boot) this.osOf.set('A', this._boot);
      return true;
    }
    if (e.type === 'boot') {
      this._boot = e.os;
      this.osOf.set('A', e.os);
      return true;
    }
    if (e.type === 'os') {
      this.osOf.set(e.kernel, e.os);
      return true;
    }
    return false;
  }

  /** The OS a kernel runs, or the kernel's own name. */
  osName(kernel: string): string {
    return this.osOf.get(kernel) ?? kernel;
  }

  /** Owner id -> label ("B" / "nobody"), for the legend and the page inspector. */
  names(): string[] {
    const names = ['nobody'];
    for (const [kernel, id] of this.idOf) names[id] = this.osOf.has(kernel) && this.osOf.get(kernel) !== kernel ? `${this.osName(kernel)} (kernel ${kernel})` : kernel;
    for (let i = 0; i < names.length; i++) names[i] ??= `owner ${i}`;
    return names;
  }

  /** Owner id of the kernel running level OS `os` most recently, or 0. */
  ownerOfOs(os: string): number {
    let id = 0;
    for (const [kernel, o] of this.osOf) if (o === os) id = this.idOf.get(kernel) ?? id;
    return id;
  }

  clear(): void {
    this.idOf.clear();
    this.osOf.clear();
    this._boot = '';
  }
}
