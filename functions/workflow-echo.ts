import { z } from 'zod';

const EchoInput = z.object({ message: z.string().max(1024) });

/**
 * The placeholder workflow's only task: proves that a state machine file, its substitutions and a
 * Lambda task are wired the same way in AWS and locally.
 */
export async function handler(input: unknown): Promise<{ echoed: string; at: string }> {
  const { message } = EchoInput.parse(input);
  return { echoed: message, at: new Date().toISOString() };
}
