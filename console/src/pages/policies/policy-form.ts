import type {
  CreateSnapshotPolicyRequest,
  PolicyRetain,
  SnapshotPolicy,
} from '../../api/client.ts';
import {
  type LabelRow,
  labelRowsOf,
  labelRowsValid,
  labelsOfRows,
} from '../../components/labels-editor.tsx';
import { type Every, RETAIN_RULES, type RetainRule } from './policy-words.ts';

/** The policy form as typed: every field a string or a choice, turned into a body when sent. */
export interface PolicyForm {
  readonly name: string;
  readonly enabled: boolean;
  readonly scheduleKind: 'every' | 'cron';
  readonly every: Every;
  /** HH:MM in UTC, or empty for the API's default (00:00). */
  readonly at: string;
  readonly cron: string;
  readonly targetKind: 'sliceIds' | 'sliceSelector';
  readonly sliceIds: readonly string[];
  readonly sliceSelector: string;
  /** Each rule's count as typed; empty leaves the rule out. */
  readonly retain: Readonly<Record<RetainRule, string>>;
  readonly powerOff: boolean;
  readonly labels: readonly LabelRow[];
  readonly onSliceDeleted: 'keep' | 'apply';
}

export type PolicyFormField =
  | 'name'
  | 'at'
  | 'cron'
  | 'sliceIds'
  | 'sliceSelector'
  | 'retain'
  | RetainRule
  | 'labels';

export type PolicyFormErrors = Partial<Record<PolicyFormField, string>>;

/** The API's limits (README, Snapshot policies). */
const MAX_NAME = 255;
export const MAX_TARGET_SLICES = 100;
const AT = /^([01]\d|2[0-3]):[0-5]\d$/;
const CRON = /^cron\((.*)\)$/;

const NO_RETAIN: Record<RetainRule, string> = {
  last: '',
  hourly: '',
  daily: '',
  weekly: '',
  monthly: '',
  yearly: '',
};

/** A new policy as the form first offers it: daily at midnight, the last 7 kept. */
export function emptyPolicyForm(): PolicyForm {
  return {
    name: '',
    enabled: true,
    scheduleKind: 'every',
    every: '1d',
    at: '',
    cron: '',
    targetKind: 'sliceIds',
    sliceIds: [],
    sliceSelector: '',
    retain: { ...NO_RETAIN, last: '7' },
    powerOff: false,
    labels: [],
    onSliceDeleted: 'keep',
  };
}

/** The form of a saved policy, for editing it. */
export function policyFormOf(policy: SnapshotPolicy): PolicyForm {
  const { schedule, target } = policy;
  const retain = { ...NO_RETAIN };
  for (const rule of RETAIN_RULES) {
    const count = policy.retain[rule];
    if (count !== undefined) retain[rule] = String(count);
  }
  return {
    ...emptyPolicyForm(),
    name: policy.name,
    enabled: policy.enabled,
    ...('cron' in schedule
      ? { scheduleKind: 'cron' as const, cron: schedule.cron }
      : { scheduleKind: 'every' as const, every: schedule.every, at: schedule.at ?? '' }),
    ...('sliceSelector' in target
      ? { targetKind: 'sliceSelector' as const, sliceSelector: target.sliceSelector }
      : { targetKind: 'sliceIds' as const, sliceIds: target.sliceIds }),
    retain,
    powerOff: policy.powerOff,
    labels: labelRowsOf(policy.labels),
    onSliceDeleted: policy.onSliceDeleted,
  };
}

function wholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Why a cron expression cannot be a policy's schedule, or undefined when it may be. */
function cronError(cron: string): string | undefined {
  const inner = CRON.exec(cron.trim())?.[1];
  if (inner === undefined)
    return 'Write it as cron(minutes hours day-of-month month day-of-week year).';
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6) return 'A cron expression has six fields.';
  if (!/^\d{1,2}$/.test(fields[0] ?? '') || Number(fields[0]) > 59) {
    return 'The minutes field must be a single minute, 0 to 59: nothing runs more often than hourly.';
  }
  return undefined;
}

/**
 * What is wrong with the form, field by field, before anything is sent; empty when the API would
 * accept it as far as the form can tell (the API checks the rest, and its answer names the field).
 */
export function validatePolicyForm(form: PolicyForm): PolicyFormErrors {
  const errors: PolicyFormErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Enter a name.';
  else if (name.length > MAX_NAME) errors.name = `Up to ${MAX_NAME} characters.`;
  if (form.scheduleKind === 'every') {
    if (form.at.trim() !== '' && !AT.test(form.at.trim())) {
      errors.at = 'A time of day as HH:MM, from 00:00 to 23:59.';
    }
  } else {
    const error = cronError(form.cron);
    if (error) errors.cron = error;
  }
  if (form.targetKind === 'sliceIds') {
    if (form.sliceIds.length === 0) errors.sliceIds = 'Choose at least one slice.';
    else if (form.sliceIds.length > MAX_TARGET_SLICES) {
      errors.sliceIds = `Up to ${MAX_TARGET_SLICES} slices; a label selector takes any number.`;
    }
  } else if (form.sliceSelector.trim() === '') {
    errors.sliceSelector = 'Enter a label selector, as env==prod.';
  }
  let anyKept = false;
  for (const rule of RETAIN_RULES) {
    const text = form.retain[rule];
    if (text.trim() === '') continue;
    const count = wholeNumber(text);
    if (count === undefined) errors[rule] = 'A whole number, 0 or more.';
    else if (count > 0) anyKept = true;
  }
  if (!anyKept) errors.retain = 'Keep at least one snapshot: give one rule a number above 0.';
  if (!labelRowsValid(form.labels)) errors.labels = 'Correct the labels marked below.';
  return errors;
}

/** Whether the form has nothing wrong that it can tell. */
export function isPolicyFormValid(form: PolicyForm): boolean {
  return Object.keys(validatePolicyForm(form)).length === 0;
}

/** The body of a create (and of a simulation of an unsaved policy) that the form stands for. */
export function policyBody(form: PolicyForm): CreateSnapshotPolicyRequest {
  const retain: PolicyRetain = {};
  for (const rule of RETAIN_RULES) {
    const count = wholeNumber(form.retain[rule]);
    if (count !== undefined) retain[rule] = count;
  }
  const at = form.at.trim();
  return {
    name: form.name.trim(),
    enabled: form.enabled,
    schedule:
      form.scheduleKind === 'cron'
        ? { cron: form.cron.trim() }
        : { every: form.every, ...(at ? { at } : {}) },
    target:
      form.targetKind === 'sliceIds'
        ? { sliceIds: [...form.sliceIds] }
        : { sliceSelector: form.sliceSelector.trim() },
    retain,
    powerOff: form.powerOff,
    labels: labelsOfRows(form.labels),
    onSliceDeleted: form.onSliceDeleted,
  };
}

/** The form's fields as the API names them in a 400's errors, for ProblemAlert. */
export const POLICY_FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  enabled: 'Enabled',
  schedule: 'Schedule',
  'schedule.every': 'Every',
  'schedule.at': 'At (UTC)',
  'schedule.cron': 'Cron expression',
  target: 'Target',
  'target.sliceIds': 'Slices',
  'target.sliceSelector': 'Label selector',
  retain: 'Keep',
  powerOff: 'Power off for each snapshot',
  labels: 'Labels',
  onSliceDeleted: 'When a slice is deleted',
  days: 'Days',
};
