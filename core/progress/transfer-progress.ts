import { durationSeconds, secondsBetween } from '../shared/time.ts';

/**
 * How far a long transfer (an upload, a restore, a disk build) has come, as recorded. `startedAt` and
 * `updatedAt` bound the measured rate; both are null until the first measurement arrives.
 */
export interface TransferProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly startedAt: string | null;
  readonly updatedAt: string | null;
  /**
   * When `bytesDone` last grew: heartbeats that report the same figure move `updatedAt`, not
   * this, so a transfer that stopped moving shows it. Absent on records written before it existed
   * (`updatedAt` stands in).
   */
  readonly advancedAt?: string | null;
}

/** The `progress` object of CONTRACT.md. */
export interface ProgressView {
  readonly percent: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly elapsedSeconds: number;
  /** Null while nothing can be estimated, and while the transfer is stalled. */
  readonly etaSeconds: number | null;
  /** How long no byte has moved, once that is longer than STALL_AFTER_SECONDS; else 0. */
  readonly stalledSeconds: number;
}

/**
 * How long a transfer may go without a byte moving before it counts as stalled: three of a host
 * agent's heartbeats (10 s apart by default), so a heartbeat late or two never shows as a stall.
 */
export const STALL_AFTER_SECONDS = 30;

/**
 * The product documentation's pessimistic transfer rate, 2 GB per minute, read as decimal GB (the
 * slower reading): ETAs before any measurement err on the long side.
 */
export const PESSIMISTIC_BYTES_PER_MINUTE = 2_000_000_000;

/** A progress with nothing measured yet, `bytesTotal` being the expected amount. */
export function progressNotStarted(bytesTotal: number): TransferProgress {
  return { bytesDone: 0, bytesTotal, startedAt: null, updatedAt: null, advancedAt: null };
}

/** Marks the moment bytes start to move: the measured rate counts from here. */
export function startTransfer(progress: TransferProgress, now: string): TransferProgress {
  return {
    ...progress,
    startedAt: progress.startedAt ?? now,
    updatedAt: progress.updatedAt ?? now,
    advancedAt: progress.advancedAt ?? progress.updatedAt ?? now,
  };
}

/**
 * Records a measurement (a heartbeat). `bytesDone` never moves backwards, so a late heartbeat cannot
 * undo a newer one, and never passes `bytesTotal`. `bytesTotal`, when the worker measured it, replaces
 * the expected total (an estimate made before the work began). A transfer not marked started starts here.
 */
export function recordProgress(
  progress: TransferProgress,
  bytesDone: number,
  now: string,
  bytesTotal: number = progress.bytesTotal,
): TransferProgress {
  const done = Math.min(Math.max(bytesDone, progress.bytesDone), bytesTotal);
  return {
    bytesDone: done,
    bytesTotal,
    startedAt: progress.startedAt ?? now,
    updatedAt: now,
    advancedAt:
      done > progress.bytesDone ? now : (progress.advancedAt ?? progress.updatedAt ?? now),
  };
}

/**
 * Least time between two progress writes of one resource: heartbeats may come faster, and writing
 * each one would only load the table with changes nobody reads that quickly.
 */
export const PROGRESS_WRITE_INTERVAL_MS = 2_000;

/** True when a measurement at `now` is worth writing: the last one is old enough, or there is none. */
export function isProgressWriteDue(progress: TransferProgress | null, now: string): boolean {
  if (progress === null || progress.updatedAt === null) return true;
  return (
    new Date(now).getTime() - new Date(progress.updatedAt).getTime() >= PROGRESS_WRITE_INTERVAL_MS
  );
}

/** Where the work is: still running, finished well, or stopped (failed, deleted). */
export type WorkPhase = 'running' | 'done' | 'stopped';

/**
 * The progress users see at `now`. While running the percent stays below 100 (100 means done) and
 * the ETA comes from the measured rate; before any measurement from the pessimistic rate, and null
 * once that estimate has passed, since a countdown stuck at zero would mislead.
 */
export function viewProgress(
  progress: TransferProgress,
  timing: { startedAt: string; endedAt: string | null; phase: WorkPhase; now: Date },
): ProgressView {
  const { bytesDone, bytesTotal } = progress;
  const elapsedSeconds = durationSeconds(timing.startedAt, timing.endedAt ?? timing.now);
  if (timing.phase === 'done') {
    return {
      percent: 100,
      bytesDone: bytesTotal,
      bytesTotal,
      elapsedSeconds,
      etaSeconds: 0,
      stalledSeconds: 0,
    };
  }
  const percent = bytesTotal > 0 ? Math.min(99, Math.floor((bytesDone * 100) / bytesTotal)) : 0;
  if (timing.phase === 'stopped') {
    return { percent, bytesDone, bytesTotal, elapsedSeconds, etaSeconds: null, stalledSeconds: 0 };
  }
  const stalledSeconds = stalledFor(progress, timing.now);
  return {
    percent,
    bytesDone,
    bytesTotal,
    elapsedSeconds,
    // A countdown from a rate that no longer holds would mislead: no ETA while stalled.
    etaSeconds:
      stalledSeconds > 0 ? null : estimateSecondsLeft(progress, elapsedSeconds, timing.now),
    stalledSeconds,
  };
}

/** Seconds since bytes last moved, when past STALL_AFTER_SECONDS; 0 before any measurement. */
function stalledFor(progress: TransferProgress, now: Date): number {
  const advancedAt = progress.advancedAt ?? progress.updatedAt;
  if (progress.startedAt === null || advancedAt === null || advancedAt === undefined) return 0;
  const still = durationSeconds(advancedAt, now);
  return still > STALL_AFTER_SECONDS ? still : 0;
}

function estimateSecondsLeft(
  progress: TransferProgress,
  elapsedSeconds: number,
  now: Date,
): number | null {
  const { bytesDone, bytesTotal, startedAt, updatedAt } = progress;
  const measuredMs =
    startedAt && updatedAt ? new Date(updatedAt).getTime() - new Date(startedAt).getTime() : 0;
  if (bytesDone > 0 && measuredMs > 0 && updatedAt) {
    // bytesLeft × ms can pass 2^53 on large disks: exact integers, rounded up.
    const scaled = BigInt(bytesTotal - bytesDone) * BigInt(measuredMs);
    const divisor = BigInt(bytesDone) * 1000n;
    const secondsLeft = Number((scaled + divisor - 1n) / divisor);
    return Math.max(0, secondsLeft - secondsBetween(updatedAt, now));
  }
  const pessimisticTotal = Math.ceil((bytesTotal * 60) / PESSIMISTIC_BYTES_PER_MINUTE);
  const left = Math.ceil(pessimisticTotal - elapsedSeconds);
  return left > 0 ? left : null;
}
