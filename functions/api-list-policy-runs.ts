import { mapPage } from '../core/pagination/page.ts';
import { viewPolicyRun } from '../core/presentation/policy-run-view.ts';
import { listPolicyRuns } from '../core/use-cases/list-policy-runs.ts';
import { httpHandler } from './shared/http-handler.ts';
import { listPolicyRunsRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `GET /v1/snapshot-policies/{id}/runs`: a page of the policy's runs, newest first. */
export const handler = httpHandler(listPolicyRunsRoute, async ({ accountId, params, query }) => {
  const { ports } = await services();
  const page = await listPolicyRuns(ports, { accountId, policyId: params.id, ...query });
  return { status: 200, body: mapPage(page, viewPolicyRun) };
});
