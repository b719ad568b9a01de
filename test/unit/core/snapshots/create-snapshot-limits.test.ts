import { describe, expect, it } from 'vitest';
import { CREATE_SNAPSHOT_TIMEOUT_SECONDS } from '../../../../core/snapshots/create-snapshot-limits.ts';
import { WORKFLOWS } from '../../../../infra/catalog.ts';

describe('create-snapshot limits', () => {
  it('registers uploads for as long as the workflow may run: no longer, no shorter', () => {
    const workflow = WORKFLOWS.find((each) => each.name === 'create-snapshot');

    expect(workflow?.timeoutSeconds).toBe(CREATE_SNAPSHOT_TIMEOUT_SECONDS);
  });
});
