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
});
