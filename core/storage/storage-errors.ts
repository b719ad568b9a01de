import { domainError } from '../shared/domain-error.ts';

/**
 * A page of a mark pass found no tally of the pages before it: the pass was never begun, or its
 * tally was deleted by a pass that finished. The storage-mark workflow fails; the next pass
 * starts over.
 */
export class MarkTallyMissingError extends domainError('MarkTallyMissingError', 'INTERNAL') {
  constructor(accountId: string, markId: string) {
    super(`no tally of mark pass ${markId} of account ${accountId} is stored`);
  }
}
