import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../core/ports/clock.ts';

/** A timer of the local clock, as {@link LocalClock.setTimeout} answers it. */
export interface LocalTimer {
  readonly dueAt: number;
}

interface PendingTimer extends LocalTimer {
  readonly callback: () => void;
  real: NodeJS.Timeout | undefined;
}

/** Node fires a timer longer than 2^31-1 ms at once: longer waits are taken in slices. */
const MAX_REAL_WAIT_MS = 6 * 60 * 60 * 1000;

/**
 * The local cloud's time: the machine's clock plus an offset that only grows. Whatever in the
 * local cloud waits on time (the handlers' Clock, the scheduler, heartbeat and task timeouts,
 * execution timeouts) reads and waits on this clock, so that moving it forward makes everything
 * that fell due meanwhile happen at once, in the order it fell due. Moving it is a jump, as a
 * machine waking from sleep sees: a timer due several times over fires once.
 */
export class LocalClock implements Clock {
  #offsetMs: number;
  readonly #timers = new Set<PendingTimer>();
  readonly #onAdvance: ((offsetMs: number) => void) | undefined;

  constructor(options: { offsetMs?: number; onAdvance?: (offsetMs: number) => void } = {}) {
    this.#offsetMs = options.offsetMs ?? 0;
    this.#onAdvance = options.onAdvance;
  }

  /**
   * A clock whose offset is kept in `file` across restarts (time in the local cloud never runs
   * backwards over its stored records); a missing or unreadable file starts at the machine's time.
   */
  static persistedIn(file: string): LocalClock {
    let offsetMs = 0;
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
      if (typeof saved.offsetMs === 'number' && saved.offsetMs > 0) offsetMs = saved.offsetMs;
    } catch {
      // No file yet: the machine's time.
    }
    return new LocalClock({
      offsetMs,
      onAdvance: (offset) => {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(`${file}.tmp`, JSON.stringify({ offsetMs: offset }));
        renameSync(`${file}.tmp`, file);
      },
    });
  }

  /** A clock that starts at `instant` and runs on from there at the machine's pace. */
  static startingAt(instant: Date | string): LocalClock {
    return new LocalClock({ offsetMs: new Date(instant).getTime() - Date.now() });
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now() + this.#offsetMs;
  }

  /** How far this clock is ahead of the machine's (negative when it started in the past). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves the clock forward by `ms`, then fires every timer that is due. */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) {
      throw new RangeError(`the clock moves forward only, by a finite duration (got ${ms} ms)`);
    }
    this.#offsetMs += ms;
    this.#onAdvance?.(this.#offsetMs);
    this.#fireDue();
    for (const timer of this.#timers) this.#arm(timer);
  }

  /** Moves the clock forward to `instant`; an instant already passed leaves it where it is. */
  advanceTo(instant: Date | string): void {
    this.advance(Math.max(0, new Date(instant).getTime() - this.nowMs()));
  }

  /** Calls `callback` once this clock reads `ms` later than now (at once when it is moved there). */
  setTimeout(callback: () => void, ms: number): LocalTimer {
    const timer: PendingTimer = {
      dueAt: this.nowMs() + Math.max(0, ms),
      callback,
      real: undefined,
    };
    this.#timers.add(timer);
    this.#arm(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    const timer = handle as PendingTimer | undefined;
    if (!timer || !this.#timers.delete(timer)) return;
    clearTimeout(timer.real);
  }

  #arm(timer: PendingTimer): void {
    clearTimeout(timer.real);
    const wait = Math.min(Math.max(0, timer.dueAt - this.nowMs()), MAX_REAL_WAIT_MS);
    timer.real = setTimeout(() => {
      timer.real = undefined;
      if (this.nowMs() >= timer.dueAt) this.#fire(timer);
      else if (this.#timers.has(timer)) this.#arm(timer);
    }, wait);
  }

  #fireDue(): void {
    const now = this.nowMs();
    const due = [...this.#timers]
      .filter((timer) => timer.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt);
    for (const timer of due) this.#fire(timer);
  }

  #fire(timer: PendingTimer): void {
    if (!this.#timers.delete(timer)) return;
    clearTimeout(timer.real);
    timer.callback();
  }
}

const DURATION_UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `5m`, `2h`, `1d`, `1h30m`, `250ms`: a duration as `clock advance` takes it, in ms. */
export function parseDuration(text: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text.trim()) {
    throw new RangeError(`"${text}" is not a duration: write it as 90s, 5m, 2h, 1d or 1h30m`);
  }
  return parts.reduce(
    (total, [, value, unit]) =>
      total + Number(value) * DURATION_UNIT_MS[unit as keyof typeof DURATION_UNIT_MS],
    0,
  );
}
