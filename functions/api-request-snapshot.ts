import { viewNewSnapshot } from '../core/presentation/snapshot-view.ts';
import { requestSnapshot } from '../core/use-cases/request-snapshot.ts';
import { httpHandler } from './shared/http-handler.ts';
import { createSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/**
 * `POST /v1/slices/{id}/snapshots`: 202 with the pending snapshot and its operation. A new snapshot
 * is neither marked nor billed yet.
 */
export const handler = httpHandler(createSnapshotRoute, async ({ accountId, params, body }) => {
  const { ports } = await services();
  const { snapshot, operation } = await requestSnapshot(ports, {
    accountId,
    sliceId: params.id,
    name: body.name ?? null,
    powerOff: body.powerOff ?? null,
    labels: body.labels ?? null,
  });
  return { status: 202, body: viewNewSnapshot(snapshot, operation, ports.clock.now()) };
});
