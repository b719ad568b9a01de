import { simulateUnsavedSnapshotPolicy } from '../core/use-cases/simulate-snapshot-policy.ts';
import { httpHandler } from './shared/http-handler.ts';
import { simulateUnsavedSnapshotPolicyRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/snapshot-policies/simulate`: what a policy not saved yet would do. */
export const handler = httpHandler(
  simulateUnsavedSnapshotPolicyRoute,
  async ({ accountId, body }) => {
    const { ports } = await services();
    const { days, ...settings } = body;
    const simulation = await simulateUnsavedSnapshotPolicy(ports, { accountId, settings, days });
    return { status: 200, body: simulation };
  },
);
