import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalClock } from '../../../local/clock.ts';
import { type ControlEndpoint, startControl } from '../../../local/control.ts';

const HOUR_MS = 60 * 60 * 1000;

describe('the control endpoint', () => {
  const clock = LocalClock.startingAt('2026-03-31T23:00:00.000Z');
  const fired: number[] = [];
  let control: ControlEndpoint;

  beforeAll(async () => {
    control = await startControl({ port: 0, clock });
  });

  afterAll(async () => {
    await control.close();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${control.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('reads the clock', async () => {
    const { status, body } = await call('GET', '/clock');

    expect(status).toBe(200);
    expect(String(body.now)).toMatch(/^2026-03-31T23:00/);
    expect(body.offsetMs).toBe(clock.offsetMs);
  });

  it('moves it forward by a duration or to a time, firing what fell due', async () => {
    clock.setTimeout(() => fired.push(clock.nowMs()), HOUR_MS);

    const by = await call('POST', '/clock/advance', { by: '30m' });
    const firedAfterBy = fired.length;
    const to = await call('POST', '/clock/advance', { to: '2026-04-01T00:15:00.000Z' });

    expect(by.status).toBe(200);
    expect(String(by.body.now)).toMatch(/^2026-03-31T23:30/);
    expect(firedAfterBy).toBe(0);
    expect(to.body.now).toMatch(/^2026-04-01T00:15:00/);
    expect(fired).toHaveLength(1);
  });

  it('answers 400 to what is not a move forward, and 404 elsewhere', async () => {
    const before = clock.offsetMs;

    const noDuration = await call('POST', '/clock/advance', { by: 'soon' });
    const neither = await call('POST', '/clock/advance', {});
    const elsewhere = await call('GET', '/time');

    expect(noDuration).toMatchObject({ status: 400, body: { message: /not a duration/ } });
    expect(neither.status).toBe(400);
    expect(elsewhere.status).toBe(404);
    expect(clock.offsetMs).toBe(before);
  });
});
