import type { SnapshotPolicy } from '../policies/snapshot-policy.ts';

/**
 * One schedule per snapshot policy, as EventBridge Scheduler keeps them: each starts the policy's
 * runs on its expression, in UTC, while the policy is enabled.
 */
export interface PolicyScheduler {
  /** Creates the policy's schedule, or replaces it: its expression, and enabled or not. */
  put(policy: SnapshotPolicy): Promise<void>;

  /** Deletes the policy's schedule; one that is gone already is no error. */
  remove(policyId: string): Promise<void>;
}
