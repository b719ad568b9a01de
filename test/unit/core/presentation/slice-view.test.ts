import { describe, expect, it } from 'vitest';
import { viewSlice } from '../../../../core/presentation/slice-view.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { activateSlice, lockSlice, newSlice } from '../../../../core/slices/slice.ts';

const T0 = '2025-03-01T10:00:00.000Z';

describe('viewSlice', () => {
  it('shows the contract’s fields, never the account, host or lock', () => {
    const built = newSlice({
      id: 'slc_1',
      accountId: 'acct-secret',
      name: 'web-1',
      region: 'fra1',
      diskBytes: 25 * BYTES_PER_GIB,
      fromSnapshotId: 'snp_9',
      labels: { env: 'prod' },
      now: T0,
    });
    const busy = lockSlice(
      activateSlice(built, { hostId: 'host-secret', power: 'on' }, T0),
      { operationId: 'op_secret', operationType: 'slice.power' },
      T0,
    );

    const view = viewSlice(busy);

    expect(view).toEqual({
      id: 'slc_1',
      name: 'web-1',
      region: 'fra1',
      status: 'busy',
      power: 'on',
      diskGB: 25,
      diskBytes: 25 * BYTES_PER_GIB,
      usedBytes: 0,
      createdAt: T0,
      fromSnapshotId: 'snp_9',
      labels: { env: 'prod' },
      deleteProtected: false,
    });
    expect(JSON.stringify(view)).not.toMatch(/secret/);
  });
});
