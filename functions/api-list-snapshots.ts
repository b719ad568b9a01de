import { mapPage } from '../core/pagination/page.ts';
import { viewSnapshot } from '../core/presentation/snapshot-view.ts';
import { NOT_ACCOUNTED } from '../core/storage/account-storage.ts';
import { accountSnapshots } from '../core/use-cases/account-snapshots.ts';
import { listSnapshots } from '../core/use-cases/list-snapshots.ts';
import { httpHandler } from './shared/http-handler.ts';
import { listSnapshotsRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(listSnapshotsRoute, async ({ accountId, query }) => {
  const { ports } = await services();
  const page = await listSnapshots(ports, { accountId, ...query });
  const now = ports.clock.now();
  const accounting = await accountSnapshots(ports, accountId, page.items);
  const body = mapPage(page, (each) =>
    viewSnapshot(each, now, accounting.get(each.id) ?? NOT_ACCOUNTED),
  );
  return { status: 200, body };
});
