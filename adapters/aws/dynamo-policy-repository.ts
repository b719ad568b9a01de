import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { SnapshotPolicy } from '../../core/policies/snapshot-policy.ts';
import type { PolicyRepository } from '../../core/ports/policy-repository.ts';
import { ConcurrentModificationError } from '../../core/shared/persistence-errors.ts';
import {
  type AccountRecordsOptions,
  accountRecordItem,
  DynamoAccountRecords,
} from './dynamo-account-records.ts';
import { recordKey } from './dynamo-keys.ts';

/**
 * PolicyRepository on the single table: `pk = ACCOUNT#<account>`, `sk = POLICY#<id>`, beside the
 * account's other records. A change replaces the whole item, conditional on the `updatedAt` read.
 */
export class DynamoPolicyRepository
  extends DynamoAccountRecords<SnapshotPolicy>
  implements PolicyRepository
{
  constructor(options: AccountRecordsOptions) {
    super(options, { kind: 'policy' });
  }

  async update(current: SnapshotPolicy, next: SnapshotPolicy): Promise<void> {
    this.sameRecord(current, next);
    const written = await this.table.put({
      Item: accountRecordItem('policy', next),
      ConditionExpression: '#updatedAt = :expected',
      ExpressionAttributeNames: { '#updatedAt': 'updatedAt' },
      ExpressionAttributeValues: { ':expected': current.updatedAt },
    });
    if (!written) {
      throw new ConcurrentModificationError('policy', current.id, `as of ${current.updatedAt}`);
    }
  }

  async delete(accountId: string, policyId: string): Promise<void> {
    await this.table.delete({ Key: recordKey('policy', accountId, policyId) });
  }

  async list(accountId: string, page: PageRequest): Promise<Page<SnapshotPolicy>> {
    return this.accountPage('policies', accountId, page);
  }
}
