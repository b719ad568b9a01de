import { parseLabelSelector } from '../labels/label-selector.ts';
import { type Labels, NO_LABELS, parseLabels } from '../labels/labels.ts';
import type { ScheduleCalendar } from '../ports/schedule-calendar.ts';
import { type InputIssue, InvalidInputError } from '../shared/domain-error.ts';
import { isResourceId } from '../shared/ids.ts';
import { nameIssues } from '../shared/names.ts';
import { type PolicySchedule, scheduleIssues } from './policy-schedule.ts';
import { MAX_RETAINED_PER_RULE, RETENTION_RULES, type RetentionRules } from './retention-rules.ts';

/** Most slices a policy may name one by one; a selector reaches any number. */
export const MAX_POLICY_SLICE_IDS = 100;

/** The slices a policy snapshots: named ones, or those a label selector selects at each run. */
export type PolicyTarget =
  | { readonly sliceIds: readonly string[] }
  | { readonly sliceSelector: string };

/**
 * What a policy does with the snapshots it took of a slice once the slice is deleted: `keep`
 * leaves them alone for good, `apply` goes on pruning them by its rules.
 */
export type OnSliceDeleted = 'keep' | 'apply';

/** A snapshot policy's settings, as a client gives them (all of them, unsaved or at create). */
export interface PolicySettings {
  readonly name: string;
  readonly enabled: boolean;
  readonly schedule: PolicySchedule;
  readonly target: PolicyTarget;
  readonly retain: RetentionRules;
  /** Whether its snapshots power the slice off; false, so a schedule never takes a machine down. */
  readonly powerOff: boolean;
  /** Put on every snapshot it takes, with `slice-snapshots/policy=<id>`. */
  readonly labels: Labels;
  readonly onSliceDeleted: OnSliceDeleted;
}

/**
 * A snapshot policy as stored: snapshots on a schedule, pruned by retention rules. It is edited in
 * place (never re-created) and its snapshots outlive it. `accountId` is never shown.
 */
export interface SnapshotPolicy extends PolicySettings {
  readonly id: string;
  readonly accountId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A policy's settings as a client sends them: every field optional but the four that say what it does. */
export interface PolicySettingsInput {
  readonly name: string;
  readonly enabled?: boolean | undefined;
  readonly schedule: PolicySchedule;
  readonly target: PolicyTarget;
  readonly retain: RetentionRules;
  readonly powerOff?: boolean | undefined;
  readonly labels?: Labels | undefined;
  readonly onSliceDeleted?: OnSliceDeleted | undefined;
}

/** A change to a policy: the fields given replace the policy's (labels too, whole). */
export type PolicyChanges = Partial<PolicySettings>;

function targetIssues(target: PolicyTarget): InputIssue[] {
  if ('sliceSelector' in target) {
    try {
      parseLabelSelector(target.sliceSelector);
      return [];
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return error.issues.map((issue) => ({ ...issue, path: 'target.sliceSelector' }));
    }
  }
  const issues: InputIssue[] = [];
  if (target.sliceIds.length === 0 || target.sliceIds.length > MAX_POLICY_SLICE_IDS) {
    issues.push({
      path: 'target.sliceIds',
      message: `must name 1 to ${MAX_POLICY_SLICE_IDS} slices`,
    });
  }
  if (new Set(target.sliceIds).size !== target.sliceIds.length) {
    issues.push({ path: 'target.sliceIds', message: 'must not name a slice twice' });
  }
  target.sliceIds.forEach((sliceId, index) => {
    if (!isResourceId('slice', sliceId)) {
      issues.push({ path: `target.sliceIds.${index}`, message: 'must be a slice id' });
    }
  });
  return issues;
}

function retainIssues(retain: RetentionRules): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const rule of RETENTION_RULES) {
    const count = retain[rule];
    if (count === undefined) continue;
    if (!Number.isInteger(count) || count < 0 || count > MAX_RETAINED_PER_RULE) {
      issues.push({
        path: `retain.${rule}`,
        message: `must be a whole number from 0 to ${MAX_RETAINED_PER_RULE}`,
      });
    }
  }
  if (!RETENTION_RULES.some((rule) => (retain[rule] ?? 0) > 0)) {
    issues.push({
      path: 'retain',
      message: `must keep something: at least one of ${RETENTION_RULES.join(', ')} above 0`,
    });
  }
  return issues;
}

/**
 * A policy's settings, checked whole; InvalidInputError naming every bad field. The schedule is
 * read by `calendar` (a cron must be one EventBridge Scheduler takes, fired at most hourly).
 */
export function checkPolicySettings(
  settings: PolicySettings,
  calendar: ScheduleCalendar,
): PolicySettings {
  const issues = [
    ...nameIssues(settings.name),
    ...scheduleIssues(settings.schedule, calendar),
    ...targetIssues(settings.target),
    ...retainIssues(settings.retain),
  ];
  if (issues.length > 0) throw new InvalidInputError(issues);
  return {
    ...settings,
    name: settings.name.trim(),
    labels: parseLabels(settings.labels),
  };
}

/** The settings a client's input means, with the defaults of the fields it left out. */
export function policySettingsOf(input: PolicySettingsInput): PolicySettings {
  return {
    name: input.name,
    enabled: input.enabled ?? true,
    schedule: input.schedule,
    target: input.target,
    retain: input.retain,
    powerOff: input.powerOff ?? false,
    labels: input.labels ?? NO_LABELS,
    onSliceDeleted: input.onSliceDeleted ?? 'keep',
  };
}

/** A new policy of `accountId` from a client's settings, checked. */
export function newSnapshotPolicy(input: {
  readonly id: string;
  readonly accountId: string;
  readonly settings: PolicySettingsInput;
  readonly calendar: ScheduleCalendar;
  readonly now: string;
}): SnapshotPolicy {
  const settings = checkPolicySettings(policySettingsOf(input.settings), input.calendar);
  return {
    id: input.id,
    accountId: input.accountId,
    ...settings,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** `policy` with `changes` applied and the result checked whole; the id and creation stay. */
export function changePolicy(
  policy: SnapshotPolicy,
  changes: PolicyChanges,
  calendar: ScheduleCalendar,
  now: string,
): SnapshotPolicy {
  const defined = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  ) as PolicyChanges;
  const { id, accountId, createdAt, updatedAt: _, ...current } = policy;
  const settings = checkPolicySettings({ ...current, ...defined }, calendar);
  return { id, accountId, createdAt, ...settings, updatedAt: now };
}

/** The label every snapshot a policy takes carries, naming the policy. */
export const POLICY_LABEL_KEY = 'slice-snapshots/policy';

/**
 * The label that names a policy on its snapshots: its id in lower case, since label values are
 * lower case (ids are ULIDs, whose letters mean the same in either case).
 */
export function policyLabelOf(policyId: string): Readonly<Record<string, string>> {
  return { [POLICY_LABEL_KEY]: policyId.toLowerCase() };
}
