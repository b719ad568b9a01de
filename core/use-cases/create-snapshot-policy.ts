import {
  newSnapshotPolicy,
  type PolicySettingsInput,
  type SnapshotPolicy,
} from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';

/**
 * `POST /v1/snapshot-policies`: a new policy of the caller's account (InvalidInputError naming
 * every bad field), with its schedule. Its slices are not looked up here: named slices are checked
 * at each run, and a slice of another account is never found then. A schedule that cannot be made
 * takes the policy back: no policy is left that would never run.
 */
export async function createSnapshotPolicy(
  deps: Pick<Ports, 'policies' | 'policySchedules' | 'calendar' | 'clock' | 'ids'>,
  input: { accountId: string; settings: PolicySettingsInput },
): Promise<SnapshotPolicy> {
  const policy = newSnapshotPolicy({
    id: deps.ids.next('policy'),
    accountId: input.accountId,
    settings: input.settings,
    calendar: deps.calendar,
    now: toIsoTime(deps.clock.now()),
  });
  await deps.policies.create(policy);
  try {
    await deps.policySchedules.put(policy);
  } catch (error) {
    await deps.policies.delete(policy.accountId, policy.id);
    throw error;
  }
  return policy;
}
