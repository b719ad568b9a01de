import { notFoundError } from '../shared/domain-error.ts';

/** No snapshot policy with this id in the caller's account (another account's looks the same). */
export class PolicyNotFoundError extends notFoundError(
  'PolicyNotFoundError',
  'POLICY_NOT_FOUND',
  'snapshot policy',
) {}
