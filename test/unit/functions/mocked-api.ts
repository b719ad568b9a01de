import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import type { ApiHandler } from './api-request.ts';
import { setServiceEnvironment } from './stored-records.ts';

/**
 * The clients an API handler reaches, mocked for the enclosing `describe`, and the handler loaded
 * once its environment is set. Mocks are reset and the clock pinned at `now` before each test (a
 * test's own `beforeEach` adds its answers after that), both undone after.
 */
export function mockedApi(entry: string, now: string) {
  const mocks = {
    documents: mockClient(DynamoDBDocumentClient),
    /** Nothing calls it: the handlers' events go out through the outbox, with their writes. */
    events: mockClient(EventBridgeClient),
    sfn: mockClient(SFNClient),
  };
  let loaded: ApiHandler | undefined;
  beforeAll(async () => {
    setServiceEnvironment();
    ({ handler: loaded } = (await import(`../../../${entry}`)) as { handler: ApiHandler });
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(now) });
    for (const mock of Object.values(mocks)) mock.reset();
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => {
    for (const mock of Object.values(mocks)) mock.restore();
  });
  return {
    ...mocks,
    handler: (...args: Parameters<ApiHandler>) => {
      if (!loaded) throw new Error(`${entry} is not loaded yet`);
      return loaded(...args);
    },
  };
}
