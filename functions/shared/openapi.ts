import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
} from 'zod-openapi';
import type { RouteDefinition } from './route.ts';
import { ProblemSchema } from './schemas.ts';

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

/**
 * Every route may answer 429: the stage throttles each route for all callers, and an authenticated
 * route also spends the caller's account's tokens (that refusal says when to retry).
 */
function throttledResponse(route: RouteDefinition) {
  if (route.auth !== 'jwt') {
    return {
      description: 'Too many requests on this route for now (code `RATE_LIMITED`)',
      content: problemContent,
    };
  }
  return {
    description:
      "Too many requests (code `RATE_LIMITED`): past the route's rate, or past the account's " +
      'own limit over all routes, which answers `Retry-After`',
    headers: {
      'Retry-After': {
        description: "Whole seconds until the account's limit admits a request again",
        schema: { type: 'integer' as const, minimum: 1 },
      },
    },
    content: problemContent,
  };
}

function operationOf(route: RouteDefinition): ZodOpenApiOperationObject {
  const responses: ZodOpenApiOperationObject['responses'] = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const isError = Number(status) >= 400;
    const schema = isError ? ProblemSchema : response.schema;
    responses[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: response.description,
      ...(schema
        ? { content: { [isError ? 'application/problem+json' : 'application/json']: { schema } } }
        : {}),
    };
  }
  responses['429'] = throttledResponse(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [...route.tags],
    ...(route.auth === 'jwt' ? { security: [{ bearer: [] }] } : { security: [] }),
    requestParams: {
      ...(route.params ? { path: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
    },
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the given routes, generated from their zod schemas. */
export function buildOpenApiDocument(routes: readonly RouteDefinition[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    paths[route.path] = { ...paths[route.path], [method]: operationOf(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'slice-snapshots',
      version: '1.0.0',
      description:
        'Snapshots of slices: take, list, rename, delete, restore, create slices from them.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  });
}
