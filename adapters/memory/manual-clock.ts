import type { Clock } from '../../core/ports/clock.ts';

/** A Clock that moves only when told to, so tests pin time exactly. */
export class ManualClock implements Clock {
  #now: Date;

  constructor(start: Date | string = '2025-01-01T00:00:00.000Z') {
    this.#now = new Date(start);
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Jumps to `instant`. */
  set(instant: Date | string): void {
    this.#now = new Date(instant);
  }

  /** Moves forward by `seconds` (fractions allowed). */
  advanceSeconds(seconds: number): void {
    this.#now = new Date(this.#now.getTime() + seconds * 1000);
  }
}
