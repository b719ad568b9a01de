import type { HttpRoute } from '../../blueprint/facts.ts';
import type { FunctionSpec } from '../../infra/catalog.ts';

export interface MatchedRoute {
  readonly route: HttpRoute;
  readonly functionName: string;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
}

interface CompiledRoute {
  readonly route: HttpRoute;
  readonly functionName: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Literal segments first: API Gateway prefers the most specific route. */
  readonly specificity: number;
}

function compile(route: HttpRoute, functionName: string): CompiledRoute {
  const names: string[] = [];
  const segments = route.path.split('/').map((segment) => {
    const greedy = /^\{(\w+)\+\}$/.exec(segment);
    if (greedy?.[1]) {
      names.push(greedy[1]);
      return '(.+)';
    }
    const param = /^\{(\w+)\}$/.exec(segment);
    if (param?.[1]) {
      names.push(param[1]);
      return '([^/]+)';
    }
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  const literal = route.path.split('/').filter((segment) => !segment.startsWith('{')).length;
  return {
    route,
    functionName,
    pattern: new RegExp(`^${segments.join('/')}$`),
    names,
    specificity: literal,
  };
}

/** Matches requests to the catalog's routes the way an HTTP API does. */
export function createRouter(functions: readonly FunctionSpec[]) {
  const compiled = functions
    .flatMap((spec) => (spec.routes ?? []).map((route) => compile(route, spec.name)))
    .sort((a, b) => b.specificity - a.specificity);
  return (method: string, path: string): MatchedRoute | undefined => {
    for (const candidate of compiled) {
      if (candidate.route.method !== method) continue;
      const match = candidate.pattern.exec(path);
      if (!match) continue;
      const pathParameters: Record<string, string> = {};
      candidate.names.forEach((name, index) => {
        pathParameters[name] = decodeURIComponent(match[index + 1] ?? '');
      });
      return {
        route: candidate.route,
        functionName: candidate.functionName,
        routeKey: `${candidate.route.method} ${candidate.route.path}`,
        pathParameters,
      };
    }
    return undefined;
  };
}
