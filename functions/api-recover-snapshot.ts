import { viewSnapshot } from '../core/presentation/snapshot-view.ts';
import { accountSnapshot } from '../core/use-cases/account-snapshots.ts';
import { recoverSnapshot } from '../core/use-cases/recover-snapshot.ts';
import { httpHandler } from './shared/http-handler.ts';
import { recoverSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/snapshots/{id}/recover`: 200 with the snapshot, available and billed again. */
export const handler = httpHandler(recoverSnapshotRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  const snapshot = await recoverSnapshot(ports, { accountId, snapshotId: params.id });
  const accounting = await accountSnapshot(ports, snapshot);
  return { status: 200, body: viewSnapshot(snapshot, ports.clock.now(), accounting) };
});
