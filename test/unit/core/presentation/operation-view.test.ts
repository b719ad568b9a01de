import { describe, expect, it } from 'vitest';
import {
  failOperation,
  recordOperationProgress,
  startOperationTransfer,
  succeedOperation,
} from '../../../../core/operations/operation.ts';
import { viewOperation } from '../../../../core/presentation/operation-view.ts';
import { anOperation, T0 } from '../../../support/records.ts';
import { expectContractFieldsOnly } from './view-fields.ts';

const running = anOperation({ id: 'op_1', accountId: 'acct-secret', resourceId: 'snp_1' });

describe('viewOperation', () => {
  it('shows exactly the fields of the contract, never the account', () => {
    const view = viewOperation(running, new Date(T0));

    expectContractFieldsOnly(
      view,
      [
        'id',
        'type',
        'status',
        'resourceType',
        'resourceId',
        'startedAt',
        'finishedAt',
        'elapsedSeconds',
        'progress',
        'error',
      ],
      'acct-secret',
    );
  });

  it('counts elapsed time while running and measures progress', () => {
    const started = startOperationTransfer(running, '2025-03-01T10:00:10.000Z');
    const measured = recordOperationProgress(started, 500, '2025-03-01T10:00:20.000Z');

    const view = viewOperation(measured, new Date('2025-03-01T10:00:22.000Z'));

    expect(view).toMatchObject({
      status: 'running',
      finishedAt: null,
      elapsedSeconds: 22,
      progress: { percent: 50, bytesDone: 500, etaSeconds: 8 },
    });
  });

  it('stops the clock when the operation finishes', () => {
    const succeeded = succeedOperation(running, '2025-03-01T10:01:00.000Z');
    const failed = failOperation(
      running,
      { code: 'WORKFLOW_FAILED', message: 'y' },
      '2025-03-01T10:00:30.000Z',
    );

    const later = new Date('2025-03-01T12:00:00.000Z');

    expect(viewOperation(succeeded, later)).toMatchObject({
      elapsedSeconds: 60,
      progress: { percent: 100, etaSeconds: 0 },
    });
    expect(viewOperation(failed, later)).toMatchObject({
      elapsedSeconds: 30,
      error: { code: 'WORKFLOW_FAILED', message: 'y' },
      progress: { etaSeconds: null },
    });
  });
});
