import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError } from '../../../../core/shared/persistence-errors.ts';
import { retryOnConflict } from '../../../../core/shared/retry-on-conflict.ts';

describe('retryOnConflict', () => {
  it('runs the step again after a lost race and returns its result', async () => {
    let calls = 0;

    const result = await retryOnConflict(async () => {
      calls += 1;
      if (calls < 3) throw new ConcurrentModificationError('snapshot', 'snp_1', 'pending');
      return 'done';
    });

    expect([result, calls]).toEqual(['done', 3]);
  });

  it('gives up after the attempts and rethrows the conflict', async () => {
    let calls = 0;

    const attempt = retryOnConflict(async () => {
      calls += 1;
      throw new ConcurrentModificationError('snapshot', 'snp_1', 'pending');
    }, 2);

    await expect(attempt).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(calls).toBe(2);
  });

  it('never retries other errors', async () => {
    let calls = 0;

    const attempt = retryOnConflict(async () => {
      calls += 1;
      throw new Error('boom');
    });

    await expect(attempt).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
