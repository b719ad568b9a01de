import { ConcurrentModificationError } from './persistence-errors.ts';

/**
 * Runs a read-decide-write step again when its conditional write lost a race, so the decision is
 * taken on fresh state; gives up after `attempts` and rethrows the conflict.
 */
export async function retryOnConflict<T>(step: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || attempt >= attempts) throw error;
    }
  }
}
