import type { Money } from '../billing/money.ts';
import { monthlyCostOf } from '../billing/monthly-cost.ts';
import { toIsoTime } from '../shared/time.ts';
import { applyRetention, type RetentionCandidate } from './retention.ts';
import type { RetentionRule, RetentionRules } from './retention-rules.ts';
import type { OnSliceDeleted } from './snapshot-policy.ts';

/** A snapshot of the policy's, existing or to be taken by a run. */
export interface PolicySnapshotFact {
  /** Null for a snapshot a run of the window would take. */
  readonly snapshotId: string | null;
  readonly createdAt: string;
  readonly sizeBytes: number;
  readonly protected: boolean;
}

/** One of the policy's snapshots as the simulation sees it, and what retention decides for it. */
export type SimulatedSnapshot = Omit<PolicySnapshotFact, 'protected'> &
  (
    | { readonly decision: 'keep'; readonly rule: RetentionRule }
    | { readonly decision: 'protected' }
    | { readonly decision: 'prune' }
  );

/** The policy's snapshots of one slice at one moment, and what a full month of them costs. */
export interface SliceOutlook {
  /** Newest first; `prune` marks those the next run would prune. */
  readonly snapshots: readonly SimulatedSnapshot[];
  readonly monthlyCost: Money;
}

/** A target slice as the simulation finds it. */
export interface SimulationSlice {
  readonly sliceId: string;
  /** Null when no such slice exists in the account. */
  readonly sliceName: string | null;
  /** `gone`: deleted, or no such slice in the account; runs take nothing of it. */
  readonly status: 'active' | 'gone';
  /** What each of its snapshots would take: the bytes in use on its disk now. */
  readonly usedBytes: number;
  /** The policy's available snapshots of it, any order. */
  readonly existing: readonly PolicySnapshotFact[];
}

/** What a policy does to one slice over the window. */
export interface SliceSimulation {
  readonly sliceId: string;
  readonly sliceName: string | null;
  readonly status: 'active' | 'gone';
  readonly now: SliceOutlook;
  readonly endOfWindow: SliceOutlook & {
    /** Snapshots the window's runs take. */
    readonly taken: number;
    /** Snapshots the window's runs prune, existing ones and those the window took. */
    readonly pruned: number;
    /** The existing snapshots pruned within the window, with the run that prunes each. */
    readonly prunedExisting: readonly { readonly snapshotId: string; readonly prunedAt: string }[];
  };
}

/** A policy's simulation over a window: its runs, and per slice what is kept and what pruned. */
export interface PolicySimulation {
  readonly runs: readonly string[];
  readonly slices: readonly SliceSimulation[];
  /** A month of all the policy's snapshots: as they are, and as the window leaves them. */
  readonly monthlyCost: { readonly now: Money; readonly endOfWindow: Money };
}

interface Decided {
  readonly fact: PolicySnapshotFact;
  readonly snapshot: SimulatedSnapshot;
}

/** Retention's verdict on each snapshot, newest first, beside the snapshot it is about. */
function decide(snapshots: readonly PolicySnapshotFact[], retain: RetentionRules): Decided[] {
  // Candidates by position: a snapshot still to be taken has no id yet.
  const candidates: RetentionCandidate[] = snapshots.map((snapshot, index) => ({
    id: String(index).padStart(8, '0'),
    createdAt: snapshot.createdAt,
    protected: snapshot.protected,
  }));
  return applyRetention(retain, candidates).map((verdict) => {
    const fact = snapshots[Number(verdict.id)] as PolicySnapshotFact;
    const { protected: _, ...shown } = fact;
    const snapshot: SimulatedSnapshot =
      verdict.decision === 'keep'
        ? { ...shown, decision: 'keep', rule: verdict.rule }
        : { ...shown, decision: verdict.decision };
    return { fact, snapshot };
  });
}

function bytesOf(snapshots: readonly { readonly sizeBytes: number }[]): number {
  return snapshots.reduce((total, snapshot) => total + snapshot.sizeBytes, 0);
}

function outlook(snapshots: readonly PolicySnapshotFact[], retain: RetentionRules): SliceOutlook {
  return {
    snapshots: decide(snapshots, retain).map((decided) => decided.snapshot),
    monthlyCost: monthlyCostOf(bytesOf(snapshots)),
  };
}

/**
 * One slice through the window: each run takes a snapshot of an active slice, then prunes by the
 * rules (a slice that is gone is pruned only when the policy applies to deleted slices).
 */
function simulateSlice(
  slice: SimulationSlice,
  runs: readonly Date[],
  retain: RetentionRules,
  onSliceDeleted: OnSliceDeleted,
): SliceSimulation {
  const prunes = slice.status === 'active' || onSliceDeleted === 'apply';
  let held: PolicySnapshotFact[] = [...slice.existing];
  let taken = 0;
  let pruned = 0;
  const prunedExisting: { snapshotId: string; prunedAt: string }[] = [];
  for (const run of runs) {
    const at = toIsoTime(run);
    if (slice.status === 'active') {
      held.push({ snapshotId: null, createdAt: at, sizeBytes: slice.usedBytes, protected: false });
      taken += 1;
    }
    if (!prunes) continue;
    const decided = decide(held, retain);
    for (const { fact, snapshot } of decided) {
      if (snapshot.decision !== 'prune') continue;
      pruned += 1;
      if (fact.snapshotId !== null)
        prunedExisting.push({ snapshotId: fact.snapshotId, prunedAt: at });
    }
    held = decided.filter(({ snapshot }) => snapshot.decision !== 'prune').map(({ fact }) => fact);
  }
  return {
    sliceId: slice.sliceId,
    sliceName: slice.sliceName,
    status: slice.status,
    now: outlook(slice.existing, retain),
    endOfWindow: { ...outlook(held, retain), taken, pruned, prunedExisting },
  };
}

/**
 * What a policy would do over a window, without doing any of it: each run (`runs`, in order) takes
 * a snapshot of every active target slice the size of what its disk uses now, then prunes the
 * policy's snapshots of that slice by `retain`. Existing snapshots count from their own times.
 */
export function simulatePolicy(input: {
  readonly retain: RetentionRules;
  readonly onSliceDeleted: OnSliceDeleted;
  readonly runs: readonly Date[];
  readonly slices: readonly SimulationSlice[];
}): PolicySimulation {
  // Slices with none of the policy's snapshots yet fare alike when their sizes are alike (a new
  // selector policy over many slices): each such outcome is worked out once.
  const fresh = new Map<string, SliceSimulation>();
  const slices = input.slices.map((slice) => {
    if (slice.existing.length > 0) {
      return simulateSlice(slice, input.runs, input.retain, input.onSliceDeleted);
    }
    const key = `${slice.status}|${slice.usedBytes}`;
    const known =
      fresh.get(key) ?? simulateSlice(slice, input.runs, input.retain, input.onSliceDeleted);
    fresh.set(key, known);
    return { ...known, sliceId: slice.sliceId, sliceName: slice.sliceName };
  });
  const totalOf = (pick: (slice: SliceSimulation) => SliceOutlook) =>
    monthlyCostOf(bytesOf(slices.flatMap((slice) => pick(slice).snapshots)));
  return {
    runs: input.runs.map(toIsoTime),
    slices,
    monthlyCost: {
      now: totalOf((slice) => slice.now),
      endOfWindow: totalOf((slice) => slice.endOfWindow),
    },
  };
}
