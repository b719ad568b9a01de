import type {
  PolicyRetain,
  PolicyRun,
  PolicySchedule,
  PolicyTarget,
  SimulatedSnapshot,
} from '../../api/client.ts';
import { explainOperationError } from '../../api/problem-words.ts';

/** The retention rules, in the order the API applies them. */
export const RETAIN_RULES = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type RetainRule = (typeof RETAIN_RULES)[number];

/** What each rule keeps, as a form label and in sentences. */
export const RETAIN_RULE_WORDS: Record<RetainRule, { label: string; period: string }> = {
  last: { label: 'Last', period: 'newest' },
  hourly: { label: 'Hourly', period: 'hour' },
  daily: { label: 'Daily', period: 'day' },
  weekly: { label: 'Weekly', period: 'ISO week' },
  monthly: { label: 'Monthly', period: 'month' },
  yearly: { label: 'Yearly', period: 'year' },
};

export type Every = Extract<PolicySchedule, { every: string }>['every'];

export const EVERY_WORDS: Record<Every, string> = {
  '1h': 'Every hour',
  '2h': 'Every 2 hours',
  '3h': 'Every 3 hours',
  '4h': 'Every 4 hours',
  '6h': 'Every 6 hours',
  '8h': 'Every 8 hours',
  '12h': 'Every 12 hours',
  '1d': 'Every day',
  '7d': 'Every week (Mondays)',
};

/** A schedule in words, in UTC: "Every 6 hours from 01:30 UTC", "Daily at 02:30 UTC". */
export function scheduleText(schedule: PolicySchedule): string {
  if ('cron' in schedule) return `${schedule.cron}, UTC`;
  const at = schedule.at ?? '00:00';
  switch (schedule.every) {
    case '1h':
      return `Every hour at minute ${Number(at.slice(3))}`;
    case '1d':
      return `Daily at ${at} UTC`;
    case '7d':
      return `Weekly on Mondays at ${at} UTC`;
    default:
      return `${EVERY_WORDS[schedule.every]} from ${at} UTC`;
  }
}

/** A target in words, naming the slices where their names are known. */
export function targetText(target: PolicyTarget, sliceNames: ReadonlyMap<string, string>): string {
  if ('sliceSelector' in target) return `Slices matching ${target.sliceSelector}`;
  const names = target.sliceIds.map((id) => sliceNames.get(id) ?? id);
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

/** The retention rules in words: "last 3, 7 daily, 4 weekly". */
export function retainText(retain: PolicyRetain): string {
  const parts = RETAIN_RULES.flatMap((rule) => {
    const count = retain[rule];
    if (!count) return [];
    return [rule === 'last' ? `last ${count}` : `${count} ${rule}`];
  });
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

/** Why Run now is disabled while a run of the policy goes. */
export const RUN_GOING_REASON =
  'A run of this policy is going: Run now is possible once it has finished.';

/** Why a run skipped a slice. */
export const SKIP_REASON_WORDS: Record<PolicyRun['skipped'][number]['reason'], string> = {
  'slice-busy': 'the slice stayed busy with another operation',
  'slice-gone': 'the slice is deleted',
  'slice-not-active': 'the slice is not active',
};

/**
 * What ended a run early, in words. The codes a run's own end records are told as a run's; what
 * the snapshots were put back to does not apply, since what the run took stays.
 */
const RUN_ERROR_WORDS: Record<string, string> = {
  WORKFLOW_ABORTED: 'The run was stopped before it went through its slices.',
  WORKFLOW_TIMED_OUT: 'The run did not finish within its 8 hours and was ended.',
  WORKFLOW_FAILED: 'The run failed before it went through its slices.',
};

const RUN_ERROR_ACTION =
  'Snapshots it took or began stay. Choose Run now to run it again, or wait for its next run.';

/** Why a run ended before it went through its slices, and what to do. */
export function runErrorText(error: NonNullable<PolicyRun['error']>): string {
  const summary = RUN_ERROR_WORDS[error.code] ?? explainOperationError(error).summary;
  return `${summary} ${RUN_ERROR_ACTION}`;
}

/** What the simulation decided for a snapshot, in words. */
export function decisionText(snapshot: Pick<SimulatedSnapshot, 'decision' | 'rule'>): string {
  if (snapshot.decision === 'protected') return 'Kept: protected';
  if (snapshot.decision === 'prune') return 'Pruned by the next run';
  if (!snapshot.rule) return 'Kept';
  return snapshot.rule === 'last' ? 'Kept by last' : `Kept by ${snapshot.rule}`;
}
