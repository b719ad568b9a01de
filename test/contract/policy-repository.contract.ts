import { expect, it } from 'vitest';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import type { PolicyRepository } from '../../core/ports/policy-repository.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { ConcurrentModificationError } from '../../core/shared/persistence-errors.ts';
import { anAccountId, aPolicy } from '../support/records.ts';
import { accountRecordsContract } from './account-records.contract.ts';
import { freshPerTest } from './describe-contract.ts';

const T1 = '2025-03-01T11:00:00.000Z';
const T2 = '2025-03-01T12:00:00.000Z';
const KEY = new HmacSigner('policy-contract-cursor-key-0123456789abcdef');

/** The behaviour every PolicyRepository shares; `make` builds one signing cursors with `signer`. */
export function policyRepositoryContract(make: (cursorSigner: Signer) => PolicyRepository): void {
  const fresh = freshPerTest(() => ({ policies: make(KEY), accountId: anAccountId() }));

  accountRecordsContract({
    kind: 'policy',
    make,
    aRecord: (accountId) => aPolicy({ accountId }),
  });

  it('replaces the policy in place when it is still as read', async () => {
    const policy = aPolicy({ accountId: fresh.accountId });
    await fresh.policies.create(policy);
    const next = {
      ...policy,
      schedule: { cron: 'cron(0 3 * * ? *)' },
      target: { sliceSelector: 'env==prod' },
      labels: { team: 'web' },
      updatedAt: T1,
    };

    await fresh.policies.update(policy, next);

    expect(await fresh.policies.get(fresh.accountId, policy.id)).toEqual(next);
  });

  it('refuses a change made from a stale read, keeping the change that won', async () => {
    const policy = aPolicy({ accountId: fresh.accountId });
    await fresh.policies.create(policy);
    const first = { ...policy, name: 'first', updatedAt: T1 };
    await fresh.policies.update(policy, first);

    const stale = fresh.policies.update(policy, { ...policy, name: 'second', updatedAt: T2 });

    await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect((await fresh.policies.get(fresh.accountId, policy.id))?.name).toBe('first');
  });

  it('refuses a change to a policy deleted meanwhile, and does not bring it back', async () => {
    const policy = aPolicy({ accountId: fresh.accountId });
    await fresh.policies.create(policy);
    await fresh.policies.delete(fresh.accountId, policy.id);

    const late = fresh.policies.update(policy, { ...policy, name: 'late', updatedAt: T1 });

    await expect(late).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(await fresh.policies.get(fresh.accountId, policy.id)).toBeNull();
  });

  it("deletes only the account's own policy, and a second delete does nothing", async () => {
    const policy = aPolicy({ accountId: fresh.accountId });
    await fresh.policies.create(policy);

    await fresh.policies.delete(anAccountId(), policy.id);
    expect(await fresh.policies.get(fresh.accountId, policy.id)).toEqual(policy);
    await fresh.policies.delete(fresh.accountId, policy.id);
    await fresh.policies.delete(fresh.accountId, policy.id);

    expect(await fresh.policies.get(fresh.accountId, policy.id)).toBeNull();
    expect((await fresh.policies.list(fresh.accountId, { limit: 10 })).items).toEqual([]);
  });
}
