import { z } from 'zod';
import { completePowerChange } from '../core/use-cases/complete-power-change.ts';
import { SliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const CompleteInput = SliceStepSchema.extend({
  power: z.enum(['on', 'off']),
  previousPower: z.enum(['on', 'off']),
});

/**
 * change-slice-power's `CompletePowerChange` records the new power state, unlocks the slice and
 * emits `Slice Power Changed`.
 */
export const handler = workflowTask(CompleteInput, (input, { ports }) =>
  completePowerChange(ports, input),
);
