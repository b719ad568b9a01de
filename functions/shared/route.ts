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

/**
 * What a route adds to the blueprint's facts of it: its documentation, inputs and answers. The
 * answers every route of its kind gives (see `defineRoute`) may be left out of `responses`.
 */
export type RouteDetails<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
> = Omit<RouteDefinition<P, Q, B>, 'operationId' | keyof HttpRoute>;

/** The 400 of a route that takes input; one whose handler reads its own body names it itself. */
export const INVALID_INPUT: RouteResponse = {
  description: 'Invalid input: every bad field is named in `errors`',
};

/** The 401 of a route behind the JWT authorizer. */
const UNAUTHORIZED: RouteResponse = {
  description: 'No token, or an invalid or expired one',
};

/**
 * The route of `operationId`: the blueprint's method, path and auth, with `details`. Every route
 * that takes input answers 400 to input it refuses, and every route behind the JWT authorizer 401
 * to a missing or bad token; a route that says more of either gives its own.
 */
export function defineRoute<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  operationId: RouteName,
  details: RouteDetails<P, Q, B>,
): RouteDefinition<P, Q, B> {
  const facts = ROUTES[operationId];
  const takesInput = details.params || details.query || details.body;
  const responses: Record<number, RouteResponse> = {};
  if (takesInput) responses[400] = INVALID_INPUT;
  if (facts.auth === 'jwt') responses[401] = UNAUTHORIZED;
  Object.assign(responses, details.responses);
  return { operationId, ...facts, ...details, responses };
}
