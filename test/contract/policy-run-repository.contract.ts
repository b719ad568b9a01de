import { expect, it } from 'vitest';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import {
  finishPolicyRun,
  newPolicyRun,
  type PolicyRun,
  PolicyRunInProgressError,
  policyRunCompleted,
} from '../../core/policies/policy-run.ts';
import type { PolicyRunRepository } from '../../core/ports/policy-run-repository.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { ConcurrentModificationError } from '../../core/shared/persistence-errors.ts';
import { anAccountId, anId } from '../support/records.ts';
import { freshPerTest } from './describe-contract.ts';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:05:00.000Z';
const HOLDS_UNTIL = '2026-03-01T16:00:00.000Z';
const PAST_HOLD = '2026-03-01T16:00:00.001Z';
const KEY = new HmacSigner('policy-run-contract-cursor-key-0123456789abcdef');

/** The behaviour every PolicyRunRepository shares; `make` builds one signing cursors with `signer`. */
export function policyRunRepositoryContract(
  make: (cursorSigner: Signer) => PolicyRunRepository,
): void {
  const fresh = freshPerTest(() => ({
    runs: make(KEY),
    accountId: anAccountId(),
    policyId: anId('policy'),
  }));

  const aRun = (): PolicyRun =>
    newPolicyRun({
      id: anId('policyRun'),
      accountId: fresh.accountId,
      policyId: fresh.policyId,
      trigger: 'manual',
      now: T0,
      holdsUntil: HOLDS_UNTIL,
    });

  const finished = (run: PolicyRun) =>
    finishPolicyRun(
      run,
      {
        taken: [{ sliceId: anId('slice'), snapshotId: anId('snapshot') }],
        skipped: [],
        pruned: [],
        failed: [],
      },
      T1,
    );

  it('refuses a second run of a policy while the first holds it, and stores nothing of it', async () => {
    const first = aRun();
    await fresh.runs.start(first, T0);
    const second = aRun();

    const attempt = fresh.runs.start(second, T1);

    await expect(attempt).rejects.toBeInstanceOf(PolicyRunInProgressError);
    await expect(attempt).rejects.toMatchObject({ runId: first.id });
    expect(await fresh.runs.get(fresh.accountId, fresh.policyId, second.id)).toBeNull();
  });

  it('lets the next run start once the previous one finished, or outlived its hold', async () => {
    const first = aRun();
    await fresh.runs.start(first, T0);
    await fresh.runs.finish(first, finished(first));
    const second = aRun();
    await fresh.runs.start(second, T1);

    const third = aRun();
    await fresh.runs.start(third, PAST_HOLD);

    expect((await fresh.runs.get(fresh.accountId, fresh.policyId, second.id))?.status).toBe(
      'running',
    );
    expect((await fresh.runs.get(fresh.accountId, fresh.policyId, third.id))?.status).toBe(
      'running',
    );
  });

  it('keeps runs of other policies and accounts apart', async () => {
    await fresh.runs.start(aRun(), T0);
    const otherPolicy = { ...aRun(), policyId: anId('policy') };
    const otherAccount = { ...aRun(), accountId: anAccountId() };

    await fresh.runs.start(otherPolicy, T0);
    await fresh.runs.start(otherAccount, T0);

    expect(await fresh.runs.get(fresh.accountId, fresh.policyId, otherPolicy.id)).toBeNull();
    expect(
      (await fresh.runs.list(otherAccount.accountId, fresh.policyId, { limit: 10 })).items,
    ).toEqual([otherAccount]);
  });

  it('finishes a run once, and lists the history newest first a page at a time', async () => {
    const first = aRun();
    await fresh.runs.start(first, T0);
    const done = finished(first);
    await fresh.runs.finish(first, done, { events: [policyRunCompleted(done)] });
    const second = aRun();
    await fresh.runs.start(second, T1);

    const again = fresh.runs.finish(first, done);
    await expect(again).rejects.toBeInstanceOf(ConcurrentModificationError);
    const page = await fresh.runs.list(fresh.accountId, fresh.policyId, { limit: 1 });
    const next = await fresh.runs.list(fresh.accountId, fresh.policyId, {
      limit: 1,
      cursor: page.nextCursor,
    });

    expect(page.items).toEqual([second]);
    expect(next).toEqual({ items: [done], nextCursor: null });
  });

  it('lists the running runs of every account whose hold has ended, longest overdue first, never a finished one', async () => {
    // Holds far in the past and picked at random: the table is shared with other suites.
    const base = Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 3_000_000) * 1000;
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    const held = (holdsUntil: string, account = fresh.accountId): PolicyRun => ({
      ...newPolicyRun({
        id: anId('policyRun'),
        accountId: account,
        policyId: anId('policy'),
        trigger: 'schedule',
        now: at(-600),
        holdsUntil,
      }),
    });
    const later = held(at(2));
    const earlier = held(at(1), anAccountId());
    const done = held(at(0));
    const notYet = held(at(10));
    for (const run of [later, earlier, done, notYet]) await fresh.runs.start(run, at(-600));
    await fresh.runs.finish(
      done,
      finishPolicyRun(done, { taken: [], skipped: [], pruned: [], failed: [] }, at(0)),
    );

    const overdue = await fresh.runs.listOverdue(at(2), 1000);

    const mine = [later, earlier, done, notYet].map((run) => run.id);
    expect(overdue.filter((run) => mine.includes(run.id))).toEqual([earlier, later]);
  });
}
