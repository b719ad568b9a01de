import { z } from 'zod';
import { dispatchAgentCommand } from '../core/use-cases/dispatch-agent-command.ts';
import { logger } from './shared/logger.ts';
import { resourceId } from './shared/schemas.ts';
import { AccountSchema, AgentCommandSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** What an agent step's `lambda:invoke.waitForTaskToken` task passes in. */
const DispatchInput = z.object({
  taskToken: z.string().min(1).max(8192),
  accountId: AccountSchema,
  sliceId: z.string().min(1),
  hostId: z.string().min(1),
  command: AgentCommandSchema,
  /** The operation (and snapshot) the command's progress is shown on, if any. */
  reportsOn: z
    .object({
      operationId: resourceId('operation'),
      snapshotId: resourceId('snapshot').nullish(),
    })
    .optional(),
});

/**
 * Every agent step of every workflow: sends the step's command to the agent of the slice's host,
 * with the task token as callback. The task then waits for the agent's signed callbacks.
 */
export const handler = workflowTask(DispatchInput, async (input, { ports }) => {
  logger.appendKeys({
    accountId: input.accountId,
    sliceId: input.sliceId,
    hostId: input.hostId,
    commandType: input.command.type,
  });
  const { commandId } = await dispatchAgentCommand(ports, input);
  logger.info('command dispatched', { commandId });
  return { commandId };
});
