import { scheduleExpressionOf } from '../../core/policies/policy-schedule.ts';
import type { SnapshotPolicy } from '../../core/policies/snapshot-policy.ts';
import type { PolicyScheduler } from '../../core/ports/policy-scheduler.ts';

/** A policy's schedule as it is kept: what starts the run, and whether it fires. */
export interface MemorySchedule {
  readonly accountId: string;
  readonly policyId: string;
  readonly expression: string;
  readonly enabled: boolean;
}

/** The policies' schedules in memory, by policy id, for tests to read. */
export class MemoryPolicyScheduler implements PolicyScheduler {
  readonly schedules = new Map<string, MemorySchedule>();

  async put(policy: SnapshotPolicy): Promise<void> {
    this.schedules.set(policy.id, {
      accountId: policy.accountId,
      policyId: policy.id,
      expression: scheduleExpressionOf(policy.schedule),
      enabled: policy.enabled,
    });
  }

  async remove(policyId: string): Promise<void> {
    this.schedules.delete(policyId);
  }
}
