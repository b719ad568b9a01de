import { AgentRefusedError } from '../agents/agent-errors.ts';
import type { Operation } from '../operations/operation.ts';
import type { OperationStatus } from '../operations/operation-status.ts';
import type { AgentCommandSpec } from '../ports/agent-gateway.ts';
import type { Ports } from '../ports/ports.ts';
import type { ExecutionStatus, WorkflowInput } from '../ports/workflow-starter.ts';
import type { Slice } from '../slices/slice.ts';
import type { SliceLock } from '../slices/slice-status.ts';
import { EXECUTION_ENDED_ERRORS, type WorkflowError } from '../workflows/workflow-failure.ts';
import { cleanUpFailedUpload } from './clean-up-failed-upload.ts';
import { completeRestoreIfCommitted } from './complete-restore-if-committed.ts';
import { completeSliceDeletion } from './complete-slice-deletion.ts';
import { failFinalSnapshot } from './fail-final-snapshot.ts';
import { failRestore } from './fail-restore.ts';
import { failSliceCreation } from './fail-slice-creation.ts';
import { failSliceOperation } from './fail-slice-operation.ts';
import { failSnapshotCreation } from './fail-snapshot-creation.ts';
import { failSnapshotDeletion } from './fail-snapshot-deletion.ts';
import { failSnapshotVerification } from './fail-snapshot-verification.ts';
import { failSnapshotCopy } from './finish-snapshot-copy.ts';
import { getOperation } from './get-operation.ts';
import { getSnapshot } from './get-snapshot.ts';

/** How an operation's execution ended without finishing it. */
export type EndedExecutionStatus = Exclude<ExecutionStatus, 'RUNNING' | 'SUCCEEDED'>;

export interface ReconcileOperationInput {
  readonly accountId: string;
  readonly operationId: string;
  readonly executionStatus: EndedExecutionStatus;
  /** The execution's input (the status-change event and DescribeExecution carry it), if known. */
  readonly workflowInput?: WorkflowInput | null;
}

/** What the reconciliation found and did. */
export interface Reconciliation {
  readonly operationId: string;
  /** False when the operation had already ended: there was nothing to do. */
  readonly reconciled: boolean;
  readonly status: OperationStatus;
}

type Deps = Pick<
  Ports,
  | 'slices'
  | 'snapshots'
  | 'operations'
  | 'usage'
  | 'images'
  | 'imageTransfer'
  | 'hosts'
  | 'agents'
  | 'hostLoad'
  | 'clock'
>;

/** Runs the compensation's agent steps on the slice's host: one command each, waited for. */
interface HostSteps {
  run(step: string, command: AgentCommandSpec): Promise<Readonly<Record<string, unknown>>>;
  /** As `run`, but a refusal (the agent's own error) is answered as null: the step is best effort. */
  tryRun(
    step: string,
    command: AgentCommandSpec,
  ): Promise<Readonly<Record<string, unknown>> | null>;
}

/**
 * The agent of the slice's host, when the slice has one the registry still lists; null otherwise
 * (no disk to act on). Command IDs name the operation, the step and the attempt.
 */
async function hostSteps(deps: Deps, slice: Slice, operationId: string): Promise<HostSteps | null> {
  if (slice.hostId === null) return null;
  const host = await deps.hosts.get(slice.hostId);
  if (host === null) return null;
  const attempt = deps.clock.now().getTime();
  const run: HostSteps['run'] = (step, command) =>
    deps.agents.run(host, {
      sliceId: slice.id,
      commandId: `reconcile-${operationId.replace(/_/g, '-')}-${step}-${attempt}`,
      command,
    });
  return {
    run,
    async tryRun(step, command) {
      try {
        return await run(step, command);
      } catch (error) {
        if (error instanceof AgentRefusedError) return null;
        throw error;
      }
    },
  };
}

/** The slice's lock when this operation holds it: only then may its host be touched. */
function heldLock(slice: Slice | null, operationId: string): SliceLock | null {
  return slice?.lock?.operationId === operationId ? slice.lock : null;
}

/**
 * The host of a slice this operation still holds, with the command the operation had running there
 * stopped, and the lock (the power state from before). Null when the slice is gone, held by another
 * operation or by none, or has no host: there is nothing on a host to put back.
 */
async function stoppedOnHost(
  deps: Deps,
  operation: Operation,
  sliceId: string,
): Promise<{ steps: HostSteps; lock: SliceLock } | null> {
  const slice = await deps.slices.get(operation.accountId, sliceId);
  const lock = heldLock(slice, operation.id);
  const steps = slice && lock ? await hostSteps(deps, slice, operation.id) : null;
  if (!steps || !lock) return null;
  await steps.run('cancel', { type: 'cancel' });
  return { steps, lock };
}

