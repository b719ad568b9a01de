import type { Money } from '../billing/money.ts';
import { monthlyCostOf } from '../billing/monthly-cost.ts';
import { PESSIMISTIC_BYTES_PER_MINUTE } from '../progress/transfer-progress.ts';

/** What the slice's host measured of its disk and of its own pace, as its scan answers. */
export interface DiskMeasurement {
  readonly diskBytes: number;
  /** Bytes of the chunks that hold data: what a snapshot is billed on. */
  readonly usedBytes: number;
  /** Written since a base snapshot's capture, where the hypervisor tracks changed blocks. */
  readonly changedBytes: number | null;
  readonly uploadBytesPerSecond: number | null;
  readonly captureBytesPerSecond: number | null;
  readonly shutdownSeconds: number | null;
}

/** What a snapshot taken now would be, before it is taken. */
export interface SnapshotQuote {
  readonly sizeBytes: number;
  readonly monthlyCost: Money;
  /** The bytes it would upload: what changed since the slice's last snapshot, or null unknown. */
  readonly newBytes: number | null;
  readonly durationSeconds: number;
  /** How long the slice is off: none unless it is powered off first. */
  readonly downtimeSeconds: number;
}

const PESSIMISTIC_BYTES_PER_SECOND = PESSIMISTIC_BYTES_PER_MINUTE / 60;
/**
 * A guest's shutdown before the host measured one: what the power-off step gives a guest before
 * it cuts the power (its default graceful timeout), the worst case.
 */
const UNMEASURED_SHUTDOWN_SECONDS = 60;

/**
 * The quote of a snapshot from its host's measurements. Without changed-block tracking the upload
 * reads every chunk that holds data (chunks the account stores already are not sent, but they are
 * read), at the host's measured pace, or the documentation's pessimistic 2 GB a minute before it
 * measured one. Powered off first, the slice is off while the guest shuts down and the disk is
 * captured; it may run again as soon as the capture exists, while the upload goes on.
 */
export function quoteSnapshot(measured: DiskMeasurement, powerOff: boolean): SnapshotQuote {
  const uploadRate = measured.uploadBytesPerSecond ?? PESSIMISTIC_BYTES_PER_SECOND;
  const captureRate = measured.captureBytesPerSecond ?? PESSIMISTIC_BYTES_PER_SECOND;
  const uploadSeconds = (measured.changedBytes ?? measured.usedBytes) / uploadRate;
  const captureSeconds = measured.diskBytes / captureRate;
  const shutdownSeconds = powerOff ? (measured.shutdownSeconds ?? UNMEASURED_SHUTDOWN_SECONDS) : 0;
  return {
    sizeBytes: measured.usedBytes,
    monthlyCost: monthlyCostOf(measured.usedBytes),
    newBytes: measured.changedBytes,
    durationSeconds: Math.ceil(shutdownSeconds + captureSeconds + uploadSeconds),
    downtimeSeconds: powerOff ? Math.ceil(shutdownSeconds + captureSeconds) : 0,
  };
}
