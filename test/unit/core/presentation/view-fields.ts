import { expect } from 'vitest';

/**
 * Checks that `view` shows exactly `fields`, in any order, and that nothing in it spells the
 * account `accountId`, which no view shows.
 */
export function expectContractFieldsOnly(
  view: object,
  fields: readonly string[],
  accountId: string,
): void {
  expect(Object.keys(view).sort()).toEqual([...fields].sort());
  expect(JSON.stringify(view)).not.toContain(accountId);
}
