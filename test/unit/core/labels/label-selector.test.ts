import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidLabelSelectorError } from '../../../../core/labels/label-errors.ts';
import {
  formatLabelSelector,
  type LabelRequirement,
  matchesLabelSelector,
  parseLabelSelector,
} from '../../../../core/labels/label-selector.ts';
import type { Labels } from '../../../../core/labels/labels.ts';

/**
 * The reference: a deliberately naive evaluator of well-formed selector text, written apart from
 * the parser (split on top-level commas, one regular expression per form) so that the two can be
 * compared on any generated selector.
 */
function referenceMatches(text: string, labels: Labels): boolean {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  if (parts.length === 1 && parts[0]?.trim() === '') return true;
  const has = (key: string) => Object.hasOwn(labels, key);
  const setOf = (list: string) => list.split(',').map((value) => value.trim());
  return parts.every((raw) => {
    const part = raw.trim();
    let match = /^!\s*(\S+)$/.exec(part);
    if (match) return !has(match[1] ?? '');
    match = /^(\S+?)\s+notin\s*\((.*)\)$/.exec(part);
    if (match) {
      const key = match[1] ?? '';
      return !has(key) || !setOf(match[2] ?? '').includes(labels[key] ?? '');
    }
    match = /^(\S+?)\s+in\s*\((.*)\)$/.exec(part);
    if (match) {
      const key = match[1] ?? '';
      return has(key) && setOf(match[2] ?? '').includes(labels[key] ?? '');
    }
    match = /^(\S+?)\s*!=\s*(\S*)$/.exec(part);
    if (match) return !has(match[1] ?? '') || labels[match[1] ?? ''] !== match[2];
    match = /^(\S+?)\s*==?\s*(\S*)$/.exec(part);
    if (match) return has(match[1] ?? '') && labels[match[1] ?? ''] === match[2];
    return has(part);
  });
}

// Few keys and values, so that generated labels and selectors often meet.
const KEYS = ['env', 'team.example/owner', 'a', 'tier-1', 'in', 'notin', 'constructor', 'x_9'];
const VALUES = ['prod', 'dev', 'a.b', 'x/y', '0', 'notin'];

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);
const maybeEmptyValue = fc.oneof(value, fc.constant(''));
const spaces = fc.constantFrom('', ' ', '  ', '\t');
const someSpace = fc.constantFrom(' ', '  ', '\t ');

const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
  fc.record({ key, operator: fc.constant('equals' as const), value: maybeEmptyValue }),
  fc.record({ key, operator: fc.constant('notEquals' as const), value: maybeEmptyValue }),
  fc.record({ key, operator: fc.constant('exists' as const) }),
  fc.record({ key, operator: fc.constant('notExists' as const) }),
  fc.record({
    key,
    operator: fc.constant('in' as const),
    values: fc.array(value, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    key,
    operator: fc.constant('notIn' as const),
    values: fc.array(value, { minLength: 1, maxLength: 4 }),
  }),
);

/** One requirement written the way a user might: either equals sign, any spacing allowed. */
function spelled(req: LabelRequirement): fc.Arbitrary<string> {
  switch (req.operator) {
    case 'equals':
      return fc
        .tuple(spaces, fc.constantFrom('==', '='), spaces)
        .map(([a, op, b]) => `${req.key}${a}${op}${b}${req.value}`);
    case 'notEquals':
      return fc.tuple(spaces, spaces).map(([a, b]) => `${req.key}${a}!=${b}${req.value}`);
    case 'exists':
      return fc.constant(req.key);
    case 'notExists':
      return spaces.map((a) => `!${a}${req.key}`);
    case 'in':
    case 'notIn': {
      const word = req.operator === 'in' ? 'in' : 'notin';
      return fc
        .tuple(
          someSpace,
          spaces,
          fc.array(fc.tuple(spaces, spaces), { minLength: 4, maxLength: 4 }),
        )
        .map(([before, after, around]) => {
          const set = req.values
            .map((each, i) => `${around[i]?.[0] ?? ''}${each}${around[i]?.[1] ?? ''}`)
            .join(',');
          return `${req.key}${before}${word}${after}(${set})`;
        });
    }
  }
}

