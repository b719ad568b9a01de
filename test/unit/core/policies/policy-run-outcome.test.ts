import { describe, expect, it } from 'vitest';
import { policyRunOutcome } from '../../../../core/policies/policy-run.ts';

describe('policyRunOutcome', () => {
  it('counts a snapshot once it is available, and a failed one, a skip or a failed step by slice', () => {
    const outcome = policyRunOutcome(
      ['slc_a', 'slc_b', 'slc_c', 'slc_d', 'slc_e'],
      [
        {
          sliceId: 'slc_a',
          take: { snapshotId: 'snap_a', skipped: null },
          snapshot: { status: 'available', code: null },
          prune: { pruned: ['snap_old1', 'snap_old2'] },
        },
        {
          sliceId: 'slc_b',
          take: { snapshotId: 'snap_b', skipped: null },
          snapshot: { status: 'failed', code: 'AGENT_TIMEOUT' },
          prune: { pruned: [] },
        },
        {
          sliceId: 'slc_c',
          take: { snapshotId: null, skipped: 'slice-busy' },
          prune: { pruned: [] },
        },
        {
          sliceId: 'slc_d',
          takeError: { Error: 'PolicyNotFoundError', Cause: '{}' },
          pruneError: { Error: 'PolicyNotFoundError' },
        },
        {
          sliceId: 'slc_e',
          take: { snapshotId: null, skipped: 'slice-gone' },
          pruneError: { Error: 'Lambda.Unknown' },
        },
      ],
    );

    expect(outcome).toEqual({
      taken: [{ sliceId: 'slc_a', snapshotId: 'snap_a' }],
      skipped: [
        { sliceId: 'slc_c', reason: 'slice-busy' },
        { sliceId: 'slc_e', reason: 'slice-gone' },
      ],
      pruned: ['snap_old1', 'snap_old2'],
      failed: [
        { sliceId: 'slc_b', code: 'AGENT_TIMEOUT' },
        { sliceId: 'slc_d', code: 'POLICY_NOT_FOUND' },
        { sliceId: 'slc_e', code: 'WORKFLOW_FAILED' },
      ],
      error: null,
    });
  });

  it('fails the slices without a result when the run failed, and says why', () => {
    const outcome = policyRunOutcome(
      ['slc_a', 'slc_b'],
      [{ sliceId: 'slc_a', take: { snapshotId: null, skipped: 'slice-not-active' } }],
      { Error: 'States.Runtime', Cause: 'boom' },
    );

    expect(outcome.failed).toEqual([{ sliceId: 'slc_b', code: 'WORKFLOW_FAILED' }]);
    expect(outcome.skipped).toEqual([{ sliceId: 'slc_a', reason: 'slice-not-active' }]);
    expect(outcome.error).toEqual({
      code: 'WORKFLOW_FAILED',
      message: 'the run failed before it went through its slices',
    });
  });
});
