import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { TABLE_DESIGN } from '../../blueprint/facts.ts';
import { problem } from './problem.ts';

/** How long a key replays its first answer. */
const REPLAY_WINDOW_SECONDS = 24 * 3600;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** What identifies a retry (account, route, key) and what must be equal for a replay (the request). */
export interface IdempotentCall<T> {
  readonly key: string;
  readonly request: unknown;
  readonly run: () => Promise<T>;
}

/**
 * Replays the first answer for a retried `Idempotency-Key`, backed by the records table with a TTL
 * (Powertools idempotency). The key is scoped to the account and route, so two accounts never share one.
 */
export function createIdempotency(options: { tableName: string; client: DynamoDBClient }) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'request',
    expiresAfterSeconds: REPLAY_WINDOW_SECONDS,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    keyAttr: TABLE_DESIGN.partitionKey,
    sortKeyAttr: TABLE_DESIGN.sortKey,
    staticPkValue: 'IDEMPOTENCY',
    expiryAttr: TABLE_DESIGN.ttlAttribute,
    awsSdkV3Client: options.client,
  });
  const once = makeIdempotent(async (call: IdempotentCall<unknown>) => call.run(), {
    persistenceStore,
    config,
  });
  return async function runOnce<T>(call: IdempotentCall<T>, context: Context): Promise<T> {
    config.registerLambdaContext(context);
    try {
      return (await once(call as IdempotentCall<unknown>)) as T;
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        throw problem(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used with a different request',
        );
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw problem(
          'IDEMPOTENCY_KEY_IN_PROGRESS',
          'A request with this Idempotency-Key is still being processed',
        );
      }
      throw error;
    }
  };
}

export type RunOnce = ReturnType<typeof createIdempotency>;
