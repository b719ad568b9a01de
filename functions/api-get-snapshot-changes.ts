import { getSnapshotChanges } from '../core/use-cases/get-snapshot-changes.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getSnapshotChangesRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(
  getSnapshotChangesRoute,
  async ({ accountId, params, query }) => {
    const { ports } = await services();
    const { base, ...page } = query;
    const changes = await getSnapshotChanges(ports, {
      accountId,
      snapshotId: params.id,
      baseId: base,
      ...page,
    });
    return { status: 200, body: changes };
  },
);
