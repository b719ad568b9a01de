import { type Money, usdFromCents } from '../billing/money.ts';
import { monthlyCostOf } from '../billing/monthly-cost.ts';
import type { Labels } from '../labels/labels.ts';
import type { Operation } from '../operations/operation.ts';
import { type ProgressView, viewProgress, type WorkPhase } from '../progress/transfer-progress.ts';
import type { Failure } from '../shared/failure.ts';
import { bytesToDisplayGib } from '../shared/sizes.ts';
import { durationSeconds } from '../shared/time.ts';
import type { Snapshot, SnapshotOrigin } from '../snapshots/snapshot.ts';
import type {
  CaptureInfo,
  SnapshotConsistency,
  SnapshotStatus,
  VerifyState,
} from '../snapshots/snapshot-status.ts';
import { NOT_ACCOUNTED, type SnapshotAccounting } from '../storage/account-storage.ts';
import { viewOperation } from './operation-view.ts';

/** A snapshot as CONTRACT.md shows it. */
export interface SnapshotView {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly status: SnapshotStatus;
  readonly sliceId: string;
  readonly sliceName: string;
  readonly sizeBytes: number;
  readonly sizeGB: number;
  readonly diskBytes: number;
  readonly consistency: SnapshotConsistency | null;
  readonly captureInfo: CaptureInfo | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly durationSeconds: number | null;
  readonly downtimeSeconds: number | null;
  /** While in the recycle bin: when the purge deletes it for good. */
  readonly purgeAt: string | null;
  readonly monthlyCost: Money;
  /** Stored (compressed) bytes of the distinct chunks it names; null until first marked. */
  readonly storedBytes: number | null;
  /** Stored bytes no other live snapshot names: what deleting it frees; null until first marked. */
  readonly exclusiveBytes: number | null;
  /** What it has cost so far this month (UTC). */
  readonly costToDate: Money;
  readonly progress: ProgressView;
  readonly error: Failure | null;
  readonly labels: Labels;
  readonly protected: boolean;
  /** The snapshot policy that took it; null when a user asked for it. */
  readonly policyId: string | null;
  /** What the latest verification found; `unverified` until one has run. */
  readonly verifyState: VerifyState;
  readonly verifiedAt: string | null;
  /** The snapshot it is a copy of, and that one's region; null when it was taken of a slice. */
  readonly copiedFrom: SnapshotOrigin | null;
}

// Statuses that are never billed: what a month of them costs is nothing.
const NOT_BILLED: readonly SnapshotStatus[] = ['recycled', 'failed', 'deleting', 'deleted'];
const DONE: readonly SnapshotStatus[] = ['available', 'recycled', 'deleting', 'deleted'];

function phaseOf(status: SnapshotStatus): WorkPhase {
  if (DONE.includes(status)) return 'done';
  return status === 'failed' ? 'stopped' : 'running';
}

/**
 * The public view of a snapshot at `now`: sizes in GiB for display, the duration from request to
 * available, what a full month of it costs, what it holds in the store and has cost this month
 * (`accounting`), and its progress with an ETA.
 */
export function viewSnapshot(
  snapshot: Snapshot,
  now: Date,
  accounting: SnapshotAccounting,
): SnapshotView {
  const phase = phaseOf(snapshot.status);
  const endedAt = snapshot.completedAt ?? (phase === 'stopped' ? snapshot.updatedAt : null);
  return {
    id: snapshot.id,
    name: snapshot.name,
    region: snapshot.region,
    status: snapshot.status,
    sliceId: snapshot.sliceId,
    sliceName: snapshot.sliceName,
    sizeBytes: snapshot.sizeBytes,
    sizeGB: bytesToDisplayGib(snapshot.sizeBytes),
    diskBytes: snapshot.diskBytes,
    consistency: snapshot.consistency,
    captureInfo: snapshot.captureInfo,
    createdAt: snapshot.createdAt,
    completedAt: snapshot.completedAt,
    durationSeconds: snapshot.completedAt
      ? durationSeconds(snapshot.createdAt, snapshot.completedAt)
      : null,
    downtimeSeconds: snapshot.downtimeSeconds,
    purgeAt: snapshot.purgeAt,
    monthlyCost: monthlyCostOf(NOT_BILLED.includes(snapshot.status) ? 0 : snapshot.sizeBytes),
    storedBytes: accounting.storage?.storedBytes ?? null,
    exclusiveBytes: accounting.storage?.exclusiveBytes ?? null,
    costToDate: usdFromCents(accounting.costToDateCents),
    progress: viewProgress(snapshot.progress, {
      startedAt: snapshot.createdAt,
      endedAt,
      phase,
      now,
    }),
    error: snapshot.error,
    labels: snapshot.labels,
    protected: snapshot.protected,
    policyId: snapshot.policyId,
    verifyState: snapshot.verifyState,
    verifiedAt: snapshot.verifiedAt,
    copiedFrom: snapshot.copiedFrom ?? null,
  };
}

/**
 * The 202 of a request that makes a snapshot (taken or copied): the new snapshot, neither counted
 * nor billed yet, and the operation that makes it.
 */
export function viewNewSnapshot(snapshot: Snapshot, operation: Operation, now: Date) {
  return {
    snapshot: viewSnapshot(snapshot, now, NOT_ACCOUNTED),
    operation: viewOperation(operation, now),
  };
}
