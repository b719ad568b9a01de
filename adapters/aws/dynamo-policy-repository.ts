import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CursorCodec, cursorScope } from '../../core/pagination/cursor-codec.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { SnapshotPolicy } from '../../core/policies/snapshot-policy.ts';
import type { PolicyRepository } from '../../core/ports/policy-repository.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { isResourceId } from '../../core/shared/ids.ts';
import { ConcurrentModificationError } from '../../core/shared/persistence-errors.ts';
import { recordAttributes } from './dynamo-items.ts';
import { accountPartition, recordKey, sortKeyPrefix, type TableKey } from './dynamo-keys.ts';
import {
  DynamoRecordTable,
  type Item,
  isConditionFailure,
  type TableAccess,
} from './dynamo-record-table.ts';
import { querySelectedPage } from './dynamo-selected-page.ts';

function toItem(policy: SnapshotPolicy): Item & TableKey {
  return {
    ...policy,
    ...recordKey('policy', policy.accountId, policy.id),
    recordKind: 'policy',
  };
}

function fromItem(item: Item): SnapshotPolicy {
  return recordAttributes(item) as SnapshotPolicy;
}

/**
 * PolicyRepository on the single table: `pk = ACCOUNT#<account>`, `sk = POLICY#<id>`, beside the
 * account's other records. A change replaces the whole item, conditional on the `updatedAt` read.
 */
export class DynamoPolicyRepository implements PolicyRepository {
  readonly #table: DynamoRecordTable;
  readonly #cursors: CursorCodec;

  constructor(options: TableAccess & { cursorSigner: Signer }) {
    this.#table = new DynamoRecordTable(options, 'policy');
    this.#cursors = new CursorCodec(options.cursorSigner);
  }

  async create(policy: SnapshotPolicy): Promise<void> {
    await this.#table.create(toItem(policy), policy.id);
  }

  async get(accountId: string, policyId: string): Promise<SnapshotPolicy | null> {
    const item = await this.#table.get(recordKey('policy', accountId, policyId));
    return item ? fromItem(item) : null;
  }

  async update(current: SnapshotPolicy, next: SnapshotPolicy): Promise<void> {
    if (next.id !== current.id || next.accountId !== current.accountId) {
      throw new Error("an update cannot change a policy's id or account");
    }
    try {
      await this.#table.client.send(
        new PutCommand({
          TableName: this.#table.tableName,
          Item: toItem(next),
          ConditionExpression: '#updatedAt = :expected',
          ExpressionAttributeNames: { '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':expected': current.updatedAt },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConcurrentModificationError('policy', current.id, `as of ${current.updatedAt}`);
      }
      throw error;
    }
  }

  async delete(accountId: string, policyId: string): Promise<void> {
    await this.#table.client.send(
      new DeleteCommand({
        TableName: this.#table.tableName,
        Key: recordKey('policy', accountId, policyId),
      }),
    );
  }

  async list(accountId: string, page: PageRequest): Promise<Page<SnapshotPolicy>> {
    const scope = cursorScope('policies', accountId);
    const afterId = page.cursor
      ? this.#cursors.decode(scope, page.cursor, (id) => isResourceId('policy', id))
      : null;
    const selected = await querySelectedPage(this.#table, {
      kind: 'policy',
      query: {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': accountPartition(accountId),
          ':prefix': sortKeyPrefix('policy'),
        },
        ConsistentRead: true,
      },
      startKeyAfter: (id) => recordKey('policy', accountId, id),
      fromItem,
      matches: () => true,
      limit: page.limit,
      afterId,
    });
    return {
      items: selected.items,
      nextCursor:
        selected.resumeAfterId === null
          ? null
          : this.#cursors.encode(scope, selected.resumeAfterId),
    };
  }
}
