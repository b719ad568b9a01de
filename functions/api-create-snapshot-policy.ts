import { viewPolicy } from '../core/presentation/policy-view.ts';
import { createSnapshotPolicy } from '../core/use-cases/create-snapshot-policy.ts';
import { httpHandler } from './shared/http-handler.ts';
import { createSnapshotPolicyRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/snapshot-policies`: 201 with the new policy and its next run. */
export const handler = httpHandler(createSnapshotPolicyRoute, async ({ accountId, body }) => {
  const { ports } = await services();
  const policy = await createSnapshotPolicy(ports, { accountId, settings: body });
  return { status: 201, body: viewPolicy(policy, ports.calendar, ports.clock.now()) };
});
