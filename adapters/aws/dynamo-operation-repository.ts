import type { Operation } from '../../core/operations/operation.ts';
import { CursorCodec, cursorScope } from '../../core/pagination/cursor-codec.ts';
import { type Page, type PageRequest, pageFrom } from '../../core/pagination/page.ts';
import type { OperationRepository } from '../../core/ports/operation-repository.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { isResourceId } from '../../core/shared/ids.ts';
import { recordAttributes } from './dynamo-items.ts';
import { accountPartition, recordKey, sortKeyPrefix, type TableKey } from './dynamo-keys.ts';
import { DynamoRecordTable, type Item, type TableAccess } from './dynamo-record-table.ts';

/**
 * gsi2 holds running operations only (a sparse index): the keys are set while `running` and
 * removed when it ends, so the sweep reads what runs, never the table.
 */
const RUNNING_PARTITION = 'OPERATIONS#RUNNING';

function toItem(operation: Operation): Item & TableKey {
  return {
    ...operation,
    ...recordKey('operation', operation.accountId, operation.id),
    recordKind: 'operation',
    ...(operation.status === 'running'
      ? {
          gsi2pk: RUNNING_PARTITION,
          gsi2sk: `${operation.startedAt}#${operation.accountId}#${operation.id}`,
        }
      : {}),
  };
}

function fromItem(item: Item): Operation {
  return recordAttributes(item) as Operation;
}

/** OperationRepository on the single table: `pk = ACCOUNT#<account>`, `sk = OPERATION#<id>`. */
export class DynamoOperationRepository implements OperationRepository {
  readonly #table: DynamoRecordTable;
  readonly #cursors: CursorCodec;

  constructor(options: TableAccess & { cursorSigner: Signer }) {
    this.#table = new DynamoRecordTable(options, 'operation');
    this.#cursors = new CursorCodec(options.cursorSigner);
  }

  async create(operation: Operation, write: WriteEvents = {}): Promise<void> {
    await this.#table.create(toItem(operation), operation.id, write.events);
  }

  async get(accountId: string, operationId: string): Promise<Operation | null> {
    const item = await this.#table.get(recordKey('operation', accountId, operationId));
    return item ? fromItem(item) : null;
  }

  async update(current: Operation, next: Operation, write: WriteEvents = {}): Promise<void> {
    if (next.id !== current.id || next.accountId !== current.accountId) {
      throw new Error("an update cannot change an operation's id or account");
    }
    await this.#table.updateChanged(
      recordKey('operation', current.accountId, current.id),
      toItem(current),
      toItem(next),
      {
        expression: '#status = :expectedStatus',
        names: { '#status': 'status' },
        values: { ':expectedStatus': current.status },
      },
      { id: current.id, expected: current.status },
      write.events,
    );
  }

  async list(accountId: string, page: PageRequest): Promise<Page<Operation>> {
    const scope = cursorScope('operations', accountId);
    const after = page.cursor
      ? this.#cursors.decode(scope, page.cursor, (id) => isResourceId('operation', id))
      : null;
    const items = await this.#table.queryItems(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': accountPartition(accountId),
          ':prefix': sortKeyPrefix('operation'),
        },
        ConsistentRead: true,
      },
      after ? recordKey('operation', accountId, after) : undefined,
      page.limit + 1,
    );
    return pageFrom(items.map(fromItem), page.limit, (lastId) =>
      this.#cursors.encode(scope, lastId),
    );
  }

  async listRunning(startedBefore: string, limit: number): Promise<readonly Operation[]> {
    const items = await this.#table.queryItems(
      {
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pk': RUNNING_PARTITION, ':before': startedBefore },
      },
      undefined,
      limit,
    );
    // The index may trail the table by a moment: an operation that just ended is dropped.
    return items.map(fromItem).filter((operation) => operation.status === 'running');
  }
}
