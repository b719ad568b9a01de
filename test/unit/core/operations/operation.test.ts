import { describe, expect, it } from 'vitest';
import {
  failOperation,
  newOperation,
  type Operation,
  recordOperationProgress,
  startOperationTransfer,
  succeedOperation,
} from '../../../../core/operations/operation.ts';
import { IllegalOperationTransitionError } from '../../../../core/operations/operation-errors.ts';
import type { OperationStatus } from '../../../../core/operations/operation-status.ts';
import { anOperation } from '../../../support/records.ts';

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T10:01:00.000Z';
const STATUSES: readonly OperationStatus[] = ['running', 'succeeded', 'failed'];

function operationIn(status: OperationStatus): Operation {
  return anOperation({ id: 'op_1', resourceId: 'snp_1', status });
}

const TRANSITIONS: readonly {
  name: string;
  to: OperationStatus;
  apply: (operation: Operation) => Operation;
}[] = [
  { name: 'succeedOperation', to: 'succeeded', apply: (op) => succeedOperation(op, T1) },
  {
    name: 'failOperation',
    to: 'failed',
    apply: (op) => failOperation(op, { code: 'WORKFLOW_FAILED', message: 'y' }, T1),
  },
  {
    name: 'recordOperationProgress',
    to: 'running',
    apply: (op) => recordOperationProgress(op, 5, T1),
  },
  { name: 'startOperationTransfer', to: 'running', apply: (op) => startOperationTransfer(op, T1) },
];

describe('operation transitions', () => {
  for (const transition of TRANSITIONS) {
    for (const status of STATUSES) {
      if (status === 'running') {
        it(`${transition.name} moves a running operation to ${transition.to}`, () => {
          expect(transition.apply(operationIn(status))).toMatchObject({
            status: transition.to,
            updatedAt: T1,
          });
        });
      } else {
        it(`${transition.name} refuses a ${status} operation`, () => {
          expect(() => transition.apply(operationIn(status))).toThrow(
            IllegalOperationTransitionError,
          );
        });
      }
    }
  }

  it('records the finish time, the error and full progress where they belong', () => {
    const running = operationIn('running');

    const succeeded = succeedOperation(running, T1);
    const failed = failOperation(running, { code: 'WORKFLOW_FAILED', message: 'y' }, T1);

    expect(succeeded).toMatchObject({ finishedAt: T1, error: null, progress: { bytesDone: 1000 } });
    expect(failed).toMatchObject({
      finishedAt: T1,
      error: { code: 'WORKFLOW_FAILED', message: 'y' },
    });
  });

  it('derives the resource type from the operation type', () => {
    const base = { id: 'op_1', accountId: 'a', resourceId: 'r', now: T0 };

    expect(newOperation({ ...base, type: 'snapshot.delete' }).resourceType).toBe('snapshot');
    expect(newOperation({ ...base, type: 'slice.restore' }).resourceType).toBe('slice');
  });
});
