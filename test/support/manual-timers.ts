import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import type { Timers } from '../../local/scheduler/index.ts';

interface PendingTimer {
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A clock whose timers fire only when the test moves it, for code that takes its time and its
 * timers from outside (the local scheduler): `advanceTo` fires every timer that falls due on the
 * way, in the order they fall due, including those they set themselves.
 */
export class ManualTimers extends ManualClock implements Timers {
  /** Every delay asked of `setTimeout`, in order. */
  readonly delays: number[] = [];
  readonly #timers = new Map<number, PendingTimer>();
  #lastId = 0;

  setTimeout(callback: () => void, ms: number): number {
    this.#lastId += 1;
    this.#timers.set(this.#lastId, { at: this.now().getTime() + ms, callback });
    this.delays.push(ms);
    return this.#lastId;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** How many timers are set and not yet fired or cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves to `instant`, firing the timers due by then. */
  advanceTo(instant: Date | string): void {
    const target = new Date(instant).getTime();
    for (let due = this.#nextDue(target); due; due = this.#nextDue(target)) {
      const [id, timer] = due;
      this.#timers.delete(id);
      if (timer.at > this.now().getTime()) this.set(new Date(timer.at));
      timer.callback();
    }
    this.set(new Date(target));
  }

  #nextDue(target: number): [number, PendingTimer] | undefined {
    return [...this.#timers.entries()]
      .filter(([, timer]) => timer.at <= target)
      .sort(([, a], [, b]) => a.at - b.at)[0];
  }
}