/** The ids a snapshot operation's use cases take: the snapshot is the operation's resource. */
function snapshotOperationIds(operation: Operation) {
  return {
    accountId: operation.accountId,
    snapshotId: operation.resourceId,
    operationId: operation.id,
  };
}

/** The ids a slice operation's use cases take: the slice is the operation's resource. */
function sliceOperationIds(operation: Operation) {
  return {
    accountId: operation.accountId,
    sliceId: operation.resourceId,
    operationId: operation.id,
  };
}

/** Puts the power state the lock recorded back; the agent answers at once if it already is. */
async function restorePower(steps: HostSteps, lock: SliceLock): Promise<void> {
  await steps.run(`power-${lock.power}`, { type: lock.power === 'on' ? 'power-on' : 'power-off' });
}

/**
 * create-snapshot's compensation. The command still running is stopped, the power state put back
 * and the capture discarded; then the same `FailSnapshot` and `CleanUpUpload` use cases run as in
 * the workflow.
 */
async function compensateSnapshotCreation(
  deps: Deps,
  operation: Operation,
  error: WorkflowError,
): Promise<void> {
  const snapshot = await getSnapshot(deps, {
    accountId: operation.accountId,
    snapshotId: operation.resourceId,
  });
  const ids = {
    accountId: operation.accountId,
    sliceId: snapshot.sliceId,
    snapshotId: snapshot.id,
    operationId: operation.id,
  };
  const held = await stoppedOnHost(deps, operation, snapshot.sliceId);
  if (held) {
    await restorePower(held.steps, held.lock);
    await held.steps.tryRun('discard-capture', { type: 'discard-capture', captureId: snapshot.id });
  }
  const outcome = await failSnapshotCreation(deps, { ...ids, error });
  if (outcome.status !== 'failed') return;
  await cleanUpFailedUpload(deps, ids);
}

/** The restore's snapshot, from the execution's input. */
function restoredSnapshotId(input: ReconcileOperationInput): string {
  const snapshotId = input.workflowInput?.snapshotId;
  if (typeof snapshotId !== 'string') {
    throw new Error(`the restore ${input.operationId} has no snapshotId in its execution input`);
  }
  return snapshotId;
}

/** The snapshot that was to keep the disk a restore replaces, from the execution's input. */
function undoSnapshotIdOf(input: ReconcileOperationInput): string | null {
  const undoSnapshotId = input.workflowInput?.undoSnapshotId;
  return typeof undoSnapshotId === 'string' ? undoSnapshotId : null;
}

/**
 * restore-slice's compensation. A restore already committed is completed
 * (`CompleteRestoreIfCommitted`) and never rolled back. Otherwise the write is stopped, the
 * replaced disk put back (the slice powered off first if it runs on the restored one), the
 * capture of the disk it was to keep discarded and the power state put back, then `FailRestore`
 * runs, and what the upload of the kept disk stored is cleaned up.
 */
async function compensateRestore(
  deps: Deps,
  operation: Operation,
  input: ReconcileOperationInput,
  error: WorkflowError,
): Promise<void> {
  const ids = {
    accountId: operation.accountId,
    sliceId: operation.resourceId,
    snapshotId: restoredSnapshotId(input),
    operationId: operation.id,
  };
  const undoSnapshotId = undoSnapshotIdOf(input);
  const slice = await deps.slices.get(ids.accountId, ids.sliceId);
  const lock = heldLock(slice, operation.id);
  const steps = slice ? await hostSteps(deps, slice, operation.id) : null;
  if ((await completeRestoreIfCommitted(deps, ids)).committed) {
    await steps?.tryRun('discard-rollback', { type: 'discard-rollback', rollbackId: operation.id });
    return;
  }
  let rollBackError: WorkflowError | null = null;
  if (steps && lock) {
    await steps.run('cancel', { type: 'cancel' });
    const rollBack = { type: 'roll-back-image', rollbackId: operation.id } as const;
    try {
      await steps.run('roll-back', rollBack);
    } catch (first) {
      if (!(first instanceof AgentRefusedError)) throw first;
      // SlicePoweredOn: it runs on the restored disk, which must stop before the old one returns.
      await steps.tryRun('power-off', { type: 'power-off' });
      const retried = await steps.tryRun('roll-back-again', rollBack);
      if (retried === null) rollBackError = { Error: first.name, Cause: first.message };
    }
    if (undoSnapshotId) {
      await steps.tryRun('discard-undo-capture', {
        type: 'discard-capture',
        captureId: undoSnapshotId,
      });
    }
    await restorePower(steps, lock);
  }
  await failRestore(deps, { ...ids, error, rollBackError, undoSnapshotId });
  if (undoSnapshotId) await cleanUpFailedUpload(deps, { ...ids, snapshotId: undoSnapshotId });
}

