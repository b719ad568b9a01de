/** The kinds of resource that carry a public, prefixed id. */
/** `mark`: a pass of the storage-mark workflow, never shown to users. */
export type ResourceKind = 'slice' | 'snapshot' | 'operation' | 'policy' | 'policyRun' | 'mark';

/** Id prefixes of CONTRACT.md: a ULID follows the prefix. */
export const ID_PREFIX = {
  slice: 'slc_',
  snapshot: 'snp_',
  operation: 'op_',
  policy: 'pol_',
  policyRun: 'run_',
  mark: 'mrk_',
} as const satisfies Record<ResourceKind, string>;

// Crockford base32, 26 characters, first one at most 7 (48-bit time never overflows).
const ULID_PATTERN = '[0-7][0-9A-HJKMNP-TV-Z]{25}';

const ID_PATTERNS: Record<ResourceKind, RegExp> = {
  slice: new RegExp(`^${ID_PREFIX.slice}${ULID_PATTERN}$`),
  snapshot: new RegExp(`^${ID_PREFIX.snapshot}${ULID_PATTERN}$`),
  operation: new RegExp(`^${ID_PREFIX.operation}${ULID_PATTERN}$`),
  policy: new RegExp(`^${ID_PREFIX.policy}${ULID_PATTERN}$`),
  policyRun: new RegExp(`^${ID_PREFIX.policyRun}${ULID_PATTERN}$`),
  mark: new RegExp(`^${ID_PREFIX.mark}${ULID_PATTERN}$`),
};

/** True when `value` has the exact shape of an id of that kind (prefix, then an upper-case ULID). */
export function isResourceId(kind: ResourceKind, value: string): boolean {
  return ID_PATTERNS[kind].test(value);
}
