import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { HostLoad } from '../../core/ports/host-load.ts';
import { cancellationReasons, SingleTable, type TableAccess } from './dynamo-record-table.ts';
import type { TableWrite } from './dynamo-table-writes.ts';

/** BatchGetItem takes at most 100 keys a call. */
const MAX_KEYS_PER_BATCH = 100;
const LOAD_SORT_KEY = 'LOAD';
const COUNT = 'slices';

function hostPartition(hostId: string): string {
  return `HOST#${hostId}`;
}

function loadKey(hostId: string) {
  return { pk: hostPartition(hostId), sk: LOAD_SORT_KEY };
}

function placementKey(hostId: string, sliceId: string) {
  return { pk: hostPartition(hostId), sk: `SLICE#${sliceId}` };
}

/** Transactions on one host's counter that collide are tried again, a few times. */
const CONFLICT_ATTEMPTS = 5;

function cancellationCodes(error: unknown): string[] {
  return (cancellationReasons(error) ?? []).map((reason) => reason.Code ?? 'None');
}

/**
 * HostLoad on the single table: per host, a counter item (`pk = HOST#<host>`, `sk = LOAD`,
 * attribute `slices`) and one placement item per counted slice (`sk = SLICE#<slice>`). A claim puts
 * the placement and adds one in one transaction, conditional on the placement being absent; a
 * release deletes it and subtracts one, conditional on it being present. So the counter moves once
 * per slice however often a step is retried.
 */
export class DynamoHostLoad implements HostLoad {
  readonly #table: SingleTable;

  constructor(access: TableAccess) {
    this.#table = new SingleTable(access);
  }

  async slicesOn(hostIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const load = new Map(hostIds.map((id) => [id, 0]));
    const unique = [...load.keys()];
    for (let start = 0; start < unique.length; start += MAX_KEYS_PER_BATCH) {
      let keys: Record<string, unknown>[] | undefined = unique
        .slice(start, start + MAX_KEYS_PER_BATCH)
        .map(loadKey);
      while (keys && keys.length > 0) {
        const { client, tableName } = this.#table;
        const answer: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of answer.Responses?.[tableName] ?? []) {
          const hostId = String(item.pk).slice('HOST#'.length);
          load.set(hostId, Number(item[COUNT] ?? 0));
        }
        keys = answer.UnprocessedKeys?.[tableName]?.Keys;
      }
    }
    return load;
  }

  async claim(hostId: string, sliceId: string): Promise<void> {
    await this.#moveOnce(
      {
        Put: {
          Item: { ...placementKey(hostId, sliceId), recordKind: 'host-placement', sliceId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      hostId,
      1,
    );
  }

  async release(hostId: string, sliceId: string): Promise<void> {
    await this.#moveOnce(
      {
        Delete: {
          Key: placementKey(hostId, sliceId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      hostId,
      -1,
    );
  }

  async #moveOnce(placement: TableWrite, hostId: string, delta: 1 | -1): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#table.transact([
          placement,
          {
            Update: {
              Key: loadKey(hostId),
              UpdateExpression: 'ADD #count :delta SET recordKind = :kind',
              ExpressionAttributeNames: { '#count': COUNT },
              ExpressionAttributeValues: { ':delta': delta, ':kind': 'host-load' },
            },
          },
        ]);
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        // The placement already was as asked: the slice is counted (or not) already.
        if (codes[0] === 'ConditionalCheckFailed') return;
        // Another claim or release on the same host's counter won the race: try again.
        if (!codes.includes('TransactionConflict') || attempt >= CONFLICT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
      }
    }
  }
}
