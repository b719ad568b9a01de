import { viewPolicyRun } from '../core/presentation/policy-run-view.ts';
import { runSnapshotPolicy } from '../core/use-cases/run-snapshot-policy.ts';
import { httpHandler } from './shared/http-handler.ts';
import { runSnapshotPolicyRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/snapshot-policies/{id}/run`: 202 with the run begun; 409 while one is going. */
export const handler = httpHandler(runSnapshotPolicyRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  const run = await runSnapshotPolicy(ports, { accountId, policyId: params.id });
  return { status: 202, body: viewPolicyRun(run) };
});
