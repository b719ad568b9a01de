import { expect } from 'vitest';
import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import { ACCOUNT } from './given-ports.ts';

/** The slice is free again: active, in `power` if given, and no operation holds it. */
export async function expectSliceFree(
  ports: MemoryPorts,
  sliceId: string,
  power?: 'on' | 'off',
): Promise<void> {
  expect(await ports.slices.get(ACCOUNT, sliceId)).toMatchObject({
    status: 'active',
    lock: null,
    ...(power === undefined ? {} : { power }),
  });
}
