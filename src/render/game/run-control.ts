// The run of the level being played: the live LevelSession and what the player does to it. Play
// and pause go through one switch (setRunning), whoever asks (the Play button, space, the
// tutorial, a step, the end of the run); Run starts a new solution playing, Reset replays the
// current one from power-on, and a rewind replays to a timeline entry's checkpoint.
import type { LevelWorld, LevelWorldInput } from '../../level/world.ts';
import { LevelSession, type SessionListener } from './session.ts';

export interface RunHooks {
  /** Sees the events of every session (the panels). */
  readonly listener: SessionListener;
  /** Instructions per frame a new session starts at (the pacer's rate). */
  rate(): number;
  /** A new session is about to boot (clear what the last one printed). */
  starting(): void;
  /** A new session was started (open, Run, Reset). */
  started(): void;
  /** Playing or paused now (the Play/Pause button follows). */
  runningChanged(running: boolean): void;
  /** A rewind's replay is over (the pacer picks up what is in progress at that moment). */
  rewound(session: LevelSession): void;
}

export class RunControl {
  /** Null only until the first level is shown. */
  private _session: LevelSession | null = null;
  private _running: boolean;
  private _replaying = false;

  constructor(running: boolean, private readonly _hooks: RunHooks) {
    this._running = running;
  }

  /** The session now playing. */
  get session(): LevelSession {
    if (this._session === null) throw new Error('no level is being played yet');
    return this._session;
  }

  /** The player wants the machine running (a new session plays at once; the end of a run clears it). */
  get running(): boolean {
    return this._running;
  }

  /** True while a rewind replays the run up to its checkpoint (panels rebuild, nothing animates). */
  get replaying(): boolean {
    return this._replaying;
  }

  /** The one play/pause switch. Playing a run that has ended does nothing. */
  setRunning(running: boolean): void {
    const { sim } = this.session;
    if (running && sim.state === 'ended') return;
    this._running = running;
    if (running) sim.play();
    else sim.pause();
    this._hooks.runningChanged(running);
  }

  toggle(): void {
    this.setRunning(!this._running);
  }

  pause(): void {
    this.setRunning(false);
  }

  /** Plays unless it plays already or the run has ended. */
  play(): void {
    if (!this._running) this.setRunning(true);
  }

  /** Starts `input` from power-on, playing when the player wants it running. */
  start(input: LevelWorldInput): void {
    this._session?.dispose();
    this._hooks.starting();
    const session = new LevelSession(input, this._hooks.listener);
    this._session = session;
    session.instructionsPerFrame = this._hooks.rate();
    if (this._running) session.sim.play();
    this._hooks.started();
  }

  /** Run means run: a page paused, or at the end of the last run, plays the new attempt at once. */
  runNew(input: LevelWorldInput): void {
    this._running = true;
    this._hooks.runningChanged(true);
    this.start(input);
  }

  /** The same solution again from power-on. */
  reset(): void {
    this.start(this.session.input);
  }

  /** One instruction, paused. */
  step(): void {
    this.pause();
    this.session.sim.step();
  }

  /** On to the next kexec event, paused. */
  stepToKexec(): void {
    this.pause();
    this.session.sim.stepToMark();
  }

  /** The run ended by itself: nothing left to play. */
  ended(): void {
    this._running = false;
    this._hooks.runningChanged(false);
  }

  /** The speed changed: the live session runs at the new rate. */
  rateChanged(): void {
    if (this._session) this._session.instructionsPerFrame = this._hooks.rate();
  }

  /**
   * A paced jump or a load hold starts in `world`: the rest of this frame's fast slice must not run.
   * Only for the live session's world (one still booting in its constructor is not live yet).
   */
  cutSlice(world: LevelWorld): void {
    const session = this._session;
    if (session === null || session.world !== world) return;
    session.sim.endSlice();
    session.instructionsPerFrame = this._hooks.rate();
  }

  /** Rewinds, paused, to the moment of the event at log index `eventIndex`; false when no checkpoint covers it yet. */
  rewindTo(eventIndex: number): boolean {
    const session = this.session;
    this.pause();
    this._replaying = true;
    try {
      return session.rewindToEvent(eventIndex);
    } finally {
      this._replaying = false;
      this._hooks.rewound(session);
    }
  }
}
