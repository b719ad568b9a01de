import { viewPolicy } from '../core/presentation/policy-view.ts';
import { getSnapshotPolicy } from '../core/use-cases/get-snapshot-policy.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getSnapshotPolicyRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `GET /v1/snapshot-policies/{id}`: one policy of the caller's, with its next run. */
export const handler = httpHandler(getSnapshotPolicyRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  const policy = await getSnapshotPolicy(ports, { accountId, policyId: params.id });
  return { status: 200, body: viewPolicy(policy, ports.calendar, ports.clock.now()) };
});
