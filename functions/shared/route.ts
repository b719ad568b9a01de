import type { z } from 'zod';
import { type HttpRoute, ROUTES, type RouteName } from '../../blueprint/facts.ts';

/** One documented response of a route. */
export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
}

/**
 * An API route as users see it: method, path, inputs and answers. Handlers validate with these
 * schemas and `/openapi.json` is generated from them, so the two cannot disagree; the method, path
 * and authorization come from the blueprint, which the deployment reads too.
 */
export interface RouteDefinition<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
> extends HttpRoute {
  readonly operationId: RouteName;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Accepts `Idempotency-Key` and replays the first answer for a retry. */
  readonly idempotent?: boolean;
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

/** What a route adds to the blueprint's facts of it: its documentation, inputs and answers. */
export type RouteDetails<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
> = Omit<RouteDefinition<P, Q, B>, 'operationId' | keyof HttpRoute>;

/** The route of `operationId`: the blueprint's method, path and auth, with `details`. */
export function defineRoute<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  operationId: RouteName,
  details: RouteDetails<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return { operationId, ...ROUTES[operationId], ...details };
}
