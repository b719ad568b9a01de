import { failOperation, newOperation, type Operation } from '../operations/operation.ts';
import type { OperationType } from '../operations/operation-type.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import { WORKFLOW_OF_OPERATION } from '../workflows/operation-workflows.ts';

/**
 * Stores a running operation of `type` on the snapshot and starts its workflow with the
 * snapshot's ids. A workflow that cannot be started fails the operation with `startFailed` (which
 * says what the user can do) and throws.
 */
export async function startSnapshotOperation(
  deps: Pick<Ports, 'operations' | 'workflows' | 'clock'>,
  input: {
    readonly type: Extract<OperationType, `snapshot.${string}`>;
    readonly snapshot: { readonly id: string; readonly accountId: string };
    readonly operationId: string;
    readonly startFailed: Failure;
  },
): Promise<Operation> {
  const { snapshot } = input;
  const operation = newOperation({
    id: input.operationId,
    accountId: snapshot.accountId,
    type: input.type,
    resourceId: snapshot.id,
    now: toIsoTime(deps.clock.now()),
  });
  await deps.operations.create(operation);
  try {
    await deps.workflows.start(WORKFLOW_OF_OPERATION[input.type], {
      accountId: snapshot.accountId,
      snapshotId: snapshot.id,
      operationId: operation.id,
    });
  } catch (error) {
    const failedAt = toIsoTime(deps.clock.now());
    await deps.operations.update(operation, failOperation(operation, input.startFailed, failedAt));
    throw error;
  }
  return operation;
}
