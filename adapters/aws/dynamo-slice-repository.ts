import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { labelSelectorScope, selectedBy } from '../../core/labels/label-selector.ts';
import { NO_LABELS, sameLabels } from '../../core/labels/labels.ts';
import type { OperationType } from '../../core/operations/operation-type.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { SliceFilter, SliceRepository } from '../../core/ports/slice-repository.ts';
import { ConcurrentModificationError } from '../../core/shared/persistence-errors.ts';
import { lockSlice, type Slice, unlockSlice } from '../../core/slices/slice.ts';
import { SliceNotFoundError } from '../../core/slices/slice-errors.ts';
import type { SliceLockRelease, SliceLockRequest } from '../../core/slices/slice-lock.ts';
import type { PowerState } from '../../core/slices/slice-status.ts';
import { type AccountRecordsOptions, DynamoAccountRecords } from './dynamo-account-records.ts';
import { type ConditionParts, expectFlag, expectLabels } from './dynamo-expected-attributes.ts';
import { recordAttributes } from './dynamo-items.ts';
import { recordKey, type TableKey } from './dynamo-keys.ts';
import { type Condition, type Item, isConditionFailure } from './dynamo-record-table.ts';

// The lock lives in top-level attributes, present only while held, so that one conditional write
// can test for a holder (attribute_not_exists) and copy the power state (`lockPower = power`).
const LOCK_OPERATION_ID = 'lockOperationId';
const LOCK_OPERATION_TYPE = 'lockOperationType';
const LOCK_POWER = 'lockPower';

// A lock step whose condition failed reads the slice to say why; if the slice changed again in
// between, the step is tried anew, a few times at most.
const LOCK_ATTEMPTS = 3;

function toItem(slice: Slice): Item & TableKey {
  const { lock, ...rest } = slice;
  return {
    ...rest,
    ...recordKey('slice', slice.accountId, slice.id),
    ...(lock
      ? {
          [LOCK_OPERATION_ID]: lock.operationId,
          [LOCK_OPERATION_TYPE]: lock.operationType,
          [LOCK_POWER]: lock.power,
        }
      : {}),
    recordKind: 'slice',
  };
}

function fromItem(item: Item): Slice {
  const {
    [LOCK_OPERATION_ID]: operationId,
    [LOCK_OPERATION_TYPE]: operationType,
    [LOCK_POWER]: power,
    ...rest
  } = recordAttributes(item);
  const lock =
    typeof operationId === 'string'
      ? {
          operationId,
          operationType: operationType as OperationType,
          power: power as PowerState,
        }
      : null;
  const slice = rest as Omit<Slice, 'lock'>;
  // Records stored before slices had labels and delete protection have neither.
  return {
    ...slice,
    labels: slice.labels ?? NO_LABELS,
    deleteProtected: slice.deleteProtected ?? false,
    lock,
  };
}

/**
 * Beyond the status and the lock holder: a write that moves the status or the protection expects
 * the delete protection as read (no deletion passes a protection set meanwhile), and a write that
 * changes the labels expects them as read (two merges never lose each other's keys).
 */
function expectedProtectionAndLabels(current: Slice, next: Slice): Condition {
  const expected: ConditionParts = { names: {}, values: {}, parts: [] };
  if (next.status !== current.status || next.deleteProtected !== current.deleteProtected) {
    expectFlag(expected, 'deleteProtected', current.deleteProtected);
  }
  if (!sameLabels(current.labels, next.labels)) expectLabels(expected, current.labels);
  return {
    expression: expected.parts.join(' AND '),
    names: expected.names,
    values: expected.values,
  };
}

/**
 * SliceRepository on the single table: `pk = ACCOUNT#<account>`, `sk = SLICE#<id>`. The lock is
 * taken and released by single conditional writes, so two operations never both hold a slice.
 */
export class DynamoSliceRepository extends DynamoAccountRecords<Slice> implements SliceRepository {
  constructor(options: AccountRecordsOptions) {
    super(options, { kind: 'slice', toItem, fromItem });
  }

  async update(current: Slice, next: Slice): Promise<void> {
    const holder = current.lock?.operationId ?? null;
    const more = expectedProtectionAndLabels(current, next);
    const condition: Condition = {
      expression: [
        holder === null
          ? '#status = :expectedStatus AND attribute_not_exists(#lockOperationId)'
          : '#status = :expectedStatus AND #lockOperationId = :expectedHolder',
        ...(more.expression ? [more.expression] : []),
      ].join(' AND '),
      names: { '#status': 'status', '#lockOperationId': LOCK_OPERATION_ID, ...more.names },
      values: {
        ':expectedStatus': current.status,
        ...(holder === null ? {} : { ':expectedHolder': holder }),
        ...more.values,
      },
    };
    await this.updateRecord(
      current,
      next,
      condition,
      holder ? `${current.status} under ${holder}` : current.status,
    );
  }

