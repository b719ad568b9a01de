import { viewOperation } from '../core/presentation/operation-view.ts';
import { viewSnapshot } from '../core/presentation/snapshot-view.ts';
import { NOT_ACCOUNTED } from '../core/storage/account-storage.ts';
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
  const now = ports.clock.now();
  return {
    status: 202,
    body: {
      snapshot: viewSnapshot(snapshot, now, NOT_ACCOUNTED),
      operation: viewOperation(operation, now),
    },
  };
});
