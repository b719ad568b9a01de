import { describe, expect, it } from 'vitest';
import { API_ROUTES, agentCallbackRoute } from '../../../../functions/shared/routes.ts';
import { FUNCTIONS } from '../../../../infra/catalog.ts';

const keyOf = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('the route catalog', () => {
  const served = FUNCTIONS.flatMap((spec) =>
    (spec.routes ?? []).map((route) => ({ key: keyOf(route), auth: route.auth })),
  );

  it('serves every documented route with one function, behind the auth it documents', () => {
    for (const route of [...API_ROUTES, agentCallbackRoute]) {
      const matches = served.filter((each) => each.key === keyOf(route));

      expect(
        matches.map((each) => each.auth),
        keyOf(route),
      ).toEqual([route.auth]);
    }
  });

  it('documents every route a function serves: nothing reaches the gateway undocumented', () => {
    const documented = new Set([...API_ROUTES, agentCallbackRoute].map(keyOf));

    expect(served.map((each) => each.key).filter((key) => !documented.has(key))).toEqual([]);
  });

  it('serves the recycle bin and settings routes', () => {
    expect(served.map((each) => each.key)).toEqual(
      expect.arrayContaining([
        'DELETE /v1/snapshots/{id}',
        'POST /v1/snapshots/{id}/recover',
        'GET /v1/settings',
        'PATCH /v1/settings',
      ]),
    );
  });
});
