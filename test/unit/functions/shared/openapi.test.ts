import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../../core/shared/error-codes.ts';
import { buildOpenApiDocument } from '../../../../functions/shared/openapi.ts';
import { API_ROUTES } from '../../../../functions/shared/routes.ts';

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument(API_ROUTES);
  const operation = (path: string) =>
    (document.paths?.[path] ?? {}) as Record<
      string,
      { responses: Record<string, unknown> } | undefined
    >;

  it('documents 429 with Retry-After on every authenticated route', () => {
    for (const route of API_ROUTES.filter((candidate) => candidate.auth === 'jwt')) {
      const throttled = operation(route.path)[route.method.toLowerCase()]?.responses['429'];

      expect(throttled, `${route.method} ${route.path}`).toMatchObject({
        headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 } } },
        content: { 'application/problem+json': expect.anything() },
      });
    }
  });

  it('documents every error code and the operation in the way in the problem schema', () => {
    const problem = document.components?.schemas?.Problem as {
      required: string[];
      properties: Record<string, { enum?: string[] }>;
    };

    expect(problem.required).toContain('code');
    expect(problem.properties.code?.enum).toEqual([...ERROR_CODES]);
    expect(problem.properties).toHaveProperty('operationId');
    expect(problem.properties.operationType?.enum).toContain('snapshot.create');
  });

  it("documents the stage's 429 on public routes, without Retry-After", () => {
    const throttled = operation('/openapi.json').get?.responses['429'];

    expect(throttled).toMatchObject({ content: { 'application/problem+json': expect.anything() } });
    expect(throttled).not.toHaveProperty('headers');
  });

  it('documents the label and protection fields and the new PATCH route', () => {
    const schemas = (document.components?.schemas ?? {}) as Record<
      string,
      { properties?: Record<string, unknown>; required?: string[] }
    >;
    const patchSlice = operation('/v1/slices/{id}').patch as unknown as {
      requestBody: { content: Record<string, { schema: unknown }> };
    };

    expect(schemas.Slice?.required).toEqual(expect.arrayContaining(['labels', 'deleteProtected']));
    expect(schemas.Snapshot?.required).toEqual(expect.arrayContaining(['labels', 'protected']));
    expect(Object.keys(schemas.UpdateSliceRequest?.properties ?? {}).sort()).toEqual([
      'deleteProtected',
      'labels',
      'name',
    ]);
    expect(Object.keys(schemas.UpdateSnapshotRequest?.properties ?? {}).sort()).toEqual([
      'labels',
      'name',
      'protected',
    ]);
    expect(patchSlice.requestBody.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/UpdateSliceRequest',
    });
    expect(schemas.LabelChanges).toMatchObject({
      propertyNames: { pattern: '^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$' },
    });
  });

  it('takes labelSelector on both lists', () => {
    for (const path of ['/v1/slices', '/v1/snapshots']) {
      const list = operation(path).get as unknown as { parameters: { name: string }[] };

      expect(list.parameters.map((parameter) => parameter.name)).toContain('labelSelector');
    }
  });
});
