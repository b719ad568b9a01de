import { viewPolicy } from '../core/presentation/policy-view.ts';
import { updateSnapshotPolicy } from '../core/use-cases/update-snapshot-policy.ts';
import { httpHandler } from './shared/http-handler.ts';
import { updateSnapshotPolicyRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `PATCH /v1/snapshot-policies/{id}`: 200 with the policy changed in place. */
export const handler = httpHandler(
  updateSnapshotPolicyRoute,
  async ({ accountId, params, body }) => {
    const { ports } = await services();
    const policy = await updateSnapshotPolicy(ports, {
      accountId,
      policyId: params.id,
      changes: body,
    });
    return { status: 200, body: viewPolicy(policy, ports.calendar, ports.clock.now()) };
  },
);
