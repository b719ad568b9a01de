import { viewOperation } from '../core/presentation/operation-view.ts';
import { requestSnapshotVerification } from '../core/use-cases/request-snapshot-verification.ts';
import { httpHandler } from './shared/http-handler.ts';
import { verifySnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/snapshots/{id}/verify`: 202 with the running verification. */
export const handler = httpHandler(verifySnapshotRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  const operation = await requestSnapshotVerification(ports, {
    accountId,
    snapshotId: params.id,
  });
  return { status: 202, body: { operation: viewOperation(operation, ports.clock.now()) } };
});
