import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { NONCE_PARTITION_PREFIX, TABLE_DESIGN } from '../../blueprint/facts.ts';
import type { NonceRegistry } from '../../core/ports/nonce-registry.ts';
import { isConditionFailure, type TableAccess } from './dynamo-record-table.ts';

/**
 * NonceRegistry on the single table: one item per nonce (`pk = AGENT-NONCE#<issuer>#<nonce>`), put
 * only if absent, so two containers never both accept one request. DynamoDB's TTL removes it after
 * `expiresAt`; until TTL gets to it, a replay is still refused.
 */
export class DynamoNonceRegistry implements NonceRegistry {
  readonly #access: TableAccess;

  constructor(access: TableAccess) {
    this.#access = access;
  }

  async claim(issuer: string, nonce: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.#access.client.send(
        new PutCommand({
          TableName: this.#access.tableName,
          Item: {
            pk: `${NONCE_PARTITION_PREFIX}${issuer}#${nonce}`,
            sk: 'NONCE',
            recordKind: 'agent-nonce',
            [TABLE_DESIGN.ttlAttribute]: Math.ceil(expiresAt.getTime() / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
