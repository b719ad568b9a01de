import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ScheduleDefinition,
  type Scheduler,
  startScheduler,
} from '../../../../local/scheduler/scheduler.ts';
import { ManualTimers } from '../../../support/manual-timers.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A scheduler of one schedule, on `clock`'s time and timers. */
function scheduleOn(
  clock: ManualTimers,
  schedule: ScheduleDefinition,
  log?: (line: string) => void,
): Scheduler {
  return startScheduler({ schedules: [schedule], now: () => clock.now(), timers: clock, log });
}

/** A schedule `name` of `expression` alone, on manual timers set at `start`, counting its runs. */
function oneSchedule(start: string, name: string, expression: string) {
  const clock = new ManualTimers(start);
  const invoke = vi.fn(async () => undefined);
  const scheduler = scheduleOn(clock, { name, expression, invoke });
  return { clock, invoke, scheduler };
}

describe('startScheduler', () => {
  it('invokes a rate schedule at the computed time and not before', () => {
    const { clock, invoke, scheduler } = oneSchedule(
      '2026-03-01T12:00:00.000Z',
      'billing',
      'rate(1 minute)',
    );

    const first = scheduler.next('billing').toISOString();
    clock.advanceTo('2026-03-01T12:00:59.999Z');
    const before = invoke.mock.calls.length;
    clock.advanceTo('2026-03-01T12:01:00.000Z');
    const after = invoke.mock.calls.length;
    scheduler.close();

    expect(first).toBe('2026-03-01T12:01:00.000Z');
    expect(clock.delays[0]).toBe(60_000);
    expect([before, after]).toEqual([0, 1]);
    expect(scheduler.next('billing').toISOString()).toBe('2026-03-01T12:02:00.000Z');
  });

  it('invokes a cron schedule at its next UTC minute', () => {
    const { clock, invoke, scheduler } = oneSchedule(
      '2026-01-31T23:00:00.000Z',
      'monthly',
      'cron(5 0 1 * ? *)',
    );

    clock.advanceTo('2026-02-01T00:04:59.000Z');
    const before = invoke.mock.calls.length;
    clock.advanceTo('2026-02-01T00:05:00.000Z');
    scheduler.close();

    expect(before).toBe(0);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(scheduler.next('monthly').toISOString()).toBe('2026-03-01T00:05:00.000Z');
  });

  it('waits for a run further away than a timer can in slices, without firing early', () => {
    const { clock, invoke, scheduler } = oneSchedule(
      '2026-01-01T00:00:00.000Z',
      'yearly',
      'cron(0 0 1 1 ? *)',
    );

    clock.advanceTo('2026-12-31T23:59:59.000Z');
    const before = invoke.mock.calls.length;
    clock.advanceTo('2027-01-01T00:00:00.000Z');
    scheduler.close();

    expect(Math.max(...clock.delays)).toBeLessThan(2 ** 31);
    expect(before).toBe(0);
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('skips a run while the previous one is still going, then runs again once it ends', async () => {
    const clock = new ManualTimers('2026-03-01T12:00:00.000Z');
    let finish = (): void => undefined;
    const invoke = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const log = vi.fn();
    const scheduler = scheduleOn(
      clock,
      { name: 'slow', expression: 'rate(1 minute)', invoke },
      log,
    );

    clock.advanceTo('2026-03-01T12:01:00.000Z');
    clock.advanceTo('2026-03-01T12:02:00.000Z');
    const whileRunning = invoke.mock.calls.length;
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    clock.advanceTo('2026-03-01T12:03:00.000Z');
    scheduler.close();

    expect(whileRunning).toBe(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/slow skipped at 2026-03-01T12:02:00/));
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it('logs a failed run and keeps the schedule going', async () => {
    const clock = new ManualTimers('2026-03-01T12:00:00.000Z');
    const invoke = vi.fn(async () => {
      throw new Error('billing exploded');
    });
    const log = vi.fn();
    const scheduler = scheduleOn(
      clock,
      { name: 'billing', expression: 'rate(1 minute)', invoke },
      log,
    );

    clock.advanceTo('2026-03-01T12:01:00.000Z');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advanceTo('2026-03-01T12:02:00.000Z');
    scheduler.close();

    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/billing failed: Error: billing exploded/),
    );
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it('keeps a rate in phase after sleeping through several periods, running once', () => {
    const clock = new ManualTimers('2026-03-01T12:00:00.000Z');
    const invoke = vi.fn(async () => undefined);
    const scheduler = startScheduler({
      schedules: [{ name: 'r', expression: 'rate(10 minutes)', invoke }],
      now: () => clock.now(),
      timers: {
        // A timer that fires only after the machine wakes from a 35-minute sleep.
        setTimeout: (callback) => clock.setTimeout(callback, 35 * 60_000),
        clearTimeout: (handle) => clock.clearTimeout(handle),
      },
    });

    clock.advanceTo('2026-03-01T12:35:00.000Z');
    scheduler.close();

    expect(invoke).toHaveBeenCalledTimes(1);
    expect(scheduler.next('r').toISOString()).toBe('2026-03-01T12:40:00.000Z');
  });

  it('stops firing once closed', () => {
    const { clock, invoke, scheduler } = oneSchedule(
      '2026-03-01T12:00:00.000Z',
      'r',
      'rate(1 minute)',
    );

    scheduler.close();
    clock.advanceTo('2026-03-01T13:00:00.000Z');

    expect(invoke).not.toHaveBeenCalled();
    expect(clock.pending).toBe(0);
  });

  it('runs on the global timers by default (vitest fake timers)', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00.000Z') });
    const invoke = vi.fn(async () => undefined);
    const scheduler = startScheduler({
      schedules: [{ name: 'r', expression: 'rate(1 minute)', invoke }],
    });

    await vi.advanceTimersByTimeAsync(59_999);
    const before = invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1);
    scheduler.close();

    expect(before).toBe(0);
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('refuses an invalid expression and a duplicate name at start', () => {
    const invoke = async (): Promise<void> => undefined;

    expect(() =>
      startScheduler({ schedules: [{ name: 'bad', expression: 'rate(5 minute)', invoke }] }),
    ).toThrow(/plural unit/);
    expect(() =>
      startScheduler({
        schedules: [
          { name: 'twice', expression: 'rate(1 hour)', invoke },
          { name: 'twice', expression: 'rate(2 hours)', invoke },
        ],
      }),
    ).toThrow(/defined twice/);
  });

  it('refuses to tell the next run of an unknown schedule', () => {
    const scheduler = startScheduler({ schedules: [] });

    expect(() => scheduler.next('nope')).toThrow(/no schedule named nope/);
  });
});
