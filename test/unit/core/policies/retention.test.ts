import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRetention, type RetentionCandidate } from '../../../../core/policies/retention.ts';
import { isoWeekOf, retentionPeriodOf } from '../../../../core/policies/retention-periods.ts';
import {
  RETENTION_RULES,
  type RetentionRule,
  type RetentionRules,
} from '../../../../core/policies/retention-rules.ts';
import { referencePrune } from './pbs-prune-reference.ts';

const HOUR_MS = 3_600_000;
const START = Date.UTC(2025, 10, 20);

/** Snapshots spread over up to ~14 months across a year's end, some minutes apart, some protected. */
const arbitraryCandidates = fc
  .array(
    fc.record({
      offsetMinutes: fc.oneof(
        fc.integer({ min: 0, max: 72 * 60 }),
        fc.integer({ min: 0, max: 420 * 24 * 60 }),
      ),
      protected: fc.integer({ min: 0, max: 6 }).map((roll) => roll === 0),
    }),
    { maxLength: 60 },
  )
  .map((drafts) =>
    drafts.map(
      (draft, index): RetentionCandidate => ({
        id: `snp_${String(index).padStart(3, '0')}`,
        createdAt: new Date(START + draft.offsetMinutes * 60_000).toISOString(),
        protected: draft.protected,
      }),
    ),
  );

const arbitraryRules = fc
  .record(
    {
      last: fc.integer({ min: 0, max: 5 }),
      hourly: fc.integer({ min: 0, max: 6 }),
      daily: fc.integer({ min: 0, max: 8 }),
      weekly: fc.integer({ min: 0, max: 5 }),
      monthly: fc.integer({ min: 0, max: 6 }),
      yearly: fc.integer({ min: 0, max: 3 }),
    },
    { requiredKeys: [] },
  )
  .filter((rules) =>
    Object.values(rules).some((count) => count > 0),
  ) as fc.Arbitrary<RetentionRules>;

function keptIds(rules: RetentionRules, candidates: readonly RetentionCandidate[]): Set<string> {
  return new Set(
    applyRetention(rules, candidates)
      .filter((verdict) => verdict.decision !== 'prune')
      .map((verdict) => verdict.id),
  );
}

function hourly(from: string, hours: number): RetentionCandidate[] {
  return Array.from({ length: hours }, (_, index) => ({
    id: `snp_${String(index).padStart(4, '0')}`,
    createdAt: new Date(Date.parse(from) + index * HOUR_MS).toISOString(),
    protected: false,
  }));
}

