import { viewSnapshot } from '../core/presentation/snapshot-view.ts';
import { accountSnapshot } from '../core/use-cases/account-snapshots.ts';
import { updateSnapshot } from '../core/use-cases/update-snapshot.ts';
import { httpHandler } from './shared/http-handler.ts';
import { updateSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `PATCH /v1/snapshots/{id}`: 200 with the snapshot renamed, relabelled or (un)protected. */
export const handler = httpHandler(updateSnapshotRoute, async ({ accountId, params, body }) => {
  const { ports } = await services();
  const snapshot = await updateSnapshot(ports, { accountId, snapshotId: params.id, ...body });
  const accounting = await accountSnapshot(ports, snapshot);
  return { status: 200, body: viewSnapshot(snapshot, ports.clock.now(), accounting) };
});
