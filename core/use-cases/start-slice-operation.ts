import type { DomainEvent } from '../events/event-types.ts';
import { failOperation, newOperation, type Operation } from '../operations/operation.ts';
import type { OperationType } from '../operations/operation-type.ts';
import type { Ports } from '../ports/ports.ts';
import type { WorkflowName } from '../ports/workflow-starter.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import type { Slice } from '../slices/slice.ts';
import { IllegalSliceTransitionError, SliceNotFoundError } from '../slices/slice-errors.ts';
import { releaseSliceLock } from './release-slice-lock.ts';

/** An operation that holds a slice's lock while its workflow runs. */
export interface SliceOperationRequest {
  readonly accountId: string;
  readonly sliceId: string;
  readonly type: OperationType;
  readonly workflow: WorkflowName;
  /** The workflow's own input, beside the account, the slice and the operation. */
  readonly workflowInput?: Readonly<Record<string, string | number | boolean | null>>;
  /** The bytes the operation expects to move (its progress), if any. */
  readonly bytesTotal?: number;
  /** A restore that keeps the disk it replaces: the snapshot that will hold it. */
  readonly undoSnapshotId?: string | null;
  /** A deletion that takes a final snapshot first: that snapshot. */
  readonly finalSnapshotId?: string | null;
  /**
   * Takes what else the operation needs once the slice is locked (a snapshot's reader); answers
   * how to give it back if the operation cannot start.
   */
  readonly claim?: (operationId: string, slice: Slice) => Promise<() => Promise<void>>;
  /** Announces the operation: written with it. */
  readonly started?: (slice: Slice, operation: Operation) => DomainEvent | null;
  /** Says the operation could not start: written with its failure. */
  readonly notStarted?: (
    slice: Slice,
    operation: Operation,
    failure: Failure,
  ) => DomainEvent | null;
}

const START_FAILED: Failure = {
  code: 'WORKFLOW_START_FAILED',
  message: 'the operation could not be started',
};

type Deps = Pick<Ports, 'slices' | 'operations' | 'workflows' | 'clock' | 'ids'>;

/**
 * Starts a slice operation on a slice of the account (a deleted one is SliceNotFoundError). The
 * slice's lock is taken first: a second operation is refused at once with SliceBusyError naming the
 * one in the way, and a slice that is not active with IllegalSliceTransitionError. Then whatever
 * `claim` takes is taken, the running operation is stored with its event, and its workflow starts,
 * named after the operation. If anything fails before the workflow starts, the lock and the claim
 * are given back; if the workflow cannot start, the operation is marked failed too.
 */
export async function startSliceOperation(
  deps: Deps,
  request: SliceOperationRequest,
): Promise<{ slice: Slice; operation: Operation }> {
  const now = toIsoTime(deps.clock.now());
  const operationId = deps.ids.next('operation');
  const ids = { accountId: request.accountId, sliceId: request.sliceId, operationId };
  const slice = await deps.slices
    .acquireLock({
      accountId: request.accountId,
      sliceId: request.sliceId,
      operationId,
      operationType: request.type,
      now,
    })
    .catch((error: unknown) => {
      // A deleted slice is gone for its users: not found, like one that never was.
      if (error instanceof IllegalSliceTransitionError && error.from === 'deleted') {
        throw new SliceNotFoundError(request.sliceId);
      }
      throw error;
    });
  const operation = newOperation({
    id: operationId,
    accountId: request.accountId,
    type: request.type,
    resourceId: slice.id,
    bytesTotal: request.bytesTotal ?? 0,
    undoSnapshotId: request.undoSnapshotId ?? null,
    finalSnapshotId: request.finalSnapshotId ?? null,
    now,
  });
  let giveBack: () => Promise<void> = async () => undefined;
  let stored = false;
  try {
    giveBack = (await request.claim?.(operationId, slice)) ?? giveBack;
    const event = request.started?.(slice, operation);
    await deps.operations.create(operation, { events: event ? [event] : [] });
    stored = true;
    await deps.workflows.start(request.workflow, { ...request.workflowInput, ...ids });
  } catch (error) {
    await giveBack();
    await releaseSliceLock(deps, ids);
    if (stored) {
      const failed = failOperation(operation, START_FAILED, toIsoTime(deps.clock.now()));
      const event = request.notStarted?.(slice, failed, START_FAILED);
      await deps.operations.update(operation, failed, { events: event ? [event] : [] });
    }
    throw error;
  }
  return { slice, operation };
}
