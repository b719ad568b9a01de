import { deleteSnapshotPolicy } from '../core/use-cases/delete-snapshot-policy.ts';
import { httpHandler } from './shared/http-handler.ts';
import { deleteSnapshotPolicyRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `DELETE /v1/snapshot-policies/{id}`: 204; the policy's snapshots stay. */
export const handler = httpHandler(deleteSnapshotPolicyRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  await deleteSnapshotPolicy(ports, { accountId, policyId: params.id });
  return { status: 204 };
});
