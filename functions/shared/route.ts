import type { z } from 'zod';

/** One documented response of a route. */
export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
}

/**
 * An API route as users see it: method, path, inputs and answers. Handlers validate with these
 * schemas and `/openapi.json` is generated from them, so the two cannot disagree.
 */
export interface RouteDefinition<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
> {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly auth: 'jwt' | 'none';
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Accepts `Idempotency-Key` and replays the first answer for a retry. */
  readonly idempotent?: boolean;
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

/** Identity function that keeps the schemas' static types. */
export function defineRoute<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return route;
}
