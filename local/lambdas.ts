import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../infra/catalog.ts';

/** The project root: entries in the catalog are relative to it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Runs the catalog's handler modules in this process, the way the Lambda runtime would. */
export interface LocalLambdas {
  invoke(functionName: string, event: unknown): Promise<unknown>;
}

function lambdaContext(spec: FunctionSpec, deadline: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: spec.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${spec.name}`,
    memoryLimitInMB: String(spec.memoryMB ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${spec.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A Lambda that ran past its timeout fails as Lambda reports it. */
class LambdaTimeoutError extends Error {
  override readonly name = 'Sandbox.Timedout';
}

/**
 * Loads each handler module on first use (as a cold start would) and enforces the function's
 * timeout, so a slow handler fails here as it would in AWS.
 */
export function createLocalLambdas(functions: readonly FunctionSpec[]): LocalLambdas {
  const specs = new Map(functions.map((spec) => [spec.name, spec]));
  const loaded = new Map<string, Promise<Handler>>();
  const load = (spec: FunctionSpec): Promise<Handler> => {
    let handler = loaded.get(spec.name);
    if (!handler) {
      handler = import(pathToFileURL(resolve(PROJECT_ROOT, spec.entry)).href).then(
        (module: { handler?: Handler }) => {
          if (typeof module.handler !== 'function') {
            throw new Error(`${spec.entry} exports no handler`);
          }
          return module.handler;
        },
      );
      loaded.set(spec.name, handler);
    }
    return handler;
  };
  return {
    async invoke(functionName, event) {
      const spec = specs.get(functionName);
      if (!spec) throw new Error(`no local function named ${functionName}`);
      const handler = await load(spec);
      const timeoutMs = (spec.timeoutSeconds ?? 30) * 1000;
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new LambdaTimeoutError(`${functionName} timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([handler(event, lambdaContext(spec, deadline)), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
