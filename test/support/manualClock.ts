/**
 * A clock that moves only when a test moves it (the time-skipping model): hand `clock.now` to
 * `startApp({ clock })` or a service, then `advance` across a boundary instead of sleeping.
 */
import type { Clock } from '../../src/domain/ports/clock';

export class ManualClock {
  private ms: number;
  constructor(start: Date | number = Date.now()) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }
  /** The Clock port: pass `clock.now`, not `clock`. */
  readonly now: Clock = () => new Date(this.ms);
  advance(ms: number): Date {
    this.ms += ms;
    return this.now();
  }
  set(at: Date): void {
    this.ms = at.getTime();
  }
}
