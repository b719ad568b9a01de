import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoOperationRepository } from '../../adapters/aws/dynamo-operation-repository.ts';
import { outboxItem } from '../../adapters/aws/dynamo-outbox.ts';
import { DynamoSnapshotRepository } from '../../adapters/aws/dynamo-snapshot-repository.ts';
import { MemoryOperationRepository } from '../../adapters/memory/memory-operation-repository.ts';
import { MemoryOutbox } from '../../adapters/memory/memory-outbox.ts';
import { MemorySnapshotRepository } from '../../adapters/memory/memory-snapshot-repository.ts';
import { eventIdentity } from '../../core/events/event-identity.ts';
import { describeContract } from './describe-contract.ts';
import { outboxContract } from './outbox.contract.ts';

describeContract('the outbox', outboxContract, {
  memory: (cursorSigner) => {
    const outbox = new MemoryOutbox();
    return {
      operations: new MemoryOperationRepository({ cursorSigner, outbox }),
      snapshots: new MemorySnapshotRepository({ cursorSigner, outbox }),
      written: async (events) => {
        const wanted = new Set(events.map(eventIdentity));
        return outbox.published.filter((event) => wanted.has(eventIdentity(event)));
      },
    };
  },
  dynamo: (table) => (cursorSigner) => ({
    operations: new DynamoOperationRepository({ ...table, cursorSigner }),
    snapshots: new DynamoSnapshotRepository({ ...table, cursorSigner }),
    written: async (events) => {
      const found = await Promise.all(
        events.map(async (event) => {
          const { pk, sk } = outboxItem(event, 0);
          const { Item } = await table.client.send(
            new GetCommand({ TableName: table.tableName, Key: { pk, sk }, ConsistentRead: true }),
          );
          return Item && Item.detailType === event.detailType ? [event] : [];
        }),
      );
      return found.flat();
    },
  }),
});
