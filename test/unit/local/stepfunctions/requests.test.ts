import { describe, expect, it } from 'vitest';
import { paginate, requireValidName } from '../../../../local/stepfunctions/requests.ts';

const byIdAscending = {
  keyOf: (item: { id: number }) => item.id,
  isAfter: (item: { id: number }, key: string | number) => item.id > Number(key),
};

function items(ids: number[]) {
  return ids.map((id) => ({ id }));
}

describe('paginate', () => {
  it('walks the whole list page by page', () => {
    const list = items([1, 2, 3, 4, 5]);
    const seen: number[] = [];
    let nextToken: string | undefined;

    do {
      const page = paginate(
        list,
        { maxResults: 2, nextToken },
        byIdAscending.keyOf,
        byIdAscending.isAfter,
      );
      seen.push(...page.items.map((item) => item.id));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);

    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('neither repeats nor skips items when newer ones arrive between pages', () => {
    const newestFirst = {
      keyOf: (item: { id: number }) => item.id,
      isAfter: (item: { id: number }, key: string | number) => item.id < Number(key),
    };
    const first = paginate(
      items([5, 4, 3, 2]),
      { maxResults: 2 },
      newestFirst.keyOf,
      newestFirst.isAfter,
    );

    const second = paginate(
      items([7, 6, 5, 4, 3, 2]),
      { maxResults: 2, nextToken: first.nextToken },
      newestFirst.keyOf,
      newestFirst.isAfter,
    );

    expect(first.items.map((item) => item.id)).toEqual([5, 4]);
    expect(second.items.map((item) => item.id)).toEqual([3, 2]);
    expect(second.nextToken).toBeUndefined();
  });

  it('returns 100 items when maxResults is absent or 0', () => {
    const list = items(Array.from({ length: 150 }, (_, index) => index));

    const page = paginate(list, { maxResults: 0 }, byIdAscending.keyOf, byIdAscending.isAfter);

    expect(page.items).toHaveLength(100);
    expect(page.nextToken).toBeDefined();
  });

  it('refuses a token it did not issue', () => {
    const read = () =>
      paginate(items([1]), { nextToken: 'garbage' }, byIdAscending.keyOf, byIdAscending.isAfter);

    expect(read).toThrow(expect.objectContaining({ type: 'InvalidToken' }));
  });

  it('refuses more than 1000 results a page', () => {
    const read = () =>
      paginate(items([1]), { maxResults: 1001 }, byIdAscending.keyOf, byIdAscending.isAfter);

    expect(read).toThrow(expect.objectContaining({ type: 'ValidationException' }));
  });
});

describe('requireValidName', () => {
  it('accepts names like those the backend gives executions', () => {
    expect(requireValidName('snapshot-op_01HX.2', 'execution name')).toBe('snapshot-op_01HX.2');
  });

  it.each(['', 'a b', 'a:b', 'a/b', 'a*', 'tab\tin', 'x'.repeat(81)])('refuses %j', (name) => {
    expect(() => requireValidName(name, 'execution name')).toThrow(
      expect.objectContaining({ type: 'InvalidName' }),
    );
  });
});
