import { describe, expect, it } from 'vitest';
import { AgentRefusedError, AgentUnreachableError } from '../../../../core/agents/agent-errors.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { WorkflowInput } from '../../../../core/ports/workflow-starter.ts';
import {
  type EndedExecutionStatus,
  reconcileOperation,
} from '../../../../core/use-cases/reconcile-operation.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import { requestSliceDeletion } from '../../../../core/use-cases/request-slice-deletion.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { requestSnapshotVerification } from '../../../../core/use-cases/request-snapshot-verification.ts';
import { expectSliceFree } from './support/expectations.ts';
import { ACCOUNT, givenPorts, HOST, TWENTY_MINUTES_LATER as LATER } from './support/given-ports.ts';
import { eventsOf, expectOperationFailed } from './support/outcomes.ts';
import {
  anActiveSlice,
  anAvailableSnapshot,
  anUploadingSnapshot,
  aRequestedRestore,
  lockReleasedBy,
  storeUploadedImage,
} from './support/use-case-steps.ts';

const REGISTERED_HOST = {
  id: HOST,
  region: 'fra1',
  url: 'https://a.fra1.test',
  secret: 'a-host-secret-of-at-least-32-characters',
};

describe('reconcileOperation', () => {
  const given = givenPorts(() => ({}), { hosts: [REGISTERED_HOST] });

  /** Reconciles the account's operation whose execution stopped as `executionStatus` says. */
  const reconcile = (
    operationId: string,
    executionStatus: EndedExecutionStatus,
    workflowInput: WorkflowInput | null = null,
  ) =>
    reconcileOperation(given.ports, {
      accountId: ACCOUNT,
      operationId,
      executionStatus,
      workflowInput,
    });

  it('finishes a snapshot stopped mid-upload as its compensation would', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { power: 'on' });
    const { step } = await anUploadingSnapshot(ports, slice);
    // The upload wrote a chunk, and its manifest PUT landed as the execution was stopped.
    storeUploadedImage(ports, step.snapshotId, { diskBytes: 1, usedBytes: 1 }, ['half-written']);
    ports.clock.set(LATER);

    const outcome = await reconcile(step.operationId, 'ABORTED');

    expect(outcome).toEqual({ operationId: step.operationId, reconciled: true, status: 'failed' });
    expect(ports.agents.typesRunOn(slice.id)).toEqual(['cancel', 'power-on', 'discard-capture']);
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toMatchObject({
      status: 'failed',
      error: { code: 'WORKFLOW_ABORTED' },
    });
    await expectSliceFree(ports, slice.id, 'on');
    await expectOperationFailed(ports, step.operationId, { code: 'WORKFLOW_ABORTED' }, LATER);
    expect(eventsOf(ports, EVENT.snapshotFailed)).toHaveLength(1);
    // The manifest is removed; the chunk is left to the chunk collection.
    expect(await ports.images.in('fra1').readImage(ACCOUNT, step.snapshotId)).toBeNull();
    expect(ports.images.in('fra1').keys()).toEqual([`${ACCOUNT}/chunks/half-written`]);
  });

  it('leaves a slice that was off powered off', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { power: 'off' });
    const { step } = await anUploadingSnapshot(ports, slice);

    await reconcile(step.operationId, 'TIMED_OUT');

    expect(ports.agents.typesRunOn(slice.id)).toEqual(['cancel', 'power-off', 'discard-capture']);
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      error: { code: 'WORKFLOW_TIMED_OUT' },
    });
  });

  it('does nothing for an operation that has ended, however often it is told', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);
    const { step } = await anUploadingSnapshot(ports, slice);
    const input = {
      accountId: ACCOUNT,
      operationId: step.operationId,
      executionStatus: 'ABORTED' as const,
    };
    await reconcileOperation(ports, input);
    const commands = ports.agents.ran.length;

    const again = await reconcileOperation(ports, input);

    expect(again).toEqual({ operationId: step.operationId, reconciled: false, status: 'failed' });
    expect(ports.agents.ran).toHaveLength(commands);
    expect(eventsOf(ports, EVENT.snapshotFailed)).toHaveLength(1);
  });

  it('ends nothing while the host cannot be reached: a retry finishes it', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);
    const { step } = await anUploadingSnapshot(ports, slice);
    ports.agents.answer('cancel', new AgentUnreachableError(HOST, 'connection refused'));
    const input = {
      accountId: ACCOUNT,
      operationId: step.operationId,
      executionStatus: 'ABORTED' as const,
    };

    await expect(reconcileOperation(ports, input)).rejects.toThrow(AgentUnreachableError);
    const meanwhile = await ports.operations.get(ACCOUNT, step.operationId);
    ports.agents.answer('cancel', { cancelledCommandId: null });
    const retried = await reconcileOperation(ports, input);

    expect(meanwhile?.status).toBe('running');
    expect(retried.status).toBe('failed');
  });

  it('rolls a stopped restore back, powering off a slice that runs the restored disk', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { power: 'on' });
    const snapshot = await anAvailableSnapshot(ports, slice);
    const step = await aRequestedRestore(ports, snapshot);
    ports.agents.answer(
      'roll-back-image',
      new AgentRefusedError(HOST, 'SlicePoweredOn', 200, 'the slice runs'),
      { rolledBack: true },
    );

    await reconcile(step.operationId, 'ABORTED', { ...step });

    expect(ports.agents.typesRunOn(slice.id)).toEqual([
      'cancel',
      'roll-back-image',
      'power-off',
      'roll-back-image',
      'power-on',
    ]);
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    await expectSliceFree(ports, slice.id);
    await expectOperationFailed(ports, step.operationId, { code: 'WORKFLOW_ABORTED' });
    expect(eventsOf(ports, EVENT.sliceRestoreFailed)).toHaveLength(1);
  });

  it('finishes a restore committed before its execution stopped, never rolling it back', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { power: 'off' });
    const snapshot = await anAvailableSnapshot(ports, slice);
    const step = await aRequestedRestore(ports, snapshot);
    await lockReleasedBy(ports, slice.id, step.operationId);

    const outcome = await reconcile(step.operationId, 'ABORTED', { ...step });

    expect(outcome.status).toBe('succeeded');
    expect(ports.agents.typesRunOn(slice.id)).toEqual(['discard-rollback']);
  });

  it('puts the power state before a stopped power change back', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { power: 'on' });
    const operation = await requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      state: 'off',
    });

    await reconcile(operation.id, 'ABORTED');

    expect(ports.agents.typesRunOn(slice.id)).toEqual(['cancel', 'power-on']);
    await expectSliceFree(ports, slice.id, 'on');
    expect(await ports.operations.get(ACCOUNT, operation.id)).toMatchObject({ status: 'failed' });
  });

  it('completes a slice deletion whose disk was already deleted', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { power: 'on' });
    const operation = await requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });
    ports.agents.answer('status', { sliceId: slice.id, exists: false });

    const outcome = await reconcile(operation.id, 'ABORTED');

    expect(outcome.status).toBe('succeeded');
    expect((await ports.slices.get(ACCOUNT, slice.id))?.status).toBe('deleted');
  });

  it('keeps a slice whose deletion stopped before its disk went, powered as before', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { power: 'on' });
    const operation = await requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });
    ports.agents.answer('status', { sliceId: slice.id, exists: true, power: 'off' });

    const outcome = await reconcile(operation.id, 'ABORTED');

    expect(outcome.status).toBe('failed');
    expect(ports.agents.typesRunOn(slice.id)).toEqual(['cancel', 'status', 'power-on']);
    await expectSliceFree(ports, slice.id);
  });

  it('fails a stopped snapshot deletion, which a new request takes up again', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);
    const snapshot = await anAvailableSnapshot(ports, slice);
    const { operation } = await requestSnapshotDeletion(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      purge: true,
    });

    const outcome = await reconcile(operation.id, 'TIMED_OUT');

    expect(outcome.status).toBe('failed');
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.status).toBe('deleting');
  });

  it('fails a stopped verification and leaves the snapshot as it was', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);
    const snapshot = await anAvailableSnapshot(ports, slice);
    const operation = await requestSnapshotVerification(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
    });

    const outcome = await reconcile(operation.id, 'ABORTED');

    expect(outcome.status).toBe('failed');
    expect((await ports.operations.get(ACCOUNT, operation.id))?.error?.code).toBe(
      'WORKFLOW_ABORTED',
    );
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      status: 'available',
      verifyState: 'unverified',
    });
  });
});
