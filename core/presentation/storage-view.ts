import type { Money } from '../billing/money.ts';
import { monthlyCostOf } from '../billing/monthly-cost.ts';
import { type AccountStorage, dedupRatioOf } from '../storage/account-storage.ts';

/** One slice's line of `GET /v1/storage`. */
export interface SliceStorageView {
  readonly sliceId: string;
  readonly snapshots: number;
  readonly logicalBytes: number;
  readonly exclusiveBytes: number;
  readonly monthlyCost: Money;
}

/** `GET /v1/storage` as CONTRACT.md shows it. */
export interface StorageView {
  readonly logicalBytes: number;
  readonly storedBytes: number;
  readonly dedupRatio: number;
  readonly monthlyCost: Money;
  /** When the pass these figures come from began; null before the account's first pass. */
  readonly asOf: string | null;
  readonly bySlice: readonly SliceStorageView[];
}

/**
 * The public view of an account's storage: the latest mark pass's figures, with what a full month
 * of the snapshots billed then costs. Before any pass, nothing is counted yet.
 */
export function viewStorage(storage: AccountStorage | null): StorageView {
  if (storage === null) {
    return {
      logicalBytes: 0,
      storedBytes: 0,
      dedupRatio: 1,
      monthlyCost: monthlyCostOf(0),
      asOf: null,
      bySlice: [],
    };
  }
  return {
    logicalBytes: storage.logicalBytes,
    storedBytes: storage.storedBytes,
    dedupRatio: dedupRatioOf(storage),
    monthlyCost: monthlyCostOf(storage.billedBytes),
    asOf: storage.asOf,
    bySlice: storage.bySlice.map((line) => ({
      sliceId: line.sliceId,
      snapshots: line.snapshots,
      logicalBytes: line.logicalBytes,
      exclusiveBytes: line.exclusiveBytes,
      monthlyCost: monthlyCostOf(line.billedBytes),
    })),
  };
}
