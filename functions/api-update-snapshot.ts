import { viewSnapshot } from '../core/presentation/snapshot-view.ts';
import { renameSnapshot } from '../core/use-cases/rename-snapshot.ts';
import { httpHandler } from './shared/http-handler.ts';
import { renameSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(renameSnapshotRoute, async ({ accountId, params, body }) => {
  const { ports } = await services();
  const snapshot = await renameSnapshot(ports, {
    accountId,
    snapshotId: params.id,
    name: body.name,
  });
  return { status: 200, body: viewSnapshot(snapshot, ports.clock.now()) };
});
