import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { SliceBusyError, SliceNotFoundError } from '../../../../core/slices/slice-errors.ts';
import { requestSliceDeletion } from '../../../../core/use-cases/request-slice-deletion.ts';
import { updateSlice } from '../../../../core/use-cases/update-slice.ts';
import { ACCOUNT, givenPorts, FIVE_MINUTES_LATER as LATER } from './support/given-ports.ts';
import { thenClockAt } from './support/set-ups.ts';
import { anActiveSlice, slicesNotFound } from './support/use-case-steps.ts';

describe('updateSlice', () => {
  const given = givenPorts(
    thenClockAt(LATER, async (ports) => ({
      slice: await anActiveSlice(ports, { labels: { env: 'prod', team: 'web' } }),
    })),
  );

  it('renames, merges labels and turns delete protection on in one write', async () => {
    const { ports, slice } = given;
    const updated = await updateSlice(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      name: '  web-2 ',
      labels: { env: 'staging', team: null, tier: 'gold' },
      deleteProtected: true,
    });

    expect(updated).toEqual({
      ...slice,
      name: 'web-2',
      labels: { env: 'staging', tier: 'gold' },
      deleteProtected: true,
      updatedAt: LATER,
    });
    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(updated);
    expect(ports.events.published).toEqual([]);
  });

  it('keeps every field the request leaves out', async () => {
    const { ports, slice } = given;
    const updated = await updateSlice(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      labels: { owner: 'ops' },
    });

    expect(updated).toMatchObject({
      name: slice.name,
      labels: { env: 'prod', team: 'web', owner: 'ops' },
      deleteProtected: false,
    });
  });

  it('writes nothing when nothing changes', async () => {
    const { ports, slice } = given;
    const updated = await updateSlice(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      name: slice.name,
      labels: { env: 'prod', gone: null },
      deleteProtected: false,
    });

    expect(updated).toEqual(slice);
    expect((await ports.slices.get(ACCOUNT, slice.id))?.updatedAt).toBe(slice.updatedAt);
  });

  it('edits a busy slice without touching its lock', async () => {
    const { ports, slice } = given;
    const locked = await ports.slices.acquireLock({
      accountId: ACCOUNT,
      sliceId: slice.id,
      operationId: 'op_power',
      operationType: 'slice.power',
      now: LATER,
    });

    const updated = await updateSlice(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      deleteProtected: true,
    });

    expect(updated).toMatchObject({ status: 'busy', lock: locked.lock, deleteProtected: true });
  });

  it('refuses to turn protection on while a deletion holds the slice, naming it', async () => {
    const { ports, slice } = given;
    const deletion = await requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });

    const attempt = updateSlice(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      deleteProtected: true,
    });

    await expect(attempt).rejects.toThrow(SliceBusyError);
    await expect(attempt).rejects.toThrow(deletion.id);
  });

  it('does not find a deleted slice, an unknown one or one of another account', async () => {
    const { ports, slice } = given;
    for (const input of await slicesNotFound(ports, slice)) {
      await expect(updateSlice(ports, { ...input, name: 'x' })).rejects.toThrow(SliceNotFoundError);
    }
  });

  it('refuses invalid input, naming each field, and changes nothing', async () => {
    const { ports, slice } = given;
    const attempts = [
      [{ name: '' }, 'name'],
      [{ labels: { Env: 'prod' } }, 'labels.Env'],
      [{ labels: { env: 'Prod' } }, 'labels.env'],
      [{ labels: { env: 5 } as unknown as Record<string, string> }, 'labels.env'],
    ] as const;

    for (const [input, path] of attempts) {
      const attempt = updateSlice(ports, { accountId: ACCOUNT, sliceId: slice.id, ...input });

      await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
      await expect(attempt).rejects.toMatchObject({ issues: [{ path }] });
    }
    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(slice);
  });

  it('refuses labels that would exceed 64 after the merge', async () => {
    const { ports, slice } = given;
    const many = Object.fromEntries(Array.from({ length: 63 }, (_, i) => [`k${i}`, 'v']));

    const attempt = updateSlice(ports, { accountId: ACCOUNT, sliceId: slice.id, labels: many });

    await expect(attempt).rejects.toMatchObject({
      issues: [{ path: 'labels', message: 'would leave 65 labels; a resource holds at most 64' }],
    });
  });
});
