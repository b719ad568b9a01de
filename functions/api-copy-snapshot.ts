import { viewNewSnapshot } from '../core/presentation/snapshot-view.ts';
import { requestSnapshotCopy } from '../core/use-cases/request-snapshot-copy.ts';
import { httpHandler } from './shared/http-handler.ts';
import { copySnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/**
 * `POST /v1/snapshots/{id}/copy`: 202 with the copy, `copying` in the target region, and its
 * operation. A new copy is neither counted nor billed yet.
 */
export const handler = httpHandler(copySnapshotRoute, async ({ accountId, params, body }) => {
  const { ports } = await services();
  const { snapshot, operation } = await requestSnapshotCopy(ports, {
    accountId,
    snapshotId: params.id,
    region: body.region,
    name: body.name,
  });
  return { status: 202, body: viewNewSnapshot(snapshot, operation, ports.clock.now()) };
});
