import { viewOperation } from '../core/presentation/operation-view.ts';
import { viewSnapshot } from '../core/presentation/snapshot-view.ts';
import { accountSnapshot } from '../core/use-cases/account-snapshots.ts';
import { requestSnapshotDeletion } from '../core/use-cases/request-snapshot-deletion.ts';
import { httpHandler } from './shared/http-handler.ts';
import { deleteSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/**
 * `DELETE /v1/snapshots/{id}[?purge=true]` answers 202 with the snapshot, in the recycle bin or
 * being deleted for good, and its deletion's operation. Billing has stopped either way.
 */
export const handler = httpHandler(deleteSnapshotRoute, async ({ accountId, params, query }) => {
  const { ports } = await services();
  const { snapshot, operation } = await requestSnapshotDeletion(ports, {
    accountId,
    snapshotId: params.id,
    purge: query.purge === 'true',
  });
  const now = ports.clock.now();
  const accounting = await accountSnapshot(ports, snapshot);
  return {
    status: 202,
    body: {
      snapshot: viewSnapshot(snapshot, now, accounting),
      operation: viewOperation(operation, now),
    },
  };
});
