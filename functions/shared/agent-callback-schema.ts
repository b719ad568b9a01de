import { z } from 'zod';

const TaskToken = z.string().min(1).max(8192);
const CommandId = z.string().min(1).max(128);

/** An agent callback body (agent/protocol/callbacks.ts), checked before anything trusts it. */
export const AgentCallbackSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('heartbeat'),
    taskToken: TaskToken,
    commandId: CommandId,
    progress: z
      .object({ bytesDone: z.number().nonnegative(), bytesTotal: z.number().nonnegative() })
      .optional(),
  }),
  z.object({
    kind: z.literal('success'),
    taskToken: TaskToken,
    commandId: CommandId,
    result: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    kind: z.literal('failure'),
    taskToken: TaskToken,
    commandId: CommandId,
    error: z.object({ name: z.string().min(1).max(256), message: z.string().max(32_768) }),
  }),
]);
