import { expect, it } from 'vitest';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import {
  failOperation,
  recordOperationProgress,
  succeedOperation,
} from '../../core/operations/operation.ts';
import type { OperationRepository } from '../../core/ports/operation-repository.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { ConcurrentModificationError } from '../../core/shared/persistence-errors.ts';
import { anAccountId, anOperation } from '../support/records.ts';
import { accountRecordsContract } from './account-records.contract.ts';
import { freshPerTest } from './describe-contract.ts';

const T1 = '2025-03-01T11:00:00.000Z';
const KEY = new HmacSigner('operation-contract-cursor-key-0123456789abcdef');

/** The behaviour every OperationRepository shares; `make` builds one signing cursors with `signer`. */
export function operationRepositoryContract(
  make: (cursorSigner: Signer) => OperationRepository,
): void {
  const fresh = freshPerTest(() => ({ operations: make(KEY), accountId: anAccountId() }));

  accountRecordsContract({
    kind: 'operation',
    make,
    aRecord: (accountId) => anOperation({ accountId }),
  });

  it('records progress and then success', async () => {
    const operation = anOperation({ accountId: fresh.accountId });
    await fresh.operations.create(operation);
    const progressed = recordOperationProgress(operation, 400, T1);
    const succeeded = succeedOperation(progressed, '2025-03-01T11:01:00.000Z');

    await fresh.operations.update(operation, progressed);
    await fresh.operations.update(progressed, succeeded);

    expect(await fresh.operations.get(fresh.accountId, operation.id)).toEqual(succeeded);
  });

  it('refuses to finish an operation twice', async () => {
    const operation = anOperation({ accountId: fresh.accountId });
    await fresh.operations.create(operation);
    const failed = failOperation(operation, { code: 'AGENT_UNREACHABLE', message: 'gone' }, T1);
    await fresh.operations.update(operation, failed);

    const late = fresh.operations.update(operation, succeedOperation(operation, T1));

    await expect(late).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(await fresh.operations.get(fresh.accountId, operation.id)).toEqual(failed);
  });

  it('lists the running operations of every account started before a time, not the ended ones', async () => {
    // A moment of its own (the table is shared), with one millisecond between the two.
    const moment = Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e9);
    const startedAt = new Date(moment).toISOString();
    const before = new Date(moment + 1).toISOString();
    const running = anOperation({ accountId: fresh.accountId, startedAt });
    const ofAnother = anOperation({ accountId: anAccountId(), startedAt });
    const ended = anOperation({ accountId: fresh.accountId, startedAt });
    const later = anOperation({ accountId: fresh.accountId, startedAt: before });
    for (const operation of [running, ofAnother, ended, later])
      await fresh.operations.create(operation);
    await fresh.operations.update(ended, succeedOperation(ended, T1));

    const listed = await fresh.operations.listRunning(before, 10);

    expect(listed.map((operation) => operation.id).sort()).toEqual(
      [running.id, ofAnother.id].sort(),
    );
  });
}
