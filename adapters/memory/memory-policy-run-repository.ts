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
import { MemoryOutbox } from './memory-outbox.ts';

/** PolicyRunRepository in memory: copies in and out, one holder per policy. */
export class MemoryPolicyRunRepository implements PolicyRunRepository {
  readonly #runs = new Map<string, PolicyRun>();
  readonly #holders = new Map<string, PolicyRun>();
  readonly #cursors: CursorCodec;
  readonly #outbox: MemoryOutbox;

  constructor(options: { cursorSigner: Signer; outbox?: MemoryOutbox }) {
    this.#cursors = new CursorCodec(options.cursorSigner);
    this.#outbox = options.outbox ?? new MemoryOutbox();
  }

  #key(accountId: string, policyId: string, runId = ''): string {
    return JSON.stringify([accountId, policyId, runId]);
  }

  async start(run: PolicyRun, now: string): Promise<void> {
    const slot = this.#key(run.accountId, run.policyId);
    const holder = this.#holders.get(slot);
    if (holder && holder.holdsUntil > now) {
      throw new PolicyRunInProgressError(run.policyId, holder.id);
    }
    const key = this.#key(run.accountId, run.policyId, run.id);
    if (this.#runs.has(key)) throw new RecordAlreadyExistsError('policy', run.id);
    this.#runs.set(key, structuredClone(run));
    this.#holders.set(slot, structuredClone(run));
  }

  async finish(current: PolicyRun, next: PolicyRun, write: WriteEvents = {}): Promise<void> {
    const key = this.#key(current.accountId, current.policyId, current.id);
    if (this.#runs.get(key)?.status !== 'running') {
      throw new ConcurrentModificationError('policy', current.id, 'running');
    }
    this.#runs.set(key, structuredClone(next));
    const slot = this.#key(current.accountId, current.policyId);
    if (this.#holders.get(slot)?.id === current.id) this.#holders.delete(slot);
    this.#outbox.recordWritten(write.events);
  }

  async listOverdue(before: string, limit: number): Promise<readonly PolicyRun[]> {
    // The order of the table's index: end of hold, then account, policy and run.
    const position = (run: PolicyRun) =>
      `${run.holdsUntil}#${run.accountId}#${run.policyId}#${run.id}`;
    return [...this.#runs.values()]
      .filter((run) => run.status === 'running' && run.holdsUntil <= before)
      .sort((a, b) => (position(a) < position(b) ? -1 : 1))
      .slice(0, limit)
      .map((run) => structuredClone(run));
  }

  async get(accountId: string, policyId: string, runId: string): Promise<PolicyRun | null> {
    const run = this.#runs.get(this.#key(accountId, policyId, runId));
    return run ? structuredClone(run) : null;
  }

  async list(accountId: string, policyId: string, page: PageRequest): Promise<Page<PolicyRun>> {
    const scope = cursorScope('policy-runs', accountId, { policyId });
    const afterId = page.cursor
      ? this.#cursors.decode(scope, page.cursor, (id) => isResourceId('policyRun', id))
      : null;
    const runs = [...this.#runs.values()]
      .filter((run) => run.accountId === accountId && run.policyId === policyId)
      .filter((run) => afterId === null || run.id < afterId)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, page.limit + 1)
      .map((run) => structuredClone(run));
    return pageFrom(runs, page.limit, (lastId) => this.#cursors.encode(scope, lastId));
  }
}
