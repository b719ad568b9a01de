import { describe, expect, it } from 'vitest';
import {
  labelChangesIssues,
  labelsIssues,
  MAX_LABELS,
  mergeLabels,
  parseLabels,
  sameLabels,
} from '../../../../core/labels/labels.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';

function manyLabels(count: number, prefix = 'k'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, 'v']));
}

describe('labelsIssues', () => {
  it.each(['a', 'env', 'team.example/owner', 'a-b_c.d/e', 'x'.repeat(63), '0'])(
    'accepts the key %j',
    (key) => {
      expect(labelsIssues({ [key]: 'value' })).toEqual([]);
    },
  );

  it.each([
    ['', 'key must be 1–63'],
    ['x'.repeat(64), 'key must be 1–63'],
    ['Env', 'key must be 1–63'],
    ['-env', 'starting and ending with a letter or digit'],
    ['env/', 'starting and ending with a letter or digit'],
    ['_env', 'starting and ending'],
    ['e nv', 'key must be'],
    ['é', 'key must be'],
  ])('refuses the key %j, naming it', (key, message) => {
    expect(labelsIssues({ [key]: 'v' })).toEqual([
      { path: `labels.${key}`, message: expect.stringContaining(message) },
    ]);
  });

  it.each(['', 'prod', '-x-', '_', 'a/b.c', 'v'.repeat(63)])('accepts the value %j', (value) => {
    expect(labelsIssues({ env: value })).toEqual([]);
  });

  it.each([
    ['v'.repeat(64), 'value must be 0–63'],
    ['Prod', 'value must be 0–63'],
    ['a b', 'value must be'],
    [5, 'must be a string'],
    [null, 'must be a string'],
  ])('refuses the value %j, naming its key', (value, message) => {
    expect(labelsIssues({ env: value })).toEqual([
      { path: 'labels.env', message: expect.stringContaining(message) },
    ]);
  });

  it('accepts 64 labels and refuses 65', () => {
    expect(labelsIssues(manyLabels(MAX_LABELS))).toEqual([]);
    expect(labelsIssues(manyLabels(MAX_LABELS + 1))).toEqual([
      { path: 'labels', message: 'must hold at most 64 labels (got 65)' },
    ]);
  });

  it('names every bad entry at once, under the path given', () => {
    const issues = labelsIssues({ Bad: 'x', good: 'ok', env: 'Prod' }, 'body.labels');

    expect(issues.map((issue) => issue.path)).toEqual(['body.labels.Bad', 'body.labels.env']);
  });

  it('refuses what is not an object', () => {
    for (const raw of [null, [], 'env=prod', 3]) {
      expect(labelsIssues(raw)).toEqual([
        { path: 'labels', message: 'must be an object of key–value pairs' },
      ]);
    }
  });
});

describe('mergeLabels', () => {
  it('sets, replaces and removes the keys named, and keeps the others', () => {
    const current = { env: 'prod', team: 'web', tier: 'gold' };

    const merged = mergeLabels(current, { env: 'staging', team: null, owner: 'ops' });

    expect(merged).toEqual({ env: 'staging', tier: 'gold', owner: 'ops' });
    expect(current).toEqual({ env: 'prod', team: 'web', tier: 'gold' });
  });

  it('ignores the removal of a key that is not there', () => {
    expect(mergeLabels({ env: 'prod' }, { gone: null })).toEqual({ env: 'prod' });
  });

  it('refuses a change that would leave more than 64 labels', () => {
    const current = manyLabels(60);

    expect(mergeLabels(current, { ...manyLabels(4, 'n'), k0: null, k1: null })).toHaveProperty(
      'n3',
    );
    expect(() => mergeLabels(current, manyLabels(5, 'n'))).toThrow(
      'labels: would leave 65 labels; a resource holds at most 64',
    );
  });

  it('refuses a malformed change, naming the entry, and accepts null only as a removal', () => {
    expect(labelChangesIssues({ env: null, Bad: null, tier: 3 })).toEqual([
      { path: 'labels.Bad', message: expect.stringContaining('key must be') },
      { path: 'labels.tier', message: 'must be a string or null' },
    ]);
    expect(() => mergeLabels({}, { Bad: 'x' })).toThrow(InvalidInputError);
  });
});

describe('parseLabels and sameLabels', () => {
  it('copies valid labels and refuses invalid ones', () => {
    const raw = { env: 'prod' };

    const parsed = parseLabels(raw);

    expect(parsed).toEqual(raw);
    expect(parsed).not.toBe(raw);
    expect(() => parseLabels({ env: 'Prod' })).toThrow(InvalidInputError);
  });

  it('compares contents, not order or identity', () => {
    expect(sameLabels({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameLabels({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameLabels({ a: '1' }, { a: '1', b: '' })).toBe(false);
    expect(sameLabels({ constructor: 'x' }, { other: 'x' })).toBe(false);
  });
});
