import { retentionPeriodOf } from './retention-periods.ts';
import { RETENTION_RULES, type RetentionRule, type RetentionRules } from './retention-rules.ts';

/** A snapshot as retention sees it: when it was taken and whether it is protected. */
export interface RetentionCandidate {
  readonly id: string;
  /** ISO 8601 UTC: the instant whose periods (hour, day, ISO week, month, year) count. */
  readonly createdAt: string;
  readonly protected: boolean;
}

/** What retention decides for one snapshot; a kept one names the rule that keeps it. */
export type RetentionVerdict =
  | { readonly id: string; readonly decision: 'keep'; readonly rule: RetentionRule }
  | { readonly id: string; readonly decision: 'protected' }
  | { readonly id: string; readonly decision: 'prune' };

type Settled = Map<string, RetentionVerdict>;

function newestFirst(a: RetentionCandidate, b: RetentionCandidate): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Periods already worked out, by rule and time: a simulation asks for the same snapshots' periods
 * at every run of its window, thousands of times. Bounded, and emptied when full.
 */
const KNOWN_PERIODS = new Map<string, string>();
const MAX_KNOWN_PERIODS = 100_000;

function periodOf(rule: RetentionRule, candidate: RetentionCandidate): string {
  if (rule === 'last') return candidate.id;
  const key = `${rule}|${candidate.createdAt}`;
  const known = KNOWN_PERIODS.get(key);
  if (known !== undefined) return known;
  const period = retentionPeriodOf(rule, new Date(candidate.createdAt), candidate.id);
  if (KNOWN_PERIODS.size >= MAX_KNOWN_PERIODS) KNOWN_PERIODS.clear();
  KNOWN_PERIODS.set(key, period);
  return period;
}

/**
 * Settles what one rule decides, walking from the newest snapshot no earlier rule settled. The
 * rule keeps the newest snapshot of each of its first `count` periods and settles the older ones
 * of those periods as pruned; a period that an earlier rule's kept snapshot lies in is not counted
 * again, and its snapshots are left for later rules. The walk stops at the first period past the
 * count, which leaves everything older to the next rule.
 */
function settleRule(
  rule: RetentionRule,
  count: number,
  candidates: readonly RetentionCandidate[],
  settled: Settled,
): void {
  const coveredEarlier = new Set(
    candidates
      .filter((candidate) => settled.get(candidate.id)?.decision === 'keep')
      .map((candidate) => periodOf(rule, candidate)),
  );
  const counted = new Set<string>();
  for (const candidate of candidates) {
    if (settled.has(candidate.id) || candidate.protected) continue;
    const period = periodOf(rule, candidate);
    if (coveredEarlier.has(period)) continue;
    if (counted.has(period)) {
      settled.set(candidate.id, { id: candidate.id, decision: 'prune' });
      continue;
    }
    if (counted.size === count) return;
    counted.add(period);
    settled.set(candidate.id, { id: candidate.id, decision: 'keep', rule });
  }
}

/**
 * Proxmox Backup Server's prune, in UTC: the rules apply in the order of {@link RETENTION_RULES},
 * each only to what the earlier ones left, and whatever no rule keeps is pruned. Protected
 * snapshots are never pruned and count for no rule. Answers every candidate, newest first.
 */
export function applyRetention(
  rules: RetentionRules,
  candidates: readonly RetentionCandidate[],
): RetentionVerdict[] {
  const ordered = [...candidates].sort(newestFirst);
  const settled: Settled = new Map();
  for (const rule of RETENTION_RULES) {
    const count = rules[rule] ?? 0;
    if (count > 0) settleRule(rule, count, ordered, settled);
  }
  return ordered.map((candidate): RetentionVerdict => {
    if (candidate.protected) return { id: candidate.id, decision: 'protected' };
    return settled.get(candidate.id) ?? { id: candidate.id, decision: 'prune' };
  });
}