  async acquireLock(request: SliceLockRequest): Promise<Slice> {
    const { accountId, sliceId, now } = request;
    const operation = { operationId: request.operationId, operationType: request.operationType };
    // A deletion takes the lock only of a slice without delete protection, in the same write.
    const deletion = operation.operationType === 'slice.delete';
    const unprotected = deletion
      ? ' AND (attribute_not_exists(#deleteProtected) OR #deleteProtected = :unprotected)'
      : '';
    return this.#lockStep(
      accountId,
      sliceId,
      {
        ConditionExpression: `#status = :active AND attribute_not_exists(#lockOperationId)${unprotected}`,
        UpdateExpression:
          'SET #status = :busy, #lockOperationId = :operationId, ' +
          '#lockOperationType = :operationType, #lockPower = #power, #updatedAt = :now',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#power': 'power',
          '#updatedAt': 'updatedAt',
          '#lockOperationId': LOCK_OPERATION_ID,
          '#lockOperationType': LOCK_OPERATION_TYPE,
          '#lockPower': LOCK_POWER,
          ...(deletion ? { '#deleteProtected': 'deleteProtected' } : {}),
        },
        ExpressionAttributeValues: {
          ':active': 'active',
          ':busy': 'busy',
          ':operationId': operation.operationId,
          ':operationType': operation.operationType,
          ':now': now,
          ...(deletion ? { ':unprotected': false } : {}),
        },
      },
      // The domain rule explains the refusal: the holder again (unchanged), busy, not active, or
      // protected from a deletion.
      (stored) => (lockSlice(stored, operation, now) === stored ? stored : null),
      'active',
    );
  }

  async releaseLock({ accountId, sliceId, operationId, now }: SliceLockRelease): Promise<Slice> {
    return this.#lockStep(
      accountId,
      sliceId,
      {
        ConditionExpression: '#status = :busy AND #lockOperationId = :operationId',
        UpdateExpression:
          'SET #status = :active, #updatedAt = :now ' +
          'REMOVE #lockOperationId, #lockOperationType, #lockPower',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#updatedAt': 'updatedAt',
          '#lockOperationId': LOCK_OPERATION_ID,
          '#lockOperationType': LOCK_OPERATION_TYPE,
          '#lockPower': LOCK_POWER,
        },
        ExpressionAttributeValues: {
          ':active': 'active',
          ':busy': 'busy',
          ':operationId': operationId,
          ':now': now,
        },
      },
      // Throws SliceLockNotHeldError unless the holder took it again meanwhile.
      (stored) => {
        unlockSlice(stored, operationId, now);
        return null;
      },
      `busy under ${operationId}`,
    );
  }

  /**
   * One conditional write of the lock, tried again while the slice changes under it. When its
   * condition fails, the slice is read back and `explain` says why: it throws the domain's
   * refusal, returns the slice when it already is as asked, or returns null to try again.
   */
  async #lockStep(
    accountId: string,
    sliceId: string,
    write: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ReturnValues'>,
    explain: (stored: Slice) => Slice | null,
    expected: string,
  ): Promise<Slice> {
    for (let attempt = 1; attempt <= LOCK_ATTEMPTS; attempt++) {
      try {
        const { Attributes: attributes } = await this.table.client.send(
          new UpdateCommand({
            ...write,
            TableName: this.table.tableName,
            Key: recordKey('slice', accountId, sliceId),
            ReturnValues: 'ALL_NEW',
          }),
        );
        if (attributes) return fromItem(attributes);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const stored = await this.get(accountId, sliceId);
      if (!stored) throw new SliceNotFoundError(sliceId);
      const settled = explain(stored);
      if (settled) return settled;
    }
    throw new ConcurrentModificationError('slice', sliceId, expected);
  }

  async list(accountId: string, filter: SliceFilter, page: PageRequest): Promise<Page<Slice>> {
    return this.accountPage('slices', accountId, page, {
      filter: {
        expression: '#status <> :deleted',
        names: { '#status': 'status' },
        values: { ':deleted': 'deleted' },
      },
      scopeFilters: labelSelectorScope(filter.labelSelector),
      matches: selectedBy(filter.labelSelector),
    });
  }
}
