import { viewSnapshot } from '../core/presentation/snapshot-view.ts';
import { accountSnapshot } from '../core/use-cases/account-snapshots.ts';
import { getSnapshot } from '../core/use-cases/get-snapshot.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(getSnapshotRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  const snapshot = await getSnapshot(ports, { accountId, snapshotId: params.id });
  const accounting = await accountSnapshot(ports, snapshot);
  return { status: 200, body: viewSnapshot(snapshot, ports.clock.now(), accounting) };
});
