import { describe, expect, it } from 'vitest';
import { eventIdentity } from '../../../../core/events/event-identity.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { FailureCode } from '../../../../core/shared/error-codes.ts';

describe('eventIdentity', () => {
  it('is the operation for an operation’s event, whatever else the detail says', () => {
    const restoreFailed = (code: FailureCode, message: string) => ({
      detailType: EVENT.sliceRestoreFailed,
      detail: { accountId: 'acct-1', operationId: 'op_1', error: { code, message } },
    });

    const first = eventIdentity(restoreFailed('AGENT_UNREACHABLE', 'a'));
    const again = eventIdentity(restoreFailed('AGENT_TIMEOUT', 'b'));

    expect(again).toBe(first);
  });

  it('is the whole detail, in any field order, for an event of no operation', () => {
    const charges = (total: string) => ({
      detailType: EVENT.monthlyChargesComputed,
      detail: { accountId: 'acct-1', month: '2026-03', status: 'final', total },
    });

    const reordered = {
      detailType: EVENT.monthlyChargesComputed,
      detail: { total: '2.00', status: 'final', month: '2026-03', accountId: 'acct-1' },
    };

    expect(eventIdentity(charges('2.00'))).toBe(eventIdentity(reordered));
    expect(eventIdentity(charges('2.00'))).not.toBe(eventIdentity(charges('3.00')));
  });

  it('is the key when the event gives one', () => {
    const renamed = (key: string) => ({
      detailType: EVENT.snapshotRenamed,
      detail: { accountId: 'acct-1', snapshotId: 'snp_1', name: 'b', previousName: 'a' },
      key,
    });

    expect(eventIdentity(renamed('snp_1@t1'))).not.toBe(eventIdentity(renamed('snp_1@t2')));
  });
});
