import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../blueprint/facts.ts';
import type { OperationType } from '../../../core/operations/operation-type.ts';
import type { Slice } from '../../../core/slices/slice.ts';
import type { Snapshot } from '../../../core/snapshots/snapshot.ts';
import { WORKFLOW_OF_OPERATION } from '../../../core/workflows/operation-workflows.ts';
import * as records from '../../support/records.ts';
import { sliceItem } from '../../support/table-items.ts';

export const ACCOUNT = 'acct-1';
export const SLICE_ID = 'slc_01JNZ5Y1Q0000000000000000A';
export const SNAPSHOT_ID = 'snp_01JNZ5Y1Q0000000000000000B';
export const OPERATION_ID = 'op_01JNZ5Y1Q0000000000000000D';
export const OTHER_OPERATION_ID = 'op_01JNZ5Y1Q0000000000000000C';
export const GIB = 1024 ** 3;

/** The table key of a slice, spelled out as the single table stores it. */
export const SLICE_KEY = { pk: `ACCOUNT#${ACCOUNT}`, sk: `SLICE#${SLICE_ID}` };
/** The table key of a snapshot, spelled out as the single table stores it. */
export const SNAPSHOT_KEY = { pk: `ACCOUNT#${ACCOUNT}`, sk: `SNAPSHOT#${SNAPSHOT_ID}` };

/** An active, placed slice of 40 GiB, powered on, no lock held. */
export function aSlice(overrides: Partial<Slice> = {}): Slice {
  return records.aSlice({
    id: SLICE_ID,
    hostId: 'fra1-a',
    diskBytes: 40 * GIB,
    usedBytes: 12 * GIB,
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:05:00.000Z',
    ...overrides,
  });
}

/**
 * An available snapshot of {@link aSlice}: a 40 GiB disk, 12 GiB billed, nobody reading it.
 * Requested at 10:00 with the slice powered off then, captured a minute later, available at 10:20.
 */
export function aSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  const pending = records.aSnapshot({
    id: SNAPSHOT_ID,
    name: 'before-upgrade',
    sliceId: SLICE_ID,
    diskBytes: 40 * GIB,
    sizeBytes: 12 * GIB,
    createdAt: '2026-03-02T10:00:00.000Z',
  });
  const { available } = records.takingSteps(
    pending,
    {
      startedAt: '2026-03-02T10:00:00.000Z',
      poweredOffAt: '2026-03-02T10:00:00.000Z',
      capturedAt: '2026-03-02T10:01:00.000Z',
      availableAt: '2026-03-02T10:20:00.000Z',
    },
    {
      sizeBytes: 12 * GIB,
      manifestKey: `${ACCOUNT}/snapshots/${SNAPSHOT_ID}/manifest.json`,
      upload: { changedBlockTracking: false, chunksRead: 3072 },
    },
  );
  return { ...available, ...overrides };
}

/**
 * DynamoDB's answer to the conditional write that takes the slice lock: {@link aSlice}, busy under
 * the operation the write names, changed by `changes`.
 */
export function grantSliceLock(operationType: OperationType, changes: Partial<Slice> = {}) {
  return (input: UpdateCommandInput) => {
    const operationId = input.ExpressionAttributeValues?.[':operationId'];
    const lock = { operationId, operationType, power: 'on' as const };
    return { Attributes: sliceItem(aSlice({ status: 'busy', lock, ...changes })) };
  };
}

export const TABLE = 'slice-snapshots-table';
export const BUCKET = 'slice-snapshots-images';

/** The ARN {@link setServiceEnvironment} gives a workflow's state machine. */
export function stateMachineArn(workflow: string): string {
  return `arn:aws:states:eu-central-1:123456789012:stateMachine:${workflow}`;
}

// The operations' workflows, and the one a policy's schedule starts.
const WORKFLOWS = [...Object.values(WORKFLOW_OF_OPERATION), 'run-policy'];

/** The environment the composition root reads, with one state machine per workflow. */
/** The policies' schedule group and the role their schedules start runs with. */
export const SCHEDULE_GROUP = 'slice-snapshots-policies';
export const SCHEDULER_ROLE = 'arn:aws:iam::123456789012:role/slice-snapshots-policy-scheduler';
export const SCHEDULE_DEAD_LETTERS =
  'arn:aws:sqs:eu-central-1:123456789012:slice-snapshots-policy-schedule-dead-letters';

export function setServiceEnvironment(): void {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.AWS_REGION = 'eu-central-1';
  process.env[ENV.tableName] = TABLE;
  // The account limit is off, because these tests are about each route; account-rate-limit.test.ts
  // tests the limit.
  process.env[ENV.accountRateLimitPerSecond] = '0';
  process.env[ENV.imagesBuckets] = JSON.stringify({ fra1: BUCKET, nyc1: BUCKET });
  process.env[ENV.policyScheduleGroup] = SCHEDULE_GROUP;
  process.env[ENV.policySchedulerRoleArn] = SCHEDULER_ROLE;
  process.env[ENV.policyScheduleDeadLetterArn] = SCHEDULE_DEAD_LETTERS;
  process.env[ENV.stateMachineArns] = JSON.stringify(
    Object.fromEntries(WORKFLOWS.map((workflow) => [workflow, stateMachineArn(workflow)])),
  );
}

/** The attributes an update of changed fields sets (`#uN = :uN`), by attribute name. */
export function fieldsSetBy(update: UpdateCommandInput | undefined): Record<string, unknown> {
  const names = update?.ExpressionAttributeNames ?? {};
  const values = update?.ExpressionAttributeValues ?? {};
  return Object.fromEntries(
    Object.entries(names)
      .filter(([placeholder]) => /^#u\d+$/.test(placeholder))
      .map(([placeholder, field]) => [field, values[`:${placeholder.slice(1)}`]]),
  );
}
