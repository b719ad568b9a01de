import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from './logger.ts';
import { type Services, services } from './services.ts';

/**
 * The one middy stack of every workflow task: logging with the Lambda context, the input parsed
 * with its zod schema, then one use case. Errors are logged and thrown on unchanged: their `name`
 * is what the state machine's `Retry` and `Catch` match.
 */
export function workflowTask<S extends z.ZodType, R>(
  schema: S,
  run: (input: z.output<S>, services: Services) => Promise<R>,
) {
  return middy<unknown, R, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: (request) => {
        logger.warn('workflow task failed', { error: request.error as Error });
      },
    })
    .handler(async (event) => run(schema.parse(event), await services()));
}
