import { basename } from 'node:path';
import type { Context } from 'aws-lambda';
import { beforeAll } from 'vitest';
import { lambdaContext } from './lambda-context.ts';
import { setServiceEnvironment } from './stored-records.ts';

/**
 * The handler of `entry` (a path from the repository root), imported once for the enclosing
 * describe after `environment` has set what the module reads as it loads (the service's
 * environment unless given). A call without a context passes one named after the function.
 */
export function loadedHandler<Event = unknown, Result = unknown>(
  entry: string,
  environment: () => void = setServiceEnvironment,
): (event: Event, context?: Context) => Promise<Result> {
  type Handler = (event: Event, context: Context) => Promise<Result>;
  let loaded: Handler | undefined;
  beforeAll(async () => {
    environment();
    ({ handler: loaded } = (await import(`../../../${entry}`)) as { handler: Handler });
  });
  const functionName = basename(entry, '.ts');
  return (event, context = lambdaContext(functionName)) => {
    if (!loaded) throw new Error(`${entry} is not loaded yet`);
    return loaded(event, context);
  };
}
