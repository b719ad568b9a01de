import { afterEach, describe, expect, it } from 'vitest';
import { services } from '../../../../functions/shared/services.ts';
import { setServiceEnvironment } from '../stored-records.ts';

describe('services', () => {
  const saved = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    else process.env.AWS_ENDPOINT_URL_DYNAMODB = saved;
  });

  it('builds the clients once while the environment stays the same', async () => {
    setServiceEnvironment();

    const first = await services();
    const second = await services();

    // Identity only: comparing the objects would build every lazy adapter.
    expect(second === first).toBe(true);
    expect(second.ports.slices === first.ports.slices).toBe(true);
  });

  it('builds them again for endpoints that changed since, never reusing closed ones', async () => {
    setServiceEnvironment();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:4001';
    const before = await services();

    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:4002';
    const after = await services();

    expect(after === before).toBe(false);
    expect(after.ports.slices === before.ports.slices).toBe(false);
    expect((await services()) === after).toBe(true);
  });
});
