import { simulateSnapshotPolicy } from '../core/use-cases/simulate-snapshot-policy.ts';
import { httpHandler } from './shared/http-handler.ts';
import { simulateSnapshotPolicyRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/snapshot-policies/{id}/simulate`: what the policy would do; changes nothing. */
export const handler = httpHandler(
  simulateSnapshotPolicyRoute,
  async ({ accountId, params, body }) => {
    const { ports } = await services();
    const simulation = await simulateSnapshotPolicy(ports, {
      accountId,
      policyId: params.id,
      days: body.days,
    });
    return { status: 200, body: simulation };
  },
);
