import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { COMMAND_CONTEXT_PARTITION_PREFIX, TABLE_DESIGN } from '../../blueprint/facts.ts';
import type {
  CommandContext,
  CommandContextRepository,
} from '../../core/ports/command-context-repository.ts';
import type { TableAccess } from './dynamo-record-table.ts';

const SORT_KEY = 'CONTEXT';

/** The key of a task's command context: a hash, so the token itself is never stored. */
function keyOf(taskToken: string) {
  const hash = createHash('sha256').update(taskToken).digest('hex');
  return { pk: `${COMMAND_CONTEXT_PARTITION_PREFIX}${hash}`, sk: SORT_KEY };
}

/**
 * CommandContextRepository on the single table: one item per waiting task
 * (`pk = AGENT-COMMAND#<sha256 of its token>`), removed by DynamoDB's TTL after it expires; until
 * TTL gets to it, an expired item reads as none.
 */
export class DynamoCommandContextRepository implements CommandContextRepository {
  readonly #access: TableAccess;
  readonly #now: () => Date;

  constructor(access: TableAccess & { now?: () => Date }) {
    this.#access = access;
    this.#now = access.now ?? (() => new Date());
  }

  async save(taskToken: string, context: CommandContext, expiresAt: Date): Promise<void> {
    await this.#access.client.send(
      new PutCommand({
        TableName: this.#access.tableName,
        Item: {
          ...keyOf(taskToken),
          recordKind: 'agent-command',
          accountId: context.accountId,
          hostId: context.hostId,
          operationId: context.operationId,
          snapshotId: context.snapshotId,
          [TABLE_DESIGN.ttlAttribute]: Math.ceil(expiresAt.getTime() / 1000),
        },
      }),
    );
  }

  async find(taskToken: string): Promise<CommandContext | null> {
    const output = await this.#access.client.send(
      new GetCommand({
        TableName: this.#access.tableName,
        Key: keyOf(taskToken),
        ConsistentRead: true,
      }),
    );
    const item = output?.Item;
    if (!item) return null;
    const expiresAt = Number(item[TABLE_DESIGN.ttlAttribute]) * 1000;
    if (!(expiresAt > this.#now().getTime())) return null;
    return {
      accountId: String(item.accountId),
      hostId: String(item.hostId),
      operationId: String(item.operationId),
      snapshotId: typeof item.snapshotId === 'string' ? item.snapshotId : null,
    };
  }
}
