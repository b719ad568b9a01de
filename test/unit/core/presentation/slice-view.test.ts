import { describe, expect, it } from 'vitest';
import { viewSlice } from '../../../../core/presentation/slice-view.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { lockSlice } from '../../../../core/slices/slice.ts';
import { aSlice, T0 } from '../../../support/records.ts';

describe('viewSlice', () => {
  it('shows the contract’s fields, never the account, host or lock', () => {
    const active = aSlice({
      id: 'slc_1',
      accountId: 'acct-secret',
      hostId: 'host-secret',
      fromSnapshotId: 'snp_9',
      labels: { env: 'prod' },
    });
    const busy = lockSlice(active, { operationId: 'op_secret', operationType: 'slice.power' }, T0);

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