describe('applyRetention', () => {
  it('keeps exactly what the reference of Proxmox Backup Server keeps', () => {
    fc.assert(
      fc.property(arbitraryRules, arbitraryCandidates, (rules, candidates) => {
        const expected = referencePrune(
          candidates.map((candidate) => ({
            id: candidate.id,
            time: Date.parse(candidate.createdAt),
            protected: candidate.protected,
          })),
          {
            keepLast: rules.last,
            keepHourly: rules.hourly,
            keepDaily: rules.daily,
            keepWeekly: rules.weekly,
            keepMonthly: rules.monthly,
            keepYearly: rules.yearly,
          },
        );
        expect(keptIds(rules, candidates)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('always keeps the last N unprotected snapshots by the rule last', () => {
    fc.assert(
      fc.property(arbitraryRules, arbitraryCandidates, (rules, candidates) => {
        const verdicts = applyRetention(rules, candidates);
        const newest = verdicts
          .filter((verdict) => verdict.decision !== 'protected')
          .slice(0, rules.last ?? 0);
        for (const verdict of newest) expect(verdict).toMatchObject({ rule: 'last' });
      }),
    );
  });

  it('never prunes a protected snapshot', () => {
    fc.assert(
      fc.property(arbitraryRules, arbitraryCandidates, (rules, candidates) => {
        const verdicts = new Map(applyRetention(rules, candidates).map((v) => [v.id, v]));
        for (const candidate of candidates.filter((c) => c.protected)) {
          expect(verdicts.get(candidate.id)?.decision).toBe('protected');
        }
      }),
    );
  });

  it('prunes nothing more when it runs again on what it kept', () => {
    fc.assert(
      fc.property(arbitraryRules, arbitraryCandidates, (rules, candidates) => {
        const kept = keptIds(rules, candidates);
        const survivors = candidates.filter((candidate) => kept.has(candidate.id));
        expect(keptIds(rules, survivors)).toEqual(kept);
      }),
      { numRuns: 500 },
    );
  });

  it('counts no period that a snapshot kept by an earlier rule lies in, and keeps at most N', () => {
    fc.assert(
      fc.property(arbitraryRules, arbitraryCandidates, (rules, candidates) => {
        const byId = new Map(candidates.map((candidate) => [candidate.id, candidate]));
        const verdicts = applyRetention(rules, candidates);
        const keptBy = (rule: RetentionRule) =>
          verdicts.flatMap((v) => (v.decision === 'keep' && v.rule === rule ? [v.id] : []));
        RETENTION_RULES.forEach((rule, index) => {
          const instant = (id: string) => new Date(byId.get(id)?.createdAt ?? '');
          const periods = keptBy(rule).map((id) => retentionPeriodOf(rule, instant(id), id));
          expect(periods.length).toBeLessThanOrEqual(rules[rule] ?? 0);
          expect(new Set(periods).size).toBe(periods.length);
          const earlier = RETENTION_RULES.slice(0, index).flatMap(keptBy);
          for (const id of earlier) {
            expect(periods).not.toContain(retentionPeriodOf(rule, instant(id), id));
          }
        });
      }),
    );
  });

  it('keeps the last three and the newest of the two days before, naming each rule', () => {
    const candidates = hourly('2026-03-01T00:00:00Z', 72);

    const verdicts = applyRetention({ last: 3, daily: 2 }, candidates);

    const kept = verdicts.flatMap((v) =>
      v.decision === 'keep'
        ? [`${candidates.find((c) => c.id === v.id)?.createdAt} ${v.rule}`]
        : [],
    );
    expect(kept).toEqual([
      '2026-03-03T23:00:00.000Z last',
      '2026-03-03T22:00:00.000Z last',
      '2026-03-03T21:00:00.000Z last',
      '2026-03-02T23:00:00.000Z daily',
      '2026-03-01T23:00:00.000Z daily',
    ]);
    expect(verdicts.filter((v) => v.decision === 'prune')).toHaveLength(67);
  });

  it('skips hours and days without snapshots instead of counting them', () => {
    const candidates: RetentionCandidate[] = [
      { id: 'snp_a', createdAt: '2026-05-10T08:15:00Z', protected: false },
      { id: 'snp_b', createdAt: '2026-05-04T09:00:00Z', protected: false },
      { id: 'snp_c', createdAt: '2026-05-04T07:00:00Z', protected: false },
      { id: 'snp_d', createdAt: '2026-04-01T00:00:00Z', protected: false },
    ];

    const verdicts = applyRetention({ daily: 3 }, candidates);

    expect(verdicts).toEqual([
      { id: 'snp_a', decision: 'keep', rule: 'daily' },
      { id: 'snp_b', decision: 'keep', rule: 'daily' },
      { id: 'snp_c', decision: 'prune' },
      { id: 'snp_d', decision: 'keep', rule: 'daily' },
    ]);
  });

  it('lets a protected snapshot stand beside the rules without using up a count', () => {
    const candidates: RetentionCandidate[] = [
      { id: 'snp_new', createdAt: '2026-05-10T10:00:00Z', protected: true },
      { id: 'snp_mid', createdAt: '2026-05-10T09:00:00Z', protected: false },
      { id: 'snp_old', createdAt: '2026-05-10T08:00:00Z', protected: false },
    ];

    const verdicts = applyRetention({ last: 1 }, candidates);

    expect(verdicts).toEqual([
      { id: 'snp_new', decision: 'protected' },
      { id: 'snp_mid', decision: 'keep', rule: 'last' },
      { id: 'snp_old', decision: 'prune' },
    ]);
  });

  it('counts weeks as ISO weeks, in UTC, across a year end', () => {
    const candidates: RetentionCandidate[] = [
      // Sunday 3 January 2027 is in ISO week 2026-W53, with Friday 1 January 2027.
      { id: 'snp_sun', createdAt: '2027-01-03T23:30:00Z', protected: false },
      { id: 'snp_fri', createdAt: '2027-01-01T12:00:00Z', protected: false },
      // Monday 28 December 2026 is also in 2026-W53.
      { id: 'snp_mon', createdAt: '2026-12-28T00:00:00Z', protected: false },
      { id: 'snp_prev', createdAt: '2026-12-27T23:59:59Z', protected: false },
    ];

    const verdicts = applyRetention({ weekly: 2 }, candidates);

    expect(verdicts.map((v) => v.decision)).toEqual(['keep', 'prune', 'prune', 'keep']);
  });
});

describe('isoWeekOf', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2021-01-03T23:59:59Z', '2020-W53'],
    ['2021-01-04T00:00:00Z', '2021-W01'],
  ])('puts %s in %s', (instant, week) => {
    expect(isoWeekOf(new Date(instant))).toBe(week);
  });
});
