import { afterEach, describe, expect, it, type Mock, vi } from 'vitest';
import { startScheduler } from '../../../../local/scheduler/scheduler.ts';
import { ManualTimers } from '../../../support/manual-timers.ts';

afterEach(() => {
  vi.useRealTimers();
});

/**
 * A schedule `name` of `expression` alone, on manual timers set at `start`, its runs made by
 * `invoke` (one that ends at once unless given) and its log lines recorded.
 */
function oneSchedule(
  start: string,
  name: string,
  expression: string,
  invoke: Mock<() => Promise<void>> = vi.fn(async () => undefined),
) {
  const clock = new ManualTimers(start);
  const log = vi.fn();
  const scheduler = startScheduler({
    schedules: [{ name, expression, invoke }],
    now: () => clock.now(),
    timers: clock,
    log,
  });
  return { clock, invoke, log, scheduler };
}

/**
 * Moves `clock` to a millisecond before `due`, then to `due`: how many runs `invoke` had counted
 * at each, which shows whether a run fires at its time and not before.
 */
function runsAroundDue(
  clock: ManualTimers,
  invoke: { mock: { calls: unknown[] } },
  due: string,
): [before: number, at: number] {
  clock.advanceTo(new Date(Date.parse(due) - 1).toISOString());
  const before = invoke.mock.calls.length;
  clock.advanceTo(due);
  return [before, invoke.mock.calls.length];
}

describe('startScheduler', () => {
  it('invokes a rate schedule at the computed time and not before', () => {
    const { clock, invoke, scheduler } = oneSchedule(
      '2026-03-01T12:00:00.000Z',
      'billing',
      'rate(1 minute)',
    );

    const first = scheduler.next('billing').toISOString();
    const runs = runsAroundDue(clock, invoke, '2026-03-01T12:01:00.000Z');
    scheduler.close();

    expect(first).toBe('2026-03-01T12:01:00.000Z');
    expect(clock.delays[0]).toBe(60_000);
    expect(runs).toEqual([0, 1]);
    expect(scheduler.next('billing').toISOString()).toBe('2026-03-01T12:02:00.000Z');
  });

  it.each([
    {
      title: 'invokes a cron schedule at its next UTC minute',
      start: '2026-01-31T23:00:00.000Z',
      expression: 'cron(5 0 1 * ? *)',
      due: '2026-02-01T00:05:00.000Z',
      next: '2026-03-01T00:05:00.000Z',
    },
    {
      title: 'waits for a run further away than a timer can in slices, without firing early',
      start: '2026-01-01T00:00:00.000Z',
      expression: 'cron(0 0 1 1 ? *)',
      due: '2027-01-01T00:00:00.000Z',
      next: '2028-01-01T00:00:00.000Z',
    },
  ])('$title', ({ start, expression, due, next }) => {
    const { clock, invoke, scheduler } = oneSchedule(start, 'cron', expression);

    const runs = runsAroundDue(clock, invoke, due);
    scheduler.close();

    expect(Math.max(...clock.delays)).toBeLessThan(2 ** 31);
    expect(runs).toEqual([0, 1]);
    expect(scheduler.next('cron').toISOString()).toBe(next);
  });

  it('skips a run while the previous one is still going, then runs again once it ends', async () => {
    let finish = (): void => undefined;
    const slowRun = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const { clock, invoke, log, scheduler } = oneSchedule(
      '2026-03-01T12:00:00.000Z',
      'slow',
      'rate(1 minute)',
      slowRun,
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
    const failingRun = vi.fn(async () => {
      throw new Error('billing exploded');
    });
    const { clock, invoke, log, scheduler } = oneSchedule(
      '2026-03-01T12:00:00.000Z',
      'billing',
      'rate(1 minute)',
      failingRun,
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
