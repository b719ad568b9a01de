import { mapPage } from '../core/pagination/page.ts';
import { viewPolicy } from '../core/presentation/policy-view.ts';
import { listSnapshotPolicies } from '../core/use-cases/list-snapshot-policies.ts';
import { httpHandler } from './shared/http-handler.ts';
import { listSnapshotPoliciesRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `GET /v1/snapshot-policies`: a page of the caller's policies, newest first. */
export const handler = httpHandler(listSnapshotPoliciesRoute, async ({ accountId, query }) => {
  const { ports } = await services();
  const page = await listSnapshotPolicies(ports, { accountId, ...query });
  const now = ports.clock.now();
  return { status: 200, body: mapPage(page, (policy) => viewPolicy(policy, ports.calendar, now)) };
});
