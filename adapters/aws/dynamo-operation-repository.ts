import type { Operation } from '../../core/operations/operation.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { OperationRepository } from '../../core/ports/operation-repository.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import {
  type AccountRecordsOptions,
  accountRecordItem,
  DynamoAccountRecords,
} from './dynamo-account-records.ts';
import { recordAttributes } from './dynamo-items.ts';
import type { TableKey } from './dynamo-keys.ts';
import type { Item } from './dynamo-record-table.ts';

/**
 * gsi2 holds running operations only (a sparse index): the keys are set while `running` and
 * removed when it ends, so the sweep reads what runs, never the table.
 */
const RUNNING_PARTITION = 'OPERATIONS#RUNNING';

function toItem(operation: Operation): Item & TableKey {
  return accountRecordItem(
    'operation',
    operation,
    operation.status === 'running'
      ? {
          gsi2pk: RUNNING_PARTITION,
          gsi2sk: `${operation.startedAt}#${operation.accountId}#${operation.id}`,
        }
      : {},
  );
}

function fromItem(item: Item): Operation {
  return recordAttributes(item) as Operation;
}

/** OperationRepository on the single table: `pk = ACCOUNT#<account>`, `sk = OPERATION#<id>`. */
export class DynamoOperationRepository
  extends DynamoAccountRecords<Operation>
  implements OperationRepository
{
  constructor(options: AccountRecordsOptions) {
    super(options, { kind: 'operation', toItem });
  }

  async update(current: Operation, next: Operation, write: WriteEvents = {}): Promise<void> {
    await this.updateRecord(
      current,
      next,
      {
        expression: '#status = :expectedStatus',
        names: { '#status': 'status' },
        values: { ':expectedStatus': current.status },
      },
      current.status,
      write.events,
    );
  }

  async list(accountId: string, page: PageRequest): Promise<Page<Operation>> {
    return this.accountPage('operations', accountId, page);
  }

  async listRunning(startedBefore: string, limit: number): Promise<readonly Operation[]> {
    const items = await this.table.queryItems(
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
