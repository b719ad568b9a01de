import { domainError } from '../shared/domain-error.ts';

/** No snapshot policy with this id in the caller's account (another account's looks the same). */
export class PolicyNotFoundError extends domainError('PolicyNotFoundError', 'POLICY_NOT_FOUND') {
  readonly policyId: string;

  constructor(policyId: string) {
    super(`snapshot policy ${policyId} not found`);
    this.policyId = policyId;
  }
}
