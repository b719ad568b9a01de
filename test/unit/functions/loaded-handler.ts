import { basename } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { lambdaContext } from './lambda-context.ts';
import { setServiceEnvironment } from './stored-records.ts';

/**
 * The handler of `entry` (a path from the repository root), imported once for the enclosing
 * describe after `environment` has set what the module reads as it loads (the service's
 * environment unless given). A call without a context passes one named after the function.
 */
export function loadedHandler<Event = unknown, Result = unknown>(
  entry: string,
  environment: () => void = setServiceEnvironment,
): (event: Event, context?: Context) => Promise<Result> {
  type Handler = (event: Event, context: Context) => Promise<Result>;
  let loaded: Handler | undefined;
  beforeAll(async () => {
    environment();
    ({ handler: loaded } = (await import(`../../../${entry}`)) as { handler: Handler });
  });
  const functionName = basename(entry, '.ts');
  return (event, context = lambdaContext(functionName)) => {
    if (!loaded) throw new Error(`${entry} is not loaded yet`);
    return loaded(event, context);
  };
}

/** The document client mocked for the enclosing describe: reset before each test, restored after. */
export function mockedDocuments() {
  const documents = mockClient(DynamoDBDocumentClient);
  beforeEach(() => documents.reset());
  afterAll(() => documents.restore());
  return documents;
}

/** The environment the billing functions read as they load: a table and no logs. */
export function billingEnvironment(): void {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.TABLE_NAME = 'table';
}
