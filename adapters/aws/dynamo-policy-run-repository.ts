import { CursorCodec, cursorScope } from '../../core/pagination/cursor-codec.ts';
import { type Page, type PageRequest, pageFrom } from '../../core/pagination/page.ts';
import { type PolicyRun, PolicyRunInProgressError } from '../../core/policies/policy-run.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import type { PolicyRunRepository } from '../../core/ports/policy-run-repository.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { isResourceId } from '../../core/shared/ids.ts';
import {
  ConcurrentModificationError,
  RecordAlreadyExistsError,
} from '../../core/shared/persistence-errors.ts';
import { recordAttributes } from './dynamo-items.ts';
import { accountPartition, type TableKey } from './dynamo-keys.ts';
import { outboxPuts } from './dynamo-outbox.ts';
import {
  cancellationReasons,
  DynamoRecordTable,
  type Item,
  type TableAccess,
} from './dynamo-record-table.ts';

function runsPrefix(policyId: string): string {
  return `POLICY-RUN#${policyId}#`;
}

function runKey(accountId: string, policyId: string, runId: string): TableKey {
  return { pk: accountPartition(accountId), sk: `${runsPrefix(policyId)}${runId}` };
}

/** The one item that says which run holds a policy now, beside the policy. */
function holderKey(accountId: string, policyId: string): TableKey {
  return { pk: accountPartition(accountId), sk: `POLICY-RUN-HOLDER#${policyId}` };
}

/**
 * gsi2 holds the running runs of every account by the end of their hold (a sparse index: a
 * finished run's item has no keys there), so that the sweep finds the runs nothing finished.
 */
const RUNNING_PARTITION = 'POLICY-RUNS#RUNNING';

function runItem(run: PolicyRun): Item {
  const overdueIndex =
    run.status === 'running'
      ? {
          gsi2pk: RUNNING_PARTITION,
          gsi2sk: `${run.holdsUntil}#${run.accountId}#${run.policyId}#${run.id}`,
        }
      : {};
  return {
    ...run,
    ...runKey(run.accountId, run.policyId, run.id),
    ...overdueIndex,
    recordKind: 'policyRun',
  };
}

function cancellationCodes(error: unknown): readonly (string | undefined)[] | null {
  return cancellationReasons(error)?.map((reason) => reason.Code) ?? null;
}

/**
 * PolicyRunRepository on the single table: each run at `pk = ACCOUNT#<account>`,
 * `sk = POLICY-RUN#<policy>#<run>` (a policy's history is one Query), and the run holding a policy
 * in one item `sk = POLICY-RUN-HOLDER#<policy>`, put and deleted in the transactions that start and
 * finish a run, so two runs of a policy never hold it at once.
 */
export class DynamoPolicyRunRepository implements PolicyRunRepository {
  readonly #table: DynamoRecordTable;
  readonly #cursors: CursorCodec;

  constructor(options: TableAccess & { cursorSigner: Signer }) {
    this.#table = new DynamoRecordTable(options, 'policy');
    this.#cursors = new CursorCodec(options.cursorSigner);
  }

  async start(run: PolicyRun, now: string): Promise<void> {
    const holder = holderKey(run.accountId, run.policyId);
    try {
      await this.#table.transact([
        {
          Put: {
            Item: {
              ...holder,
              recordKind: 'policyRunHolder',
              runId: run.id,
              holdsUntil: run.holdsUntil,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #holdsUntil <= :now',
            ExpressionAttributeNames: { '#holdsUntil': 'holdsUntil' },
            ExpressionAttributeValues: { ':now': now },
          },
        },
        {
          Put: {
            Item: runItem(run),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') {
        const item = await this.#table.get(holder);
        throw new PolicyRunInProgressError(run.policyId, String(item?.runId ?? 'unknown'));
      }
      if (codes?.[1] === 'ConditionalCheckFailed')
        throw new RecordAlreadyExistsError('policy', run.id);
      throw error;
    }
  }

  async finish(current: PolicyRun, next: PolicyRun, write: WriteEvents = {}): Promise<void> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    try {
      await this.#table.transact([
        {
          Put: {
            Item: runItem(next),
            ConditionExpression: '#status = :running',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':running': 'running' },
          },
        },
        ...outboxPuts(write.events ?? [], nowSeconds),
      ]);
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
        throw new ConcurrentModificationError('policy', current.id, 'running');
      }
      throw error;
    }
    // The holder goes only if it is still this run: a later run may hold the policy already.
    await this.#table.delete({
      Key: holderKey(current.accountId, current.policyId),
      ConditionExpression: '#runId = :runId',
      ExpressionAttributeNames: { '#runId': 'runId' },
      ExpressionAttributeValues: { ':runId': current.id },
    });
  }

  async get(accountId: string, policyId: string, runId: string): Promise<PolicyRun | null> {
    const item = await this.#table.get(runKey(accountId, policyId, runId));
    return item ? (recordAttributes(item) as PolicyRun) : null;
  }

  async listOverdue(before: string, limit: number): Promise<readonly PolicyRun[]> {
    const items = await this.#table.queryItems(
      {
        IndexName: 'gsi2',
        // `$` follows `#`, so a hold that ends at `before` itself sorts below the bound.
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :beyond',
        ExpressionAttributeValues: { ':pk': RUNNING_PARTITION, ':beyond': `${before}$` },
      },
      undefined,
      limit,
      'oldest-first',
    );
    return items
      .map((item) => recordAttributes(item) as PolicyRun)
      .filter((run) => run.status === 'running');
  }

  async list(accountId: string, policyId: string, page: PageRequest): Promise<Page<PolicyRun>> {
    const scope = cursorScope('policy-runs', accountId, { policyId });
    const afterId = page.cursor
      ? this.#cursors.decode(scope, page.cursor, (id) => isResourceId('policyRun', id))
      : null;
    const items: Item[] = await this.#table.queryItems(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': accountPartition(accountId),
          ':prefix': runsPrefix(policyId),
        },
        ConsistentRead: true,
      },
      afterId === null ? undefined : runKey(accountId, policyId, afterId),
      page.limit + 1,
    );
    const runs = items.map((item) => recordAttributes(item) as PolicyRun);
    return pageFrom(runs, page.limit, (lastId) => this.#cursors.encode(scope, lastId));
  }
}
