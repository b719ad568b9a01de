import { describe, expect, it } from 'vitest';
import {
  isProgressWriteDue,
  PESSIMISTIC_BYTES_PER_MINUTE,
  progressNotStarted,
  recordProgress,
  startTransfer,
  viewProgress,
} from '../../../../core/progress/transfer-progress.ts';

const START = '2025-03-01T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

type Progress = Parameters<typeof viewProgress>[0];

/** The view of transfer work started at START that is still running `seconds` later. */
const viewRunning = (progress: Progress, seconds: number) =>
  viewProgress(progress, { startedAt: START, endedAt: null, phase: 'running', now: at(seconds) });

/** The view, long after, of transfer work started at START that ended in `phase` `seconds` later. */
const viewEnded = (progress: Progress, phase: 'done' | 'stopped', seconds: number) =>
  viewProgress(progress, { startedAt: START, endedAt: iso(seconds), phase, now: at(100) });

describe('viewProgress', () => {
  it('estimates from the pessimistic 2 GB per minute before any measurement', () => {
    const progress = progressNotStarted(2 * PESSIMISTIC_BYTES_PER_MINUTE);

    const atStart = viewRunning(progress, 0);
    const later = viewRunning(progress, 50);

    expect(atStart).toEqual({
      percent: 0,
      bytesDone: 0,
      bytesTotal: 4_000_000_000,
      elapsedSeconds: 0,
      etaSeconds: 120,
      stalledSeconds: 0,
    });
    expect(later.etaSeconds).toBe(70);
    expect(later.elapsedSeconds).toBe(50);
  });

  it('rounds the pessimistic estimate up: 1 GiB takes 33 seconds', () => {
    const view = viewRunning(progressNotStarted(2 ** 30), 0);

    expect(view.etaSeconds).toBe(33);
  });

  it('gives no ETA once the pessimistic estimate has passed without a measurement', () => {
    const view = viewRunning(progressNotStarted(PESSIMISTIC_BYTES_PER_MINUTE), 61);

    expect(view.etaSeconds).toBeNull();
  });

  it('estimates from the measured rate once bytes move', () => {
    const started = startTransfer(progressNotStarted(1_000_000_000), iso(20));
    const measured = recordProgress(started, 100_000_000, iso(30));

    const view = viewRunning(measured, 35);

    // 100 MB in 10 s: 900 MB left take 90 s, 5 of which have passed since the measurement.
    expect(view).toEqual({
      percent: 10,
      bytesDone: 100_000_000,
      bytesTotal: 1_000_000_000,
      elapsedSeconds: 35,
      etaSeconds: 85,
      stalledSeconds: 0,
    });
  });

  it('stays below 100 percent until the work is done', () => {
    const all = recordProgress(startTransfer(progressNotStarted(500), iso(0)), 500, iso(5));

    const running = viewRunning(all, 6);
    const done = viewEnded(all, 'done', 8);

    expect(running.percent).toBe(99);
    expect(done).toEqual({
      percent: 100,
      bytesDone: 500,
      bytesTotal: 500,
      elapsedSeconds: 8,
      etaSeconds: 0,
      stalledSeconds: 0,
    });
  });

  it('has no ETA for stopped work and stops its clock at the end', () => {
    const partial = recordProgress(startTransfer(progressNotStarted(1000), iso(0)), 250, iso(5));

    const view = viewEnded(partial, 'stopped', 9);

    expect(view).toEqual({
      percent: 25,
      bytesDone: 250,
      bytesTotal: 1000,
      elapsedSeconds: 9,
      etaSeconds: null,
      stalledSeconds: 0,
    });
  });

  it('shows 0 percent for work that moves no bytes', () => {
    const view = viewRunning(progressNotStarted(0), 3);

    expect(view).toMatchObject({ percent: 0, etaSeconds: null });
  });
});

describe('viewProgress of a stalled transfer', () => {
  const moving = recordProgress(startTransfer(progressNotStarted(1000), iso(0)), 350, iso(10));
  // Heartbeats keep coming, but with the same figure: the bytes stopped at 35%.
  const stuck = recordProgress(recordProgress(moving, 350, iso(30)), 350, iso(45));

  it('shows no stall while bytes moved within the last 30 seconds', () => {
    expect(viewRunning(stuck, 40)).toMatchObject({
      stalledSeconds: 0,
      etaSeconds: expect.any(Number),
    });
  });

  it('shows how long no byte has moved, and no ETA, once that passes 30 seconds', () => {
    expect(viewRunning(stuck, 52.5)).toMatchObject({
      percent: 35,
      stalledSeconds: 42.5,
      etaSeconds: null,
    });
  });

  it('clears the stall as soon as bytes move again', () => {
    const moved = recordProgress(stuck, 400, iso(60));

    expect(viewRunning(moved, 61)).toMatchObject({
      stalledSeconds: 0,
      etaSeconds: expect.any(Number),
    });
  });

  it('counts a stall from the last write of records kept before the field existed', () => {
    const { advancedAt: _dropped, ...old } = moving;

    expect(viewRunning(old, 50).stalledSeconds).toBe(40);
  });
});

describe('recordProgress', () => {
  it('never moves backwards nor past the total', () => {
    const started = startTransfer(progressNotStarted(1000), iso(0));

    const ahead = recordProgress(started, 600, iso(1));
    const late = recordProgress(ahead, 400, iso(2));
    const beyond = recordProgress(late, 5000, iso(3));

    expect(late.bytesDone).toBe(600);
    expect(beyond.bytesDone).toBe(1000);
    expect(beyond).toMatchObject({ startedAt: iso(0), updatedAt: iso(3) });
  });

  it('starts the measured rate at the first measurement when the start was not marked', () => {
    const first = recordProgress(progressNotStarted(1000), 10, iso(4));

    expect(first).toMatchObject({ startedAt: iso(4), updatedAt: iso(4) });
  });
});

describe('recordProgress with a measured total', () => {
  it('replaces the expected total with the measured one', () => {
    const recorded = recordProgress(progressNotStarted(1_000), 600, iso(5), 4_000);

    expect(recorded).toEqual({
      bytesDone: 600,
      bytesTotal: 4_000,
      startedAt: iso(5),
      updatedAt: iso(5),
      advancedAt: iso(5),
    });
  });
});

describe('isProgressWriteDue', () => {
  it('is due with nothing written yet, then only two seconds after the last write', () => {
    const written = recordProgress(startTransfer(progressNotStarted(10), iso(0)), 1, iso(0));

    expect(isProgressWriteDue(progressNotStarted(10), iso(0))).toBe(true);
    expect(isProgressWriteDue(written, iso(1.999))).toBe(false);
    expect(isProgressWriteDue(written, iso(2))).toBe(true);
  });
});
