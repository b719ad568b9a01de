import { describe, expect, it } from 'vitest';
import {
  emptyPolicyForm,
  type PolicyForm,
  policyBody,
  policyFormOf,
  validatePolicyForm,
} from '../../console/src/pages/policies/policy-form.ts';
import {
  retainText,
  scheduleText,
  targetText,
} from '../../console/src/pages/policies/policy-words.ts';
import { aPolicy } from './support/records.ts';

const SLICE = 'slc_01JD3QY8W7T2B6G0ZC4M9X5K1E';

function aForm(overrides: Partial<PolicyForm> = {}): PolicyForm {
  return { ...emptyPolicyForm(), name: 'nightly', sliceIds: [SLICE], ...overrides };
}

describe('validatePolicyForm', () => {
  it('accepts a named daily policy of one slice that keeps the last 7', () => {
    expect(validatePolicyForm(aForm())).toEqual({});
  });

  it('names each field that is wrong', () => {
    const errors = validatePolicyForm(
      aForm({
        name: '   ',
        at: '24:00',
        sliceIds: [],
        retain: { last: '0', hourly: '', daily: '1.5', weekly: '', monthly: '', yearly: '' },
        labels: [{ key: 'Env', value: 'prod' }],
      }),
    );

    expect(errors).toEqual({
      name: 'Enter a name.',
      at: 'A time of day as HH:MM, from 00:00 to 23:59.',
      sliceIds: 'Choose at least one slice.',
      daily: 'A whole number, 0 or more.',
      retain: 'Keep at least one snapshot: give one rule a number above 0.',
      labels: 'Correct the labels marked below.',
    });
  });

  it('refuses a cron expression that fires more often than hourly, or is not one', () => {
    const cron = (expression: string) =>
      validatePolicyForm(aForm({ scheduleKind: 'cron', cron: expression })).cron;

    expect(cron('cron(15 3 ? * MON-FRI *)')).toBeUndefined();
    expect(cron('cron(0/15 * * * ? *)')).toMatch(/single minute.*more often than hourly/);
    expect(cron('cron(0 3 * * ?)')).toBe('A cron expression has six fields.');
    expect(cron('15 3 ? * MON-FRI *')).toMatch(/^Write it as cron\(/);
  });

  it('wants a selector when the target is slices with labels', () => {
    const errors = validatePolicyForm(
      aForm({ targetKind: 'sliceSelector', sliceIds: [], sliceSelector: ' ' }),
    );

    expect(errors).toEqual({ sliceSelector: 'Enter a label selector, as env==prod.' });
  });
});

describe('policyBody', () => {
  it('sends what was typed, trimmed, leaving out the rules left empty', () => {
    const body = policyBody(
      aForm({
        name: ' prod hourly ',
        every: '6h',
        at: '01:30',
        retain: { last: '3', hourly: '', daily: '7', weekly: '4', monthly: '', yearly: '' },
        labels: [{ key: 'tier', value: 'gold' }],
        powerOff: true,
        onSliceDeleted: 'apply',
      }),
    );

    expect(body).toEqual({
      name: 'prod hourly',
      enabled: true,
      schedule: { every: '6h', at: '01:30' },
      target: { sliceIds: [SLICE] },
      retain: { last: 3, daily: 7, weekly: 4 },
      powerOff: true,
      labels: { tier: 'gold' },
      onSliceDeleted: 'apply',
    });
  });

  it('sends a cron schedule and a selector target as they are chosen', () => {
    const body = policyBody(
      aForm({
        scheduleKind: 'cron',
        cron: ' cron(15 3 ? * MON-FRI *) ',
        targetKind: 'sliceSelector',
        sliceSelector: 'env==prod',
      }),
    );

    expect(body.schedule).toEqual({ cron: 'cron(15 3 ? * MON-FRI *)' });
    expect(body.target).toEqual({ sliceSelector: 'env==prod' });
  });

  it('gives back the saved policy it was filled from', () => {
    const policy = aPolicy({ schedule: { every: '6h', at: '01:30' }, powerOff: true });

    const body = policyBody(policyFormOf(policy));

    expect(body).toEqual({
      name: policy.name,
      enabled: policy.enabled,
      schedule: policy.schedule,
      target: policy.target,
      retain: policy.retain,
      powerOff: true,
      labels: policy.labels,
      onSliceDeleted: policy.onSliceDeleted,
    });
  });
});

describe('policy words', () => {
  it('say schedules, targets and rules in plain words', () => {
    expect(scheduleText({ every: '1h' })).toBe('Every hour at minute 0');
    expect(scheduleText({ every: '6h', at: '01:30' })).toBe('Every 6 hours from 01:30 UTC');
    expect(scheduleText({ every: '1d', at: '02:30' })).toBe('Daily at 02:30 UTC');
    expect(scheduleText({ every: '7d' })).toBe('Weekly on Mondays at 00:00 UTC');
    expect(scheduleText({ cron: 'cron(15 3 ? * MON-FRI *)' })).toBe(
      'cron(15 3 ? * MON-FRI *), UTC',
    );
    expect(targetText({ sliceIds: [SLICE, 'slc_gone'] }, new Map([[SLICE, 'web-1']]))).toBe(
      'web-1, slc_gone',
    );
    expect(targetText({ sliceSelector: 'env==prod' }, new Map())).toBe('Slices matching env==prod');
    expect(retainText({ weekly: 4, last: 3, daily: 7, monthly: 0 })).toBe(
      'last 3, 7 daily, 4 weekly',
    );
  });
});
