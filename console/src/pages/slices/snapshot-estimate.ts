import { monthlyCostOf } from '../../../../core/billing/monthly-cost.ts';
import { RATE_PER_GIB_MONTH } from '../../../../core/billing/rate.ts';
import { PESSIMISTIC_BYTES_PER_MINUTE } from '../../../../core/progress/transfer-progress.ts';

/** What taking a snapshot of a slice is expected to cost and take, before it is asked for. */
export interface SnapshotEstimate {
  /** Bytes in use on the disk: what the snapshot holds and is billed for. */
  readonly sizeBytes: number;
  readonly monthlyCost: { readonly amount: string; readonly currency: string };
  readonly ratePerGBMonth: string;
  /** At the documentation's pessimistic 2 GB per minute; usually much less. */
  readonly atMostSeconds: number;
}

/**
 * The estimate from the slice's used bytes, with the product's own price and pessimistic rate;
 * null while they are unknown (a new blank slice learns them from its first snapshot).
 */
export function estimateSnapshot(usedBytes: number): SnapshotEstimate | null {
  if (usedBytes <= 0) return null;
  return {
    sizeBytes: usedBytes,
    monthlyCost: monthlyCostOf(usedBytes),
    ratePerGBMonth: RATE_PER_GIB_MONTH,
    atMostSeconds: Math.ceil((usedBytes * 60) / PESSIMISTIC_BYTES_PER_MINUTE),
  };
}
