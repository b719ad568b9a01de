import { type PolicySchedule, scheduledRuns } from '../policies/policy-schedule.ts';
import { type PolicySimulation, simulatePolicy } from '../policies/policy-simulation.ts';
import {
  checkPolicySettings,
  type PolicySettings,
  type PolicySettingsInput,
  policySettingsOf,
} from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';
import { InvalidInputError } from '../shared/domain-error.ts';
import { toIsoTime } from '../shared/time.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';
import { availablePolicySnapshots, policyTargetSlices } from './policy-targets.ts';

/** Days a simulation looks ahead when the client names none. */
export const DEFAULT_SIMULATION_DAYS = 30;
/** Most days a simulation looks ahead. */
export const MAX_SIMULATION_DAYS = 90;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A simulation and the window it covers. */
export interface SimulationResult extends PolicySimulation {
  /** The saved policy simulated; null for an unsaved one. */
  readonly policyId: string | null;
  readonly window: { readonly from: string; readonly to: string };
}

type Deps = Pick<Ports, 'policies' | 'slices' | 'snapshots' | 'calendar' | 'clock'>;

function windowDays(days: number | undefined): number {
  const value = days ?? DEFAULT_SIMULATION_DAYS;
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIMULATION_DAYS) {
    throw new InvalidInputError([
      { path: 'days', message: `must be a whole number from 1 to ${MAX_SIMULATION_DAYS}` },
    ]);
  }
  return value;
}

async function simulate(
  deps: Deps,
  input: {
    accountId: string;
    policyId: string | null;
    settings: PolicySettings;
    days: number | undefined;
  },
): Promise<SimulationResult> {
  const days = windowDays(input.days);
  const from = deps.clock.now();
  const to = new Date(from.getTime() + days * DAY_MS);
  const schedule: PolicySchedule = input.settings.schedule;
  // A disabled policy makes no run; nothing runs more often than hourly, so this bound holds all.
  const runs = input.settings.enabled
    ? scheduledRuns(schedule, deps.calendar, {
        after: from,
        until: to,
        max: Math.ceil((days * DAY_MS) / HOUR_MS) + 1,
      })
    : [];
  const targets = await policyTargetSlices(deps, input.accountId, input.settings.target);
  const slices = await Promise.all(
    targets.map(async ({ sliceId, slice }) => {
      const existing =
        input.policyId === null
          ? []
          : await availablePolicySnapshots(deps, input.accountId, sliceId, input.policyId);
      return {
        sliceId,
        sliceName: slice?.name ?? existing[0]?.sliceName ?? null,
        status: slice === null ? ('gone' as const) : ('active' as const),
        usedBytes: slice?.usedBytes ?? 0,
        existing: existing.map((snapshot) => ({
          snapshotId: snapshot.id,
          createdAt: snapshot.createdAt,
          sizeBytes: snapshot.sizeBytes,
          protected: snapshot.protected,
        })),
      };
    }),
  );
  const simulation = simulatePolicy({
    retain: input.settings.retain,
    onSliceDeleted: input.settings.onSliceDeleted,
    runs,
    slices,
  });
  return {
    policyId: input.policyId,
    window: { from: toIsoTime(from), to: toIsoTime(to) },
    ...simulation,
  };
}

/**
 * `POST /v1/snapshot-policies/{id}/simulate`: what the saved policy would do over the next `days`
 * (default 30): its runs, and per target slice which of its snapshots each rule keeps, which it
 * prunes, and the monthly cost now and at the window's end. Writes nothing.
 */
export async function simulateSnapshotPolicy(
  deps: Deps,
  input: { accountId: string; policyId: string; days?: number | undefined },
): Promise<SimulationResult> {
  const policy = await getSnapshotPolicy(deps, input);
  return simulate(deps, {
    accountId: input.accountId,
    policyId: policy.id,
    settings: policy,
    days: input.days,
  });
}

/**
 * `POST /v1/snapshot-policies/simulate`: the same for a policy not saved yet (it has taken no
 * snapshot, so only the window's runs are pruned), checked as a create would check it.
 */
export async function simulateUnsavedSnapshotPolicy(
  deps: Deps,
  input: { accountId: string; settings: PolicySettingsInput; days?: number | undefined },
): Promise<SimulationResult> {
  const settings = checkPolicySettings(policySettingsOf(input.settings), deps.calendar);
  return simulate(deps, {
    accountId: input.accountId,
    policyId: null,
    settings,
    days: input.days,
  });
}