/**
 * change-slice-power's compensation stops the command and puts the power state from before back.
 */
async function compensatePowerChange(
  deps: Deps,
  operation: Operation,
  error: WorkflowError,
): Promise<void> {
  const ids = sliceOperationIds(operation);
  const held = await stoppedOnHost(deps, operation, ids.sliceId);
  if (held) await restorePower(held.steps, held.lock);
  await failSliceOperation(deps, { ...ids, error });
}

/**
 * delete-slice's compensation. A disk already gone means the deletion happened, so it completes it
 * (`CompleteSliceDeletion`, as the workflow does after `DiskNotFound`); otherwise it puts the power
 * state back and runs `FailSliceDeletion`, and a final snapshot asked for fails, its capture
 * discarded and its upload cleaned up (`FailFinalSnapshot`, `CleanUpFinalUpload`).
 */
async function compensateSliceDeletion(
  deps: Deps,
  operation: Operation,
  error: WorkflowError,
): Promise<void> {
  const finalSnapshotId = operation.finalSnapshotId ?? null;
  const ids = sliceOperationIds(operation);
  const held = await stoppedOnHost(deps, operation, ids.sliceId);
  if (held) {
    const status = await held.steps.run('status', { type: 'status' });
    if (status.exists === false) {
      await completeSliceDeletion(deps, ids);
      return;
    }
    if (finalSnapshotId) {
      await held.steps.tryRun('discard-final-capture', {
        type: 'discard-capture',
        captureId: finalSnapshotId,
      });
    }
    await restorePower(held.steps, held.lock);
  }
  await failSliceOperation(deps, { ...ids, error });
  if (finalSnapshotId) {
    const { cleanUp } = await failFinalSnapshot(deps, {
      ...ids,
      snapshotId: finalSnapshotId,
      error,
    });
    if (cleanUp) await cleanUpFailedUpload(deps, { ...ids, snapshotId: finalSnapshotId });
  }
}

/**
 * create-slice's compensation stops the build, releases whatever disk it wrote and runs
 * `FailSliceCreation`.
 */
async function compensateSliceCreation(
  deps: Deps,
  operation: Operation,
  error: WorkflowError,
): Promise<void> {
  const ids = sliceOperationIds(operation);
  const slice = await deps.slices.get(ids.accountId, ids.sliceId);
  const steps = slice?.status === 'building' ? await hostSteps(deps, slice, operation.id) : null;
  if (steps) {
    await steps.run('cancel', { type: 'cancel' });
    await steps.tryRun('delete-disk', { type: 'delete-disk' });
  }
  await failSliceCreation(deps, { ...ids, error });
}

/**
 * Finishes an operation whose workflow ended outside its `Catch` (stopped, timed out, a step
 * failing without one, or never started) the way the workflow's own compensation would, with the
 * same use cases. Whatever still runs on the host is stopped, the slice's power state and disk are
 * put back, captures and half-written disks are discarded, and locks and readers are released. The
 * resource and the operation then fail with an `error.code` saying how the workflow ended, and the
 * failure event is emitted. It is idempotent: an operation that has finished is left alone, and
 * every step may run again. An agent that cannot be reached fails the call, since nothing is ended
 * on a guess; a retry, or the next sweep, finishes it.
 */
export async function reconcileOperation(
  deps: Deps,
  input: ReconcileOperationInput,
): Promise<Reconciliation> {
  const operation = await getOperation(deps, input);
  if (operation.status !== 'running') {
    return { operationId: operation.id, reconciled: false, status: operation.status };
  }
  const error: WorkflowError = {
    Error: EXECUTION_ENDED_ERRORS[input.executionStatus],
    Cause: `the workflow's execution ended ${input.executionStatus}`,
  };
  switch (operation.type) {
    case 'snapshot.create':
      await compensateSnapshotCreation(deps, operation, error);
      break;
    case 'slice.restore':
      await compensateRestore(deps, operation, input, error);
      break;
    case 'slice.power':
      await compensatePowerChange(deps, operation, error);
      break;
    case 'slice.delete':
      await compensateSliceDeletion(deps, operation, error);
      break;
    case 'slice.create':
      await compensateSliceCreation(deps, operation, error);
      break;
    case 'snapshot.verify':
      await failSnapshotVerification(deps, { ...snapshotOperationIds(operation), error });
      break;
    case 'snapshot.copy':
      await failSnapshotCopy(deps, { ...snapshotOperationIds(operation), error });
      break;
    case 'snapshot.delete':
      await failSnapshotDeletion(deps, { ...snapshotOperationIds(operation), error });
      break;
  }
  const ended = await getOperation(deps, input);
  return { operationId: ended.id, reconciled: true, status: ended.status };
}
