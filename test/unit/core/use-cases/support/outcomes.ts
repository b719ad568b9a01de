import { expect } from 'vitest';
import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import type { StartedWorkflow } from '../../../../../adapters/memory/memory-workflow-starter.ts';
import type { DomainEvent, EventDetailType } from '../../../../../core/events/event-types.ts';
import type { Operation } from '../../../../../core/operations/operation.ts';
import type { OperationResourceType } from '../../../../../core/operations/operation-status.ts';
import type { OperationType } from '../../../../../core/operations/operation-type.ts';
import type { Ports } from '../../../../../core/ports/ports.ts';
import type { Failure } from '../../../../../core/shared/failure.ts';
import type { Slice } from '../../../../../core/slices/slice.ts';
import type { WorkflowError } from '../../../../../core/workflows/workflow-failure.ts';
import { operationUpdatesDown } from './failing-ports.ts';
import { ACCOUNT } from './given-ports.ts';
import { UNKNOWN_ERROR } from './workflow-errors.ts';

/** The events of one detail-type published so far, in order. */
export function eventsOf(ports: MemoryPorts, detailType: EventDetailType): DomainEvent[] {
  return ports.events.published.filter((event) => event.detailType === detailType);
}

/** The operations of the account, newest first, of `type` if given. */
export async function operationsOf(ports: MemoryPorts, type?: OperationType): Promise<Operation[]> {
  const { items } = await ports.operations.list(ACCOUNT, { limit: 50 });
  return items.filter((operation) => type === undefined || operation.type === type);
}

/**
 * Checks what a request leaves when its workflow could not start: the slice active and unlocked,
 * and its one operation of `type` failed for that reason.
 */
export async function expectStartFailureUndone(
  ports: MemoryPorts,
  slice: Slice,
  type: OperationType,
): Promise<void> {
  expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({ status: 'active', lock: null });
  expect(await operationsOf(ports, type)).toEqual([
    expect.objectContaining({
      status: 'failed',
      error: { code: 'WORKFLOW_START_FAILED', message: expect.any(String) },
    }),
  ]);
}

/**
 * Runs a step whose write that ends the operation carries `detailType`: first with that write
 * refused, when the step fails and emits nothing, then again. Checks that the event is then
 * emitted once and the operation succeeded, and answers the events emitted.
 */
export async function expectEmittedOnceOnRetry(
  ports: MemoryPorts,
  detailType: EventDetailType,
  operationId: string,
  step: (deps: Ports) => Promise<unknown>,
): Promise<DomainEvent[]> {
  await expect(step({ ...ports, operations: operationUpdatesDown(ports) })).rejects.toThrow(
    'DynamoDB is down',
  );
  expect(eventsOf(ports, detailType)).toEqual([]);

  await step(ports);

  expect(eventsOf(ports, detailType)).toHaveLength(1);
  expect((await ports.operations.get(ACCOUNT, operationId))?.status).toBe('succeeded');
  return eventsOf(ports, detailType);
}

/**
 * Runs `step` twice, as a retry of a workflow step would. Checks that the first run publishes one
 * event, of `detailType`, and the second publishes nothing more; answers the events published and
 * what each run answered.
 */
export async function expectEmittedOnceWhenRunTwice<T>(
  ports: MemoryPorts,
  detailType: EventDetailType,
  step: () => Promise<T>,
): Promise<{ emitted: DomainEvent[]; first: T; again: T }> {
  const before = ports.events.published.length;
  const first = await step();
  const emitted = ports.events.published.slice(before);
  expect(emitted.map((event) => event.detailType)).toEqual([detailType]);

  const again = await step();

  expect(ports.events.published.slice(before)).toEqual(emitted);
  return { emitted, first, again };
}

/**
 * What a request answers for the operation it starts, for `toMatchObject`: of `type`, running, on
 * the `resourceType` whose id is `resourceId`.
 */
export function aRunningOperation(
  type: OperationType,
  resourceType: OperationResourceType,
  resourceId: string,
): Partial<Operation> {
  return { type, status: 'running', resourceType, resourceId };
}

/**
 * Checks what a request that takes an active, powered-on slice leaves: `operation`, as it was
 * answered, running as `expected.type` on `expected.resource` (the slice unless said otherwise)
 * and stored so, the slice busy under its lock, and `expected.workflow` the one workflow started,
 * with `expected.input`.
 */
export async function expectSliceTakenBy(
  ports: MemoryPorts,
  sliceId: string,
  operation: Operation,
  expected: StartedWorkflow & {
    type: OperationType;
    resource?: [OperationResourceType, string];
  },
): Promise<void> {
  const { type, resource = ['slice', sliceId], ...started } = expected;
  expect(operation).toMatchObject(aRunningOperation(type, ...resource));
  expect(await ports.operations.get(ACCOUNT, operation.id)).toEqual(operation);
  expect(await ports.slices.get(ACCOUNT, sliceId)).toMatchObject({
    status: 'busy',
    power: 'on',
    lock: { operationId: operation.id, operationType: operation.type, power: 'on' },
  });
  expect(ports.workflows.started).toEqual([started]);
}

/** Checks that the stored operation succeeded (with no error) at `finishedAt`, if given. */
export async function expectOperationSucceeded(
  ports: MemoryPorts,
  operationId: string,
  finishedAt?: string,
): Promise<void> {
  expect(await ports.operations.get(ACCOUNT, operationId)).toMatchObject({
    status: 'succeeded',
    error: null,
    ...(finishedAt === undefined ? {} : { finishedAt }),
  });
}

/** Checks that the stored operation failed with `error` at `finishedAt`, if given. */
export async function expectOperationFailed(
  ports: MemoryPorts,
  operationId: string,
  error: Partial<Record<keyof Failure, unknown>>,
  finishedAt?: string,
): Promise<void> {
  expect(await ports.operations.get(ACCOUNT, operationId)).toMatchObject({
    status: 'failed',
    error,
    ...(finishedAt === undefined ? {} : { finishedAt }),
  });
}

/**
 * Checks what a failure step makes of an error it does not know by name: it answers `fallback`,
 * its own generic reason, and fails the step's operation with it.
 */
export async function expectFallbackReason<Step extends { operationId: string }>(
  ports: MemoryPorts,
  step: Step,
  fail: (input: Step & { error: WorkflowError }) => Promise<Failure>,
  fallback: Record<keyof Failure, unknown>,
): Promise<void> {
  const failure = await fail({ ...step, error: UNKNOWN_ERROR });

  expect(failure).toEqual(fallback);
  await expectOperationFailed(ports, step.operationId, failure);
}
