import { describe, expect, it } from 'vitest';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { Signer } from '../../core/ports/signer.ts';
import {
  InvalidCursorError,
  RecordAlreadyExistsError,
} from '../../core/shared/persistence-errors.ts';
import { anAccountId, anId } from '../support/records.ts';
import { freshPerTest } from './describe-contract.ts';
import { inBatches, tamper, walkPages } from './paging.ts';

const KEY = new HmacSigner('account-records-contract-cursor-key-0123456789');
const OTHER_KEY = new HmacSigner('another-deployment-cursor-key-0123456789');

/** The part of a repository that stores an account's records and lists them in signed pages. */
export interface AccountRecords<R> {
  create(record: R): Promise<void>;
  get(accountId: string, id: string): Promise<R | null>;
  list(accountId: string, page: PageRequest): Promise<Page<R>>;
}

/** A repository of one kind of account record, and how to build a record of that kind. */
export interface AccountRecordsSubject<R> {
  readonly kind: 'slice' | 'snapshot' | 'operation' | 'policy';
  readonly make: (cursorSigner: Signer) => AccountRecords<R>;
  readonly aRecord: (accountId: string) => R;
}

/**
 * What every repository of account records shares: a create that never overwrites, reads that
 * never cross accounts, and a newest-first list walked in pages whose cursors cannot be forged.
 */
export function accountRecordsContract<R extends { id: string; updatedAt: string }>(
  subject: AccountRecordsSubject<R>,
): void {
  const { kind, make, aRecord } = subject;
  const fresh = freshPerTest(() => ({ records: make(KEY), accountId: anAccountId() }));

  describe('create and get', () => {
    it('returns what was created', async () => {
      const record = aRecord(fresh.accountId);

      await fresh.records.create(record);

      expect(await fresh.records.get(fresh.accountId, record.id)).toEqual(record);
    });

    it('refuses a second create with the same id and keeps the first', async () => {
      const record = aRecord(fresh.accountId);
      await fresh.records.create(record);

      const second = fresh.records.create({ ...record, updatedAt: '2025-03-01T11:00:00.000Z' });

      await expect(second).rejects.toBeInstanceOf(RecordAlreadyExistsError);
      expect(await fresh.records.get(fresh.accountId, record.id)).toEqual(record);
    });

    it(`returns null for a missing ${kind} and for another account’s ${kind}`, async () => {
      const record = aRecord(fresh.accountId);
      await fresh.records.create(record);

      expect(await fresh.records.get(anAccountId(), record.id)).toBeNull();
      expect(await fresh.records.get(fresh.accountId, anId(kind))).toBeNull();
    });
  });

  describe('list pages', () => {
    it(`walks 120 ${kind === 'policy' ? 'policies' : `${kind}s`} newest first with no duplicate, no gap and no other account’s`, async () => {
      const created = Array.from({ length: 120 }, () => aRecord(fresh.accountId));
      await inBatches(created.map((record) => () => fresh.records.create(record)));
      await fresh.records.create(aRecord(anAccountId()));

      const walk = await walkPages((page) => fresh.records.list(fresh.accountId, page), 50);

      expect(walk.pageSizes).toEqual([50, 50, 20]);
      expect(walk.ids).toEqual(created.map((record) => record.id).reverse());
    });

    it('ends with a null cursor when the last page is exactly full', async () => {
      for (let i = 0; i < 3; i++) await fresh.records.create(aRecord(fresh.accountId));

      const page = await fresh.records.list(fresh.accountId, { limit: 3 });

      expect(page.items).toHaveLength(3);
      expect(page.nextCursor).toBeNull();
    });

    it('refuses a tampered, forged, foreign or other-key cursor', async () => {
      for (let i = 0; i < 3; i++) await fresh.records.create(aRecord(fresh.accountId));
      const { nextCursor } = await fresh.records.list(fresh.accountId, { limit: 1 });
      const cursor = nextCursor ?? '';

      const attempts = [
        () => fresh.records.list(fresh.accountId, { limit: 1, cursor: tamper(cursor) }),
        () => fresh.records.list(fresh.accountId, { limit: 1, cursor: 'not-a-cursor' }),
        () => fresh.records.list(fresh.accountId, { limit: 1, cursor: 'eyJpZCI6InNucF8xIn0.c2ln' }),
        () => fresh.records.list(fresh.accountId, { limit: 1, cursor: `${cursor}x` }),
        () => fresh.records.list(anAccountId(), { limit: 1, cursor }),
        () => make(OTHER_KEY).list(fresh.accountId, { limit: 1, cursor }),
      ];

      for (const attempt of attempts)
        await expect(attempt()).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
