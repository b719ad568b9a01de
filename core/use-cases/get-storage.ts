import type { Ports } from '../ports/ports.ts';
import type { AccountStorage } from '../storage/account-storage.ts';

/** The caller's storage as its latest mark pass found it, or null before its first pass. */
export async function getStorage(
  deps: Pick<Ports, 'storage'>,
  input: { accountId: string },
): Promise<AccountStorage | null> {
  return deps.storage.get(input.accountId);
}
