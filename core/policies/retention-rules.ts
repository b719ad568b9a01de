/**
 * The retention rules of a snapshot policy, as Proxmox Backup Server's prune options: each counts
 * snapshots (`last`) or periods that hold a snapshot (the others), and they apply in this order.
 */
export const RETENTION_RULES = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;

/** One retention rule. */
export type RetentionRule = (typeof RETENTION_RULES)[number];

/** How many snapshots (or periods) each rule keeps; a missing rule keeps none. */
export type RetentionRules = Readonly<Partial<Record<RetentionRule, number>>>;

/** The most any one rule may keep: enough for years of hourly snapshots. */
export const MAX_RETAINED_PER_RULE = 10_000;