const selector = fc.array(requirement, { minLength: 1, maxLength: 5 }).chain((requirements) =>
  fc.tuple(...requirements.map(spelled)).chain((texts) =>
    fc
      .array(fc.tuple(spaces, spaces), { minLength: texts.length + 1, maxLength: texts.length + 1 })
      .map((gaps) => ({
        requirements,
        texts,
        // Spaces before and after every comma, and around the whole selector.
        text: texts
          .map((text, i) => `${gaps[i]?.[1] ?? ''}${text}${gaps[i + 1]?.[0] ?? ''}`)
          .join(','),
      })),
  ),
);

const labels: fc.Arbitrary<Labels> = fc.dictionary(key, maybeEmptyValue, { maxKeys: 6 });

function normalized(requirements: readonly LabelRequirement[]): LabelRequirement[] {
  return requirements.map((each) => ({ ...each }));
}

describe('parseLabelSelector', () => {
  it('agrees with the reference evaluator on every generated selector and label set', () => {
    fc.assert(
      fc.property(selector, labels, ({ text }, labelSet) => {
        expect(matchesLabelSelector(parseLabelSelector(text), labelSet)).toBe(
          referenceMatches(text, labelSet),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what it was given, however it was spaced', () => {
    fc.assert(
      fc.property(selector, ({ requirements, text }) => {
        const parsed = parseLabelSelector(text);

        expect(parsed.requirements).toEqual(normalized(requirements));
        expect(parseLabelSelector(formatLabelSelector(parsed))).toEqual(parsed);
      }),
      { numRuns: 1000 },
    );
  });

  it('names the position of a character that cannot be read, wherever it is put', () => {
    const garbage = fc.constantFrom('#', 'A', '~', ';', '"', '&', 'é', '*');
    fc.assert(
      fc.property(selector, garbage, fc.nat(), fc.boolean(), (generated, bad, pick, atEnd) => {
        // Between requirements, at the start or the end of one of them.
        const index = pick % generated.texts.length;
        const before = generated.texts
          .slice(0, index)
          .map((text) => `${text},`)
          .join('');
        const at = before.length + (atEnd ? (generated.texts[index]?.length ?? 0) : 0);
        const joined = generated.texts.join(',');
        const text = `${joined.slice(0, at)}${bad}${joined.slice(at)}`;

        const attempt = () => parseLabelSelector(text);

        expect(attempt).toThrow(InvalidLabelSelectorError);
        try {
          attempt();
        } catch (error) {
          expect((error as InvalidLabelSelectorError).position).toBe(at + 1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('either parses any text or refuses it with a position inside it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          parseLabelSelector(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidLabelSelectorError);
          const { position } = error as InvalidLabelSelectorError;
          expect(position).toBeGreaterThanOrEqual(1);
          expect(position).toBeLessThanOrEqual(text.length + 1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['env==prod', [{ key: 'env', operator: 'equals', value: 'prod' }]],
    ['env=prod', [{ key: 'env', operator: 'equals', value: 'prod' }]],
    ['env==', [{ key: 'env', operator: 'equals', value: '' }]],
    ['env=', [{ key: 'env', operator: 'equals', value: '' }]],
    ['env!=prod', [{ key: 'env', operator: 'notEquals', value: 'prod' }]],
    ['env', [{ key: 'env', operator: 'exists' }]],
    ['!env', [{ key: 'env', operator: 'notExists' }]],
    ['env in (prod,dev)', [{ key: 'env', operator: 'in', values: ['prod', 'dev'] }]],
    ['env notin (prod)', [{ key: 'env', operator: 'notIn', values: ['prod'] }]],
    ['in in (in)', [{ key: 'in', operator: 'in', values: ['in'] }]],
    [
      'team.example/owner==ops, !legacy',
      [
        { key: 'team.example/owner', operator: 'equals', value: 'ops' },
        { key: 'legacy', operator: 'notExists' },
      ],
    ],
    ['', []],
    ['   ', []],
  ])('reads %j', (text, requirements) => {
    expect(parseLabelSelector(text).requirements).toEqual(requirements);
  });

  it.each([
    ['Env==prod', 1, 'expected a label key', undefined],
    ['env==Prod', 6, 'expected "," or the end', undefined],
    ['env==prod,', 11, 'expected a label key', 'the end'],
    ['-env', 1, 'the label key "-env" must be 1–63 characters', undefined],
    ['env-', 1, 'starting and ending with a letter or digit', undefined],
    [`${'k'.repeat(64)}`, 1, 'must be 1–63 characters', undefined],
    [`env==${'v'.repeat(64)}`, 6, 'the value', undefined],
    ['env in (prod', 13, 'expected "," or ")"', 'the end'],
    ['env in ()', 9, 'expected a value', '")"'],
    ['env in (a,,b)', 11, 'expected a value', '","'],
    ['env in prod', 8, 'expected "("', '"p"'],
    ['envin(a)', 6, 'a space before "in"', '"("'],
    ['envin (a)', 7, 'expected "==", "=", "!=", "in", "notin"', '"("'],
    ['env ~ prod', 5, 'expected "==", "=", "!=", "in", "notin"', '"~"'],
    ['env == prod, , x', 14, 'expected a label key', '","'],
    ['!', 2, 'expected a label key', 'the end'],
    ['a==b c', 6, 'expected "," or the end', '"c"'],
  ])('refuses %j at position %i', (text, position, message, found) => {
    const attempt = () => parseLabelSelector(text);

    expect(attempt).toThrow(InvalidLabelSelectorError);
    try {
      attempt();
    } catch (error) {
      const refused = error as InvalidLabelSelectorError;
      expect(refused.position).toBe(position);
      expect(refused.issues).toEqual([
        { path: 'labelSelector', message: expect.stringContaining(message) },
      ]);
      expect(refused.message).toContain(`position ${position}`);
      if (found) expect(refused.message).toContain(`(${found})`);
    }
  });

  it('refuses a selector longer than 1024 characters', () => {
    const text = Array.from({ length: 300 }, () => 'abcd').join(',');

    expect(() => parseLabelSelector(text)).toThrow(/at most 1024 characters/);
  });
});

describe('matchesLabelSelector', () => {
  const labelled = { env: 'prod', 'team.example/owner': 'ops', empty: '' };
  const matches = (text: string, on: Labels = labelled) =>
    matchesLabelSelector(parseLabelSelector(text), on);

  it('selects by equality, inequality, existence, absence and sets', () => {
    expect(matches('env==prod')).toBe(true);
    expect(matches('env==dev')).toBe(false);
    expect(matches('env!=dev')).toBe(true);
    expect(matches('env!=prod')).toBe(false);
    expect(matches('empty==')).toBe(true);
    expect(matches('team.example/owner')).toBe(true);
    expect(matches('!team.example/owner')).toBe(false);
    expect(matches('env in (dev,prod)')).toBe(true);
    expect(matches('env notin (dev,prod)')).toBe(false);
  });

  it('lets a resource without the key meet != and notin, as Kubernetes does', () => {
    expect(matches('tier!=gold')).toBe(true);
    expect(matches('tier notin (gold)')).toBe(true);
    expect(matches('tier==gold')).toBe(false);
    expect(matches('tier in (gold)')).toBe(false);
  });

  it('joins requirements with AND', () => {
    expect(matches('env==prod,team.example/owner==ops')).toBe(true);
    expect(matches('env==prod,team.example/owner==dev')).toBe(false);
  });

  it('never takes an inherited property for a label', () => {
    expect(matches('constructor', {})).toBe(false);
    expect(matches('!constructor', {})).toBe(true);
  });

  it('selects everything with an empty selector', () => {
    expect(matches('', {})).toBe(true);
  });
});
